// The region compiler's core: one region's IR blocks → one wasm function body (the shape is
// described in compile.ts). Guest registers live in locals; temps get locals by liveness or are
// forwarded; loops get their own wasm `loop` (spans.ts); memory accesses are checked inline.
import type { BinOp, IntTy, IRBlock, MemSize, Op as IROp, RmArg, Temp } from '../ir.js';
import { Code, Op, VT } from './encoder.js';
import { AMO_FNS, FBIN_FNS, FCMP_FNS, type ImportName } from './imports.js';
import { Layout, Perm } from '../../mem/address-space.js';
import { IND_BASE, IND_COUNT, IND_FROM, IND_TARGET, REGION_BLOCK_BITS, Slot, Why } from './layout.js';
import { emitJcSet, emitLookup } from './jump-cache.js';
import type { Region } from './region.js';
import { buildSpans, type Span } from './spans.js';
import { defs, SINKABLE, uses } from './ir-uses.js';
import { memGroups, type MemGroup } from './mem-groups.js';
import { FlagKind, lazyFlags, type LazyFlags } from './flag-quads.js';
import { MAX_HELPER_ARGS } from '../helpers.js';
import { emitFpNative, type FpNativeCtx } from './fp-native.js';
import { LabelledCode } from './labelled-code.js';
import { mulhSigned } from './mulh64.js';
import { floatPlan, noFloats, signOp, type FloatPlan } from './float-locals.js';
import { f64Value } from '../fpu-format.js';
import { regFlow, setForest, type RegFlow, type SetForest } from './reg-flow.js';
import type { CompileOptions, Helpers } from './compile.js';

const BIN64: Partial<Record<BinOp, Op>> = {
  add: Op.i64_add, sub: Op.i64_sub, mul: Op.i64_mul, and: Op.i64_and, or: Op.i64_or, xor: Op.i64_xor,
  shl: Op.i64_shl, shrl: Op.i64_shr_u, shra: Op.i64_shr_s, rotl: Op.i64_rotl, rotr: Op.i64_rotr,
  eq: Op.i64_eq, ne: Op.i64_ne, lts: Op.i64_lt_s, ltu: Op.i64_lt_u, les: Op.i64_le_s, leu: Op.i64_le_u,
};
const BIN32: Partial<Record<BinOp, Op>> = {
  add: Op.i32_add, sub: Op.i32_sub, mul: Op.i32_mul, and: Op.i32_and, or: Op.i32_or, xor: Op.i32_xor,
  shl: Op.i32_shl, shrl: Op.i32_shr_u, shra: Op.i32_shr_s, rotl: Op.i32_rotl, rotr: Op.i32_rotr,
  eq: Op.i32_eq, ne: Op.i32_ne, lts: Op.i32_lt_s, ltu: Op.i32_lt_u, les: Op.i32_le_s, leu: Op.i32_le_u,
};


/** Targets an indirect jump tests for before it leaves the region. */
const MAX_JUMP_TESTS = 12;

export class RegionEmitter extends LabelledCode implements FpNativeCtx {
  readonly hwFma: boolean;
  private readonly blocks: readonly IRBlock[];
  private readonly index = new Map<number, number>();
  /** Guest state slot → local holding it: i64, or f64 for the plan's float registers. */
  private readonly regs = new Map<number, number>();
  /** Values held as f64 (float-locals.ts). */
  private readonly floats: FloatPlan;
  /** Per temp of the current block: 1 if held in an f64 local. */
  private ft: Uint8Array = new Uint8Array(0);
  private readonly pool: Record<IntTy | 'f64', number[]> = { i32: [], i64: [], f64: [] };
  private readonly entryL = 0;
  readonly base: number;
  readonly exitBase: number;
  /** The pc of a block leaving by an indirect jump (0: another exit), for the tier's statistics. */
  readonly from: number;
  private readonly jumpTargets: ReadonlyMap<number, readonly number[]>;
  /** RegionShape.learns. */
  private readonly learns: boolean;
  /** Guest instructions left before the budget (LIMIT − ICOUNT; the function's second
   *  parameter): counted down per block; the count itself is LIMIT − left, computed where needed
   *  (exit, counters). */
  readonly left: number;
  readonly npc: number;
  readonly why: number;
  readonly idx: number;
  readonly a32: number;
  /** A page-table byte (pageTest). */
  private readonly pbits: number;
  // Per block, per temp: where its value lives.
  private tl: number[] = [];
  private types: IntTy[] = [];
  /** Constant temps, emitted at each use. */
  private konst: (bigint | undefined)[] = [];
  /** Temps that are a guest register read, used while the register is unchanged: read the
   *  register local at each use. */
  private fwd: (number | undefined)[] = [];
  /** Temps whose only use is the next op's `set`: their op writes the register local directly. */
  private sink: (number | undefined)[] = [];
  private readonly root!: Span;
  private readonly spanOf!: Span[];
  /** Accesses one check covers (mem-groups.ts), by op, and per block; the groups whose leader
   *  tested the span (their accesses need no test). */
  private readonly groups = new Map<IROp, MemGroup>();
  private readonly groupsOf = new Map<IRBlock, Set<MemGroup>>();
  private readonly groupsTested = new Set<MemGroup>();
  /** Lazy condition flags (flag-quads.ts), or null; their operand and kind locals; per block,
   *  temps that read a flag written earlier in the block, and the value written. */
  private readonly lazy: LazyFlags | null;
  private readonly lazySlots: ReadonlySet<number>;
  private readonly fa: number = -1;
  private readonly fb: number = -1;
  private readonly fk: number = -1;
  private alias: (Temp | undefined)[] = [];
  /** FP flags temps that accrue into a guest register: that register's slot. */
  private accrual: (number | undefined)[] = [];
  /** The `or` temps of those accruals: FP ops or their flags into the register themselves, only
   *  where flags may be set (fp-native.ts), so the `or` and its `set` emit nothing. */
  private absorbed = new Set<Temp>();
  /** Guest pc of the instruction being emitted and its index in the block. */
  pc = 0;
  private insn = -1;
  private blockInsns = 0;
  /** No effect of the current instruction is visible yet (it may be re-run from the start). */
  private restartable = true;
  /** Return sites targeted by indirect jumps that we test inline. */
  private readonly returnSites: number[];
  /** Registers loaded per entry and stored per exit (reg-flow.ts); the sets as label trees; per
   *  block, per op (and terminator), the store tree's node an exit there goes to. */
  private readonly flow: RegFlow;
  private readonly loads: SetForest;
  private readonly stores: SetForest;
  private readonly exitNodes: (number | undefined)[][];
  /** The store node of the op being emitted. */
  private exitNode: number | undefined;

  constructor(
    region: Region,
    readonly imp: Record<ImportName, number>,
    private readonly helpers: Helpers,
    readonly opts: CompileOptions,
    private readonly regionType: number,
  ) {
    super(new Code(2));
    this.blocks = region.blocks;
    this.hwFma = opts.hwFma ?? false;
    this.blocks.forEach((b, i) => this.index.set(b.pc, i));
    const c = this.c;
    this.base = c.local(VT.i32);
    this.exitBase = c.local(VT.i32);
    this.from = c.local(VT.i32);
    this.jumpTargets = region.jumpTargets ?? new Map();
    this.learns = region.learns === true;
    this.left = 1;
    this.npc = c.local(VT.i32);
    this.why = c.local(VT.i32);
    this.idx = c.local(VT.i32);
    this.a32 = c.local(VT.i32);
    this.pbits = c.local(VT.i32);
    for (const b of this.blocks) {
      const gs = memGroups(b);
      for (const [op, g] of gs) this.groups.set(op, g);
      this.groupsOf.set(b, new Set(gs.values()));
    }
    this.lazy = opts.lazyFlags !== false ? lazyFlags(this.blocks) : null;
    this.lazySlots = new Set(this.lazy?.slots ?? []);
    this.floats = opts.floatLocals === false ? noFloats(this.blocks) : floatPlan(this.blocks, this.lazySlots);
    for (const b of this.blocks) {
      for (const op of b.ops) {
        if (op.op === 'get' || op.op === 'set') {
          if (!this.regs.has(op.slot)) this.regs.set(op.slot, c.local(this.floats.regs.has(op.slot) ? VT.f64 : VT.i64));
        }
      }
    }
    if (this.lazy !== null) {
      this.fa = c.local(VT.i64);
      this.fb = c.local(VT.i64);
      this.fk = c.local(VT.i32);
    }
    ({ root: this.root, spanOf: this.spanOf } = buildSpans(this.blocks, this.index));
    // Return sites: blocks right after a block that leaves unconditionally (calls return there).
    const sites: number[] = [];
    for (const b of this.blocks) {
      const after = b.pc + b.size;
      if ((b.end.op === 'goto' || b.end.op === 'jump') && this.index.has(after) && !sites.includes(after)) sites.push(after);
    }
    this.returnSites = sites;
    const succ = this.blocks.map((b) => this.inRegionSuccessors(b));
    this.flow = regFlow(this.blocks, succ, this.lazySlots);
    this.loads = setForest(this.flow.liveIn);
    const exitSets = this.flow.exitSets.flat().filter((x) => x !== undefined);
    this.stores = setForest(exitSets);
    let n = 0;
    this.exitNodes = this.flow.exitSets.map((at) => at.map((x) => (x === undefined ? undefined : this.stores.nodeOf[n++])));
  }

  /** Blocks (indices) this block may go to without leaving the region. */
  private inRegionSuccessors(b: IRBlock): number[] {
    const e = b.end;
    const pcs = e.op === 'goto' ? [e.pc] : e.op === 'branch' ? [e.taken, e.fall] : e.op === 'jump' ? this.jumpSites(b) : [];
    return pcs.flatMap((pc) => {
      const k = this.index.get(pc);
      return k === undefined ? [] : [k];
    });
  }

  /** The region blocks an indirect jump at the end of `b` tests for, in order: targets seen
   *  there before, then the region's return sites. */
  private jumpSites(b: IRBlock): number[] {
    const seen = (this.jumpTargets.get(b.pc) ?? []).filter((p) => this.index.has(p));
    return [...seen, ...this.returnSites.filter((p) => !seen.includes(p))].slice(0, MAX_JUMP_TESTS);
  }

  // ---- the function

  emit(): Code {
    const c = this.c;
    c.i32(0).mem(Op.i32_load, Slot.STATE_BASE).set(this.base);
    // The registers the entry block needs (reg-flow.ts): a tree of loads, entered by block.
    this.begin(Op.block, 'loaded');
    this.emitTree('L', this.loads, () => {
      if (this.loads.nodes.length === 1) return; // every entry loads the same: fall into it
      const table = this.flow.liveIn.map((_, k) => this.depth(`L${this.loads.nodeOf[k]}`));
      c.get(this.entryL).brTable(table, table[table.length - 1]);
    }, (slot, l, f64) => c.get(this.base).mem(f64 ? Op.f64_load : Op.i64_load, slot * 8).set(l), 'loaded');
    this.end();
    c.get(this.entryL).set(this.idx);
    if (this.lazy !== null) c.i32(FlagKind.NONE).set(this.fk);
    // Each exit goes to the node of the registers it stores, which stores them, and so on to
    // the root of its tree.
    this.begin(Op.block, 'exit');
    this.emitTree('X', this.stores, () => {
      this.emitSpan(this.root);
      c.op(Op.unreachable); // the last block never falls through
    }, (slot, l, f64) => c.get(this.exitBase).get(l).mem(f64 ? Op.f64_store : Op.i64_store, slot * 8), 'exit', () => {
      // (the base again from memory: one register less held through the region's loops)
      c.i32(0).mem(Op.i32_load, Slot.STATE_BASE).set(this.exitBase);
    });
    this.end();
    // $exit: the flags if they changed (FlagKind), record, return.
    if (this.lazy !== null) {
      c.get(this.fk).begin(Op.if);
      this.flushFlags();
      c.i32(0).mem(Op.i32_load, Slot.STATE_BASE).set(this.exitBase);
      for (const slot of this.lazy.slots) c.get(this.exitBase).get(this.regs.get(slot) as number).mem(Op.i64_store, slot * 8);
      c.end();
    }
    if (this.learns) {
      // An indirect jump out: count it against its target's jump-cache set, with where it came from.
      c.get(this.from).begin(Op.if);
      emitJcSet(c, this.npc);
      c.i32(4).op(Op.i32_shl).tee(this.a32);
      c.get(this.a32).mem(Op.i32_load, IND_BASE + IND_COUNT).i32(1).op(Op.i32_add).mem(Op.i32_store, IND_BASE + IND_COUNT);
      c.get(this.a32).get(this.from).mem(Op.i32_store, IND_BASE + IND_FROM);
      c.get(this.a32).get(this.npc).mem(Op.i32_store, IND_BASE + IND_TARGET);
      c.end();
    }
    if (this.opts.chain !== false) {
      // Chain: a plain exit within the budget whose pc the jump cache knows tail-calls that
      // region (the dispatcher's work, without returning to it), passing the budget on.
      c.get(this.why).op(Op.i32_eqz).begin(Op.if);
      c.get(this.left).i64(0).op(Op.i64_gt_s).begin(Op.if);
      emitLookup(c, this.npc, this.a32, () => {
        c.set(this.idx);
        c.get(this.idx).i32((1 << REGION_BLOCK_BITS) - 1).op(Op.i32_and).get(this.left);
        c.get(this.idx).i32(REGION_BLOCK_BITS).op(Op.i32_shr_u).returnCallIndirect(this.regionType);
      });
      c.end();
      c.end();
    }
    c.i32(0).i32(0).mem(Op.i64_load, Slot.LIMIT).get(this.left).op(Op.i64_sub).mem(Op.i64_store, Slot.ICOUNT);
    c.i32(0).get(this.why).mem(Op.i32_store, Slot.WHY);
    c.get(this.npc);
    return c;
  }

  /**
   * A nest of labels, one per node of `forest` (outermost first), around `core`; after each
   * label's end, that node's code: `move` for each register it adds to its parent's set (after
   * `start`), then on to the parent's code, a root's to `done` (a label enclosing all this).
   */
  private emitTree(prefix: string, forest: SetForest, core: () => void, move: (slot: number, local: number, f64: boolean) => void, done: string, start = () => {}): void {
    const order = forest.order;
    for (let i = order.length - 1; i >= 0; i--) this.begin(Op.block, `${prefix}${order[i]}`);
    core();
    order.forEach((n, i) => {
      this.end();
      const { bits, parent } = forest.nodes[n];
      const own = parent < 0 ? bits.list() : bits.list().filter((r) => !forest.nodes[parent].bits.has(r));
      if (own.length > 0) start();
      for (const r of own) {
        const slot = this.flow.slots[r];
        move(slot, this.regs.get(slot) as number, this.floats.regs.has(slot));
      }
      const next = order[i + 1];
      if (parent >= 0 && parent !== next) this.brTo(`${prefix}${parent}`);
      else if (parent < 0 && next !== undefined) this.brTo(done);
    });
  }

  private emitBlock(k: number): void {
    const ir = this.blocks[k];
    this.blockInsns = ir.ninsns;
    const ops = ir.ops;
    const n = ir.ntemps;
    this.types = ir.types;
    this.ft = this.floats.temps.get(ir) as Uint8Array;
    this.tl = new Array(n);
    this.konst = new Array(n);
    this.fwd = new Array(n);
    this.sink = new Array(n);
    // Liveness: the op index of each temp's last use (ops.length: the terminator), and use counts.
    const last = new Int32Array(n).fill(-1);
    const count = new Int32Array(n);
    const opUses = ops.map((op, i) => {
      const u = uses(op);
      for (const t of u) {
        last[t] = i;
        count[t]++;
      }
      return u;
    });
    const e = ir.end;
    const endUse = e.op === 'jump' ? e.target : e.op === 'branch' ? e.cond : -1;
    if (endUse >= 0) {
      last[endUse] = ops.length;
      count[endUse]++;
    }
    // Lazy flags: a compare's operands are read again where its flag writes are; a flag read
    // after them in the block is the value written.
    this.alias = new Array(n);
    if (this.lazy !== null) {
      const cur = new Map<number, Temp>();
      ops.forEach((op, i) => {
        const q = this.lazy?.quads.get(op);
        if (q !== undefined) {
          for (const t of q.kind === FlagKind.LOGIC ? [q.a] : [q.a, q.b]) {
            last[t] = Math.max(last[t], i);
            count[t] += 2;
          }
        }
        if (op.op === 'set' && this.lazySlots.has(op.slot)) cur.set(op.slot, op.value);
        else if (op.op === 'get' && this.lazySlots.has(op.slot)) {
          const v = cur.get(op.slot);
          if (v === undefined || op.ty !== 'i32') return;
          this.alias[op.out] = v;
          last[v] = Math.max(last[v], last[op.out]);
          count[v] += 2;
        }
      });
    }
    // A group's base is read again by its leader's test.
    for (const g of this.groupsOf.get(ir) as Set<MemGroup>) {
      last[g.root] = Math.max(last[g.root], g.leaderAt);
      count[g.root] += 2; // never sunk into a register
    }
    // Constants inline; register reads forwarded while the register is not set; results that are
    // only stored to a register written straight into it.
    const setsOf = new Map<number, number[]>();
    ops.forEach((op, i) => {
      if (op.op === 'set') (setsOf.get(op.slot) ?? setsOf.set(op.slot, []).get(op.slot)!).push(i);
    });
    ops.forEach((op, i) => {
      if (op.op === 'const') this.konst[op.out] = op.value;
      else if (op.op === 'get' && last[op.out] >= 0 && !this.lazySlots.has(op.slot)) {
        const sets = setsOf.get(op.slot) ?? [];
        if (!sets.some((j) => j > i && j < last[op.out])) this.fwd[op.out] = op.slot;
      }
      const next = ops[i + 1];
      if (SINKABLE.has(op.op) && next !== undefined && next.op === 'set' && next.ty === 'i64' && !this.lazySlots.has(next.slot) && 'out' in op && next.value === op.out && count[op.out] === 1 && this.fwd[op.out] === undefined) {
        this.sink[op.out] = next.slot;
      }
    });
    // FP flags that only accrue into a register: `set S (or (get S) flags)`, S unchanged meanwhile.
    this.accrual = new Array(n);
    this.absorbed = new Set();
    const defAt = new Int32Array(n).fill(-1);
    const useAt = new Int32Array(n).fill(-1);
    ops.forEach((op, i) => {
      for (const t of defs(op)) defAt[t] = i;
      for (const t of opUses[i]) useAt[t] = i;
    });
    ops.forEach((op, i) => {
      const f = 'flags' in op ? op.flags : undefined;
      if (f === undefined || count[f] !== 1) return;
      const j = useAt[f];
      const or = ops[j];
      if (or?.op !== 'bin' || or.fn !== 'or' || or.ty !== 'i32' || count[or.out] !== 1) return;
      const g = or.a === f ? or.b : or.a;
      const get = ops[defAt[g]];
      const m = useAt[or.out];
      const set = ops[m];
      if (get?.op !== 'get' || set?.op !== 'set' || set.slot !== get.slot || set.value !== or.out) return;
      const from = Math.min(i, defAt[g]);
      if ((setsOf.get(get.slot) ?? []).some((x) => x > from && x < m)) return;
      // (no read of S in between: it would see the flags early)
      for (let k = from + 1; k < m; k++) {
        const x = ops[k];
        if (k !== defAt[g] && x.op === 'get' && x.slot === get.slot) return;
      }
      this.accrual[f] = get.slot;
      this.absorbed.add(or.out);
    });
    // Temps that need a local get one by liveness (most die right after their one use), so a
    // region needs a few dozen locals rather than one per temp.
    const free: Record<IntTy | 'f64', number[]> = { i32: [...this.pool.i32], i64: [...this.pool.i64], f64: [...this.pool.f64] };
    const needsLocal = (t: Temp) => this.konst[t] === undefined && this.fwd[t] === undefined && this.sink[t] === undefined && this.alias[t] === undefined;
    const kind = (t: Temp) => (this.ft[t] === 1 ? 'f64' : ir.types[t]);
    const alloc = (t: Temp) => {
      if (!needsLocal(t)) return;
      const ty = kind(t);
      let l = free[ty].pop();
      if (l === undefined) {
        l = this.c.local(ty === 'f64' ? VT.f64 : ty === 'i64' ? VT.i64 : VT.i32);
        this.pool[ty].push(l);
      }
      this.tl[t] = l;
    };
    const release = (t: Temp) => {
      if (needsLocal(t)) free[kind(t)].push(this.tl[t]);
    };
    this.insn = -1;
    this.pc = ir.pc;
    const exitAt = this.exitNodes[k];
    ops.forEach((op, i) => {
      const d = defs(op);
      for (const t of d) alloc(t);
      this.exitNode = exitAt[i];
      this.emitOp(op);
      if (op.op === 'set' || op.op === 'store' || op.op === 'amo' || op.op === 'cas' || op.op === 'll' || op.op === 'sc' || op.op === 'clearReservation') {
        this.restartable = false;
      }
      const u = opUses[i];
      u.forEach((t, j) => {
        if (last[t] === i && u.indexOf(t) === j) release(t);
      });
      for (const t of d) if (last[t] === -1) release(t);
    });
    this.exitNode = exitAt[ops.length];
    this.emitEnd(ir, k);
  }

  // ---- transfers

  /** Branch to the exit for the op being emitted (its registers stored, then out). */
  private brExit(): void {
    if (this.exitNode === undefined) throw new Error(`crossrun internal error: a region exit at ${this.pc.toString(16)} where reg-flow.ts expects none`);
    this.brTo(`X${this.exitNode}`);
  }
  private exitTo(pc: number, why: Why = Why.NONE): void {
    const c = this.c;
    c.i32(pc).set(this.npc);
    if (why !== Why.NONE) c.i32(why).set(this.why);
    this.brExit();
  }
  /** If the i32 on the stack is not 0, an import raised a guest signal at Slot.FAULT_PC: leave. */
  private faultIf(): void {
    this.ifBegin();
    this.c.i32(0).mem(Op.i32_load, Slot.FAULT_PC).set(this.npc).i32(Why.FAULT).set(this.why);
    this.brExit();
    this.ifEnd();
  }
  /** Leave with a fault at the current instruction. */
  exitFault(why: Why): void {
    this.exitTo(this.pc, why);
  }
  private budgetCheck(target: number): void {
    const c = this.c;
    c.get(this.left).i64(0).op(Op.i64_le_s);
    this.ifBegin();
    this.exitTo(target);
    this.ifEnd();
  }
  /** The label a plain `br` from block j reaches block k by, if it is a forward branch to a
   *  block item of their innermost common span (no dispatch needed); else null. */
  private forwardLabel(j: number, k: number): string | null {
    if (k <= j) return null;
    const a = this.lca(j, k);
    const it = a.itemOf[k];
    return a.items[it].kind === 'block' ? `x${a.id}_${it}` : null;
  }
  /** Go to target from block k (falls through only if `mayFall` and the target's code comes next). */
  private goTo(target: number, k: number, mayFall: boolean): void {
    const j = this.index.get(target);
    const c = this.c;
    if (j === undefined) return this.exitTo(target);
    const a = this.lca(k, j);
    if (j > k) {
      const it = a.itemOf[j];
      if (a.items[it].kind === 'block') {
        if (!(mayFall && j === k + 1)) c.br(this.depth(`x${a.id}_${it}`));
        return;
      }
      // into a loop nested here: its dispatch finds j
      c.i32(j).set(this.idx);
      c.br(this.depth(`x${a.id}_${it}`));
      return;
    }
    // backward: to the top of the innermost loop around both, whose dispatch finds j
    this.budgetCheck(target);
    if (a.dispatch) c.i32(j).set(this.idx);
    c.br(this.depth(`S${a.id}`));
  }

  // ---- loop spans

  /** The innermost span holding both blocks. */
  private lca(j: number, k: number): Span {
    let s = this.spanOf[j];
    while (!(s.first <= k && k <= s.last)) s = s.parent as Span;
    return s;
  }

  /** One span: a wasm `loop` whose items (blocks and nested spans, in layout order) follow a
   *  dispatch on $idx; forward branches to items are `br`s to the block labels opened here. */
  private emitSpan(sp: Span): void {
    const c = this.c;
    this.begin(Op.loop, `S${sp.id}`);
    for (let i = sp.items.length - 1; i >= 0; i--) this.begin(Op.block, `x${sp.id}_${i}`);
    if (sp.dispatch) {
      // entered at another block than the first (from outside, or a branch back to one): find it
      const table: number[] = [];
      for (let k = sp.first; k <= sp.last; k++) table.push(this.depth(`x${sp.id}_${sp.itemOf[k]}`));
      if (sp.parent !== null) {
        c.get(this.idx).i32(sp.first).op(Op.i32_ne);
        this.ifBegin();
        c.get(this.idx).i32(sp.first).op(Op.i32_sub).brTable(table.map((d) => d + 1), 1);
        this.ifEnd();
      } else {
        c.get(this.idx).i32(sp.first).op(Op.i32_sub).brTable(table, 0);
      }
    }
    for (const item of sp.items) {
      this.end(); // the item's code follows
      if (item.kind === 'block') this.emitBlock(item.k);
      else this.emitSpan(item.span);
    }
    this.end();
  }

  private emitEnd(ir: IRBlock, k: number): void {
    const c = this.c;
    const e = ir.end;
    c.get(this.left).i64(ir.ninsns).op(Op.i64_sub).set(this.left);
    switch (e.op) {
      case 'goto':
        return this.goTo(e.pc, k, true);
      case 'branch': {
        const jt = this.index.get(e.taken);
        const jf = this.index.get(e.fall);
        this.push(e.cond);
        const lt = jt === undefined ? null : this.forwardLabel(k, jt);
        if (lt !== null) {
          c.brIf(this.depth(lt));
          return this.goTo(e.fall, k, true);
        }
        const lf = jf === undefined ? null : this.forwardLabel(k, jf);
        if (lf !== null) {
          c.op(Op.i32_eqz).brIf(this.depth(lf));
          return this.goTo(e.taken, k, true);
        }
        this.ifBegin();
        this.goTo(e.taken, k, false);
        this.ifElse();
        this.goTo(e.fall, k, false);
        this.ifEnd();
        return;
      }
      case 'jump': {
        const t = e.target;
        // ≥ 2^32: the engine reports the fault with the full value.
        this.push(t);
        c.i64(32).op(Op.i64_shr_u).op(Op.i64_eqz).op(Op.i32_eqz);
        this.ifBegin();
        c.i32(0);
        this.push(t);
        c.mem(Op.i64_store, Slot.FAR);
        this.exitTo(0, Why.FAR);
        this.ifEnd();
        this.push(t);
        c.op(Op.i32_wrap_i64).set(this.npc);
        // targets seen here before, then the region's return sites; else leave (noting from where)
        for (const site of this.jumpSites(ir)) {
          c.get(this.npc).i32(site).op(Op.i32_eq);
          this.ifBegin();
          this.goTo(site, k, false);
          this.ifEnd();
        }
        if (this.learns) c.i32(ir.pc).set(this.from);
        this.brExit();
        return;
      }
      case 'syscall':
        return this.exitTo(e.next, Why.SYSCALL);
      case 'flushCode':
        return this.exitTo(e.next, Why.FLUSH);
      case 'trap':
        c.i32(0).i32(e.signal).mem(Op.i32_store, Slot.TRAP_SIG);
        c.i32(0).i32(e.code).mem(Op.i32_store, Slot.TRAP_CODE);
        c.i32(0).i32(e.addr).mem(Op.i32_store, Slot.TRAP_ADDR);
        return this.exitTo(e.pc, Why.TRAP);
    }
  }

  // ---- ops

  /** Push a temp's value. */
  push(n: Temp): void {
    const c = this.c;
    const al = this.alias[n];
    if (al !== undefined) return this.push(al);
    const k = this.konst[n];
    if (k !== undefined) {
      if (this.types[n] === 'i64') c.i64(BigInt.asIntN(64, k));
      else c.i32(Number(BigInt.asIntN(32, k)));
      return;
    }
    const r = this.fwd[n];
    if (r !== undefined) {
      c.get(this.regs.get(r) as number);
      if (this.floats.regs.has(r)) c.op(Op.i64_reinterpret_f64);
      if (this.types[n] === 'i32') c.op(Op.i32_wrap_i64);
      return;
    }
    c.get(this.tl[n]);
    if (this.ft[n] === 1) c.op(Op.i64_reinterpret_f64);
  }
  /** Push an i64 temp's value as an f64 (its bits). */
  pushF64(n: Temp): void {
    const c = this.c;
    const k = this.konst[n];
    if (k !== undefined) {
      const v = f64Value(k); // (the typed array takes k modulo 2^64)
      // (a NaN keeps its exact bits through i64.const; through a JS number it need not)
      if (!Number.isNaN(v)) return void c.f64c(v);
    } else if (this.isF64(n)) {
      const r = this.fwd[n];
      return void c.get(r !== undefined ? (this.regs.get(r) as number) : this.tl[n]);
    }
    this.push(n);
    c.op(Op.f64_reinterpret_i64);
  }
  /** Pop the value on the stack (bits: an i64, or an i32 for i32 temps) into a temp. */
  def(n: Temp): void {
    this.defAs(n, false);
  }
  /** Pop the f64 on the stack into an i64 temp (as its bits). */
  defF64(n: Temp): void {
    this.defAs(n, true);
  }
  /** Pop a value (an f64 if `f64`, else bits) into the temp's place: the register it sinks into or
   *  its local, converted if that holds the other kind (float-locals.ts); dropped if the temp has
   *  no place (a constant or a forwarded register read). */
  private defAs(n: Temp, f64: boolean): void {
    const r = this.sink[n];
    let local: number;
    let holdsF64: boolean;
    if (r !== undefined) {
      local = this.regs.get(r) as number;
      holdsF64 = this.floats.regs.has(r);
    } else if (this.konst[n] === undefined && this.fwd[n] === undefined) {
      local = this.tl[n];
      holdsF64 = this.ft[n] === 1;
    } else {
      this.c.op(Op.drop);
      return;
    }
    if (f64 !== holdsF64) this.c.op(f64 ? Op.i64_reinterpret_f64 : Op.f64_reinterpret_i64);
    this.c.set(local);
  }
  /** Is the temp held as an f64 (pushF64 costs nothing)? */
  isF64(n: Temp): boolean {
    const r = this.fwd[n];
    return this.alias[n] === undefined && (r !== undefined ? this.floats.regs.has(r) : this.ft[n] === 1);
  }
  ty(n: Temp): IntTy {
    return this.types[n];
  }
  accrualReg(flags: Temp): number | undefined {
    const slot = this.accrual[flags];
    return slot === undefined ? undefined : this.regs.get(slot);
  }
  defFlags(flags: Temp): void {
    const acc = this.accrualReg(flags);
    if (acc === undefined) return this.def(flags);
    this.c.op(Op.i64_extend_i32_u).get(acc).op(Op.i64_or).set(acc);
  }

  private emitOp(op: IROp): void {
    const c = this.c;
    switch (op.op) {
      case 'mark':
        this.insn++;
        this.pc = op.pc;
        this.restartable = true;
        return;
      case 'const':
        return; // emitted where used
      case 'get':
        if (this.fwd[op.out] !== undefined || this.alias[op.out] !== undefined) return;
        if (this.lazySlots.has(op.slot)) this.flushFlags();
        c.get(this.regs.get(op.slot) as number);
        if (this.floats.regs.has(op.slot)) {
          // (float registers are read as i64 only)
          this.defF64(op.out);
          return;
        }
        if (op.ty === 'i32') c.op(Op.i32_wrap_i64);
        this.def(op.out);
        return;
      case 'set':
        if (this.lazy?.setOps.has(op)) {
          // a compare's flags: keep its operands
          const q = this.lazy.quads.get(op);
          if (q === undefined) return;
          const operand = (t: Temp, l: number) => {
            this.push(t);
            if (q.is32) c.op(Op.i64_extend_i32_u).i64(32).op(Op.i64_shl);
            c.set(l);
          };
          operand(q.a, this.fa);
          if (q.kind !== FlagKind.LOGIC) operand(q.b, this.fb);
          c.i32(q.kind).set(this.fk);
          return;
        }
        if (this.sink[op.value] !== undefined) return; // already in the register
        if (this.absorbed.has(op.value)) return; // FP flags, or-ed in already
        if (this.floats.regs.has(op.slot)) {
          // (float registers are written as i64 only)
          this.pushF64(op.value);
        } else {
          this.push(op.value);
          if (op.ty === 'i32') c.op(Op.i64_extend_i32_u);
        }
        c.set(this.regs.get(op.slot) as number);
        return;
      case 'bin': {
        if (this.absorbed.has(op.out)) return;
        const fs = signOp(op, this.konst);
        if (fs !== null && (this.ft[op.out] === 1 || this.isF64(fs.x))) {
          this.pushF64(fs.x);
          c.op(fs.fn === 'neg' ? Op.f64_neg : Op.f64_abs);
          this.defF64(op.out);
          return;
        }
        this.emitBin(op.fn, op.ty, op.a, op.b);
        this.def(op.out);
        return;
      }
      case 'un':
        this.push(op.a);
        this.emitUn(op.fn, op.ty);
        this.def(op.out);
        return;
      case 'wrap':
        this.push(op.a);
        c.op(Op.i32_wrap_i64);
        this.def(op.out);
        return;
      case 'extend':
        this.push(op.a);
        c.op(op.signed ? Op.i64_extend_i32_s : Op.i64_extend_i32_u);
        this.def(op.out);
        return;
      case 'sext':
        this.push(op.a);
        if (op.ty === 'i64') c.op(op.bits === 8 ? Op.i64_extend8_s : op.bits === 16 ? Op.i64_extend16_s : Op.i64_extend32_s);
        else if (op.bits !== 32) c.op(op.bits === 8 ? Op.i32_extend8_s : Op.i32_extend16_s);
        this.def(op.out);
        return;
      case 'select':
        this.push(op.a);
        this.push(op.b);
        this.push(op.cond);
        c.op(Op.select);
        this.def(op.out);
        return;
      case 'load':
        this.emitLoad(op);
        return;
      case 'store':
        this.emitStore(op);
        return;
      case 'amo':
      case 'cas':
      case 'll':
      case 'sc':
        this.emitAtomic(op);
        return;
      case 'clearReservation':
        c.i32(0).i32(0).mem(Op.i32_store, Slot.RES_ADDR1); // (the reservation is in memory: emitAtomicInline)
        return;
      case 'fbin':
      case 'fsqrt':
      case 'ffma':
      case 'fcmp':
      case 'f2i':
      case 'i2f':
      case 'f2f':
        this.emitFp(op);
        return;
      case 'fclass':
        this.push(op.a);
        c.call(op.fmt === 'f32' ? this.imp.fclass32 : this.imp.fclass64);
        this.def(op.out);
        return;
      case 'helper':
        c.i32(op.id);
        for (let i = 0; i < MAX_HELPER_ARGS; i++) {
          if (i < op.args.length) this.push(op.args[i]);
          else c.i64(0);
        }
        c.call(this.imp.helper);
        this.def(op.out2); // the second result is on top
        this.def(op.out);
        return;
      case 'counter':
        if (op.which === 'time') c.call(this.imp.time);
        else c.i32(0).mem(Op.i64_load, Slot.LIMIT).get(this.left).op(Op.i64_sub).i64(this.insn < 0 ? 0 : this.insn).op(Op.i64_add);
        this.def(op.out);
        return;
    }
  }

  /** Lazy flags: compute N, Z, C, V into their locals from the operands kept, if not done. */
  private flushFlags(): void {
    const lz = this.lazy;
    if (lz === null) return;
    const c = this.c;
    const [nl, zl, cl, vl] = lz.slots.map((sl) => this.regs.get(sl) as number);
    const { fa, fb, fk } = this;
    const res = this.scratchLocal(VT.i64, 2);
    const put = (l: number) => c.op(Op.i64_extend_i32_u).set(l);
    c.get(fk).i32(3).op(Op.i32_and);
    this.ifBegin();
    c.get(fk).i32(FlagKind.LOGIC).op(Op.i32_eq);
    this.ifBegin();
    c.get(fa).i64(0).op(Op.i64_lt_s);
    put(nl);
    c.get(fa).op(Op.i64_eqz);
    put(zl);
    c.i64(0).set(cl).i64(0).set(vl);
    this.ifElse();
    c.get(fk).i32(FlagKind.SUB).op(Op.i32_eq);
    this.ifBegin();
    // a - b: C = b ≤ a unsigned; V = (a < b signed) ≠ N
    c.get(fa).get(fb).op(Op.i64_sub).tee(res).i64(0).op(Op.i64_lt_s);
    put(nl);
    c.get(fa).get(fb).op(Op.i64_eq);
    put(zl);
    c.get(fb).get(fa).op(Op.i64_le_u);
    put(cl);
    c.get(fa).get(fb).op(Op.i64_lt_s).get(res).i64(0).op(Op.i64_lt_s).op(Op.i32_xor);
    put(vl);
    this.ifElse();
    // a + b: C = sum < a unsigned; V = (sum < a signed) ≠ (b < 0)
    c.get(fa).get(fb).op(Op.i64_add).tee(res).i64(0).op(Op.i64_lt_s);
    put(nl);
    c.get(res).op(Op.i64_eqz);
    put(zl);
    c.get(res).get(fa).op(Op.i64_lt_u);
    put(cl);
    c.get(res).get(fa).op(Op.i64_lt_s).get(fb).i64(0).op(Op.i64_lt_s).op(Op.i32_xor);
    put(vl);
    this.ifEnd();
    this.ifEnd();
    c.i32(FlagKind.DIRTY).set(fk);
    this.ifEnd();
  }

  private emitBin(fn: BinOp, ty: IntTy, a: Temp, b: Temp): void {
    const c = this.c;
    const is64 = ty === 'i64';
    const simple = (is64 ? BIN64 : BIN32)[fn];
    if (simple !== undefined) {
      this.push(a);
      this.push(b);
      c.op(simple);
      return;
    }
    const T = is64 ? VT.i64 : VT.i32;
    const zero = () => (is64 ? c.i64(0) : c.i32(0));
    const eqz = is64 ? Op.i64_eqz : Op.i32_eqz;
    switch (fn) {
      case 'mulhu':
      case 'mulhs':
      case 'mulhsu':
        if (!is64) {
          this.push(a);
          c.op(fn === 'mulhu' ? Op.i64_extend_i32_u : Op.i64_extend_i32_s);
          this.push(b);
          c.op(fn === 'mulhs' ? Op.i64_extend_i32_s : Op.i64_extend_i32_u);
          c.op(Op.i64_mul).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
          return;
        }
        this.push(a);
        this.push(b);
        c.call(this.helpers.mulhu64);
        mulhSigned(c, fn, () => this.push(a), () => this.push(b));
        return;
      case 'divu':
      case 'remu':
        // x/0 = 0, x%0 = x
        this.push(b);
        c.op(eqz);
        this.ifBegin(T);
        if (fn === 'divu') zero();
        else this.push(a);
        this.ifElse();
        this.push(a);
        this.push(b);
        c.op(is64 ? (fn === 'divu' ? Op.i64_div_u : Op.i64_rem_u) : fn === 'divu' ? Op.i32_div_u : Op.i32_rem_u);
        this.ifEnd();
        return;
      case 'divs':
        // x/0 = 0; x/-1 = -x (MIN/-1 = MIN, wrapping)
        this.push(b);
        c.op(eqz);
        this.ifBegin(T);
        zero();
        this.ifElse();
        this.push(b);
        if (is64) c.i64(-1).op(Op.i64_eq);
        else c.i32(-1).op(Op.i32_eq);
        this.ifBegin(T);
        zero();
        this.push(a);
        c.op(is64 ? Op.i64_sub : Op.i32_sub);
        this.ifElse();
        this.push(a);
        this.push(b);
        c.op(is64 ? Op.i64_div_s : Op.i32_div_s);
        this.ifEnd();
        this.ifEnd();
        return;
      case 'rems':
        // x%0 = x; wasm's rem_s gives 0 for MIN % -1 without trapping
        this.push(b);
        c.op(eqz);
        this.ifBegin(T);
        this.push(a);
        this.ifElse();
        this.push(a);
        this.push(b);
        c.op(is64 ? Op.i64_rem_s : Op.i32_rem_s);
        this.ifEnd();
        return;
      default:
        throw new Error(`wasm region: bin ${fn}`);
    }
  }

  /** The operand is on the stack. */
  private emitUn(fn: 'clz' | 'ctz' | 'popcnt' | 'bswap', ty: IntTy): void {
    const c = this.c;
    if (ty === 'i64') {
      if (fn === 'bswap') c.call(this.helpers.bswap64);
      else c.op(fn === 'clz' ? Op.i64_clz : fn === 'ctz' ? Op.i64_ctz : Op.i64_popcnt);
    } else {
      if (fn === 'bswap') c.call(this.helpers.bswap32);
      else c.op(fn === 'clz' ? Op.i32_clz : fn === 'ctz' ? Op.i32_ctz : Op.i32_popcnt);
    }
  }

  // ---- memory

  /**
   * Leaves the checked 32-bit address in this.a32, or leaves the region with the fault. Inline:
   * below 2^32, page permission from the page table, and not crossing into a page that does
   * not allow it; any doubt goes to tier 0 (RESTART) or memSlow, which run tier 0's own check.
   * The accesses of a group (mem-groups.ts) share their leader's test of the group's span.
   *
   * No page cache: a per-base-register cache of the last page checked (a local) cost more than
   * the page-table load it saved (measured, perf stat task-clock, 3 runs each: bench strings
   * (riscv64) 3.31 → 2.97 s, aarch64 sort 2.75 → 2.49 s, fib 0.60 → 0.59 s): the caches are
   * live across the whole region, and V8 keeps most of them in stack slots.
   */
  private checkAddr(op: IROp, addr: Temp, size: MemSize, need: number): void {
    const g = this.groups.get(op);
    if (g !== undefined && g.leader === op && this.restartable) {
      // Nothing of the leader's instruction has happened: test the group's span exactly and,
      // if any of it may not be accessed, let tier 0 run from there (it faults at the right
      // access, or gets past a page edge). Then no access of the group needs a test of its own.
      this.groupsTested.add(g);
      this.blockBegin('gok');
      this.blockBegin('gfail');
      const t = this.scratchLocal(VT.i64);
      this.push(g.root);
      if (g.lo !== 0) this.c.i64(g.lo).op(Op.i64_add);
      this.c.set(t);
      this.below4G({ local: t });
      this.brIfTo('gfail');
      this.pageTest(need, g.span, 'gok', 'gfail');
      this.blockEnd();
      this.restart();
      this.blockEnd();
    }
    if (g !== undefined && this.groupsTested.has(g)) {
      this.push(addr);
      this.c.op(Op.i32_wrap_i64).set(this.a32);
      return;
    }
    // (a group whose leader's instruction had an effect before its access: each on its own)
    this.checkOne(addr, size, need);
  }

  /** checkAddr for one access (branches, not or-ed tests: V8 then makes setcc/or sequences);
   *  leaves the address in $a32. */
  private checkOne(addr: Temp, size: MemSize, need: number): void {
    const c = this.c;
    this.blockBegin('ok');
    this.blockBegin('slow');
    this.below4G(addr);
    this.brIfTo('slow');
    this.pageTest(need, size, 'ok', 'slow');
    this.blockEnd();
    if (this.restartable) {
      // Nothing of this instruction has happened yet: let tier 0 run it (no call here, so V8
      // keeps the hot path's values in registers).
      this.restart();
    } else {
      this.push(addr);
      c.i32(size | (need << 4)).i32(this.pc).call(this.imp.memSlow);
      this.faultIf();
    }
    // $a32 holds the address now: every way here passed the tee above (an address ≥ 2^32 never
    // gets past memSlow).
    this.blockEnd();
  }

  /** Branch to `ok` if the `span` bytes from $a32 (below 2^32) allow `need`, else fall through
   *  (or branch to `fail`). More than one byte: first the page's R2 / W2 bit (it and the next
   *  page allow it; the span touches at most those two), then, on the last page of a mapping,
   *  the page's own bit and that the span does not cross. */
  private pageTest(need: number, span: number, ok: string, fail: string): void {
    const c = this.c;
    if (span === 1) {
      this.pageBits().i32(need).op(Op.i32_and);
      this.brIfTo(ok);
      return;
    }
    this.pageBits().tee(this.pbits).i32(need << 4).op(Op.i32_and);
    this.brIfTo(ok);
    c.get(this.pbits).i32(need).op(Op.i32_and).op(Op.i32_eqz);
    this.brIfTo(fail);
    c.get(this.a32).i32(0xfff).op(Op.i32_and).i32(0x1000 - span).op(Op.i32_le_u);
    this.brIfTo(ok);
  }

  /** Push whether the i64 `addr` (a temp, or a local with `local`) is 2^32 or more (for
   *  br_if), leaving its low half in $a32: the zero-extended low half compared with the whole
   *  value (V8: the mov that the low half needs anyway, then cmp/jne). */
  private below4G(addr: Temp | { local: number }): void {
    const c = this.c;
    const push = () => (typeof addr === 'number' ? this.push(addr) : c.get(addr.local));
    push();
    c.op(Op.i32_wrap_i64).tee(this.a32).op(Op.i64_extend_i32_u);
    push();
    c.op(Op.i64_ne);
  }

  /** Push the page-table byte of the page $a32 is in. The table's address is added as an i32
   *  (a load offset ≥ 2^31 costs V8 a 64-bit constant and an add). */
  private pageBits(): Code {
    return this.c.get(this.a32).i32(12).op(Op.i32_shr_u).i32(Layout.PAGE_TABLE | 0).op(Op.i32_add).mem(Op.i32_load8_u, 0);
  }

  private emitLoad(op: Extract<IROp, { op: 'load' }>): void {
    const c = this.c;
    this.checkAddr(op, op.addr, op.size, Perm.R);
    c.get(this.a32);
    if (op.endian === 'be' && op.size > 1) {
      c.mem(op.size === 8 ? Op.i64_load : op.size === 4 ? Op.i64_load32_u : Op.i64_load16_u).call(this.helpers.bswap64);
      c.i64(64 - op.size * 8).op(Op.i64_shr_u);
      if (op.signed && op.size < 8) c.op(op.size === 4 ? Op.i64_extend32_s : Op.i64_extend16_s);
      if (op.ty === 'i32') c.op(Op.i32_wrap_i64);
    } else if (op.ty === 'i64' && op.size === 8 && this.ft[op.out] === 1) {
      c.mem(Op.f64_load);
      this.defF64(op.out);
      return;
    } else if (op.ty === 'i64') {
      const o = { 1: op.signed ? Op.i64_load8_s : Op.i64_load8_u, 2: op.signed ? Op.i64_load16_s : Op.i64_load16_u, 4: op.signed ? Op.i64_load32_s : Op.i64_load32_u, 8: Op.i64_load }[op.size];
      c.mem(o);
    } else if (op.size === 8) {
      c.mem(Op.i64_load).op(Op.i32_wrap_i64);
    } else {
      const o = { 1: op.signed ? Op.i32_load8_s : Op.i32_load8_u, 2: op.signed ? Op.i32_load16_s : Op.i32_load16_u, 4: Op.i32_load }[op.size];
      c.mem(o);
    }
    this.def(op.out);
  }

  private emitStore(op: Extract<IROp, { op: 'store' }>): void {
    const c = this.c;
    this.checkAddr(op, op.addr, op.size, Perm.W);
    const vty = this.ty(op.value);
    c.get(this.a32);
    if (op.size === 8 && op.endian === 'le' && vty === 'i64' && this.isF64(op.value)) {
      this.pushF64(op.value);
      c.mem(Op.f64_store);
      return;
    }
    this.push(op.value);
    if (op.endian === 'be' && op.size > 1) {
      if (vty === 'i32') c.op(Op.i64_extend_i32_u);
      c.call(this.helpers.bswap64).i64(64 - op.size * 8).op(Op.i64_shr_u);
      c.mem(op.size === 8 ? Op.i64_store : op.size === 4 ? Op.i64_store32 : Op.i64_store16);
      return;
    }
    if (vty === 'i64') c.mem({ 1: Op.i64_store8, 2: Op.i64_store16, 4: Op.i64_store32, 8: Op.i64_store }[op.size]);
    else if (op.size === 8) c.op(Op.i64_extend_i32_s).mem(Op.i64_store);
    else c.mem({ 1: Op.i32_store8, 2: Op.i32_store16, 4: Op.i32_store }[op.size]);
  }

  /** Leave for tier 0 to run the rest of the block from the current instruction, none of
   *  which has had an effect yet (Slot.RESTART_INSN: how many ran before it, and of how many). */
  private restart(): void {
    this.c.i32(0).i32(this.insn | (this.blockInsns << 16)).mem(Op.i32_store, Slot.RESTART_INSN);
    this.exitTo(this.pc, Why.RESTART);
  }

  /** After an import that may raise a guest signal. */
  private faultCheck(): void {
    this.c.i32(0).mem(Op.i32_load, Slot.FAULT);
    this.faultIf();
  }

  /** Push an i64 view of a temp (i32 temps sign-extended: the tier-0 runtime's BigInt(number)). */
  asI64(n: Temp): void {
    this.push(n);
    if (this.ty(n) === 'i32') this.c.op(Op.i64_extend_i32_s);
  }

  private emitAtomic(op: Extract<IROp, { op: 'amo' | 'cas' | 'll' | 'sc' }>): void {
    const c = this.c;
    if (op.endian === 'le') this.emitAtomicInline(op);
    else this.atomicImport(op, 0);
    // AMO, CAS and LL give the old value (zero-extended), SC whether it stored
    if (op.op !== 'sc') {
      // sign-extended from 32 bits for size 4
      if (op.ty === 'i64') {
        if (op.size === 4) c.op(Op.i64_extend32_s);
      } else c.op(Op.i32_wrap_i64);
    }
    this.def(op.out);
    this.faultCheck();
  }

  /** Push the atomic's result from its import, which checks and faults as tier 0 does. */
  private atomicImport(op: Extract<IROp, { op: 'amo' | 'cas' | 'll' | 'sc' }>, le: number): void {
    const c = this.c;
    switch (op.op) {
      case 'amo':
        c.i32(AMO_FNS.indexOf(op.fn)).i32(op.size);
        this.asI64(op.addr);
        this.asI64(op.value);
        c.i32(le).i32(this.pc).call(this.imp.amo);
        return;
      case 'cas':
        c.i32(op.size);
        this.asI64(op.addr);
        this.asI64(op.expected);
        this.asI64(op.value);
        c.i32(le).i32(this.pc).call(this.imp.cas);
        return;
      case 'll':
        c.i32(op.size);
        this.asI64(op.addr);
        c.i32(le).i32(this.pc).call(this.imp.ll);
        return;
      case 'sc':
        c.i32(op.size);
        this.asI64(op.addr);
        this.asI64(op.value);
        c.i32(le).i32(this.pc).call(this.imp.sc);
        return;
    }
  }

  /**
   * Push a little-endian atomic's result (as atomicImport), done in place when its address is
   * below 2^32, aligned, and its page allows the access (guest threads take turns on one JS
   * thread, so plain loads and stores are atomic to them); else through the import, which
   * faults precisely. The LL/SC reservation is in memory (Slot.RES_*), where the tier-0 runtime
   * keeps it too. A mutex's lock and unlock (LR/SC loops, AMOs) went to JS every time: about a
   * quarter of the threads fixture's CPU profile.
   */
  private emitAtomicInline(op: Extract<IROp, { op: 'amo' | 'cas' | 'll' | 'sc' }>): void {
    const c = this.c;
    const size = op.size;
    const res = op.op === 'sc' ? this.scratchLocal(VT.i32, 0) : this.scratchLocal(VT.i64, 0);
    const load = () => c.get(this.a32).mem(size === 8 ? Op.i64_load : Op.i64_load32_u);
    const store = (value: Temp) => {
      c.get(this.a32);
      this.asI64(value);
      c.mem(size === 8 ? Op.i64_store : Op.i64_store32);
    };
    const need = op.op === 'll' ? Perm.R : op.op === 'sc' ? Perm.W : Perm.R | Perm.W;
    this.blockBegin('adone');
    this.blockBegin('aslow');
    this.blockBegin('aok');
    this.below4G(op.addr);
    this.brIfTo('aslow');
    c.get(this.a32).i32(size - 1).op(Op.i32_and);
    this.brIfTo('aslow');
    this.pageTest(need, size, 'aok', 'aslow');
    this.brTo('aslow');
    this.blockEnd();
    // the fast path: the address in $a32
    if (op.op === 'll') {
      load().set(res);
      c.i32(0).get(this.a32).i32(1).op(Op.i32_add).mem(Op.i32_store, Slot.RES_ADDR1);
      c.i32(0).i32(size).mem(Op.i32_store, Slot.RES_SIZE);
      c.i32(0).get(res).mem(Op.i64_store, Slot.RES_VALUE);
    } else if (op.op === 'sc') {
      // stored (1) if the reservation is this address and size and the value is still there
      c.i32(0).mem(Op.i32_load, Slot.RES_ADDR1).get(this.a32).i32(1).op(Op.i32_add).op(Op.i32_eq);
      c.i32(0).mem(Op.i32_load, Slot.RES_SIZE).i32(size).op(Op.i32_eq).op(Op.i32_and);
      load();
      c.i32(0).mem(Op.i64_load, Slot.RES_VALUE).op(Op.i64_eq).op(Op.i32_and).tee(res);
      c.i32(0).i32(0).mem(Op.i32_store, Slot.RES_ADDR1);
      this.ifBegin();
      store(op.value);
      this.ifEnd();
    } else if (op.op === 'cas') {
      // stores if the old value is the expected one (the reservation stays, as tier 0 leaves it)
      load().tee(res);
      this.asI64(op.expected);
      if (size === 4) c.i64(0xffffffff).op(Op.i64_and);
      c.op(Op.i64_eq);
      this.ifBegin();
      store(op.value);
      this.ifEnd();
    } else {
      const v = this.scratchLocal(VT.i64, 1);
      load().set(res);
      this.asI64(op.value);
      if (size === 4) c.i64(0xffffffff).op(Op.i64_and);
      c.set(v);
      c.get(this.a32);
      this.amoValue(op.fn, size, res, v);
      c.mem(size === 8 ? Op.i64_store : Op.i64_store32);
      // a reservation overlapping the bytes written is lost (none: RES_ADDR1 − 1 is 2^32 − 1)
      const resStart = () => c.i32(0).mem(Op.i32_load, Slot.RES_ADDR1).i32(1).op(Op.i32_sub);
      resStart().get(this.a32).i32(size).op(Op.i32_add).op(Op.i32_lt_u);
      c.get(this.a32);
      resStart().i32(0).mem(Op.i32_load, Slot.RES_SIZE).op(Op.i32_add).op(Op.i32_lt_u);
      c.op(Op.i32_and);
      this.ifBegin();
      c.i32(0).i32(0).mem(Op.i32_store, Slot.RES_ADDR1);
      this.ifEnd();
    }
    this.brTo('adone');
    this.blockEnd();
    this.atomicImport(op, 1);
    c.set(res);
    this.blockEnd();
    c.get(res);
  }

  /** Push an AMO's new value (i64; its low `size` bytes count) from the old one and the operand,
   *  both zero-extended from `size` bytes, in locals. */
  private amoValue(fn: (typeof AMO_FNS)[number], size: 4 | 8, old: number, v: number): void {
    const c = this.c;
    const bin = (o: Op) => c.get(old).get(v).op(o);
    // signed comparisons of 32-bit values: their sign-extended forms
    const sx = (l: number) => (c.get(l), size === 4 ? c.op(Op.i64_extend32_s) : c);
    // old if `cmp` holds of (old, v), else v
    const pick = (cmp: Op, signed: boolean) => {
      c.get(old).get(v);
      if (signed) (sx(old), sx(v));
      else c.get(old).get(v);
      c.op(cmp).op(Op.select);
    };
    switch (fn) {
      case 'swap': c.get(v); break;
      case 'add': bin(Op.i64_add); break;
      case 'and': bin(Op.i64_and); break;
      case 'or': bin(Op.i64_or); break;
      case 'xor': bin(Op.i64_xor); break;
      case 'mins': pick(Op.i64_lt_s, true); break;
      case 'maxs': pick(Op.i64_gt_s, true); break;
      case 'minu': pick(Op.i64_lt_u, false); break;
      case 'maxu': pick(Op.i64_gt_u, false); break;
    }
  }

  // ---- floating point

  /** Push the rounding mode (i32); a dynamic one above 4 is SIGILL at this instruction. */
  rm(r: RmArg): void {
    const c = this.c;
    if ('static' in r) {
      c.i32(r.static);
      return;
    }
    this.push(r.dyn);
    c.i32(7).op(Op.i32_and).i32(4).op(Op.i32_gt_u); // bits above 2: FpMode (ir.ts)
    this.ifBegin();
    this.exitFault(Why.ILLEGAL);
    this.ifEnd();
    this.push(r.dyn);
  }

  private emitFp(op: Extract<IROp, { op: 'fbin' | 'fsqrt' | 'ffma' | 'fcmp' | 'f2i' | 'i2f' | 'f2f' }>): void {
    if (this.opts.fpEnv !== null && emitFpNative(this, op)) return;
    this.emitFpCall(op);
  }

  /** The FPU library through an import: result, then flags from Slot.FLAGS if wanted. */
  emitFpCall(op: Extract<IROp, { op: 'fbin' | 'fsqrt' | 'ffma' | 'fcmp' | 'f2i' | 'i2f' | 'f2f' }>): void {
    const c = this.c;
    const is64 = (f: string) => (f === 'f64' || f === 'i64' ? 1 : 0);
    switch (op.op) {
      case 'fbin':
        c.i32(FBIN_FNS.indexOf(op.fn));
        this.push(op.a);
        this.push(op.b);
        this.rm(op.rm);
        c.call(op.fmt === 'f32' ? this.imp.fbin32 : this.imp.fbin64);
        break;
      case 'fsqrt':
        this.push(op.a);
        this.rm(op.rm);
        c.call(op.fmt === 'f32' ? this.imp.fsqrt32 : this.imp.fsqrt64);
        break;
      case 'ffma':
        this.push(op.a);
        this.push(op.b);
        this.push(op.c);
        this.rm(op.rm);
        c.call(op.fmt === 'f32' ? this.imp.ffma32 : this.imp.ffma64);
        break;
      case 'fcmp':
        c.i32(FCMP_FNS.indexOf(op.fn)).i32(op.signaling ? 1 : 0);
        if (op.mode !== undefined) (this.push(op.mode), c.op(Op.i32_or)); // FpMode bits above bit 0
        this.push(op.a);
        this.push(op.b);
        c.call(op.fmt === 'f32' ? this.imp.fcmp32 : this.imp.fcmp64);
        break;
      case 'f2i':
        c.i32(is64(op.from));
        this.asI64(op.a);
        c.i32(is64(op.ty)).i32(op.signed ? 1 : 0);
        this.rm(op.rm);
        c.call(this.imp.f2i);
        if (op.ty === 'i32') c.op(Op.i32_wrap_i64);
        break;
      case 'i2f':
        c.i32(is64(op.to));
        this.asI64(op.a);
        c.i32(is64(op.from)).i32(op.signed ? 1 : 0);
        this.rm(op.rm);
        c.call(this.imp.i2f);
        if (op.to === 'f32') c.op(Op.i32_wrap_i64);
        break;
      case 'f2f':
        c.i32(is64(op.from)).i32(is64(op.to));
        this.asI64(op.a);
        this.rm(op.rm);
        c.call(this.imp.f2f);
        if (op.to === 'f32') c.op(Op.i32_wrap_i64);
        break;
    }
    this.def(op.out);
    if (op.flags !== undefined) {
      c.i32(0).mem(Op.i32_load, Slot.FLAGS);
      this.defFlags(op.flags);
    }
  }
}
