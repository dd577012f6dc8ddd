// The region tier's manager: told by the engine when a tier-0 block is hot, it forms a region
// around it, compiles it to wasm, and makes the block's `run` enter that code. Regions live in a
// funcref table; the jump cache (in guest memory's runtime area) maps pcs to (region, block) so
// the dispatcher chains from region to region without JS. A code flush drops everything: table
// slots are cleared (the modules become garbage), the jump cache is emptied, and entry wrappers
// installed before the flush fall back to tier 0 (they check the generation).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ArchSpec, CodeFetch } from '../../arch/arch.js';
import type { HotBlockSink } from '../../engine/machine.js';
import { compileBlock, tier0Stats, type CompiledBlock } from '../interp/compile-block.js';
import type { IRBlock } from '../ir.js';
import { Exit, type Tier0Runtime } from '../interp/runtime.js';
import type { AddressSpace } from '../../mem/address-space.js';
import type { Logger } from '../../log.js';
import { GuestSignal, SiCode, Sig } from '../../signals.js';
import { UserError } from '../../types.js';
import { HOST_SLOTS, ModuleCompiler, type CompileOptions } from './compile.js';
import { dispatcherBytes, SLICE, type RunFn } from './dispatcher.js';
import { prebuiltModule } from './prebuilt.js';
import { IMPORT_NAMES } from './imports.js';
import { hostFma } from './host-fma.js';
import { makeImports, type HostState } from './host.js';
import { IND_BASE, IND_COUNT, IND_FROM, IND_STRIDE, IND_TARGET, JC_BASE, JC_SETS, PROFILE_BASE, REGION_BLOCK_BITS, SCHED_PREEMPT, SCHED_SLICE_END, Slot, Why } from './layout.js';
import { jcClear, jcInsert } from './jump-cache.js';
import { DEFAULT_LIMITS, formRegion, regionInsns, successors, type Region, type RegionLimits, type RegionShape } from './region.js';
import { nowMs } from '../../clock.js';
import { regionKey } from './region-key.js';
import { KeptRegions, type RegionBodies } from './region-replay.js';

export type JitMode = 'off' | 'interp' | 'wasm';
export const JIT_MODES: readonly JitMode[] = ['off', 'interp', 'wasm'];

/** The engine pieces the tier needs (a Machine satisfies this). */
export interface TierHost {
  readonly arch: ArchSpec;
  readonly mem: AddressSpace;
  readonly rt: Tier0Runtime;
  readonly fetch: CodeFetch;
  readonly logger: Logger;
  tier1: HotBlockSink | null;
  /** Region code kept from earlier runs of the program (the translation store), if any. */
  readonly regionBodies?: RegionBodies | null;
  /** Translated code covers [start, end) (the blocks of a region replayed without tier 0 having
   *  translated them): a change there must drop it. */
  markCode(start: number, end: number): void;
}

export interface Tier1Options {
  limits?: RegionLimits;
  /** Regions from every block reachable from a hot one, compiled as soon as it is hot (tests:
   *  most code then runs in tier 1). Default: $CROSSRUN_JIT_EAGER = 1. */
  eager?: boolean;
  /** Use the host's fused multiply-add where this process has one (default: probe, host-fma.ts). */
  hwFma?: boolean;
  /** Guest instructions the process runs before the first region is compiled (default
   *  START_INSNS, or $CROSSRUN_JIT_START): a short run (hello world, a shell tool) ends before
   *  compiling regions would pay off. Not in eager mode. */
  startInsns?: number;
  /** Runs after the engine reports a block hot before its region forms (default WARM, or
   *  $CROSSRUN_JIT_WARM). */
  warm?: number;
  /** Regions asked for until the event loop's next turn are batched into one module, compiled by
   *  V8 in the background (WebAssembly.compile) while tier 0 goes on, and installed when ready
   *  (default: $CROSSRUN_JIT_ASYNC = 1; never in eager mode). Otherwise regions are compiled on
   *  this thread, those asked for in a burst into one module (BATCH_MAX, BATCH_WAIT_RUNS), and in
   *  eager mode each at once. Measured (perf stat task-clock, 3 runs): Go goroutines fixture 2.79 s →
   *  2.64 s CPU, but the bench's sort 2.93 s → 3.53 s: installing takes ~0.3 s of wall time (V8's
   *  async compile needs several event-loop turns, and the engine turns it every 20 ms), during
   *  which hot loops stay in tier 0. */
  async?: boolean;
}

/** CROSSRUN_JIT_PROFILE=1: count chained calls per target and entries from JS; print them at exit. */
const PROFILE = process.env.CROSSRUN_JIT_PROFILE === '1';
/** CROSSRUN_JIT_LAZY_FLAGS=0: regions compute flags at every set, not only where read. */
const LAZY_FLAGS = process.env.CROSSRUN_JIT_LAZY_FLAGS !== '0';
/** CROSSRUN_JIT_FLOAT_LOCALS=0: regions hold every value as integer bits (float-locals.ts). */
const FLOAT_LOCALS = process.env.CROSSRUN_JIT_FLOAT_LOCALS !== '0';
/** CROSSRUN_JIT_DUMP=<dir>: write each module's bytes (m<n>.wasm) and its regions' block pcs
 *  (m<n>.txt) there, to read the code the tier makes. */
const DUMP = process.env.CROSSRUN_JIT_DUMP;
let dumped = 0;
function dumpModule(bytes: Uint8Array, regions: readonly RegionShape[]): void {
  if (!DUMP) return;
  const n = dumped++;
  mkdirSync(DUMP, { recursive: true });
  writeFileSync(`${DUMP}/m${n}.wasm`, bytes);
  writeFileSync(`${DUMP}/m${n}.txt`, regions.map((r, i) => `r${i}: ${r.blocks.map((b) => b.pc.toString(16)).join(' ')}\n`).join(''));
}

/** A region to compile: formed this run (emitted unless its key's code is kept), or an earlier
 *  run's with its code (region-replay.ts). */
type Compilable = { readonly region: Region; readonly body?: undefined } | { readonly region: RegionShape; readonly body: Uint8Array };
/** One waiting for its batch, and the pc it was formed from. */
type Planned = Compilable & { readonly pc: number };

/** CROSSRUN_JIT_REPLAY=0: form every region anew, never an earlier run's at once. */
const REPLAY = process.env.CROSSRUN_JIT_REPLAY !== '0';

interface WasmSide {
  table: WebAssembly.Table;
  imports: WebAssembly.Imports;
  run: RunFn;
}

export interface Loc {
  table: number;
  block: number;
}

const TWO32 = 2 ** 32;
/** Runs of a hot block (after the engine's HOT_THRESHOLD) before its region forms. A region costs
 *  ~2–5 ms to emit, compile and instantiate; a block run ~100 times is mostly start-up code that
 *  seldom runs again, while a loop passes 1000 runs in microseconds. Measured CPU (perf stat) from
 *  32 to 1000: python3 -c (Debian arm64) 10.8 → 6.6 s, Go goroutines fixture 2.46 → 1.77 s, bench
 *  strings 3.49 → 3.27 s, sort 2.47 → 2.57 s, fib and sha256 within noise. Since regions leave out
 *  blocks other regions hold (less compiling) and tier 0 got faster, 1000 → 400 (perf stat, 2 runs
 *  each): aarch64 sort 2.57 → 2.15 s, strings 3.99 → 3.53 s, xz -6 -c 4.17 → 3.82 s, riscv64 sort
 *  2.17 → 2.04 s; lua5.4, xz -d and riscv64 strings within noise; riscv64 fib 0.42 → 0.48 s. */
export const WARM = 400;
/** Guest instructions run before tier 1 compiles anything. A static hello world retires ~20 000
 *  and has 5 blocks hot by the engine's count; compiling them (the first regions also warm up the
 *  emitter and build the dispatcher) cost ~20 ms, a tenth of its run. Cold tier 0 runs only a few
 *  million instructions a second (1M cost the bench's sort ~0.3 s), so the gate stays low. */
export const START_INSNS = 200_000;
/** How often (ms) the tier looks at indirect-jump statistics, how many jumps to one target from
 *  one block since the last look make it a target to include, how many targets a block gets, and
 *  how often a region is compiled again for them: once (targets noted later still serve regions
 *  formed later). Each compile restarts the region in V8's baseline tier until its optimised
 *  code is ready; 4 → 1 (paired runs, user CPU): lua5.4 5.44 → 4.84 s, sqlite3 and the bench's
 *  interp and sort within noise. A region formed again is bigger (callees taken in), and a
 *  target seen 2000 times in 20 ms saves less than that costs: 2000 → 16000 (5 alternated runs,
 *  warm store, medians): sqlite3 6.12 → 5.31 s (its busiest targets: ~6000 per 20 ms), interp
 *  (a bytecode loop's handlers, ~40000) 1.83 → 1.80 s, lua5.4, xz -d, sort within noise. */
const LEARN_MS = 20;
const LEARN_MIN = 16000;
const LEARN_MAX_TARGETS = 12;
const LEARN_MAX_REGROWN = 1;
/** Regions bigger than this (guest instructions) are not compiled again: it costs more than the
 *  transitions it saves (printf's innards). */
const LEARN_MAX_INSNS = 600;
/** Regions compiled together at most, and how long (tier-0 runs of waiting blocks, region entries)
 *  the first of them waits for others. A module costs ~1 ms to compile and instantiate however
 *  small it is (lua5.4: 290 one-region modules, ~0.6 s of 5 s), and instantiating one costs more
 *  the more regions there are (V8 copies the shared table into each instance): a program that
 *  has formed many regions waits longer, up to BATCH_WAIT_MAX (sqlite3: 401 modules → 206,
 *  compile and instantiate 1349 → 980 ms; lua5.4: 228 → 114, 4.36 → 3.90 s), while a hot loop
 *  among few regions waits ~0.1 ms. */
const BATCH_MAX = 16;
const BATCH_WAIT_RUNS = 400;
const BATCH_WAIT_MAX = 4000;
const BATCH_WAIT_PER_REGION = 16;

export class Tier1 implements HotBlockSink {
  private side: WasmSide | null = null;
  private readonly st: HostState;
  private readonly i32: Int32Array;
  /** Every block of every live region, by pc (the latest region wins). */
  private readonly where = new Map<number, Loc>();
  /** Blocks tier 0 reported hot, by pc, and their own tier-0 run functions. */
  private readonly hot = new Map<number, CompiledBlock>();
  private readonly orig = new WeakMap<CompiledBlock, () => number>();
  private readonly rests = new Map<number, CompiledBlock>();
  /** Per table index, the pc its region was formed from, and its blocks' pcs. */
  private roots: number[] = [];
  private tableBlocks: number[][] = [];
  /** Targets seen for indirect jumps (by jumping block), the pcs among them, and how often each
   *  region root was compiled again for them. */
  private readonly jumpTargets = new Map<number, number[]>();
  private readonly learnedPcs = new Set<number>();
  private readonly regrown = new Map<number, number>();
  private readonly rootInsns = new Map<number, number>();
  private lastLearn = 0;
  private readonly entryCounts = new Map<number, number>();
  /** Test mode: regions take every block reachable from a hot one, compiled at once. */
  private readonly eager: boolean;
  private nextTable = HOST_SLOTS;
  /** Bumped by every flush: entry wrappers from before it fall back to tier 0. */
  private gen = 0;
  private readonly limits: RegionLimits;
  readonly startInsns: number;
  private readonly warm: number;
  private readonly sync: boolean;
  /** Regions waiting for the next batch, and the roots queued or being compiled. */
  private queue: Planned[] = [];
  private readonly pending = new Set<number>();
  /** Every block of those regions: one that gets hot meanwhile waits for them. */
  private readonly pendingBlocks = new Set<number>();
  private batchScheduled = false;
  /** Tier-0 runs of waiting blocks and region entries since the queue was last compiled. */
  private waited = 0;
  /** Guest memory is shared (a SharedArrayBuffer): modules must import it as shared. */
  private readonly sharedMemory: boolean;
  /** Regions of earlier runs, formed again once a block of theirs is hot (not in eager mode). */
  private readonly kept: KeptRegions | null;
  private options: CompileOptions | null = null;
  /** Statistics for -d and tests (keptBodies: regions whose code came from the translation store,
   *  not the emitter). */
  readonly stats = { regions: 0, blocks: 0, insns: 0, bytes: 0, compileMs: 0, emitMs: 0, moduleMs: 0, modules: 0, entries: 0, flushes: 0, keptBodies: 0, replayed: 0 };

  constructor(private readonly host: TierHost, private readonly opts: Tier1Options = {}) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.eager = opts.eager ?? process.env.CROSSRUN_JIT_EAGER === '1';
    const envStart = Number(process.env.CROSSRUN_JIT_START);
    this.startInsns = opts.startInsns ?? (process.env.CROSSRUN_JIT_START && envStart >= 0 ? envStart : START_INSNS);
    const envWarm = Number(process.env.CROSSRUN_JIT_WARM);
    this.warm = opts.warm ?? (envWarm > 0 ? envWarm : WARM);
    this.sync = this.eager || !(opts.async ?? process.env.CROSSRUN_JIT_ASYNC === '1');
    this.i32 = new Int32Array(host.mem.memory.buffer);
    this.sharedMemory = typeof SharedArrayBuffer !== 'undefined' && host.mem.memory.buffer instanceof SharedArrayBuffer;
    this.st = { rt: host.rt, pending: null };
    const bodies = host.regionBodies ?? null;
    this.kept = bodies !== null && REPLAY && !this.eager ? new KeptRegions(bodies, host.mem, () => this.compileOptions()) : null;
  }

  /** The options regions are compiled with (they are part of a region's key). */
  private compileOptions(): CompileOptions {
    this.options ??= { fpEnv: this.host.arch.fpEnv, hwFma: this.opts.hwFma ?? hostFma(), chain: !PROFILE, sharedMemory: this.sharedMemory, lazyFlags: LAZY_FLAGS, floatLocals: FLOAT_LOCALS };
    return this.options;
  }

  /** The wasm side, made when the first region is compiled: a program that never gets hot code
   *  pays nothing for it at start-up. */
  private get wasm(): WasmSide {
    if (this.side !== null) return this.side;
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: HOST_SLOTS });
    const tramp = new WebAssembly.Instance(new WebAssembly.Module(prebuiltModule('trampoline')), { js: makeImports(this.st, this.i32) });
    IMPORT_NAMES.forEach((name, slot) => table.set(slot, tramp.exports[name]));
    const imports = { rt: { mem: this.host.mem.memory, table } };
    const dispBytes = PROFILE || !this.sharedMemory ? dispatcherBytes(PROFILE, this.sharedMemory) : prebuiltModule('dispatcher');
    const disp = new WebAssembly.Instance(new WebAssembly.Module(dispBytes), imports);
    jcClear(this.i32);
    this.side = { table, imports, run: disp.exports.run as RunFn };
    return this.side;
  }

  onFlush(): void {
    this.gen++;
    this.stats.flushes++;
    this.where.clear();
    this.hot.clear();
    this.rests.clear();
    this.roots = [];
    this.tableBlocks = [];
    this.jumpTargets.clear();
    this.learnedPcs.clear();
    this.regrown.clear();
    this.rootInsns.clear();
    this.queue = [];
    this.pending.clear();
    this.pendingBlocks.clear();
    if (this.side !== null) {
      jcClear(this.i32);
      this.i32.fill(0, IND_BASE >>> 2, (IND_BASE + JC_SETS * IND_STRIDE) >>> 2);
      for (let i = HOST_SLOTS; i < this.nextTable; i++) this.side.table.set(i, null);
    }
    this.nextTable = HOST_SLOTS;
    this.kept?.reset();
  }

  onHot(blk: CompiledBlock): void {
    const pc = blk.ir.pc;
    this.hot.set(pc, blk);
    if (!this.orig.has(blk)) this.orig.set(blk, blk.run);
    const loc = this.where.get(pc);
    if (loc !== undefined) return this.install(blk, loc);
    if (this.pendingBlocks.has(pc)) return; // installed with its region
    if (this.eager) return this.compile(pc);
    // Warm up a little longer, so that the rest of the loop around this block is hot too when the
    // region forms (unless an earlier run formed it: then at once); and not before the process
    // has run startInsns instructions.
    const orig = blk.run;
    const gen = this.gen;
    const rt = this.host.rt;
    const start = this.startInsns;
    const warm = this.kept?.has(pc) === true ? 1 : this.warm;
    let n = 0;
    blk.run = () => {
      if (++n >= warm && rt.instret >= start && this.gen === gen) {
        blk.run = orig;
        this.compile(pc);
        // waiting in the queue: keep the clock going until the region is installed
        if (this.sync && this.pendingBlocks.has(pc)) {
          blk.run = () => {
            this.tick();
            return orig();
          };
        }
      }
      return orig();
    };
  }

  /** Make blk.run enter the region code at loc (tier 0 again after a flush). An entry from JS
   *  also puts the block back in the jump cache: a region that left for its pc found it missing
   *  (evicted by a later region's blocks of the same set), and would leave for JS every time
   *  (sqlite3: ~1 million times more, ~0.6 s). */
  private install(blk: CompiledBlock, loc: Loc): void {
    const orig = this.orig.get(blk) as () => number;
    const gen = this.gen;
    const pc = blk.ir.pc;
    const ninsns = blk.ir.ninsns;
    const { table, block } = loc;
    const target = (table << REGION_BLOCK_BITS) | block;
    const profile = PROFILE;
    blk.run = () => {
      if (this.gen !== gen) {
        blk.run = orig;
        return orig();
      }
      if (profile) this.entryCounts.set(pc, (this.entryCounts.get(pc) ?? 0) + 1);
      jcInsert(this.i32, pc, target);
      return this.enter(table, block, ninsns);
    };
  }

  /** A tier-0 block of the n instructions from pc (Why.RESTART: the rest of a region's block),
   *  cached until the next flush. */
  private rest(pc: number, n: number): CompiledBlock {
    const key = pc * 65536 + n;
    let b = this.rests.get(key);
    if (b === undefined) {
      b = compileBlock(this.host.arch.lift(this.host.fetch, pc, n), this.host.rt);
      this.rests.set(key, b);
    }
    return b;
  }

  private lift(pc: number): IRBlock | null {
    try {
      return this.host.arch.lift(this.host.fetch, pc);
    } catch (e) {
      if (e instanceof GuestSignal) return null;
      throw e;
    }
  }

  /** Form, compile and register the region grown from pc (batched, in the background, with the
   *  async option). */
  private compile(pc: number): void {
    if (this.pending.has(pc) || (this.pendingBlocks.has(pc) && !this.where.has(pc))) return;
    const kept = this.where.has(pc) ? null : this.kept?.take(pc) ?? null;
    if (kept !== null) return this.replay(kept.shape, kept.body);
    const learned = this.jumpTargets;
    const noDup = !this.eager;
    const lift = (p: number) => (this.eager ? this.lift(p) : this.hot.get(p)?.ir ?? (this.learnedPcs.has(p) ? this.lift(p) : null));
    // Blocks compiled in a region already are left out (every instruction was compiled ~3.6 times
    // in lua5.4 otherwise) — unless that splits a loop: then the region takes them in again.
    let region = noDup ? formRegion(pc, (p) => (p !== pc && this.where.has(p) ? null : lift(p)), this.limits, learned) : null;
    if (region === null || (noDup && this.splitsLoop(region))) region = formRegion(pc, lift, this.limits, learned);
    if (region === null) return;
    region = { ...region, learns: this.mayGrow(pc, regionInsns(region)) };
    if (this.eager) return this.registered(pc, region, this.compileRegion(region));
    this.plan({ pc, region });
  }

  /** Whether learn() may form the region rooted at pc (of `insns` guest instructions) again. */
  private mayGrow(root: number, insns: number): boolean {
    return (this.regrown.get(root) ?? 0) < LEARN_MAX_REGROWN && insns <= LEARN_MAX_INSNS;
  }

  /** Compile an earlier run's region (its code kept) as if formed now: the indirect-jump targets
   *  it learned are known again, and its root is not grown again for them. */
  private replay(shape: RegionShape, body: Uint8Array): void {
    const root = shape.blocks[shape.entry].pc;
    for (const b of shape.blocks) this.host.markCode(b.pc, b.pc + b.size);
    const learned = shape.jumpTargets ?? new Map<number, readonly number[]>();
    for (const [from, targets] of learned) for (const t of targets) this.noteTarget(from, t);
    if (learned.size > 0) this.regrown.set(root, LEARN_MAX_REGROWN);
    this.stats.replayed++;
    this.plan({ pc: root, region: shape, body });
  }

  /** Queue a region for the next batch. */
  private plan(p: Planned): void {
    this.pending.add(p.pc);
    for (const b of p.region.blocks) this.pendingBlocks.add(b.pc);
    this.queue.push(p);
    if (this.sync) {
      // Regions asked for in a burst share a module: compiled when BATCH_MAX are waiting, or
      // after BATCH_WAIT_RUNS more tier-0 runs of waiting blocks and region entries (tick).
      if (this.queue.length >= BATCH_MAX) this.compileQueued();
      return;
    }
    if (!this.batchScheduled) {
      // The engine lets the event loop turn every few ms: what got hot until then is one module.
      this.batchScheduled = true;
      setImmediate(() => this.compileBatch());
    }
  }

  /** Whether the region leaves for compiled regions that come back into it (a loop across two
   *  regions, which would pay a region change twice per iteration). */
  private splitsLoop(region: Region): boolean {
    const mine = new Set(region.blocks.map((b) => b.pc));
    const others = new Set<number>();
    for (const b of region.blocks) {
      for (const s of successors(b, this.jumpTargets)) {
        const loc = mine.has(s) ? undefined : this.where.get(s);
        if (loc !== undefined) others.add(loc.table);
      }
    }
    if (others.size === 0) return false;
    // (the other regions' blocks only: a scan of every compiled block per region formed was
    // quadratic, ~85 ms of sqlite3's run)
    for (const t of others) {
      for (const pc of this.tableBlocks[t] ?? []) {
        if (this.where.get(pc)?.table !== t) continue; // compiled again since, in a later region
        const ir = this.hot.get(pc)?.ir;
        if (ir !== undefined && successors(ir, this.jumpTargets).some((s) => mine.has(s))) return true;
      }
    }
    return false;
  }

  /** A region's blocks are in the table: enter them from tier 0. */
  private registered(pc: number, region: RegionShape, locs: Map<number, Loc>): void {
    this.roots[(locs.get(pc) as Loc).table] = pc;
    this.rootInsns.set(pc, regionInsns(region));
    for (const [bpc, loc] of locs) {
      const hb = this.hot.get(bpc);
      if (hb !== undefined) this.install(hb, loc);
    }
  }

  /** A waiting block ran once more in tier 0, or a region was entered: compile the queued
   *  regions once they have waited long enough. */
  private tick(): void {
    if (this.queue.length > 0 && ++this.waited >= Math.min(BATCH_WAIT_MAX, BATCH_WAIT_RUNS + this.stats.regions * BATCH_WAIT_PER_REGION)) this.compileQueued();
  }

  /** Compile the queued regions now, as one module, and install them (tests call it too). */
  compileQueued(): void {
    const batch = this.queue;
    this.queue = [];
    this.waited = 0;
    this.unpend(batch);
    const locs = this.compilePlanned(batch);
    batch.forEach((b, k) => this.registered(b.pc, b.region, locs[k]));
  }

  /** Emit the queued regions as one module and compile it off the main thread; install them when
   *  it is ready unless translations were flushed meanwhile. */
  private compileBatch(): void {
    this.batchScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const { bytes, names } = this.emitModule(batch);
    const gen = this.gen;
    const t1 = nowMs();
    const done = (module: WebAssembly.Module | null) => {
      if (this.gen !== gen) return; // flushed meanwhile: the pending sets were cleared then
      this.unpend(batch);
      if (module === null) return;
      this.stats.moduleMs += nowMs() - t1;
      const locs = this.registerModule(module, names, batch, bytes.length);
      batch.forEach((b, k) => this.registered(b.pc, b.region, locs[k]));
    };
    WebAssembly.compile(bytes).then(done, (e: unknown) => {
      done(null);
      // A module V8 rejects is a compiler bug; the blocks stay in tier 0. Say so where asked.
      if (process.env.CROSSRUN_JIT_STATS || process.env.CROSSRUN_DEBUG) process.stderr.write(`crossrun: tier 1 module rejected: ${String(e)}\n`);
    });
  }

  /** The batch's regions are no longer waiting. */
  private unpend(batch: readonly Planned[]): void {
    for (const b of batch) {
      this.pending.delete(b.pc);
      for (const blk of b.region.blocks) this.pendingBlocks.delete(blk.pc);
    }
  }

  /**
   * Grow regions by the indirect-jump targets their code keeps leaving for (calls through
   * pointers, returns to other regions, switch tables): read the exit statistics the regions
   * keep, note (jumping block → target), and compile the jumping block's region again with the
   * targets in it. Runs now and then from JS, which gets control back at least once a slice.
   */
  private learn(): void {
    const i32 = this.i32;
    const grow = new Set<number>();
    for (let s = 0; s < JC_SETS; s++) {
      const e = (IND_BASE + s * IND_STRIDE) >>> 2;
      const n = i32[e + (IND_COUNT >>> 2)];
      if (n === 0) continue;
      i32[e + (IND_COUNT >>> 2)] = 0;
      if (n < LEARN_MIN) continue;
      const from = i32[e + (IND_FROM >>> 2)] >>> 0;
      const to = i32[e + (IND_TARGET >>> 2)] >>> 0;
      const loc = this.where.get(from);
      const root = loc === undefined ? undefined : this.roots[loc.table];
      if (root === undefined) continue;
      if (!this.noteTarget(from, to)) continue;
      if (this.mayGrow(root, this.rootInsns.get(root) ?? 0)) grow.add(root);
    }
    for (const root of grow) {
      this.regrown.set(root, (this.regrown.get(root) ?? 0) + 1);
      this.compile(root);
    }
  }

  /** Note `to` as a target of the indirect jump ending the block at `from` (regions formed from
   *  now on include it); false if it was noted already or the block has its fill of targets. */
  private noteTarget(from: number, to: number): boolean {
    const list = this.jumpTargets.get(from) ?? [];
    if (list.includes(to) || list.length >= LEARN_MAX_TARGETS) return false;
    list.push(to);
    this.jumpTargets.set(from, list);
    this.learnedPcs.add(to);
    return true;
  }

  /** Compile a region and register its blocks (jump cache, `where`); returns each block's entry. */
  compileRegion(region: Region): Map<number, Loc> {
    return this.compileRegions([region])[0];
  }

  /** Compile regions as one module on this thread and register their blocks. */
  private compileRegions(regions: Region[]): Map<number, Loc>[] {
    return this.compilePlanned(regions.map((region) => ({ region })));
  }

  private compilePlanned(planned: readonly Compilable[]): Map<number, Loc>[] {
    if (planned.length === 0) return [];
    const t0 = nowMs();
    const { bytes, names } = this.emitModule(planned);
    const t1 = nowMs();
    const module = new WebAssembly.Module(bytes);
    this.stats.moduleMs += nowMs() - t1;
    const locs = this.registerModule(module, names, planned, bytes.length);
    this.stats.compileMs += nowMs() - t0;
    return locs;
  }

  /** One module's code for the regions (written out under CROSSRUN_JIT_DUMP). */
  private emitModule(planned: readonly Compilable[]): { bytes: Uint8Array<ArrayBuffer>; names: string[] } {
    const t0 = nowMs();
    const opts = this.compileOptions();
    const mc = new ModuleCompiler(opts);
    const kept = this.host.regionBodies ?? null;
    const names = planned.map((p) => {
      if (p.body !== undefined) {
        this.stats.keptBodies++;
        return mc.addEncoded(p.region, p.body);
      }
      const r = p.region;
      if (kept === null) return mc.addRegion(r).name;
      const key = regionKey(r, this.host.mem.bytes, opts);
      const body = kept.body(key);
      if (body !== undefined) {
        this.stats.keptBodies++;
        return mc.addEncoded(r, body);
      }
      const added = mc.addRegion(r);
      kept.keep(key, added.body);
      return added.name;
    });
    const bytes = mc.finish();
    dumpModule(bytes, planned.map((p) => p.region));
    this.stats.emitMs += nowMs() - t0;
    return { bytes, names };
  }

  /** Instantiate a compiled module and register each of its regions. */
  private registerModule(module: WebAssembly.Module, names: string[], planned: readonly Compilable[], bytes: number): Map<number, Loc>[] {
    const fns = this.instantiate(module, names);
    return planned.map((p, k) => this.register(p.region, fns[k], bytes / planned.length));
  }

  private instantiate(module: WebAssembly.Module, names: string[]): ((entry: number) => number)[] {
    const inst = new WebAssembly.Instance(module, this.wasm.imports);
    this.stats.modules++;
    return names.map((n) => inst.exports[n] as (entry: number) => number);
  }

  /** Put a compiled region in the table and its blocks in the jump cache and `where`. */
  private register(region: RegionShape, fn: (entry: number) => number, bytes: number): Map<number, Loc> {
    const w = this.wasm;
    const t = this.nextTable++;
    if (t >= w.table.length) w.table.grow(Math.max(16, w.table.length));
    w.table.set(t, fn);
    this.tableBlocks[t] = region.blocks.map((b) => b.pc);
    const jc = this.i32;
    const locs = new Map<number, Loc>();
    region.blocks.forEach((b, k) => {
      const loc = { table: t, block: k };
      locs.set(b.pc, loc);
      this.where.set(b.pc, loc);
      jcInsert(jc, b.pc, (t << REGION_BLOCK_BITS) | k);
    });
    const s = this.stats;
    s.regions++;
    s.blocks += region.blocks.length;
    s.insns += regionInsns(region);
    s.bytes += bytes;
    return locs;
  }

  /** Where compiled code for the block at pc is, if any. */
  locate(pc: number): Loc | undefined {
    return this.where.get(pc);
  }

  /** Run compiled code from loc as the tier-0 block of `ninsns` instructions there would (tests). */
  runAt(loc: Loc, ninsns: number): number {
    return this.enter(loc.table, loc.block, ninsns);
  }

  /** CROSSRUN_JIT_PROFILE: the pcs the dispatcher chained to most, and JS entries. */
  profileReport(): string {
    const rows: [number, number][] = [];
    for (let i = 0; i < JC_SETS; i++) {
      const n = this.i32[(PROFILE_BASE >>> 2) + i];
      if (n > 0) rows.push([this.i32[(JC_BASE >>> 2) + 4 * i] >>> 0, n]);
    }
    rows.sort((a, b) => b[1] - a[1]);
    const ent = [...this.entryCounts].sort((a, b) => b[1] - a[1]).slice(0, 15);
    const total = rows.reduce((s, [, n]) => s + n, 0);
    return `chained to (${total} in all, ${rows.length} targets):\n${rows.slice(0, 25).map(([pc, n]) => `  ${pc.toString(16)} ${n}`).join('\n')}\nentered from JS at:\n${ent.map(([pc, n]) => `  ${pc.toString(16)} ${n}`).join('\n')}\n`;
  }

  get chainedCalls(): number {
    return this.i32[Slot.CALLS >>> 2];
  }

  private readI64(addr: number): number {
    return (this.i32[addr >>> 2] >>> 0) + this.i32[(addr >>> 2) + 1] * TWO32;
  }
  private writeI64(addr: number, v: number): void {
    this.i32[addr >>> 2] = v % TWO32 | 0;
    this.i32[(addr >>> 2) + 1] = Math.floor(v / TWO32);
  }

  /** Run region code from (table, block) for the current task; returns the next pc the way a
   *  tier-0 block's run does (instret left for the engine to add `ninsns`). */
  private enter(table: number, block: number, ninsns: number): number {
    if (this.queue.length > 0 && this.sync) this.tick();
    const rt = this.host.rt;
    const i32 = this.i32;
    this.st.rt = rt;
    // The clock is read every 64th entry only: a program that leaves its regions often enters
    // them ~10^6 times (sqlite3), and one that does not learns nothing new meanwhile.
    if ((++this.stats.entries & 63) === 0) {
      const now = nowMs();
      if (now - this.lastLearn > LEARN_MS) {
        this.lastLearn = now;
        this.learn();
      }
    }
    i32[Slot.STATE_BASE >>> 2] = rt.stateBase;
    const start = rt.instret;
    this.writeI64(Slot.ICOUNT, start);
    // Regions leave at a back-edge at LIMIT: a slice for V8's tier-up, bounded by the scheduler's
    // (at once if it asks for control).
    const end = i32[SCHED_PREEMPT >>> 2] !== 0 ? start : Math.min(start + SLICE, this.readI64(SCHED_SLICE_END));
    this.writeI64(Slot.LIMIT, end);
    const pc = this.wasm.run(table, block) >>> 0;
    const ic = this.readI64(Slot.ICOUNT);
    const why = i32[Slot.WHY >>> 2] as Why;
    rt.instret = ic - ninsns;
    switch (why) {
      case Why.NONE:
        return pc;
      case Why.SYSCALL:
        rt.exit = Exit.Syscall;
        return pc;
      case Why.FLUSH:
        rt.exit = Exit.FlushCode;
        return pc;
      case Why.TRAP:
        rt.trap(i32[Slot.TRAP_SIG >>> 2], i32[Slot.TRAP_CODE >>> 2], i32[Slot.TRAP_ADDR >>> 2] >>> 0);
        return pc;
      case Why.FAR:
        return Number(new BigUint64Array(this.host.mem.memory.buffer, Slot.FAR, 1)[0]);
      case Why.RESTART: {
        // The rest of the block in tier 0, from the instruction k: it faults (precisely: its
        // catch sets faultPc; instret stays at the block's start, as in tier 0) or completes (the
        // block's n instructions count).
        rt.instret = ic;
        const v = i32[Slot.RESTART_INSN >>> 2];
        const k = v & 0xffff;
        const n = v >>> 16;
        const next = this.rest(pc, n - k).run();
        rt.instret = ic + n - ninsns;
        return next;
      }
      case Why.FAULT:
      case Why.ILLEGAL: {
        // As a tier-0 block that throws: instret stays at the faulting block's start.
        rt.instret = ic;
        rt.faultPc = pc;
        const sig = why === Why.ILLEGAL ? new GuestSignal(Sig.ILL, SiCode.ILL_ILLOPC, 0) : (this.st.pending as GuestSignal);
        this.st.pending = null;
        i32[Slot.FAULT >>> 2] = 0;
        throw sig;
      }
    }
    throw new Error(`crossrun internal error: region exit ${why as number}`);
  }
}

/** The tier to use: the option, else $CROSSRUN_JIT, else the default. */
export function jitMode(opt: string | undefined): JitMode {
  const v = opt ?? process.env.CROSSRUN_JIT ?? 'wasm';
  if (!(JIT_MODES as readonly string[]).includes(v)) throw new UserError(`unknown --jit mode '${v}' (use ${JIT_MODES.join(', ')})`);
  return v as JitMode;
}

/** Attach the region tier to an engine, unless the mode says otherwise. -d exec traces every
 *  block, which only tier 0 does. */
export function attachTier1(host: TierHost, mode?: string, opts?: Tier1Options): Tier1 | null {
  if (jitMode(mode) !== 'wasm' || host.logger.on('exec')) return null;
  const t = new Tier1(host, opts);
  host.tier1 = t;
  if (process.env.CROSSRUN_JIT_STATS) process.on('exit', () => process.stderr.write(`crossrun: tier 1 ${JSON.stringify({ ...t.stats, chained: t.chainedCalls })}; tier 0 ${JSON.stringify({ ...tier0Stats, instret: host.rt.instret })}\n`));
  if (PROFILE) process.on('exit', () => process.stderr.write(t.profileReport()));
  return t;
}
