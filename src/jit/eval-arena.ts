// Tier 0's block arena: the blocks of a translation store, run from guest memory's runtime area
// by the wasm evaluator one after another (eval-module.ts's chain), without a JS object per block
// or a return to JS per block.
//
// Run from JS, a stored block costs ~7 µs to take from the store (its record decoded into objects,
// its bytes checked) and ~0.8 µs per run (the engine's loop, a closure, a JS→wasm call): a static
// hello world's 690 blocks and 6 000 block runs were ~10 ms of its ~30 ms of crossrun's own time.
// Here the store's block records are copied into memory as they are in the file (jit/eval-record.ts),
// with its sorted pcs; the chain finds the next block there itself, checks its bytes against
// memory on its first run (as the store does), and counts its heat. It comes back to JS for an op
// the wasm evaluator leaves to a handler (run here, on the record in place), for a pc it has no
// record of or that the engine runs itself (a block it translated: a hot one, one a debugger cut
// short, one whose record is stale), when a block gets hot (the engine takes it over, so that
// tier 1 sees it), and at the end of the slice's budget.
import { Exit, type Tier0Runtime } from './runtime.js';
import { HANDLERS, evalExit, type SlowPart } from './eval-ops.js';
import { ArenaState, Rec, evalFormAt, lowerBound } from './eval-record.js';
import { wasmEvaluator, type WasmEvaluator } from './eval-wasm.js';
import { faultPcIn } from './ir-eval.js';
import {
  ARENA_BUDGET, ARENA_CACHE_BITS, ARENA_BASE, ARENA_COUNT, ARENA_CUR, ARENA_CUR_INDEX, ARENA_CUR_PC, ARENA_END, ARENA_HOT,
  ARENA_N, ARENA_OFFS, ARENA_PCS, ARENA_RECS, ARENA_STATES, ARENA_TABLES, ARENA_TAKEN, EVAL_NEXT_PC,
} from './wasm/layout.js';

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

export class EvalArena {
  /** Records in the arena (the first n of the store's: as many as fit). */
  readonly n: number;
  private readonly W: WasmEvaluator;
  private readonly i32: Int32Array;
  private readonly statesAt: number;
  /** Per record: a view of its evaluator form (made when JS first runs one of its ops) and its
   *  slow part. */
  private readonly views = new Map<number, Int32Array>();
  private readonly slows = new Map<number, SlowPart | null>();
  /** Why run() last returned. */
  stop = ArenaStop.NONE;
  /** Records found in memory (taken) as of the last run (statistics). */
  taken = 0;
  /** Whether run() has not yet reached its hotFrom (it stops there once). */
  private gated = true;

  /** An arena on R's memory holding `blocks` (or as many as fit); null without the wasm
   *  evaluator. `hot`: the heat at which a block goes to the engine. `slowPart(i)`: record i's
   *  slow part. `dirty(start, end)`: memory the arena wrote (to be zeroed when the space is reused). */
  static fill(R: Tier0Runtime, blocks: ArenaBlocks, hot: number, slowPart: (i: number) => SlowPart | null, dirty: (start: number, end: number) => void): EvalArena | null {
    const W = wasmEvaluator(R.mem.memory);
    if (W === null) return null;
    return new EvalArena(R, W, blocks, hot, slowPart, dirty);
  }

  private constructor(
    private readonly R: Tier0Runtime,
    W: WasmEvaluator,
    blocks: ArenaBlocks,
    private readonly hot: number,
    private readonly slowPart: (i: number) => SlowPart | null,
    dirty: (start: number, end: number) => void,
  ) {
    this.W = W;
    const buf = R.mem.memory.buffer;
    this.i32 = new Int32Array(buf);
    const { pcs, offs, words } = blocks;
    // Tables (pcs, offsets, states: 3n + 1 words) and records, as many as fit.
    const room = (ARENA_END - ARENA_TABLES) >>> 2;
    let n = pcs.length;
    while (n > 0 && 3 * n + 1 + (offs[n] - offs[0]) > room) n >>= 1;
    this.n = n;
    const pcsAt = ARENA_TABLES;
    const offsAt = pcsAt + 4 * n;
    const statesAt = offsAt + 4 * (n + 1);
    const recsAt = statesAt + 4 * n;
    const end = recsAt + 4 * (n > 0 ? offs[n] - offs[0] : 0);
    const i32 = this.i32;
    new Uint32Array(buf, pcsAt, n).set(pcs.subarray(0, n));
    i32.set(offs.subarray(0, n + 1), offsAt >>> 2);
    if (n > 0) i32.set(words.subarray(offs[0], offs[n]), recsAt >>> 2);
    this.statesAt = statesAt;
    i32[ARENA_N >>> 2] = n;
    i32[ARENA_PCS >>> 2] = pcsAt;
    i32[ARENA_OFFS >>> 2] = offsAt;
    i32[ARENA_STATES >>> 2] = statesAt;
    i32[ARENA_RECS >>> 2] = recsAt - 4 * (n > 0 ? offs[0] : 0); // offsets are the file's
    this.reset();
    dirty(ARENA_BASE, end);
  }

  /** Forget what the arena knows of memory (every record is checked again at its next run) and
   *  which blocks the engine runs: after the engine dropped its translations. */
  reset(): void {
    this.i32.fill(0, this.statesAt >>> 2, (this.statesAt >>> 2) + this.n);
    this.i32.fill(0, ARENA_BASE >>> 2, (ARENA_BASE + (8 << ARENA_CACHE_BITS)) >>> 2);
    this.views.clear();
  }

  /** The engine runs the block at pc itself from now on (it translated it). */
  own(pc: number): void {
    const i = this.index(pc);
    if (i >= 0) this.i32[(this.statesAt >>> 2) + i] |= ArenaState.OWNED;
  }

  /** The pcs of the blocks that are hot in the arena (and not the engine's yet). */
  hotPcs(): number[] {
    const out: number[] = [];
    const states = new Int32Array(this.i32.buffer, this.statesAt, this.n);
    const pcs = new Uint32Array(this.i32.buffer, ARENA_TABLES, this.n);
    for (let i = 0; i < this.n; i++) {
      const st = states[i];
      if ((st & ArenaState.OWNED) === 0 && st >>> ArenaState.HEAT_SHIFT >= this.hot - 1) out.push(pcs[i]);
    }
    return out;
  }

  /** The runs of the block at pc in the arena (its heat there). */
  heat(pc: number): number {
    const i = this.index(pc);
    return i < 0 ? 0 : this.i32[(this.statesAt >>> 2) + i] >>> ArenaState.HEAT_SHIFT;
  }

  private index(pc: number): number {
    const pcs = new Uint32Array(this.i32.buffer, ARENA_TABLES, this.n);
    const i = lowerBound(pcs, pc);
    return i < pcs.length && pcs[i] === pc ? i : -1;
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
      this.taken = i32[ARENA_TAKEN >>> 2];
      if (p < 0) {
        const next = i32[EVAL_NEXT_PC >>> 2] >>> 0;
        if (gated && R.instret >= hotFrom) return this.passGate(next);
        this.stop = p === -2 ? ArenaStop.HOT : ArenaStop.NONE;
        return next;
      }
      // An op for JS, in the running record.
      const rec = i32[ARENA_CUR >>> 2] >>> 0;
      const code = this.view(rec);
      evalExit.slow = this.slow(i32[ARENA_CUR_INDEX >>> 2]);
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

  /** The evaluator form of the record at address rec, as words. */
  private view(rec: number): Int32Array {
    let v = this.views.get(rec);
    if (v === undefined) {
      const i32 = this.i32;
      const w = rec >>> 2;
      v = new Int32Array(i32.buffer, rec + 4 * evalFormAt(i32[w + Rec.NBYTES]), i32[w + Rec.EVAL_LEN]);
      this.views.set(rec, v);
    }
    return v;
  }

  private slow(i: number): SlowPart | null {
    let s = this.slows.get(i);
    if (s === undefined) {
      s = this.slowPart(i);
      this.slows.set(i, s);
    }
    return s;
  }
}
