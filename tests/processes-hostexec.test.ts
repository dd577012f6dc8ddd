// Host programs a guest execs (src/engine/host-exec.ts): spawned by the host I/O worker with the
// guest's fds, streamed both ways while the guest process tree runs on. The guest side is
// fixtures/hostexec-unit/hostexec.c (built static for riscv64 and aarch64 by its build.sh, which
// records the expected output by running the same source natively: qemu-user cannot exec a
// foreign child). Its output carries no pids, so it must match the native run byte for byte.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.js';

const DIR = resolve('fixtures/hostexec-unit');
const ARCHES = ['riscv64', 'aarch64'] as const;
const TIMEOUT_MS = 60_000;
const ENV = [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`];

async function hostexec(arch: string, c: string, stdin = new Uint8Array(0)): Promise<{ stdout: string; exitCode: number; ms: number }> {
  const out: Buffer[] = [];
  const t0 = performance.now();
  const r = await run({
    argv: [join(DIR, `hostexec.${arch}`), c], env: ENV, jit: 'wasm', stdin,
    stdout: (b) => void out.push(Buffer.from(b)),
    stderr: (b) => void out.push(Buffer.from(b)),
  });
  return { stdout: Buffer.concat(out).toString(), exitCode: r.exitCode, ms: performance.now() - t0 };
}

const expected = (name: string): string => readFileSync(join(DIR, 'expected', `${name}.txt`), 'utf8');

describe.each(ARCHES)('host programs exec\'d on %s', (arch) => {
  it('popen(..., "w") of 300 000 bytes into a host wc -c whose count comes back on an inherited guest pipe; 200 000 bytes out of popen(..., "r")', async () => {
    const r = await hostexec(arch, 'popen-wc');
    expect(r.stdout).toBe(expected('popen-wc'));
    expect(r.exitCode).toBe(0);
  }, TIMEOUT_MS);

  it('a host tr between a guest writer and a guest reader (864 KiB through 64 KiB guest pipes)', async () => {
    const r = await hostexec(arch, 'pipeline');
    expect(r.stdout).toBe(expected('pipeline'));
  }, TIMEOUT_MS);

  it('an extra fd: a host sh writes to fd 5, a guest pipe', async () => {
    const r = await hostexec(arch, 'extra-fd');
    expect(r.stdout).toBe(expected('extra-fd'));
  }, TIMEOUT_MS);

  it('one end of a guest socketpair as a host shell\'s stdin and stdout', async () => {
    const r = await hostexec(arch, 'socketpair');
    expect(r.stdout).toBe(expected('socketpair'));
  }, TIMEOUT_MS);

  it('the guest process tree runs on while a host sleep 0.3 runs', async () => {
    const r = await hostexec(arch, 'concurrent');
    expect(r.stdout).toBe(expected('concurrent'));
  }, TIMEOUT_MS);

  it('back-pressure: a host program\'s output fills a guest pipe to 64 KiB and waits; input it does not read stops a non-blocking guest writer', async () => {
    const r = await hostexec(arch, 'backpressure');
    expect(r.stdout).toBe(expected('backpressure'));
  }, TIMEOUT_MS);

  it('exit codes, death by a host signal, kill() forwarded to the host program, exec errors', async () => {
    const r = await hostexec(arch, 'statuses');
    expect(r.stdout).toBe(expected('statuses'));
  }, TIMEOUT_MS);
});
