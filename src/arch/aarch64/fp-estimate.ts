// The reciprocal and reciprocal-square-root estimates (FRECPE, FRSQRTE, URECPE, URSQRTE) and
// FRECPX, with the ARM ARM's exact estimate algorithms (RecipEstimate: a 9-bit division;
// RecipSqrtEstimate: the largest b with a·b² below 2^28, found from an FP square root and
// corrected by exact integer checks), built from IR integer and f64 ops.
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, RmArg, Temp } from '../../jit/ir.js';
import { FpFlag, FpMode, Rm } from '../../jit/ir.js';
import { fixedRm, fpMode } from './fp-util.js';
import { c32, c64 } from './lift-util.js';

const k = (b: BlockBuilder, v: number | bigint) => c64(b, v);
const MASK52 = (1n << 52n) - 1n;

/** RecipEstimate(a), 256 ≤ a < 512 → 256 ≤ r < 512. */
export function recipEstimate(b: BlockBuilder, a: Temp): Temp {
  const d = b.bin('add', b.bin('shl', a, k(b, 1)), k(b, 1));
  const q = b.bin('divu', k(b, 1 << 19), d);
  return b.bin('shrl', b.bin('add', q, k(b, 1)), k(b, 1));
}
/** RecipSqrtEstimate(a), 128 ≤ a < 512 → 256 ≤ r < 512. */
export function recipSqrtEstimate(b: BlockBuilder, a0: Temp): Temp {
  const small = b.bin('ltu', a0, k(b, 256));
  const a = b.select(small, b.bin('add', b.bin('shl', a0, k(b, 1)), k(b, 1)), b.bin('shl', b.bin('add', b.bin('and', a0, k(b, ~1)), k(b, 1)), k(b, 1)));
  // c = ⌈√(2^28 / a)⌉, then b = max(512, c − 1) is the loop's answer (the smallest b ≥ 512 with
  // a·(b+1)² ≥ 2^28)
  const [af] = b.i2f('f64', false, a, { static: Rm.RNE }, false);
  const [quot] = b.fbin('div', 'f64', k(b, 0x41b0000000000000n), af, { static: Rm.RNE }, false); // 2^28 / a
  const [root] = b.fsqrt('f64', quot, { static: Rm.RNE }, false);
  let c = b.f2i('f64', 'i64', false, root, { static: Rm.RUP }, false)[0];
  const limit = k(b, 1 << 28);
  const sq = (v: Temp) => b.bin('mul', a, b.bin('mul', v, v));
  const cm1 = b.bin('sub', c, k(b, 1));
  c = b.select(b.bin('leu', limit, sq(cm1)), cm1, c);
  c = b.select(b.bin('ltu', sq(c), limit), b.bin('add', c, k(b, 1)), c);
  const bb = b.bin('sub', c, k(b, 1));
  const best = b.select(b.bin('ltu', bb, k(b, 512)), k(b, 512), bb);
  return b.bin('shrl', b.bin('add', best, k(b, 1)), k(b, 1));
}

/** Whether an overflowing result rounds to ∞ (else the largest finite value), by rounding mode. */
export function overflowToInf(b: BlockBuilder, rm: RmArg, neg: Temp): Temp {
  if ('static' in rm) {
    const r = rm.static;
    return r === Rm.RNE || r === Rm.RMM ? c32(b, 1) : r === Rm.RTZ ? c32(b, 0) : r === Rm.RUP ? b.bin('xor', neg, c32(b, 1)) : neg;
  }
  const rv = b.bin('and', rm.dyn, c32(b, 7)); // without FpMode bits
  const near = b.bin('or', b.bin('eq', rv, c32(b, Rm.RNE)), b.bin('eq', rv, c32(b, Rm.RMM)));
  const up = b.bin('and', b.bin('eq', rv, c32(b, Rm.RUP)), b.bin('xor', neg, c32(b, 1)));
  const down = b.bin('and', b.bin('eq', rv, c32(b, Rm.RDN)), neg);
  return b.bin('or', near, b.bin('or', up, down));
}

interface Fields { x: Temp; sign: Temp; exp: Temp; frac: Temp; mag: Temp; isNaN: Temp; isInf: Temp; isZero: Temp; F: number; E: number }
/** The operand as i64 fields; frac is widened to 52 bits (as FPRecipEstimate does for singles). */
function fields(b: BlockBuilder, fmt: FloatFmt, v: Temp): Fields {
  const x = fmt === 'f32' ? b.extend(v, false) : v;
  const F = fmt === 'f32' ? 23 : 52;
  const E = fmt === 'f32' ? 8 : 11;
  const sign = b.bin('shrl', x, k(b, F + E));
  const expMask = (1 << E) - 1;
  const exp = b.bin('and', b.bin('shrl', x, k(b, F)), k(b, expMask));
  const rawFrac = b.bin('and', x, k(b, (1n << BigInt(F)) - 1n));
  const frac = fmt === 'f32' ? b.bin('shl', rawFrac, k(b, 29)) : rawFrac;
  const mag = b.bin('and', x, k(b, (1n << BigInt(F + E)) - 1n));
  const isNaN = b.bin('and', b.bin('eq', exp, k(b, expMask)), b.bin('ne', rawFrac, k(b, 0)));
  const isInf = b.bin('and', b.bin('eq', exp, k(b, expMask)), b.bin('eq', rawFrac, k(b, 0)));
  return { x, sign, exp, frac, mag, isNaN, isInf, isZero: b.bin('eq', mag, k(b, 0)), F, E };
}
const out = (b: BlockBuilder, fmt: FloatFmt, v: Temp) => (fmt === 'f32' ? b.wrap(v) : v);
/** A NaN operand quieted, NV if it was signalling (ARM FPProcessNaN, FPCR.DN = 0). */
function quietNaN(b: BlockBuilder, fmt: FloatFmt, v: Temp): [Temp, Temp] {
  const [q, f] = b.fbin('add', fmt, v, v, fixedRm(b, Rm.RNE)); // FPCR.DN: the default NaN
  return [q, f!];
}
/** FPCR.FZ on the operand: a subnormal becomes a zero of its sign, with ID. */
export function flushIn(b: BlockBuilder, fmt: FloatFmt, v: Temp): [Temp, Temp] {
  const is32 = fmt === 'f32';
  const kk = (x: bigint) => (is32 ? c32(b, Number(x)) : c64(b, x));
  const expBits = is32 ? 0x7f800000n : 0x7ff0000000000000n;
  const fz = b.bin('ne', b.bin('and', fpMode(b), c32(b, FpMode.FZ)), c32(b, 0));
  const sub = b.bin('and', b.bin('eq', b.bin('and', v, kk(expBits)), kk(0n)), b.bin('ne', b.bin('and', v, kk((is32 ? 0x7fffffn : 0xfffffffffffffn))), kk(0n)));
  const cond = b.bin('and', fz, sub);
  return [b.select(cond, b.bin('and', v, kk(is32 ? 0x80000000n : 1n << 63n)), v), b.select(cond, c32(b, FpFlag.ID), c32(b, 0))];
}

/** FRECPE. */
export function frecpe(b: BlockBuilder, fmt: FloatFmt, v0: Temp, rm: RmArg): [Temp, Temp] {
  const [v, id] = flushIn(b, fmt, v0);
  const f = fields(b, fmt, v);
  const { F, E } = f;
  const signBit = b.bin('shl', f.sign, k(b, F + E));
  const infBits = b.bin('or', signBit, k(b, BigInt((1 << E) - 1) << BigInt(F)));
  const maxBits = b.bin('or', signBit, k(b, (BigInt((1 << E) - 2) << BigInt(F)) | ((1n << BigInt(F)) - 1n)));
  // |x| < 2^-128 (single) or 2^-1024 (double): the reciprocal overflows
  const tiny = b.bin('ltu', f.mag, k(b, fmt === 'f32' ? 0x00200000n : 0x0004000000000000n));
  // normal estimate; subnormals are renormalised by one or two places
  const sub = b.bin('eq', f.exp, k(b, 0));
  const top = b.bin('ne', b.bin('and', f.frac, k(b, 1n << 51n)), k(b, 0));
  const exp = b.select(b.bin('and', sub, b.bin('xor', top, c32(b, 1))), k(b, -1), f.exp);
  const frac = b.select(sub, b.bin('and', b.bin('shl', f.frac, b.select(top, k(b, 1), k(b, 2))), k(b, MASK52)), f.frac);
  const scaled = b.bin('or', k(b, 256), b.bin('shrl', frac, k(b, 44)));
  let rexp = b.bin('sub', k(b, fmt === 'f32' ? 253 : 2045), exp);
  const est = recipEstimate(b, scaled);
  let rfrac = b.bin('shl', b.bin('and', est, k(b, 0xff)), k(b, 44));
  const r0 = b.bin('eq', rexp, k(b, 0));
  const rm1 = b.bin('eq', rexp, k(b, -1));
  rfrac = b.select(r0, b.bin('or', k(b, 1n << 51n), b.bin('shrl', rfrac, k(b, 1))), b.select(rm1, b.bin('or', k(b, 1n << 50n), b.bin('shrl', rfrac, k(b, 2))), rfrac));
  rexp = b.select(rm1, k(b, 0), rexp);
  const fracOut = fmt === 'f32' ? b.bin('shrl', rfrac, k(b, 29)) : rfrac;
  const normal = b.bin('or', signBit, b.bin('or', b.bin('shl', rexp, k(b, F)), fracOut));
  const overflow = b.select(overflowToInf(b, rm, b.bin('ne', f.sign, k(b, 0))), infBits, maxBits);
  const [qn, nanFlags] = quietNaN(b, fmt, v);
  const res = b.select(f.isNaN, b.typeOf(qn) === 'i32' ? b.extend(qn, false) : qn,
    b.select(f.isInf, signBit, b.select(f.isZero, infBits, b.select(tiny, overflow, normal))));
  const flags = b.select(f.isNaN, nanFlags, b.select(f.isZero, c32(b, FpFlag.DZ),
    b.select(b.bin('and', tiny, b.bin('xor', f.isInf, c32(b, 1))), c32(b, FpFlag.OF | FpFlag.NX), c32(b, 0))));
  // FZ: |x| ≥ 2^126 (2^1022) would give a subnormal estimate: a zero of its sign, UF only.
  const fz = b.bin('ne', b.bin('and', fpMode(b), c32(b, FpMode.FZ)), c32(b, 0));
  const huge = b.bin('and', fz, b.bin('and', b.bin('leu', k(b, fmt === 'f32' ? 0x7e800000n : 0x7fd0000000000000n), f.mag), b.bin('eq', b.bin('or', f.isNaN, f.isInf), c32(b, 0))));
  const res2 = b.select(huge, signBit, res);
  const flags2 = b.bin('or', id, b.select(huge, c32(b, FpFlag.UF), flags));
  return [out(b, fmt, res2), flags2];
}

/** FRSQRTE. */
export function frsqrte(b: BlockBuilder, fmt: FloatFmt, v0: Temp, defaultNaN: Temp): [Temp, Temp] {
  const [v, id] = flushIn(b, fmt, v0);
  const f = fields(b, fmt, v);
  const { F, E } = f;
  const signBit = b.bin('shl', f.sign, k(b, F + E));
  const infBits = b.bin('or', signBit, k(b, BigInt((1 << E) - 1) << BigInt(F)));
  // subnormals: shift the fraction up to its leading one (dropped), lowering the exponent
  const sub = b.bin('eq', f.exp, k(b, 0));
  const lz = b.bin('sub', b.un('clz', f.frac), k(b, 12)); // leading zeros within the 52-bit field
  const exp = b.select(sub, b.bin('sub', k(b, 0), lz), f.exp);
  const frac = b.select(sub, b.bin('and', b.bin('shl', f.frac, b.bin('add', lz, k(b, 1))), k(b, MASK52)), f.frac);
  const odd = b.bin('ne', b.bin('and', exp, k(b, 1)), k(b, 0));
  const scaled = b.select(odd, b.bin('or', k(b, 128), b.bin('shrl', frac, k(b, 45))), b.bin('or', k(b, 256), b.bin('shrl', frac, k(b, 44))));
  const rexp = b.bin('shra', b.bin('sub', k(b, fmt === 'f32' ? 380 : 3068), exp), k(b, 1));
  const est = recipSqrtEstimate(b, scaled);
  const normal = b.bin('or', b.bin('shl', rexp, k(b, F)), b.bin('shl', b.bin('and', est, k(b, 0xff)), k(b, F - 8)));
  const neg = b.bin('ne', f.sign, k(b, 0));
  const [qn, nanFlags] = quietNaN(b, fmt, v);
  const dn = b.typeOf(defaultNaN) === 'i32' ? b.extend(defaultNaN, false) : defaultNaN;
  const res = b.select(f.isNaN, b.typeOf(qn) === 'i32' ? b.extend(qn, false) : qn,
    b.select(f.isZero, infBits, b.select(neg, dn, b.select(f.isInf, k(b, 0), normal))));
  const flags = b.select(f.isNaN, nanFlags, b.select(f.isZero, c32(b, FpFlag.DZ), b.select(neg, c32(b, FpFlag.NV), c32(b, 0))));
  return [out(b, fmt, res), b.bin('or', flags, id)];
}

/** URECPE / URSQRTE on a 32-bit lane. */
export function urecpe(b: BlockBuilder, v: Temp, sqrt: boolean): Temp {
  const x = b.extend(v, false);
  const top9 = b.bin('shrl', x, k(b, 23));
  const est = sqrt ? recipSqrtEstimate(b, top9) : recipEstimate(b, top9);
  const r = b.bin('shl', b.bin('and', est, k(b, 0x1ff)), k(b, 23));
  const none = sqrt ? b.bin('ltu', x, k(b, 0x40000000)) : b.bin('ltu', x, k(b, 0x80000000));
  return b.wrap(b.select(none, k(b, 0xffffffff), r));
}

/** FRECPX: the exponent inverted, the fraction cleared (a zero or subnormal exponent gives the
 *  largest finite exponent); NaNs as usual. */
export function frecpx(b: BlockBuilder, fmt: FloatFmt, v0: Temp): [Temp, Temp] {
  const [v, id] = flushIn(b, fmt, v0);
  const f = fields(b, fmt, v);
  const { F, E } = f;
  const expMask = (1 << E) - 1;
  const e = b.select(b.bin('eq', f.exp, k(b, 0)), k(b, expMask - 1), b.bin('xor', f.exp, k(b, expMask)));
  const r = b.bin('or', b.bin('shl', f.sign, k(b, F + E)), b.bin('shl', e, k(b, F)));
  const [qn, nanFlags] = quietNaN(b, fmt, v);
  const res = b.select(f.isNaN, b.typeOf(qn) === 'i32' ? b.extend(qn, false) : qn, r);
  return [out(b, fmt, res), b.select(f.isNaN, nanFlags, id)];
}
