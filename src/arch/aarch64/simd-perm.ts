// Advanced SIMD data movement: copy (DUP, INS, UMOV, SMOV and their MOV aliases, scalar DUP),
// modified immediate (MOVI, MVNI, ORR, BIC, FMOV vector), permutes (UZP/TRN/ZIP), EXT and
// table lookups (TBL/TBX).
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { imm, ins, xr } from './dis-util.js';
import { expandFpImm, fpImmText } from './fp-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, rz, wz } from './lift-util.js';
import { vhi, vlo } from './regs.js';
import { type Esize, SCALAR_PREFIX, getHalves, getLanes, laneMask, setHalves, setLanes, vreg } from './vec-util.js';

const Q = (w: number) => bit(w, 30);

// ================================================================ copy
/** imm5's lowest set bit gives the element size; the bits above it the index. */
function elemOf(imm5: number): { es: Esize; index: number } | null {
  for (let s = 0; s < 4; s++) if (imm5 & (1 << s)) return { es: (8 << s) as Esize, index: imm5 >> (s + 1) };
  return null;
}
const ES_CHAR: Record<Esize, string> = { 8: 'b', 16: 'h', 32: 's', 64: 'd' };
const elemName = (n: number, es: Esize, i: number) => `v${n}.${ES_CHAR[es]}[${i}]`;

/** Lane `index` of register n (i32 for ≤ 32 bits, i64 for 64). */
export function getLane(b: BlockBuilder, n: number, es: Esize, index: number): Temp {
  const bitPos = index * es;
  const half = b.get('i64', bitPos >= 64 ? vhi(n) : vlo(n));
  if (es === 64) return half;
  const sh = bitPos % 64;
  const w = b.wrap(sh === 0 ? half : b.bin('shrl', half, c64(b, sh)));
  return es === 32 ? w : b.bin('and', w, c32(b, laneMask(es)));
}
/** Replace lane `index` of register n, keeping the others. */
export function setLane(b: BlockBuilder, n: number, es: Esize, index: number, v: Temp): void {
  const bitPos = index * es;
  const slot = bitPos >= 64 ? vhi(n) : vlo(n);
  if (es === 64) return b.set(slot, b.typeOf(v) === 'i64' ? v : b.extend(v, false));
  const sh = bitPos % 64;
  const m = BigInt.asUintN(64, BigInt(laneMask(es) >>> 0) << BigInt(sh));
  const v32 = b.typeOf(v) === 'i64' ? b.wrap(v) : v;
  const ins64 = b.bin('shl', b.bin('and', b.extend(v32, false), c64(b, laneMask(es) >>> 0)), c64(b, sh));
  b.set(slot, b.bin('or', b.bin('and', b.get('i64', slot), c64(b, ~m)), ins64));
}

function copy(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const { es, index } = elemOf(bits(w, 20, 16))!;
  const imm4 = bits(w, 14, 11);
  const q = Q(w);
  if (bit(w, 29)) {
    // INS (element)
    return setLane(b, d.rd, es, index, getLane(b, d.rn, es, imm4 >> Math.log2(es / 8)));
  }
  switch (imm4) {
    case 0: { // DUP (element)
      const v = getLane(b, d.rn, es, index);
      return setLanes(b, d.rd, new Array((q ? 128 : 64) / es).fill(v), es);
    }
    case 1: { // DUP (general)
      const v = rz(b, d.rn, es === 64 ? 1 : 0);
      return setLanes(b, d.rd, new Array((q ? 128 : 64) / es).fill(v), es);
    }
    case 3: // INS (general)
      return setLane(b, d.rd, es, index, rz(b, d.rn, es === 64 ? 1 : 0));
    case 5: { // SMOV
      const v = getLane(b, d.rn, es, index);
      const s = es === 32 ? v : b.sext(v, es as 8 | 16);
      return wz(b, d.rd, q ? b.extend(s, true) : s);
    }
    default: // UMOV
      return wz(b, d.rd, getLane(b, d.rn, es, index));
  }
}
function disCopy(d: Decoded): string {
  const w = d.raw;
  const { es, index } = elemOf(bits(w, 20, 16))!;
  const imm4 = bits(w, 14, 11);
  const q = Q(w);
  if (bit(w, 29)) return ins('mov', elemName(d.rd, es, index), elemName(d.rn, es, imm4 >> Math.log2(es / 8)));
  switch (imm4) {
    case 0: return ins('dup', vreg(d.rd, es, q), elemName(d.rn, es, index));
    case 1: return ins('dup', vreg(d.rd, es, q), xr(d.rn, es === 64 ? 1 : 0));
    case 3: return ins('mov', elemName(d.rd, es, index), xr(d.rn, es === 64 ? 1 : 0));
    case 5: return ins('smov', xr(d.rd, q), elemName(d.rn, es, index));
    default: return ins((es === 32 && !q) || (es === 64 && q) ? 'mov' : 'umov', xr(d.rd, q), elemName(d.rn, es, index));
  }
}
function copyReserved(w: number): boolean {
  const e = elemOf(bits(w, 20, 16));
  if (e === null) return true;
  const q = Q(w);
  const imm4 = bits(w, 14, 11);
  if (bit(w, 29)) return q === 0;
  switch (imm4) {
    case 0: return e.es === 64 && q === 0;
    case 1: return e.es === 64 && q === 0;
    case 3: return q === 0;
    case 5: return e.es === 64 || (e.es === 32 && q === 0);
    case 7: return q ? e.es !== 64 : e.es === 64;
    default: return true;
  }
}
// scalar DUP (element): 01 0 11110000 imm5 0 0000 1 Rn Rd
function scalarDup(b: BlockBuilder, d: Decoded): void {
  const { es, index } = elemOf(bits(d.raw, 20, 16))!;
  setLanes(b, d.rd, [getLane(b, d.rn, es, index)], es);
}
function disScalarDup(d: Decoded): string {
  const { es, index } = elemOf(bits(d.raw, 20, 16))!;
  return ins('mov', SCALAR_PREFIX[es] + d.rd, elemName(d.rn, es, index));
}

// ================================================================ modified immediate
/** AdvSIMDExpandImm for the integer forms: the 64-bit pattern, and the element size. */
function expandImm(op: number, cmode: number, imm8: number): { v: bigint; es: Esize } {
  const i = BigInt(imm8);
  const rep = (x: bigint, es: number) => {
    let r = 0n;
    for (let k = 0; k < 64; k += es) r |= x << BigInt(k);
    return r;
  };
  switch (cmode >> 1) {
    case 0: case 1: case 2: case 3: return { v: rep(i << BigInt(8 * (cmode >> 1)), 32), es: 32 };
    case 4: case 5: return { v: rep(i << BigInt(8 * ((cmode >> 1) & 1)), 16), es: 16 };
    case 6: return { v: rep(cmode & 1 ? (i << 16n) | 0xffffn : (i << 8n) | 0xffn, 32), es: 32 };
    default: {
      if (op === 0) return { v: rep(i, 8), es: 8 };
      let r = 0n;
      for (let k = 0; k < 8; k++) if (imm8 & (1 << k)) r |= 0xffn << BigInt(8 * k);
      return { v: r, es: 64 };
    }
  }
}
function modImm(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const op = bit(w, 29);
  const cmode = bits(w, 15, 12);
  const imm8 = (bits(w, 18, 16) << 5) | bits(w, 9, 5);
  const q = Q(w);
  let v: bigint;
  if (cmode === 15) v = op ? expandFpImm(imm8, 'f64') : (() => { const s = expandFpImm(imm8, 'f32'); return (s << 32n) | s; })();
  else v = expandImm(op, cmode, imm8).v;
  const orrBic = cmode !== 14 && cmode !== 15 && (cmode & 1) === 1 && cmode < 12;
  if (orrBic) {
    const [lo, hi] = getHalves(b, d.rd);
    const f = (h: Temp) => (op ? b.bin('and', h, c64(b, ~v)) : b.bin('or', h, c64(b, v)));
    return setHalves(b, d.rd, f(lo), q ? f(hi) : null);
  }
  if (op && cmode !== 14 && cmode !== 15) v = BigInt.asUintN(64, ~v); // MVNI
  const k = c64(b, v);
  setHalves(b, d.rd, k, q ? k : null);
}
function disModImm(d: Decoded): string {
  const w = d.raw;
  const op = bit(w, 29);
  const cmode = bits(w, 15, 12);
  const imm8 = (bits(w, 18, 16) << 5) | bits(w, 9, 5);
  const q = Q(w);
  if (cmode === 15) {
    const fmt = op ? 'f64' : 'f32';
    return ins('fmov', vreg(d.rd, op ? 64 : 32, q), fpImmText(expandFpImm(imm8, fmt), fmt));
  }
  if (cmode === 14) {
    if (op === 0) return ins('movi', vreg(d.rd, 8, q), imm(imm8));
    const { v } = expandImm(1, 14, imm8);
    return q ? ins('movi', vreg(d.rd, 64, 1), imm(v)) : ins('movi', `d${d.rd}`, imm(v));
  }
  const es: Esize = cmode < 8 || cmode >= 12 ? 32 : 16;
  let shift: string;
  if (cmode >= 12) shift = `, msl #${cmode & 1 ? 16 : 8}`;
  else {
    const amount = es === 32 ? 8 * (cmode >> 1) : 8 * ((cmode >> 1) & 1);
    shift = amount ? `, lsl #${amount}` : '';
  }
  const orrBic = (cmode & 1) === 1 && cmode < 12;
  const name = orrBic ? (op ? 'bic' : 'orr') : op ? 'mvni' : 'movi';
  return ins(name, vreg(d.rd, es, q), imm(imm8)) + shift;
}
const modImmReserved = (w: number) => bits(w, 15, 12) === 15 && bit(w, 29) === 1 && Q(w) === 0;

// ================================================================ permute
const PERM = ['', 'uzp1', 'trn1', 'zip1', '', 'uzp2', 'trn2', 'zip2'];
function permute(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const es = (8 << bits(w, 23, 22)) as Esize;
  const q = Q(w);
  const op = bits(w, 14, 12);
  const n = getLanes(b, d.rn, es, q);
  const m = getLanes(b, d.rm, es, q);
  const count = n.length;
  const part = op >> 2; // 1 for the "2" forms
  const r: Temp[] = [];
  for (let i = 0; i < count; i++) {
    switch (op & 3) {
      case 1: { const c = [...n, ...m]; r.push(c[2 * i + part]); break; }
      case 2: r.push(i % 2 === 0 ? n[i + part] : m[i - 1 + part]); break;
      default: { const base = part * (count / 2); r.push(i % 2 === 0 ? n[base + i / 2] : m[base + (i - 1) / 2]); }
    }
  }
  setLanes(b, d.rd, r, es);
}
function disPermute(d: Decoded): string {
  const w = d.raw;
  const es = (8 << bits(w, 23, 22)) as Esize;
  const q = Q(w);
  return ins(PERM[bits(w, 14, 12)], vreg(d.rd, es, q), vreg(d.rn, es, q), vreg(d.rm, es, q));
}

// ================================================================ EXT
function ext(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const q = Q(w);
  const pos = bits(w, 14, 11);
  const [nl, nh] = getHalves(b, d.rn);
  const [ml, mh] = getHalves(b, d.rm);
  const words = q ? [nl, nh, ml, mh] : [nl, ml];
  const j = pos >> 3;
  const s = (pos & 7) * 8;
  const word = (k: number): Temp => {
    if (s === 0) return words[k];
    return b.bin('or', b.bin('shrl', words[k], c64(b, s)), b.bin('shl', words[k + 1], c64(b, 64 - s)));
  };
  setHalves(b, d.rd, word(j), q ? word(j + 1) : null);
}
const disExt = (d: Decoded) => ins('ext', vreg(d.rd, 8, Q(d.raw)), vreg(d.rn, 8, Q(d.raw)), vreg(d.rm, 8, Q(d.raw)), `#${bits(d.raw, 14, 11)}`);

// ================================================================ TBL/TBX
function tbl(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const q = Q(w);
  const len = bits(w, 14, 13) + 1;
  const tbx = bit(w, 12) === 1;
  const halves: Temp[] = [];
  for (let i = 0; i < len; i++) halves.push(...getHalves(b, (d.rn + i) % 32));
  const idx = getLanes(b, d.rm, 8, q);
  const old = tbx ? getLanes(b, d.rd, 8, q) : [];
  const r = idx.map((ix, k) => {
    const i64 = b.extend(ix, false);
    const sh = b.bin('shl', b.bin('and', i64, c64(b, 7)), c64(b, 3));
    const which = b.bin('shrl', i64, c64(b, 3));
    let h = halves[halves.length - 1];
    for (let j = halves.length - 2; j >= 0; j--) h = b.select(b.bin('eq', which, c64(b, j)), halves[j], h);
    const byte = b.bin('and', b.wrap(b.bin('shrl', h, sh)), c32(b, 0xff));
    const inRange = b.bin('ltu', ix, c32(b, 16 * len));
    return b.select(inRange, byte, tbx ? old[k] : c32(b, 0));
  });
  setLanes(b, d.rd, r, 8);
}
function disTbl(d: Decoded): string {
  const w = d.raw;
  const q = Q(w);
  const len = bits(w, 14, 13) + 1;
  const regs = Array.from({ length: len }, (_, i) => vreg((d.rn + i) % 32, 8, 1));
  const list = len > 1 && (d.rn + len - 1) < 32 && len > 2 ? `{${regs[0]}-${regs[len - 1]}}` : `{${regs.join(', ')}}`;
  return ins(bit(w, 12) ? 'tbx' : 'tbl', vreg(d.rd, 8, q), list, vreg(d.rm, 8, q));
}

export const SIMD_PERM: InsnDef[] = [
  row('simd.copy', '0xx01110 000xxxxx 0xxxx1xx xxxxxxxx', copy, disCopy, copyReserved),
  row('scalar.dup', '01011110 000xxxxx 000001xx xxxxxxxx', scalarDup, disScalarDup, (w) => elemOf(bits(w, 20, 16)) === null),
  row('simd.modimm', '0xx01111 00000xxx xxxx01xx xxxxxxxx', modImm, disModImm, modImmReserved),
  row('simd.perm', '0x001110 xx0xxxxx 0xxx10xx xxxxxxxx', permute, disPermute, (w) => PERM[bits(w, 14, 12)] === '' || (bits(w, 23, 22) === 3 && Q(w) === 0)),
  row('simd.ext', '0x101110 000xxxxx 0xxxx0xx xxxxxxxx', ext, disExt, (w) => Q(w) === 0 && bit(w, 14) === 1),
  row('simd.tbl', '0x001110 000xxxxx 0xxx00xx xxxxxxxx', tbl, disTbl),
];

