// Advanced SIMD arithmetic: three registers of the same type (integer, logical, FP; vector and
// scalar), three registers of different types (widening/narrowing), two-register miscellaneous
// (vector and scalar) and across-lanes reductions.
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, Temp } from '../../jit/ir.js';
import { Rm } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { ins } from './dis-util.js';
import { accrue, fixedRm, fpMode, fpcrRm, roundIntegral } from './fp-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64 } from './lift-util.js';
import { vhi, vlo } from './regs.js';
import { f16ToF64, f64ToF16, halfMode } from './fp16.js';
import { swarAddSub, swarIsZero } from './simd-swar.js';
import { frecpe, frecpx, frsqrte, urecpe } from './fp-estimate.js';
import { frintNRm, roundIntN } from './fp-jscvt.js';
import { THREE_SAME_FP, THREE_SAME_INT, absDiff, fabsOf, saturate, setQC, type IntOp } from './simd-ops.js';
import {
  type Esize, ESIZES, SCALAR_PREFIX, getHalves, getLanes, laneZero, maskLane, narrow, setHalves, setLanes,
  setUpperLanes, sextLane, splitHalf, vreg, widen,
} from './vec-util.js';

const Q = (w: number) => bit(w, 30);
const U = (w: number) => bit(w, 29);
const sizeOf = (w: number) => bits(w, 23, 22);
const esOf = (w: number): Esize => ESIZES[sizeOf(w)];
const fmtOf = (w: number): FloatFmt => (bit(w, 22) ? 'f64' : 'f32');
const fes = (fmt: FloatFmt): Esize => (fmt === 'f32' ? 32 : 64);
const sreg = (es: Esize, n: number) => SCALAR_PREFIX[es] + n;

function pairwise<T>(lanes: T[], f: (a: T, c: T) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < lanes.length; i += 2) out.push(f(lanes[i], lanes[i + 1]));
  return out;
}

// ================================================================ three same
const intKey = (w: number) => `${U(w)}:${bits(w, 15, 11)}`;
const fpKey = (w: number) => `${U(w)}:${bit(w, 23)}:${bits(w, 15, 11)}`;

function sameInt(b: BlockBuilder, d: Decoded, op: IntOp, es: Esize, q: number, scalar: boolean): void {
  const take = (n: number) => (scalar ? getLanes(b, n, es, 0).slice(0, 1) : getLanes(b, n, es, q));
  const x = take(d.rn);
  const y = take(d.rm);
  let r: Temp[];
  if (op.pair) r = pairwise([...x, ...y], (a, c) => op.op(b, a, c, es, a));
  else {
    const acc = op.acc ? take(d.rd) : x;
    r = x.map((xi, i) => op.op(b, xi, y[i], es, acc[i]));
  }
  setLanes(b, d.rd, r, es);
}
function sameFp(b: BlockBuilder, d: Decoded, fmt: FloatFmt, q: number, scalar: boolean): void {
  const op = THREE_SAME_FP[fpKey(d.raw)];
  const es = fes(fmt);
  const take = (n: number) => (scalar ? getLanes(b, n, es, 0).slice(0, 1) : getLanes(b, n, es, q));
  const x = take(d.rn);
  const y = take(d.rm);
  let r: Temp[];
  if (op.pair) r = pairwise([...x, ...y], (a, c) => op.op(b, fmt, a, c, a));
  else {
    const acc = op.acc ? take(d.rd) : x;
    r = x.map((xi, i) => op.op(b, fmt, xi, y[i], acc[i]));
  }
  setLanes(b, d.rd, r, es);
}
function logical(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const [nl, nh] = getHalves(b, d.rn);
  const [ml, mh] = getHalves(b, d.rm);
  const q = Q(w);
  const op = (U(w) << 2) | sizeOf(w);
  const not = (v: Temp) => b.bin('xor', v, c64(b, -1));
  const f = (n: Temp, m: Temp, dd: () => Temp): Temp => {
    switch (op) {
      case 0: return b.bin('and', n, m);
      case 1: return b.bin('and', n, not(m));
      case 2: return b.bin('or', n, m);
      case 3: return b.bin('or', n, not(m));
      case 4: return b.bin('xor', n, m);
      case 5: { const t = dd(); return b.bin('or', b.bin('and', t, n), b.bin('and', not(t), m)); } // BSL
      case 6: { const t = dd(); return b.bin('or', b.bin('and', m, n), b.bin('and', not(m), t)); } // BIT
      default: { const t = dd(); return b.bin('or', b.bin('and', not(m), n), b.bin('and', m, t)); } // BIF
    }
  };
  const lo = f(nl, ml, () => b.get('i64', vlo(d.rd)));
  const hi = q ? f(nh, mh, () => b.get('i64', vhi(d.rd))) : null;
  setHalves(b, d.rd, lo, hi);
}
const LOGIC_NAMES = ['and', 'bic', 'orr', 'orn', 'eor', 'bsl', 'bit', 'bif'];

/** ADD, SUB and CMEQ (register) on whole halves. */
function swarSame(b: BlockBuilder, d: Decoded, name: string, es: Esize, q: number): void {
  const [nl, nh] = getHalves(b, d.rn);
  const [ml, mh] = getHalves(b, d.rm);
  const f = (x: Temp, y: Temp) => (name === 'cmeq' ? swarIsZero(b, b.bin('xor', x, y), es) : swarAddSub(b, x, y, es, name === 'sub'));
  setHalves(b, d.rd, f(nl, ml), q ? f(nh, mh) : null);
}
function threeSame(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const opcode = bits(w, 15, 11);
  if (opcode === 3) return logical(b, d);
  const name = opcode < 24 ? THREE_SAME_INT[intKey(w)].name : '';
  if (name === 'add' || name === 'sub' || name === 'cmeq') return swarSame(b, d, name, esOf(w), Q(w));
  if (opcode >= 24) return sameFp(b, d, fmtOf(w), Q(w), false);
  sameInt(b, d, THREE_SAME_INT[intKey(w)], esOf(w), Q(w), false);
}
function disThreeSame(d: Decoded): string {
  const w = d.raw;
  const opcode = bits(w, 15, 11);
  const q = Q(w);
  if (opcode === 3) {
    const op = (U(w) << 2) | sizeOf(w);
    if (op === 2 && d.rn === d.rm) return ins('mov', vreg(d.rd, 8, q), vreg(d.rn, 8, q));
    return ins(LOGIC_NAMES[op], vreg(d.rd, 8, q), vreg(d.rn, 8, q), vreg(d.rm, 8, q));
  }
  const [name, es] = opcode >= 24 ? [THREE_SAME_FP[fpKey(w)].name, fes(fmtOf(w))] : [THREE_SAME_INT[intKey(w)].name, esOf(w)];
  return ins(name, vreg(d.rd, es, q), vreg(d.rn, es, q), vreg(d.rm, es, q));
}
function threeSameReserved(w: number): boolean {
  const opcode = bits(w, 15, 11);
  if (opcode === 3) return false;
  if (opcode >= 24) return THREE_SAME_FP[fpKey(w)] === undefined || (bit(w, 22) === 1 && Q(w) === 0);
  const op = THREE_SAME_INT[intKey(w)];
  if (op === undefined || (sizeOf(w) === 3 && (op.no64 || Q(w) === 0))) return true;
  if (op.name === 'pmul') return sizeOf(w) !== 0;
  return (op.name === 'sqdmulh' || op.name === 'sqrdmulh') && (sizeOf(w) === 0 || sizeOf(w) === 3);
}

/** Scalar three same: the integer ops on one lane (64-bit only except the saturating ones), and
 *  the FP compare/abd ops. */
const SCALAR_ANY_SIZE = new Set(['sqadd', 'uqadd', 'sqsub', 'uqsub', 'sqshl', 'uqshl', 'sqrshl', 'uqrshl']);
const SCALAR_64 = new Set(['cmgt', 'cmhi', 'cmge', 'cmhs', 'cmtst', 'cmeq', 'add', 'sub', 'sshl', 'ushl', 'srshl', 'urshl']);
const SCALAR_HS = new Set(['sqdmulh', 'sqrdmulh']);
function scalarSame(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  if (bits(w, 15, 11) >= 24) return sameFp(b, d, fmtOf(w), 0, true);
  sameInt(b, d, THREE_SAME_INT[intKey(w)], esOf(w), 0, true);
}
function disScalarSame(d: Decoded): string {
  const w = d.raw;
  const [name, es] = bits(w, 15, 11) >= 24 ? [THREE_SAME_FP[fpKey(w)].name, fes(fmtOf(w))] : [THREE_SAME_INT[intKey(w)].name, esOf(w)];
  return ins(name, sreg(es, d.rd), sreg(es, d.rn), sreg(es, d.rm));
}
function scalarSameReserved(w: number): boolean {
  if (bits(w, 15, 11) >= 24) {
    const op = THREE_SAME_FP[fpKey(w)];
    return op === undefined || op.pair === true || op.acc === true || !['fabd', 'fcmeq', 'fcmge', 'fcmgt', 'facge', 'facgt', 'fmulx', 'frecps', 'frsqrts'].includes(op.name);
  }
  const op = THREE_SAME_INT[intKey(w)];
  if (op === undefined) return true;
  const size = sizeOf(w);
  return !(SCALAR_ANY_SIZE.has(op.name) || (SCALAR_64.has(op.name) && size === 3) || (SCALAR_HS.has(op.name) && (size === 1 || size === 2)));
}

// ================================================================ three different
// 0 Q U 01110 size 1 Rm opcode 00 Rn Rd; Q selects the upper halves of the narrow operands ("2").
const DIFF_NAMES: Record<number, [string, string]> = {
  0: ['saddl', 'uaddl'], 1: ['saddw', 'uaddw'], 2: ['ssubl', 'usubl'], 3: ['ssubw', 'usubw'], 4: ['addhn', 'raddhn'],
  5: ['sabal', 'uabal'], 6: ['subhn', 'rsubhn'], 7: ['sabdl', 'uabdl'], 8: ['smlal', 'umlal'], 10: ['smlsl', 'umlsl'], 12: ['smull', 'umull'],
  9: ['sqdmlal', ''], 11: ['sqdmlsl', ''], 13: ['sqdmull', ''], 14: ['pmull', ''],
};
/** SQDMULL's lane: 2·x·y of two signed es-bit lanes at 2·es bits, saturated (only MIN·MIN
 *  overflows), setting QC. */
export function doublingMulLong(b: BlockBuilder, x: Temp, y: Temp, es: Esize): Temp {
  const p = b.bin('mul', b.extend(sextLane(b, x, es), true), b.extend(sextLane(b, y, es), true));
  if (es === 16) return saturate(b, b.bin('shl', p, c64(b, 1)), 32, true);
  const over = b.bin('eq', p, c64(b, 1n << 62n));
  setQC(b, over);
  return b.select(over, c64(b, (1n << 63n) - 1n), b.bin('shl', p, c64(b, 1)));
}
/** Saturating signed add/sub of 2·es-bit lanes (SQDMLAL/SQDMLSL's accumulation). */
export function satAccumulateWide(b: BlockBuilder, acc: Temp, v: Temp, wes: Esize, sub: boolean): Temp {
  const op = THREE_SAME_INT[sub ? '0:5' : '0:1'].op; // SQSUB / SQADD
  return op(b, acc, v, wes, acc);
}
/** PMULL (bytes): carry-less 8×8 → 16-bit products. */
function pmull8(b: BlockBuilder, x: Temp, y: Temp): Temp {
  let r = c32(b, 0);
  for (let i = 0; i < 8; i++) {
    const bitI = b.bin('and', b.bin('shrl', y, c32(b, i)), c32(b, 1));
    r = b.bin('xor', r, b.bin('and', b.bin('shl', x, c32(b, i)), b.bin('sub', c32(b, 0), bitI)));
  }
  return r;
}
/** The narrow source lanes: the low 64 bits, or the high 64 bits for the "2" forms. */
function narrowLanes(b: BlockBuilder, n: number, es: Esize, upper: number): Temp[] {
  return splitHalf(b, b.get('i64', upper ? vhi(n) : vlo(n)), es);
}
function wideLanes(b: BlockBuilder, n: number, es: Esize): Temp[] {
  return getLanes(b, n, (es * 2) as Esize, 1);
}
function threeDiff(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  if (bit(w, 28)) return scalarDiff(b, d);
  const es = esOf(w);
  const wes = (es * 2) as Esize;
  const signed = U(w) === 0;
  const q = Q(w);
  const opcode = bits(w, 15, 12);
  if (opcode === 4 || opcode === 6) {
    // ADDHN/SUBHN (+ rounding when U): the high halves of the wide sums into narrow lanes
    const x = wideLanes(b, d.rn, es);
    const y = wideLanes(b, d.rm, es);
    const r = x.map((xi, i) => {
      let v = b.bin(opcode === 4 ? 'add' : 'sub', xi, y[i]);
      if (U(w)) v = b.bin('add', v, wes === 64 ? c64(b, 1n << BigInt(es - 1)) : c32(b, 1 << (es - 1)));
      return narrow(b, b.bin('shrl', v, wes === 64 ? c64(b, es) : c32(b, es)), es);
    });
    return q ? setUpperLanes(b, d.rd, r, es) : setLanes(b, d.rd, r, es);
  }
  if (opcode === 9 || opcode === 11 || opcode === 13 || opcode === 14) {
    const xs = narrowLanes(b, d.rn, es, q);
    const ys = narrowLanes(b, d.rm, es, q);
    if (opcode === 14) return setLanes(b, d.rd, xs.map((xi, i) => pmull8(b, xi, ys[i])), 16);
    const prods = xs.map((xi, i) => doublingMulLong(b, xi, ys[i], es));
    if (opcode === 13) return setLanes(b, d.rd, prods, wes);
    const acc = wideLanes(b, d.rd, es);
    return setLanes(b, d.rd, prods.map((p, i) => satAccumulateWide(b, acc[i], p, wes, opcode === 11)), wes);
  }
  const y = narrowLanes(b, d.rm, es, q).map((v) => widen(b, v, es, signed));
  const x = opcode === 1 || opcode === 3 ? wideLanes(b, d.rn, es) : narrowLanes(b, d.rn, es, q).map((v) => widen(b, v, es, signed));
  const acc = opcode === 5 || opcode === 8 || opcode === 10 ? wideLanes(b, d.rd, es) : [];
  const r = x.map((xi, i) => {
    switch (opcode) {
      case 0: case 1: return b.bin('add', xi, y[i]);
      case 2: case 3: return b.bin('sub', xi, y[i]);
      case 5: return b.bin('add', acc[i], absDiff(b, xi, y[i], wes, signed));
      case 7: return absDiff(b, xi, y[i], wes, signed);
      case 8: return b.bin('add', acc[i], b.bin('mul', xi, y[i]));
      case 10: return b.bin('sub', acc[i], b.bin('mul', xi, y[i]));
      default: return b.bin('mul', xi, y[i]);
    }
  });
  setLanes(b, d.rd, r, wes);
}
function disThreeDiff(d: Decoded): string {
  const w = d.raw;
  if (bit(w, 28)) return disScalarDiff(d);
  const es = esOf(w);
  const q = Q(w);
  const opcode = bits(w, 15, 12);
  const name = DIFF_NAMES[opcode][U(w)] + (q ? '2' : '');
  const W = (n: number) => vreg(n, (es * 2) as Esize, 1);
  const N = (n: number) => vreg(n, es, q);
  if (opcode === 4 || opcode === 6) return ins(name, N(d.rd), W(d.rn), W(d.rm));
  if (opcode === 1 || opcode === 3) return ins(name, W(d.rd), W(d.rn), N(d.rm));
  return ins(name, W(d.rd), N(d.rn), N(d.rm));
}
const threeDiffReserved = (w: number) => {
  if (bit(w, 28)) return bit(w, 30) === 0 || scalarDiffReserved(w);
  const names = DIFF_NAMES[bits(w, 15, 12)];
  if (names === undefined || sizeOf(w) === 3 || names[U(w)] === '') return true;
  const op = bits(w, 15, 12);
  if (op === 14) return sizeOf(w) !== 0; // PMULL.1q (64-bit) needs the crypto extension
  return (op === 9 || op === 11 || op === 13) && sizeOf(w) === 0;
};

// Scalar SQDMLAL/SQDMLSL/SQDMULL: 01 U 11110 size 1 Rm opcode 00 Rn Rd, on lane 0 (H → S, S → D).
// The same fields as the vector group, so the simd.diff row takes both (bit 28 tells them apart).
function scalarDiff(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const es = esOf(w);
  const wes = (es * 2) as Esize;
  const opcode = bits(w, 15, 12);
  const [x] = getLanes(b, d.rn, es, 0);
  const [y] = getLanes(b, d.rm, es, 0);
  const p = doublingMulLong(b, x, y, es);
  if (opcode === 13) return setLanes(b, d.rd, [p], wes);
  const [acc] = getLanes(b, d.rd, wes, 0);
  setLanes(b, d.rd, [satAccumulateWide(b, acc, p, wes, opcode === 11)], wes);
}
function disScalarDiff(d: Decoded): string {
  const es = esOf(d.raw);
  return ins(DIFF_NAMES[bits(d.raw, 15, 12)][0], SCALAR_PREFIX[(es * 2) as Esize] + d.rd, SCALAR_PREFIX[es] + d.rn, SCALAR_PREFIX[es] + d.rm);
}
function scalarDiffReserved(w: number): boolean {
  return U(w) === 1 || ![9, 11, 13].includes(bits(w, 15, 12)) || sizeOf(w) === 0 || sizeOf(w) === 3;
}

// ================================================================ two-register misc
interface Misc {
  readonly name: string;
  /** Which esizes are allowed (by size field); FP ops use sz = bit 22. */
  readonly sizes: readonly number[];
  readonly fp?: boolean;
  readonly lift: (b: BlockBuilder, d: Decoded, es: Esize, q: number, scalar: boolean) => void;
  /** Operand spelling when not "vd.T, vn.T". */
  readonly dis?: (d: Decoded, es: Esize, q: number, scalar: boolean) => string;
  readonly scalarOk?: boolean;
}
const lanesOf = (b: BlockBuilder, n: number, es: Esize, q: number, scalar: boolean) => (scalar ? getLanes(b, n, es, 0).slice(0, 1) : getLanes(b, n, es, q));
const mapLanes = (f: (b: BlockBuilder, x: Temp, es: Esize) => Temp) => (b: BlockBuilder, d: Decoded, es: Esize, q: number, scalar: boolean) =>
  setLanes(b, d.rd, lanesOf(b, d.rn, es, q, scalar).map((x) => f(b, x, es)), es);
const cmpZero = (fn: 'eq' | 'lts' | 'les', swap: boolean) => mapLanes((b, x, es) => {
  const xs = sextLane(b, x, es);
  const z = laneZero(b, es);
  return maskLane(b, swap ? b.bin(fn, z, xs) : b.bin(fn, xs, z), es);
});
/** Reverse the order of es-bit elements within each container of `container` bits. */
const revIn = (container: number) => (b: BlockBuilder, d: Decoded, es: Esize, q: number) => {
  const lanes = getLanes(b, d.rn, es, q);
  const per = container / es;
  const out = lanes.map((_, i) => lanes[i - (i % per) + (per - 1 - (i % per))]);
  setLanes(b, d.rd, out, es);
};
function popcount8(b: BlockBuilder, x: Temp): Temp {
  return b.un('popcnt', x);
}
function fpMap(f: (b: BlockBuilder, fmt: FloatFmt, x: Temp) => Temp) {
  return (b: BlockBuilder, d: Decoded, es: Esize, q: number, scalar: boolean) => {
    const fmt: FloatFmt = es === 32 ? 'f32' : 'f64';
    setLanes(b, d.rd, lanesOf(b, d.rn, es, q, scalar).map((x) => f(b, fmt, x)), es);
  };
}
const fcvtToInt = (rm: 'fpcr' | Rm, signed: boolean) => fpMap((b, fmt, x) => {
  const [r, f] = b.f2i(fmt, fmt === 'f32' ? 'i32' : 'i64', signed, x, rm === 'fpcr' ? fpcrRm(b) : fixedRm(b, rm));
  accrue(b, f);
  return r;
});
const fcvtFromInt = (signed: boolean) => fpMap((b, fmt, x) => {
  const [r, f] = b.i2f(fmt, signed, x, fpcrRm(b));
  accrue(b, f);
  return r;
});
const frint = (rm: 'fpcr' | Rm, exact: boolean) => fpMap((b, fmt, x) => {
  const [r, f] = roundIntegral(b, fmt, x, rm === 'fpcr' ? fpcrRm(b) : fixedRm(b, rm), exact);
  accrue(b, f);
  return r;
});
/** FRINT32Z/X, FRINT64Z/X (FEAT_FRINTTS). */
const frintN = (n: 32 | 64, exact: boolean) => fpMap((b, fmt, x) => {
  const [r, f] = roundIntN(b, fmt, x, frintNRm(b, exact), n);
  accrue(b, f);
  return r;
});
const fcmpZero = (fn: 'eq' | 'le' | 'lt', swap: boolean) => fpMap((b, fmt, x) => {
  const z = fmt === 'f32' ? c32(b, 0) : c64(b, 0);
  const [c, f] = b.fcmp(fn, fmt, swap ? z : x, swap ? x : z, fn !== 'eq', true, fpMode(b));
  accrue(b, f);
  return maskLane(b, c, fmt === 'f32' ? 32 : 64);
});
/** XTN/SQXTN/UQXTN/SQXTUN: narrow each 2·es lane of Vn into Vd (the upper half for "2"). */
const xtn = (kind: 'x' | 's' | 'u' | 'su') => (b: BlockBuilder, d: Decoded, es: Esize, q: number, scalar: boolean) => {
  const wes = (es * 2) as Esize;
  const src = scalar ? getLanes(b, d.rn, wes, 0).slice(0, 1) : getLanes(b, d.rn, wes, 1);
  const r = src.map((v) => {
    if (kind === 'x') return narrow(b, v, es);
    const v64 = wes === 64 ? v : b.extend(kind === 'u' ? v : sextLane(b, v, wes), kind !== 'u');
    return saturate(b, v64, es, kind === 's', kind !== 'u');
  });
  if (q && !scalar) setUpperLanes(b, d.rd, r, es);
  else setLanes(b, d.rd, r, es);
};
const disXtn = (d: Decoded, es: Esize, q: number, scalar: boolean) =>
  scalar ? `${sreg(es, d.rd)}, ${sreg((es * 2) as Esize, d.rn)}` : `${vreg(d.rd, es, q)}, ${vreg(d.rn, (es * 2) as Esize, 1)}`;
/** SADDLP/UADDLP (+ accumulate: SADALP/UADALP). */
const addlp = (signed: boolean, acc: boolean) => (b: BlockBuilder, d: Decoded, es: Esize, q: number) => {
  const wes = (es * 2) as Esize;
  const x = getLanes(b, d.rn, es, q).map((v) => widen(b, v, es, signed));
  let r = pairwise(x, (a, c) => b.bin('add', a, c));
  if (acc) {
    const a = getLanes(b, d.rd, wes, q);
    r = r.map((v, i) => b.bin('add', a[i], v));
  }
  setLanes(b, d.rd, r, wes);
};
const disAddlp = (d: Decoded, es: Esize, q: number) => `${vreg(d.rd, (es * 2) as Esize, q)}, ${vreg(d.rn, es, q)}`;
/** FCVTL/FCVTN between H and S lanes (sz = 0) or S and D lanes (sz = 1). */
const fcvtl = (b: BlockBuilder, d: Decoded, _es: Esize, q: number) => {
  if (bit(d.raw, 22) === 0) {
    const hm = halfMode(b);
    const h = splitHalf(b, b.get('i64', q ? vhi(d.rn) : vlo(d.rn)), 16);
    return setLanes(b, d.rd, h.map((x) => {
      const [v64, f] = f16ToF64(b, x, hm);
      accrue(b, f);
      return b.f2f('f64', 'f32', v64, { static: Rm.RNE }, false)[0];
    }), 32);
  }
  const src = splitHalf(b, b.get('i64', q ? vhi(d.rn) : vlo(d.rn)), 32);
  setLanes(b, d.rd, src.map((x) => {
    const [r, f] = b.f2f('f32', 'f64', x, fpcrRm(b));
    accrue(b, f);
    return r;
  }), 64);
};
const fcvtn = (b: BlockBuilder, d: Decoded, _es: Esize, q: number) => {
  if (bit(d.raw, 22) === 0) {
    const hm = halfMode(b);
    const h = getLanes(b, d.rn, 32, 1).map((x) => {
      const [x64, pre] = b.f2f('f32', 'f64', x, fixedRm(b, Rm.RNE)); // exact; FZ: ID
      accrue(b, pre);
      const [v, f] = f64ToF16(b, x64, fpcrRm(b), hm);
      accrue(b, f);
      return v;
    });
    return q ? setUpperLanes(b, d.rd, h, 16) : setLanes(b, d.rd, h, 16);
  }
  const r = getLanes(b, d.rn, 64, 1).map((x) => {
    const [v, f] = b.f2f('f64', 'f32', x, fpcrRm(b));
    accrue(b, f);
    return v;
  });
  if (q) setUpperLanes(b, d.rd, r, 32);
  else setLanes(b, d.rd, r, 32);
};
/** FCVTXN: D lanes to S rounding to odd (truncate, then an inexact result gets its lowest bit
 *  set), so a later narrowing to H is not double-rounded. */
const fcvtxn = (b: BlockBuilder, d: Decoded, _es: Esize, q: number, scalar: boolean) => {
  const r = getLanes(b, d.rn, 64, scalar ? 0 : 1).map((x) => {
    const [v, f] = b.f2f('f64', 'f32', x, fixedRm(b, Rm.RTZ));
    accrue(b, f);
    return b.bin('or', v, b.bin('and', f!, c32(b, 1))); // FpFlag NX is bit 0; NaNs are exact
  });
  if (q && !scalar) setUpperLanes(b, d.rd, r, 32);
  else setLanes(b, d.rd, r, 32);
};
const ANY = [0, 1, 2, 3];
const NO64 = [0, 1, 2];
const SZ = [0, 1]; // FP: sz selects S/D
const ABS_NEG = (neg: boolean) => mapLanes((b, x, es) => {
  if (neg) return b.bin('sub', laneZero(b, es), x);
  const xs = sextLane(b, x, es);
  return b.select(b.bin('lts', xs, laneZero(b, es)), b.bin('sub', laneZero(b, es), xs), xs);
});

/** SQABS/SQNEG: MIN saturates to MAX (setting QC). */
function satAbsNeg(neg: boolean) {
  return mapLanes((b, x, es) => {
    const xs = sextLane(b, x, es);
    if (es === 64) {
      const isMin = b.bin('eq', xs, c64(b, 1n << 63n));
      setQC(b, isMin);
      const z = c64(b, 0);
      const r = neg ? b.bin('sub', z, xs) : b.select(b.bin('lts', xs, z), b.bin('sub', z, xs), xs);
      return b.select(isMin, c64(b, (1n << 63n) - 1n), r);
    }
    const w = b.extend(xs, true);
    const z = c64(b, 0);
    const r = neg ? b.bin('sub', z, w) : b.select(b.bin('lts', w, z), b.bin('sub', z, w), w);
    return saturate(b, r, es, true);
  });
}
/** SUQADD (signed accumulator + unsigned operand, signed result) and USQADD (the reverse). */
function satAccumulate(signedAcc: boolean) {
  return (b: BlockBuilder, d: Decoded, es: Esize, q: number, scalar: boolean) => {
    const x = lanesOf(b, d.rn, es, q, scalar);
    const a = lanesOf(b, d.rd, es, q, scalar);
    const r = x.map((xi, i) => {
      if (es < 64) {
        const wa = b.extend(signedAcc ? sextLane(b, a[i], es) : a[i], signedAcc);
        const wx = b.extend(signedAcc ? xi : sextLane(b, xi, es), !signedAcc);
        return saturate(b, b.bin('add', wa, wx), es, signedAcc, true);
      }
      // 64-bit: overflow from the operand signs
      const sum = b.bin('add', a[i], xi);
      const z = c64(b, 0);
      if (signedAcc) {
        // a signed, x unsigned: exact = sum + 2^64·(carry − [a < 0]); it can only overflow upward.
        const carry = b.bin('ltu', sum, a[i]);
        const aneg = b.bin('lts', a[i], z);
        const ov = b.bin('or', b.bin('and', carry, b.bin('xor', aneg, c32(b, 1))), b.bin('and', b.bin('eq', carry, aneg), b.bin('lts', sum, z)));
        setQC(b, ov);
        return b.select(ov, c64(b, (1n << 63n) - 1n), sum);
      }
      // a unsigned, x signed
      const xneg = b.bin('lts', xi, z);
      const under = b.bin('and', xneg, b.bin('ltu', a[i], b.bin('sub', z, xi)));
      const over = b.bin('and', b.bin('xor', xneg, c32(b, 1)), b.bin('ltu', sum, a[i]));
      setQC(b, b.bin('or', under, over));
      return b.select(under, z, b.select(over, c64(b, -1), sum));
    });
    setLanes(b, d.rd, r, es);
  };
}

/** Two-register misc by U:opcode (integer) or U:size<1>:opcode (FP, opcodes 12…31 with bit 23 used). */
const MISC: Record<string, Misc> = {
  '0:0': { name: 'rev64', sizes: NO64, lift: revIn(64) },
  '1:0': { name: 'rev32', sizes: [0, 1], lift: revIn(32) },
  '0:1': { name: 'rev16', sizes: [0], lift: revIn(16) },
  '0:2': { name: 'saddlp', sizes: NO64, lift: addlp(true, false), dis: disAddlp },
  '1:2': { name: 'uaddlp', sizes: NO64, lift: addlp(false, false), dis: disAddlp },
  '0:6': { name: 'sadalp', sizes: NO64, lift: addlp(true, true), dis: disAddlp },
  '1:6': { name: 'uadalp', sizes: NO64, lift: addlp(false, true), dis: disAddlp },
  '0:4': { name: 'cls', sizes: NO64, lift: mapLanes((b, x, es) => {
    const xs = sextLane(b, x, es);
    const y = b.bin('or', b.bin('xor', xs, b.bin('shl', xs, c32(b, 1))), c32(b, 1));
    return b.bin('sub', b.un('clz', y), c32(b, 32 - es));
  }) },
  '1:4': { name: 'clz', sizes: NO64, lift: mapLanes((b, x, es) => b.bin('sub', b.un('clz', x), c32(b, 32 - es))) },
  '0:5': { name: 'cnt', sizes: [0], lift: mapLanes((b, x) => popcount8(b, x)) },
  '1:5': { name: 'not', sizes: [0, 1], lift: (b, d, es, q) => {
    if (es === 16) {
      // RBIT (size 01): reverse the bits of each byte
      setLanes(b, d.rd, getLanes(b, d.rn, 8, q).map((x) => {
        let v = x;
        v = b.bin('or', b.bin('and', b.bin('shrl', v, c32(b, 1)), c32(b, 0x55)), b.bin('shl', b.bin('and', v, c32(b, 0x55)), c32(b, 1)));
        v = b.bin('or', b.bin('and', b.bin('shrl', v, c32(b, 2)), c32(b, 0x33)), b.bin('shl', b.bin('and', v, c32(b, 0x33)), c32(b, 2)));
        return b.bin('or', b.bin('shrl', v, c32(b, 4)), b.bin('shl', v, c32(b, 4)));
      }), 8);
      return;
    }
    const [lo, hi] = getHalves(b, d.rn);
    setHalves(b, d.rd, b.bin('xor', lo, c64(b, -1)), q ? b.bin('xor', hi, c64(b, -1)) : null);
  } },
  '0:8': { name: 'cmgt', sizes: ANY, lift: cmpZero('lts', true), scalarOk: true },
  '1:8': { name: 'cmge', sizes: ANY, lift: cmpZero('les', true), scalarOk: true },
  '0:9': { name: 'cmeq', sizes: ANY, lift: (b, d, es, q, scalar) => {
    if (scalar) return cmpZero('eq', false)(b, d, es, q, scalar);
    const [lo, hi] = getHalves(b, d.rn);
    setHalves(b, d.rd, swarIsZero(b, lo, es), q ? swarIsZero(b, hi, es) : null);
  }, scalarOk: true },
  '1:9': { name: 'cmle', sizes: ANY, lift: cmpZero('les', false), scalarOk: true },
  '0:10': { name: 'cmlt', sizes: ANY, lift: cmpZero('lts', false), scalarOk: true },
  '0:11': { name: 'abs', sizes: ANY, lift: ABS_NEG(false), scalarOk: true },
  '1:11': { name: 'neg', sizes: ANY, lift: ABS_NEG(true), scalarOk: true },
  '0:7': { name: 'sqabs', sizes: ANY, lift: satAbsNeg(false), scalarOk: true },
  '1:7': { name: 'sqneg', sizes: ANY, lift: satAbsNeg(true), scalarOk: true },
  '0:3': { name: 'suqadd', sizes: ANY, lift: satAccumulate(true), scalarOk: true },
  '1:3': { name: 'usqadd', sizes: ANY, lift: satAccumulate(false), scalarOk: true },
  '0:18': { name: 'xtn', sizes: NO64, lift: xtn('x'), dis: disXtn },
  '1:18': { name: 'sqxtun', sizes: NO64, lift: xtn('su'), dis: disXtn, scalarOk: true },
  '0:20': { name: 'sqxtn', sizes: NO64, lift: xtn('s'), dis: disXtn, scalarOk: true },
  '1:20': { name: 'uqxtn', sizes: NO64, lift: xtn('u'), dis: disXtn, scalarOk: true },
  '1:19': { name: 'shll', sizes: NO64, lift: (b, d, es, q) => {
    const wes = (es * 2) as Esize;
    setLanes(b, d.rd, narrowLanes(b, d.rn, es, q).map((v) => b.bin('shl', widen(b, v, es, false), wes === 64 ? c64(b, es) : c32(b, es))), wes);
  }, dis: (d, es, q) => `${vreg(d.rd, (es * 2) as Esize, 1)}, ${vreg(d.rn, es, q)}, #${es}` },
  // FP (sz = bit 22), keyed with size<1>
  '0:0:22': { name: 'fcvtn', sizes: [0, 1], fp: true, lift: fcvtn, dis: (d, _es, q) => bit(d.raw, 22) ? `${vreg(d.rd, 32, q)}, ${vreg(d.rn, 64, 1)}` : `${vreg(d.rd, 16, q)}, ${vreg(d.rn, 32, 1)}` },
  '1:0:22': { name: 'fcvtxn', sizes: [1], fp: true, lift: fcvtxn, scalarOk: true,
    dis: (d, _es, q, scalar) => (scalar ? `s${d.rd}, d${d.rn}` : `${vreg(d.rd, 32, q)}, ${vreg(d.rn, 64, 1)}`) },
  '0:0:23': { name: 'fcvtl', sizes: [0, 1], fp: true, lift: fcvtl, dis: (d, _es, q) => bit(d.raw, 22) ? `${vreg(d.rd, 64, 1)}, ${vreg(d.rn, 32, q)}` : `${vreg(d.rd, 32, 1)}, ${vreg(d.rn, 16, q)}` },
  '0:0:24': { name: 'frintn', sizes: SZ, fp: true, lift: frint(Rm.RNE, false) },
  '0:0:25': { name: 'frintm', sizes: SZ, fp: true, lift: frint(Rm.RDN, false) },
  '0:0:30': { name: 'frint32z', sizes: SZ, fp: true, lift: frintN(32, false) },
  '1:0:30': { name: 'frint32x', sizes: SZ, fp: true, lift: frintN(32, true) },
  '0:0:31': { name: 'frint64z', sizes: SZ, fp: true, lift: frintN(64, false) },
  '1:0:31': { name: 'frint64x', sizes: SZ, fp: true, lift: frintN(64, true) },
  '0:0:26': { name: 'fcvtns', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RNE, true), scalarOk: true },
  '0:0:27': { name: 'fcvtms', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RDN, true), scalarOk: true },
  '0:0:28': { name: 'fcvtas', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RMM, true), scalarOk: true },
  '0:0:29': { name: 'scvtf', sizes: SZ, fp: true, lift: fcvtFromInt(true), scalarOk: true },
  '0:1:12': { name: 'fcmgt', sizes: SZ, fp: true, lift: fcmpZero('lt', true), scalarOk: true },
  '0:1:13': { name: 'fcmeq', sizes: SZ, fp: true, lift: fcmpZero('eq', false), scalarOk: true },
  '0:1:14': { name: 'fcmlt', sizes: SZ, fp: true, lift: fcmpZero('lt', false), scalarOk: true },
  '0:1:15': { name: 'fabs', sizes: SZ, fp: true, lift: fpMap((b, fmt, x) => fabsOf(b, fmt, x)) },
  '0:1:24': { name: 'frintp', sizes: SZ, fp: true, lift: frint(Rm.RUP, false) },
  '0:1:25': { name: 'frintz', sizes: SZ, fp: true, lift: frint(Rm.RTZ, false) },
  '0:1:26': { name: 'fcvtps', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RUP, true), scalarOk: true },
  '0:1:27': { name: 'fcvtzs', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RTZ, true), scalarOk: true },
  '1:0:24': { name: 'frinta', sizes: SZ, fp: true, lift: frint(Rm.RMM, false) },
  '1:0:25': { name: 'frintx', sizes: SZ, fp: true, lift: frint('fpcr', true) },
  '1:0:26': { name: 'fcvtnu', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RNE, false), scalarOk: true },
  '1:0:27': { name: 'fcvtmu', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RDN, false), scalarOk: true },
  '1:0:28': { name: 'fcvtau', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RMM, false), scalarOk: true },
  '1:0:29': { name: 'ucvtf', sizes: SZ, fp: true, lift: fcvtFromInt(false), scalarOk: true },
  '1:1:12': { name: 'fcmge', sizes: SZ, fp: true, lift: fcmpZero('le', true), scalarOk: true },
  '1:1:13': { name: 'fcmle', sizes: SZ, fp: true, lift: fcmpZero('le', false), scalarOk: true },
  '1:1:15': { name: 'fneg', sizes: SZ, fp: true, lift: fpMap((b, fmt, x) => b.bin('xor', x, fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n))) },
  '1:1:25': { name: 'frinti', sizes: SZ, fp: true, lift: frint('fpcr', false) },
  '1:1:26': { name: 'fcvtpu', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RUP, false), scalarOk: true },
  '1:1:27': { name: 'fcvtzu', sizes: SZ, fp: true, lift: fcvtToInt(Rm.RTZ, false), scalarOk: true },
  '0:1:29': { name: 'frecpe', sizes: SZ, fp: true, scalarOk: true, lift: fpMap((b, fmt, x) => {
    const [r, f] = frecpe(b, fmt, x, fpcrRm(b));
    accrue(b, f);
    return r;
  }) },
  '1:1:29': { name: 'frsqrte', sizes: SZ, fp: true, scalarOk: true, lift: fpMap((b, fmt, x) => {
    const [r, f] = frsqrte(b, fmt, x, fmt === 'f32' ? c32(b, 0x7fc00000) : c64(b, 0x7ff8000000000000n));
    accrue(b, f);
    return r;
  }) },
  '0:1:28': { name: 'urecpe', sizes: [0], fp: true, lift: mapLanes((b, x) => urecpe(b, x, false)) },
  '1:1:28': { name: 'ursqrte', sizes: [0], fp: true, lift: mapLanes((b, x) => urecpe(b, x, true)) },
  '0:1:31': { name: 'frecpx', sizes: SZ, fp: true, scalarOk: true, lift: fpMap((b, fmt, x) => {
    const [r, f] = frecpx(b, fmt, x);
    accrue(b, f);
    return r;
  }) },
  '1:1:31': { name: 'fsqrt', sizes: SZ, fp: true, lift: fpMap((b, fmt, x) => {
    const [r, f] = b.fsqrt(fmt, x, fpcrRm(b));
    accrue(b, f);
    return r;
  }) },
};
function miscOf(w: number): Misc | undefined {
  const u = U(w);
  const opcode = bits(w, 16, 12);
  return MISC[`${u}:${bit(w, 23)}:${opcode}`] ?? MISC[`${u}:${opcode}`];
}
function miscEs(w: number, m: Misc): Esize {
  if (m.fp) return m.name === 'fcvtn' || m.name === 'fcvtl' || m.name === 'fcvtxn' ? 32 : bit(w, 22) ? 64 : 32;
  return esOf(w);
}
const miscSize = (w: number, m: Misc) => (m.fp ? bit(w, 22) : sizeOf(w));
function miscReserved(w: number, scalar: boolean): boolean {
  const m = miscOf(w);
  if (m === undefined || !m.sizes.includes(miscSize(w, m))) return true;
  if (scalar) {
    if (!m.scalarOk) return true;
    // integer compares/abs/neg exist as scalars for 64-bit lanes only
    if (!m.fp && !['sqxtn', 'uqxtn', 'sqxtun', 'sqabs', 'sqneg', 'suqadd', 'usqadd'].includes(m.name) && sizeOf(w) !== 3) return true;
    return false;
  }
  if (m.name === 'frecpx') return true; // scalar only
  if (m.fp && !['fcvtn', 'fcvtl', 'fcvtxn'].includes(m.name) && bit(w, 22) === 1 && Q(w) === 0) return true;
  return !m.fp && sizeOf(w) === 3 && Q(w) === 0 && !['xtn', 'sqxtn', 'uqxtn', 'sqxtun'].includes(m.name);
}
const miscLift = (scalar: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const m = miscOf(d.raw)!;
  m.lift(b, d, miscEs(d.raw, m), scalar ? 0 : Q(d.raw), scalar);
};
const miscDis = (scalar: boolean) => (d: Decoded): string => {
  const w = d.raw;
  const m = miscOf(w)!;
  const es = miscEs(w, m);
  const q = scalar ? 0 : Q(w);
  const narrowing = ['xtn', 'sqxtn', 'uqxtn', 'sqxtun', 'fcvtn', 'fcvtxn'].includes(m.name);
  const name = m.name + ((narrowing || m.name === 'fcvtl' || m.name === 'shll') && q ? '2' : '');
  let ops: string;
  if (m.dis) ops = m.dis(d, es, q, scalar);
  else if (scalar) ops = `${sreg(es, d.rd)}, ${sreg(es, d.rn)}`;
  else ops = `${vreg(d.rd, es, q)}, ${vreg(d.rn, es, q)}`;
  if (/^(cm|fcm)(gt|ge|eq|le|lt)$/.test(m.name)) ops += m.fp ? ', #0.0' : ', #0';
  if (m.name === 'not') return es === 16 ? `rbit\t${vreg(d.rd, 8, q)}, ${vreg(d.rn, 8, q)}` : `mvn\t${ops}`;
  return `${name}\t${ops}`;
};

// ================================================================ across lanes
// 0 Q U 01110 size 11000 opcode 10 Rn Rd
const ACROSS: Record<string, string> = {
  '0:3': 'saddlv', '1:3': 'uaddlv', '0:10': 'smaxv', '1:10': 'umaxv', '0:26': 'sminv', '1:26': 'uminv', '0:27': 'addv',
  '1:0:12': 'fmaxnmv', '1:1:12': 'fminnmv', '1:0:15': 'fmaxv', '1:1:15': 'fminv',
};
const acrossKey = (w: number) => {
  const op = bits(w, 16, 12);
  return op === 12 || op === 15 ? `${U(w)}:${bit(w, 23)}:${op}` : `${U(w)}:${op}`;
};
function across(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const name = ACROSS[acrossKey(w)];
  const q = Q(w);
  if (name.startsWith('f')) {
    const fn = ({ fmaxnmv: 'maxnum', fminnmv: 'minnum', fmaxv: 'max', fminv: 'min' } as const)[name as 'fmaxv'];
    const x = getLanes(b, d.rn, 32, 1);
    const step = (a: Temp, c: Temp) => {
      const [r, f] = b.fbin(fn, 'f32', a, c, fpcrRm(b));
      accrue(b, f);
      return r;
    };
    // ARM reduces pairwise: (0 op 1) op (2 op 3)
    const r = step(step(x[0], x[1]), step(x[2], x[3]));
    return setLanes(b, d.rd, [r], 32);
  }
  const es = esOf(w);
  const signed = U(w) === 0;
  const x = getLanes(b, d.rn, es, q);
  if (name.endsWith('addlv')) {
    const wes = (es * 2) as Esize;
    const ws = x.map((v) => (wes === 64 ? b.extend(sextOr(b, v, es, signed), signed) : signed ? sextLane(b, v, es) : v));
    return setLanes(b, d.rd, [ws.reduce((a, c) => b.bin('add', a, c))], wes);
  }
  let r: Temp;
  if (name === 'addv') r = x.reduce((a, c) => b.bin('add', a, c));
  else {
    const max = name.includes('max');
    r = x.reduce((a, c) => {
      const lt = b.bin(signed ? 'lts' : 'ltu', signed ? sextLane(b, a, es) : a, signed ? sextLane(b, c, es) : c);
      return max ? b.select(lt, c, a) : b.select(lt, a, c);
    });
  }
  setLanes(b, d.rd, [r], es);
}
const sextOr = (b: BlockBuilder, v: Temp, es: Esize, signed: boolean) => (signed ? sextLane(b, v, es) : v);
function disAcross(d: Decoded): string {
  const w = d.raw;
  const name = ACROSS[acrossKey(w)];
  if (name.startsWith('f')) return ins(name, sreg(32, d.rd), vreg(d.rn, 32, 1));
  const es = esOf(w);
  return ins(name, sreg(name.endsWith('addlv') ? ((es * 2) as Esize) : es, d.rd), vreg(d.rn, es, Q(w)));
}
function acrossReserved(w: number): boolean {
  const name = ACROSS[acrossKey(w)];
  if (name === undefined) return true;
  if (name.startsWith('f')) return Q(w) === 0 || bit(w, 22) === 1;
  return sizeOf(w) === 3 || (sizeOf(w) === 2 && Q(w) === 0);
}

// ================================================================ scalar pairwise
// 01 U 11110 size 11000 opcode 10 Rn Rd: ADDP (d), FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP (s/d)
function scalarPair(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const op = bits(w, 16, 12);
  if (U(w) === 0) {
    const [lo, hi] = getHalves(b, d.rn);
    return setHalves(b, d.rd, b.bin('add', lo, hi), null);
  }
  const fmt = fmtOf(w);
  const es = fes(fmt);
  const x = getLanes(b, d.rn, es, es === 64 ? 1 : 0);
  const fn = op === 13 ? 'add' : op === 15 ? (bit(w, 23) ? 'min' : 'max') : bit(w, 23) ? 'minnum' : 'maxnum';
  const [r, f] = b.fbin(fn, fmt, x[0], x[1], fpcrRm(b));
  accrue(b, f);
  setLanes(b, d.rd, [r], es);
}
function disScalarPair(d: Decoded): string {
  const w = d.raw;
  const op = bits(w, 16, 12);
  if (U(w) === 0) return ins('addp', sreg(64, d.rd), vreg(d.rn, 64, 1));
  const es = fes(fmtOf(w));
  const name = op === 13 ? 'faddp' : op === 15 ? (bit(w, 23) ? 'fminp' : 'fmaxp') : bit(w, 23) ? 'fminnmp' : 'fmaxnmp';
  return ins(name, sreg(es, d.rd), vreg(d.rn, es, es === 64 ? 1 : 0));
}
function scalarPairReserved(w: number): boolean {
  const op = bits(w, 16, 12);
  if (U(w) === 0) return !(op === 27 && sizeOf(w) === 3);
  if (op === 13) return bit(w, 23) === 1;
  return !(op === 12 || op === 15);
}

export const SIMD_ARITH: InsnDef[] = [
  row('simd.same', '0xx01110 xx1xxxxx xxxxx1xx xxxxxxxx', threeSame, disThreeSame, threeSameReserved),
  row('simd.diff', '0xxx1110 xx1xxxxx xxxx00xx xxxxxxxx', threeDiff, disThreeDiff, threeDiffReserved),
  row('simd.misc', '0xx01110 xx10000x xxxx10xx xxxxxxxx', miscLift(false), miscDis(false), (w) => miscReserved(w, false)),
  row('simd.across', '0xx01110 xx11000x xxxx10xx xxxxxxxx', across, disAcross, acrossReserved),
  row('scalar.same', '01x11110 xx1xxxxx xxxxx1xx xxxxxxxx', scalarSame, disScalarSame, scalarSameReserved),
  row('scalar.misc', '01x11110 xx10000x xxxx10xx xxxxxxxx', miscLift(true), miscDis(true), (w) => miscReserved(w, true)),
  row('scalar.pair', '01x11110 xx11000x xxxx10xx xxxxxxxx', scalarPair, disScalarPair, scalarPairReserved),
];

