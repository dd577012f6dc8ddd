// Test plumbing for the FPU: the two ISA environments, a uniform way to call an op on bit
// patterns (bigint for both formats), operand generators aimed at the hard cases, and the
// oracle's expected result per op.
import { Fpu } from '../../src/jit/fpu.js';
import type { FpEnv } from '../../src/jit/fpu-api.js';
import type { Rm } from '../../src/jit/ir.js';
import { Rng } from '../rng.js';
import {
  NV, NX, RDN, RMM, RTZ, RUP, S32, S64, exactOfRat, exactSqrtOfRat, infPattern, isNegBits, isZeroBits, ratAdd, ratDiv, ratMul, ratOfBits,
  roundExact, type FormatSpec, type Rounded,
} from './oracle.js';

export const RISCV: FpEnv = {
  defaultNaN32: 0x7fc00000,
  defaultNaN64: 0x7ff8000000000000n,
  propagateNaN: false,
  tininessBeforeRounding: false,
  nanToInt: 'max',
};
export const ARM: FpEnv = {
  defaultNaN32: 0x7fc00000,
  defaultNaN64: 0x7ff8000000000000n,
  propagateNaN: true,
  tininessBeforeRounding: true,
  nanToInt: 'zero',
};


export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'sqrt' | 'fma';
export const ARITH: readonly ArithOp[] = ['add', 'sub', 'mul', 'div', 'sqrt', 'fma'];

/** Run an arithmetic op on bit patterns; result as an unsigned pattern plus the flags. */
export function runArith(fpu: Fpu, f: FormatSpec, op: ArithOp, rm: number, args: readonly bigint[]): Rounded {
  const m = rm as Rm;
  if (f.bits === 32) {
    const a = args.map((x) => Number(x));
    let r: number;
    if (op === 'sqrt') r = fpu.fsqrt32(a[0], m);
    else if (op === 'fma') r = fpu.ffma32(a[0], a[1], a[2], m);
    else r = fpu.fbin32(op, a[0], a[1], m);
    return { bits: BigInt.asUintN(32, BigInt(r)), flags: fpu.flags };
  }
  let r: bigint;
  if (op === 'sqrt') r = fpu.fsqrt64(args[0], m);
  else if (op === 'fma') r = fpu.ffma64(args[0], args[1], args[2], m);
  else r = fpu.fbin64(op, args[0], args[1], m);
  return { bits: r, flags: fpu.flags };
}

/** Oracle result for finite operands (the op must not be invalid or divide by zero). */
export function expectArith(f: FormatSpec, op: ArithOp, rm: number, args: readonly bigint[], tinyBefore: boolean): Rounded {
  const v = args.map((b) => ratOfBits(f, b));
  const neg = args.map((b) => isNegBits(f, b));
  const zero = args.map((b) => isZeroBits(f, b));
  // the sign of an exact zero sum (IEEE 754 6.3)
  const zeroSumNeg = (na: boolean, nb: boolean, bothZero: boolean) => (bothZero && na === nb ? na : rm === RDN);
  switch (op) {
    case 'add':
      return roundExact(f, exactOfRat(ratAdd(v[0], v[1])), rm, tinyBefore, zeroSumNeg(neg[0], neg[1], zero[0] && zero[1]));
    case 'sub':
      return roundExact(f, exactOfRat(ratAdd(v[0], { n: -v[1].n, d: v[1].d })), rm, tinyBefore, zeroSumNeg(neg[0], !neg[1], zero[0] && zero[1]));
    case 'mul':
      return roundExact(f, exactOfRat(ratMul(v[0], v[1])), rm, tinyBefore, neg[0] !== neg[1]);
    case 'div':
      return roundExact(f, exactOfRat(ratDiv(v[0], v[1])), rm, tinyBefore, neg[0] !== neg[1]);
    case 'sqrt':
      return roundExact(f, exactSqrtOfRat(v[0]), rm, tinyBefore, neg[0]);
    case 'fma': {
      const p = ratMul(v[0], v[1]);
      const pNeg = neg[0] !== neg[1];
      return roundExact(f, exactOfRat(ratAdd(p, v[2])), rm, tinyBefore, zeroSumNeg(pNeg, neg[2], p.n === 0n && zero[2]));
    }
  }
}

/** Is the op on these finite operands an invalid/divide-by-zero case the oracle does not model? */
export function oracleSkips(f: FormatSpec, op: ArithOp, args: readonly bigint[]): boolean {
  if (op === 'div') return isZeroBits(f, args[1]);
  if (op === 'sqrt') return isNegBits(f, args[0]) && !isZeroBits(f, args[0]);
  return false;
}

// ---- operand generation

function pattern(f: FormatSpec, neg: boolean, be: number, frac: bigint): bigint {
  const fb = BigInt(f.p - 1);
  return (neg ? 1n << BigInt(f.bits - 1) : 0n) | (BigInt(be) << fb) | (frac & ((1n << fb) - 1n));
}

function randFrac(r: Rng, f: FormatSpec): bigint {
  const fb = f.p - 1;
  const full = r.u64() & ((1n << BigInt(fb)) - 1n);
  switch (r.below(6)) {
    case 0: return 0n;
    case 1: return (1n << BigInt(fb)) - 1n;
    case 2: return full >> BigInt(fb - 1 - r.below(4)); // a few low bits
    case 3: return (full >> BigInt(fb - 4)) << BigInt(fb - 4); // a few high bits
    default: return full;
  }
}

/** A finite float pattern, weighted toward subnormals, the overflow edge, and small exponents. */
export function randFinite(r: Rng, f: FormatSpec, baseBe?: number): bigint {
  const maxBe = (1 << f.ebits) - 2;
  const bias = f.emax;
  let be: number;
  if (baseBe !== undefined) be = Math.min(maxBe, Math.max(0, baseBe - r.below(f.p + 4) + 2));
  else {
    switch (r.below(6)) {
      case 0: be = 0; break;
      case 1: be = 1 + r.below(3); break;
      case 2: be = maxBe - r.below(3); break;
      case 3: be = bias - 8 + r.below(17); break;
      default: be = r.below(maxBe + 1);
    }
  }
  return pattern(f, r.below(2) === 1, be, randFrac(r, f));
}

export function biasedExp(f: FormatSpec, b: bigint): number {
  return Number((b >> BigInt(f.p - 1)) & ((1n << BigInt(f.ebits)) - 1n));
}

/** Operands for op: independent, or related so results cancel, tie, or land near a boundary. */
export function randArgs(r: Rng, f: FormatSpec, op: ArithOp): bigint[] {
  const n = op === 'sqrt' ? 1 : op === 'fma' ? 3 : 2;
  const a = randFinite(r, f);
  const related = r.below(2) === 1;
  const be = biasedExp(f, a);
  const out = [a];
  for (let i = 1; i < n; i++) out.push(related ? randFinite(r, f, be) : randFinite(r, f));
  if (op === 'sqrt' && r.below(4) !== 0) out[0] &= ~(1n << BigInt(f.bits - 1)); // mostly nonnegative
  if (op === 'mul' || op === 'div' || op === 'fma') {
    // keep the product's exponent near the format's range now and then (underflow/overflow edges)
    if (related && r.below(2) === 0) {
      const bias = f.emax;
      const target = r.below(2) === 0 ? r.below(f.p + 2) : (1 << f.ebits) - 2 - r.below(3);
      const be1 = Math.max(1, Math.min((1 << f.ebits) - 2, op === 'div' ? be - target + bias : target - be + bias));
      out[1] = pattern(f, r.below(2) === 1, be1, randFrac(r, f));
    }
  }
  if (op === 'fma' && r.below(2) === 0) {
    // addend ≈ -(a·b): massive cancellation, where one rounding vs two shows
    const p = ratMul(ratOfBits(f, out[0]), ratOfBits(f, out[1]));
    const ex = roundExact(f, exactOfRat({ n: -p.n, d: p.d }), 0, false);
    const ok = (b: bigint) => b >= 0n && b >> BigInt(f.bits) === 0n && (b & ((1n << BigInt(f.bits - 1)) - 1n)) < infPattern(f);
    const cand = ex.bits + BigInt(r.below(3)) - 1n;
    if (ok(cand)) out[2] = cand;
    else if (ok(ex.bits)) out[2] = ex.bits;
  }
  return out;
}

/** Operands whose exact result lies within a few units of 2^emin or of the overflow threshold,
 *  where the tininess rule, UF and OF decide. (op: mul, div or fma) */
export function randEdgeArgs(r: Rng, f: FormatSpec, op: 'mul' | 'div' | 'fma'): bigint[] {
  const mask = (1n << BigInt(f.bits - 1)) - 1n;
  const T = r.below(3) === 0 ? { n: 1n << BigInt(f.emax + 1), d: 1n } : { n: 1n, d: 1n << BigInt(-f.emin) };
  const near = (x: { n: bigint; d: bigint }) => {
    const b = roundExact(f, exactOfRat(x), r.below(4), false).bits & mask;
    const c = b + BigInt(r.below(5)) - 2n;
    return c > 0n && c < infPattern(f) ? c : b < infPattern(f) ? b : b - 1n;
  };
  const sign = () => (r.below(2) === 1 ? 1n << BigInt(f.bits - 1) : 0n);
  let a = randFinite(r, f) & mask;
  // a in [2, 16) for products (T/a stays finite), in [1/8, 1) for quotients (T·a does)
  const be = op === 'div' ? f.emax - 1 - r.below(3) : f.emax + 1 + r.below(3);
  a = (a & ((1n << BigInt(f.p - 1)) - 1n)) | (BigInt(be) << BigInt(f.p - 1));
  const av = ratOfBits(f, a);
  if (op === 'div') {
    // x ≈ T·a·(1 - m·2^-(p+2)): the quotient lands just below T often enough
    const shrink = { n: (1n << BigInt(f.p + 2)) - BigInt(r.below(4)), d: 1n << BigInt(f.p + 2) };
    return [near(ratMul(ratMul(T, av), shrink)) | sign(), a | sign()];
  }
  const b = near(ratDiv(T, av));
  if (op === 'mul') return [a | sign(), b | sign()];
  // fma: a·b near T, plus a small addend a few units of T's spacing away
  const c = (BigInt(r.below(8)) << BigInt(r.below(3))) | sign();
  const cs = r.below(2) === 0 ? c : roundExact(f, exactOfRat(ratMul(T, { n: BigInt(r.below(64) + 1), d: 1n << BigInt(f.p + 3) })), 0, false).bits | sign();
  return [a | sign(), b | sign(), cs];
}

/** Float → integer reference: the exact value rounded to an integer per rm, range-checked. */
export function expectF2i(f: FormatSpec, b: bigint, width: 32 | 64, signed: boolean, rm: number, env: FpEnv): { value: bigint; flags: number } {
  const lo = signed ? -(1n << BigInt(width - 1)) : 0n;
  const hi = signed ? (1n << BigInt(width - 1)) - 1n : (1n << BigInt(width)) - 1n;
  const pat = (v: bigint) => BigInt.asUintN(width, v);
  const mag = b & ((1n << BigInt(f.bits - 1)) - 1n);
  if (mag > infPattern(f)) return { value: env.nanToInt === 'max' ? pat(hi) : 0n, flags: NV };
  if (mag === infPattern(f)) return { value: pat(isNegBits(f, b) ? lo : hi), flags: NV };
  const { n, d } = ratOfBits(f, b);
  let q = n / d; // truncates toward zero
  const rem = n - q * d;
  if (rem !== 0n) {
    const neg = n < 0n;
    const twice = 2n * (rem < 0n ? -rem : rem);
    const away = (() => {
      switch (rm) {
        case RTZ: return false;
        case RDN: return neg;
        case RUP: return !neg;
        case RMM: return twice >= d;
        default: return twice > d || (twice === d && (q & 1n) !== 0n);
      }
    })();
    if (away) q += neg ? -1n : 1n;
  }
  if (q < lo || q > hi) return { value: pat(q < lo ? lo : hi), flags: NV };
  return { value: pat(q), flags: rem !== 0n ? NX : 0 };
}

/** A float near the interesting integer boundaries (0, ±0.5, 2^31, 2^32, 2^63, 2^64) or random. */
export function randForInt(r: Rng, f: FormatSpec): bigint {
  const signBit = 1n << BigInt(f.bits - 1);
  const sign = r.below(2) === 1 ? signBit : 0n;
  const mask = signBit - 1n;
  const pick = r.below(4);
  if (pick === 0) return randFinite(r, f);
  const e = pick === 1 ? [31, 32, 63, 64][r.below(4)] : pick === 2 ? -1 - r.below(2) : r.below(67);
  const base = roundExact(f, exactOfRat(e >= 0 ? { n: 1n << BigInt(e), d: 1n } : { n: 1n, d: 1n << BigInt(-e) }), 0, false).bits;
  const frac = pick === 3 ? r.u64() & ((1n << BigInt(f.p - 1)) - 1n) : 0n;
  const step = BigInt(r.below(7)) - 3n;
  return sign | (((base | frac) + step) & mask);
}

export const FORMATS: readonly FormatSpec[] = [S32, S64];
