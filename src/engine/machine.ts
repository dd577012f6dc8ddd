// The run loop: find or translate the block at pc, run it, handle its exit (syscall, trap, code
// flush) and guest signals; slices of it per guest thread (Scheduler), until the process exits.
import type { ArchSpec, CodeFetch } from '../arch/arch.js';
import type { IRBlock } from '../jit/ir.js';
import { compileBlock, evaluatesFirst, presetEvalCode, type CompiledBlock } from '../jit/interp/compile-block.js';
import { ArenaStop, EvalArena } from '../jit/interp/eval-arena.js';
import { EvalBuilder } from '../jit/interp/eval-builder.js';
import { Exit, Tier0Runtime } from '../jit/interp/runtime.js';
import type { Logger } from '../log.js';
import { isAnonymous, Perm, type AddressSpace } from '../mem/address-space.js';
import { GuestSignal, Sig } from '../signals.js';
import type { RunResult } from '../index.js';
import { ProcessExit, type Linux } from '../../syscalls/index.js';
import { Block, ImageReplaced, SigreturnRequest, ThreadExit } from '../../syscalls/blocking.js';
import { sendSignal } from '../../syscalls/signal-send.js';
import { forwardHostSignals } from './host-signals.js';
import { SchedArea } from './sched-area.js';
import { Scheduler } from './scheduler.js';
import { SignalDelivery } from './signal-delivery.js';
import { sharedTranslations, type TranslationCache } from './translation-cache.js';
import { libraryStore, type TranslationStore } from './translation-store.js';
import { LazyBlock } from './lazy-block.js';
import type { RegionBodies } from '../jit/wasm/region-replay.js';
import { nowMs } from '../clock.js';

/** Runs of a block after which it is handed to the next tier (if one is attached). */
export const HOT_THRESHOLD = 64;

/** A higher tier (src/jit/wasm): told when a block gets hot; may replace its `run`. */
export interface HotBlockSink {
  /** The instructions a process runs before the tier takes hot blocks (none: 0). */
  readonly startInsns?: number;
  onHot(blk: CompiledBlock): void;
  /** All translations were dropped. */
  onFlush(): void;
}

/** Why a debugged run (debugRun) returned. Guest pcs are where the guest would continue. */
export type DebugStop =
  /** The slice of blocks is used up; nothing happened. */
  | { readonly kind: 'budget' }
  /** pc has a breakpoint; its instruction has not run. */
  | { readonly kind: 'breakpoint'; readonly pc: number }
  /** One instruction ran (single-step). */
  | { readonly kind: 'step'; readonly pc: number }
  /** A watched access by the instruction at pc: before it ran, or after if the hook asked so. */
  | { readonly kind: 'watch'; readonly pc: number; readonly hit: WatchHit }
  /** The guest got a signal (a fault at pc: before the instruction ran); it is not delivered yet. */
  | { readonly kind: 'signal'; readonly pc: number; readonly signal: GuestSignal; readonly synchronous: boolean }
  | { readonly kind: 'exited'; readonly result: RunResult };

/** Thrown by a watch hook (Tier0Runtime.watch) to stop at a watched access. */
export class WatchHit {
  constructor(
    readonly addr: number,
    readonly type: 'write' | 'read' | 'access',
    /** Stop after the instruction completed (the ISA's watchpoints fire after the access). */
    readonly after: boolean,
  ) {}
}

/** What handling a syscall or fault asks of the run loop. */
const CONTINUE = 0;
const SWITCH = 1;
type Outcome = typeof CONTINUE | typeof SWITCH | RunResult;

/** The event loop gets a turn at least this often (ms) while guest code runs: host signals,
 *  timers of the embedding program. */
const YIELD_MS = 20;

const JC_BITS = 12;
/** A pc's slot in the block cache: a multiplicative hash, so that 4-byte aligned pcs (AArch64)
 *  use every slot, not the even ones only as pc / 2 did. */
const jcSlot = (pc: number): number => Math.imul(pc, 0x9e3779b1) >>> (32 - JC_BITS);

export class Machine {
  private readonly blocks = new Map<number, CompiledBlock>();
  /** Direct-mapped cache in front of `blocks`, indexed by pc. */
  private readonly jc: (CompiledBlock | undefined)[] = new Array(1 << JC_BITS);
  /** Per guest page (4 KiB), 1 if any live translation may cover a byte of it: unmapping or
   *  re-protecting other pages (a dynamic loader mapping libraries and sealing RELRO between
   *  the program and itself) must not drop every translation. Marked by every instruction fetch
   *  (any tier's lifter) and by translations taken from the shared cache. */
  private readonly codePages = new Uint8Array(2 ** (32 - 12));
  /** Per guest page, 1 if the block arena has a record of a block there (the spans of its pcs): a
   *  change there only makes the arena check its records' bytes again (EvalArena.reset), which
   *  is cheap, so the spans may be coarse. Translations (codePages) are dropped all at once. */
  private readonly arenaPages = new Uint8Array(2 ** (32 - 12));
  readonly fetch: CodeFetch;
  pc = 0;
  tier1: HotBlockSink | null = null;
  /** Breakpoint pcs (gdb): translation ends a block before one, and a debugged run stops there. */
  readonly breakpoints = new Set<number>();
  /** Single-instruction translations, for single-stepping. */
  private readonly stepBlocks = new Map<number, CompiledBlock>();
  /** The guest threads of every process and who runs next (one scheduler for all machines). */
  readonly sched: Scheduler;
  readonly signals: SignalDelivery;
  private readonly schedArea: SchedArea;
  /** Lifted blocks of every machine of this ISA in the run (translation-cache.ts). */
  private readonly shared: TranslationCache;
  /** What translate() lifts with: `fetch`, noting the end of the bytes read (`liftEnd`). */
  private readonly liftFetch: CodeFetch;
  private liftEnd = 0;
  /** Blocks lifted into the evaluator's form and again for their ops, without a store to count them. */
  private readonly relifts = { relifted: 0 };
  /** Blocks of earlier runs of this program (translation-store.ts), and the name its file is
   *  mapped under; set by whoever loads it (useStore). Blocks in other file mappings (ld.so,
   *  libraries) go to those files' own stores (storeAt). */
  store: TranslationStore | null = null;
  /** The blocks of the program's store and of the library stores opened since, in tier 0's
   *  block arena (jit/interp/eval-arena.ts): run there until the engine translates one itself
   *  (their pages: arenaPages). */
  private arena: EvalArena | null = null;
  private readonly arenaStores = new Set<TranslationStore>();
  programMap = '';
  /** The last mapping storeAt looked up, and its store. */
  private storeRange = { start: 0, end: 0, store: null as TranslationStore | null };
  /** Region code of earlier runs, for tier 1 (the same store). */
  get regionBodies(): RegionBodies | null {
    return this.store;
  }

  constructor(
    readonly arch: ArchSpec,
    readonly mem: AddressSpace,
    readonly rt: Tier0Runtime,
    readonly linux: Linux,
    readonly logger: Logger,
    /** The scheduler of the process tree this machine joins (fork, execve); none: the first
     *  process, which makes it. */
    sched?: Scheduler,
  ) {
    const view = mem.view;
    const le = arch.endian === 'le';
    const pages = this.codePages;
    this.fetch = {
      u16: (a) => {
        mem.check(a, 2, Perm.X);
        pages[a >>> 12] = 1;
        pages[(a + 1) >>> 12] = 1;
        return view.getUint16(a, le);
      },
      u32: (a) => {
        mem.check(a, 4, Perm.X);
        pages[a >>> 12] = 1;
        pages[(a + 3) >>> 12] = 1;
        return view.getUint32(a, le);
      },
    };
    this.liftFetch = {
      u16: (a) => {
        const v = this.fetch.u16(a);
        if (a + 2 > this.liftEnd) this.liftEnd = a + 2;
        return v;
      },
      u32: (a) => {
        const v = this.fetch.u32(a);
        if (a + 4 > this.liftEnd) this.liftEnd = a + 4;
        return v;
      },
    };
    mem.onCodeChange = (start, end) => {
      if (this.coversCode(start, end)) this.flushCode();
      else if (covers(this.arenaPages, start, end)) this.arena?.reset();
    };
    this.signals = new SignalDelivery(arch, mem, this, linux.process, logger);
    this.sched = sched ?? new Scheduler(this);
    this.shared = sharedTranslations(this.sched, arch);
    this.schedArea = new SchedArea(mem.memory.buffer);
  }

  /** Run the blocks of a program's store (null: none): a first process, or an execve. (A fork
   *  child shares its parent's store without an arena: it usually execs soon.) */
  useStore(store: TranslationStore | null): void {
    this.store = store;
    if (store === null || !evaluatesFirst() || this.logger.on('in_asm') || this.logger.on('exec')) return;
    const mem = this.mem;
    this.arena = EvalArena.create(this.rt, HOT_THRESHOLD, (s, e) => mem.markDirty(s, e));
    this.addToArena(store);
  }

  /** A store's blocks into the arena (once per store). */
  private addToArena(store: TranslationStore): void {
    const arena = this.arena;
    if (arena === null || this.arenaStores.has(store)) return;
    this.arenaStores.add(store);
    const blocks = store.arenaBlocks();
    const added = blocks === null ? null : arena.add(blocks, (i) => store.slowPartAt(i), (i) => store.markUsed(i));
    if (added === null) return;
    store.addArena(added.segment);
    for (const { start, end } of codeSpans(added.pcs, (i) => store.bytesAt(i) || 1)) mark(this.arenaPages, start, end);
  }

  /** This image's process ended (or exec'd): the arena tells its stores what it ran, and reads its
   *  memory no more (it goes to be reused). */
  retireArena(): void {
    this.arena?.detach();
  }

  /** Drop every translation (fence.i, IC IVAU, code pages changed). */
  flushCode(): void {
    this.blocks.clear();
    this.stepBlocks.clear();
    this.jc.fill(undefined);
    this.codePages.fill(0);
    this.arena?.reset();
    this.tier1?.onFlush();
  }

  /** Whether a live translation may cover a byte of [start, end). */
  private coversCode(start: number, end: number): boolean {
    return covers(this.codePages, start, end);
  }

  /** Translated code covers [start, end): a change to those pages drops every translation. */
  markCode(start: number, end: number): void {
    mark(this.codePages, start, end);
  }

  /** Drop the translations that cover any byte of [start, end) (gdb wrote memory or set a
   *  breakpoint there). Tier-1 code is not tracked per block: debugging runs without it. */
  invalidate(start: number, end: number): void {
    if (covers(this.arenaPages, start, end)) this.arena?.reset();
    if (!this.coversCode(start, end)) return;
    for (const cache of [this.blocks, this.stepBlocks]) {
      for (const [pc, blk] of cache) {
        if (pc < end && pc + Math.max(blk.ir.size, 1) > start) {
          cache.delete(pc);
          const i = jcSlot(pc);
          if (this.jc[i] === blk) this.jc[i] = undefined;
        }
      }
    }
  }

  /** Set or clear a breakpoint; a block that ran through its pc is translated again. */
  setBreakpoint(pc: number, on: boolean): void {
    if (on === this.breakpoints.has(pc)) return;
    if (on) {
      this.breakpoints.add(pc);
      this.invalidate(pc, pc + 1);
    } else {
      this.breakpoints.delete(pc);
    }
  }

  private translate(pc: number): CompiledBlock {
    let ir: IRBlock | undefined;
    if (this.breakpoints.size > 0) {
      // Not shared either way: a block from elsewhere could run through a breakpoint, and one
      // cut short before a breakpoint is this machine's own.
      ir = this.endBeforeBreakpoint(this.arch.lift(this.fetch, pc));
    } else {
      ir = this.shared.get(pc, this.mem);
      if (ir === undefined) {
        // (a block from the store is not shared: another machine of the run finds it there too)
        const store = this.storeAt(pc);
        const stored = store?.get(pc, this.mem);
        if (stored !== undefined) {
          ir = stored.ir;
        } else {
          const lifted = this.liftNew(pc, store);
          ir = lifted.ir;
          this.shared.put(ir, lifted.bytes);
          store?.add(ir, lifted.bytes);
        }
      }
    }
    if (this.logger.on('in_asm')) this.logBlock(pc, ir.size);
    const blk = compileBlock(ir, this.rt);
    this.blocks.set(pc, blk);
    this.arena?.own(pc);
    this.markCode(pc, pc + Math.max(ir.size, 1));
    return blk;
  }

  /** Lifts the block at pc, a block new to this run; with the bytes it was lifted from. When
   *  tier 0 evaluates a block before compiling it, the lift goes straight into the evaluator's
   *  form (jit/interp/eval-builder.ts) and the block's ops are lifted only if something asks for them
   *  (a LazyBlock, as the translation store's are). */
  private liftNew(pc: number, store: TranslationStore | null | undefined): { ir: IRBlock; bytes: Uint8Array } {
    this.liftEnd = pc;
    if (!evaluatesFirst()) {
      const ir = this.arch.lift(this.liftFetch, pc);
      return { ir, bytes: this.liftedBytes(pc, ir.size) };
    }
    const b = new EvalBuilder(pc);
    this.arch.liftInto(b, this.liftFetch);
    const e = b.finish();
    const bytes = this.liftedBytes(pc, e.size);
    const ir = new LazyBlock(pc, e.ninsns, e.size, e.end, e.isCall, this.arch, bytes, store?.stats ?? this.relifts);
    presetEvalCode(ir, e.code, e.start, e.starts, e.slow);
    return { ir, bytes };
  }

  /** The bytes the lift of the block at pc (size bytes long) read: through liftEnd, or its own
   *  bytes if the lift read less. */
  private liftedBytes(pc: number, size: number): Uint8Array {
    return this.mem.bytes.slice(pc, Math.max(this.liftEnd, pc + size));
  }

  /** The store for a block at pc: its file's if that is a library's (a mapped file other than
   *  the program), else the program's. A miss only costs a lift, so the last lookup is reused
   *  while pc stays in its range, even if the mapping has changed since. */
  private storeAt(pc: number): TranslationStore | null {
    const last = this.storeRange;
    if (pc >= last.start && pc < last.end) return last.store;
    const main = this.store;
    if (main === null) return null;
    const r = this.mem.regionAt(pc);
    if (r === undefined) return main;
    const library = !isAnonymous(r) && r.name !== this.programMap;
    const store = library ? libraryStore(this.arch, r, this.mem) : main;
    this.storeRange = { start: r.start, end: r.end, store };
    if (library && store !== null) this.addToArena(store);
    return store;
  }

  /** The block cut short before the first breakpoint after its start, if any. */
  private endBeforeBreakpoint(ir: IRBlock): IRBlock {
    let n = 0;
    for (const op of ir.ops) {
      if (op.op !== 'mark') continue;
      if (n > 0 && this.breakpoints.has(op.pc)) return this.arch.lift(this.fetch, ir.pc, n);
      n++;
    }
    return ir;
  }

  private stepBlock(pc: number): CompiledBlock {
    let blk = this.stepBlocks.get(pc);
    if (blk === undefined) {
      const ir = this.arch.lift(this.fetch, pc, 1);
      blk = compileBlock(ir, this.rt);
      this.stepBlocks.set(pc, blk);
      this.markCode(pc, pc + Math.max(ir.size, 1));
    }
    return blk;
  }

  private logBlock(pc: number, size: number): void {
    const lines = ['----------------', 'IN: '];
    for (let a = pc; a < pc + size; ) {
      const { text, len } = this.arch.disasm(this.fetch, a);
      const word = len === 2 ? this.fetch.u16(a) : this.fetch.u32(a);
      const bytes = word.toString(16).padStart(len * 2, '0');
      lines.push(`0x${a.toString(16).padStart(16, '0')}:  ${bytes.padEnd(18)}${text}`);
      a += len;
    }
    this.logger.log(lines.join('\n') + '\n');
  }

  /** Run until the first process exits or dies: slices of guest code per thread of every guest
   *  process, with the event loop turning between them now and then (host signals reach the guest
   *  that way). The machine of the task scheduled runs it. */
  async run(): Promise<RunResult> {
    const sched = this.sched;
    const unforward = forwardHostSignals(this.linux.process);
    try {
      let lastYield = nowMs();
      for (;;) {
        let s = sched.schedule();
        while (s === 'idle') {
          if (await sched.idle()) lastYield = nowMs();
          else if (nowMs() - lastYield > YIELD_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            lastYield = nowMs();
          }
          s = sched.schedule();
        }
        if (s !== 'run') return s;
        const m = sched.current.m;
        const budget = sched.budget();
        const i0 = m.rt.instret;
        const t0 = nowMs();
        const r = m.runSlice(budget);
        if (r) {
          const end = sched.life.ended(m, r);
          if (end) return end;
          continue;
        }
        const t1 = nowMs();
        sched.account(budget, m.rt.instret - i0, t1 - t0);
        if (t1 - lastYield > YIELD_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = nowMs();
        }
      }
    } finally {
      unforward();
    }
  }

  /** Run the current task (one of this machine's) for about `budget` guest instructions, or
   *  until it blocks, yields or exits. Returns the result if its process ended, else null (the
   *  scheduler decides what runs next). */
  runSlice(budget: number): RunResult | null {
    const first = this.enterTask();
    if (first !== CONTINUE) return first === SWITCH ? null : first;
    const rt = this.rt;
    const jc = this.jc;
    const logExec = this.logger.on('exec');
    let pc = this.pc;
    const end = rt.instret + budget;
    this.schedArea.startSlice(end);
    // (debugged machines run debugRun; a logged run has no arena)
    const arena = this.breakpoints.size === 0 ? this.arena : null;
    let inArena = false;
    for (;;) {
      let slot = jcSlot(pc);
      let blk = jc[slot];
      try {
        if (blk === undefined || blk.ir.pc !== pc) {
          blk = this.blocks.get(pc);
          // (a pc where the arena has no records nearby is never the arena's: no call for it)
          if (blk === undefined && arena !== null && arena.covers(pc)) {
            inArena = true;
            pc = arena.run(pc, end, this.tier1?.startInsns ?? 0);
            slot = jcSlot(pc);
            inArena = false;
            // Then the engine's block at the pc it stopped at, unless it stopped for an exit or the
            // budget (or at the gate: the next turn looks again, once the hot blocks are ours).
            if (arena.stop === ArenaStop.GATE) {
              this.takeHot(arena);
            } else if (rt.exit === Exit.None && rt.instret < end) {
              blk = this.blocks.get(pc) ?? this.translate(pc);
              if (arena.stop === ArenaStop.HOT) blk.heat = arena.heat(pc);
            }
          } else if (blk === undefined) {
            blk = this.translate(pc);
          }
          if (blk !== undefined) jc[slot] = blk;
        }
        if (blk !== undefined) {
          if (logExec) this.logger.log(`Trace 0: 0x0 [00000000/${pc.toString(16).padStart(16, '0')}/00000000/00000000] `);
          if (++blk.heat === HOT_THRESHOLD && this.tier1 !== null) this.tier1.onHot(blk);
          pc = blk.run();
          rt.instret += blk.ir.ninsns;
        }
        if (rt.exit !== Exit.None) {
          const exit = rt.exit;
          rt.exit = Exit.None;
          this.pc = pc;
          let o: Outcome;
          if (exit === Exit.Syscall) o = this.syscall();
          else if (exit === Exit.FlushCode) o = (this.flushCode(), CONTINUE);
          else o = this.fault(new GuestSignal(rt.trapSignal, rt.trapCode, rt.trapAddr), pc);
          if (o !== CONTINUE) return o === SWITCH ? null : o;
          pc = this.pc;
        }
        if (rt.instret >= end) {
          this.pc = pc;
          return null;
        }
      } catch (e) {
        if (!(e instanceof GuestSignal)) throw e;
        // A fault inside a block (its pc recorded by the block or the arena), or at fetch of pc itself.
        const at = inArena || (blk !== undefined && blk.ir.pc === pc) ? rt.faultPc : pc;
        inArena = false;
        const o = this.fault(e, at);
        if (o !== CONTINUE) return o === SWITCH ? null : o;
        pc = this.pc;
      }
    }
  }

  /** The blocks hot in the arena become the engine's, and tier 1's hot blocks: tier 1 starts. */
  private takeHot(arena: EvalArena): void {
    for (const pc of arena.hotPcs()) {
      const blk = this.blocks.get(pc) ?? this.translate(pc);
      if (blk.heat >= HOT_THRESHOLD) continue;
      blk.heat = HOT_THRESHOLD;
      this.tier1?.onHot(blk);
    }
  }

  /** The current task is about to run: its blocked syscall's result, then pending signals. */
  private enterTask(): Outcome {
    this.sched.applyResult();
    const r = this.signals.deliverPending();
    if (r) return r;
    return this.linux.process.stopped ? SWITCH : CONTINUE;
  }

  /** A synchronous signal at pc: delivered to the running thread (ends the process if fatal). */
  private fault(e: GuestSignal, at: number): Outcome {
    const sig = e.signal === Sig.ILL && e.addr === 0 ? new GuestSignal(e.signal, e.code, at) : e;
    if (this.logger.on('int')) this.logger.log(`crossrun: signal ${sig.signal} at pc 0x${at.toString(16)} (addr 0x${sig.addr.toString(16)})`);
    return this.signals.fault(sig, at) ?? (this.linux.process.stopped ? SWITCH : CONTINUE);
  }

  /** Run the syscall the registers ask for (this.pc is past the syscall instruction): its result
   *  into the result register, or the thread blocks, exits, or returns from a signal handler; then
   *  the signals the thread may take now. */
  private syscall(): Outcome {
    const { rt, arch } = this;
    const abi = arch.syscallAbi;
    const S = rt.S;
    const nr = Number(S[abi.nrSlot] & 0xffffffffn);
    const args = abi.argSlots.map((s) => S[s]);
    try {
      const r = this.linux.syscall(nr, args);
      S[abi.retSlot] = r;
      this.signals.syscallReturned(r);
    } catch (e) {
      if (e instanceof Block) {
        this.sched.block(e.wait);
        return SWITCH;
      }
      if (e instanceof ThreadExit) {
        this.sched.exitCurrent();
        return SWITCH;
      }
      if (e instanceof ImageReplaced) return SWITCH; // the new image's task runs next
      if (e instanceof ProcessExit) return exitResult(e);
      if (e instanceof SigreturnRequest) {
        const r = this.signals.sigreturn();
        if (r) return r;
      } else if (e instanceof GuestSignal) {
        // A handler that raised a signal the old way: its result stands, the signal is queued.
        S[abi.retSlot] = this.linux.lastSignalResult;
        const p = this.linux.process;
        sendSignal(p, { signo: p.sig.fromGeneric(e.signal), code: e.code, kind: 'kill', pid: p.pid, uid: p.uid }, p.current);
      } else {
        throw e;
      }
    }
    const r = this.signals.deliverPending();
    if (r) return r;
    return this.sched.yieldRequested ? SWITCH : CONTINUE;
  }

  /** Run like run(), for a debugger: stop at breakpoints, watched accesses and synchronous signals,
   *  after one instruction when stepping, or after `budget` blocks (so the caller can serve its
   *  event loop). Continues at this.pc and leaves the pc to continue at there. Threads are
   *  scheduled as in run(); when all of them wait, it waits (briefly) and returns 'budget'.
   *  Tier 0 only: a tier-1 region runs many blocks without returning, past breakpoints. */
  debugRun(step: boolean, budget: number): DebugStop {
    const s = this.sched.schedule();
    if (s === 'idle') {
      this.sched.idleSync(10);
      return { kind: 'budget' };
    }
    if (s !== 'run') return { kind: 'exited', result: s };
    const m = this.sched.current.m;
    if (m !== this) {
      // Another guest process (a fork child, or this one after execve): it runs undebugged.
      const r = m.runSlice(budget * 64);
      const end = r === null ? null : this.sched.life.ended(m, r);
      return end === null ? { kind: 'budget' } : { kind: 'exited', result: end };
    }
    const first = this.enterTask();
    if (first !== CONTINUE) return first === SWITCH ? { kind: 'budget' } : { kind: 'exited', result: first };
    this.schedArea.startSlice(this.rt.instret + budget * 64); // budget is in blocks here
    return this.debugSlice(step, budget);
  }

  /** debugRun's loop over the current task's blocks. */
  private debugSlice(step: boolean, budget: number): DebugStop {
    const rt = this.rt;
    const jc = this.jc;
    const bps = this.breakpoints;
    let pc = this.pc;
    let blk: CompiledBlock | undefined;
    try {
      for (let n = 0; n < budget; n++) {
        if (step) {
          blk = this.stepBlock(pc);
        } else {
          if (bps.has(pc)) return this.stopAt(pc, { kind: 'breakpoint', pc });
          const slot = jcSlot(pc);
          blk = jc[slot];
          if (blk === undefined || blk.ir.pc !== pc) {
            blk = this.blocks.get(pc) ?? this.translate(pc);
            jc[slot] = blk;
          }
        }
        pc = blk.run();
        rt.instret += blk.ir.ninsns;
        if (rt.exit !== Exit.None) {
          const exit = rt.exit;
          rt.exit = Exit.None;
          this.pc = pc;
          if (exit === Exit.Syscall) {
            const o = this.syscall();
            if (o === SWITCH) return { kind: 'budget' };
            if (o !== CONTINUE) {
              const end = this.sched.life.ended(this, o);
              return end === null ? { kind: 'budget' } : { kind: 'exited', result: end };
            }
            pc = this.pc;
          } else if (exit === Exit.FlushCode) {
            this.flushCode();
          } else {
            // The trap's pc is the trapping instruction (ebreak, brk, illegal): report it there.
            const sig = new GuestSignal(rt.trapSignal, rt.trapCode, rt.trapAddr);
            return this.stopAt(pc, { kind: 'signal', pc, signal: sig, synchronous: true });
          }
        }
        if (step) return this.stopAt(pc, { kind: 'step', pc });
      }
      this.pc = pc;
      return { kind: 'budget' };
    } catch (e) {
      if (e instanceof ProcessExit) return { kind: 'exited', result: exitResult(e) };
      const at = blk !== undefined && blk.ir.pc === pc ? rt.faultPc : pc;
      if (e instanceof WatchHit) {
        if (!e.after) return this.stopAt(at, { kind: 'watch', pc: at, hit: e });
        // Complete the instruction with the hook off, then report.
        const hook = rt.watch;
        rt.watch = null;
        this.pc = at;
        try {
          const r = this.debugSlice(true, 1);
          return r.kind === 'step' ? { kind: 'watch', pc: r.pc, hit: e } : r;
        } finally {
          rt.watch = hook;
        }
      }
      if (!(e instanceof GuestSignal)) throw e;
      const sig = e.signal === Sig.ILL && e.addr === 0 ? new GuestSignal(e.signal, e.code, at) : e;
      return this.stopAt(at, { kind: 'signal', pc: at, signal: sig, synchronous: true });
    }
  }

  private stopAt(pc: number, stop: DebugStop): DebugStop {
    this.pc = pc;
    return stop;
  }

  /** Deliver a signal the debugger lets through (or sends). Returns the run's result if it ends
   *  the process; the guest continues at this.pc otherwise. */
  deliver(sig: GuestSignal, synchronous: boolean): RunResult | null {
    return this.signals.inject(sig, synchronous);
  }
}

/** Marks the pages of [start, end) in a per-page table. */
function mark(pages: Uint8Array, start: number, end: number): void {
  pages.fill(1, start >>> 12, ((end - 1) >>> 12) + 1);
}

/** Whether a page of [start, end) is marked in a per-page table. */
function covers(pages: Uint8Array, start: number, end: number): boolean {
  if (!(end > start)) return false;
  // (a view of just those pages: indexOf from start alone would scan to the table's end)
  return pages.subarray(start >>> 12, ((end - 1) >>> 12) + 1).indexOf(1) >= 0;
}

/** Blocks further apart than this start a new span of code in codeSpans. */
const SPAN_GAP = 64 * 1024;

/** The spans of memory that blocks at `pcs` (ascending; block i is size(i) bytes) cover: one per
 *  run of blocks less than SPAN_GAP apart. One span from the first block to the last covered a
 *  Go program's heap (a stored block sat far above the program, in the signal trampoline page of
 *  the run that stored it, where the Go runtime reserves and releases heap before its first
 *  signal): each of those munmaps then dropped every translation (131 flushes in a run of the
 *  goroutines fixture), and would still make the arena check its records again. */
export function codeSpans(pcs: ArrayLike<number>, size: (i: number) => number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < pcs.length; i++) {
    const start = pcs[i];
    const end = start + size(i);
    const last = spans[spans.length - 1];
    if (last !== undefined && start - last.end < SPAN_GAP) last.end = Math.max(last.end, end);
    else spans.push({ start, end });
  }
  return spans;
}

/** The run's result for an exit_group (or a host program's end). */
function exitResult(e: ProcessExit): RunResult {
  return e.signal !== undefined ? { exitCode: 128 + e.signal, signal: e.signal } : { exitCode: e.code & 0xff };
}
