// Data processing — immediate: PC-relative addressing, add/sub (immediate), logical (bitmask
// immediate), move wide, bitfield and extract. Rows, lifters and objdump's aliases together.
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { bit, bits, decodeBitMasks, logicalImm, sx } from './bits.js';
import { commented, dec, hex, imm, ins, target, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { addWithCarry, c64, cst, logicFlags, rsp, rz, subWithCarry, wsp, wz } from './lift-util.js';

const width = (sf: number): 32 | 64 => (sf ? 64 : 32);
const mask = (sf: number): bigint => (sf ? (1n << 64n) - 1n : 0xffffffffn);

// ---- ADR, ADRP
const adrOff = (w: number) => sx((bits(w, 23, 5) << 2) | bits(w, 30, 29), 21);
const adrTarget = (d: Decoded): number =>
  d.raw >>> 31 ? Math.floor(d.pc / 4096) * 4096 + adrOff(d.raw) * 4096 : d.pc + adrOff(d.raw);

// ---- ADD/SUB (immediate)
const addSubImm = (sub: boolean, setFlags: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf, raw: w } = d;
  const v = bits(w, 21, 10) << (bit(w, 22) ? 12 : 0);
  const a = rsp(b, d.rn, sf);
  const k = cst(b, sf, v);
  const r = sub ? subWithCarry(b, a, k, undefined, setFlags) : addWithCarry(b, a, k, undefined, setFlags);
  if (setFlags) wz(b, d.rd, r);
  else wsp(b, d.rd, r);
};
function disAddSubImm(d: Decoded, sub: boolean, setFlags: boolean): string {
  const { sf, raw: w } = d;
  const k = imm(bits(w, 21, 10)) + (bit(w, 22) ? ', lsl #12' : '');
  const rn = xr(d.rn, sf, true);
  if (!sub && !setFlags && bits(w, 22, 10) === 0 && (d.rd === 31 || d.rn === 31)) return ins('mov', xr(d.rd, sf, true), rn);
  if (setFlags && d.rd === 31) return ins(sub ? 'cmp' : 'cmn', rn, k);
  return ins((sub ? 'sub' : 'add') + (setFlags ? 's' : ''), xr(d.rd, sf, !setFlags), rn, k);
}

// ---- logical (immediate)
type LogicOp = 'and' | 'or' | 'xor';
const logicImm = (fn: LogicOp, setFlags: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  const r = b.bin(fn, rz(b, d.rn, sf), cst(b, sf, logicalImm(d.raw, width(sf))!));
  if (setFlags) {
    logicFlags(b, r);
    wz(b, d.rd, r);
  } else wsp(b, d.rd, r);
};
/** Whether a bitmask immediate could be a MOVZ/MOVN (then objdump does not print ORR as MOV). */
function moveWidePreferred(sf: number, n: number, imms: number, immr: number): boolean {
  const w = width(sf);
  if (sf === 1 && n !== 1) return false;
  if (sf === 0 && !(n === 0 && (imms & 0x20) === 0)) return false;
  if (imms < 16) return ((-immr % 16) + 16) % 16 <= 15 - imms;
  if (imms >= w - 15) return immr % 16 <= imms - (w - 15);
  return false;
}
function disLogicImm(d: Decoded, name: string): string {
  const { sf, raw: w } = d;
  const v = logicalImm(w, width(sf))!;
  const k = imm(v);
  if (name === 'ands' && d.rd === 31) return ins('tst', xr(d.rn, sf), k);
  if (name === 'orr' && d.rn === 31 && !moveWidePreferred(sf, bit(w, 22), bits(w, 15, 10), bits(w, 21, 16))) {
    // objdump adds the value in signed decimal, as for the MOVZ/MOVN aliases
    return commented('mov', xr(d.rd, sf, true), k, '#' + BigInt.asIntN(width(sf), BigInt(v)).toString());
  }
  return ins(name, xr(d.rd, sf, name !== 'ands'), xr(d.rn, sf), k);
}
const logicReserved = (w: number) => (w >>> 31 === 0 && bit(w, 22) === 1) || logicalImm(w, w >>> 31 ? 64 : 32) === null;

// ---- move wide
const moveWide = (kind: 'n' | 'z' | 'k') => (b: BlockBuilder, d: Decoded): void => {
  const { sf, raw: w } = d;
  const shift = BigInt(bits(w, 22, 21) * 16);
  const v = BigInt(bits(w, 20, 5)) << shift;
  if (kind === 'k') {
    const keep = cst(b, sf, ~(0xffffn << shift));
    wz(b, d.rd, b.bin('or', b.bin('and', rz(b, d.rd, sf), keep), cst(b, sf, v)));
  } else wz(b, d.rd, cst(b, sf, kind === 'n' ? ~v & mask(sf) : v));
};
function disMoveWide(d: Decoded, kind: 'n' | 'z' | 'k'): string {
  const { sf, raw: w } = d;
  const hw = bits(w, 22, 21);
  const i16 = bits(w, 20, 5);
  const shifted = imm(i16) + (hw ? `, lsl #${hw * 16}` : '');
  const rd = xr(d.rd, sf);
  if (kind === 'k') return ins('movk', rd, shifted);
  const alias = !(i16 === 0 && hw !== 0) && !(kind === 'n' && sf === 0 && i16 === 0xffff);
  if (!alias) return ins('mov' + kind, rd, shifted);
  let v = BigInt(i16) << BigInt(hw * 16);
  if (kind === 'n') v = ~v & mask(sf);
  const signed = sf ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v);
  return commented('mov', rd, imm(v), '#' + signed.toString());
}

// ---- bitfield
const bitfield = (kind: 's' | 'u' | 'b') => (b: BlockBuilder, d: Decoded): void => {
  const { sf, raw: w } = d;
  const wd = width(sf);
  const immr = bits(w, 21, 16);
  const imms = bits(w, 15, 10);
  const { wmask, tmask } = decodeBitMasks(bit(w, 22), imms, immr, false, wd)!;
  const src = rz(b, d.rn, sf);
  // The common aliases as single shifts / extensions (the general form below covers them too).
  if (kind !== 'b') {
    if (imms === wd - 1) return wz(b, d.rd, immr === 0 ? src : b.bin(kind === 's' ? 'shra' : 'shrl', src, cst(b, sf, immr))); // ASR, LSR
    if (kind === 'u' && imms + 1 === immr) return wz(b, d.rd, b.bin('shl', src, cst(b, sf, wd - immr))); // LSL
    if (kind === 's' && immr === 0 && (imms === 7 || imms === 15 || imms === 31)) return wz(b, d.rd, b.sext(src, (imms + 1) as 8 | 16 | 32)); // SXT*
  }
  const rot = immr === 0 ? src : b.bin('rotr', src, cst(b, sf, immr));
  const and = (x: Temp, m: bigint) => (m === mask(sf) ? x : b.bin('and', x, cst(b, sf, m)));
  let r: Temp;
  if (kind === 'u') {
    r = and(rot, wmask & tmask);
  } else if (kind === 's') {
    const bot = and(rot, wmask & tmask);
    // Copies of bit imms of the source fill the bits above the field.
    const top = b.bin('shra', b.bin('shl', src, cst(b, sf, wd - 1 - imms)), cst(b, sf, wd - 1));
    r = b.bin('or', and(top, ~tmask & mask(sf)), bot);
  } else {
    const dst = rz(b, d.rd, sf);
    const bot = b.bin('or', and(dst, ~wmask & mask(sf)), and(rot, wmask));
    r = b.bin('or', and(dst, ~tmask & mask(sf)), and(bot, tmask));
  }
  wz(b, d.rd, r);
};
function disBitfield(d: Decoded, kind: 's' | 'u' | 'b'): string {
  const { sf, raw: w } = d;
  const wd = width(sf);
  const immr = bits(w, 21, 16);
  const imms = bits(w, 15, 10);
  const rd = xr(d.rd, sf);
  const rn = xr(d.rn, sf);
  if (kind === 'b') {
    if (imms < immr) {
      if (d.rn === 31) return ins('bfc', rd, dec(wd - immr), dec(imms + 1));
      return ins('bfi', rd, rn, dec((wd - immr) % wd), dec(imms + 1));
    }
    return ins('bfxil', rd, rn, dec(immr), dec(imms - immr + 1));
  }
  const p = kind;
  if (imms === wd - 1) return ins(p === 's' ? 'asr' : 'lsr', rd, rn, dec(immr));
  if (p === 'u' && imms + 1 === immr) return ins('lsl', rd, rn, dec(wd - 1 - imms));
  if (immr === 0 && (imms === 7 || imms === 15 || (imms === 31 && p === 's'))) {
    if (p === 's' || sf === 0) return ins(`${p}xt${imms === 7 ? 'b' : imms === 15 ? 'h' : 'w'}`, rd, xr(d.rn, 0));
  }
  if (imms < immr) return ins(`${p}bfiz`, rd, rn, dec((wd - immr) % wd), dec(imms + 1));
  return ins(`${p}bfx`, rd, rn, dec(immr), dec(imms - immr + 1));
}
const bitfieldReserved = (w: number) => bit(w, 22) !== w >>> 31 || (w >>> 31 === 0 && (bit(w, 21) | bit(w, 15)) !== 0);

// ---- EXTR
function extr(b: BlockBuilder, d: Decoded): void {
  const { sf, raw: w } = d;
  const lsb = bits(w, 15, 10);
  const lo = rz(b, d.rm, sf);
  if (lsb === 0) return wz(b, d.rd, lo);
  if (d.rn === d.rm) return wz(b, d.rd, b.bin('rotr', lo, cst(b, sf, lsb)));
  const hi = rz(b, d.rn, sf);
  wz(b, d.rd, b.bin('or', b.bin('shrl', lo, cst(b, sf, lsb)), b.bin('shl', hi, cst(b, sf, width(sf) - lsb))));
}
function disExtr(d: Decoded): string {
  const { sf } = d;
  const lsb = dec(bits(d.raw, 15, 10));
  if (d.rn === d.rm) return ins('ror', xr(d.rd, sf), xr(d.rn, sf), lsb);
  return ins('extr', xr(d.rd, sf), xr(d.rn, sf), xr(d.rm, sf), lsb);
}

const LOGIC: ReadonlyArray<[string, LogicOp, boolean, string]> = [
  ['and', 'and', false, '00'], ['orr', 'or', false, '01'], ['eor', 'xor', false, '10'], ['ands', 'and', true, '11'],
];
const ADDSUB: ReadonlyArray<[string, boolean, boolean, string]> = [
  ['add', false, false, '00'], ['adds', false, true, '01'], ['sub', true, false, '10'], ['subs', true, true, '11'],
];

export const DP_IMM: InsnDef[] = [
  row('adr', '0xx10000 xxxxxxxx xxxxxxxx xxxxxxxx', (b, d) => wz(b, d.rd, c64(b, adrTarget(d))), (d) => ins('adr', xr(d.rd, 1), target(adrTarget(d), 0))),
  row('adrp', '1xx10000 xxxxxxxx xxxxxxxx xxxxxxxx', (b, d) => wz(b, d.rd, c64(b, adrTarget(d))), (d) => ins('adrp', xr(d.rd, 1), hex(adrTarget(d)).slice(2))),
  ...ADDSUB.map(([name, sub, s, opS]) =>
    row(name, `x${opS}10001 0xxxxxxx xxxxxxxx xxxxxxxx`, addSubImm(sub, s), (d) => disAddSubImm(d, sub, s))),
  ...LOGIC.map(([name, fn, s, opc]) =>
    row(name, `x${opc}10010 0xxxxxxx xxxxxxxx xxxxxxxx`, logicImm(fn, s), (d) => disLogicImm(d, name), logicReserved)),
  ...(['n', 'z', 'k'] as const).map((k) =>
    row('mov' + k, `x${{ n: '00', z: '10', k: '11' }[k]}10010 1xxxxxxx xxxxxxxx xxxxxxxx`, moveWide(k), (d) => disMoveWide(d, k),
      (w) => w >>> 31 === 0 && bit(w, 22) === 1)),
  ...(['s', 'b', 'u'] as const).map((k, i) =>
    row(`${k === 'b' ? '' : k}bfm`, `x${['00', '01', '10'][i]}10011 0xxxxxxx xxxxxxxx xxxxxxxx`, bitfield(k), (d) => disBitfield(d, k), bitfieldReserved)),
  row('extr', 'x0010011 1x0xxxxx xxxxxxxx xxxxxxxx', extr, disExtr, (w) => bit(w, 22) !== w >>> 31 || (w >>> 31 === 0 && bit(w, 15) === 1)),
];
