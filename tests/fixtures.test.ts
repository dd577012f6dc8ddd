// Whole programs: every entry of fixtures/riscv64/manifest.json (C programs from fixtures/src,
// built by fixtures/build.sh, expected results recorded under qemu-riscv64 by
// fixtures/record-expected.mjs) runs through the library API and must produce the recorded stdout,
// stderr (where recorded) and exit status or death signal.
//
// Static and static-pie binaries run hermetically: the binary is placed at argv0 (/prog) in an
// in-memory filesystem. Dynamic ones need the riscv64 sysroot (/usr/riscv64-linux-gnu) on the host
// and are skipped without it.
//
// CROSSRUN_FIXTURES_RUNNER=qemu runs the same table against qemu-riscv64 instead of crossrun, which
// checks this file's own logic (and the recordings) independently of the engine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import {
  SYSROOT, compareResult, fixturePath, hasQemu, hasSysroot, loadExpected, loadManifest, runQemu, stdinBytes,
  type FixtureResult, type ManifestEntry,
} from '../fixtures/scripts/fixture-run.mjs';

const RUNNER = process.env.CROSSRUN_FIXTURES_RUNNER === 'qemu' ? 'qemu' : 'crossrun';
/** Generous: the interpreter tier is slow, and the biggest fixture runs tens of millions of instructions. */
const TIMEOUT_MS = 180_000;

/** crossrun runs every fixture under each tier (--jit); the wasm tier in its eager test mode, so
 *  regions cover all code reachable from hot blocks, not just the hot blocks themselves. */
const TIERS = RUNNER === 'qemu' ? (['-'] as const) : (['interp', 'wasm'] as const);
process.env.CROSSRUN_JIT_EAGER ??= '1';

async function runCrossrun(entry: ManifestEntry, jit: 'interp' | 'wasm'): Promise<FixtureResult> {
  // Imported here, not at the top, so the qemu runner works whatever state the engine is in.
  const { run } = await import('../src/index.js');
  const { hostVfs, memVfs } = await import('../syscalls/vfs.js');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const common = {
    argv0: entry.argv0,
    env: entry.env,
    stdin: stdinBytes(entry),
    jit,
    // Copies: the sink may be handed a view of guest memory that is reused afterwards.
    stdout: (b: Uint8Array) => void out.push(Buffer.from(b)),
    stderr: (b: Uint8Array) => void err.push(Buffer.from(b)),
  };
  let result;
  if (entry.needs.includes('sysroot')) {
    const fs = hostVfs({ prefix: SYSROOT });
    result = await run({ ...common, argv: [fixturePath(entry.binary), ...entry.args], fs, ldPrefix: SYSROOT });
  } else {
    const vol = new Volume();
    vol.mkdirSync('/tmp', { recursive: true });
    vol.writeFileSync(entry.argv0, readFileSync(fixturePath(entry.binary)), { mode: 0o755 });
    result = await run({ ...common, argv: [entry.argv0, ...entry.args], fs: memVfs(vol) });
  }
  return {
    stdout: Buffer.concat(out),
    stderr: Buffer.concat(err),
    exitCode: result.signal === undefined ? result.exitCode : null,
    signal: result.signal ?? null,
  };
}

/** Entries crossrun does not pass yet, and why ("<case>.<flavour>" or "<case>.*"). They run as
 *  it.fails, so one that starts passing fails the suite until its line here is removed. */
const PENDING: Record<string, string> = {
};

function pendingReason(entry: ManifestEntry): string | null {
  if (RUNNER !== 'crossrun') return null;
  return PENDING[entry.name] ?? PENDING[`${entry.case}.*`] ?? null;
}

function skipReason(entry: ManifestEntry): string | null {
  if (RUNNER === 'qemu' && !hasQemu()) return 'qemu-riscv64 is not installed';
  if (entry.needs.includes('sysroot') && !hasSysroot()) return `needs the riscv64 sysroot ${SYSROOT}`;
  return null;
}

const entries = loadManifest().entries;

describe(`fixture programs (${RUNNER})`, () => {
  it('the manifest covers every program in all three flavours', () => {
    const flavours = new Map<string, Set<string>>();
    for (const e of entries) flavours.set(e.program, (flavours.get(e.program) ?? new Set()).add(e.flavour));
    expect(flavours.size).toBeGreaterThanOrEqual(10);
    for (const [program, set] of flavours) expect([...set].sort(), program).toEqual(['dynamic', 'static', 'static-pie']);
  });

  it('the committed binaries are the ones whose results were recorded', () => {
    const stale = entries.filter(
      (e) => createHash('sha256').update(readFileSync(fixturePath(e.binary))).digest('hex') !== e.sha256,
    );
    expect(stale.map((e) => e.name), 'rebuilt without re-running fixtures/record-expected.mjs').toEqual([]);
  });

  for (const tier of TIERS) for (const entry of entries) {
    const reason = skipReason(entry);
    const want = entry.signal !== null ? `signal ${entry.signal}` : `exit ${entry.exitCode}`;
    if (reason !== null) {
      it.skip(`${entry.name}${tier === '-' ? '' : ` [${tier}]`} → ${want} (skipped: ${reason})`, () => {});
      continue;
    }
    const pending = pendingReason(entry);
    const test = pending === null ? it : it.fails;
    const on = tier === '-' ? '' : ` [${tier}]`;
    test(`${entry.name}${on} → ${want}${pending === null ? '' : ` (pending: ${pending})`}`, async () => {
      const actual = tier === '-' ? runQemu(entry) : await runCrossrun(entry, tier);
      const diffs = compareResult(loadExpected(entry), actual);
      expect(diffs.join('\n')).toBe('');
    }, TIMEOUT_MS);
  }
});
