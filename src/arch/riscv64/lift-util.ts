// Small IR idioms every RISC-V lifter uses: register access (x0, NaN-boxing), constants, fflags
// accrual, rounding-mode operands, control transfers.
import type { BlockBuilder } from '../../jit/builder.js';
import type { RmArg, Temp } from '../../jit/ir.js';
import { SiCode, Sig } from '../../signals.js';
import { F0, FFLAGS, FRM } from './regs.js';

/** Upper half of a NaN-boxed single. */
const BOX = 0xffffffff00000000n;
/** The canonical NaN an improperly boxed single reads as. */
const CANONICAL_NAN32 = 0x7fc00000;

export function c64(b: BlockBuilder, v: number | bigint): Temp {
  return b.u64(v);
}
export function c32(b: BlockBuilder, v: number): Temp {
  return b.const('i32', v | 0);
}

/** xN as i64 (x0 reads as 0). */
export function rx(b: BlockBuilder, r: number): Temp {
  return r === 0 ? b.const('i64', 0n) : b.get('i64', r);
}
/** Low 32 bits of xN as i32. */
export function rx32(b: BlockBuilder, r: number): Temp {
  return r === 0 ? b.const('i32', 0n) : b.get('i32', r);
}
/** xN = v (i64); writes to x0 are dropped. */
export function wx(b: BlockBuilder, r: number, v: Temp): void {
  if (r !== 0) b.set(r, v);
}
/** xN = sign-extended i32. */
export function wxs32(b: BlockBuilder, r: number, v: Temp): void {
  if (r !== 0) b.set(r, b.extend(v, true));
}
/** xN = zero-extended i32 (comparisons' 0/1). */
export function wxu32(b: BlockBuilder, r: number, v: Temp): void {
  if (r !== 0) b.set(r, b.extend(v, false));
}
/** xN = the i64 v with its low 32 bits sign-extended (the *W instructions). */
export function wxw(b: BlockBuilder, r: number, v: Temp): void {
  if (r !== 0) b.set(r, b.sext(v, 32));
}

/** rs1 + imm as an i64 address. */
export function addr(b: BlockBuilder, rs1: number, imm: number): Temp {
  const base = rx(b, rs1);
  return imm === 0 ? base : b.bin('add', base, c64(b, imm));
}

export function rf64(b: BlockBuilder, f: number): Temp {
  return b.get('i64', F0 + f);
}
export function wf64(b: BlockBuilder, f: number, v: Temp): void {
  b.set(F0 + f, v);
}
/** fN as a single (i32 bits): the canonical NaN unless it is properly NaN-boxed. */
export function rf32(b: BlockBuilder, f: number): Temp {
  const v = rf64(b, f);
  const boxed = b.bin('leu', b.const('i64', BOX), v);
  return b.select(boxed, b.wrap(v), c32(b, CANONICAL_NAN32));
}
/** fN = the single v (i32 bits), NaN-boxed. */
export function wf32(b: BlockBuilder, f: number, v: Temp): void {
  wf64(b, f, box(b, b.extend(v, false)));
}
/** Set the upper 32 bits of an i64 whose low half holds a single. */
export function box(b: BlockBuilder, v64: Temp): Temp {
  return b.bin('or', v64, b.const('i64', BOX));
}

/** fflags |= flags. */
export function accrue(b: BlockBuilder, flags: Temp | undefined): void {
  if (flags === undefined) return;
  b.set(FFLAGS, b.bin('or', b.get('i32', FFLAGS), flags));
}

/** The rounding mode of an instruction's rm field: static, or frm when rm = 7 (DYN). The caller
 *  has rejected the reserved 5 and 6; the IR rejects a bad frm at run time. */
export function rmArg(b: BlockBuilder, rm: number): RmArg {
  return rm === 7 ? { dyn: b.get('i32', FRM) } : { static: rm };
}

/** Continue at a pc known at lift time. Targets outside the 4 GiB guest space (a wrapped negative
 *  offset) go through `jump` with the exact 64-bit value, so the fault reports it correctly. */
export function gotoPc(b: BlockBuilder, target: number): void {
  if (target >= 0 && target < 2 ** 32) b.end({ op: 'goto', pc: target });
  else b.end({ op: 'jump', target: c64(b, target) });
}

export function branchTo(b: BlockBuilder, cond: Temp, taken: number, fall: number): void {
  if (taken >= 0 && taken < 2 ** 32) b.end({ op: 'branch', cond, taken, fall });
  else b.end({ op: 'jump', target: b.select(cond, c64(b, taken), c64(b, fall)) });
}

/** The instruction at pc is undefined: SIGILL there. */
export function illegal(b: BlockBuilder, pc: number): void {
  b.end({ op: 'trap', signal: Sig.ILL, code: SiCode.ILL_ILLOPC, addr: pc, pc });
}
