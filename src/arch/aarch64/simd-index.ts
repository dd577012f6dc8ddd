// Advanced SIMD by element (vector and scalar): MUL/MLA/MLS, the widening SMULL/UMULL/SMLAL/
// UMLAL/SMLSL/UMLSL (+ "2"), and FMUL/FMLA/FMLS with one operand a lane of Vm.
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { ins } from './dis-util.js';
import { accrue, fpcrRm } from './fp-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64 } from './lift-util.js';
import { vhi, vlo } from './regs.js';
import { getLane } from './simd-perm.js';
import { type Esize, SCALAR_PREFIX, getLanes, setLanes, splitHalf, vreg, widen } from './vec-util.js';
import { THREE_SAME_FP, THREE_SAME_INT } from './simd-ops.js';
import { doublingMulLong, satAccumulateWide } from './simd-arith.js';

const Q = (w: number) => bit(w, 30);
const U = (w: number) => bit(w, 29);

interface ElemOp { readonly name: string; readonly kind: 'int' | 'long' | 'fp'; readonly acc: 0 | 1 | -1 }
const OPS: Record<string, ElemOp> = {
  '1:0': { name: 'mla', kind: 'int', acc: 1 },
  '1:4': { name: 'mls', kind: 'int', acc: -1 },
  '0:8': { name: 'mul', kind: 'int', acc: 0 },
  '0:2': { name: 'smlal', kind: 'long', acc: 1 },
  '1:2': { name: 'umlal', kind: 'long', acc: 1 },
  '0:6': { name: 'smlsl', kind: 'long', acc: -1 },
  '1:6': { name: 'umlsl', kind: 'long', acc: -1 },
  '0:10': { name: 'smull', kind: 'long', acc: 0 },
  '1:10': { name: 'umull', kind: 'long', acc: 0 },
  '0:3': { name: 'sqdmlal', kind: 'long', acc: 1 },
  '0:7': { name: 'sqdmlsl', kind: 'long', acc: -1 },
  '0:11': { name: 'sqdmull', kind: 'long', acc: 0 },
  '0:12': { name: 'sqdmulh', kind: 'int', acc: 0 },
  '0:13': { name: 'sqrdmulh', kind: 'int', acc: 0 },
  '0:1': { name: 'fmla', kind: 'fp', acc: 1 },
  '0:5': { name: 'fmls', kind: 'fp', acc: -1 },
  '0:9': { name: 'fmul', kind: 'fp', acc: 0 },
  '1:9': { name: 'fmulx', kind: 'fp', acc: 0 },
};
const opOf = (w: number): ElemOp | undefined => OPS[`${U(w)}:${bits(w, 15, 12)}`];

/** Element size, Vm number and lane index of the indexed operand. */
function elemOf(w: number, op: ElemOp): { es: Esize; m: number; index: number } {
  const size = bits(w, 23, 22);
  const h = bit(w, 11);
  const l = bit(w, 21);
  const m4 = bits(w, 19, 16);
  if (op.kind === 'fp') {
    return bit(w, 22) ? { es: 64, m: (bit(w, 20) << 4) | m4, index: h } : { es: 32, m: (bit(w, 20) << 4) | m4, index: (h << 1) | l };
  }
  if (size === 1) return { es: 16, m: m4, index: (h << 2) | (l << 1) | bit(w, 20) };
  return { es: 32, m: (bit(w, 20) << 4) | m4, index: (h << 1) | l };
}

const liftElem = (scalar: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const w = d.raw;
  const op = opOf(w)!;
  const { es, m, index } = elemOf(w, op);
  const q = scalar ? 0 : Q(w);
  const y = getLane(b, m, es, index);
  if (op.kind === 'fp') {
    const fmt: FloatFmt = es === 32 ? 'f32' : 'f64';
    const x = scalar ? getLanes(b, d.rn, es, 0).slice(0, 1) : getLanes(b, d.rn, es, q);
    const acc = op.acc !== 0 ? (scalar ? getLanes(b, d.rd, es, 0).slice(0, 1) : getLanes(b, d.rd, es, q)) : [];
    const r = x.map((xi, i) => {
      let res: Temp;
      let f: Temp | undefined;
      if (op.name === 'fmulx') return THREE_SAME_FP['0:0:27'].op(b, fmt, xi, y, xi);
      if (op.acc === 0) [res, f] = b.fbin('mul', fmt, xi, y, fpcrRm(b));
      else {
        const xs = op.acc < 0 ? b.bin('xor', xi, fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n)) : xi;
        [res, f] = b.ffma(fmt, xs, y, acc[i], fpcrRm(b));
      }
      accrue(b, f);
      return res;
    });
    return setLanes(b, d.rd, r, es);
  }
  if (op.name === 'sqdmulh' || op.name === 'sqrdmulh') {
    const f = THREE_SAME_INT[op.name === 'sqdmulh' ? '0:22' : '1:22'].op;
    const x = scalar ? getLanes(b, d.rn, es, 0).slice(0, 1) : getLanes(b, d.rn, es, q);
    return setLanes(b, d.rd, x.map((xi) => f(b, xi, y, es, xi)), es);
  }
  if (op.name.startsWith('sqd')) {
    const wes = (es * 2) as Esize;
    const x = scalar ? [getLane(b, d.rn, es, 0)] : splitHalf(b, b.get('i64', q ? vhi(d.rn) : vlo(d.rn)), es);
    const prods = x.map((xi) => doublingMulLong(b, xi, y, es));
    if (op.acc === 0) return setLanes(b, d.rd, prods, wes);
    const acc = scalar ? getLanes(b, d.rd, wes, 0).slice(0, 1) : getLanes(b, d.rd, wes, 1);
    return setLanes(b, d.rd, prods.map((p, i) => satAccumulateWide(b, acc[i], p, wes, op.acc < 0)), wes);
  }
  if (op.kind === 'int') {
    const x = getLanes(b, d.rn, es, q);
    const acc = op.acc !== 0 ? getLanes(b, d.rd, es, q) : [];
    const r = x.map((xi, i) => {
      const p = b.bin('mul', xi, y);
      return op.acc === 0 ? p : b.bin(op.acc > 0 ? 'add' : 'sub', acc[i], p);
    });
    return setLanes(b, d.rd, r, es);
  }
  // widening: the low (or, for "2", high) half of Vn
  const signed = op.name.startsWith('s');
  const wes = (es * 2) as Esize;
  const x = splitHalf(b, b.get('i64', q ? vhi(d.rn) : vlo(d.rn)), es).map((v) => widen(b, v, es, signed));
  const yw = widen(b, y, es, signed);
  const acc = op.acc !== 0 ? getLanes(b, d.rd, wes, 1) : [];
  const r = x.map((xi, i) => {
    const p = b.bin('mul', xi, yw);
    return op.acc === 0 ? p : b.bin(op.acc > 0 ? 'add' : 'sub', acc[i], p);
  });
  setLanes(b, d.rd, r, wes);
};
const disElem = (scalar: boolean) => (d: Decoded): string => {
  const w = d.raw;
  const op = opOf(w)!;
  const { es, m, index } = elemOf(w, op);
  const q = Q(w);
  const elem = `v${m}.${SCALAR_PREFIX[es]}[${index}]`;
  if (scalar && op.kind === 'long') return ins(op.name, SCALAR_PREFIX[(es * 2) as Esize] + d.rd, SCALAR_PREFIX[es] + d.rn, elem);
  if (scalar) return ins(op.name, SCALAR_PREFIX[es] + d.rd, SCALAR_PREFIX[es] + d.rn, elem);
  if (op.kind === 'long') return ins(op.name + (q ? '2' : ''), vreg(d.rd, (es * 2) as Esize, 1), vreg(d.rn, es, q), elem);
  return ins(op.name, vreg(d.rd, es, q), vreg(d.rn, es, q), elem);
};
function reserved(w: number, scalar: boolean): boolean {
  const op = opOf(w);
  if (op === undefined) return true;
  const size = bits(w, 23, 22);
  if (op.kind === 'fp') return size < 2 || (bit(w, 22) === 1 && (bit(w, 21) === 1 || (!scalar && Q(w) === 0)));
  if (size === 0 || size === 3) return true;
  return scalar && !op.name.startsWith('sqd') && op.name !== 'sqrdmulh';
}

export const SIMD_INDEX: InsnDef[] = [
  row('simd.elem', '0xx01111 xxxxxxxx xxxxx0xx xxxxxxxx', liftElem(false), disElem(false), (w) => reserved(w, false)),
  row('scalar.elem', '01x11111 xxxxxxxx xxxxx0xx xxxxxxxx', liftElem(true), disElem(true), (w) => reserved(w, true)),
];
