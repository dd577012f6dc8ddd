// Fast paths on JS doubles. Each returns the correctly rounded result (a double holding a value of
// the format) and reports NX through `ctx`, or returns NaN to say "not provably right here, take
// the exact path" — it then leaves ctx untouched. NaN is free as a sentinel because NaN operands
// and invalid operations never reach these functions.
//
// How: the host computes the round-to-nearest-even result r0 (for f32 the double result rounded
// again with Math.fround, which is correctly rounded for + - × ÷ √ because 53 ≥ 2·24 + 2), and an
// error-free transformation (TwoSum, Dekker's TwoProduct, an exact remainder) tells where the
// exact value lies relative to r0. `finish` then picks r0 or its neighbour for the rounding mode.
// Only results strictly inside the normal range are handled, so no UF/OF decision is ever needed
// here, and no result can sit on a tie the fast path cannot see.
import { FpFlag, Rm } from './ir.js';
import { F32, F64, isOddSig, stepAway32, stepAway64, stepToward32, stepToward64, type Fmt } from './fpu-format.js';

export interface FlagSink {
  flags: number;
}

/** Dekker's TwoProduct error term: a·b = p + err exactly, for p = fl(a·b), when a and b are
 *  normal with |a|, |b| < 2^995 (the split does not overflow) and |a·b| ≥ 2^-960 (the error
 *  terms do not underflow). Callers check these bounds. */
function productError(a: number, b: number, p: number): number {
  let t = 134217729 * a; // 2^27 + 1
  const ah = t - (t - a);
  const al = a - ah;
  t = 134217729 * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

const SAFE_LO = 2 ** -960;
const SAFE_HI = 2 ** 995;

/**
 * Round the exact value x = r0 + d (d = z + zz, z = fl(d), both exact doubles) to fmt per rm.
 * r0 is a normal value of fmt and x lies strictly between r0 and its neighbour on d's side
 * (|d| < that spacing). Returns NaN if the neighbour leaves the normal range.
 */
function finish(f: Fmt, r0: number, z: number, zz: number, rm: Rm, ctx: FlagSink): number {
  if (z === 0) return r0; // exact
  const away = z > 0 === r0 > 0; // is x farther from zero than r0?
  const g = f.is32 ? (away ? stepAway32(r0) : stepToward32(r0)) : away ? stepAway64(r0) : stepToward64(r0);
  const ag = Math.abs(g);
  if (!(ag >= f.minNormal && ag <= f.max) || Math.abs(r0) < 2 * f.minNormal) return NaN;
  let far: boolean;
  switch (rm) {
    case Rm.RNE:
    case Rm.RMM: {
      const h = Math.abs(g - r0) * 0.5; // half the spacing on x's side, exact
      const az = Math.abs(z);
      const cmp = az > h ? 1 : az < h ? -1 : zz === 0 ? 0 : zz > 0 === z > 0 ? 1 : -1;
      far = cmp === 0 ? (rm === Rm.RMM ? away : isOddSig(f.is32, r0)) : cmp > 0;
      break;
    }
    case Rm.RTZ: far = !away; break;
    case Rm.RDN: far = z < 0; break;
    case Rm.RUP: far = z > 0; break;
    default: return NaN;
  }
  ctx.flags |= FpFlag.NX;
  return far ? g : r0;
}

/** Marker for "the exact value lies on this side of r0, not at a tie, well inside the spacing". */
const TINY = Number.MIN_VALUE;

export function fastAdd(f: Fmt, x: number, y: number, rm: Rm, ctx: FlagSink): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb); // TwoSum: x + y = s + err exactly (s finite)
  if (f.is32) {
    const r0 = Math.fround(s);
    const ar = Math.abs(r0);
    if (!(ar > F32.minNormal && ar < Infinity)) return NaN;
    const d = s - r0; // exact: r0 is within a factor 2 of s
    if (rm === Rm.RNE) {
      if (d !== 0 || err !== 0) ctx.flags |= FpFlag.NX;
      return r0;
    }
    const z = d + err;
    return finish(f, r0, z, d - z + err, rm, ctx);
  }
  const as = Math.abs(s);
  // err is exact unless an intermediate overflowed (|x| or |y| near the largest finite), which
  // makes it infinite or NaN: leave those to the exact path.
  if (!(as > F64.minNormal && as < Infinity) || err - err !== 0) return NaN;
  if (rm === Rm.RNE) {
    if (err !== 0) ctx.flags |= FpFlag.NX;
    return s;
  }
  return finish(f, s, err, 0, rm, ctx);
}

export function fastMul(f: Fmt, x: number, y: number, rm: Rm, ctx: FlagSink): number {
  const p = x * y;
  if (f.is32) {
    // p is exact: 24 × 24 significand bits, and f32 exponents stay far inside double range.
    const r0 = Math.fround(p);
    const ar = Math.abs(r0);
    if (!(ar > F32.minNormal && ar < Infinity)) return NaN;
    if (rm === Rm.RNE) {
      if (p !== r0) ctx.flags |= FpFlag.NX;
      return r0;
    }
    return finish(f, r0, p - r0, 0, rm, ctx);
  }
  const ap = Math.abs(p);
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (!(ap >= SAFE_LO && ap < SAFE_HI && ax >= F64.minNormal && ax < SAFE_HI && ay >= F64.minNormal && ay < SAFE_HI)) return NaN;
  const e = productError(x, y, p);
  if (rm === Rm.RNE) {
    if (e !== 0) ctx.flags |= FpFlag.NX;
    return p;
  }
  return finish(f, p, e, 0, rm, ctx);
}

/** x / y, both finite and nonzero. */
export function fastDiv(f: Fmt, x: number, y: number, rm: Rm, ctx: FlagSink): number {
  if (f.is32) {
    const r0 = Math.fround(x / y);
    const ar = Math.abs(r0);
    if (!(ar > F32.minNormal && ar < Infinity)) return NaN;
    const rem = x - r0 * y; // r0·y exact (48 bits); the subtraction keeps the sign of the exact remainder
    if (rem === 0) return r0;
    if (rm === Rm.RNE) {
      ctx.flags |= FpFlag.NX;
      return r0;
    }
    // A quotient in the normal range is never a tie (its odd part would need p+1 bits).
    return finish(f, r0, rem > 0 === y > 0 ? TINY : -TINY, 0, rm, ctx);
  }
  const q = x / y;
  const aq = Math.abs(q);
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (!(aq >= SAFE_LO && aq < SAFE_HI && ax >= SAFE_LO && ax < SAFE_HI && ay >= F64.minNormal && ay < SAFE_HI)) return NaN;
  const p = q * y;
  const rem = x - p - productError(q, y, p); // x - p exact (Sterbenz); the sign is the exact remainder's
  if (rem === 0) return q;
  if (rm === Rm.RNE) {
    ctx.flags |= FpFlag.NX;
    return q;
  }
  return finish(f, q, rem > 0 === y > 0 ? TINY : -TINY, 0, rm, ctx);
}

/** sqrt(x), x finite and > 0. */
export function fastSqrt(f: Fmt, x: number, rm: Rm, ctx: FlagSink): number {
  if (f.is32) {
    const r0 = Math.fround(Math.sqrt(x)); // always normal for f32 inputs
    const rem = x - r0 * r0; // r0² exact
    if (rem === 0) return r0;
    if (rm === Rm.RNE) {
      ctx.flags |= FpFlag.NX;
      return r0;
    }
    return finish(f, r0, rem > 0 ? TINY : -TINY, 0, rm, ctx);
  }
  if (!(x >= SAFE_LO && x < SAFE_HI)) return NaN;
  const s = Math.sqrt(x);
  const p = s * s;
  const rem = x - p - productError(s, s, p);
  if (rem === 0) return s;
  if (rm === Rm.RNE) {
    ctx.flags |= FpFlag.NX;
    return s;
  }
  return finish(f, s, rem > 0 ? TINY : -TINY, 0, rm, ctx);
}

/** x·y + z, all finite, x·y ≠ 0, z ≠ 0. */
export function fastFma(f: Fmt, x: number, y: number, z: number, rm: Rm, ctx: FlagSink): number {
  if (f.is32) {
    const p = x * y; // exact
    const s = p + z;
    const bb = s - p;
    const err = p - (s - bb) + (z - bb); // exact sum = s + err
    const r0 = Math.fround(s);
    const ar = Math.abs(r0);
    if (!(ar > F32.minNormal && ar < Infinity)) return NaN;
    // r0 is the nearest f32 to s but maybe not to s + err (s may be a midpoint): finish decides.
    const d = s - r0;
    const d1 = d + err;
    return finish(f, r0, d1, d - d1 + err, rm, ctx);
  }
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const p = x * y;
  const ap = Math.abs(p);
  if (!(ax >= F64.minNormal && ax < SAFE_HI && ay >= F64.minNormal && ay < SAFE_HI && ap >= SAFE_LO && ap < SAFE_HI && Math.abs(z) < SAFE_HI)) return NaN;
  const e = productError(x, y, p); // x·y = p + e
  // exact = p + z + e = s + t + e = s + u + v
  const s = p + z;
  let bb = s - p;
  const t = p - (s - bb) + (z - bb);
  const u = t + e;
  bb = u - t;
  const v = t - (u - bb) + (e - bb);
  // r0 = fl(s + u), s + u = r0 + w; then exact = r0 + (w + v). v is zero or negligible against
  // the spacing at r0 (t ≠ 0 only without cancellation), so the premise of finish holds.
  const r0 = s + u;
  bb = r0 - s;
  const w = s - (r0 - bb) + (u - bb);
  const ar = Math.abs(r0);
  if (!(ar >= SAFE_LO && ar < Infinity)) return NaN;
  const d1 = w + v;
  bb = d1 - w;
  const d2 = w - (d1 - bb) + (v - bb);
  return finish(f, r0, d1, d2, rm, ctx);
}

/** A finite double narrowed to f32. */
export function fastNarrow(x: number, rm: Rm, ctx: FlagSink): number {
  const r0 = Math.fround(x);
  const ar = Math.abs(r0);
  if (!(ar > F32.minNormal && ar < Infinity)) return NaN;
  const d = x - r0;
  if (d === 0) return r0;
  if (rm === Rm.RNE) {
    ctx.flags |= FpFlag.NX;
    return r0;
  }
  return finish(F32, r0, d, 0, rm, ctx);
}

/** An integer held exactly in a double (|v| ≤ 2^53), or r0 = fl(v) with its exact error d (v = r0 + d). */
export function fastFromInt(f: Fmt, r0: number, d: number, rm: Rm, ctx: FlagSink): number {
  if (f.is32) {
    const r = Math.fround(r0);
    const dd = r0 - r; // exact
    const d1 = dd + d;
    return finish(f, r, d1, dd - d1 + d, rm, ctx);
  }
  return finish(f, r0, d, 0, rm, ctx);
}
