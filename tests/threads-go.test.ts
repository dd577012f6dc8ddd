// Go programs (fixtures/go: built with Debian's golang-go, CGO_ENABLED=0, for riscv64 and arm64;
// expected results recorded under qemu-user by fixtures/go/record-expected.mjs) run through the
// library API under both tiers and must print what they printed under qemu. The Go runtime is a
// thorough test of threads and signals: it starts its Ms with clone, parks them on futexes,
// sleeps in epoll_pwait, keeps a signal stack per thread, and preempts goroutines with SIGURG
// sent by tgkill, editing the signal frame's registers to divert the thread.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { goPath, loadGoManifest, normalizeGoOutput, type GoEntry, type GoResult } from '../fixtures/go/go-fixtures.mjs';
import { compareResult } from '../fixtures/scripts/fixture-run.mjs';

const TIMEOUT_MS = 180_000;
// Tier 1 as a real run uses it (hot regions only): eager compilation of everything reachable
// from the Go runtime's hot blocks costs far more than these programs run.

async function runCrossrun(entry: GoEntry, jit: 'interp' | 'wasm'): Promise<GoResult> {
  const { run } = await import('../src/index.js');
  const { memVfs } = await import('../syscalls/vfs.js');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const vol = new Volume();
  vol.mkdirSync('/tmp', { recursive: true });
  vol.writeFileSync(entry.argv0, readFileSync(goPath(entry.binary)), { mode: 0o755 });
  const result = await run({
    argv: [entry.argv0, ...entry.args], env: [], fs: memVfs(vol), jit, stdin: new Uint8Array(0),
    stdout: (b) => void out.push(Buffer.from(b)),
    stderr: (b) => void err.push(Buffer.from(b)),
  });
  return {
    stdout: normalizeGoOutput(Buffer.concat(out)),
    stderr: normalizeGoOutput(Buffer.concat(err)),
    exitCode: result.signal === undefined ? result.exitCode : null,
    signal: result.signal ?? null,
  };
}

const entries = loadGoManifest().entries;

describe('Go programs', () => {
  it('the committed binaries are the ones whose results were recorded', () => {
    const stale = entries.filter((e) => createHash('sha256').update(readFileSync(goPath(e.binary))).digest('hex') !== e.sha256);
    expect(stale.map((e) => e.name), 'rebuilt without re-running fixtures/go/record-expected.mjs').toEqual([]);
    expect(new Set(entries.map((e) => e.arch))).toEqual(new Set(['riscv64', 'arm64']));
  });

  for (const jit of ['interp', 'wasm'] as const) {
    for (const entry of entries) {
      it(`${entry.name} [${jit}] → exit ${entry.exitCode}`, async () => {
        const expected = {
          stdout: readFileSync(goPath(entry.stdout)),
          stderr: readFileSync(goPath(entry.stderr)),
          exitCode: entry.exitCode,
          signal: entry.signal,
        };
        const diffs = compareResult(expected, await runCrossrun(entry, jit));
        expect(diffs.join('\n')).toBe('');
      }, TIMEOUT_MS);
    }
  }
});
