// A block's record as the translation store keeps it (engine/translation-store.ts) and tier 0's
// block arena runs it in place (eval-arena.ts: the chain function of eval-module.ts reads these
// words): int32 words, the head, then the guest bytes the block was lifted from (padded to a
// word), the evaluator's form (ir-eval.ts: temp file, code, marks) and its slow part's JSON.

/** Word offsets in a record's head. */
export const enum Rec {
  /** Instruction count and size in bytes of the block. */
  NINSNS = 0,
  SIZE = 1,
  /** How many guest bytes follow the head (what the lifter read: at least SIZE). */
  NBYTES = 2,
  /** The evaluator form's length in words (0: the block has none), where its code starts and
   *  where its marks start. */
  EVAL_LEN = 3,
  START = 4,
  STARTS = 5,
  /** The slow part's JSON length in bytes (store-record.ts). */
  JSON_LEN = 6,
  /** The terminator, 5 words (store-record.ts). */
  TERM = 7,
  /** 1 if the block is a call. */
  CALL = 12,
  /** Words in the head. */
  HEAD = 13,
}

/** Terminator kinds a record may hold at TERM (store-record.ts); others mark a record not to use. */
export const TERMINATOR_KINDS = 6;

/** The word where a record's evaluator form starts, from the record's start. */
export function evalFormAt(nbytes: number): number {
  return Rec.HEAD + ((nbytes + 3) >> 2);
}

/** A record's state word in tier 0's block arena (eval-arena.ts), made 0 when the arena is
 *  filled or reset: its bytes were found in memory, or the engine runs the block (its own
 *  translation, or the record is stale); the block's runs in the arena from HEAT_SHIFT up. */
export const enum ArenaState {
  VERIFIED = 1,
  OWNED = 2,
  HEAT_SHIFT = 8,
}

/** The first index of ascending `a` whose value is not below v (a.length if none): a record's
 *  index by its pc (the store's and the arena's pcs are ascending). */
export function lowerBound(a: Uint32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
