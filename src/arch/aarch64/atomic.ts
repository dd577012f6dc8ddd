// Exclusive, ordered and atomic memory instructions: LDXR/STXR (+acquire/release, bytes, halves,
// pairs), LDAR/STLR/LDLAR/STLLR, LDAPR, CAS/CASP, and the LSE LD<op>/ST<op>/SWP family.
//
// 4- and 8-byte exclusives use the IR's ll/sc; the IR has no 1-/2-byte or 16-byte variants, so
// those keep their own monitor in CPU state (EXCL_ADDR/LO/HI: address and loaded value, checked
// again by the store). Likewise the IR's amo/cas cover 4 and 8 bytes; byte and halfword atomics
// (and CASP of two X registers) are a load, the operation and a store — atomic in this engine,
// which runs one guest task at a time and switches tasks only between blocks.
import type { BlockBuilder } from '../../jit/builder.js';
import type { AmoOp, MemSize, Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { XS, ins, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, cst, rsp, rz, to64, wz } from './lift-util.js';
import { EXCL_ADDR, EXCL_HI, EXCL_LO } from './regs.js';

const sizeOf = (w: number) => 1 << bits(w, 31, 30);
const sfOf = (w: number) => (bits(w, 31, 30) === 3 ? 1 : 0);
const SFX: Record<number, string> = { 1: 'b', 2: 'h', 4: '', 8: '' };
const addrOf = (b: BlockBuilder, d: Decoded) => rsp(b, d.rn, 1);
const mem = (d: Decoded) => `[${XS(d.rn)}]`;
const not1 = (b: BlockBuilder, v: Temp) => b.bin('xor', v, c32(b, 1));

// ---- exclusives: size 001000 0 L o1 Rs o0 Rt2 Rn Rt
function ldxr(b: BlockBuilder, d: Decoded): void {
  const size = sizeOf(d.raw);
  const a = addrOf(b, d);
  if (size >= 4) return wz(b, d.rd, b.ll(size === 8 ? 'i64' : 'i32', size as 4 | 8, a));
  const v = b.load('i64', size as MemSize, false, a);
  b.set(EXCL_ADDR, a);
  b.set(EXCL_LO, v);
  wz(b, d.rd, v);
}
/** STXR: Ws = 0 if stored, 1 if the monitor was lost. */
function stxr(b: BlockBuilder, d: Decoded): void {
  const size = sizeOf(d.raw);
  const a = addrOf(b, d);
  const v = rz(b, d.rd, sfOf(d.raw));
  if (size >= 4) return wz(b, d.rm, not1(b, b.sc(size as 4 | 8, a, v)));
  const cur = b.load('i64', size as MemSize, false, a);
  const ok = b.bin('and', b.bin('eq', a, b.get('i64', EXCL_ADDR)), b.bin('eq', cur, b.get('i64', EXCL_LO)));
  b.store(size as MemSize, a, b.select(ok, to64(b, v), cur));
  b.set(EXCL_ADDR, c64(b, -1));
  wz(b, d.rm, not1(b, ok));
}
/** LDXP: two W registers are one 8-byte ll; two X registers an 8-byte ll of the first and the
 *  second doubleword remembered in EXCL_HI. */
function ldxp(b: BlockBuilder, d: Decoded): void {
  const a = addrOf(b, d);
  if (!sfOf(d.raw) || bit(d.raw, 30) === 0) {
    const v = b.ll('i64', 8, a);
    wz(b, d.rd, b.wrap(v));
    wz(b, d.ra, b.wrap(b.bin('shrl', v, c64(b, 32))));
    return;
  }
  const lo = b.ll('i64', 8, a);
  const hi = b.load('i64', 8, false, b.bin('add', a, c64(b, 8)));
  b.set(EXCL_HI, hi);
  wz(b, d.rd, lo);
  wz(b, d.ra, hi);
}
function stxp(b: BlockBuilder, d: Decoded): void {
  const a = addrOf(b, d);
  if (bit(d.raw, 30) === 0) {
    const v = b.bin('or', b.extend(rz(b, d.rd, 0), false), b.bin('shl', b.extend(rz(b, d.ra, 0), false), c64(b, 32)));
    return wz(b, d.rm, not1(b, b.sc(8, a, v)));
  }
  const a2 = b.bin('add', a, c64(b, 8));
  const lo = rz(b, d.rd, 1);
  const hi = rz(b, d.ra, 1);
  const curHi = b.load('i64', 8, false, a2);
  const hiOk = b.bin('eq', curHi, b.get('i64', EXCL_HI));
  // If the high half changed, the sc stores back the linked low half (no change) and we fail.
  const curLo = b.load('i64', 8, false, a);
  const ok = b.bin('and', b.sc(8, a, b.select(hiOk, lo, curLo)), hiOk);
  b.store(8, a2, b.select(ok, hi, curHi));
  wz(b, d.rm, not1(b, ok));
}
function ldar(b: BlockBuilder, d: Decoded): void {
  const size = sizeOf(d.raw);
  wz(b, d.rd, b.load(size === 8 ? 'i64' : 'i32', size as MemSize, false, addrOf(b, d)));
}
function stlr(b: BlockBuilder, d: Decoded): void {
  const size = sizeOf(d.raw);
  const v = rz(b, d.rd, sfOf(d.raw));
  b.store(size as MemSize, addrOf(b, d), v);
}

const ACQ_REL = ['', 'l', 'a', 'al'];
function disExcl(d: Decoded): string {
  const w = d.raw;
  const load = bit(w, 22);
  const pair = bit(w, 21);
  const o0 = bit(w, 15);
  const sz = SFX[sizeOf(w)];
  const sf = sfOf(w);
  if (pair) {
    const s = bit(w, 30);
    const name = (load ? (o0 ? 'ldaxp' : 'ldxp') : o0 ? 'stlxp' : 'stxp');
    return load ? ins(name, xr(d.rd, s), xr(d.ra, s), mem(d)) : ins(name, xr(d.rm, 0), xr(d.rd, s), xr(d.ra, s), mem(d));
  }
  if (load) return ins((o0 ? 'ldaxr' : 'ldxr') + sz, xr(d.rd, sf), mem(d));
  return ins((o0 ? 'stlxr' : 'stxr') + sz, xr(d.rm, 0), xr(d.rd, sf), mem(d));
}
function disOrdered(d: Decoded): string {
  const w = d.raw;
  const name = bit(w, 22) ? (bit(w, 15) ? 'ldar' : 'ldlar') : bit(w, 15) ? 'stlr' : 'stllr';
  return ins(name + SFX[sizeOf(w)], xr(d.rd, sfOf(w)), mem(d));
}

// ---- CAS: size 001000 1 L 1 Rs o0 11111 Rn Rt (L = acquire, o0 = release)
function cas(b: BlockBuilder, d: Decoded): void {
  const size = sizeOf(d.raw);
  const sf = sfOf(d.raw);
  const a = addrOf(b, d);
  const expected = rz(b, d.rm, sf);
  const v = rz(b, d.rd, sf);
  if (size >= 4) return wz(b, d.rm, b.cas(size as 4 | 8, a, expected, v));
  const cur = b.load('i32', size as MemSize, false, a);
  const eq = b.bin('eq', cur, b.bin('and', expected, c32(b, size === 1 ? 0xff : 0xffff)));
  b.store(size as MemSize, a, b.select(eq, v, cur));
  wz(b, d.rm, cur);
}
const casName = (w: number, base: string) => base + ACQ_REL[(bit(w, 22) << 1) | bit(w, 15)] + SFX[sizeOf(w)];
const disCas = (d: Decoded) => ins(casName(d.raw, 'cas'), xr(d.rm, sfOf(d.raw)), xr(d.rd, sfOf(d.raw)), mem(d));

// ---- CASP: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt; Rs and Rt even
function casp(b: BlockBuilder, d: Decoded): void {
  const a = addrOf(b, d);
  const s = d.rm;
  const t = d.rd;
  if (bit(d.raw, 30) === 0) {
    const join = (lo: number) => b.bin('or', b.extend(rz(b, lo, 0), false), b.bin('shl', b.extend(rz(b, lo + 1, 0), false), c64(b, 32)));
    const old = b.cas(8, a, join(s), join(t));
    wz(b, s, b.wrap(old));
    wz(b, s + 1, b.wrap(b.bin('shrl', old, c64(b, 32))));
    return;
  }
  const a2 = b.bin('add', a, c64(b, 8));
  const [e0, e1, n0, n1] = [rz(b, s, 1), rz(b, s + 1, 1), rz(b, t, 1), rz(b, t + 1, 1)];
  const cur0 = b.load('i64', 8, false, a);
  const cur1 = b.load('i64', 8, false, a2);
  const eq = b.bin('and', b.bin('eq', cur0, e0), b.bin('eq', cur1, e1));
  b.store(8, a, b.select(eq, n0, cur0));
  b.store(8, a2, b.select(eq, n1, cur1));
  wz(b, s, cur0);
  wz(b, s + 1, cur1);
}
function disCasp(d: Decoded): string {
  const s = bit(d.raw, 30);
  const name = 'casp' + ACQ_REL[(bit(d.raw, 22) << 1) | bit(d.raw, 15)];
  return ins(name, xr(d.rm, s), xr(d.rm + 1, s), xr(d.rd, s), xr(d.rd + 1, s), mem(d));
}

// ---- LSE: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt
const LSE_OPS: ReadonlyArray<[string, AmoOp]> = [
  ['add', 'add'], ['clr', 'and'], ['eor', 'xor'], ['set', 'or'], ['smax', 'maxs'], ['smin', 'mins'], ['umax', 'maxu'], ['umin', 'minu'],
];
function lseOp(b: BlockBuilder, d: Decoded, fn: AmoOp, clr: boolean): void {
  const size = sizeOf(d.raw);
  const sf = sfOf(d.raw);
  const a = addrOf(b, d);
  let v = rz(b, d.rm, sf);
  if (clr) v = b.bin('xor', v, cst(b, sf, -1)); // LDCLR: memory AND NOT operand
  if (size >= 4) return wz(b, d.rd, b.amo(fn, size as 4 | 8, a, v));
  const bitsN = size === 1 ? 8 : 16;
  const cur = b.load('i32', size as MemSize, false, a);
  let nv: Temp;
  switch (fn) {
    case 'swap': nv = v; break;
    case 'add': case 'and': case 'or': case 'xor': nv = b.bin(fn, cur, v); break;
    default: {
      const signed = fn === 'mins' || fn === 'maxs';
      const m = c32(b, size === 1 ? 0xff : 0xffff);
      const x = signed ? b.sext(cur, bitsN) : cur;
      const y = signed ? b.sext(v, bitsN) : b.bin('and', v, m);
      const lt = b.bin(signed ? 'lts' : 'ltu', x, y);
      nv = fn === 'mins' || fn === 'minu' ? b.select(lt, cur, v) : b.select(lt, v, cur);
    }
  }
  b.store(size as MemSize, a, nv);
  wz(b, d.rd, cur);
}
function lseLift(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  if (bit(w, 15)) return lseOp(b, d, 'swap', false);
  const opc = bits(w, 14, 12);
  lseOp(b, d, LSE_OPS[opc][1], opc === 1);
}
function disLse(d: Decoded): string {
  const w = d.raw;
  const sf = sfOf(w);
  const ar = ACQ_REL[(bit(w, 23) << 1) | bit(w, 22)];
  if (bit(w, 15)) return ins('swp' + ar + SFX[sizeOf(w)], xr(d.rm, sf), xr(d.rd, sf), mem(d));
  const op = LSE_OPS[bits(w, 14, 12)][0];
  // ST<op>: the load-less alias when the result is discarded and there is no acquire.
  if (d.rd === 31 && bit(w, 23) === 0) return ins('st' + op + ar + SFX[sizeOf(w)], xr(d.rm, sf), mem(d));
  return ins('ld' + op + ar + SFX[sizeOf(w)], xr(d.rm, sf), xr(d.rd, sf), mem(d));
}
// o3 = 1 with an opc other than SWP (000) and LDAPR (100) is unallocated
const lseReserved = (w: number) => bit(w, 15) === 1 && bits(w, 14, 12) !== 0;

export const ATOMIC: InsnDef[] = [
  row('stxr', 'xx001000 000xxxxx xxxxxxxx xxxxxxxx', stxr, disExcl),
  row('ldxr', 'xx001000 010xxxxx xxxxxxxx xxxxxxxx', ldxr, disExcl),
  row('casp', '0x001000 0x1xxxxx x11111xx xxxxxxxx', casp, disCasp, (w) => (w & 1) === 1 || (bits(w, 20, 16) & 1) === 1),
  row('stxp', '1x001000 001xxxxx xxxxxxxx xxxxxxxx', stxp, disExcl),
  row('ldxp', '1x001000 011xxxxx xxxxxxxx xxxxxxxx', ldxp, disExcl),
  row('stlr', 'xx001000 100xxxxx xxxxxxxx xxxxxxxx', stlr, disOrdered),
  row('ldar', 'xx001000 110xxxxx xxxxxxxx xxxxxxxx', ldar, disOrdered, (w) => bit(w, 15) === 1 && (bits(w, 20, 16) !== 31 || bits(w, 14, 10) !== 31)),
  row('cas', 'xx001000 1x1xxxxx x11111xx xxxxxxxx', cas, disCas),
  row('ldapr', 'xx111000 10111111 110000xx xxxxxxxx', ldar, (d) => ins('ldapr' + SFX[sizeOf(d.raw)], xr(d.rd, sfOf(d.raw)), mem(d))),
  row('lse', 'xx111000 xx1xxxxx xxxx00xx xxxxxxxx', lseLift, disLse, lseReserved),
];
