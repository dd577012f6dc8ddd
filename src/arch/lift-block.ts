// The block-lifting loop every front-end shares: decode from pc and emit IR until an instruction
// ends the block, maxInsns are in, or the next instruction cannot be fetched.
import type { CodeFetch } from './arch.js';
import { IRBuilder, type BlockBuilder } from '../jit/builder.js';
import type { IRBlock } from '../jit/ir.js';
import { GuestSignal } from '../signals.js';

/** One ISA's two steps per instruction: decode at `at` (may throw the fetch's GuestSignal) and
 *  return its length; then emit the decoded instruction's IR (b.mark is already done). */
export interface InsnLifter {
  decode(fetch: CodeFetch, at: number): number;
  emit(b: BlockBuilder, at: number): void;
}

/** Lifts the block at b.pc into b. */
export function liftInto(isa: InsnLifter, fetch: CodeFetch, b: BlockBuilder, maxInsns: number): void {
  let at = b.pc;
  for (;;) {
    let len: number;
    try {
      len = isa.decode(fetch, at);
    } catch (e) {
      // The first instruction's fault is the caller's; a later one just ends the block before it.
      if (b.insnCount > 0 && e instanceof GuestSignal) break;
      throw e;
    }
    b.mark(at, len);
    isa.emit(b, at);
    if (b.ended || b.insnCount >= maxInsns) break;
    at += len;
  }
}

export function liftBlockWith(isa: InsnLifter, fetch: CodeFetch, pc: number, maxInsns: number): IRBlock {
  const b = new IRBuilder(pc);
  liftInto(isa, fetch, b, maxInsns);
  return b.finish();
}
