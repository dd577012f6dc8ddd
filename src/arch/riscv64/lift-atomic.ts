// A extension. Ordering bits (.aq/.rl) need nothing: the engine runs each guest access in order.
// Alignment (SIGBUS) and the reservation are the IR's job.
import type { AmoOp } from '../../jit/ir.js';
import type { LiftFn } from './insn.js';
import { c32, rx, rx32, wx, wxs32, wxu32 } from './lift-util.js';

export const lr = (size: 4 | 8): LiftFn => (b, d) => {
  const a = rx(b, d.rs1);
  if (size === 4) wxs32(b, d.rd, b.ll('i32', 4, a));
  else wx(b, d.rd, b.ll('i64', 8, a));
};
/** sc: rd = 0 on success, 1 on failure (the IR's ll/sc answer 1 for success). */
export const sc = (size: 4 | 8): LiftFn => (b, d) => {
  const a = rx(b, d.rs1);
  const ok = b.sc(size, a, size === 4 ? rx32(b, d.rs2) : rx(b, d.rs2));
  wxu32(b, d.rd, b.bin('eq', ok, c32(b, 0)));
};
/** amo*.w returns the old word sign-extended; amo*.d the old doubleword. */
export const amo = (fn: AmoOp, size: 4 | 8): LiftFn => (b, d) => {
  const a = rx(b, d.rs1);
  if (size === 4) wxs32(b, d.rd, b.amo(fn, 4, a, rx32(b, d.rs2)));
  else wx(b, d.rd, b.amo(fn, 8, a, rx(b, d.rs2)));
};
