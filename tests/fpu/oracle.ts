// An independent reference for IEEE 754 rounding, used only by the tests.
//
// It shares no code with src/jit/fpu*.ts and favours being obviously right over speed: the exact
// result is described by a comparison function (sign of |x| - q for any float magnitude q, with
// BigInt rationals, or squares for sqrt), and the two floats bracketing |x| are found by binary
// search over the ordered bit patterns. The rounding mode then picks one; overflow, tininess
// (before or after rounding) and the flags follow the standard's definitions directly.

export const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
export const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

export interface FormatSpec {
  readonly bits: 32 | 64;
  readonly p: number; // precision incl. hidden bit
  readonly ebits: number;
  readonly emin: number;
  readonly emax: number;
}
export const S32: FormatSpec = { bits: 32, p: 24, ebits: 8, emin: -126, emax: 127 };
export const S64: FormatSpec = { bits: 64, p: 53, ebits: 11, emin: -1022, emax: 1023 };

/** A nonnegative float magnitude m·2^e. */
export interface Mag {
  m: bigint;
  e: number;
}

/** The magnitude encoded by the (positive) bit pattern b; the infinity pattern gives 2^(emax+1). */
export function magOf(f: FormatSpec, b: bigint): Mag {
  const fracBits = BigInt(f.p - 1);
  const be = Number(b >> fracBits);
  const frac = b & ((1n << fracBits) - 1n);
  const bias = f.emax;
  if (be === 0) return { m: frac, e: f.emin - (f.p - 1) };
  return { m: frac | (1n << fracBits), e: be - bias - (f.p - 1) };
}

export function infPattern(f: FormatSpec): bigint {
  return ((1n << BigInt(f.ebits)) - 1n) << BigInt(f.p - 1);
}

/** Sign of (a - b) for magnitudes. */
export function cmpMag(a: Mag, b: Mag): number {
  const e = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - e);
  const y = b.m << BigInt(b.e - e);
  return x > y ? 1 : x < y ? -1 : 0;
}

/** A rational n/d, d > 0. */
export interface Rat {
  n: bigint;
  d: bigint;
}
export function ratOfMag(neg: boolean, a: Mag): Rat {
  const n = neg ? -a.m : a.m;
  return a.e >= 0 ? { n: n << BigInt(a.e), d: 1n } : { n, d: 1n << BigInt(-a.e) };
}
export function ratAdd(a: Rat, b: Rat): Rat {
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}
export function ratMul(a: Rat, b: Rat): Rat {
  return { n: a.n * b.n, d: a.d * b.d };
}
export function ratDiv(a: Rat, b: Rat): Rat {
  const n = a.n * b.d;
  const d = a.d * b.n;
  return d < 0n ? { n: -n, d: -d } : { n, d };
}

/** What is being rounded: its sign and how |x| compares with a magnitude. */
export interface Exact {
  neg: boolean;
  zero: boolean;
  cmp(q: Mag): number;
}
export function exactOfRat(r: Rat): Exact {
  const neg = r.n < 0n;
  const an = neg ? -r.n : r.n;
  return {
    neg,
    zero: r.n === 0n,
    cmp(q: Mag): number {
      // an/d vs m·2^e
      const lhs = q.e >= 0 ? an : an << BigInt(-q.e);
      const rhs = q.e >= 0 ? (r.d * q.m) << BigInt(q.e) : r.d * q.m;
      return lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
    },
  };
}
/** sqrt of a nonnegative rational. */
export function exactSqrtOfRat(r: Rat): Exact {
  return {
    neg: false,
    zero: r.n === 0n,
    cmp(q: Mag): number {
      // sqrt(n/d) vs q  ⇔  n vs d·q²
      const q2: Mag = { m: q.m * q.m, e: 2 * q.e };
      return exactOfRat(r).cmp(q2);
    },
  };
}

export interface Rounded {
  bits: bigint; // full bit pattern with sign
  flags: number;
}

/** Pick between lo < x < hi (magnitudes) per rm; hiEven: is hi's last significand bit even. */
function pickHi(x: Exact, lo: Mag, hi: Mag, hiEven: boolean, rm: number): boolean {
  switch (rm) {
    case RTZ: return false;
    case RDN: return x.neg;
    case RUP: return !x.neg;
    default: {
      const c = x.cmp(midOf(lo, hi));
      if (c !== 0) return c > 0;
      return rm === RMM ? true : hiEven;
    }
  }
}
function midOf(lo: Mag, hi: Mag): Mag {
  const e = Math.min(lo.e, hi.e);
  const a = lo.m << BigInt(lo.e - e);
  const b = hi.m << BigInt(hi.e - e);
  return { m: a + b, e: e - 1 }; // (a + b)/2 · 2^e
}

/** Round the exact value to format f per rm. zeroNeg: sign for an exact zero result. */
export function roundExact(f: FormatSpec, x: Exact, rm: number, tinyBefore: boolean, zeroNeg = false): Rounded {
  const signBit = 1n << BigInt(f.bits - 1);
  if (x.zero) return { bits: zeroNeg ? signBit : 0n, flags: 0 };
  const sgn = x.neg ? signBit : 0n;
  const inf = infPattern(f);
  const two = (k: number): Mag => ({ m: 1n, e: k });
  // |x| ≥ 2^(emax+1): overflows in every mode.
  let lo = 0n;
  let flags = 0;
  if (x.cmp(two(f.emax + 1)) >= 0) return { bits: sgn | overflowPattern(f, x.neg, rm), flags: OF | NX };
  // largest pattern b in [0, inf) with mag(b) ≤ |x|
  let hiB = inf; // mag(inf) = 2^(emax+1) > |x|
  while (hiB - lo > 1n) {
    const mid = (lo + hiB) >> 1n;
    if (x.cmp(magOf(f, mid)) >= 0) lo = mid;
    else hiB = mid;
  }
  const loM = magOf(f, lo);
  const exact = x.cmp(loM) === 0;
  let res = lo;
  if (!exact) {
    flags |= NX;
    if (pickHi(x, loM, magOf(f, lo + 1n), ((lo + 1n) & 1n) === 0n, rm)) res = lo + 1n;
    if (res === inf) return { bits: sgn | overflowPattern(f, x.neg, rm), flags: OF | NX };
    // tininess
    const minNormal = two(f.emin);
    let tiny = false;
    if (x.cmp(minNormal) < 0) {
      if (tinyBefore) tiny = true;
      else {
        // round to p bits with unbounded exponent: only values just below 2^emin can reach it
        const below: Mag = { m: (1n << BigInt(f.p)) - 1n, e: f.emin - f.p }; // 2^emin - 2^(emin-p)
        const c = x.cmp(below);
        tiny = !(c > 0 && pickHi(x, below, minNormal, true, rm));
      }
    }
    if (tiny) flags |= UF;
  }
  return { bits: sgn | res, flags };
}

function overflowPattern(f: FormatSpec, neg: boolean, rm: number): bigint {
  const inf = infPattern(f);
  const toInf = rm === RNE || rm === RMM || (rm === RUP && !neg) || (rm === RDN && neg);
  return toInf ? inf : inf - 1n;
}

/** A finite float's exact value from its bits (pattern incl. sign). */
export function ratOfBits(f: FormatSpec, b: bigint): Rat {
  const signBit = 1n << BigInt(f.bits - 1);
  return ratOfMag((b & signBit) !== 0n, magOf(f, b & (signBit - 1n)));
}
export function isFiniteBits(f: FormatSpec, b: bigint): boolean {
  const signBit = 1n << BigInt(f.bits - 1);
  return (b & (signBit - 1n)) < infPattern(f);
}
export function isZeroBits(f: FormatSpec, b: bigint): boolean {
  const signBit = 1n << BigInt(f.bits - 1);
  return (b & (signBit - 1n)) === 0n;
}
export function isNegBits(f: FormatSpec, b: bigint): boolean {
  return (b >> BigInt(f.bits - 1)) === 1n;
}
