// SWAR ("SIMD within a register") forms of the hottest lane-wise integer ops — ADD, SUB, CMEQ —
// computed on whole 64-bit halves instead of lane by lane: the string functions of the C library
// run them in their inner loops. Same results as the per-lane definitions in simd-ops.ts.
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { c64 } from './lift-util.js';
import type { Esize } from './vec-util.js';

/** A constant with `v` in every es-bit lane of a 64-bit half. */
export function splat(v: bigint, es: Esize): bigint {
  let r = 0n;
  for (let i = 0; i < 64; i += es) r |= v << BigInt(i);
  return r;
}
const highBits = (es: Esize) => splat(1n << BigInt(es - 1), es);

/** Lane-wise a + b (sub: a − b) of two halves. */
export function swarAddSub(b: BlockBuilder, x: Temp, y: Temp, es: Esize, sub: boolean): Temp {
  if (es === 64) return b.bin(sub ? 'sub' : 'add', x, y);
  const H = c64(b, highBits(es));
  const L = c64(b, ~highBits(es));
  if (!sub) {
    // add the low bits of each lane (no carry crosses a lane), then fix the top bit by xor
    const low = b.bin('add', b.bin('and', x, L), b.bin('and', y, L));
    return b.bin('xor', low, b.bin('and', b.bin('xor', x, y), H));
  }
  // borrow-free: set each lane's top bit in x, clear it in y, subtract, fix the top bit
  const diff = b.bin('sub', b.bin('or', x, H), b.bin('and', y, L));
  return b.bin('xor', diff, b.bin('and', b.bin('xor', b.bin('xor', x, y), H), H));
}

/** All-ones in each lane where the lane of x is zero (CMEQ against zero of x). */
export function swarIsZero(b: BlockBuilder, x: Temp, es: Esize): Temp {
  if (es === 64) return b.bin('sub', c64(b, 0), b.extend(b.bin('eq', x, c64(b, 0)), false));
  const L = c64(b, ~highBits(es));
  // top bit of each lane set iff the lane is nonzero
  const nz = b.bin('and', b.bin('or', b.bin('add', b.bin('and', x, L), L), x), c64(b, highBits(es)));
  // spread it over the lane: (nz >> (es-1)) · (2^es − 1), no carries between lanes
  const ones = b.bin('mul', b.bin('shrl', nz, c64(b, es - 1)), c64(b, (1n << BigInt(es)) - 1n));
  return b.bin('xor', ones, c64(b, -1));
}
