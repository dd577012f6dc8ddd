// The command line with the real engine: tiny hand-assembled RISC-V programs, run through main().
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.js';
import { run as runProgram } from '../src/index.js';
import { parseElf } from '../src/elf/parse.js';
import { buildElf } from './elf-helpers.js';

// RV64I encodings
const addi = (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
const ECALL = 0x73;
const SD_ZERO_TO_NULL = 0x00003023; // sd zero, 0(zero)
const A0 = 10;
const A7 = 17;
const SYS_EXIT = 93;

const dir = mkdtempSync(join(tmpdir(), 'crossrun-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, words: number[], opts: { interp?: string } = {}): string {
  const code = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(code.buffer).setUint32(i * 4, w >>> 0, true));
  const p = join(dir, name);
  writeFileSync(p, buildElf({ entry: 0x11000, segments: [{ vaddr: 0x11000, data: code, flags: 5 }], interp: opts.interp }));
  chmodSync(p, 0o755);
  return p;
}

async function run(argv: string[]) {
  const s = { code: -1, out: '', err: '', killed: [] as number[] };
  const io: CliIo = {
    out: (t) => void (s.out += t),
    err: (t) => void (s.err += t),
    env: { PATH: '/usr/bin' },
    killSelf: (sig) => void s.killed.push(sig),
  };
  s.code = await main(argv, io);
  return s;
}

describe('crossrun with the engine', () => {
  it('exit status is the guest’s exit code', async () => {
    const p = program('exit42', [addi(A0, 0, 42), addi(A7, 0, SYS_EXIT), ECALL]);
    expect(await run([p])).toMatchObject({ code: 42, err: '', killed: [] });
  });

  it('a guest killed by SIGSEGV: the message with the pc, then our own SIGSEGV', async () => {
    const p = program('segv', [addi(A0, 0, 1), SD_ZERO_TO_NULL, ECALL]);
    const s = await run([p]);
    expect(s.err).toBe('crossrun: uncaught target signal 11 (Segmentation fault) - core dumped (guest pc 0x11004)\n');
    expect(s.killed).toEqual([11]);
    expect(s.code).toBe(139);
  });

  it('run() takes the program the CLI read and parsed, and does not read its file again', async () => {
    const p = program('exit7', [addi(A0, 0, 7), addi(A7, 0, SYS_EXIT), ECALL]);
    const elf = parseElf(readFileSync(p), p);
    rmSync(p);
    const opts = { argv: [p], env: [], stdout: () => {}, stderr: () => {}, jit: 'off' as const };
    expect(await runProgram({ ...opts, program: { path: p, elf } })).toMatchObject({ exitCode: 7 });
    // another path than argv[0]'s: read as usual (and gone)
    await expect(runProgram({ ...opts, program: { path: `${p}.other`, elf } })).rejects.toThrow(/No such file/);
  });

  it('a dynamically linked program without -L: one line naming the interpreter and the fix', async () => {
    const p = program('dyn', [ECALL], { interp: '/no/such/ld-linux-riscv64-lp64d.so.1' });
    const s = await run([p]);
    expect(s.code).toBe(1);
    expect(s.err).toBe(
      "crossrun: Could not open '/no/such/ld-linux-riscv64-lp64d.so.1': No such file or directory — this is a dynamically linked RISC-V 64-bit program; pass -L <sysroot> (e.g. -L /usr/riscv64-linux-gnu) or set QEMU_LD_PREFIX\n",
    );
  });
});
