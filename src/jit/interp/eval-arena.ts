// Tier 0's block arena: the blocks of translation stores (a program's, its libraries'), run from
// guest memory's runtime area by the wasm evaluator one after another (eval-module.ts's chain),
// without a JS object per block or a return to JS per block.
//
// Run from JS, a stored block costs ~7 µs to take from the store (its record decoded into objects,
// its bytes checked) and ~0.8 µs per run (the engine's loop, a closure, a JS→wasm call): a static
// hello world's 690 blocks and 6 000 block runs were ~10 ms of its ~30 ms of crossrun's own time.
// Here a store's block records are copied into memory as they are in the file (eval-record.ts),
// a segment of the arena, and their pcs go into its one sorted table; the chain finds the next
// block there itself, checks its bytes against memory on its first run (as the store does), and
// counts its heat. It comes back to JS for an op the wasm evaluator leaves to a handler (run here,
// on the record in place), for a pc it has no record of or that the engine runs itself (a block it
// translated: a hot one, one a debugger cut short, one whose record is stale), when a block gets
// hot (the engine takes it over, so that tier 1 sees it), and at the end of the slice's budget.
import { Exit, type Tier0Runtime } from './runtime.js';
import { HANDLERS, evalExit, type SlowPart } from './eval-ops.js';
import { ArenaState, Rec, evalFormAt, lowerBound } from './eval-record.js';
import { wasmEvaluator, type WasmEvaluator } from './eval-wasm.js';
import { faultPcIn } from './ir-eval.js';
import {
  ARENA_BASE, ARENA_BUDGET, ARENA_CACHE_BITS, ARENA_COUNT, ARENA_CUR, ARENA_CUR_INDEX, ARENA_CUR_PC, ARENA_END, ARENA_HOT, ARENA_MAX_RECORDS,
  ARENA_MAX_SEGMENTS, ARENA_N, ARENA_PCS, ARENA_REC_ADDRS, ARENA_RECORDS, ARENA_SEG_TAKEN, ARENA_SEGS, ARENA_STATES, EVAL_NEXT_PC,
} from '../wasm/layout.js';

/** The block records of a translation store: record i starts at word offs[i] of `words` and ends
 *  where record i + 1 starts; pcs ascending. */
export interface ArenaBlocks {
  readonly pcs: Uint32Array;
  readonly offs: Int32Array;
  readonly words: Int32Array;
}

/** Why the last run() stopped. */
export const enum ArenaStop {
  /** An exit (the runtime holds it), the budget, or a pc the arena does not run. */
  NONE,
  /** The block at the pc got hot: the engine's from now on. */
  HOT,
  /** R.instret reached run's hotFrom: blocks hot by now are for the engine (hotPcs). */
  GATE,
}

/** The records of one store in the arena. */
export interface ArenaSegment {
  /** How many of its records the arena has found in memory so far (statistics). */
  readonly taken: number;
  /** Tells the store (add's `used`) each of its records the arena has run so far. */
  noteUsed(): void;
}

/** The engine asks the arena only for pcs in 2^CHUNK_BITS-byte chunks where it holds records. */
const CHUNK_BITS = 16;

/** What the arena keeps of a segment in JS. */
interface Segment extends ArenaSegment {
  readonly slowPart: (i: number) => SlowPart | null;
}

export class EvalArena {
  /** Records in the tables, in pc order (of every segment). */
  n = 0;
  private readonly W: WasmEvaluator;
  private readonly i32: Int32Array;
  /** The tables (layout.ts), in pc order. */
  private readonly pcs: Uint32Array;
  private readonly recAddrs: Int32Array;
  private readonly states: Int32Array;
  private readonly segs: Uint8Array;
  /** Per record: its index in its segment's store (JS only: for its slow part); grown as
   *  segments come. */
  private local = new Int32Array(0);
  private readonly segments: Segment[] = [];
  /** Per 2^CHUNK_BITS bytes of guest addresses: 1 if a record's pc is there (covers). */
  private readonly chunks = new Uint8Array(2 ** (32 - CHUNK_BITS));
  /** Set once the memory is no longer this arena's (its process ended, detach): the segments'
   *  counts then; nothing is read from the memory. */
  private takenAtDetach: Int32Array | null = null;
  /** Where the next segment's records go. */
  private recTop = ARENA_RECORDS;
  /** Per record address, for the records JS ran an op of: their evaluator forms as words and
   *  their slow parts. */
  private readonly forJs = new Map<number, { readonly code: Int32Array; readonly slow: SlowPart | null }>();
  /** Why run() last returned. */
  stop = ArenaStop.NONE;
  /** Whether run() has not yet reached its hotFrom (it stops there once). */
  private gated = true;

  /** An empty arena on R's memory; null without the wasm evaluator. `hot`: the heat at which a
   *  block goes to the engine. `dirty(start, end)`: memory the arena wrote (to be zeroed when the
   *  space is reused). */
  static create(R: Tier0Runtime, hot: number, dirty: (start: number, end: number) => void): EvalArena | null {
    const W = wasmEvaluator(R.mem.memory);
    return W === null ? null : new EvalArena(R, W, hot, dirty);
  }

  private constructor(
    private readonly R: Tier0Runtime,
    W: WasmEvaluator,
    private readonly hot: number,
    private readonly dirty: (start: number, end: number) => void,
  ) {
    this.W = W;
    const buf = R.mem.memory.buffer;
    this.i32 = new Int32Array(buf);
    this.pcs = new Uint32Array(buf, ARENA_PCS, ARENA_MAX_RECORDS);
    this.recAddrs = new Int32Array(buf, ARENA_REC_ADDRS, ARENA_MAX_RECORDS);
    this.states = new Int32Array(buf, ARENA_STATES, ARENA_MAX_RECORDS);
    this.segs = new Uint8Array(buf, ARENA_SEGS, ARENA_MAX_RECORDS);
    this.i32[ARENA_N >>> 2] = 0;
    this.i32.fill(0, ARENA_SEG_TAKEN >>> 2, (ARENA_SEG_TAKEN >>> 2) + ARENA_MAX_SEGMENTS);
    this.clearCache();
    dirty(ARENA_BASE, ARENA_PCS);
  }

  /** Whether the arena may hold a record for pc (one is in its 64 KiB chunk). */
  covers(pc: number): boolean {
    return this.chunks[pc >>> CHUNK_BITS] === 1;
  }

  /**
   * Adds a store's block records (as many of its first ones as fit; its pcs are how many). Their
   * entries go into the tables in pc order: a segment whose pcs do not interleave with those
   * there (another mapping: the usual case) is inserted as a whole, else merged entry by entry.
   * Returns the segment, or null if none fit (or the tables hold 64 segments).
   */
  add(blocks: ArenaBlocks, slowPart: (i: number) => SlowPart | null, used: (i: number) => void): { segment: ArenaSegment; pcs: Uint32Array } | null {
    const { offs } = blocks;
    const seg = this.segments.length;
    if (seg === ARENA_MAX_SEGMENTS) return null;
    let k = blocks.pcs.length;
    while (k > 0 && (this.recTop + 4 * (offs[k] - offs[0]) > ARENA_END || this.n + k > ARENA_MAX_RECORDS)) k >>= 1;
    if (k === 0) return null;
    const pcs = blocks.pcs.subarray(0, k);
    const at = this.recTop;
    this.i32.set(blocks.words.subarray(offs[0], offs[k]), at >>> 2);
    this.recTop += 4 * (offs[k] - offs[0]);
    this.dirty(ARENA_PCS, this.recTop);
    const base = (at >>> 2) - offs[0];
    const n = this.n;
    if (this.local.length < n + k) {
      const grown = new Int32Array(Math.min(ARENA_MAX_RECORDS, Math.max(2 * this.local.length, n + k, 1024)));
      grown.set(this.local.subarray(0, n));
      this.local = grown;
    }
    const lo = lowerBound(this.pcs.subarray(0, n), pcs[0]);
    if (lo === lowerBound(this.pcs.subarray(0, n), pcs[k - 1] + 1)) {
      // Insert at lo: the entries after it move up by k.
      for (const t of [this.pcs, this.recAddrs, this.states, this.local]) t.copyWithin(lo + k, lo, n);
      this.segs.copyWithin(lo + k, lo, n);
      this.pcs.set(pcs, lo);
      this.states.fill(0, lo, lo + k);
      this.segs.fill(seg, lo, lo + k);
      for (let j = 0; j < k; j++) {
        this.recAddrs[lo + j] = base + offs[j];
        this.local[lo + j] = j;
      }
    } else {
      this.merge(pcs, offs, base, seg);
    }
    this.n = n + k;
    this.i32[ARENA_N >>> 2] = this.n;
    for (let j = 0; j < k; j++) this.chunks[pcs[j] >>> CHUNK_BITS] = 1;
    const arena = this;
    const segment: Segment = {
      get taken() {
        return arena.takenAtDetach?.[seg] ?? arena.i32[(ARENA_SEG_TAKEN >>> 2) + seg];
      },
      noteUsed: () => this.noteUsed(seg, used),
      slowPart,
    };
    this.segments.push(segment);
    this.clearCache(); // (indexes moved)
    return { segment, pcs };
  }

  /** add's merge of k new entries with the tables' n, when their pcs interleave. */
  private merge(pcs: Uint32Array, offs: Int32Array, base: number, seg: number): void {
    const n = this.n;
    const k = pcs.length;
    const old = { pcs: this.pcs.slice(0, n), recAddrs: this.recAddrs.slice(0, n), states: this.states.slice(0, n), segs: this.segs.slice(0, n), local: this.local.slice(0, n) };
    for (let i = 0, j = 0, o = 0; o < n + k; o++) {
      if (j === k || (i < n && old.pcs[i] <= pcs[j])) {
        this.pcs[o] = old.pcs[i];
        this.recAddrs[o] = old.recAddrs[i];
        this.states[o] = old.states[i];
        this.segs[o] = old.segs[i];
        this.local[o] = old.local[i];
        i++;
      } else {
        this.pcs[o] = pcs[j];
        this.recAddrs[o] = base + offs[j];
        this.states[o] = 0;
        this.segs[o] = seg;
        this.local[o] = j;
        j++;
      }
    }
  }

  /** Calls used(i) for each record of segment `seg` found in memory so far (i: its index in its
   *  store): a store at its size bounds keeps only the records a run used. (Until detach.) */
  private noteUsed(seg: number, used: (i: number) => void): void {
    if (this.takenAtDetach !== null) return;
    const { states, segs, local } = this;
    for (let i = 0; i < this.n; i++) if (segs[i] === seg && states[i] & ArenaState.VERIFIED) used(local[i]);
  }

  /** The process ended and its memory goes (to be reused): its use is noted, its counts kept,
   *  nothing more is read. */
  detach(): void {
    for (const s of this.segments) s.noteUsed();
    this.takenAtDetach = this.i32.slice(ARENA_SEG_TAKEN >>> 2, (ARENA_SEG_TAKEN >>> 2) + ARENA_MAX_SEGMENTS);
  }

  /** Forget what the arena knows of memory (every record is checked again at its next run) and
   *  which blocks the engine runs: after the engine dropped its translations. */
  reset(): void {
    this.states.fill(0, 0, this.n);
    this.clearCache();
  }

  private clearCache(): void {
    this.i32.fill(0, ARENA_BASE >>> 2, (ARENA_BASE + (8 << ARENA_CACHE_BITS)) >>> 2);
  }

  /** The engine runs the block at pc itself from now on (it translated it). */
  own(pc: number): void {
    const i = this.index(pc);
    if (i >= 0) this.states[i] |= ArenaState.OWNED;
  }

  /** The pcs of the blocks that are hot in the arena (and not the engine's yet). */
  hotPcs(): number[] {
    const out: number[] = [];
    const { states, pcs } = this;
    for (let i = 0; i < this.n; i++) {
      const st = states[i];
      if ((st & ArenaState.OWNED) === 0 && st >>> ArenaState.HEAT_SHIFT >= this.hot - 1) out.push(pcs[i]);
    }
    return out;
  }

  /** The runs of the block at pc in the arena (its heat there). */
  heat(pc: number): number {
    const i = this.index(pc);
    return i < 0 ? 0 : this.states[i] >>> ArenaState.HEAT_SHIFT;
  }

  private index(pc: number): number {
    const i = lowerBound(this.pcs.subarray(0, this.n), pc);
    return i < this.n && this.pcs[i] === pc ? i : -1;
  }

  /**
   * Runs blocks from pc until `end` (R.instret) or until the arena stops; returns the pc to go on
   * at. R.instret counts the blocks it finished. A block whose terminator is an exit (a syscall, a
   * trap, a code flush) ends the run with R.exit set. A fault in a block's op throws, with
   * R.faultPc the faulting instruction's pc. Blocks go to the engine when hot only from
   * `hotFrom` (R.instret) on: before, the engine would only run them itself (tier 1 starts
   * compiling there), at ~0.8 µs a run more (a static hello world's loops: ~3 700 runs). The run
   * stops there (ArenaStop.GATE), so that the engine takes every block hot by then at once (tier
   * 1 forms regions of the blocks it was given).
   */
  run(pc: number, end: number, hotFrom: number): number {
    const { R, W, i32 } = this;
    const H = HANDLERS;
    if (this.gated && R.instret >= hotFrom) {
      if (hotFrom > 0) return this.passGate(pc);
      this.gated = false; // no gate
    }
    i32[EVAL_NEXT_PC >>> 2] = pc;
    let p = -1;
    for (;;) {
      // (heat stays below 2^24 while gated: hotFrom is a few 100 000 instructions)
      const gated = this.gated && R.instret < hotFrom;
      i32[ARENA_HOT >>> 2] = gated ? 0x7fffffff : this.hot - 1;
      i32[ARENA_BUDGET >>> 2] = (gated && hotFrom < end ? hotFrom : end) - R.instret;
      p = W.chain(p, R.stateBase);
      R.instret += i32[ARENA_COUNT >>> 2];
      if (p < 0) {
        const next = i32[EVAL_NEXT_PC >>> 2] >>> 0;
        if (gated && R.instret >= hotFrom) return this.passGate(next);
        this.stop = p === -2 ? ArenaStop.HOT : ArenaStop.NONE;
        return next;
      }
      // An op for JS, in the running record.
      const rec = i32[ARENA_CUR >>> 2] >>> 0;
      const { code, slow } = this.recordForJs(rec);
      evalExit.slow = slow;
      try {
        p = H[code[p]](code, code, p, R);
      } catch (e) {
        R.faultPc = faultPcIn(code, i32[(rec >>> 2) + Rec.STARTS], i32[ARENA_CUR_PC >>> 2] >>> 0, p);
        throw e;
      }
      if (p >= 0) continue; // on in wasm, in this record
      R.instret += i32[(rec >>> 2) + Rec.NINSNS];
      if (R.exit !== Exit.None) {
        this.stop = ArenaStop.NONE;
        return evalExit.pc;
      }
      i32[EVAL_NEXT_PC >>> 2] = evalExit.pc;
    }
  }

  private passGate(pc: number): number {
    this.gated = false;
    this.stop = ArenaStop.GATE;
    return pc;
  }

  /** The running record (at address rec; its index in ARENA_CUR_INDEX) as the JS handlers take
   *  it: its evaluator form as words, and its slow part. */
  private recordForJs(rec: number): { readonly code: Int32Array; readonly slow: SlowPart | null } {
    let r = this.forJs.get(rec);
    if (r === undefined) {
      const i32 = this.i32;
      const w = rec >>> 2;
      const i = i32[ARENA_CUR_INDEX >>> 2];
      r = {
        code: new Int32Array(i32.buffer, rec + 4 * evalFormAt(i32[w + Rec.NBYTES]), i32[w + Rec.EVAL_LEN]),
        slow: this.segments[this.segs[i]].slowPart(this.local[i]),
      };
      this.forJs.set(rec, r);
    }
    return r;
  }
}
