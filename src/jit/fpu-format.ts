// Binary32/binary64 format facts and the bit ⇄ double conversions the FPU is built on.
//
// Every finite f32 or f64 value is exactly a JS double, so the FPU computes on doubles and only
// touches bits at its edges. NaNs never cross a number conversion: they are recognised as
// `x !== x` after the conversion and then handled from their bits (an f32 sNaN read as a double
// would come back quiet).

/** One IEEE 754 binary format. */
export interface Fmt {
  readonly is32: boolean;
  /** Precision in bits, including the hidden bit. */
  readonly p: number;
  readonly emin: number;
  readonly emax: number;
  /** Smallest positive normal, largest finite. */
  readonly minNormal: number;
  readonly max: number;
}

export const F32: Fmt = { is32: true, p: 24, emin: -126, emax: 127, minNormal: 2 ** -126, max: (2 - 2 ** -23) * 2 ** 127 };
export const F64: Fmt = { is32: false, p: 53, emin: -1022, emax: 1023, minNormal: 2 ** -1022, max: Number.MAX_VALUE };

// ---- scratch views: one 8-byte buffer for f64 work, one 4-byte buffer for f32 work
const b64 = new ArrayBuffer(8);
const f64v = new Float64Array(b64);
const u64v = new BigUint64Array(b64);
const w32v = new Uint32Array(b64);
/** Index of the high/low 32-bit word of a double in w32v (host byte order). */
const HI = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;
const LO = 1 - HI;

const b32 = new ArrayBuffer(4);
const f32v = new Float32Array(b32);
const i32v = new Int32Array(b32);

/** f32 bits (any int32/uint32 representation) → double; NaN for every NaN. */
export function f32Value(bits: number): number {
  i32v[0] = bits;
  return f32v[0];
}
/** A double holding an f32 value (never NaN) → f32 bits as a signed int32. */
export function f32Bits(x: number): number {
  f32v[0] = x;
  return i32v[0];
}
/** f64 bits → double; NaN for every NaN. */
export function f64Value(bits: bigint): number {
  u64v[0] = bits;
  return f64v[0];
}
/** A non-NaN double → its f64 bits. */
export function f64Bits(x: number): bigint {
  f64v[0] = x;
  return u64v[0];
}

// ---- NaN bits
export const QUIET32 = 0x00400000;
export const QUIET64 = 1n << 51n;
/** For a NaN's bits: is the quiet bit clear? */
export function isSignaling32(bits: number): boolean {
  return (bits & QUIET32) === 0;
}
export function isSignaling64(bits: bigint): boolean {
  return (bits & QUIET64) === 0n;
}

// ---- stepping to an adjacent value (finite nonzero x; the magnitude changes by one unit)
export function stepAway64(x: number): number {
  f64v[0] = x;
  const lo = w32v[LO];
  if (lo === 0xffffffff) {
    w32v[LO] = 0;
    w32v[HI] = w32v[HI] + 1;
  } else w32v[LO] = lo + 1;
  return f64v[0];
}
export function stepToward64(x: number): number {
  f64v[0] = x;
  const lo = w32v[LO];
  if (lo === 0) {
    w32v[LO] = 0xffffffff;
    w32v[HI] = w32v[HI] - 1;
  } else w32v[LO] = lo - 1;
  return f64v[0];
}
export function stepAway32(x: number): number {
  f32v[0] = x;
  i32v[0] = i32v[0] + 1;
  return f32v[0];
}
export function stepToward32(x: number): number {
  f32v[0] = x;
  i32v[0] = i32v[0] - 1;
  return f32v[0];
}
/** Is the last significand bit of x (as a value of fmt) odd? */
export function isOddSig(is32: boolean, x: number): boolean {
  if (is32) {
    f32v[0] = x;
    return (i32v[0] & 1) !== 0;
  }
  f64v[0] = x;
  return (w32v[LO] & 1) !== 0;
}

/** A finite double as sign, integer significand and exponent: |x| = mant · 2^exp. */
export function decompose(x: number): { neg: boolean; mant: bigint; exp: number } {
  f64v[0] = x;
  const hi = w32v[HI];
  const e = (hi >>> 20) & 0x7ff;
  const fracHi = hi & 0xfffff;
  const m = (e === 0 ? fracHi : fracHi | 0x100000) * 4294967296 + w32v[LO];
  return { neg: hi >>> 31 === 1, mant: BigInt(m), exp: e === 0 ? -1074 : e - 1075 };
}

/** 2^k for every k a result can need, built by exact halving/doubling (no pow rounding doubts). */
const POW2 = new Float64Array(1023 + 1074 + 1);
POW2[1074] = 1;
for (let k = 1; k <= 1023; k++) POW2[1074 + k] = POW2[1074 + k - 1] * 2;
for (let k = 1; k <= 1074; k++) POW2[1074 - k] = POW2[1074 - k + 1] / 2;
/** Exact 2^k for -1074 ≤ k ≤ 1023. */
export function pow2(k: number): number {
  return POW2[k + 1074];
}

// ---- fclass (RISC-V order, see ir.ts)
export function fclassOf(neg: boolean, expAllOnes: boolean, expZero: boolean, fracZero: boolean, quiet: boolean): number {
  if (expAllOnes) {
    if (fracZero) return neg ? 1 << 0 : 1 << 7;
    return quiet ? 1 << 9 : 1 << 8;
  }
  if (expZero) {
    if (fracZero) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}
