// FP register access and status for the scalar FP and SIMD lifters: scalars live in the low bits
// of a vector register and writing one zeroes the rest of it; FP exception flags accrue into
// FPFLAGS; the dynamic rounding mode comes from FPRM (FPCR.RMode, already in IR encoding).
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, Rm, RmArg, Temp } from '../../jit/ir.js';
import { FpFlag } from '../../jit/ir.js';
import { c32, c64 } from './lift-util.js';
import { FPFLAGS, FPMODE, FPRM, vhi, vlo } from './regs.js';

/** A scalar of fmt from register n (f32: i32 bits, f64: i64 bits). */
export function rF(b: BlockBuilder, fmt: FloatFmt, n: number): Temp {
  return b.get(fmt === 'f32' ? 'i32' : 'i64', vlo(n));
}
/** Write a scalar (i32 or i64 bits) to register n, zeroing the rest of the 128 bits. */
export function wF(b: BlockBuilder, n: number, v: Temp): void {
  b.set(vlo(n), v);
  b.set(vhi(n), c64(b, 0));
}
export function accrue(b: BlockBuilder, flags: Temp | undefined): void {
  if (flags === undefined) return;
  b.set(FPFLAGS, b.bin('or', b.get('i32', FPFLAGS), flags));
}
export function fpcrRm(b: BlockBuilder): RmArg {
  return { dyn: b.get('i32', FPRM) };
}
/** FPCR's FZ/DN as FpMode bits (i32; 0 in the default mode), for fcmp. */
export function fpMode(b: BlockBuilder): Temp {
  return b.get('i32', FPMODE);
}
/** A rounding mode the instruction fixes, with FPCR's FZ/DN for the library: FP ops that name
 *  their own rounding still flush subnormals and make default NaNs. */
export function fixedRm(b: BlockBuilder, rm: Rm): RmArg {
  return { dyn: b.bin('or', fpMode(b), c32(b, rm)) };
}
/** An rm that is `fpcr` (FPCR's) or fixed. */
export function rmOf(b: BlockBuilder, rm: RmArg | 'fpcr'): RmArg {
  if (rm === 'fpcr') return fpcrRm(b);
  return 'static' in rm ? fixedRm(b, rm.static) : rm;
}
export function signMask(b: BlockBuilder, fmt: FloatFmt): Temp {
  return fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n);
}
export function absMask(b: BlockBuilder, fmt: FloatFmt): Temp {
  return fmt === 'f32' ? c32(b, 0x7fffffff) : c64(b, (1n << 63n) - 1n);
}
export const fneg = (b: BlockBuilder, fmt: FloatFmt, v: Temp): Temp => b.bin('xor', v, signMask(b, fmt));

/** VFPExpandImm: the 8-bit FMOV immediate as f32/f64 bits. */
export function expandFpImm(imm8: number, fmt: FloatFmt): bigint {
  const sign = BigInt(imm8 >> 7);
  const b6 = (imm8 >> 6) & 1;
  const e = fmt === 'f32' ? 8 : 11;
  const f = fmt === 'f32' ? 23 : 52;
  let exp = BigInt(b6 ^ 1);
  for (let i = 0; i < e - 3; i++) exp = (exp << 1n) | BigInt(b6);
  exp = (exp << 2n) | BigInt((imm8 >> 4) & 3);
  const frac = BigInt(imm8 & 15) << BigInt(f - 4);
  return (sign << BigInt(e + f)) | (exp << BigInt(f)) | frac;
}
/** objdump's "%.18e" spelling of an FP immediate. */
export function fpImmText(bitsV: bigint, fmt: FloatFmt): string {
  const buf = Buffer.alloc(8);
  let v: number;
  if (fmt === 'f32') {
    buf.writeUInt32LE(Number(bitsV));
    v = buf.readFloatLE(0);
  } else {
    buf.writeBigUInt64LE(bitsV);
    v = buf.readDoubleLE(0);
  }
  const [m, ex] = v.toExponential(18).split('e');
  const n = Number(ex);
  return `#${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** Round to an integral value in the same format with rounding mode rm (FRINT*): through a
 *  same-width integer for magnitudes below 2^mantissa (larger ones, ∞ and NaN are already
 *  integral; NaNs are quieted with NV for a signalling one); zero results keep the sign.
 *  Returns the result and the flags (NX only if `exact` is false… i.e. FRINTX wants it). */
export function roundIntegral(b: BlockBuilder, fmt: FloatFmt, x: Temp, rm: RmArg, raiseInexact: boolean): [Temp, Temp] {
  const is32 = fmt === 'f32';
  const k = (v: bigint) => (is32 ? c32(b, Number(v)) : c64(b, v));
  const mag = b.bin('and', x, absMask(b, fmt));
  const big = b.bin('leu', k(is32 ? 0x4b000000n : 0x4330000000000000n), mag); // |x| ≥ 2^23 / 2^52
  const nan = b.bin('ltu', k(is32 ? 0x7f800000n : 0x7ff0000000000000n), mag);
  const ty = is32 ? 'i32' : 'i64';
  const [i, f2iFlags] = b.f2i(fmt, ty, true, x, rm);
  const [r0] = b.i2f(fmt, true, i, { static: 0 }, false);
  const r = b.bin('or', r0, b.bin('and', x, signMask(b, fmt)));
  const [q, qFlags] = b.fbin('add', fmt, x, x, 'dyn' in rm ? rm : { static: 0 }); // DN: the default NaN
  const res = b.select(nan, q, b.select(big, x, r));
  const zero = c32(b, 0);
  // FZ: a subnormal operand raised ID in the conversion (and became a zero).
  const cvtFlags = raiseInexact ? f2iFlags! : b.bin('and', f2iFlags!, c32(b, FpFlag.ID));
  const flags = b.select(nan, qFlags!, b.select(big, zero, cvtFlags));
  return [res, flags];
}
