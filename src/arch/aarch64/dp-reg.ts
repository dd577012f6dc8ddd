// Data processing — register: logical and add/sub (shifted register), add/sub (extended
// register), add/sub with carry, conditional compare, conditional select, 1-, 2- and 3-source ops.
import type { BlockBuilder } from '../../jit/builder.js';
import type { BinOp, Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { COND, imm, ins, withCond, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import {
  addFlags, addWithCarry, c32, condHolds, cst, logicFlags, rsp, rz, setNZCV, subFlags, subWithCarry, to64, wsp, wz,
} from './lift-util.js';
import { CF } from './regs.js';

const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];
const SHIFT_OPS: BinOp[] = ['shl', 'shrl', 'shra', 'rotr'];
const EXT_NAMES = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];

/** Rm shifted by the instruction's shift type and imm6. */
function shiftedRm(b: BlockBuilder, d: Decoded): Temp {
  const { sf, raw: w } = d;
  const v = rz(b, d.rm, sf);
  const amt = bits(w, 15, 10);
  return amt === 0 ? v : b.bin(SHIFT_OPS[bits(w, 23, 22)], v, cst(b, sf, amt));
}
function disShift(d: Decoded): string {
  const t = bits(d.raw, 23, 22);
  const amt = bits(d.raw, 15, 10);
  return t === 0 && amt === 0 ? '' : `, ${SHIFT_NAMES[t]} #${amt}`;
}
const shiftReserved = (w: number) => w >>> 31 === 0 && bit(w, 15) === 1;

// ---- logical (shifted register)
type LogicFn = 'and' | 'or' | 'xor';
const logicReg = (fn: LogicFn, invert: boolean, setFlags: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  let m = shiftedRm(b, d);
  if (invert) m = b.bin('xor', m, cst(b, sf, -1));
  const r = b.bin(fn, rz(b, d.rn, sf), m);
  if (setFlags) logicFlags(b, r);
  wz(b, d.rd, r);
};
function disLogicReg(d: Decoded, name: string): string {
  const { sf } = d;
  const [rd, rn, rm] = [xr(d.rd, sf), xr(d.rn, sf), xr(d.rm, sf)];
  const sh = disShift(d);
  if (name === 'orr' && d.rn === 31 && sh === '') return ins('mov', rd, rm);
  if (name === 'orn' && d.rn === 31) return ins('mvn', rd, rm) + sh;
  if (name === 'ands' && d.rd === 31) return ins('tst', rn, rm) + sh;
  return ins(name, rd, rn, rm) + sh;
}

// ---- add/sub (shifted register)
const addSubReg = (sub: boolean, setFlags: boolean, ext: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  const a = ext ? rsp(b, d.rn, sf) : rz(b, d.rn, sf);
  const m = ext ? extendedRm(b, d) : shiftedRm(b, d);
  const r = sub ? subWithCarry(b, a, m, undefined, setFlags) : addWithCarry(b, a, m, undefined, setFlags);
  if (ext && !setFlags) wsp(b, d.rd, r);
  else wz(b, d.rd, r);
};
function disAddSubShifted(d: Decoded, sub: boolean, setFlags: boolean): string {
  const { sf } = d;
  const [rd, rn, rm] = [xr(d.rd, sf), xr(d.rn, sf), xr(d.rm, sf)];
  const sh = disShift(d);
  const base = (sub ? 'sub' : 'add') + (setFlags ? 's' : '');
  if (setFlags && d.rd === 31) return ins(sub ? 'cmp' : 'cmn', rn, rm) + sh;
  if (sub && d.rn === 31) return ins(setFlags ? 'negs' : 'neg', rd, rm) + sh;
  return ins(base, rd, rn, rm) + sh;
}

// ---- add/sub (extended register)
/** Rm extended (UXTB … SXTX) and shifted left by imm3, at the operation's width. */
function extendedRm(b: BlockBuilder, d: Decoded): Temp {
  const { sf, raw: w } = d;
  const option = bits(w, 15, 13);
  const shift = bits(w, 12, 10);
  const signed = option >= 4;
  const size = option & 3;
  let v: Temp;
  if (size === 3) v = rz(b, d.rm, sf);
  else {
    let x = rz(b, d.rm, 0);
    if (size < 2) x = signed ? b.sext(x, size === 0 ? 8 : 16) : b.bin('and', x, c32(b, size === 0 ? 0xff : 0xffff));
    v = sf ? to64(b, x, signed) : x;
  }
  return shift === 0 ? v : b.bin('shl', v, cst(b, sf, shift));
}
function disAddSubExt(d: Decoded, sub: boolean, setFlags: boolean): string {
  const { sf, raw: w } = d;
  const option = bits(w, 15, 13);
  const shift = bits(w, 12, 10);
  const rd = xr(d.rd, sf, !setFlags);
  const rn = xr(d.rn, sf, true);
  const rm = xr(d.rm, sf && (option & 3) === 3 ? 1 : 0);
  let ext: string;
  const lslAlias = (d.rd === 31 && !setFlags) || d.rn === 31;
  if (lslAlias && option === (sf ? 3 : 2)) ext = shift === 0 ? '' : `, lsl #${shift}`;
  else ext = `, ${EXT_NAMES[option]}` + (shift === 0 ? '' : ` #${shift}`);
  if (setFlags && d.rd === 31) return ins(sub ? 'cmp' : 'cmn', rn, rm) + ext;
  return ins((sub ? 'sub' : 'add') + (setFlags ? 's' : ''), rd, rn, rm) + ext;
}

// ---- ADC/SBC
const adcSbc = (sub: boolean, setFlags: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  const a = rz(b, d.rn, sf);
  const m = rz(b, d.rm, sf);
  const c = b.get('i32', CF);
  wz(b, d.rd, sub ? subWithCarry(b, a, m, c, setFlags) : addWithCarry(b, a, m, c, setFlags));
};
function disAdcSbc(d: Decoded, name: string): string {
  const { sf } = d;
  if (name.startsWith('sbc') && d.rn === 31) return ins(name === 'sbc' ? 'ngc' : 'ngcs', xr(d.rd, sf), xr(d.rm, sf));
  return ins(name, xr(d.rd, sf), xr(d.rn, sf), xr(d.rm, sf));
}

// ---- CCMN/CCMP
const condCompare = (sub: boolean, immediate: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf, raw: w } = d;
  const holds = condHolds(b, bits(w, 15, 12));
  const a = rz(b, d.rn, sf);
  const m = immediate ? cst(b, sf, d.rm) : rz(b, d.rm, sf);
  const { nzcv } = sub ? subFlags(b, a, m, undefined) : addFlags(b, a, m, undefined);
  const f = (i: number) => b.select(holds, nzcv[i], c32(b, (w >>> (3 - i)) & 1));
  setNZCV(b, f(0), f(1), f(2), f(3));
};
function disCondCompare(d: Decoded, name: string, immediate: boolean): string {
  const { sf, raw: w } = d;
  const cond = bits(w, 15, 12);
  return withCond(ins(name, xr(d.rn, sf), immediate ? imm(d.rm) : xr(d.rm, sf), imm(w & 15), COND[cond]), cond);
}

// ---- conditional select
const condSelect = (kind: 'sel' | 'inc' | 'inv' | 'neg') => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  const holds = condHolds(b, bits(d.raw, 15, 12));
  let m = rz(b, d.rm, sf);
  if (kind === 'inc') m = b.bin('add', m, cst(b, sf, 1));
  else if (kind === 'inv') m = b.bin('xor', m, cst(b, sf, -1));
  else if (kind === 'neg') m = b.bin('sub', cst(b, sf, 0), m);
  wz(b, d.rd, b.select(holds, rz(b, d.rn, sf), m));
};
function disCondSelect(d: Decoded, kind: 'sel' | 'inc' | 'inv' | 'neg'): string {
  const { sf } = d;
  const cond = bits(d.raw, 15, 12);
  const [rd, rn, rm] = [xr(d.rd, sf), xr(d.rn, sf), xr(d.rm, sf)];
  if (kind !== 'sel' && cond < 14 && d.rn === d.rm) {
    const inv = cond ^ 1;
    if (d.rn === 31 && kind !== 'neg') return withCond(ins(kind === 'inc' ? 'cset' : 'csetm', rd, COND[inv]), inv);
    if (d.rn !== 31 || kind === 'neg') return withCond(ins(`c${kind}`, rd, rn, COND[inv]), inv);
  }
  return withCond(ins(kind === 'sel' ? 'csel' : `cs${kind}`, rd, rn, rm, COND[cond]), cond);
}

// ---- 3-source
const mulAdd = (sub: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  const p = b.bin('mul', rz(b, d.rn, sf), rz(b, d.rm, sf));
  const a = rz(b, d.ra, sf);
  wz(b, d.rd, d.ra === 31 && !sub ? p : b.bin(sub ? 'sub' : 'add', a, p));
};
const mulAddLong = (signed: boolean, sub: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const p = b.bin('mul', to64(b, rz(b, d.rn, 0), signed), to64(b, rz(b, d.rm, 0), signed));
  wz(b, d.rd, d.ra === 31 && !sub ? p : b.bin(sub ? 'sub' : 'add', rz(b, d.ra, 1), p));
};
const mulHigh = (signed: boolean) => (b: BlockBuilder, d: Decoded): void => {
  wz(b, d.rd, b.bin(signed ? 'mulhs' : 'mulhu', rz(b, d.rn, 1), rz(b, d.rm, 1)));
};
function dis3(d: Decoded, name: string, alias: string, long: boolean): string {
  const sf = d.sf;
  const s = long ? 0 : sf;
  if (d.ra === 31 && alias) return ins(alias, xr(d.rd, sf), xr(d.rn, s), xr(d.rm, s));
  return ins(name, xr(d.rd, sf), xr(d.rn, s), xr(d.rm, s), xr(d.ra, sf));
}

// ---- 2-source
const shiftV = (fn: BinOp) => (b: BlockBuilder, d: Decoded): void => {
  const { sf } = d;
  wz(b, d.rd, b.bin(fn, rz(b, d.rn, sf), rz(b, d.rm, sf)));
};
/** UDIV/SDIV: the IR's division already gives ARM's x/0 = 0 and MIN/-1 = MIN. */
const div = (signed: boolean) => shiftV(signed ? 'divs' : 'divu');

// ---- 1-source
/** Swap adjacent groups of `n` bits: ((x >> n) & m) | ((x & m) << n). */
function swapBits(b: BlockBuilder, sf: number, x: Temp, n: number, m: bigint): Temp {
  const k = cst(b, sf, n);
  const mk = cst(b, sf, m);
  return b.bin('or', b.bin('and', b.bin('shrl', x, k), mk), b.bin('shl', b.bin('and', x, mk), k));
}
const rep = (byte: number, sf: number) => BigInt('0x' + byte.toString(16).padStart(2, '0').repeat(sf ? 8 : 4));
function rbit(b: BlockBuilder, d: Decoded): void {
  const { sf } = d;
  let x = rz(b, d.rn, sf);
  x = swapBits(b, sf, x, 1, rep(0x55, sf));
  x = swapBits(b, sf, x, 2, rep(0x33, sf));
  x = swapBits(b, sf, x, 4, rep(0x0f, sf));
  wz(b, d.rd, b.un('bswap', x));
}
function rev16(b: BlockBuilder, d: Decoded): void {
  const { sf } = d;
  wz(b, d.rd, swapBits(b, sf, rz(b, d.rn, sf), 8, sf ? 0x00ff00ff00ff00ffn : 0x00ff00ffn));
}
function rev32(b: BlockBuilder, d: Decoded): void {
  wz(b, d.rd, b.bin('rotr', b.un('bswap', rz(b, d.rn, 1)), cst(b, 1, 32)));
}
function rev(b: BlockBuilder, d: Decoded): void {
  wz(b, d.rd, b.un('bswap', rz(b, d.rn, d.sf)));
}
function clz(b: BlockBuilder, d: Decoded): void {
  wz(b, d.rd, b.un('clz', rz(b, d.rn, d.sf)));
}
/** CLS: leading bits equal to the sign bit, not counting it = clz((x ^ (x << 1)) | 1). */
function cls(b: BlockBuilder, d: Decoded): void {
  const { sf } = d;
  const x = rz(b, d.rn, sf);
  const y = b.bin('or', b.bin('xor', x, b.bin('shl', x, cst(b, sf, 1))), cst(b, sf, 1));
  wz(b, d.rd, b.un('clz', y));
}

const disRR = (name: string) => (d: Decoded) => ins(name, xr(d.rd, d.sf), xr(d.rn, d.sf));
const disRRR = (name: string) => (d: Decoded) => ins(name, xr(d.rd, d.sf), xr(d.rn, d.sf), xr(d.rm, d.sf));

const LOGIC: ReadonlyArray<[string, string, LogicFn, boolean, boolean]> = [
  ['and', '000', 'and', false, false], ['bic', '001', 'and', true, false], ['orr', '010', 'or', false, false],
  ['orn', '011', 'or', true, false], ['eor', '100', 'xor', false, false], ['eon', '101', 'xor', true, false],
  ['ands', '110', 'and', false, true], ['bics', '111', 'and', true, true],
];
const ADDSUB: ReadonlyArray<[string, string, boolean, boolean]> = [
  ['add', '00', false, false], ['adds', '01', false, true], ['sub', '10', true, false], ['subs', '11', true, true],
];

export const DP_REG: InsnDef[] = [
  // opc (30:29) and N (21) select the operation
  ...LOGIC.map(([name, opcN, fn, inv, s]) =>
    row(name, `x${opcN.slice(0, 2)}01010 xx${opcN[2]}xxxxx xxxxxxxx xxxxxxxx`, logicReg(fn, inv, s), (d) => disLogicReg(d, name), shiftReserved)),
  ...ADDSUB.map(([name, opS, sub, s]) =>
    row(name, `x${opS}01011 xx0xxxxx xxxxxxxx xxxxxxxx`, addSubReg(sub, s, false), (d) => disAddSubShifted(d, sub, s),
      (w) => shiftReserved(w) || bits(w, 23, 22) === 3)),
  ...ADDSUB.map(([name, opS, sub, s]) =>
    row(name, `x${opS}01011 001xxxxx xxxxxxxx xxxxxxxx`, addSubReg(sub, s, true), (d) => disAddSubExt(d, sub, s), (w) => bits(w, 12, 10) > 4)),
  ...([['adc', '00', false, false], ['adcs', '01', false, true], ['sbc', '10', true, false], ['sbcs', '11', true, true]] as const).map(
    ([name, opS, sub, s]) => row(name, `x${opS}11010 000xxxxx 000000xx xxxxxxxx`, adcSbc(sub, s), (d) => disAdcSbc(d, name))),
  row('ccmn', 'x0111010 010xxxxx xxxx00xx xxx0xxxx', condCompare(false, false), (d) => disCondCompare(d, 'ccmn', false)),
  row('ccmp', 'x1111010 010xxxxx xxxx00xx xxx0xxxx', condCompare(true, false), (d) => disCondCompare(d, 'ccmp', false)),
  row('ccmn', 'x0111010 010xxxxx xxxx10xx xxx0xxxx', condCompare(false, true), (d) => disCondCompare(d, 'ccmn', true)),
  row('ccmp', 'x1111010 010xxxxx xxxx10xx xxx0xxxx', condCompare(true, true), (d) => disCondCompare(d, 'ccmp', true)),
  row('csel', 'x0011010 100xxxxx xxxx00xx xxxxxxxx', condSelect('sel'), (d) => disCondSelect(d, 'sel')),
  row('csinc', 'x0011010 100xxxxx xxxx01xx xxxxxxxx', condSelect('inc'), (d) => disCondSelect(d, 'inc')),
  row('csinv', 'x1011010 100xxxxx xxxx00xx xxxxxxxx', condSelect('inv'), (d) => disCondSelect(d, 'inv')),
  row('csneg', 'x1011010 100xxxxx xxxx01xx xxxxxxxx', condSelect('neg'), (d) => disCondSelect(d, 'neg')),
  row('madd', 'x0011011 000xxxxx 0xxxxxxx xxxxxxxx', mulAdd(false), (d) => dis3(d, 'madd', 'mul', false)),
  row('msub', 'x0011011 000xxxxx 1xxxxxxx xxxxxxxx', mulAdd(true), (d) => dis3(d, 'msub', 'mneg', false)),
  row('smaddl', '10011011 001xxxxx 0xxxxxxx xxxxxxxx', mulAddLong(true, false), (d) => dis3(d, 'smaddl', 'smull', true)),
  row('smsubl', '10011011 001xxxxx 1xxxxxxx xxxxxxxx', mulAddLong(true, true), (d) => dis3(d, 'smsubl', 'smnegl', true)),
  row('umaddl', '10011011 101xxxxx 0xxxxxxx xxxxxxxx', mulAddLong(false, false), (d) => dis3(d, 'umaddl', 'umull', true)),
  row('umsubl', '10011011 101xxxxx 1xxxxxxx xxxxxxxx', mulAddLong(false, true), (d) => dis3(d, 'umsubl', 'umnegl', true)),
  row('smulh', '10011011 010xxxxx 0xxxxxxx xxxxxxxx', mulHigh(true), disRRR('smulh')),
  row('umulh', '10011011 110xxxxx 0xxxxxxx xxxxxxxx', mulHigh(false), disRRR('umulh')),
  row('udiv', 'x0011010 110xxxxx 000010xx xxxxxxxx', div(false), disRRR('udiv')),
  row('sdiv', 'x0011010 110xxxxx 000011xx xxxxxxxx', div(true), disRRR('sdiv')),
  ...SHIFT_NAMES.map((n, i) =>
    row(n + 'v', `x0011010 110xxxxx 0010${i.toString(2).padStart(2, '0')}xx xxxxxxxx`, shiftV(SHIFT_OPS[i]), disRRR(n))),
  row('rbit', 'x1011010 11000000 000000xx xxxxxxxx', rbit, disRR('rbit')),
  row('rev16', 'x1011010 11000000 000001xx xxxxxxxx', rev16, disRR('rev16')),
  row('rev', '01011010 11000000 000010xx xxxxxxxx', rev, disRR('rev')),
  row('rev32', '11011010 11000000 000010xx xxxxxxxx', rev32, disRR('rev32')),
  row('rev', '11011010 11000000 000011xx xxxxxxxx', rev, disRR('rev')),
  row('clz', 'x1011010 11000000 000100xx xxxxxxxx', clz, disRR('clz')),
  row('cls', 'x1011010 11000000 000101xx xxxxxxxx', cls, disRR('cls')),
];

