// Block lifting: decode instructions from pc and emit their IR until one ends the block (branch,
// SVC, BRK, IC IVAU, SIGILL), 64 instructions are in, or the next one cannot be fetched.
import type { CodeFetch } from '../arch.js';
import { liftBlockWith, liftInto, type InsnLifter } from '../lift-block.js';
import type { BlockBuilder } from '../../jit/builder.js';
import type { IRBlock } from '../../jit/ir.js';
import { Decoded, fetchDecode } from './decode.js';
import { illegal } from './lift-util.js';

export const MAX_BLOCK_INSNS = 64;

/** Reused by every lift: decoding allocates nothing per instruction. */
const d = new Decoded();

const a64Lifter: InsnLifter = {
  decode: (fetch, at) => (fetchDecode(fetch, at, d), 4),
  emit: (b, at) => (d.def !== null ? d.def.lift(b, d) : illegal(b, at)),
};

export function liftBlock(fetch: CodeFetch, pc: number, maxInsns = MAX_BLOCK_INSNS): IRBlock {
  return liftBlockWith(a64Lifter, fetch, pc, maxInsns);
}

/** Lifts the block at b.pc into b (an EvalBuilder: straight into tier 0's evaluator form). */
export function liftBlockInto(b: BlockBuilder, fetch: CodeFetch, maxInsns = MAX_BLOCK_INSNS): void {
  liftInto(a64Lifter, fetch, b, maxInsns);
}
