// Block lifting: decode instructions from pc and emit their IR until one ends the block (branch,
// SVC, BRK, IC IVAU, SIGILL), 64 instructions are in, or the next one cannot be fetched.
import type { CodeFetch } from '../arch.js';
import { IRBuilder } from '../../jit/builder.js';
import type { IRBlock } from '../../jit/ir.js';
import { GuestSignal } from '../../signals.js';
import { Decoded, fetchDecode } from './decode.js';
import { illegal } from './lift-util.js';

export const MAX_BLOCK_INSNS = 64;

/** Reused by every lift: decoding allocates nothing per instruction. */
const d = new Decoded();

export function liftBlock(fetch: CodeFetch, pc: number, maxInsns = MAX_BLOCK_INSNS): IRBlock {
  const b = new IRBuilder(pc);
  let at = pc;
  for (;;) {
    try {
      fetchDecode(fetch, at, d);
    } catch (e) {
      // The first instruction's fault is the caller's; a later one just ends the block before it.
      if (b.insnCount > 0 && e instanceof GuestSignal) break;
      throw e;
    }
    b.mark(at, 4);
    if (d.def !== null) d.def.lift(b, d);
    else illegal(b, at);
    if (b.ended || b.insnCount >= maxInsns) break;
    at += 4;
  }
  return b.finish();
}
