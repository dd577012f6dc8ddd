// 64-bit integer arithmetic and bit counts on pairs of int32 halves, for tier 0's IR evaluator
// (ir-eval.ts; the short ones, add, sub, compares, are written out in its handlers, eval-ops.ts)
// and for the runtime that tier 0's generated code calls (runtime.ts).
// A value lives in a temp file `t` (Int32Array) at t[i] (low half) and t[i + 1] (high half), so
// the evaluator's hot path allocates nothing: a JS BigInt per op costs ~10× more and feeds the GC
// (DESIGN.md). Each function reads its operands before writing the result, so out may alias them.

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 64-bit product of two 32-bit values (16-bit pieces: exact in doubles). */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}
/** High 32 bits of the signed product. */
export function mulhs32(a: number, b: number): number {
  return (mulhu32(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}
/** High 32 bits of signed a × unsigned b. */
export function mulhsu32(a: number, b: number): number {
  return (mulhu32(a, b) - (a < 0 ? b : 0)) | 0;
}

/** Write the integer-valued double q (|q| < 2^53) as a 64-bit pair, modulo 2^64. */
export function setNum(t: Int32Array, o: number, q: number): void {
  t[o] = q | 0;
  t[o + 1] = Math.floor(q / TWO32) | 0;
}
/** The unsigned value of a pair as a double (rounded like Number(bigint) above 2^53). */
export function toNum(t: Int32Array, i: number): number {
  return (t[i + 1] >>> 0) * TWO32 + (t[i] >>> 0);
}

export function mul64(t: Int32Array, o: number, a: number, b: number): void {
  const al = t[a], ah = t[a + 1], bl = t[b], bh = t[b + 1];
  t[o + 1] = (mulhu32(al, bl) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  t[o] = Math.imul(al, bl);
}

/** High 64 bits of the 128-bit product: unsigned, signed × signed, or signed a × unsigned b. */
export function mulh64(t: Int32Array, o: number, a: number, b: number, aSigned: boolean, bSigned: boolean): void {
  const al = t[a], ah = t[a + 1], bl = t[b], bh = t[b + 1];
  // 32-bit limbs: a·b = p0 + (p1 + p2)·2^32 + p3·2^64; sums of a few uint32 stay exact in doubles.
  const h0 = mulhu32(al, bl) >>> 0;
  const l1 = Math.imul(al, bh) >>> 0, h1 = mulhu32(al, bh) >>> 0;
  const l2 = Math.imul(ah, bl) >>> 0, h2 = mulhu32(ah, bl) >>> 0;
  const l3 = Math.imul(ah, bh) >>> 0, h3 = mulhu32(ah, bh) >>> 0;
  const w1 = h0 + l1 + l2;
  const w2 = h1 + h2 + l3 + Math.floor(w1 / TWO32);
  let hi = (h3 + Math.floor(w2 / TWO32)) | 0;
  let lo = w2 | 0;
  // Signed operands: a·b(signed) = a·b(unsigned) − 2^64·(a<0 ? b : 0) − 2^64·(b<0 ? a : 0).
  if (aSigned && ah < 0) {
    const l = lo;
    lo = (l - bl) | 0;
    hi = (hi - bh - ((l >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
  }
  if (bSigned && bh < 0) {
    const l = lo;
    lo = (l - al) | 0;
    hi = (hi - ah - ((l >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
  }
  t[o] = lo;
  t[o + 1] = hi;
}

export function shl64(t: Int32Array, o: number, a: number, n: number): void {
  const al = t[a], ah = t[a + 1];
  n &= 63;
  if (n === 0) {
    t[o] = al;
    t[o + 1] = ah;
  } else if (n < 32) {
    t[o + 1] = (ah << n) | (al >>> (32 - n));
    t[o] = al << n;
  } else {
    t[o + 1] = al << (n - 32);
    t[o] = 0;
  }
}
export function shrl64(t: Int32Array, o: number, a: number, n: number): void {
  const al = t[a], ah = t[a + 1];
  n &= 63;
  if (n === 0) {
    t[o] = al;
    t[o + 1] = ah;
  } else if (n < 32) {
    t[o] = (al >>> n) | (ah << (32 - n));
    t[o + 1] = ah >>> n;
  } else {
    t[o] = ah >>> (n - 32);
    t[o + 1] = 0;
  }
}
export function shra64(t: Int32Array, o: number, a: number, n: number): void {
  const al = t[a], ah = t[a + 1];
  n &= 63;
  if (n === 0) {
    t[o] = al;
    t[o + 1] = ah;
  } else if (n < 32) {
    t[o] = (al >>> n) | (ah << (32 - n));
    t[o + 1] = ah >> n;
  } else {
    t[o] = ah >> (n - 32);
    t[o + 1] = ah >> 31;
  }
}
export function rotl64(t: Int32Array, o: number, a: number, n: number): void {
  let al = t[a], ah = t[a + 1];
  n &= 63;
  if (n >= 32) {
    const x = al;
    al = ah;
    ah = x;
    n -= 32;
  }
  if (n === 0) {
    t[o] = al;
    t[o + 1] = ah;
  } else {
    t[o + 1] = (ah << n) | (al >>> (32 - n));
    t[o] = (al << n) | (ah >>> (32 - n));
  }
}


/** Division without BigInt where both operands fit 32 bits (the common case: quotients of doubles
 *  of such values are exact after truncation); false when the caller must take the BigInt path.
 *  Zero divisors and MIN/−1 are the callers' (they never reach here with b = 0). */
export function divFast(t: Int32Array, o: number, a: number, b: number, signed: boolean, rem: boolean): boolean {
  const al = t[a], ah = t[a + 1], bl = t[b], bh = t[b + 1];
  if (signed) {
    if (ah !== al >> 31 || bh !== bl >> 31) return false;
    setNum(t, o, rem ? al % bl : Math.trunc(al / bl));
    // −0 from % or trunc is 0 as an integer
    return true;
  }
  if (ah !== 0 || bh !== 0) return false;
  const x = al >>> 0, y = bl >>> 0;
  t[o] = rem ? x % y : Math.floor(x / y);
  t[o + 1] = 0;
  return true;
}

export function popcnt32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}
export function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
/** Leading and trailing zeros of the 64-bit value hi:lo. */
export function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}
export function ctz64(hi: number, lo: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (hi !== 0) return 63 - Math.clz32(hi & -hi);
  return 64;
}
