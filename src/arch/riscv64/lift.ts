// Block lifting: decode instructions from pc and emit their IR until one ends the block (branch,
// jump, ecall, ebreak, fence.i, trap), 64 instructions are in, or the next one cannot be fetched.
import type { CodeFetch } from '../arch.js';
import { liftBlockWith, liftInto, type InsnLifter } from '../lift-block.js';
import type { BlockBuilder } from '../../jit/builder.js';
import type { IRBlock } from '../../jit/ir.js';
import { Decoded, fetchDecode } from './decode.js';
import { illegal } from './lift-util.js';

export const MAX_BLOCK_INSNS = 64;

/** Reused by every lift: decoding allocates nothing per instruction. */
const d = new Decoded();

/** Whether the decoded instruction may run: defined, not reserved, not privileged, and no reserved
 *  static rounding mode (5, 6). */
export function runnable(dec: Decoded): boolean {
  const def = dec.def;
  return def !== null && !dec.reserved && !def.privileged && !(def.rm && (dec.rm === 5 || dec.rm === 6));
}

const riscvLifter: InsnLifter = {
  decode: (fetch, at) => (fetchDecode(fetch, at, d), d.len),
  emit: (b, at) => (runnable(d) ? d.def!.lift(b, d) : illegal(b, at)),
};

export function liftBlock(fetch: CodeFetch, pc: number, maxInsns = MAX_BLOCK_INSNS): IRBlock {
  return liftBlockWith(riscvLifter, fetch, pc, maxInsns);
}

/** Lifts the block at b.pc into b (an EvalBuilder: straight into tier 0's evaluator form). */
export function liftBlockInto(b: BlockBuilder, fetch: CodeFetch, maxInsns = MAX_BLOCK_INSNS): void {
  liftInto(riscvLifter, fetch, b, maxInsns);
}
