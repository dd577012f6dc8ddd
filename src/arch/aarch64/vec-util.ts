// Advanced SIMD lanes in scalar IR: a 128-bit register is two i64 halves; a lane of 8, 16 or 32
// bits is an i32 temp (zero-extended), a 64-bit lane an i64 temp. Lifters read the lanes they need,
// compute per lane with ordinary IR ops, and pack the lanes back into halves.
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { c32, c64 } from './lift-util.js';
import { vhi, vlo } from './regs.js';

export type Esize = 8 | 16 | 32 | 64;
export const ESIZES: readonly Esize[] = [8, 16, 32, 64];

/** Arrangement name: ".16b", ".2s", … */
export function arr(esize: Esize, q: number): string {
  const n = (q ? 128 : 64) / esize;
  return `${n}${{ 8: 'b', 16: 'h', 32: 's', 64: 'd' }[esize]}`;
}
export const vreg = (n: number, esize: Esize, q: number) => `v${n}.${arr(esize, q)}`;
export const SCALAR_PREFIX: Record<Esize, string> = { 8: 'b', 16: 'h', 32: 's', 64: 'd' };

export function laneMask(esize: Esize): number {
  return esize === 32 ? -1 : (1 << esize) - 1;
}
export const laneZero = (b: BlockBuilder, esize: Esize): Temp => (esize === 64 ? c64(b, 0) : c32(b, 0));
export const laneConst = (b: BlockBuilder, esize: Esize, v: number | bigint): Temp =>
  esize === 64 ? c64(b, BigInt.asUintN(64, BigInt(v))) : c32(b, Number(BigInt.asUintN(esize, BigInt(v))));

/** The lanes of a 64-bit half. */
export function splitHalf(b: BlockBuilder, half: Temp, esize: Esize): Temp[] {
  if (esize === 64) return [half];
  const out: Temp[] = [];
  for (let i = 0; i < 64; i += esize) {
    const s = i === 0 ? half : b.bin('shrl', half, c64(b, i));
    const w = b.wrap(s);
    out.push(esize === 32 ? w : b.bin('and', w, c32(b, laneMask(esize))));
  }
  return out;
}
/** Pack lanes (low first) into a 64-bit half; lanes narrower than 32 bits are masked. */
export function packHalf(b: BlockBuilder, lanes: Temp[], esize: Esize): Temp {
  if (esize === 64) return lanes[0];
  let acc: Temp | null = null;
  for (let i = 0; i < lanes.length; i++) {
    let l = lanes[i];
    if (b.typeOf(l) === 'i64') l = b.wrap(l);
    if (esize < 32) l = b.bin('and', l, c32(b, laneMask(esize)));
    let x = b.extend(l, false);
    if (i > 0) x = b.bin('shl', x, c64(b, i * esize));
    acc = acc === null ? x : b.bin('or', acc, x);
  }
  return acc!;
}

/** All lanes of vector register n: 64 bits (q = 0) or 128. */
export function getLanes(b: BlockBuilder, n: number, esize: Esize, q: number): Temp[] {
  const lo = splitHalf(b, b.get('i64', vlo(n)), esize);
  return q ? lo.concat(splitHalf(b, b.get('i64', vhi(n)), esize)) : lo;
}
/** Write lanes to register n: 64 bits' worth clears the high half. */
export function setLanes(b: BlockBuilder, n: number, lanes: Temp[], esize: Esize): void {
  const per = 64 / esize;
  const lo = packHalf(b, lanes.slice(0, per), esize);
  const hi = lanes.length > per ? packHalf(b, lanes.slice(per), esize) : c64(b, 0);
  b.set(vlo(n), lo);
  b.set(vhi(n), hi);
}
/** Write the upper 64 bits only, keeping the lower (the "2" forms: XTN2, SHRN2, …). */
export function setUpperLanes(b: BlockBuilder, n: number, lanes: Temp[], esize: Esize): void {
  b.set(vhi(n), packHalf(b, lanes, esize));
}
export function getHalves(b: BlockBuilder, n: number): [Temp, Temp] {
  return [b.get('i64', vlo(n)), b.get('i64', vhi(n))];
}
export function setHalves(b: BlockBuilder, n: number, lo: Temp, hi: Temp | null): void {
  b.set(vlo(n), lo);
  b.set(vhi(n), hi ?? c64(b, 0));
}

/** Signed view of a lane (for comparisons/arithmetic at 32 bits or 64). */
export function sextLane(b: BlockBuilder, v: Temp, esize: Esize): Temp {
  return esize === 8 || esize === 16 ? b.sext(v, esize) : v;
}
/** A lane widened to 2·esize: i32 for results ≤ 32 bits, i64 for 64. */
export function widen(b: BlockBuilder, v: Temp, esize: Esize, signed: boolean): Temp {
  if (esize === 32) return b.extend(v, signed);
  return signed ? b.sext(v, esize as 8 | 16) : v;
}
/** The low `esize` bits of a wider lane value (for narrowing). */
export function narrow(b: BlockBuilder, v: Temp, esize: Esize): Temp {
  const x = b.typeOf(v) === 'i64' ? b.wrap(v) : v;
  return esize === 32 ? x : b.bin('and', x, c32(b, laneMask(esize)));
}
/** All-ones lane if cond (i32 0/1) else zero. */
export function maskLane(b: BlockBuilder, cond: Temp, esize: Esize): Temp {
  return esize === 64 ? b.bin('sub', c64(b, 0), b.extend(cond, false)) : b.bin('sub', c32(b, 0), cond);
}
