// FpMode bits (ir.ts) carried in the rounding-mode argument: ARM FPCR.FZ (flush subnormal operands
// with ID, tiny results with UF only) and FPCR.DN (default NaN results). Values checked against
// the ARM ARM pseudocode (FPUnpack, FPRound, FPProcessNaN); qemu agreement is the difftest's job.
import { describe, expect, it } from 'vitest';
import { armFpEnv } from '../src/arch/aarch64/index.js';
import { Fpu } from '../src/jit/fpu.js';
import { FpFlag, FpMode, Rm } from '../src/jit/ir.js';

const FZ = FpMode.FZ;
const DN = FpMode.DN;

describe.each([true, false])('FPU modes (fast paths %s)', (fastPaths) => {
  const fpu = new Fpu(armFpEnv, { fastPaths });

  it('leaves the default mode alone', () => {
    expect(fpu.fbin32('add', 0x00000001, 0, Rm.RNE)).toBe(1);
    expect(fpu.flags).toBe(0);
  });

  it('FZ flushes subnormal operands to signed zeros with ID', () => {
    expect(fpu.fbin32('add', 0x80000001, 0x80000000, Rm.RNE | FZ)).toBe(0x80000000 | 0);
    expect(fpu.flags).toBe(FpFlag.ID);
    expect(fpu.fbin64('mul', 0x000fffffffffffffn, 0x4000000000000000n, Rm.RNE | FZ)).toBe(0n);
    expect(fpu.flags).toBe(FpFlag.ID);
    expect(fpu.fcmp32('eq', false, 0x00000001, 0, FZ)).toBe(1);
    expect(fpu.flags).toBe(FpFlag.ID);
    expect(fpu.f2i('f64', 0x0000000000000001n, 'i32', true, Rm.RUP | FZ)).toBe(0);
    expect(fpu.flags).toBe(FpFlag.ID);
  });

  it('FZ flushes tiny results with UF and without NX', () => {
    // 2^-126 · 0.5 = 2^-127: subnormal, exact
    expect(fpu.fbin32('mul', 0x00800000, 0x3f000000, Rm.RNE | FZ)).toBe(0);
    expect(fpu.flags).toBe(FpFlag.UF);
    // rounds up to the smallest normal but is tiny before rounding: still flushed
    const justBelow = 0x3f7fffff; // 1 - 2^-24
    expect(fpu.fbin32('mul', 0x00800000 | 0x80000000, justBelow, Rm.RNE | FZ)).toBe(0x80000000 | 0);
    expect(fpu.flags).toBe(FpFlag.UF);
    // the smallest normal itself is kept
    expect(fpu.fbin32('mul', 0x00800000, 0x3f800000, Rm.RNE | FZ)).toBe(0x00800000);
    expect(fpu.flags).toBe(0);
    // narrowing conversion
    expect(fpu.f2f('f64', 'f32', 0x3800000000000000n, Rm.RNE | FZ)).toBe(0); // 2^-127
    expect(fpu.flags).toBe(FpFlag.UF);
  });

  it('DN makes NaN results the default NaN', () => {
    expect(fpu.fbin32('add', 0x7f800001, 0x3f800000, Rm.RNE | DN)).toBe(0x7fc00000);
    expect(fpu.flags).toBe(FpFlag.NV);
    expect(fpu.fbin64('add', 0xfff8000000000123n, 0n, Rm.RTZ | DN)).toBe(0x7ff8000000000000n);
    expect(fpu.flags).toBe(0);
    expect(fpu.f2f('f32', 'f64', 0xffc00001, Rm.RNE | DN)).toBe(0x7ff8000000000000n);
    // without DN the payload propagates
    expect(fpu.fbin64('add', 0xfff8000000000123n, 0n, Rm.RTZ)).toBe(0xfff8000000000123n);
  });

  it('i2f ignores mode bits', () => {
    expect(fpu.i2f('f32', 3, 'i32', true, Rm.RNE | FZ | DN)).toBe(0x40400000);
  });
});
