// bin/crossrun.js as a shell runs it: the bundle, the exit status, death by the guest's signal.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElf } from './elf-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/crossrun.js');
const dir = mkdtempSync(join(tmpdir(), 'crossrun-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Build the bundle from the current sources (bin/ would only build it if missing).
beforeAll(() => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 60_000);

function program(name: string, words: number[]): string {
  const code = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(code.buffer).setUint32(i * 4, w >>> 0, true));
  const p = join(dir, name);
  writeFileSync(p, buildElf({ entry: 0x11000, segments: [{ vaddr: 0x11000, data: code, flags: 5 }] }));
  chmodSync(p, 0o755);
  return p;
}
// (Translation stores go under dir, not ~/.cache.)
const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), ...env } });
const crossrun = (...args: string[]) => run({}, ...args);

describe('bin/crossrun.js', () => {
  it('-version', () => {
    const r = crossrun('-version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^crossrun version \d+\.\d+\.\d+ \(qemu-user compatible\)\n$/);
  });

  it('exits with the guest’s exit code', () => {
    // li a0, 7; li a7, 93 (exit); ecall
    const r = crossrun(program('exit7', [0x00700513, 0x05d00893, 0x73]));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(7);
  });

  it('dies by the guest’s signal, after one line', () => {
    // sd zero, 0(zero)
    const r = crossrun(program('segv', [0x00003023]));
    expect(r.stderr).toBe('crossrun: uncaught target signal 11 (Segmentation fault) - core dumped (guest pc 0x11000)\n');
    expect(r.signal).toBe('SIGSEGV');
  });

  it('keeps the translated blocks of a program that dies by a signal', () => {
    // li a0, 1; li a7, 93; beqz zero, +8 (over the exit); sd zero, 0(zero)
    const p = program('segv-kept', [0x00100513, 0x05d00893, 0x00000463, 0x73, 0x00003023]);
    const env = { XDG_CACHE_HOME: join(dir, 'store-segv'), CROSSRUN_JIT_STATS: '1' };
    const stats = (stderr: string) => JSON.parse(/translation store (\{.*\})/.exec(stderr)?.[1] ?? 'null');
    // noted, stored, then taken from the store, as for a program that exits
    for (let i = 0; i < 2; i++) expect(run(env, p).signal).toBe('SIGSEGV');
    const third = run(env, p);
    expect(third.signal).toBe('SIGSEGV');
    expect(third.stderr).toContain('uncaught target signal 11 (Segmentation fault)');
    expect(stats(third.stderr)).toMatchObject({ lifted: 0, misses: 0 });
  });

  it('argument errors: one line, status 1', () => {
    const r = crossrun('-nosuchoption');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("crossrun: unknown option 'nosuchoption' (crossrun -h lists the options)\n");
  });

  it('runs under node --no-deprecation (process.noDeprecation is read-only then)', () => {
    // li a0, 7; li a7, 93 (exit); ecall
    const r = run({ NODE_OPTIONS: '--no-deprecation' }, program('exit7nd', [0x00700513, 0x05d00893, 0x73]));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(7);
  });

  it('says in one line that it needs WebAssembly under node --jitless', () => {
    const r = run({ NODE_OPTIONS: '--jitless' }, program('exit7j', [0x00700513, 0x05d00893, 0x73]));
    // (V8 itself warns first that --jitless turns WebAssembly off)
    expect(r.stderr.split('\n').filter((l) => l.startsWith('crossrun'))).toEqual([
      'crossrun: this Node.js has no WebAssembly (started with --jitless? check NODE_OPTIONS); crossrun needs it to run programs',
    ]);
    expect(r.status).toBe(1);
    expect(run({ NODE_OPTIONS: '--jitless' }, '-version').status).toBe(0);
  });

  it('keeps translated blocks between runs of a program, unless CROSSRUN_NO_CODE_CACHE=1', () => {
    const hello = join(root, 'fixtures/riscv64/hello');
    const cache = join(dir, 'store');
    const env = { XDG_CACHE_HOME: cache, CROSSRUN_JIT_STATS: '1' };
    const stats = (stderr: string) => JSON.parse(/translation store (\{.*\})/.exec(stderr)?.[1] ?? 'null');
    // The first run notes the program, the second stores its blocks, the third takes them.
    const noted = run(env, hello);
    expect(noted.stdout).toBe('Hello, world!\n');
    expect(stats(noted.stderr)).toMatchObject({ hits: 0, stale: 0, saved: 0 });
    expect(readdirSync(join(cache, 'crossrun', 'blocks'))).toHaveLength(1);
    const first = run(env, hello);
    expect(first.stdout).toBe('Hello, world!\n');
    expect(stats(first.stderr)).toMatchObject({ hits: 0, stale: 0 });
    expect(stats(first.stderr).saved).toBe(stats(first.stderr).lifted);
    const second = run(env, hello);
    expect(second.stdout).toBe(first.stdout);
    expect(second.status).toBe(0);
    const s = stats(second.stderr);
    expect(s).toMatchObject({ misses: 0, stale: 0, lifted: 0 });
    expect(s.hits + s.arena).toBe(stats(first.stderr).lifted); // (hello's blocks all run in the block arena)
    expect(s.arena).toBeGreaterThan(0);

    // A run that takes every block from the store loads the lifter only to disassemble.
    const logged = run(env, '-d', 'in_asm', hello);
    expect(logged.stdout).toBe('Hello, world!\n');
    expect(logged.stderr).toMatch(/^0x0000000000010[0-9a-f]{3}: {2}[0-9a-f]{4,8} +\S/m);

    const off = join(dir, 'store-off');
    const r = run({ ...env, XDG_CACHE_HOME: off, CROSSRUN_NO_CODE_CACHE: '1' }, hello);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(existsSync(off)).toBe(false);
  });

  // AArch64's crypto instructions call helpers that the lifter's part of the bundle defines; a
  // run whose blocks all come from the store lifts nothing, and every such run of a Go program
  // (its runtime hashes with AES) died with "Cannot read properties of undefined (reading 'fn')".
  it('runs a program whose stored blocks call crypto helpers, when it lifts nothing', () => {
    const go = join(root, 'fixtures/go/arm64/goroutines');
    const want = readFileSync(join(root, 'fixtures/go/expected/arm64/goroutines.stdout'), 'utf8');
    const env = { XDG_CACHE_HOME: join(dir, 'store-go'), CROSSRUN_JIT_STATS: '1' };
    for (let i = 0; i < 3; i++) {
      const r = run(env, go);
      expect(r.stderr).not.toContain('internal error');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(want);
    }
  }, 60_000);

  // ld.so and libc sit at the same addresses in every dynamically linked program: their blocks
  // have stores of their own, which the first run of another program takes blocks from.
  const sysroot = '/usr/aarch64-linux-gnu';
  it.skipIf(!existsSync(join(sysroot, 'lib')))('takes library blocks stored by another program', () => {
    const env = { XDG_CACHE_HOME: join(dir, 'libstore'), CROSSRUN_JIT_STATS: '1' };
    const stores = (stderr: string) => [...stderr.matchAll(/translation store (\{.*\})/g)].map((m) => JSON.parse(m[1]));
    const hello = join(root, 'fixtures/aarch64/hello.dynamic');
    for (let i = 0; i < 2; i++) expect(run(env, '-L', sysroot, hello).stdout).toBe('Hello, world!\n');
    const other = run(env, '-L', sysroot, join(root, 'fixtures/aarch64/fileio.dynamic'));
    expect(other.status).toBe(0);
    const s = stores(other.stderr);
    expect(s.length).toBeGreaterThanOrEqual(3); // the program's, ld.so's, libc's
    // its own blocks are new; ld.so's (relocating, much the same in every program) are nearly all
    // there, and run in tier 0's block arena (the program's own store has no blocks yet)
    expect(Math.max(...s.map((x) => x.arena))).toBeGreaterThan(1000);
    expect(s.some((x) => x.hits + x.arena === 0 && x.lifted > 0)).toBe(true);
  });

  // The bundle carries the wasm modules scripts/build.mjs made (tier 0's evaluator, the region
  // tier's dispatcher and trampoline): a program with hot loops runs through all three.
  for (const isa of ['riscv64', 'aarch64']) {
    it(`runs ${isa} hot code through the bundle's prebuilt wasm`, () => {
      const r = run({ CROSSRUN_JIT_STATS: '1' }, join(root, 'fixtures', isa, 'intmath'));
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(readFileSync(join(root, 'fixtures', isa, 'expected', 'intmath.static.stdout'), 'utf8'));
      expect(JSON.parse(/tier 1 (\{.*?\});/.exec(r.stderr)?.[1] ?? 'null')?.regions).toBeGreaterThan(0);
    });
  }
});
