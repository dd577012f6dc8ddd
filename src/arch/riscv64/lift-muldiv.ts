// M extension. The IR's division never traps and already gives RISC-V's remainder results
// (x % 0 = x, MIN % -1 = 0) and MIN / -1 = MIN; only division by zero (all ones) needs a select.
import type { LiftFn } from './insn.js';
import { c32, c64, rx, rx32, wx, wxs32 } from './lift-util.js';

export const div = (signed: boolean): LiftFn => (b, d) => {
  if (d.rd === 0) return;
  const x = rx(b, d.rs1);
  const y = rx(b, d.rs2);
  const q = b.bin(signed ? 'divs' : 'divu', x, y);
  wx(b, d.rd, b.select(b.bin('eq', y, c64(b, 0)), c64(b, -1), q));
};
/** divw/divuw: 32-bit operands; by zero the result is all ones either way. */
export const divw = (signed: boolean): LiftFn => (b, d) => {
  if (d.rd === 0) return;
  const x = rx32(b, d.rs1);
  const y = rx32(b, d.rs2);
  const q = b.bin(signed ? 'divs' : 'divu', x, y);
  wxs32(b, d.rd, b.select(b.bin('eq', y, c32(b, 0)), c32(b, -1), q));
};
/** remw/remuw: the IR's 32-bit remainder, sign-extended. */
export const remw = (signed: boolean): LiftFn => (b, d) => {
  if (d.rd !== 0) wxs32(b, d.rd, b.bin(signed ? 'rems' : 'remu', rx32(b, d.rs1), rx32(b, d.rs2)));
};
