// The contract between backends and the FPU library (src/jit/fpu.ts). Values are bit patterns:
// 32-bit formats and i32 integers as JS numbers (any int32/uint32 representation accepted, results
// returned as signed int32, `x | 0`), 64-bit ones as unsigned bigint in [0, 2^64).
import type { FloatFmt, IntTy, Rm } from './ir.js';

/** How an ISA's FP unit differs from plain IEEE 754 in what it leaves open. */
export interface FpEnv {
  /** Default NaN bit patterns. RISC-V: 0x7fc00000 / 0x7ff8000000000000. */
  readonly defaultNaN32: number;
  readonly defaultNaN64: bigint;
  /** false: every NaN result is the default NaN (RISC-V). true: the first signalling NaN operand
   *  quieted, else the first quiet NaN operand (ARM with FPCR.DN = 0). */
  readonly propagateNaN: boolean;
  /** Tininess for UF: detected before rounding (ARM) or after rounding (RISC-V). */
  readonly tininessBeforeRounding: boolean;
  /** Float → int of a NaN: 'max' gives the largest positive value (RISC-V), 'zero' gives 0 (ARM). */
  readonly nanToInt: 'max' | 'zero';
}

export type FbinFn = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'minnum' | 'maxnum';
export type FcmpFn = 'eq' | 'lt' | 'le' | 'unord';

/** Every op sets `flags` to the FpFlag bits it raised (overwrites, never accrues). */
export interface FpuOps {
  flags: number;
  fbin32(fn: FbinFn, a: number, b: number, rm: Rm): number;
  fbin64(fn: FbinFn, a: bigint, b: bigint, rm: Rm): bigint;
  fsqrt32(a: number, rm: Rm): number;
  fsqrt64(a: bigint, rm: Rm): bigint;
  ffma32(a: number, b: number, c: number, rm: Rm): number;
  ffma64(a: bigint, b: bigint, c: bigint, rm: Rm): bigint;
  /** mode: FpMode bits (FZ flushes the operands). Every op's Rm argument may carry them too. */
  fcmp32(fn: FcmpFn, signaling: boolean, a: number, b: number, mode?: number): number;
  fcmp64(fn: FcmpFn, signaling: boolean, a: bigint, b: bigint, mode?: number): number;
  /** Float → integer of type ty: i32 result as a signed int32 number, i64 as unsigned bigint. */
  f2i(from: FloatFmt, a: number | bigint, ty: IntTy, signed: boolean, rm: Rm): number | bigint;
  /** Integer (i32 as number, i64 as bigint) → float bits. */
  i2f(to: FloatFmt, a: number | bigint, from: IntTy, signed: boolean, rm: Rm): number | bigint;
  f2f(from: FloatFmt, to: FloatFmt, a: number | bigint, rm: Rm): number | bigint;
  fclass32(a: number): number;
  fclass64(a: bigint): number;
}
