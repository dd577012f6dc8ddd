// Per-lane integer and FP operations shared by the Advanced SIMD lifters (vector and scalar
// forms, pairwise and across-lanes reductions). Lanes are i32 (8/16/32 bits, zero-extended) or
// i64 (64 bits); results may carry junk above esize — packing masks them.
import type { BlockBuilder } from '../../jit/builder.js';
import type { BinOp, FloatFmt, Temp } from '../../jit/ir.js';
import { accrue, fpMode, fpcrRm } from './fp-util.js';
import { flushIn } from './fp-estimate.js';
import { c32, c64 } from './lift-util.js';
import { FPSR } from './regs.js';
import { type Esize, laneZero, maskLane, sextLane } from './vec-util.js';

/** A two-operand lane op; `acc` is the destination lane (accumulating forms). */
export type LaneOp = (b: BlockBuilder, x: Temp, y: Temp, es: Esize, acc: Temp) => Temp;

const u = (b: BlockBuilder, v: Temp, es: Esize) => v; // lanes are kept zero-extended
const s = sextLane;
const cmp = (fn: BinOp, signed: boolean, swap: boolean): LaneOp => (b, x, y, es) => {
  const [l, r] = swap ? [y, x] : [x, y];
  return maskLane(b, b.bin(fn, signed ? s(b, l, es) : u(b, l, es), signed ? s(b, r, es) : u(b, r, es)), es);
};
const minmax = (max: boolean, signed: boolean): LaneOp => (b, x, y, es) => {
  const lt = b.bin(signed ? 'lts' : 'ltu', signed ? s(b, x, es) : x, signed ? s(b, y, es) : y);
  return max ? b.select(lt, y, x) : b.select(lt, x, y);
};
export function absDiff(b: BlockBuilder, x: Temp, y: Temp, es: Esize, signed: boolean): Temp {
  const xs = signed ? s(b, x, es) : x;
  const ys = signed ? s(b, y, es) : y;
  const lt = b.bin(signed ? 'lts' : 'ltu', xs, ys);
  return b.select(lt, b.bin('sub', ys, xs), b.bin('sub', xs, ys));
}

/** Set FPSR.QC if sat (i32 0/1). */
export function setQC(b: BlockBuilder, sat: Temp): void {
  b.set(FPSR, b.bin('or', b.get('i64', FPSR), b.bin('shl', b.extend(sat, false), c64(b, 27))));
}
/** Saturate a wide signed/unsigned value into esize bits (value in i64 for es 32/64… see callers). */
export function saturate(b: BlockBuilder, v: Temp, es: Esize, signed: boolean, inSigned = signed): Temp {
  // v is an i64 holding an exact (wider) result for es ≤ 32
  const lo = signed ? -(1n << BigInt(es - 1)) : 0n;
  const hi = signed ? (1n << BigInt(es - 1)) - 1n : (1n << BigInt(es)) - 1n;
  const loT = c64(b, lo);
  const hiT = c64(b, hi);
  const below = inSigned ? b.bin('lts', v, loT) : c32(b, 0);
  const above = inSigned ? b.bin('lts', hiT, v) : b.bin('ltu', hiT, v);
  setQC(b, b.bin('or', below, above));
  const r = b.select(below, loT, b.select(above, hiT, v));
  return es === 64 ? r : b.wrap(r);
}
/** Saturating add/sub. */
const satAddSub = (sub: boolean, signed: boolean): LaneOp => (b, x, y, es) => {
  if (es < 64) {
    const wx = b.extend(signed ? s(b, x, es) : x, signed);
    const wy = b.extend(signed ? s(b, y, es) : y, signed);
    return saturate(b, b.bin(sub ? 'sub' : 'add', wx, wy), es, signed, true); // the wide result is exact
  }
  const r = b.bin(sub ? 'sub' : 'add', x, y);
  let sat: Temp;
  let satVal: Temp;
  if (signed) {
    const ov = sub
      ? b.bin('lts', b.bin('and', b.bin('xor', x, y), b.bin('xor', x, r)), c64(b, 0))
      : b.bin('lts', b.bin('and', b.bin('xor', x, r), b.bin('xor', y, r)), c64(b, 0));
    sat = ov;
    // overflow direction follows x's sign
    satVal = b.select(b.bin('lts', x, c64(b, 0)), c64(b, 1n << 63n), c64(b, (1n << 63n) - 1n));
  } else {
    sat = sub ? b.bin('ltu', x, y) : b.bin('ltu', r, x);
    satVal = c64(b, sub ? 0 : -1);
  }
  setQC(b, sat);
  return b.select(sat, satVal, r);
};
/** SSHL/USHL: shift by the signed low byte of y; negative shifts right (rounding forms not here). */
const shiftByReg = (signed: boolean): LaneOp => (b, x, y, es) => {
  const wide = es === 64 ? 'i64' : 'i32';
  const n = b.sext(es === 64 ? y : y, 8); // signed shift amount
  const zero = wide === 'i64' ? c64(b, 0) : c32(b, 0);
  const xs = signed ? s(b, x, es) : x;
  const left = b.bin('shl', x, n);
  const neg = b.bin('sub', zero, n);
  const width = wide === 'i64' ? c64(b, es) : c32(b, es);
  const right = b.bin(signed ? 'shra' : 'shrl', xs, b.select(b.bin('lts', neg, width), neg, b.bin('sub', width, wide === 'i64' ? c64(b, 1) : c32(b, 1))));
  const isLeft = b.bin('les', zero, n);
  const leftOk = b.bin('lts', n, width);
  const leftRes = b.select(leftOk, left, zero);
  const rightRes = signed ? right : b.select(b.bin('lts', neg, width), right, zero);
  return b.select(isLeft, leftRes, rightRes);
};
const halving = (sub: boolean, round: boolean, signed: boolean): LaneOp => (b, x, y, es) => {
  if (es === 64) return laneZero(b, es); // not reachable: size 11 is reserved
  const wx = b.extend(signed ? s(b, x, es) : x, signed);
  const wy = b.extend(signed ? s(b, y, es) : y, signed);
  let r = b.bin(sub ? 'sub' : 'add', wx, wy);
  if (round) r = b.bin('add', r, c64(b, 1));
  return b.wrap(b.bin('shra', r, c64(b, 1)));
};

/** The shift-by-register family (ARM's SSHL … UQRSHL): shift x by the signed low byte of y,
 *  left for positive amounts, right for negative ones (rounded if `round`), the result saturated
 *  to the lane (setting QC) if `sat`, else truncated. Computed exactly in i64 for lanes ≤ 32 bits. */
export function shiftByRegister(b: BlockBuilder, x: Temp, y: Temp, es: Esize, signed: boolean, round: boolean, sat: boolean): Temp {
  const k = (v: number | bigint) => c64(b, v);
  const n = b.typeOf(y) === 'i64' ? b.sext(y, 8) : b.extend(b.sext(y, 8), true);
  const neg = b.bin('lts', n, k(0));
  const m = b.bin('sub', k(0), n); // right-shift amount when neg
  if (es < 64) {
    const wx = b.extend(signed ? s(b, x, es) : x, signed);
    const left = b.bin('shl', wx, b.select(b.bin('lts', n, k(32)), n, k(32)));
    const mc = b.select(b.bin('lts', m, k(63)), m, k(63));
    let right = b.bin(signed ? 'shra' : 'shrl', wx, mc);
    if (round) right = b.bin('add', right, b.bin('and', b.bin(signed ? 'shra' : 'shrl', wx, b.bin('sub', mc, k(1))), k(1)));
    const r = b.select(neg, right, left);
    return sat ? saturate(b, r, es, signed) : b.wrap(r);
  }
  // 64-bit lanes
  const big = b.bin('les', k(64), n);
  const left = b.select(big, k(0), b.bin('shl', x, n));
  const mc = b.select(b.bin('lts', m, k(64)), m, k(64));
  const sh = (v: Temp, amt: Temp) => b.select(b.bin('lts', amt, k(64)), b.bin(signed ? 'shra' : 'shrl', v, amt), signed ? b.bin('shra', v, k(63)) : k(0));
  let right = sh(x, mc);
  if (round) {
    let rb = b.bin('and', sh(x, b.bin('sub', mc, k(1))), k(1));
    // Past 64 the rounding constant 2^(m-1) exceeds any unsigned lane (m is clamped to 64, so
    // rb would read bit 63): the result is 0. (Signed: sh gives -1 or 0 and rb cancels it.)
    if (!signed) rb = b.select(b.bin('lts', k(64), m), k(0), rb);
    right = b.bin('add', right, rb);
  }
  if (!sat) return b.select(neg, right, left);
  const back = b.bin(signed ? 'shra' : 'shrl', left, b.select(big, k(0), n));
  const lost = b.bin('and', b.bin('xor', neg, c32(b, 1)), b.bin('and', b.bin('ne', x, k(0)), b.bin('or', big, b.bin('ne', back, x))));
  setQC(b, lost);
  const satVal = signed ? b.select(b.bin('lts', x, k(0)), k(1n << 63n), k((1n << 63n) - 1n)) : k(-1);
  return b.select(neg, right, b.select(lost, satVal, left));
}
const shiftReg = (signed: boolean, round: boolean, sat: boolean): LaneOp => (b, x, y, es) => shiftByRegister(b, x, y, es, signed, round, sat);
/** SQDMULH/SQRDMULH: the high half of the doubled product, saturated (only MIN·MIN overflows). */
const doublingMulHigh = (round: boolean): LaneOp => (b, x, y, es) => {
  const p = b.bin('mul', b.extend(s(b, x, es), true), b.extend(s(b, y, es), true));
  const r = b.bin('shra', round ? b.bin('add', p, c64(b, 1n << BigInt(es - 2))) : p, c64(b, es - 1));
  return saturate(b, r, es, true);
};
/** PMUL: carry-less product of bytes, low 8 bits. */
const pmul: LaneOp = (b, x, y) => {
  let r = c32(b, 0);
  for (let i = 0; i < 8; i++) {
    const bitI = b.bin('and', b.bin('shrl', y, c32(b, i)), c32(b, 1));
    r = b.bin('xor', r, b.bin('and', b.bin('shl', x, c32(b, i)), b.bin('sub', c32(b, 0), bitI)));
  }
  return r;
};

export interface IntOp {
  readonly name: string;
  readonly op: LaneOp;
  /** Takes the destination as an accumulator. */
  readonly acc?: boolean;
  /** Pairwise over the concatenation of the operands. */
  readonly pair?: boolean;
  /** 64-bit lanes not allowed (size 11 reserved). */
  readonly no64?: boolean;
}
const I = (name: string, op: LaneOp, extra: Partial<IntOp> = {}): IntOp => ({ name, op, ...extra });

/** Three-same integer ops by U and opcode (bits 15:11). */
export const THREE_SAME_INT: Record<string, IntOp> = {
  '0:0': I('shadd', halving(false, false, true), { no64: true }),
  '1:0': I('uhadd', halving(false, false, false), { no64: true }),
  '0:1': I('sqadd', satAddSub(false, true)),
  '1:1': I('uqadd', satAddSub(false, false)),
  '0:2': I('srhadd', halving(false, true, true), { no64: true }),
  '1:2': I('urhadd', halving(false, true, false), { no64: true }),
  '0:4': I('shsub', halving(true, false, true), { no64: true }),
  '1:4': I('uhsub', halving(true, false, false), { no64: true }),
  '0:5': I('sqsub', satAddSub(true, true)),
  '1:5': I('uqsub', satAddSub(true, false)),
  '0:6': I('cmgt', cmp('lts', true, true)),
  '1:6': I('cmhi', cmp('ltu', false, true)),
  '0:7': I('cmge', cmp('les', true, true)),
  '1:7': I('cmhs', cmp('leu', false, true)),
  '0:8': I('sshl', shiftByReg(true)),
  '1:8': I('ushl', shiftByReg(false)),
  '0:9': I('sqshl', shiftReg(true, false, true)),
  '1:9': I('uqshl', shiftReg(false, false, true)),
  '0:10': I('srshl', shiftReg(true, true, false)),
  '1:10': I('urshl', shiftReg(false, true, false)),
  '0:11': I('sqrshl', shiftReg(true, true, true)),
  '1:11': I('uqrshl', shiftReg(false, true, true)),
  '0:22': I('sqdmulh', doublingMulHigh(false), { no64: true }),
  '1:22': I('sqrdmulh', doublingMulHigh(true), { no64: true }),
  '1:19': I('pmul', pmul, { no64: true }),
  '0:12': I('smax', minmax(true, true), { no64: true }),
  '1:12': I('umax', minmax(true, false), { no64: true }),
  '0:13': I('smin', minmax(false, true), { no64: true }),
  '1:13': I('umin', minmax(false, false), { no64: true }),
  '0:14': I('sabd', (b, x, y, es) => absDiff(b, x, y, es, true), { no64: true }),
  '1:14': I('uabd', (b, x, y, es) => absDiff(b, x, y, es, false), { no64: true }),
  '0:15': I('saba', (b, x, y, es, a) => b.bin('add', a, absDiff(b, x, y, es, true)), { no64: true, acc: true }),
  '1:15': I('uaba', (b, x, y, es, a) => b.bin('add', a, absDiff(b, x, y, es, false)), { no64: true, acc: true }),
  '0:16': I('add', (b, x, y) => b.bin('add', x, y)),
  '1:16': I('sub', (b, x, y) => b.bin('sub', x, y)),
  '0:17': I('cmtst', (b, x, y, es) => maskLane(b, b.bin('ne', b.bin('and', x, y), laneZero(b, es)), es)),
  '1:17': I('cmeq', cmp('eq', false, false)),
  '0:18': I('mla', (b, x, y, _es, a) => b.bin('add', a, b.bin('mul', x, y)), { no64: true, acc: true }),
  '1:18': I('mls', (b, x, y, _es, a) => b.bin('sub', a, b.bin('mul', x, y)), { no64: true, acc: true }),
  '0:19': I('mul', (b, x, y) => b.bin('mul', x, y), { no64: true }),
  '0:20': I('smaxp', minmax(true, true), { no64: true, pair: true }),
  '1:20': I('umaxp', minmax(true, false), { no64: true, pair: true }),
  '0:21': I('sminp', minmax(false, true), { no64: true, pair: true }),
  '1:21': I('uminp', minmax(false, false), { no64: true, pair: true }),
  '0:23': I('addp', (b, x, y) => b.bin('add', x, y), { pair: true }),
};

// ---- FP lane ops
export type FpLaneOp = (b: BlockBuilder, fmt: FloatFmt, x: Temp, y: Temp, acc: Temp) => Temp;
const fbinOp = (fn: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'minnum' | 'maxnum'): FpLaneOp => (b, fmt, x, y) => {
  const [r, f] = b.fbin(fn, fmt, x, y, fpcrRm(b));
  accrue(b, f);
  return r;
};
const fmla = (neg: boolean): FpLaneOp => (b, fmt, x, y, a) => {
  const xx = neg ? b.bin('xor', x, fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n)) : x;
  const [r, f] = b.ffma(fmt, xx, y, a, fpcrRm(b));
  accrue(b, f);
  return r;
};
const fabsOf = (b: BlockBuilder, fmt: FloatFmt, x: Temp) => b.bin('and', x, fmt === 'f32' ? c32(b, 0x7fffffff) : c64(b, (1n << 63n) - 1n));
const fcmpMask = (fn: 'eq' | 'le' | 'lt', swap: boolean, abs: boolean): FpLaneOp => (b, fmt, x, y) => {
  let [l, r] = swap ? [y, x] : [x, y];
  if (abs) [l, r] = [fabsOf(b, fmt, l), fabsOf(b, fmt, r)];
  const [c, f] = b.fcmp(fn, fmt, l, r, fn !== 'eq', true, fpMode(b));
  accrue(b, f);
  return maskLane(b, c, fmt === 'f32' ? 32 : 64);
};
/** 0 × ∞ in either order (the case FMULX, FRECPS and FRSQRTS answer specially, without NV). */
function zeroTimesInf(b: BlockBuilder, fmt: FloatFmt, x: Temp, y: Temp): Temp {
  const abs = (v: Temp) => fabsOf(b, fmt, v);
  const k = (v: bigint) => (fmt === 'f32' ? c32(b, Number(v)) : c64(b, v));
  const inf = k(fmt === 'f32' ? 0x7f800000n : 0x7ff0000000000000n);
  const zero = k(0n);
  const ax = abs(x);
  const ay = abs(y);
  return b.bin('or', b.bin('and', b.bin('eq', ax, zero), b.bin('eq', ay, inf)), b.bin('and', b.bin('eq', ax, inf), b.bin('eq', ay, zero)));
}
const fpConst = (b: BlockBuilder, fmt: FloatFmt, v: number) => {
  const buf = Buffer.alloc(8);
  if (fmt === 'f32') { buf.writeFloatLE(v); return c32(b, buf.readInt32LE(0)); }
  buf.writeDoubleLE(v);
  return c64(b, buf.readBigUInt64LE(0));
};
/** FMULX: FMUL, except 0 × ∞ = ±2. */
const fmulx: FpLaneOp = (b, fmt, x0, y0) => {
  const [x, y] = flushBoth(b, fmt, x0, y0); // FZ before the 0 × ∞ check
  const [r, f] = b.fbin('mul', fmt, x, y, fpcrRm(b));
  const special = zeroTimesInf(b, fmt, x, y);
  const sign = b.bin('and', b.bin('xor', x, y), fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n));
  accrue(b, b.select(special, c32(b, 0), f!));
  return b.select(special, b.bin('or', sign, fpConst(b, fmt, 2)), r);
};
/** FRECPS: 2 − x·y fused (0 × ∞ gives 2); FRSQRTS: (3 − x·y) / 2 (0 × ∞ gives 1.5), rounded once. */
/** FPCR.FZ on two operands (ID accrued), so special-case checks on bits see the flushed values. */
function flushBoth(b: BlockBuilder, fmt: FloatFmt, x: Temp, y: Temp): [Temp, Temp] {
  const [fx, ix] = flushIn(b, fmt, x);
  const [fy, iy] = flushIn(b, fmt, y);
  accrue(b, b.bin('or', ix, iy));
  return [fx, fy];
}
const recipStep = (sqrt: boolean): FpLaneOp => (b, fmt, x0, y0) => {
  const [x, y] = flushBoth(b, fmt, x0, y0);
  const nx = b.bin('xor', x, fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n));
  let [r, f] = b.ffma(fmt, nx, y, fpConst(b, fmt, sqrt ? 3 : 2), fpcrRm(b));
  if (sqrt) {
    // Halving 3 − x·y after rounding it is wrong where 3 − x·y overflows but its half does not
    // (or both overflow under a directed rounding). So halve an operand instead, where that is
    // exact (a normal with biased exponent ≥ 2: one less in the exponent field), and add 1.5.
    // Where neither is (both tiny, or ∞/NaN) the product cannot overflow: halve afterwards.
    const k = (v: bigint) => (fmt === 'f32' ? c32(b, Number(v)) : c64(b, v));
    const one = k(fmt === 'f32' ? 1n << 23n : 1n << 52n);
    const expMask = k(fmt === 'f32' ? 0x7f800000n : 0x7ff0000000000000n);
    const halvable = (v: Temp) => {
      const e = b.bin('and', v, expMask);
      return b.bin('and', b.bin('leu', b.bin('add', one, one), e), b.bin('ltu', e, expMask));
    };
    const hx = halvable(nx);
    const hy = b.bin('and', halvable(y), b.bin('eq', hx, c32(b, 0)));
    const [rh, fh] = b.ffma(fmt, b.select(hx, b.bin('sub', nx, one), nx), b.select(hy, b.bin('sub', y, one), y), fpConst(b, fmt, 1.5), fpcrRm(b));
    const [rl] = b.fbin('mul', fmt, r, fpConst(b, fmt, 0.5), fpcrRm(b), false);
    const halved = b.bin('or', hx, hy);
    r = b.select(halved, rh, rl);
    f = b.select(halved, fh!, f!);
  }
  const special = zeroTimesInf(b, fmt, x, y);
  accrue(b, b.select(special, c32(b, 0), f!));
  return b.select(special, fpConst(b, fmt, sqrt ? 1.5 : 2), r);
};

export interface FpOp {
  readonly name: string;
  readonly op: FpLaneOp;
  readonly acc?: boolean;
  readonly pair?: boolean;
}
const F = (name: string, op: FpLaneOp, extra: Partial<FpOp> = {}): FpOp => ({ name, op, ...extra });
/** Three-same FP ops by U, size<1> (bit 23) and opcode (bits 15:11, 0x18…0x1f). */
export const THREE_SAME_FP: Record<string, FpOp> = {
  '0:0:24': F('fmaxnm', fbinOp('maxnum')),
  '0:0:25': F('fmla', fmla(false), { acc: true }),
  '0:0:26': F('fadd', fbinOp('add')),
  '0:0:28': F('fcmeq', fcmpMask('eq', false, false)),
  '0:0:27': F('fmulx', fmulx),
  '0:0:30': F('fmax', fbinOp('max')),
  '0:0:31': F('frecps', recipStep(false)),
  '0:1:31': F('frsqrts', recipStep(true)),
  '0:1:24': F('fminnm', fbinOp('minnum')),
  '0:1:25': F('fmls', fmla(true), { acc: true }),
  '0:1:26': F('fsub', fbinOp('sub')),
  '0:1:30': F('fmin', fbinOp('min')),
  '1:0:24': F('fmaxnmp', fbinOp('maxnum'), { pair: true }),
  '1:0:26': F('faddp', fbinOp('add'), { pair: true }),
  '1:0:27': F('fmul', fbinOp('mul')),
  '1:0:28': F('fcmge', fcmpMask('le', true, false)),
  '1:0:29': F('facge', fcmpMask('le', true, true)),
  '1:0:30': F('fmaxp', fbinOp('max'), { pair: true }),
  '1:0:31': F('fdiv', fbinOp('div')),
  '1:1:24': F('fminnmp', fbinOp('minnum'), { pair: true }),
  '1:1:26': F('fabd', (b, fmt, x, y) => fabsOf(b, fmt, fbinOp('sub')(b, fmt, x, y, x))),
  '1:1:28': F('fcmgt', fcmpMask('lt', true, false)),
  '1:1:29': F('facgt', fcmpMask('lt', true, true)),
  '1:1:30': F('fminp', fbinOp('min'), { pair: true }),
};
export { fabsOf };
