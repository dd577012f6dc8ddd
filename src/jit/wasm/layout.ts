// Where the region tier keeps its own state inside guest memory's runtime area (above
// Layout.RUNTIME_BASE, never visible to the guest), so that wasm code and JS share it without
// calls: the exit record of the last region run, the instruction counter, the budget, the jump
// cache and statistics; and tier 0's wasm evaluator its scratch (EVAL_*). The area (768 KiB)
// sits just below the page table; below it the engine's scheduler page
// (src/engine/sched-area.ts), and further down the CPU state area. Tier 0's block arena
// (ARENA_*: a translation store's records, run in place) is below the CPU states, from
// Layout.RUNTIME_BASE up.
import { Layout } from '../../mem/address-space.js';

export const TIER1_BASE = Layout.PAGE_TABLE - 0xc0000;

/** Byte offsets (absolute addresses) of the exit record and counters. */
export const Slot = {
  /** i32: why the last region run returned (Why). */
  WHY: TIER1_BASE + 0,
  /** i32: base address of the running task's CPU state slots. */
  STATE_BASE: TIER1_BASE + 4,
  /** i32: set to 1 by an import that raised a guest signal (kept pending in JS). */
  FAULT: TIER1_BASE + 8,
  /** i32: FP exception flags of the last FPU import call. */
  FLAGS: TIER1_BASE + 12,
  /** i64: retired guest instructions (the task's instret), as of the last region return: chained
   *  regions pass the budget left (LIMIT − ICOUNT) to each other instead. */
  ICOUNT: TIER1_BASE + 16,
  /** i64: regions leave at a loop back-edge once ICOUNT reaches this (so a function that has been
   *  optimised meanwhile is re-entered, and so a scheduler gets control). */
  LIMIT: TIER1_BASE + 24,
  /** i64: a jump target at or beyond 2^32 (Why.FAR). */
  FAR: TIER1_BASE + 40,
  /** i32 × 3: signal, code, address of a trap terminator (Why.TRAP). */
  TRAP_SIG: TIER1_BASE + 48,
  TRAP_CODE: TIER1_BASE + 52,
  TRAP_ADDR: TIER1_BASE + 56,
  /** i32: region calls made by the dispatcher (statistics). */
  CALLS: TIER1_BASE + 60,
  /** i32: guest pc of the instruction whose import raised the pending signal (Why.FAULT). */
  FAULT_PC: TIER1_BASE + 64,
  /** i32: Why.RESTART: how many instructions of its block ran before the one to restart (low 16
   *  bits), and how many the block has (high 16). */
  RESTART_INSN: TIER1_BASE + 68,
  /** The LL/SC reservation (Tier0Runtime's resAddr, resSize, resValue), where region code reads
   *  and writes it inline: i32 address + 1 (0: none, as the zeroed area starts), i32 size, i64
   *  the value loaded (zero-extended). */
  RES_ADDR1: TIER1_BASE + 72,
  RES_SIZE: TIER1_BASE + 76,
  RES_VALUE: TIER1_BASE + 80,
} as const;

/** The engine's scheduler words, one page below the tier's area (src/engine/sched-area.ts writes
 *  them and documents them; they live here because compiled code reads them and src/jit does not
 *  import the engine): the ICOUNT at which the running task's slice ends (i64), and a request to
 *  return at once (i32). */
export const SCHED_SLICE_END = TIER1_BASE - 0x1000;
export const SCHED_PREEMPT = TIER1_BASE - 0x1000 + 8;

/** The jump cache: 2-way set-associative, JC_SETS sets of two entries { pc: i32, target: i32 },
 *  target packing (table index << REGION_BLOCK_BITS) | block index. The newest entry of a set is
 *  first. A free entry has pc = -1 (never a guest pc). */
export const JC_BASE = TIER1_BASE + 0x1000;
export const JC_SETS = 1 << 14;
export const JC_ENTRIES = JC_SETS * 2;
export const REGION_BLOCK_BITS = 8;

/** CROSSRUN_JIT_PROFILE: an i32 count of chained calls per jump-cache set. */
export const PROFILE_BASE = JC_BASE + JC_ENTRIES * 8;
/** Indirect jumps that left a region, per jump-cache set of their target: an i32 count, the pc of
 *  the (last) block that jumped and the target, at these offsets of the set's 16-byte entry (one
 *  cache line per count: sqlite3 leaves regions by indirect jumps ~30 M times). The tier reads
 *  them to grow regions by the targets seen. */
export const IND_BASE = PROFILE_BASE + JC_SETS * 4;
export const IND_STRIDE = 16;
export const IND_COUNT = 0;
export const IND_FROM = 4;
export const IND_TARGET = 8;

/** Tier 0's wasm evaluator (src/jit/interp/eval-module.ts, eval-wasm.ts): the next pc a block's
 *  terminator chose (u32); the words of the block arena's chain (interp/eval-arena.ts, below); the ids
 *  of the blocks whose evaluator forms the scratch's slots hold (0: none; the area is zeroed when
 *  an address space is reused, which empties them); then the scratch, where a block's form (temp
 *  file, code, marks) is copied to and run: EVAL_SLOTS slots of EVAL_SLOT_WORDS int32 words, all
 *  EVAL_WORDS of them for a longer form. */
export const EVAL_BASE = IND_BASE + JC_SETS * IND_STRIDE;
export const EVAL_NEXT_PC = EVAL_BASE;
/** The arena's words (i32): the instructions the chain may run before it stops (the slice's
 *  rest), and those it ran (blocks it finished); the running record's address, index and guest
 *  pc (written when the chain returns); the record count; the heat at which a block goes to the
 *  engine. */
export const ARENA_BUDGET = EVAL_BASE + 4;
export const ARENA_COUNT = EVAL_BASE + 8;
export const ARENA_CUR = EVAL_BASE + 12;
export const ARENA_CUR_INDEX = EVAL_BASE + 16;
export const ARENA_CUR_PC = EVAL_BASE + 20;
export const ARENA_N = EVAL_BASE + 24;
export const ARENA_HOT = EVAL_BASE + 28;
export const EVAL_SLOTS = 64;
export const EVAL_IDS = EVAL_BASE + 64;
export const EVAL_CODE = EVAL_IDS + 4 * EVAL_SLOTS;
export const EVAL_SLOT_WORDS = 480;
export const EVAL_WORDS = EVAL_SLOTS * EVAL_SLOT_WORDS;
if (EVAL_CODE + 4 * EVAL_WORDS > Layout.PAGE_TABLE) throw new Error('crossrun internal error: the tier-1 area overflows');

/** Tier 0's block arena (interp/eval-arena.ts): the runtime area below the CPU states. A direct-mapped
 *  cache of pc → record index (ARENA_CACHE_BITS bits of the pc's hash; { pc, index }, pc 0:
 *  free); per segment (a translation store's records), an i32 count of the records found in
 *  memory; the tables, ARENA_MAX_RECORDS entries each, in pc order: the pcs (u32), the records'
 *  word addresses (i32), their states (i32, ArenaState) and segments (u8); then the records. */
export const ARENA_BASE = Layout.RUNTIME_BASE;
export const ARENA_END = Layout.CPU_STATE;
export const ARENA_CACHE_BITS = 12;
export const ARENA_SEG_TAKEN = ARENA_BASE + (8 << ARENA_CACHE_BITS);
export const ARENA_MAX_SEGMENTS = 64;
export const ARENA_MAX_RECORDS = 1 << 17;
export const ARENA_PCS = ARENA_SEG_TAKEN + 0x1000;
export const ARENA_REC_ADDRS = ARENA_PCS + 4 * ARENA_MAX_RECORDS;
export const ARENA_STATES = ARENA_REC_ADDRS + 4 * ARENA_MAX_RECORDS;
export const ARENA_SEGS = ARENA_STATES + 4 * ARENA_MAX_RECORDS;
export const ARENA_RECORDS = ARENA_SEGS + ARENA_MAX_RECORDS;
/** At most this many blocks in one region (block index fits REGION_BLOCK_BITS). */
export const MAX_REGION_BLOCKS = 1 << REGION_BLOCK_BITS;

/** Jump cache set of a pc: its bits from bit 1 up (instructions are at least 2-byte aligned on
 *  every ISA we run), folded with the bits JC_SET_FOLD higher. Without the fold, 4-byte aligned
 *  code (aarch64, riscv64 without C) used only the even sets: sqlite3 (~8 700 region blocks)
 *  evicted entries it still ran, and its regions returned to JS 1.5 million times instead of 0.7
 *  (before the tier put entered blocks back, tier.ts install). The fold keeps the instructions of
 *  an aligned 32 KiB in distinct sets. emitJcSet (jump-cache.ts) is the same in wasm. */
export const JC_SET_FOLD = 13;
export function jcSet(pc: number): number {
  return ((pc >>> 1) ^ (pc >>> (1 + JC_SET_FOLD))) & (JC_SETS - 1);
}

/** Why a region (or the dispatcher) returned to JS. */
export const enum Why {
  /** Continue at the returned pc (not in the jump cache, or the budget ran out). */
  NONE = 0,
  /** Run the syscall, then continue at the returned pc. */
  SYSCALL = 1,
  /** A trap terminator: signal/code/addr in the TRAP_* slots; the returned pc is the trap's. */
  TRAP = 2,
  /** fence.i and friends: drop translations, continue at the returned pc. */
  FLUSH = 3,
  /** An import raised a guest signal (pending in JS) at the returned pc. */
  FAULT = 4,
  /** An invalid dynamic rounding mode: SIGILL at the returned pc. */
  ILLEGAL = 5,
  /** An indirect jump to an address ≥ 2^32, held in the FAR slot. */
  FAR = 6,
  /** A memory access the inline checks could not prove (unmapped, protected, crossing a page):
   *  run the rest of its block from the returned pc in tier 0 (it faults precisely or does the
   *  accesses). */
  RESTART = 7,
}
