// Advanced SIMD dot products (FEAT_DotProd: SDOT/UDOT, vector and by element), the int8 matrix
// multiplies (FEAT_I8MM: USDOT/SUDOT, SMMLA/UMMLA/USMMLA) and the rounding doubling
// multiply-accumulate high halves (FEAT_RDM: SQRDMLAH/SQRDMLSH, vector, scalar and by element).
// Their rows sit before the other SIMD rows: the "three same extra" space shares bits with the
// copy group, the by-element opcodes with the SIMD_INDEX rows (which reserve them).
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { ins } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64 } from './lift-util.js';
import { getLane } from './simd-perm.js';
import { saturate } from './simd-ops.js';
import { type Esize, SCALAR_PREFIX, getLanes, setLanes, sextLane, vreg } from './vec-util.js';

const Q = (w: number) => bit(w, 30);
const U = (w: number) => bit(w, 29);
const size = (w: number) => bits(w, 23, 22);

// ---- SDOT/UDOT/USDOT/SUDOT: each 32-bit lane of Vd += the sum of four byte products (n and m
// bytes signed or unsigned each)
function dotLanes(b: BlockBuilder, d: Decoded, m: (i: number) => Temp[], q: number, nSigned: boolean, mSigned: boolean): void {
  const x = getLanes(b, d.rn, 8, q);
  const acc = getLanes(b, d.rd, 32, q);
  const ext = (v: Temp, signed: boolean) => (signed ? b.sext(v, 8) : v);
  setLanes(b, d.rd, acc.map((a, i) => {
    const y = m(i);
    let s = a;
    for (let k = 0; k < 4; k++) s = b.bin('add', s, b.bin('mul', ext(x[4 * i + k], nSigned), ext(y[k], mSigned)));
    return s;
  }), 32);
}
const bytesOf = (b: BlockBuilder, v: Temp): Temp[] => [0, 8, 16, 24].map((sh) => b.bin('and', sh ? b.bin('shrl', v, c32(b, sh)) : v, c32(b, 0xff)));
/** Signedness of the n and m bytes: SDOT, UDOT, USDOT (n unsigned, m signed), SUDOT (the reverse). */
const dotSigns = (name: string): [boolean, boolean] =>
  name === 'sdot' ? [true, true] : name === 'udot' ? [false, false] : name === 'usdot' ? [false, true] : [true, false];
function dotVec(b: BlockBuilder, d: Decoded): void {
  const q = Q(d.raw);
  const y = getLanes(b, d.rm, 8, q);
  dotLanes(b, d, (i) => y.slice(4 * i, 4 * i + 4), q, ...dotSigns(sameName(d.raw)));
}
function dotElem(b: BlockBuilder, d: Decoded): void {
  const y = bytesOf(b, getLane(b, d.rm, 32, (bit(d.raw, 11) << 1) | bit(d.raw, 21)));
  dotLanes(b, d, () => y, Q(d.raw), ...dotSigns(elemName(d.raw)));
}

// ---- SMMLA/UMMLA/USMMLA Vd.4S, Vn.16B, Vm.16B: Vd (2×2) += Vn (2×8) · Vm (2×8)ᵀ
function mmla(b: BlockBuilder, d: Decoded): void {
  const [nSigned, mSigned] = sameName(d.raw) === 'smmla' ? [true, true] : sameName(d.raw) === 'ummla' ? [false, false] : [false, true];
  const x = getLanes(b, d.rn, 8, 1);
  const y = getLanes(b, d.rm, 8, 1);
  const acc = getLanes(b, d.rd, 32, 1);
  const ext = (v: Temp, signed: boolean) => (signed ? b.sext(v, 8) : v);
  setLanes(b, d.rd, acc.map((a, e) => {
    const i = e >> 1;
    const j = e & 1;
    let s = a;
    for (let k = 0; k < 8; k++) s = b.bin('add', s, b.bin('mul', ext(x[8 * i + k], nSigned), ext(y[8 * j + k], mSigned)));
    return s;
  }), 32);
}

// ---- SQRDMLAH/SQRDMLSH: sat((a << es ± 2·x·y + 2^(es-1)) >> es), computed as
// a + ((±x·y + 2^(es-2)) >> (es-1)) so nothing overflows i64 (a << 32 ± 2^63 would).
function rdmlah(b: BlockBuilder, sub: boolean, a: Temp, x: Temp, y: Temp, es: Esize): Temp {
  const w = (v: Temp) => b.extend(sextLane(b, v, es), true);
  let p = b.bin('mul', w(x), w(y));
  if (sub) p = b.bin('sub', c64(b, 0), p);
  const t = b.bin('shra', b.bin('add', p, c64(b, 1n << BigInt(es - 2))), c64(b, es - 1));
  return saturate(b, b.bin('add', w(a), t), es, true);
}
const esOf = (w: number): Esize => (size(w) === 1 ? 16 : 32);
function rdmSame(scalar: boolean) {
  return (b: BlockBuilder, d: Decoded): void => {
    const es = esOf(d.raw);
    const q = scalar ? 0 : Q(d.raw);
    const take = (n: number) => (scalar ? getLanes(b, n, es, 0).slice(0, 1) : getLanes(b, n, es, q));
    const x = take(d.rn);
    const y = take(d.rm);
    const a = take(d.rd);
    const sub = bit(d.raw, 11) === 1;
    setLanes(b, d.rd, a.map((ai, i) => rdmlah(b, sub, ai, x[i], y[i], es)), es);
  };
}
/** The indexed element of a by-element op: Vm (v0-v15 for halfwords) and H:L(:M). */
function elemOf(w: number): { es: Esize; m: number; index: number } {
  const h = bit(w, 11);
  const l = bit(w, 21);
  if (size(w) === 1) return { es: 16, m: bits(w, 19, 16), index: (h << 2) | (l << 1) | bit(w, 20) };
  return { es: 32, m: bits(w, 20, 16), index: (h << 1) | l };
}
function rdmElem(scalar: boolean) {
  return (b: BlockBuilder, d: Decoded): void => {
    const { es, m, index } = elemOf(d.raw);
    const q = scalar ? 0 : Q(d.raw);
    const y = getLane(b, m, es, index);
    const x = scalar ? getLanes(b, d.rn, es, 0).slice(0, 1) : getLanes(b, d.rn, es, q);
    const a = scalar ? getLanes(b, d.rd, es, 0).slice(0, 1) : getLanes(b, d.rd, es, q);
    const sub = bits(d.raw, 15, 12) === 15;
    setLanes(b, d.rd, a.map((ai, i) => rdmlah(b, sub, ai, x[i], y, es)), es);
  };
}

// ---- decode: 0 Q U 01110 size 0 Rm 1 opcode 1 Rn Rd (three same extra): opcode 0000/0001 RDM,
// 0010 SDOT/UDOT, 0011 USDOT, 0100 SMMLA/UMMLA, 0101 USMMLA
const sameOp = (w: number) => bits(w, 14, 11);
const SAME_NAMES: Readonly<Record<string, string>> = {
  '1:0': 'sqrdmlah', '1:1': 'sqrdmlsh', '0:2': 'sdot', '1:2': 'udot', '0:3': 'usdot', '0:4': 'smmla', '1:4': 'ummla', '0:5': 'usmmla',
};
const sameName = (w: number) => SAME_NAMES[`${U(w)}:${sameOp(w)}`] ?? '';
const sameReserved = (w: number) => {
  const name = sameName(w);
  if (name.startsWith('sqrdml')) return !(size(w) === 1 || size(w) === 2);
  if (name.endsWith('mmla')) return size(w) !== 2 || Q(w) === 0;
  return name === '' || size(w) !== 2;
};
function sameLift(b: BlockBuilder, d: Decoded): void {
  const name = sameName(d.raw);
  if (name.endsWith('dot')) return dotVec(b, d);
  if (name.endsWith('mmla')) return mmla(b, d);
  rdmSame(false)(b, d);
}
function sameDis(d: Decoded): string {
  const w = d.raw;
  const q = Q(w);
  if (!sameName(w).startsWith('sqrdml')) return ins(sameName(w), vreg(d.rd, 32, q), vreg(d.rn, 8, q), vreg(d.rm, 8, q));
  const es = esOf(w);
  return ins(sameName(w), vreg(d.rd, es, q), vreg(d.rn, es, q), vreg(d.rm, es, q));
}
function scalarSameDis(d: Decoded): string {
  const p = SCALAR_PREFIX[esOf(d.raw)];
  return ins(sameName(d.raw), p + d.rd, p + d.rn, p + d.rm);
}

// ---- by element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd; opcode 1110 SDOT/UDOT, 1111 with
// U = 0: SUDOT (size 00), USDOT (size 10); 1101/1111 with U = 1: RDM
const elemOp = (w: number) => bits(w, 15, 12);
const elemName = (w: number): string => {
  const op = elemOp(w);
  if (op === 14) return U(w) ? 'udot' : 'sdot';
  if (U(w)) return op === 13 ? 'sqrdmlah' : op === 15 ? 'sqrdmlsh' : '';
  return op === 15 ? (size(w) === 0 ? 'sudot' : size(w) === 2 ? 'usdot' : '') : '';
};
const elemReserved = (w: number) => {
  const name = elemName(w);
  if (name.startsWith('sqrdml')) return !(size(w) === 1 || size(w) === 2);
  if (name === 'sdot' || name === 'udot') return size(w) !== 2;
  return name === '';
};
function elemLift(b: BlockBuilder, d: Decoded): void {
  if (elemName(d.raw).endsWith('dot')) return dotElem(b, d);
  rdmElem(false)(b, d);
}
function elemDis(d: Decoded): string {
  const w = d.raw;
  const q = Q(w);
  if (elemName(w).endsWith('dot')) return ins(elemName(w), vreg(d.rd, 32, q), vreg(d.rn, 8, q), `v${bits(w, 20, 16)}.4b[${(bit(w, 11) << 1) | bit(w, 21)}]`);
  const { es, m, index } = elemOf(w);
  return ins(elemName(w), vreg(d.rd, es, q), vreg(d.rn, es, q), `v${m}.${SCALAR_PREFIX[es]}[${index}]`);
}
function scalarElemDis(d: Decoded): string {
  const { es, m, index } = elemOf(d.raw);
  const p = SCALAR_PREFIX[es];
  return ins(elemName(d.raw), p + d.rd, p + d.rn, `v${m}.${p}[${index}]`);
}
const rdmSizes = (w: number) => !(size(w) === 1 || size(w) === 2);

export const SIMD_DOT: InsnDef[] = [
  row('simd.same.extra', '0xx01110 xx0xxxxx 1xxxx1xx xxxxxxxx', sameLift, sameDis, sameReserved),
  row('scalar.sqrdmlah', '01111110 xx0xxxxx 1000x1xx xxxxxxxx', rdmSame(true), scalarSameDis, rdmSizes),
  row('simd.elem.extra', '0xx01111 xxxxxxxx 11xxx0xx xxxxxxxx', elemLift, elemDis, elemReserved),
  row('scalar.elem.sqrdmlah', '01111111 xxxxxxxx 11x1x0xx xxxxxxxx', rdmElem(true), scalarElemDis, rdmSizes),
];
