// fixtures/proc-unit: a static riscv64 and aarch64 build of procunit.c run through crossrun must
// print what the same source printed natively (fixtures/proc-unit/expected.txt, recorded by
// build.sh): /proc/self/status, stat and statm, system files, timerfd with epoll and a blocking
// read, ioctls on non-terminals.
import { readFileSync } from 'node:fs';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { run } from '../src/index.js';
import { memVfs } from '../syscalls/vfs.js';

const DIR = new URL('../fixtures/proc-unit/', import.meta.url);

async function runGuest(arch: string, args: string[]): Promise<{ out: string; code: number | undefined }> {
  const vol = new Volume();
  vol.mkdirSync('/tmp', { recursive: true });
  vol.writeFileSync('/procunit', readFileSync(new URL(`${arch}/procunit`, DIR)), { mode: 0o755 });
  const out: Buffer[] = [];
  const r = await run({
    argv: ['/procunit', ...args], env: [], fs: memVfs(vol), stdin: new Uint8Array(),
    stdout: (b) => void out.push(Buffer.from(b)), stderr: (b) => void out.push(Buffer.from(b)),
  });
  return { out: Buffer.concat(out).toString(), code: r.exitCode };
}

describe.each(['riscv64', 'aarch64'])('%s procunit', (arch) => {
  it('prints what the native build printed', async () => {
    const expected = readFileSync(new URL('expected.txt', DIR), 'utf8');
    const { out, code } = await runGuest(arch, []);
    expect(out).toBe(expected);
    expect(code).toBe(0);
  }, 60_000);
});

describe.each([riscv64, aarch64])('$name procunit cpuinfo', (arch) => {
  it('lists the CPUs and exactly the advertised extensions', async () => {
    const { out, code } = await runGuest(arch.name, ['cpuinfo']);
    // the ISA line of the formatter's first entry, for what the ISA advertises
    const line = (arch.cpuinfo?.(1, arch.hwcap, arch.hwcap2) ?? '').split('\n').find((l) => /^(isa|Features)\t/.test(l)) ?? '?';
    expect(out).toBe(`processors: yes\n${line.replace(/\t+: ?/, ': ')}\n`);
    if (arch.name === 'riscv64') expect(out).toContain('isa: rv64imafdc\n');
    else expect(out).toMatch(/^processors: yes\nFeatures: fp asimd( [a-z0-9]+)*\n$/);
    expect(code).toBe(0);
  }, 60_000);
});
