// Scalar floating point: arithmetic (1-, 2-, 3-source), compares (FCMP/FCMPE/FCCMP), FCSEL, FMOV
// (register, immediate, to/from general registers), conversions between S and D, to and from
// integers (every rounding variant, fixed point), and FRINT*. Single (S) and double (D) precision;
// half precision is not implemented (SIGILL).
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, IntTy, RmArg, Temp } from '../../jit/ir.js';
import { FpFlag, Rm } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { COND, imm, ins, withCond, xr } from './dis-util.js';
import { absMask, accrue, expandFpImm, fixedRm, fneg, fpImmText, fpMode, fpcrRm, rF, rmOf, roundIntegral, wF } from './fp-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, condHolds, rz, setNZCV, wz } from './lift-util.js';
import { vhi, vlo } from './regs.js';
import { f16ToF64, f64ToF16, halfMode } from './fp16.js';
import { flushIn } from './fp-estimate.js';

const fmtOf = (w: number): FloatFmt => (bits(w, 23, 22) === 1 ? 'f64' : 'f32');
const P = (fmt: FloatFmt) => (fmt === 'f32' ? 's' : 'd');
const fr = (fmt: FloatFmt, n: number) => P(fmt) + n;
/** ftype 00 (S) and 01 (D) only. */
const notSD = (w: number) => bits(w, 23, 22) >= 2;

// ---- 2-source: M 0 S 11110 ftype 1 Rm opcode 10 Rn Rd
const FBIN: ReadonlyArray<[string, 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'minnum' | 'maxnum']> = [
  ['fmul', 'mul'], ['fdiv', 'div'], ['fadd', 'add'], ['fsub', 'sub'], ['fmax', 'max'], ['fmin', 'min'], ['fmaxnm', 'maxnum'], ['fminnm', 'minnum'],
];
function fp2(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const op = bits(d.raw, 15, 12);
  const fn = op === 8 ? 'mul' : FBIN[op][1];
  let [r, flags] = b.fbin(fn, fmt, rF(b, fmt, d.rn), rF(b, fmt, d.rm), fpcrRm(b));
  if (op === 8) r = fneg(b, fmt, r); // FNMUL: the negated product (a NaN result too)
  wF(b, d.rd, r);
  accrue(b, flags);
}
function disFp2(d: Decoded): string {
  const fmt = fmtOf(d.raw);
  const op = bits(d.raw, 15, 12);
  return ins(op === 8 ? 'fnmul' : FBIN[op][0], fr(fmt, d.rd), fr(fmt, d.rn), fr(fmt, d.rm));
}

// ---- 3-source: M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd
const FMA_NAMES = ['fmadd', 'fmsub', 'fnmadd', 'fnmsub'];
function fp3(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const kind = (bit(d.raw, 21) << 1) | bit(d.raw, 15);
  let n = rF(b, fmt, d.rn);
  let a = rF(b, fmt, d.ra);
  if (kind === 1 || kind === 2) n = fneg(b, fmt, n); // FMSUB, FNMADD: -(n·m)
  if (kind >= 2) a = fneg(b, fmt, a); // FNMADD, FNMSUB: -a
  const [r, flags] = b.ffma(fmt, n, rF(b, fmt, d.rm), a, fpcrRm(b));
  wF(b, d.rd, r);
  accrue(b, flags);
}
const disFp3 = (d: Decoded) => {
  const fmt = fmtOf(d.raw);
  return ins(FMA_NAMES[(bit(d.raw, 21) << 1) | bit(d.raw, 15)], fr(fmt, d.rd), fr(fmt, d.rn), fr(fmt, d.rm), fr(fmt, d.ra));
};

// ---- 1-source: M 0 S 11110 ftype 1 opcode(6) 10000 Rn Rd
const FRINT: Record<number, [string, RmArg | 'fpcr', boolean]> = {
  8: ['frintn', { static: Rm.RNE }, false], 9: ['frintp', { static: Rm.RUP }, false], 10: ['frintm', { static: Rm.RDN }, false],
  11: ['frintz', { static: Rm.RTZ }, false], 12: ['frinta', { static: Rm.RMM }, false], 14: ['frintx', 'fpcr', true], 15: ['frinti', 'fpcr', false],
};
/** FCVT with a half-precision side: opcode 4/5/7 = to S/D/H, ftype 3 = from H. */
function fcvtHalf(b: BlockBuilder, d: Decoded): void {
  const ftype = bits(d.raw, 23, 22);
  const op = bits(d.raw, 20, 15);
  let r: Temp;
  let flags: Temp;
  if (ftype === 3) {
    const [v64, f] = f16ToF64(b, b.get('i32', vlo(d.rn)), halfMode(b));
    if (op === 5) [r, flags] = [v64, f];
    else {
      const [v32] = b.f2f('f64', 'f32', v64, { static: Rm.RNE }, false); // exact
      [r, flags] = [v32, f];
    }
  } else {
    let x = rF(b, ftype === 1 ? 'f64' : 'f32', d.rn);
    let pre: Temp | undefined;
    if (ftype === 0) [x, pre] = b.f2f('f32', 'f64', x, fixedRm(b, Rm.RNE)); // exact; NV for an sNaN; FZ: ID
    else [x, pre] = flushIn(b, 'f64', x);
    [r, flags] = f64ToF16(b, x, fpcrRm(b), halfMode(b));
    if (pre !== undefined) flags = b.bin('or', flags, pre);
  }
  wF(b, d.rd, r);
  accrue(b, flags);
}
function fp1(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const op = bits(d.raw, 20, 15);
  if (bits(d.raw, 23, 22) === 3 || op === 7) return fcvtHalf(b, d);
  const x = rF(b, fmt, d.rn);
  let r: Temp;
  let flags: Temp | undefined;
  switch (op) {
    case 0: r = x; break;
    case 1: r = b.bin('and', x, absMask(b, fmt)); break;
    case 2: r = fneg(b, fmt, x); break;
    case 3: [r, flags] = b.fsqrt(fmt, x, fpcrRm(b)); break;
    case 4: case 5: [r, flags] = b.f2f(fmt, op === 4 ? 'f32' : 'f64', x, fpcrRm(b)); break;
    default: {
      const [, rm, exact] = FRINT[op];
      [r, flags] = roundIntegral(b, fmt, x, rmOf(b, rm), exact);
    }
  }
  wF(b, d.rd, r);
  accrue(b, flags);
}
const FP1_NAMES: Record<number, string> = { 0: 'fmov', 1: 'fabs', 2: 'fneg', 3: 'fsqrt', 4: 'fcvt', 5: 'fcvt' };
function disFp1(d: Decoded): string {
  const fmt = fmtOf(d.raw);
  const op = bits(d.raw, 20, 15);
  if (bits(d.raw, 23, 22) === 3 || op === 7) {
    const name = (t: number, n: number) => ['s', 'd', '', 'h'][t] + n;
    return ins('fcvt', name(op === 7 ? 3 : op - 4, d.rd), name(bits(d.raw, 23, 22), d.rn));
  }
  const to = op === 4 ? 'f32' : op === 5 ? 'f64' : fmt;
  return ins(FP1_NAMES[op] ?? FRINT[op][0], fr(to, d.rd), fr(fmt, d.rn));
}
const fp1Reserved = (w: number): boolean => {
  const op = bits(w, 20, 15);
  const ftype = bits(w, 23, 22);
  if (ftype === 3) return !(op === 4 || op === 5);
  if (op === 7) return ftype === 2;
  if (notSD(w)) return true;
  if (op === 4 || op === 5) return (op === 4) === (fmtOf(w) === 'f32'); // fcvt to its own type
  return !(op <= 3 || FRINT[op] !== undefined);
};

// ---- compare: M 0 S 11110 ftype 1 Rm 00 1000 Rn opcode2 (bit 3: with #0.0, bit 4: signalling)
function compareFlags(b: BlockBuilder, fmt: FloatFmt, x: Temp, y: Temp, signaling: boolean): { nzcv: Temp[]; flags: Temp } {
  const mode = fpMode(b); // FZ: subnormal operands compare as zeros (IDC)
  const [lt, flags] = b.fcmp('lt', fmt, x, y, signaling, true, mode);
  const [eq] = b.fcmp('eq', fmt, x, y, false, false, mode);
  const [un] = b.fcmp('unord', fmt, x, y, false, false, mode);
  // less 1000, equal 0110, greater 0010, unordered 0011
  return { nzcv: [lt, eq, b.bin('xor', lt, c32(b, 1)), un], flags: flags! };
}
const zeroOf = (b: BlockBuilder, fmt: FloatFmt) => (fmt === 'f32' ? c32(b, 0) : c64(b, 0));
function fcmp(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const y = bit(d.raw, 3) ? zeroOf(b, fmt) : rF(b, fmt, d.rm);
  const { nzcv, flags } = compareFlags(b, fmt, rF(b, fmt, d.rn), y, bit(d.raw, 4) === 1);
  setNZCV(b, nzcv[0], nzcv[1], nzcv[2], nzcv[3]);
  accrue(b, flags);
}
const disFcmp = (d: Decoded) => {
  const fmt = fmtOf(d.raw);
  return ins(bit(d.raw, 4) ? 'fcmpe' : 'fcmp', fr(fmt, d.rn), bit(d.raw, 3) ? '#0.0' : fr(fmt, d.rm));
};

// ---- conditional compare: M 0 S 11110 ftype 1 Rm cond 01 Rn op nzcv
function fccmp(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const holds = condHolds(b, bits(d.raw, 15, 12));
  const { nzcv, flags } = compareFlags(b, fmt, rF(b, fmt, d.rn), rF(b, fmt, d.rm), bit(d.raw, 4) === 1);
  const f = (i: number) => b.select(holds, nzcv[i], c32(b, (d.raw >>> (3 - i)) & 1));
  setNZCV(b, f(0), f(1), f(2), f(3));
  accrue(b, b.select(holds, flags, c32(b, 0)));
}
const disFccmp = (d: Decoded) => {
  const fmt = fmtOf(d.raw);
  const c = bits(d.raw, 15, 12);
  return withCond(ins(bit(d.raw, 4) ? 'fccmpe' : 'fccmp', fr(fmt, d.rn), fr(fmt, d.rm), imm(d.raw & 15), COND[c]), c);
};

// ---- FCSEL: M 0 S 11110 ftype 1 Rm cond 11 Rn Rd
function fcsel(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  wF(b, d.rd, b.select(condHolds(b, bits(d.raw, 15, 12)), rF(b, fmt, d.rn), rF(b, fmt, d.rm)));
}
const disFcsel = (d: Decoded) => {
  const fmt = fmtOf(d.raw);
  const c = bits(d.raw, 15, 12);
  return withCond(ins('fcsel', fr(fmt, d.rd), fr(fmt, d.rn), fr(fmt, d.rm), COND[c]), c);
};

// ---- FMOV (immediate): M 0 S 11110 ftype 1 imm8 100 00000 Rd
function fmovImm(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const v = expandFpImm(bits(d.raw, 20, 13), fmt);
  wF(b, d.rd, fmt === 'f32' ? c32(b, Number(v)) : c64(b, v));
}
const disFmovImm = (d: Decoded) => {
  const fmt = fmtOf(d.raw);
  return ins('fmov', fr(fmt, d.rd), fpImmText(expandFpImm(bits(d.raw, 20, 13), fmt), fmt));
};

// ---- conversions to/from integers: sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd
const RMODE_RM: RmArg[] = [{ static: Rm.RNE }, { static: Rm.RUP }, { static: Rm.RDN }, { static: Rm.RTZ }];
const CVT_LETTER = ['n', 'p', 'm', 'z'];
function fpInt(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const sf = d.sf;
  const ty: IntTy = sf ? 'i64' : 'i32';
  const rmode = bits(w, 20, 19);
  const opcode = bits(w, 18, 16);
  const ftype = bits(w, 23, 22);
  if (opcode === 6 || opcode === 7) {
    // FMOV between general and FP registers (raw bits); ftype 10 with rmode 01 is the top half.
    if (ftype === 2) {
      if (opcode === 6) wz(b, d.rd, b.get('i64', vhi(d.rn)));
      else b.set(vhi(d.rd), rz(b, d.rn, 1));
    } else if (opcode === 6) wz(b, d.rd, b.get(ty, vlo(d.rn)));
    else wF(b, d.rd, rz(b, d.rn, sf));
    return;
  }
  const fmt = fmtOf(w);
  if (opcode === 2 || opcode === 3) {
    const [r, flags] = b.i2f(fmt, opcode === 2, rz(b, d.rn, sf), fpcrRm(b));
    wF(b, d.rd, r);
    return accrue(b, flags);
  }
  const rm = opcode >= 4 ? { static: Rm.RMM } : RMODE_RM[rmode];
  const [r, flags] = b.f2i(fmt, ty, (opcode & 1) === 0, rF(b, fmt, d.rn), rmOf(b, rm));
  wz(b, d.rd, r);
  accrue(b, flags);
}
function disFpInt(d: Decoded): string {
  const w = d.raw;
  const sf = d.sf;
  const rmode = bits(w, 20, 19);
  const opcode = bits(w, 18, 16);
  const ftype = bits(w, 23, 22);
  const fmt = fmtOf(w);
  if (opcode === 6 || opcode === 7) {
    const f = ftype === 2 ? `v${opcode === 6 ? d.rn : d.rd}.d[1]` : fr(fmt, opcode === 6 ? d.rn : d.rd);
    return opcode === 6 ? ins('fmov', xr(d.rd, sf), f) : ins('fmov', f, xr(d.rn, sf));
  }
  if (opcode === 2 || opcode === 3) return ins(opcode === 2 ? 'scvtf' : 'ucvtf', fr(fmt, d.rd), xr(d.rn, sf));
  const name = `fcvt${opcode >= 4 ? 'a' : CVT_LETTER[rmode]}${opcode & 1 ? 'u' : 's'}`;
  return ins(name, xr(d.rd, sf), fr(fmt, d.rn));
}
function fpIntReserved(w: number): boolean {
  const sf = w >>> 31;
  const ftype = bits(w, 23, 22);
  const rmode = bits(w, 20, 19);
  const opcode = bits(w, 18, 16);
  if (opcode >= 6) {
    if (ftype === 2) return !(sf === 1 && rmode === 1);
    return rmode !== 0 || ftype === 3 || (ftype === 0) === (sf === 1);
  }
  if (ftype >= 2) return true;
  if (opcode === 2 || opcode === 3 || opcode === 4 || opcode === 5) return rmode !== 0;
  return false;
}

// ---- fixed point: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd
const fbitsOf = (w: number) => 64 - bits(w, 15, 10);
function pow2(b: BlockBuilder, fmt: FloatFmt, e: number): Temp {
  return fmt === 'f32' ? c32(b, (127 + e) << 23) : c64(b, BigInt(1023 + e) << 52n);
}
function fpFixed(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const fmt = fmtOf(w);
  const sf = d.sf;
  const fb = fbitsOf(w);
  const opcode = bits(w, 18, 16);
  if (opcode >= 2) {
    // int → float rounds once; the scaling by 2^-fbits is exact (results stay normal).
    const [v, flags] = b.i2f(fmt, opcode === 2, rz(b, d.rn, sf), fpcrRm(b));
    const [r] = b.fbin('mul', fmt, v, pow2(b, fmt, -fb), { static: Rm.RNE }, false);
    wF(b, d.rd, r);
    return accrue(b, flags);
  }
  // float → int: scaling by 2^fbits is exact (an overflow to ∞ saturates in the conversion alike).
  // FZ flushes the operand (ID) in the scaling, before it can become normal.
  const [x, xf] = b.fbin('mul', fmt, rF(b, fmt, d.rn), pow2(b, fmt, fb), fixedRm(b, Rm.RNE));
  const [r, flags] = b.f2i(fmt, sf ? 'i64' : 'i32', opcode === 0, x, { static: Rm.RTZ });
  wz(b, d.rd, r);
  accrue(b, b.bin('or', flags!, b.bin('and', xf!, c32(b, FpFlag.ID))));
}
function disFpFixed(d: Decoded): string {
  const w = d.raw;
  const fmt = fmtOf(w);
  const opcode = bits(w, 18, 16);
  const fb = `#${fbitsOf(w)}`;
  if (opcode >= 2) return ins(opcode === 2 ? 'scvtf' : 'ucvtf', fr(fmt, d.rd), xr(d.rn, d.sf), fb);
  return ins(opcode === 0 ? 'fcvtzs' : 'fcvtzu', xr(d.rd, d.sf), fr(fmt, d.rn), fb);
}
function fpFixedReserved(w: number): boolean {
  if (notSD(w) || (w >>> 31 === 0 && bit(w, 15) === 0)) return true;
  const rmode = bits(w, 20, 19);
  const opcode = bits(w, 18, 16);
  return !((rmode === 0 && (opcode === 2 || opcode === 3)) || (rmode === 3 && opcode <= 1));
}

export const FP: InsnDef[] = [
  row('fp2', '00011110 xx1xxxxx xxxx10xx xxxxxxxx', fp2, disFp2, (w) => notSD(w) || bits(w, 15, 12) > 8),
  row('fp3', '00011111 xxxxxxxx xxxxxxxx xxxxxxxx', fp3, disFp3, notSD),
  row('fp1', '00011110 xx1xxxxx x10000xx xxxxxxxx', fp1, disFp1, fp1Reserved),
  row('fcmp', '00011110 xx1xxxxx 001000xx xxxxx000', fcmp, disFcmp, notSD),
  row('fccmp', '00011110 xx1xxxxx xxxx01xx xxxxxxxx', fccmp, disFccmp, notSD),
  row('fcsel', '00011110 xx1xxxxx xxxx11xx xxxxxxxx', fcsel, disFcsel, notSD),
  row('fmov.imm', '00011110 xx1xxxxx xxx10000 000xxxxx', fmovImm, disFmovImm, notSD),
  row('fcvt.int', 'x0011110 xx1xxxxx 000000xx xxxxxxxx', fpInt, disFpInt, fpIntReserved),
  row('fcvt.fixed', 'x0011110 xx0xxxxx xxxxxxxx xxxxxxxx', fpFixed, disFpFixed, fpFixedReserved),
];

