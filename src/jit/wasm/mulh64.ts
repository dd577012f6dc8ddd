// The high 64 bits of a 64 × 64-bit product, which wasm lacks: a function body for the unsigned
// product, and the corrections that make it signed. The region tier (region-emitter.ts) and tier
// 0's evaluator (../interp/eval-module.ts) both emit them.
import { Code, Op, VT } from './encoder.js';

/** mulhu64(a, b): the high 64 bits of the unsigned 128-bit product, from 32-bit halves (no carries
 *  are lost: each partial sum stays below 2^64). */
export function mulhu64Body(): Code {
  const c = new Code(2);
  const [a, b] = [0, 1];
  const alo = c.local(VT.i64), ahi = c.local(VT.i64), blo = c.local(VT.i64), bhi = c.local(VT.i64), w1 = c.local(VT.i64), w2 = c.local(VT.i64);
  const M = 0xffffffffn;
  c.get(a).i64(M).op(Op.i64_and).set(alo);
  c.get(a).i64(32).op(Op.i64_shr_u).set(ahi);
  c.get(b).i64(M).op(Op.i64_and).set(blo);
  c.get(b).i64(32).op(Op.i64_shr_u).set(bhi);
  // w1 = ahi*blo + (alo*blo >> 32)
  c.get(ahi).get(blo).op(Op.i64_mul).get(alo).get(blo).op(Op.i64_mul).i64(32).op(Op.i64_shr_u).op(Op.i64_add).set(w1);
  // w2 = alo*bhi + (w1 & M)
  c.get(alo).get(bhi).op(Op.i64_mul).get(w1).i64(M).op(Op.i64_and).op(Op.i64_add).set(w2);
  // hi = ahi*bhi + (w1 >> 32) + (w2 >> 32)
  c.get(ahi).get(bhi).op(Op.i64_mul).get(w1).i64(32).op(Op.i64_shr_u).op(Op.i64_add).get(w2).i64(32).op(Op.i64_shr_u).op(Op.i64_add);
  return c;
}

/** With the unsigned high product of a and b on the stack, makes it `fn`'s: − (a<0 ? b : 0) for
 *  a signed a, − (b<0 ? a : 0) as well for a signed b. pushA and pushB push the i64 operands. */
export function mulhSigned(c: Code, fn: 'mulhu' | 'mulhs' | 'mulhsu', pushA: () => void, pushB: () => void): void {
  if (fn === 'mulhu') return;
  pushA();
  c.i64(63).op(Op.i64_shr_s);
  pushB();
  c.op(Op.i64_and).op(Op.i64_sub);
  if (fn === 'mulhs') {
    pushB();
    c.i64(63).op(Op.i64_shr_s);
    pushA();
    c.op(Op.i64_and).op(Op.i64_sub);
  }
}
