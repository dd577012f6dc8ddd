// Bit-level helpers for A64 encodings: field extraction, sign extension, and the logical-immediate
// (bitmask) decoder shared by the logical, bitfield and move-alias decoders.

/** Bits hi:lo of w (unsigned). */
export const bits = (w: number, hi: number, lo: number): number => (w >>> lo) & ((1 << (hi - lo + 1)) - 1 || 0xffffffff);
export const bit = (w: number, n: number): number => (w >>> n) & 1;
/** Sign-extend the low n bits of v (n ≤ 32). */
export const sx = (v: number, n: number): number => (n === 32 ? v | 0 : (v << (32 - n)) >> (32 - n));

const ones = (n: number): bigint => (1n << BigInt(n)) - 1n;
function ror(v: bigint, r: number, width: number): bigint {
  if (r === 0) return v;
  const m = ones(width);
  return ((v >> BigInt(r)) | (v << BigInt(width - r))) & m;
}
function replicate(v: bigint, esize: number, width: number): bigint {
  let out = 0n;
  for (let i = 0; i < width; i += esize) out |= v << BigInt(i);
  return out;
}

/** DecodeBitMasks (ARM ARM): the immediate of a logical instruction (wmask) and the bitfield masks.
 *  null: a reserved combination. `immediate`: the logical-immediate rule that all-ones is reserved. */
export function decodeBitMasks(n: number, imms: number, immr: number, immediate: boolean, width: 32 | 64): { wmask: bigint; tmask: bigint } | null {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return null;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return null;
  const esize = 1 << len;
  if (esize > width) return null;
  const levels = esize - 1;
  if (immediate && (imms & levels) === levels) return null;
  const s = imms & levels;
  const r = immr & levels;
  const diff = (s - r) & levels;
  const welem = ror(ones(s + 1), r, esize);
  const telem = ones(diff + 1);
  return { wmask: replicate(welem, esize, width), tmask: replicate(telem, esize, width) };
}

/** The value of a logical immediate field (N:immr:imms), or null if reserved. */
export function logicalImm(w: number, width: 32 | 64): bigint | null {
  const m = decodeBitMasks(bit(w, 22), bits(w, 15, 10), bits(w, 21, 16), true, width);
  return m === null ? null : m.wmask;
}
