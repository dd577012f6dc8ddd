// FRINT32Z/FRINT32X/FRINT64Z/FRINT64X (FEAT_FRINTTS: round to an integral value that fits an
// int32/int64, else the most negative one with Invalid Operation) and FJCVTZS (FEAT_JSCVT:
// JavaScript's ToInt32 of a double, Z set when the conversion was exact). Both are built from the
// IR's saturating f2i and plain integer ops; the scalar rows sit before the FP table's (whose
// 1-source and conversion rows reserve these encodings).
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, RmArg, Temp } from '../../jit/ir.js';
import { FpFlag, FpMode, Rm } from '../../jit/ir.js';
import { bits } from './bits.js';
import { ins, xr } from './dis-util.js';
import { accrue, fixedRm, fpMode, fpcrRm, rF, signMask, wF } from './fp-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, setNZCV, wz } from './lift-util.js';

/** FPRoundIntN: x rounded with rm to an integral value; out of the intBits-bit signed range (or
 *  NaN, ∞) gives -2^(intBits-1) and NV only. NX when the value changed (both the Z and the X
 *  forms: they differ only in the rounding); ID when FZ flushed a subnormal input. Zeros keep
 *  the input's sign. */
export function roundIntN(b: BlockBuilder, fmt: FloatFmt, x: Temp, rm: RmArg, intBits: 32 | 64): [Temp, Temp] {
  const ity = intBits === 32 ? 'i32' : 'i64';
  const [i, f] = b.f2i(fmt, ity, true, x, rm);
  const [r0] = b.i2f(fmt, true, i, { static: Rm.RNE }, false); // exact: i came from a value of fmt
  const r = b.bin('or', r0, b.bin('and', x, signMask(b, fmt)));
  const nv = b.bin('ne', b.bin('and', f!, c32(b, FpFlag.NV)), c32(b, 0));
  const minInt = fmt === 'f32' ? c32(b, intBits === 32 ? 0xcf000000 : 0xdf000000) : c64(b, intBits === 32 ? 0xc1e0000000000000n : 0xc3e0000000000000n);
  const keep = c32(b, FpFlag.ID | FpFlag.NX);
  const flags = b.select(nv, c32(b, FpFlag.NV), b.bin('and', f!, keep));
  return [b.select(nv, minInt, r), flags];
}

/** [mnemonic, int bits, rounds with FPCR's mode] by opcode 16…19 of the scalar 1-source group. */
export const FRINT_N: Readonly<Record<number, readonly [string, 32 | 64, boolean]>> = {
  16: ['frint32z', 32, false], 17: ['frint32x', 32, true], 18: ['frint64z', 64, false], 19: ['frint64x', 64, true],
};
/** The rounding of a FRINT<n><Z|X>: toward zero, or FPCR's (the X forms). */
export const frintNRm = (b: BlockBuilder, exact: boolean): RmArg => (exact ? fpcrRm(b) : fixedRm(b, Rm.RTZ));

// ---- scalar: 0 0 0 11110 0 sz 1 0100 op 10000 Rn Rd
const fmtOf = (w: number): FloatFmt => (bits(w, 22, 22) ? 'f64' : 'f32');
function frintN(b: BlockBuilder, d: Decoded): void {
  const fmt = fmtOf(d.raw);
  const [, n, exact] = FRINT_N[bits(d.raw, 20, 15)];
  const [r, f] = roundIntN(b, fmt, rF(b, fmt, d.rn), frintNRm(b, exact), n);
  wF(b, d.rd, r);
  accrue(b, f);
}
const disFrintN = (d: Decoded) => {
  const p = fmtOf(d.raw) === 'f64' ? 'd' : 's';
  return ins(FRINT_N[bits(d.raw, 20, 15)][0], p + d.rd, p + d.rn);
};

// ---- FJCVTZS Wd, Dn: 0 0 0 11110 01 1 11 110 000000 Rn Rd
function fjcvtzs(b: BlockBuilder, d: Decoded): void {
  const x = rF(b, 'f64', d.rn);
  const k = (v: bigint | number) => c64(b, v);
  const exp = b.bin('and', b.bin('shrl', x, k(52)), k(0x7ff));
  const frac = b.bin('and', x, k((1n << 52n) - 1n));
  const isSub = b.bin('eq', exp, k(0));
  const mant = b.select(isSub, frac, b.bin('or', frac, k(1n << 52n)));
  // value = mant · 2^e with e = max(exp, 1) - 1075
  const e = b.bin('sub', b.select(isSub, k(1), exp), k(1075));
  const neg = b.bin('lts', e, k(0));
  const right = b.bin('sub', k(0), e);
  const rsh = b.select(b.bin('ltu', right, k(64)), b.bin('shrl', mant, right), k(0));
  const lsh = b.select(b.bin('ltu', e, k(64)), b.bin('shl', mant, e), k(0));
  const mag = b.select(neg, rsh, lsh); // |x| truncated, modulo 2^64 (enough for the low 32 bits)
  const lost = b.select(neg, b.select(b.bin('ltu', right, k(64)), b.bin('shl', mant, b.bin('sub', k(64), right)), mant), k(0));
  const sign = b.bin('lts', x, k(0));
  const abs = b.bin('and', x, k((1n << 63n) - 1n));
  const nan = b.bin('ltu', k(0x7ff0000000000000n), abs);
  // out of range: |x| ≥ 2^31 (positive) or ≥ 2^31 + 1 (negative; -2^31 - 0.5 truncates into range); ∞ too
  const oor = b.bin('leu', b.select(sign, k(0x41e0000000200000n), k(0x41e0000000000000n)), abs);
  const fz = b.bin('ne', b.bin('and', fpMode(b), c32(b, FpMode.FZ)), c32(b, 0));
  const flushed = b.bin('and', fz, b.bin('and', isSub, b.bin('ne', frac, k(0))));
  const inexact = b.bin('and', b.bin('ne', lost, k(0)), b.bin('eq', flushed, c32(b, 0)));
  const res32 = b.wrap(b.select(sign, b.bin('sub', k(0), mag), mag));
  const bad = b.bin('or', nan, oor);
  const zero = c32(b, 0);
  // out of range keeps the low 32 bits (JS semantics); NaN and ∞ give 0
  const inf = b.bin('eq', abs, k(0x7ff0000000000000n));
  wz(b, d.rd, b.select(b.bin('or', nan, inf), zero, b.select(flushed, zero, res32)));
  const nx = b.select(bad, zero, b.select(inexact, c32(b, FpFlag.NX), zero));
  accrue(b, b.bin('or', b.select(bad, c32(b, FpFlag.NV), nx), b.select(flushed, c32(b, FpFlag.ID), zero)));
  // Z: exact and not -0 (nor any negative zero exponent). A positive subnormal flushed by
  // FPCR.FZ counts as exact here, as in qemu (the Arm ARM's FPToFixedJS clears Z for it; real
  // code never runs JS conversions with FZ set).
  const odd = b.bin('and', isSub, sign);
  const z = b.bin('eq', b.bin('or', b.bin('or', bad, inexact), odd), zero);
  setNZCV(b, zero, z, zero, zero);
}

export const FP_JSCVT: InsnDef[] = [
  row('frint32', '00011110 0x10100x x10000xx xxxxxxxx', frintN, disFrintN),
  row('fjcvtzs', '00011110 01111110 000000xx xxxxxxxx', fjcvtzs, (d) => ins('fjcvtzs', xr(d.rd, 0), 'd' + d.rn)),
];
