// The region tier inside the engine: it takes over hot code, and code changes (mprotect over code,
// fence.i after a store into it) drop its translations so the new code runs. The guest is a small
// RV64 program encoded here; it exits with a sum that tells which code ran.
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { memVfs } from '../syscalls/vfs.js';
import { parseArgs } from '../src/cli/parse-args.js';
import { jitMode } from '../src/jit/wasm/tier.js';
import { EF_RISCV_RVC_DOUBLE, EM_RISCV, textStart, writeElf } from './difftest/elf-writer.js';

// The program is short: let tier 1 compile from the first hot block on, so that its regions do
// run before the code changes.
process.env.CROSSRUN_JIT_START ??= '0';
process.env.CROSSRUN_JIT_WARM ??= '32';

// ---- a few RV64I encodings
const R = { zero: 0, ra: 1, t0: 5, t1: 6, s0: 8, s1: 9, a0: 10, a1: 11, a2: 12, a7: 17 };
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) => (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const addi = (rd: number, rs1: number, imm: number) => I(imm, rs1, 0, rd, 0x13);
const add = (rd: number, rs1: number, rs2: number) => ((rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33) >>> 0;
const lui = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0;
const auipc = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0;
const sw = (rs2: number, rs1: number, off: number) => ((((off >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | ((off & 0x1f) << 7) | 0x23) >>> 0;
const jalr = (rd: number, rs1: number, imm: number) => I(imm, rs1, 0, rd, 0x67);
const bne = (rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const jal = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;
const ecall = 0x73;
const fenceI = 0x100f;

const TEXT = 0x10000;
const N = 2000; // fits addi's immediate

/** Calls F (li a0, 1; ret) N times summing a0, makes the text writable (mprotect), patches F to
 *  li a0, 2, runs fence.i, calls it N times again, and exits with the sum mod 256. */
function program(): Uint8Array {
  const at = textStart(TEXT);
  const code: number[] = [];
  const label: Record<string, number> = {};
  const here = () => at + 4 * code.length;
  const fix: (() => void)[] = [];
  const emit = (w: number | (() => number)) => {
    const i = code.length;
    if (typeof w === 'number') code.push(w);
    else {
      code.push(0);
      fix.push(() => (code[i] = w()));
    }
  };
  const rel = (name: string, from: number) => () => label[name] - from;
  emit(addi(R.s0, R.zero, 0));
  for (const pass of [1, 2]) {
    emit(lui(R.s1, 0));
    emit(addi(R.s1, R.s1, N));
    label[`loop${pass}`] = here();
    { const p = here(); emit(() => jal(R.ra, rel('F', p)())); }
    emit(add(R.s0, R.s0, R.a0));
    emit(addi(R.s1, R.s1, -1));
    { const p = here(); emit(() => bne(R.s1, R.zero, rel(`loop${pass}`, p)())); }
    if (pass === 1) {
      // mprotect(page of text, 4096, RWX); *F = li a0, 2; fence.i
      emit(lui(R.a0, TEXT >> 12));
      emit(lui(R.a1, 1));
      emit(addi(R.a2, R.zero, 7));
      emit(addi(R.a7, R.zero, 226));
      emit(ecall);
      { const p = here(); emit(() => auipc(R.t0, 0)); emit(() => addi(R.t0, R.t0, label.F - p)); }
      const li2 = addi(R.a0, R.zero, 2);
      emit(lui(R.t1, ((li2 + 0x800) >>> 12) & 0xfffff));
      emit(addi(R.t1, R.t1, ((li2 & 0xfff) << 20) >> 20));
      emit(sw(R.t1, R.t0, 0));
      emit(fenceI);
    }
  }
  emit(addi(R.a0, R.s0, 0));
  emit(addi(R.a7, R.zero, 93));
  emit(ecall);
  label.F = here();
  emit(addi(R.a0, R.zero, 1));
  emit(jalr(R.zero, R.ra, 0));
  for (const f of fix) f();
  const bytes = new Uint8Array(new Uint32Array(code).buffer);
  return writeElf({ machine: EM_RISCV, flags: EF_RISCV_RVC_DOUBLE, entry: at, text: { vaddr: at, bytes }, data: { vaddr: 0x400000, bytes: new Uint8Array(8) } });
}

describe('the region tier in the engine', () => {
  const elf = program();
  const exitCode = async (jit: 'interp' | 'wasm') =>
    (await run({ argv: ['/p'], env: [], fs: memVfs({ '/p': elf }), jit, stdout: () => {}, stderr: () => {} })).exitCode;

  it('runs new code after the program rewrites code it ran hot (mprotect over code, fence.i)', async () => {
    const want = (N * 1 + N * 2) & 0xff; // stale code would give (2·N) & 0xff
    expect(await exitCode('interp')).toBe(want);
    expect(await exitCode('wasm')).toBe(want);
  });

  it('takes --jit and $CROSSRUN_JIT; the option wins', () => {
    expect(parseArgs(['--jit', 'interp', 'p'], {}).jit).toBe('interp');
    expect(parseArgs(['-jit=off', 'p'], {}).jit).toBe('off');
    expect(parseArgs(['p'], { CROSSRUN_JIT: 'interp' }).jit).toBe('interp');
    expect(parseArgs(['--jit', 'wasm', 'p'], { CROSSRUN_JIT: 'interp' }).jit).toBe('wasm');
    expect(() => parseArgs(['--jit', 'fast', 'p'], {})).toThrow(/invalid --jit mode/);
    expect(jitMode('interp')).toBe('interp');
    expect(() => jitMode('fast')).toThrow(/unknown --jit mode/);
  });
});
