// The exact FPU path: every operation computed on BigInt significands, then rounded once.
//
// Operands are finite, non-NaN doubles holding values of the format (special operands are dealt
// with by the caller); results are doubles holding the rounded value. Slower than the double fast
// paths (fpu-fast.ts) but right for every rounding mode, subnormal, overflow and fused case, so it
// is also the reference the fast paths are tested against.
import { FpFlag, Rm } from './ir.js';
import { decompose, pow2, type Fmt } from './fpu-format.js';

/** Where rounding reports its exception flags, and how the ISA detects tininess. */
export interface RoundCtx {
  flags: number;
  readonly tinyBeforeRounding: boolean;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** Round mant·2^-shift to an integer per rm (sign: of the value). */
function roundShift(mant: bigint, shift: number, rm: Rm, neg: boolean): { m: bigint; inexact: boolean } {
  if (shift <= 0) return { m: mant << BigInt(-shift), inexact: false };
  const s = BigInt(shift);
  let m = mant >> s;
  const rem = mant - (m << s);
  if (rem === 0n) return { m, inexact: false };
  const half = 1n << (s - 1n);
  let up: boolean;
  switch (rm) {
    case Rm.RNE: up = rem > half || (rem === half && (m & 1n) === 1n); break;
    case Rm.RMM: up = rem >= half; break;
    case Rm.RTZ: up = false; break;
    case Rm.RDN: up = neg; break;
    case Rm.RUP: up = !neg; break;
    default: throw new RangeError(`bad rounding mode ${rm as number}`);
  }
  if (up) m += 1n;
  return { m, inexact: true };
}

/** The result of an overflow: infinity or the largest finite value, by rounding direction. */
export function overflowResult(f: Fmt, neg: boolean, rm: Rm): number {
  const toInf = rm === Rm.RNE || rm === Rm.RMM || (rm === Rm.RUP && !neg) || (rm === Rm.RDN && neg);
  const mag = toInf ? Infinity : f.max;
  return neg ? -mag : mag;
}

/** Round ±mant·2^exp (mant > 0, exact) to format f; sets NX/UF/OF in ctx. */
export function roundPack(f: Fmt, neg: boolean, mant: bigint, exp: number, rm: Rm, ctx: RoundCtx): number {
  if (mant === 0n) return neg ? -0 : 0;
  const E = exp + bitLength(mant) - 1; // |x| in [2^E, 2^(E+1))
  let q = Math.max(E - f.p + 1, f.emin - f.p + 1); // exponent of the last kept bit
  const r = roundShift(mant, q - exp, rm, neg);
  let m = r.m;
  if (m === 1n << BigInt(f.p)) {
    m >>= 1n;
    q += 1;
  }
  if (q + f.p - 1 > f.emax) {
    ctx.flags |= FpFlag.OF | FpFlag.NX;
    return overflowResult(f, neg, rm);
  }
  if (r.inexact) {
    ctx.flags |= FpFlag.NX;
    let tiny = false;
    if (E < f.emin) {
      if (ctx.tinyBeforeRounding) tiny = true;
      else {
        // After rounding: round to p bits as if the exponent range were unbounded.
        const u = roundShift(mant, E - f.p + 1 - exp, rm, neg);
        tiny = E + (u.m === 1n << BigInt(f.p) ? 1 : 0) < f.emin;
      }
    }
    if (tiny) ctx.flags |= FpFlag.UF;
  }
  const v = Number(m) * pow2(q); // exact: the value is representable
  return neg ? -v : v;
}

/** An exact zero sum's sign: IEEE 754 6.3. */
function zeroSum(negA: boolean, negB: boolean, rm: Rm): number {
  if (negA === negB) return negA ? -0 : 0;
  return rm === Rm.RDN ? -0 : 0;
}

/** Round (±ma·2^ea) + (±mb·2^eb), both exact, where the sum is known not to be the sum of two zeros. */
function roundSum(f: Fmt, negA: boolean, ma: bigint, ea: number, negB: boolean, mb: bigint, eb: number, rm: Rm, ctx: RoundCtx): number {
  const e = Math.min(ea, eb);
  const A = ma << BigInt(ea - e);
  const B = mb << BigInt(eb - e);
  const S = (negA ? -A : A) + (negB ? -B : B);
  if (S === 0n) return rm === Rm.RDN ? -0 : 0;
  return S < 0n ? roundPack(f, true, -S, e, rm, ctx) : roundPack(f, false, S, e, rm, ctx);
}

export function exactAdd(f: Fmt, x: number, y: number, rm: Rm, ctx: RoundCtx): number {
  const a = decompose(x);
  const b = decompose(y);
  if (x === 0 && y === 0) return zeroSum(a.neg, b.neg, rm);
  return roundSum(f, a.neg, a.mant, a.exp, b.neg, b.mant, b.exp, rm, ctx);
}

export function exactMul(f: Fmt, x: number, y: number, rm: Rm, ctx: RoundCtx): number {
  const a = decompose(x);
  const b = decompose(y);
  return roundPack(f, a.neg !== b.neg, a.mant * b.mant, a.exp + b.exp, rm, ctx);
}

/** x / y for finite nonzero y. */
export function exactDiv(f: Fmt, x: number, y: number, rm: Rm, ctx: RoundCtx): number {
  const a = decompose(x);
  const b = decompose(y);
  const neg = a.neg !== b.neg;
  if (a.mant === 0n) return neg ? -0 : 0;
  // Enough quotient bits (≥ p+3) that a sticky bit below them rounds like the true remainder.
  const k = Math.max(0, f.p + 3 + bitLength(b.mant) - bitLength(a.mant));
  const n = a.mant << BigInt(k);
  const q = n / b.mant;
  const sticky = n - q * b.mant === 0n ? 0n : 1n;
  return roundPack(f, neg, (q << 1n) | sticky, a.exp - b.exp - k - 1, rm, ctx);
}

/** floor(sqrt(n)) for n ≥ 0. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1); // ≥ sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt(x) for finite x > 0. */
export function exactSqrt(f: Fmt, x: number, rm: Rm, ctx: RoundCtx): number {
  let { mant, exp } = decompose(x);
  if (exp & 1) {
    mant <<= 1n;
    exp -= 1;
  }
  const k = Math.max(0, Math.ceil((2 * (f.p + 3) - bitLength(mant)) / 2));
  const n = mant << BigInt(2 * k);
  const s = isqrt(n);
  const sticky = n - s * s === 0n ? 0n : 1n;
  return roundPack(f, false, (s << 1n) | sticky, (exp - 2 * k) / 2 - 1, rm, ctx);
}

/** x·y + z with one rounding; all finite. */
export function exactFma(f: Fmt, x: number, y: number, z: number, rm: Rm, ctx: RoundCtx): number {
  const a = decompose(x);
  const b = decompose(y);
  const c = decompose(z);
  const negP = a.neg !== b.neg;
  const mp = a.mant * b.mant;
  if (mp === 0n && c.mant === 0n) return zeroSum(negP, c.neg, rm);
  return roundSum(f, negP, mp, a.exp + b.exp, c.neg, c.mant, c.exp, rm, ctx);
}

/** Any finite double rounded to format f (narrowing conversion). */
export function exactRound(f: Fmt, x: number, rm: Rm, ctx: RoundCtx): number {
  const a = decompose(x);
  return roundPack(f, a.neg, a.mant, a.exp, rm, ctx);
}

/** A signed integer (bigint) rounded to format f. */
export function exactFromInt(f: Fmt, v: bigint, rm: Rm, ctx: RoundCtx): number {
  if (v === 0n) return 0;
  return v < 0n ? roundPack(f, true, -v, 0, rm, ctx) : roundPack(f, false, v, 0, rm, ctx);
}
