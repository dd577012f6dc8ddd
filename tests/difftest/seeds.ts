// Interesting register and memory values: the edges where integer and IEEE 754 semantics differ
// between a correct and an almost-correct implementation.
import type { Rng } from '../rng.js';

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & M64;

export const INT_EDGES: readonly bigint[] = [
  0n, 1n, 2n, u64(-1n), u64(-2n),
  0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, u64(-0x80000000n), u64(-0x80000001n),
  0x7fffn, 0x8000n, 0xffffn, 0x7fn, 0x80n, 0xffn,
  31n, 32n, 63n, 64n, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan,
];

/** Single-precision bit patterns (as numbers). */
export const F32_EDGES: readonly number[] = [
  0x00000000, 0x80000000, // ±0
  0x7f800000, 0xff800000, // ±inf
  0x7fc00000, 0xffc00000, 0x7fc00123, // qNaN (canonical, negative, payload)
  0x7fa00000, 0x7f800001, 0xff800001, // sNaN
  0x00000001, 0x807fffff, 0x007fffff, // subnormals
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, // min / max normal
  0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, // 1, -1, 0.5, 1.5, 2.5, -2.5
  0x4effffff, 0x4f000000, 0xcf000000, 0x4f800000, // around 2^31, 2^32
  0x5effffff, 0x5f000000, 0xdf000000, 0x5f800000, // around 2^63, 2^64
  0x33800000, 0x34000000, // 2^-24, 2^-23 (ulp-scale addends)
];

/** Double-precision bit patterns. */
export const F64_EDGES: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n,
  0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000000000123n,
  0x7ff4000000000000n, 0x7ff0000000000001n, 0xfff0000000000001n,
  0x0000000000000001n, 0x800fffffffffffffn, 0x000fffffffffffffn,
  0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn,
  0x3ff0000000000000n, 0xbff0000000000000n, 0x3fe0000000000000n, 0x3ff8000000000000n,
  0x4004000000000000n, 0xc004000000000000n,
  0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0x41f0000000000000n, // 2^31 - 1 …
  0xc1e0000000200000n, 0x41efffffffffffffn, // just beyond INT32_MIN, just below 2^32
  0x43dfffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n, 0x43f0000000000000n, // 2^63 …
  0x3ca0000000000000n, 0x3cb0000000000000n, // 2^-53, 2^-52
  0x36a0000000000000n, 0x3810000000000000n, // near FLT_MIN / below it, for fcvt.s.d underflow
  0x47efffffe0000000n, 0x47effffff0000000n, // FLT_MAX and just above, for fcvt.s.d overflow
];

const BOX = 0xffffffff00000000n;

/** A random single with an exponent near the middle (products and sums stay finite). */
function moderateF32(rng: Rng): number {
  const sign = rng.below(2) << 31;
  const exp = rng.range(127 - 30, 127 + 30);
  return (sign | (exp << 23) | rng.below(1 << 23)) >>> 0;
}

function moderateF64(rng: Rng): bigint {
  const sign = BigInt(rng.below(2)) << 63n;
  const exp = BigInt(rng.range(1023 - 60, 1023 + 60)) << 52n;
  return sign | exp | (rng.u64() & ((1n << 52n) - 1n));
}

/** Biased exponents where results change class: subnormal, around the square roots of the
 *  smallest and largest normals (products land at the edges), the integer-conversion limits
 *  2^31, 2^32, 2^63, 2^64, and the largest finite. */
const F32_EDGE_EXPS = [0, 1, 2, 63, 64, 65, 126, 127, 158, 159, 190, 191, 253, 254];
const F64_EDGE_EXPS = [0, 1, 2, 511, 512, 513, 1022, 1023, 1053, 1054, 1085, 1086, 2045, 2046];

/** A value at an edge exponent with a mantissa that is random, all ones, or nearly zero. */
function edgeF32(rng: Rng): number {
  const mant = rng.pick([rng.below(1 << 23), (1 << 23) - 1 - rng.below(4), rng.below(4)]);
  return ((rng.below(2) << 31) | (rng.pick(F32_EDGE_EXPS) << 23) | mant) >>> 0;
}

function edgeF64(rng: Rng): bigint {
  const m52 = (1n << 52n) - 1n;
  const mant = rng.pick([rng.u64() & m52, m52 - BigInt(rng.below(4)), BigInt(rng.below(4))]);
  return (BigInt(rng.below(2)) << 63n) | (BigInt(rng.pick(F64_EDGE_EXPS)) << 52n) | mant;
}

export function randomF32(rng: Rng): number {
  return rng.weighted<() => number>([
    [4, () => rng.pick(F32_EDGES)],
    [2, () => edgeF32(rng)],
    [3, () => moderateF32(rng)],
    [1, () => rng.u32()],
  ])();
}

export function randomF64(rng: Rng): bigint {
  return rng.weighted<() => bigint>([
    [4, () => rng.pick(F64_EDGES)],
    [2, () => edgeF64(rng)],
    [3, () => moderateF64(rng)],
    [1, () => rng.u64()],
  ])();
}

/** An FP register value: NaN-boxed single, double, or a single that is not properly boxed. */
export function randomFreg(rng: Rng): bigint {
  return rng.weighted<() => bigint>([
    [45, () => BOX | BigInt(randomF32(rng))],
    [45, () => randomF64(rng)],
    [5, () => BigInt(randomF32(rng))], // upper half zero: reads as the canonical NaN
    [5, () => 0x7fffffff00000000n | BigInt(randomF32(rng))], // almost boxed
  ])();
}

/** An integer register value. */
export function randomXreg(rng: Rng): bigint {
  return rng.weighted<() => bigint>([
    [30, () => rng.pick(INT_EDGES)],
    [20, () => rng.u64()],
    [15, () => u64(BigInt(rng.range(-2048, 2048)))],
    [15, () => u64(BigInt(rng.u32() | 0))], // sign-extended 32-bit
    [10, () => BigInt(randomF32(rng))], // for fmv.w.x
    [10, () => randomF64(rng)], // for fmv.d.x
  ])();
}

/** A memory doubleword for the scratch buffer. */
export function randomMem64(rng: Rng): bigint {
  return rng.weighted<() => bigint>([
    [3, () => randomXreg(rng)],
    [3, () => randomFreg(rng)],
    [1, () => (BigInt(randomF32(rng)) << 32n) | BigInt(randomF32(rng))],
  ])();
}
