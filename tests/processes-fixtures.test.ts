// Processes, pipes, /proc, readiness and sockets (issue 6): the programs of
// fixtures/processes-cases.json, built for riscv64 and aarch64 by fixtures/build.sh and
// fixtures/aarch64/build.sh, run under crossrun and must print what the same C source printed when
// built and run natively (fixtures/record-native.mjs; qemu-user cannot be the reference: it cannot
// exec a foreign child). Compared: stdout, stderr (normal exits), the exit status or death signal,
// and for the HTTP cases what the Node peer (server or client, its own process) saw.
//
// Each run is `node bin/crossrun.js [-L sysroot] <binary> args` in its own process group, killed
// after a time limit, so a guest that hangs (a missing syscall that blocks forever) fails its case
// instead of the suite. The bundle is rebuilt from the sources first, as tests/cli-bin.test.ts does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES_DIR, FLAVOURS, compareResult, hasIpv6Loopback, loadCases, loadExpected, loadNativeManifest, runCase,
  sourceSha256, type Launch, type NativeEntry, type ProcessCase,
} from '../fixtures/scripts/process-run.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/crossrun.js');
const ISAS = [
  { isa: 'riscv64', dir: path.join(FIXTURES_DIR, 'riscv64'), sysroot: '/usr/riscv64-linux-gnu' },
  { isa: 'aarch64', dir: path.join(FIXTURES_DIR, 'aarch64'), sysroot: '/usr/aarch64-linux-gnu' },
] as const;
/** Per run; bigpipe moves 64 MiB through three emulated processes. */
const RUN_TIMEOUT_MS: Record<string, number> = { bigpipe: 300_000 };
const DEFAULT_RUN_TIMEOUT_MS = 120_000;

const spec = loadCases();
const manifest = loadNativeManifest();
const recorded = new Map<string, NativeEntry>(manifest.entries.map((e) => [e.case, e]));
const ipv6 = await hasIpv6Loopback();

/** Cases crossrun does not pass yet, and why: "<isa>/<case>.<flavour>", "<isa>/<case>.*" or
 *  "*\/<case>.*". They run as it.fails, so one that starts passing fails the suite until its line
 *  here is removed. */
const PENDING: Record<string, string> = {
};

function pendingReason(isa: string, c: ProcessCase, flavour: string): string | null {
  return PENDING[`${isa}/${c.name}.${flavour}`] ?? PENDING[`${isa}/${c.name}.*`] ?? PENDING[`*/${c.name}.*`] ?? null;
}

/** The guest environment is the case's; CROSSRUN_* settings of this run (CROSSRUN_JIT…) reach
 *  crossrun but are removed from what the guest sees. */
function launcher(binary: string, sysroot: string | null) {
  return (args: string[]): Launch => {
    const env: Record<string, string> = {};
    for (const kv of spec.env) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    const unset: string[] = [];
    for (const [k, v] of Object.entries(process.env)) {
      if (k.startsWith('CROSSRUN_') && v !== undefined) { env[k] = v; unset.push('-U', k); }
    }
    const opts = sysroot ? ['-L', sysroot] : [];
    return { cmd: process.execPath, argv: [BIN, ...opts, ...unset, binary, ...args], env };
  };
}

beforeAll(() => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe('process fixtures: recordings', () => {
  it('every case was recorded natively from the current source and arguments', () => {
    const stale: string[] = [];
    for (const c of spec.cases) {
      const e = recorded.get(c.name);
      if (!e) stale.push(`${c.name}: not recorded`);
      else if (e.sourceSha256 !== sourceSha256(c.program)) stale.push(`${c.name}: ${e.source} changed`);
      else if (JSON.stringify(e.args) !== JSON.stringify(c.args ?? [])) stale.push(`${c.name}: arguments changed`);
    }
    expect(stale, 'run node fixtures/record-native.mjs').toEqual([]);
  });

  it('every case has its riscv64 and aarch64 binaries', () => {
    const missing = ISAS.flatMap(({ dir }) =>
      spec.cases.flatMap((c) => (c.flavours ?? ['static']).map((f) => path.join(dir, c.program + FLAVOURS.find((x) => x.flavour === f)!.suffix))))
      .filter((p) => !existsSync(p));
    expect(missing, 'run fixtures/build.sh and fixtures/aarch64/build.sh').toEqual([]);
  });
});

for (const { isa, dir, sysroot } of ISAS) {
  describe(`process fixtures under crossrun (${isa})`, () => {
    for (const c of spec.cases) {
      const entry = recorded.get(c.name);
      if (!entry) continue;
      const want = entry.signal !== null ? `signal ${entry.signal}` : `exit ${entry.exitCode}`;
      for (const flavour of c.flavours ?? ['static']) {
        const title = `${c.name}.${flavour} → ${want}`;
        const dynamic = flavour === 'dynamic';
        if (dynamic && !existsSync(path.join(sysroot, 'lib'))) { it.skip(`${title} (needs ${sysroot})`, () => {}); continue; }
        if ((c.needs ?? []).includes('ipv6') && !ipv6) { it.skip(`${title} (this host has no ::1)`, () => {}); continue; }
        const pending = pendingReason(isa, c, flavour);
        const timeoutMs = RUN_TIMEOUT_MS[c.name] ?? DEFAULT_RUN_TIMEOUT_MS;
        (pending === null ? it : it.fails)(`${title}${pending === null ? '' : ` (pending: ${pending})`}`, async () => {
          const binary = path.join(dir, c.program + FLAVOURS.find((x) => x.flavour === flavour)!.suffix);
          const got = await runCase(c, launcher(binary, dynamic ? sysroot : null), { timeoutMs });
          expect(compareResult(loadExpected(entry), got).join('\n')).toBe('');
        }, timeoutMs + 30_000);
      }
    }
  });
}
