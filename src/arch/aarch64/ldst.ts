// Loads and stores of general and FP/SIMD registers: literal, unsigned offset, unscaled, pre/post
// index, unprivileged, register offset (with extend), pairs (incl. non-temporal and LDPSW), the
// RCpc unscaled forms (LDAPUR/STLUR). Ordering (acquire/release) needs nothing: the engine runs
// each guest access in program order.
import type { BlockBuilder } from '../../jit/builder.js';
import type { MemSize, Temp } from '../../jit/ir.js';
import { bit, bits, sx } from './bits.js';
import { XS, dec, imm2, ins, target, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c64, rsp, rz, wsp, wz } from './lift-util.js';
import { vhi, vlo } from './regs.js';

/** What one load/store form moves: to/from a general register (sf: as X) or an FP/SIMD one. */
export interface Access {
  readonly kind: 'load' | 'store' | 'prfm';
  readonly bytes: 1 | 2 | 4 | 8 | 16;
  readonly signed: boolean;
  readonly sf: number;
  readonly fp: boolean;
}

/** The access of a size:V:opc combination (load/store register classes), or null if unallocated. */
export function accessOf(size: number, v: number, opc: number): Access | null {
  if (v) {
    if (size !== 0 && opc >= 2) return null;
    const bytes = (opc >= 2 ? 16 : 1 << size) as Access['bytes'];
    return { kind: opc & 1 ? 'load' : 'store', bytes, signed: false, sf: 1, fp: true };
  }
  const bytes = (1 << size) as Access['bytes'];
  if (opc === 0) return { kind: 'store', bytes, signed: false, sf: size === 3 ? 1 : 0, fp: false };
  if (opc === 1) return { kind: 'load', bytes, signed: false, sf: size === 3 ? 1 : 0, fp: false };
  if (opc === 2) return size === 3 ? { kind: 'prfm', bytes: 8, signed: false, sf: 1, fp: false } : { kind: 'load', bytes, signed: true, sf: 1, fp: false };
  return size >= 2 ? null : { kind: 'load', bytes, signed: true, sf: 0, fp: false };
}
const accessOfWord = (w: number): Access | null => accessOf(bits(w, 31, 30), bit(w, 26), bits(w, 23, 22));

const FP_PREFIX: Record<number, string> = { 1: 'b', 2: 'h', 4: 's', 8: 'd', 16: 'q' };
/** The transfer register's name. */
export function rtName(a: Access, r: number): string {
  return a.fp ? FP_PREFIX[a.bytes] + r : xr(r, a.sf);
}
/** Mnemonic: "st"/"ld" + mid ("r", "ur", "tr", "p", …) + size suffix ("b", "h", "sb", "sh", "sw"). */
function mnemonic(a: Access, mid: string): string {
  if (a.kind === 'prfm') return mid === 'ur' ? 'prfum' : 'prfm';
  let sfx = '';
  if (!a.fp) {
    if (a.bytes === 1) sfx = 'b';
    else if (a.bytes === 2) sfx = 'h';
    else if (a.bytes === 4 && a.signed) sfx = 'w';
    if (a.signed) sfx = 's' + sfx;
  }
  return (a.kind === 'store' ? 'st' : 'ld') + mid + sfx;
}

// ---- moving one register
/** Load into register r what `a` describes, from addr. */
export function loadReg(b: BlockBuilder, a: Access, r: number, addr: Temp): void {
  if (a.fp) {
    if (a.bytes === 16) {
      const lo = b.load('i64', 8, false, addr);
      const hi = b.load('i64', 8, false, b.bin('add', addr, c64(b, 8)));
      b.set(vlo(r), lo);
      b.set(vhi(r), hi);
    } else {
      b.set(vlo(r), b.load('i64', a.bytes, false, addr));
      b.set(vhi(r), c64(b, 0));
    }
    return;
  }
  wz(b, r, b.load(a.sf ? 'i64' : 'i32', a.bytes as MemSize, a.signed, addr));
}
/** The value(s) to store from register r (read before any writeback). */
export function storeValue(b: BlockBuilder, a: Access, r: number): Temp[] {
  if (a.fp) return a.bytes === 16 ? [b.get('i64', vlo(r)), b.get('i64', vhi(r))] : [b.get('i64', vlo(r))];
  return [rz(b, r, a.bytes === 8 ? 1 : 0)];
}
export function storeTo(b: BlockBuilder, a: Access, v: Temp[], addr: Temp): void {
  if (a.bytes === 16) {
    b.store(8, addr, v[0]);
    b.store(8, b.bin('add', addr, c64(b, 8)), v[1]);
  } else b.store(a.bytes as MemSize, addr, v[0]);
}

// ---- addressing
type Mode = 'offset' | 'pre' | 'post';
/** One access at base+off with the mode's writeback. Prefetches do nothing (no fault either). */
function access(b: BlockBuilder, a: Access, rt: number, rn: number, off: number, mode: Mode): void {
  if (a.kind === 'prfm') return;
  const base = rsp(b, rn, 1);
  const moved = off === 0 ? base : b.bin('add', base, c64(b, off));
  const addr = mode === 'post' ? base : moved;
  if (a.kind === 'load') {
    loadReg(b, a, rt, addr);
    if (mode !== 'offset') wsp(b, rn, moved);
  } else {
    storeTo(b, a, storeValue(b, a, rt), addr);
    if (mode !== 'offset') wsp(b, rn, moved);
  }
}
function disAddr(rn: number, off: number, mode: Mode, showZero: boolean): string {
  if (mode === 'post') return `[${XS(rn)}], ${dec(off)}`;
  if (mode === 'pre') return `[${XS(rn)}, ${dec(off)}]!`;
  return off === 0 && !showZero ? `[${XS(rn)}]` : `[${XS(rn)}, ${dec(off)}]`;
}

const PRF_TYPES = ['pld', 'pli', 'pst'];
function prfop(r: number): string {
  const t = r >> 3;
  const tgt = (r >> 1) & 3;
  if (t < 3 && tgt < 3) return `${PRF_TYPES[t]}l${tgt + 1}${r & 1 ? 'strm' : 'keep'}`;
  return imm2(r);
}
const rtText = (a: Access, r: number) => (a.kind === 'prfm' ? prfop(r) : rtName(a, r));

// unsigned offset: size 111 V 01 opc imm12 Rn Rt
const scaleOf = (a: Access) => (a.kind === 'prfm' ? 8 : a.bytes);
const uoffLift = (b: BlockBuilder, d: Decoded): void => {
  const a = accessOfWord(d.raw)!;
  access(b, a, d.rd, d.rn, bits(d.raw, 21, 10) * scaleOf(a), 'offset');
};
const uoffDis = (d: Decoded): string => {
  const a = accessOfWord(d.raw)!;
  return ins(mnemonic(a, 'r'), rtText(a, d.rd), disAddr(d.rn, bits(d.raw, 21, 10) * scaleOf(a), 'offset', false));
};

// imm9: size 111 V 00 opc 0 imm9 op Rn Rt; op: 00 unscaled, 01 post, 10 unprivileged, 11 pre
const IMM9_MODES: Mode[] = ['offset', 'post', 'offset', 'pre'];
const IMM9_MID = ['ur', 'r', 'tr', 'r'];
const imm9 = (w: number) => sx(bits(w, 20, 12), 9);
const imm9Lift = (b: BlockBuilder, d: Decoded): void => {
  access(b, accessOfWord(d.raw)!, d.rd, d.rn, imm9(d.raw), IMM9_MODES[bits(d.raw, 11, 10)]);
};
const imm9Dis = (d: Decoded): string => {
  const a = accessOfWord(d.raw)!;
  const op = bits(d.raw, 11, 10);
  return ins(mnemonic(a, IMM9_MID[op]), rtText(a, d.rd), disAddr(d.rn, imm9(d.raw), IMM9_MODES[op], false));
};
const imm9Reserved = (w: number): boolean => {
  const a = accessOfWord(w);
  if (a === null) return true;
  const op = bits(w, 11, 10);
  return (a.kind === 'prfm' && op !== 0) || (a.fp && op === 2);
};

// register offset: size 111 V 00 opc 1 Rm option S 10 Rn Rt
const EXT = ['', '', 'uxtw', 'lsl', '', '', 'sxtw', 'sxtx'];
function regOffset(b: BlockBuilder, d: Decoded, a: Access): Temp {
  const w = d.raw;
  const option = bits(w, 15, 13);
  const shift = bit(w, 12) ? Math.log2(scaleOf(a)) : 0;
  let m: Temp;
  if (option & 1) m = rz(b, d.rm, 1);
  else m = b.extend(rz(b, d.rm, 0), option >= 4);
  if (shift) m = b.bin('shl', m, c64(b, shift));
  return b.bin('add', rsp(b, d.rn, 1), m);
}
const regLift = (b: BlockBuilder, d: Decoded): void => {
  const a = accessOfWord(d.raw)!;
  if (a.kind === 'prfm') return;
  const addr = regOffset(b, d, a);
  if (a.kind === 'load') loadReg(b, a, d.rd, addr);
  else storeTo(b, a, storeValue(b, a, d.rd), addr);
};
const regDis = (d: Decoded): string => {
  const w = d.raw;
  const a = accessOfWord(w)!;
  const option = bits(w, 15, 13);
  const s = bit(w, 12);
  const amount = Math.log2(scaleOf(a));
  let ext = '';
  // objdump: "lsl" only with S set; an extend alone without S; the amount whenever S is set
  if (option === 3) ext = s ? `, lsl #${amount}` : '';
  else ext = `, ${EXT[option]}` + (s ? ` #${amount}` : '');
  return ins(mnemonic(a, 'r'), rtText(a, d.rd), `[${XS(d.rn)}, ${xr(d.rm, option & 1)}${ext}]`);
};
const regReserved = (w: number) => accessOfWord(w) === null || (bits(w, 15, 13) & 2) === 0;

// literal: opc 011 V 00 imm19 Rt
function literalAccess(w: number): Access | null {
  const opc = bits(w, 31, 30);
  if (bit(w, 26)) return opc === 3 ? null : { kind: 'load', bytes: (4 << opc) as Access['bytes'], signed: false, sf: 1, fp: true };
  if (opc === 3) return { kind: 'prfm', bytes: 8, signed: false, sf: 1, fp: false };
  return { kind: 'load', bytes: opc === 1 ? 8 : 4, signed: opc === 2, sf: opc === 0 ? 0 : 1, fp: false };
}
const litTarget = (d: Decoded) => d.pc + sx(bits(d.raw, 23, 5), 19) * 4;
const literalLift = (b: BlockBuilder, d: Decoded): void => {
  const a = literalAccess(d.raw)!;
  if (a.kind === 'load') loadReg(b, a, d.rd, c64(b, litTarget(d)));
};
const literalDis = (d: Decoded): string => {
  const a = literalAccess(d.raw)!;
  return ins(a.kind === 'prfm' ? 'prfm' : a.signed ? 'ldrsw' : 'ldr', rtText(a, d.rd), target(litTarget(d), 0));
};

// pairs: opc 101 V 0 mode(2) L imm7 Rt2 Rn Rt; mode 00 non-temporal offset, 01 post, 10 offset, 11 pre
const PAIR_MODES: Mode[] = ['offset', 'post', 'offset', 'pre'];
function pairAccess(w: number): Access | null {
  const opc = bits(w, 31, 30);
  const load = bit(w, 22) === 1;
  const kind = load ? 'load' : 'store';
  if (bit(w, 26)) return opc === 3 ? null : { kind, bytes: (4 << opc) as Access['bytes'], signed: false, sf: 1, fp: true };
  if (opc === 0) return { kind, bytes: 4, signed: false, sf: 0, fp: false };
  if (opc === 2) return { kind, bytes: 8, signed: false, sf: 1, fp: false };
  if (opc === 1 && load && bits(w, 24, 23) !== 0) return { kind, bytes: 4, signed: true, sf: 1, fp: false }; // LDPSW
  return null;
}
const pairLift = (b: BlockBuilder, d: Decoded): void => {
  const w = d.raw;
  const a = pairAccess(w)!;
  const mode = PAIR_MODES[bits(w, 24, 23)];
  const off = sx(bits(w, 21, 15), 7) * a.bytes;
  const base = rsp(b, d.rn, 1);
  const moved = off === 0 ? base : b.bin('add', base, c64(b, off));
  const addr = mode === 'post' ? base : moved;
  const addr2 = b.bin('add', addr, c64(b, a.bytes));
  if (a.kind === 'load') {
    // Both loads before either register is written: a fault leaves both registers unchanged.
    if (a.fp) {
      loadReg(b, a, d.rd, addr);
      loadReg(b, a, d.ra, addr2);
    } else {
      const ty = a.sf ? 'i64' : 'i32';
      const v1 = b.load(ty, a.bytes as MemSize, a.signed, addr);
      const v2 = b.load(ty, a.bytes as MemSize, a.signed, addr2);
      wz(b, d.rd, v1);
      wz(b, d.ra, v2);
    }
  } else {
    const v1 = storeValue(b, a, d.rd);
    const v2 = storeValue(b, a, d.ra);
    storeTo(b, a, v1, addr);
    storeTo(b, a, v2, addr2);
  }
  if (mode !== 'offset') wsp(b, d.rn, moved);
};
const pairDis = (d: Decoded): string => {
  const w = d.raw;
  const a = pairAccess(w)!;
  const m = bits(w, 24, 23);
  const name = (a.kind === 'load' ? 'ld' : 'st') + (m === 0 ? 'np' : 'p') + (a.signed ? 'sw' : '');
  return ins(name, rtName(a, d.rd), rtName(a, d.ra), disAddr(d.rn, sx(bits(w, 21, 15), 7) * a.bytes, PAIR_MODES[m], false));
};

// RCpc unscaled: size 011001 opc 0 imm9 00 Rn Rt (LDAPUR*, STLUR*)
const rcpcAccess = (w: number): Access | null => {
  const a = accessOf(bits(w, 31, 30), 0, bits(w, 23, 22));
  return a === null || a.kind === 'prfm' ? null : a;
};
const rcpcLift = (b: BlockBuilder, d: Decoded): void => access(b, rcpcAccess(d.raw)!, d.rd, d.rn, imm9(d.raw), 'offset');
const rcpcDis = (d: Decoded): string => {
  const a = rcpcAccess(d.raw)!;
  return ins(mnemonic(a, a.kind === 'store' ? 'lur' : 'apur'), rtName(a, d.rd), disAddr(d.rn, imm9(d.raw), 'offset', false));
};

export const LDST: InsnDef[] = [
  row('ldr.lit', 'xx011x00 xxxxxxxx xxxxxxxx xxxxxxxx', literalLift, literalDis, (w) => literalAccess(w) === null),
  row('ldp/stp', 'xx101x0x xxxxxxxx xxxxxxxx xxxxxxxx', pairLift, pairDis, (w) => pairAccess(w) === null),
  row('ldr.uoff', 'xx111x01 xxxxxxxx xxxxxxxx xxxxxxxx', uoffLift, uoffDis, (w) => accessOfWord(w) === null),
  row('ldr.imm9', 'xx111x00 xx0xxxxx xxxxxxxx xxxxxxxx', imm9Lift, imm9Dis, imm9Reserved),
  row('ldr.reg', 'xx111x00 xx1xxxxx xxxx10xx xxxxxxxx', regLift, regDis, regReserved),
  row('ldapur/stlur', 'xx011001 xx0xxxxx xxxx00xx xxxxxxxx', rcpcLift, rcpcDis, (w) => rcpcAccess(w) === null),
];
