// Advanced SIMD shift by immediate (vector and scalar): SSHR/USHR, SSRA/USRA, the rounding forms,
// SRI/SLI, SHL, the narrowing SHRN/RSHRN/SQSHRN/UQSHRN/SQSHRUN (+ rounding), the widening
// SSHLL/USHLL (SXTL/UXTL), and the fixed-point conversions SCVTF/UCVTF/FCVTZS/FCVTZU.
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, Temp } from '../../jit/ir.js';
import { FpFlag, Rm } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { ins } from './dis-util.js';
import { accrue, fixedRm, fpcrRm } from './fp-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64 } from './lift-util.js';
import { vlo, vhi } from './regs.js';
import { saturate, setQC } from './simd-ops.js';
import { type Esize, SCALAR_PREFIX, getLanes, laneMask, narrow, setLanes, setUpperLanes, sextLane, splitHalf, vreg, widen } from './vec-util.js';

const Q = (w: number) => bit(w, 30);
const U = (w: number) => bit(w, 29);
const immhb = (w: number) => bits(w, 22, 16);
/** Element size from immh's highest set bit. */
function esOf(w: number): Esize {
  const immh = bits(w, 22, 19);
  return (8 << (31 - Math.clz32(immh))) as Esize;
}
const kOf = (b: BlockBuilder, es: Esize, v: number) => (es === 64 ? c64(b, v) : c32(b, v));

/** x >> sh for 1 ≤ sh ≤ es (a whole-lane shift gives 0 or the sign). */
function shr(b: BlockBuilder, x: Temp, sh: number, es: Esize, signed: boolean): Temp {
  const xs = signed ? sextLane(b, x, es) : x;
  if (sh >= es) return signed ? b.bin('shra', xs, kOf(b, es, es - 1)) : kOf(b, es, 0);
  return b.bin(signed ? 'shra' : 'shrl', xs, kOf(b, es, sh));
}
function rshr(b: BlockBuilder, x: Temp, sh: number, es: Esize, signed: boolean, round: boolean): Temp {
  const r = shr(b, x, sh, es, signed);
  if (!round) return r;
  const half = sh - 1 === 0 ? x : b.bin('shrl', x, kOf(b, es, sh - 1));
  return b.bin('add', r, b.bin('and', half, kOf(b, es, 1)));
}

interface ShiftOp {
  readonly name: string;
  readonly kind: 'right' | 'left' | 'narrow' | 'long' | 'cvt';
  readonly lift: (b: BlockBuilder, d: Decoded, es: Esize, sh: number, lanes: Temp[], dst: () => Temp[]) => Temp[];
}
const right = (name: string, signed: boolean, round: boolean, acc: boolean): ShiftOp => ({
  name, kind: 'right',
  lift: (b, _d, es, sh, x, dst) => {
    const r = x.map((v) => rshr(b, v, sh, es, signed, round));
    if (!acc) return r;
    const a = dst();
    return r.map((v, i) => b.bin('add', a[i], v));
  },
});
const OPS: Record<string, ShiftOp> = {
  '0:0': right('sshr', true, false, false),
  '1:0': right('ushr', false, false, false),
  '0:2': right('ssra', true, false, true),
  '1:2': right('usra', false, false, true),
  '0:4': right('srshr', true, true, false),
  '1:4': right('urshr', false, true, false),
  '0:6': right('srsra', true, true, true),
  '1:6': right('ursra', false, true, true),
  '1:8': { name: 'sri', kind: 'right', lift: (b, _d, es, sh, x, dst) => {
    const a = dst();
    if (sh >= es) return a;
    const keep = kOf(b, es, es === 64 ? 0 : ~(laneMask(es) >>> sh));
    const keep64 = es === 64 ? c64(b, ~(((1n << 64n) - 1n) >> BigInt(sh))) : keep;
    return x.map((v, i) => b.bin('or', b.bin('and', a[i], keep64), shr(b, v, sh, es, false)));
  } },
  '0:10': { name: 'shl', kind: 'left', lift: (b, _d, es, sh, x) => x.map((v) => (sh === 0 ? v : b.bin('shl', v, kOf(b, es, sh)))) },
  '1:10': { name: 'sli', kind: 'left', lift: (b, _d, es, sh, x, dst) => {
    const a = dst();
    const m = es === 64 ? c64(b, BigInt.asUintN(64, ~(((1n << 64n) - 1n) << BigInt(sh)))) : kOf(b, es, ~((laneMask(es) << sh) & laneMask(es)));
    return x.map((v, i) => b.bin('or', b.bin('and', a[i], m), sh === 0 ? v : b.bin('shl', v, kOf(b, es, sh))));
  } },
  '0:14': satLeft('sqshl', true, true),
  '1:14': satLeft('uqshl', false, false),
  '1:12': satLeft('sqshlu', true, false),
  '0:16': { name: 'shrn', kind: 'narrow', lift: (b, _d, es, sh, x) => x.map((v) => narrow(b, rshr(b, v, sh, (es * 2) as Esize, false, false), es)) },
  '0:17': { name: 'rshrn', kind: 'narrow', lift: (b, _d, es, sh, x) => x.map((v) => narrow(b, rshr(b, v, sh, (es * 2) as Esize, false, true), es)) },
  '0:18': satNarrow('sqshrn', true, true, false),
  '1:18': satNarrow('uqshrn', false, false, false),
  '0:19': satNarrow('sqrshrn', true, true, true),
  '1:19': satNarrow('uqrshrn', false, false, true),
  '1:16': satNarrow('sqshrun', true, false, false),
  '1:17': satNarrow('sqrshrun', true, false, true),
  '0:20': { name: 'sshll', kind: 'long', lift: (b, _d, es, sh, x) => x.map((v) => longShift(b, v, es, sh, true)) },
  '1:20': { name: 'ushll', kind: 'long', lift: (b, _d, es, sh, x) => x.map((v) => longShift(b, v, es, sh, false)) },
  '0:28': cvt('scvtf', true, true),
  '1:28': cvt('ucvtf', true, false),
  '0:31': cvt('fcvtzs', false, true),
  '1:31': cvt('fcvtzu', false, false),
};
/** SQSHL/UQSHL/SQSHLU (immediate): left shift with saturation (QC). */
function satLeft(name: string, srcSigned: boolean, dstSigned: boolean): ShiftOp {
  return {
    name, kind: 'left',
    lift: (b, _d, es, sh, x) => x.map((v) => {
      if (es < 64) {
        const w = b.extend(srcSigned ? sextLane(b, v, es) : v, srcSigned);
        return saturate(b, b.bin('shl', w, c64(b, sh)), es, dstSigned, srcSigned);
      }
      const k = (n: number | bigint) => c64(b, n);
      const shifted = sh === 0 ? v : b.bin('shl', v, k(sh));
      const back = sh === 0 ? v : b.bin(srcSigned ? 'shra' : 'shrl', shifted, k(sh));
      let lost = b.bin('ne', back, v);
      let satVal: Temp;
      if (srcSigned && !dstSigned) {
        // SQSHLU: negative inputs give 0; positive ones saturate to all ones
        const negIn = b.bin('lts', v, k(0));
        lost = b.bin('or', lost, negIn);
        satVal = b.select(negIn, k(0), k(-1));
      } else satVal = srcSigned ? b.select(b.bin('lts', v, k(0)), k(1n << 63n), k((1n << 63n) - 1n)) : k(-1);
      if (srcSigned && !dstSigned) {
        // a positive input whose shifted value has the top bit set still fits an unsigned result
        const negIn = b.bin('lts', v, k(0));
        const back2 = sh === 0 ? v : b.bin('shrl', shifted, k(sh));
        lost = b.bin('or', negIn, b.bin('ne', back2, v));
      }
      setQC(b, lost);
      return b.select(lost, satVal, shifted);
    }),
  };
}
function longShift(b: BlockBuilder, v: Temp, es: Esize, sh: number, signed: boolean): Temp {
  const wv = widen(b, v, es, signed);
  return sh === 0 ? wv : b.bin('shl', wv, kOf(b, (es * 2) as Esize, sh));
}
/** Saturating narrowing right shifts: source lanes of 2·es bits, signed or not; the result range
 *  signed (SQSHRN) or unsigned (UQSHRN, SQSHRUN). */
function satNarrow(name: string, srcSigned: boolean, dstSigned: boolean, round: boolean): ShiftOp {
  return {
    name, kind: 'narrow',
    lift: (b, _d, es, sh, x) => x.map((v) => {
      const wes = (es * 2) as Esize;
      const r = rshr(b, v, sh, wes, srcSigned, round);
      const r64 = wes === 64 ? r : b.extend(srcSigned ? sextLane(b, r, wes) : r, srcSigned);
      return saturate(b, r64, es, dstSigned, srcSigned);
    }),
  };
}
function cvt(name: string, toFloat: boolean, signed: boolean): ShiftOp {
  return {
    name, kind: 'cvt',
    lift: (b, _d, es, sh, x) => x.map((v) => {
      const fmt: FloatFmt = es === 32 ? 'f32' : 'f64';
      const p2 = (e: number) => (fmt === 'f32' ? c32(b, (127 + e) << 23) : c64(b, BigInt(1023 + e) << 52n));
      if (toFloat) {
        const [f, fl] = b.i2f(fmt, signed, v, fpcrRm(b));
        accrue(b, fl);
        return b.fbin('mul', fmt, f, p2(-sh), { static: Rm.RNE }, false)[0];
      }
      // FZ flushes the operand (ID) in the scaling, before it can become normal.
      const [scaled, sf] = b.fbin('mul', fmt, v, p2(sh), fixedRm(b, Rm.RNE));
      const [r, fl] = b.f2i(fmt, fmt === 'f32' ? 'i32' : 'i64', signed, scaled, { static: Rm.RTZ });
      accrue(b, b.bin('or', fl!, b.bin('and', sf!, c32(b, FpFlag.ID))));
      return r;
    }),
  };
}
const opOf = (w: number): ShiftOp | undefined => OPS[`${U(w)}:${bits(w, 15, 11)}`];
/** The shift amount: right shifts count down from 2·es, left ones up from es. */
function amountOf(op: ShiftOp, w: number, es: Esize): number {
  const v = immhb(w);
  if (op.kind === 'left' || op.kind === 'long') return v - es;
  if (op.kind === 'narrow') return 2 * es - v;
  return 2 * es - v;
}

const shiftLift = (scalar: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const w = d.raw;
  const op = opOf(w)!;
  const es = esOf(w);
  const q = scalar ? 0 : Q(w);
  const sh = amountOf(op, w, es);
  if (op.kind === 'narrow') {
    // es here is the narrow (destination) size; the source lanes are twice as wide
    const nes = es;
    const wes = (es * 2) as Esize;
    const src = scalar ? getLanes(b, d.rn, wes, 0).slice(0, 1) : getLanes(b, d.rn, wes, 1);
    const r = op.lift(b, d, nes, sh, src, () => []);
    if (q) return setUpperLanes(b, d.rd, r, nes);
    return setLanes(b, d.rd, r, nes);
  }
  if (op.kind === 'long') {
    const src = splitHalf(b, b.get('i64', q ? vhi(d.rn) : vlo(d.rn)), es);
    return setLanes(b, d.rd, op.lift(b, d, es, sh, src, () => []), (es * 2) as Esize);
  }
  const take = (n: number) => (scalar ? getLanes(b, n, es, 0).slice(0, 1) : getLanes(b, n, es, q));
  setLanes(b, d.rd, op.lift(b, d, es, sh, take(d.rn), () => take(d.rd)), es);
};
const shiftDis = (scalar: boolean) => (d: Decoded): string => {
  const w = d.raw;
  const op = opOf(w)!;
  const es = esOf(w);
  const q = scalar ? 0 : Q(w);
  const two = q && (op.kind === 'narrow' || op.kind === 'long') ? '2' : '';
  if (op.kind === 'narrow') {
    const wes = (es * 2) as Esize;
    const sh = amountOf(op, w, es);
    if (scalar) return ins(op.name, SCALAR_PREFIX[es] + d.rd, SCALAR_PREFIX[wes] + d.rn, `#${sh}`);
    return ins(op.name + two, vreg(d.rd, es, q), vreg(d.rn, wes, 1), `#${sh}`);
  }
  const sh = amountOf(op, w, es);
  if (op.kind === 'long') {
    if (sh === 0) return ins((op.name === 'sshll' ? 'sxtl' : 'uxtl') + two, vreg(d.rd, (es * 2) as Esize, 1), vreg(d.rn, es, q));
    return ins(op.name + two, vreg(d.rd, (es * 2) as Esize, 1), vreg(d.rn, es, q), `#${sh}`);
  }
  if (scalar) return ins(op.name, SCALAR_PREFIX[es] + d.rd, SCALAR_PREFIX[es] + d.rn, `#${sh}`);
  return ins(op.name, vreg(d.rd, es, q), vreg(d.rn, es, q), `#${sh}`);
};
function shiftReserved(w: number, scalar: boolean): boolean {
  const immh = bits(w, 22, 19);
  if (immh === 0) return true;
  const op = opOf(w);
  if (op === undefined) return true;
  const es = esOf(w);
  if (op.kind === 'narrow') return es === 64 || (scalar && (op.name === 'shrn' || op.name === 'rshrn'));
  if (op.kind === 'long') return scalar || es === 64;
  if (op.kind === 'cvt') return es < 32 || (!scalar && es === 64 && Q(w) === 0);
  if (scalar) return es !== 64 && !['sqshl', 'uqshl', 'sqshlu'].includes(op.name);
  return es === 64 && Q(w) === 0;
}

export const SIMD_SHIFT: InsnDef[] = [
  row('simd.shift', '0xx01111 0xxxxxxx xxxxx1xx xxxxxxxx', shiftLift(false), shiftDis(false), (w) => shiftReserved(w, false)),
  row('scalar.shift', '01x11111 0xxxxxxx xxxxx1xx xxxxxxxx', shiftLift(true), shiftDis(true), (w) => shiftReserved(w, true)),
];
