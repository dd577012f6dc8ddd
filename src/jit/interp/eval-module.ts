// Tier 0's evaluator as a WebAssembly function: it walks a block's evaluator form (ir-eval.ts,
// eval-ops.ts) as the JS handlers do, op for op with the same results, at wasm speed. The JS
// handlers run in V8's interpreter in a short run (no function there gets hot enough to be
// optimised), where every typed-array access is an inline-cache call: ~100 machine instructions a
// word, most of a static hello world's guest time.
//
// run(p, state, base) runs the form at address `base` from code position p; `state` is the
// task's CPU state slots' address. It returns -1 after a terminator, with the next pc at
// EVAL_NEXT_PC, or the position of an op it leaves to the JS handler: rare ops (SLOW, END_SLOW,
// CLRRES, 32-bit jumps), an FP op its fast path (eval-fp.ts) cannot take, a 64-bit jump beyond
// 2^32, a big-endian access, and any memory access the inline check cannot prove (unmapped,
// protected, watched or crossing a page: the JS handler faults precisely or does it). Nothing
// here traps.
import { Layout, Perm } from '../../mem/address-space.js';
import { assert } from '../../types.js';
import { C, FP_FIRST, FP_LAST, FP_LEN, LEN } from './eval-ops.js';
import { fpFunctionCode } from './eval-fp.js';
import { mulhSigned, mulhu64Body } from '../wasm/mulh64.js';
import { Code, ExternKind, ModuleBuilder, Op, VT } from '../wasm/encoder.js';
import { ArenaState, Rec, TERMINATOR_KINDS } from './eval-record.js';
import {
  ARENA_BASE, ARENA_BUDGET, ARENA_CACHE_BITS, ARENA_COUNT, ARENA_CUR, ARENA_CUR_INDEX, ARENA_CUR_PC, ARENA_HOT, ARENA_N, ARENA_PCS,
  ARENA_REC_ADDRS, ARENA_SEG_TAKEN, ARENA_SEGS, ARENA_STATES, EVAL_NEXT_PC,
} from '../wasm/layout.js';

/** Emits one opcode's case. Operand k of the op at P is the code word at P + k. */
class Case {
  /** loopDepth: the dispatch loop's branch depth from the case's top level (the exit to JS is
   *  one further out). */
  constructor(
    readonly c: Code,
    private readonly loopDepth: number,
    readonly L: Locals,
    private readonly ends: Ends,
  ) {}

  /** Operand word k. */
  w(k: number): this {
    this.c.get(this.L.pb).mem(Op.i32_load, 4 * k);
    return this;
  }
  /** The byte address of the temp operand k names (operands are word indexes). */
  t(k: number): this {
    this.w(k).c.i32(2).op(Op.i32_shl).get(BASE).op(Op.i32_add);
    return this;
  }
  /** The low word of temp operand k, or the whole i64. */
  ld32(k: number): this {
    this.t(k).c.mem(Op.i32_load);
    return this;
  }
  ld64(k: number): this {
    this.t(k).c.mem(Op.i64_load);
    return this;
  }
  /** Stores to a temp whose address was pushed first. */
  st32(): this {
    this.c.mem(Op.i32_store);
    return this;
  }
  st64(): this {
    this.c.mem(Op.i64_store);
    return this;
  }
  /** The address of CPU state slot word operand k. */
  slot(k: number): this {
    this.c.get(STATE);
    this.w(k).c.i32(2).op(Op.i32_shl).op(Op.i32_add);
    return this;
  }
  /** Leave the op to JS if the i32 on the stack is not 0. */
  toJsIf(): this {
    this.c.brIf(this.loopDepth + this.ends.toJs);
    return this;
  }
  toJs(): void {
    this.c.br(this.loopDepth + this.ends.toJs);
  }
  /** On to the next op (the current one is `len` words). */
  next(len: number): void {
    this.c.get(P).i32(len).op(Op.i32_add).set(P);
    this.c.get(this.L.pb).i32(4 * len).op(Op.i32_add).set(this.L.pb);
    this.c.br(this.loopDepth);
  }
  /** A terminator: store the next pc (`pushPc` pushes it), then end the block (Ends.block). */
  exitWith(pushPc: () => void): void {
    this.c.i32(0);
    pushPc();
    this.c.mem(Op.i32_store, EVAL_NEXT_PC);
    this.ends.block(this.c, this.loopDepth);
  }
}

/** The functions' first parameters (chain has no BASE: it finds its blocks). */
const P = 0;
const STATE = 1;
const BASE = 2;

interface Locals {
  /** The address of the op at P (P × 4 + the form's base). */
  readonly pb: number;
  readonly a: number;
  readonly x: number;
  readonly y: number;
  readonly x64: number;
  readonly y64: number;
}

/** [opcode, wasm op] of the ops that are one wasm instruction on two temps of their width. */
const BIN32: readonly (readonly [C, Op])[] = [
  [C.ADD32, Op.i32_add], [C.SUB32, Op.i32_sub], [C.MUL32, Op.i32_mul], [C.AND32, Op.i32_and], [C.OR32, Op.i32_or],
  [C.XOR32, Op.i32_xor], [C.SHL32, Op.i32_shl], [C.SHRL32, Op.i32_shr_u], [C.SHRA32, Op.i32_shr_s],
  [C.ROTL32, Op.i32_rotl], [C.ROTR32, Op.i32_rotr],
  [C.EQ32, Op.i32_eq], [C.NE32, Op.i32_ne], [C.LTS32, Op.i32_lt_s], [C.LTU32, Op.i32_lt_u], [C.LES32, Op.i32_le_s], [C.LEU32, Op.i32_le_u],
];
const BIN64: readonly (readonly [C, Op])[] = [
  [C.ADD64, Op.i64_add], [C.SUB64, Op.i64_sub], [C.MUL64, Op.i64_mul], [C.AND64, Op.i64_and], [C.OR64, Op.i64_or], [C.XOR64, Op.i64_xor],
];
/** 64-bit shifts and rotates: the amount is the low word of an i32 temp (wasm takes it modulo 64,
 *  as eval-i64.ts does). */
const SHIFT64: readonly (readonly [C, Op])[] = [
  [C.SHL64, Op.i64_shl], [C.SHRL64, Op.i64_shr_u], [C.SHRA64, Op.i64_shr_s], [C.ROTL64, Op.i64_rotl], [C.ROTR64, Op.i64_rotr],
];
/** 64-bit compares: an i32 result (only the low word is written, as the JS handlers do). */
const CMP64: readonly (readonly [C, Op])[] = [
  [C.EQ64, Op.i64_eq], [C.NE64, Op.i64_ne], [C.LTS64, Op.i64_lt_s], [C.LTU64, Op.i64_lt_u], [C.LES64, Op.i64_le_s], [C.LEU64, Op.i64_le_u],
];
/** Unary ops on one wasm instruction; the 64-bit counts' results are below 2^32 (high word 0). */
const UN: readonly (readonly [C, Op, 32 | 64])[] = [
  [C.CLZ32, Op.i32_clz, 32], [C.CTZ32, Op.i32_ctz, 32], [C.POPCNT32, Op.i32_popcnt, 32],
  [C.CLZ64, Op.i64_clz, 64], [C.CTZ64, Op.i64_ctz, 64], [C.POPCNT64, Op.i64_popcnt, 64],
];
/** Loads: [opcode, size, the wasm load that widens to i64 as the JS handler does]. */
const LOADS: readonly (readonly [C, number, Op])[] = [
  [C.LD1U, 1, Op.i64_load8_u], [C.LD1S, 1, Op.i64_load8_s], [C.LD2U, 2, Op.i64_load16_u], [C.LD2S, 2, Op.i64_load16_s],
  [C.LD4U, 4, Op.i64_load32_u], [C.LD4S, 4, Op.i64_load32_s], [C.LD8, 8, Op.i64_load],
];
const STORES: readonly (readonly [C, number, Op])[] = [
  [C.ST1, 1, Op.i32_store8], [C.ST2, 2, Op.i32_store16], [C.ST4, 4, Op.i32_store], [C.ST8, 8, Op.i64_store],
];
/** The 64-bit high products: [opcode, IR function]. */
const MULH64: readonly (readonly [C, 'mulhu' | 'mulhs' | 'mulhsu'])[] = [[C.MULHU64, 'mulhu'], [C.MULHS64, 'mulhs'], [C.MULHSU64, 'mulhsu']];
/** [opcode, signed, remainder] of the divisions. */
const DIVS: readonly (readonly [C, boolean, boolean])[] = [
  [C.DIVS32, true, false], [C.DIVU32, false, false], [C.REMS32, true, true], [C.REMU32, false, true],
  [C.DIVS64, true, false], [C.DIVU64, false, false], [C.REMS64, true, true], [C.REMU64, false, true],
];

/** How a function's cases leave: the depth of the exit to JS from the dispatch loop, and what a
 *  terminator does once it has stored the next pc (`loopDepth`: the dispatch loop's depth there). */
interface Ends {
  readonly toJs: number;
  block(c: Code, loopDepth: number): void;
}

/** The dispatch loop over a form's ops, from the op at L.pb: one case per emitter (opcodes with
 *  the same one share it; the opcodes without one share the exit to JS). */
function dispatchLoop(c: Code, L: Locals, ends: Ends, fns: Callees): void {
  const emitters = caseEmitters(fns);
  const cases: (Emit | undefined)[] = [];
  const caseOf: number[] = [];
  for (let k = 0; k < C.COUNT; k++) {
    let i = cases.indexOf(emitters[k]);
    if (i < 0) i = cases.push(emitters[k]) - 1;
    caseOf.push(i);
  }
  const N = cases.length;
  c.begin(Op.loop);
  for (let k = 0; k < N; k++) c.begin(Op.block);
  c.get(L.pb).mem(Op.i32_load);
  c.brTable(caseOf, N + ends.toJs);
  for (let k = 0; k < N; k++) {
    c.end();
    // After case k's block: the cases after it, then the loop.
    const cs = new Case(c, N - 1 - k, L, ends);
    const emit = cases[k];
    if (emit === undefined) cs.toJs();
    else emit(cs);
  }
  c.end(); // loop (every case branches away: not reached)
  c.op(Op.unreachable);
}

function locals(c: Code): Locals {
  return { pb: c.local(VT.i32), a: c.local(VT.i32), x: c.local(VT.i32), y: c.local(VT.i32), x64: c.local(VT.i64), y64: c.local(VT.i64) };
}

/** The bytes of the evaluator module: it imports the guest memory as m.memory and exports run
 *  and chain. */
export function evaluatorModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('m', 'memory', 65536, 65536, true);
  // (V8 compiles a function at its first call: these only where a block needs them)
  const fns: Callees = { fp: m.declare([VT.i32, VT.i32], [VT.i32]), mulhu64: m.declare([VT.i64, VT.i64], [VT.i64]) };
  m.define(fns.fp, fpFunctionCode());
  m.define(fns.mulhu64, mulhu64Body());
  const run = m.declare([VT.i32, VT.i32, VT.i32], [VT.i32]);
  m.define(run, runCode(fns));
  m.export('run', ExternKind.func, run);
  const chain = m.declare([VT.i32, VT.i32], [VT.i32]);
  m.define(chain, chainCode(fns));
  m.export('chain', ExternKind.func, chain);
  return m.toBytes();
}

/** run(p, state, base): one block's form at address `base`, from position p. */
function runCode(fns: Callees): Code {
  const c = new Code(3); // P, STATE, BASE
  const L = locals(c);
  c.get(P).i32(2).op(Op.i32_shl).get(BASE).op(Op.i32_add).set(L.pb);
  c.begin(Op.block); // the exit to JS
  dispatchLoop(c, L, { toJs: 1, block: (c) => void c.i32(-1).op(Op.return) }, fns);
  c.end();
  c.get(P);
  return c;
}

/**
 * chain(p, state): the arena's blocks one after another (eval-arena.ts). With p < 0 it starts at
 * the pc in EVAL_NEXT_PC; with p ≥ 0 it resumes the running record (ARENA_CUR*) at p, after JS ran
 * the op before. After each block it looks up the next pc: in the cache, else by binary search of
 * the record pcs (then cached). It stops, returning -1 with the pc in EVAL_NEXT_PC, once
 * ARENA_BUDGET instructions have run or when the pc has no record, its record is the engine's
 * (ArenaState.OWNED) or its bytes are not in memory on executable pages (checked once per record,
 * then ArenaState.VERIFIED; a record that fails is OWNED); -2 when the block's heat reached
 * ARENA_HOT (the engine takes it over); else the position of an op for JS, as run (the running
 * record in ARENA_CUR*). ARENA_COUNT: the instructions of the blocks it finished.
 */
function chainCode(fns: Callees): Code {
  const c = new Code(2); // P, STATE
  const base = c.local(VT.i32); // the cases' BASE: the running form's address
  assert(base === BASE, 'chain: BASE is not its first local');
  const L = locals(c);
  const cur = c.local(VT.i32); // the running block's instruction count
  const count = c.local(VT.i32);
  const pc = c.local(VT.i32);
  const i = c.local(VT.i32);
  const rec = c.local(VT.i32);
  const st = c.local(VT.i32);
  const lo = c.local(VT.i32);
  const hi = c.local(VT.i32);
  const e = c.local(VT.i32);
  const ld = (addr: number) => c.i32(0).mem(Op.i32_load, addr);
  /** base and cur from rec. */
  const enter = () => {
    c.get(rec).mem(Op.i32_load, 4 * Rec.NINSNS).set(cur);
    c.get(rec).get(rec).mem(Op.i32_load, 4 * Rec.NBYTES).i32(3).op(Op.i32_add).i32(2).op(Op.i32_shr_u).i32(Rec.HEAD).op(Op.i32_add).i32(2).op(Op.i32_shl).op(Op.i32_add).set(base);
  };
  c.begin(Op.block); // $out: return P (the exit to JS, or a stop with P -1 / -2)
  c.begin(Op.loop); // $top: the next block
  c.begin(Op.block); // $go: run from P at base
  // Resume: the running record, at P.
  c.get(P).i32(0).op(Op.i32_ge_s).begin(Op.if);
  ld(ARENA_CUR).set(rec);
  ld(ARENA_CUR_INDEX).set(i);
  ld(ARENA_CUR_PC).set(pc);
  enter();
  c.br(1);
  c.end();
  // Depths from here: $go 0, $top 1, $out 2.
  const stop = (why: number, depth: number) => c.i32(why).set(P).br(depth);
  ld(EVAL_NEXT_PC).set(pc);
  c.get(count);
  ld(ARENA_BUDGET);
  c.op(Op.i32_ge_s).begin(Op.if);
  stop(-1, 3);
  c.end();
  // The cache entry, else a binary search (cached if found).
  c.get(pc).i32(0x9e3779b1 | 0).op(Op.i32_mul).i32(32 - ARENA_CACHE_BITS).op(Op.i32_shr_u).i32(3).op(Op.i32_shl).i32(ARENA_BASE).op(Op.i32_add).set(e);
  // (a free entry is { 0, 0 }: pc 0 is never a hit, it has no record)
  c.get(e).mem(Op.i32_load).get(pc).op(Op.i32_eq).get(pc).i32(0).op(Op.i32_ne).op(Op.i32_and).begin(Op.if);
  c.get(e).mem(Op.i32_load, 4).set(i);
  c.op(Op.else);
  c.i32(0).set(lo);
  ld(ARENA_N).set(hi);
  c.begin(Op.block).begin(Op.loop);
  c.get(lo).get(hi).op(Op.i32_ge_u).brIf(1);
  c.get(lo).get(hi).op(Op.i32_add).i32(1).op(Op.i32_shr_u).set(i);
  c.get(i).i32(2).op(Op.i32_shl).mem(Op.i32_load, ARENA_PCS).get(pc).op(Op.i32_lt_u).begin(Op.if);
  c.get(i).i32(1).op(Op.i32_add).set(lo);
  c.op(Op.else);
  c.get(i).set(hi);
  c.end();
  c.br(0);
  c.end().end();
  // lo: the first record whose pc is not below pc.
  c.get(lo);
  ld(ARENA_N);
  c.op(Op.i32_ge_u);
  c.get(lo).i32(2).op(Op.i32_shl).mem(Op.i32_load, ARENA_PCS).get(pc).op(Op.i32_ne).op(Op.i32_or).begin(Op.if);
  stop(-1, 4);
  c.end();
  c.get(lo).set(i);
  c.get(e).get(pc).mem(Op.i32_store);
  c.get(e).get(i).mem(Op.i32_store, 4);
  c.end();
  // The record's state: the engine's, verified, heat (stateAddr: its offset from ARENA_STATES).
  const stateAddr = () => c.get(i).i32(2).op(Op.i32_shl);
  stateAddr();
  c.mem(Op.i32_load, ARENA_STATES).tee(st).i32(ArenaState.OWNED).op(Op.i32_and).begin(Op.if);
  stop(-1, 3);
  c.end();
  stateAddr();
  c.mem(Op.i32_load, ARENA_REC_ADDRS).i32(2).op(Op.i32_shl).set(rec);
  c.get(st).i32(ArenaState.VERIFIED).op(Op.i32_and).op(Op.i32_eqz).begin(Op.if);
  verify(c, pc, rec, lo, hi);
  c.op(Op.i32_eqz).begin(Op.if);
  stateAddr();
  c.get(st).i32(ArenaState.OWNED).op(Op.i32_or).mem(Op.i32_store, ARENA_STATES);
  stop(-1, 4);
  c.end();
  c.get(st).i32(ArenaState.VERIFIED).op(Op.i32_or).set(st);
  // One more record taken from its segment.
  c.get(i).mem(Op.i32_load8_u, ARENA_SEGS).i32(2).op(Op.i32_shl).tee(e);
  c.get(e).mem(Op.i32_load, ARENA_SEG_TAKEN).i32(1).op(Op.i32_add).mem(Op.i32_store, ARENA_SEG_TAKEN);
  c.end();
  c.get(st).i32(ArenaState.HEAT_SHIFT).op(Op.i32_shr_u);
  ld(ARENA_HOT);
  c.op(Op.i32_ge_u).begin(Op.if);
  stateAddr();
  c.get(st).mem(Op.i32_store, ARENA_STATES);
  stop(-2, 3);
  c.end();
  stateAddr();
  c.get(st).i32(1 << ArenaState.HEAT_SHIFT).op(Op.i32_add).mem(Op.i32_store, ARENA_STATES);
  enter();
  c.get(rec).mem(Op.i32_load, 4 * Rec.START).set(P);
  c.end(); // $go
  c.get(P).i32(2).op(Op.i32_shl).get(base).op(Op.i32_add).set(L.pb);
  // From the dispatch loop: $top is one out, $out two.
  dispatchLoop(c, L, {
    toJs: 2,
    block: (c, loopDepth) => void c.get(count).get(cur).op(Op.i32_add).set(count).i32(-1).set(P).br(loopDepth + 1),
  }, fns);
  c.end(); // $top
  c.op(Op.unreachable);
  c.end(); // $out
  c.i32(0).get(count).mem(Op.i32_store, ARENA_COUNT);
  // (for JS's op and the resume after it; after a stop they are of no record)
  c.i32(0).get(rec).mem(Op.i32_store, ARENA_CUR);
  c.i32(0).get(i).mem(Op.i32_store, ARENA_CUR_INDEX);
  c.i32(0).get(pc).mem(Op.i32_store, ARENA_CUR_PC);
  c.get(P);
  return c;
}

/** Pushes 1 if the record at `rec` has an evaluator form and a valid terminator, and its guest
 *  bytes are at `pc`, on executable pages; else 0. (k and page: scratch locals.) */
function verify(c: Code, pc: number, rec: number, k: number, page: number): void {
  const nbytes = () => c.get(rec).mem(Op.i32_load, 4 * Rec.NBYTES);
  c.begin(Op.block, VT.i32);
  c.i32(0);
  nbytes();
  c.i32(1).op(Op.i32_lt_s);
  c.get(rec).mem(Op.i32_load, 4 * Rec.EVAL_LEN).i32(1).op(Op.i32_lt_s).op(Op.i32_or);
  c.get(rec).mem(Op.i32_load, 4 * Rec.TERM).i32(TERMINATOR_KINDS).op(Op.i32_ge_u).op(Op.i32_or);
  // The end within the guest area (a wrap past 2^32 as well).
  c.get(pc).op(Op.i64_extend_i32_u);
  nbytes();
  c.op(Op.i64_extend_i32_s).op(Op.i64_add).i64(Layout.RUNTIME_BASE).op(Op.i64_gt_u).op(Op.i32_or);
  c.brIf(0);
  c.op(Op.drop);
  // Every page executable.
  c.get(pc).i32(12).op(Op.i32_shr_u).set(page);
  c.begin(Op.loop);
  c.i32(0);
  c.get(page).mem(Op.i32_load8_u, Layout.PAGE_TABLE).i32(Perm.X).op(Op.i32_and).op(Op.i32_eqz).brIf(1);
  c.op(Op.drop);
  c.get(page).i32(1).op(Op.i32_add).tee(page);
  c.get(pc);
  nbytes();
  c.op(Op.i32_add).i32(1).op(Op.i32_sub).i32(12).op(Op.i32_shr_u).op(Op.i32_le_u).brIf(0);
  c.end();
  // Every byte the same.
  c.i32(0).set(k);
  c.begin(Op.loop);
  c.i32(0);
  c.get(pc).get(k).op(Op.i32_add).mem(Op.i32_load8_u);
  c.get(rec).get(k).op(Op.i32_add).mem(Op.i32_load8_u, 4 * Rec.HEAD).op(Op.i32_ne).brIf(1);
  c.op(Op.drop);
  c.get(k).i32(1).op(Op.i32_add).tee(k);
  nbytes();
  c.op(Op.i32_lt_u).brIf(0);
  c.end();
  c.i32(1);
  c.end();
}

type Emit = (e: Case) => void;

/** The module's functions the cases call: FP ops (eval-fp.ts) and the 64-bit high product. */
interface Callees {
  readonly fp: number;
  readonly mulhu64: number;
}

function caseEmitters(fns: Callees): Emit[] {
  const E: Emit[] = [];
  const on = (op: C, f: Emit) => {
    E[op] = f;
  };
  const fp: Emit = (e) => (e.c.get(e.L.pb).get(BASE).call(fns.fp), e.toJsIf().next(FP_LEN));
  for (let op = FP_FIRST; op <= FP_LAST; op++) on(op, fp);
  for (const [op, fn] of MULH64) {
    on(op, (e) => {
      e.t(1).ld64(2).ld64(3).c.call(fns.mulhu64);
      mulhSigned(e.c, fn, () => e.ld64(2), () => e.ld64(3));
      e.st64().next(LEN[op]);
    });
  }
  for (const [op, w] of BIN32) on(op, (e) => (e.t(1).ld32(2).ld32(3).c.op(w), e.st32().next(LEN[op])));
  for (const [op, w] of BIN64) on(op, (e) => (e.t(1).ld64(2).ld64(3).c.op(w), e.st64().next(LEN[op])));
  for (const [op, w] of SHIFT64) on(op, (e) => (e.t(1).ld64(2).ld32(3).c.op(Op.i64_extend_i32_u).op(w), e.st64().next(LEN[op])));
  for (const [op, w] of CMP64) on(op, (e) => (e.t(1).ld64(2).ld64(3).c.op(w), e.st32().next(LEN[op])));
  for (const [op, w, bits] of UN) {
    on(op, (e) => (bits === 32 ? (e.t(1).ld32(2).c.op(w), e.st32()) : (e.t(1).ld64(2).c.op(w), e.st64()), e.next(LEN[op])));
  }
  // High halves of 32-bit products, from the 64-bit product of the operands widened.
  const mulh = (op: C, as: Op, bs: Op) =>
    on(op, (e) => (e.t(1).ld32(2).c.op(as), e.ld32(3).c.op(bs).op(Op.i64_mul).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64), e.st32().next(LEN[op])));
  mulh(C.MULHS32, Op.i64_extend_i32_s, Op.i64_extend_i32_s);
  mulh(C.MULHU32, Op.i64_extend_i32_u, Op.i64_extend_i32_u);
  mulh(C.MULHSU32, Op.i64_extend_i32_s, Op.i64_extend_i32_u);
  for (const [op, signed, rem] of DIVS) on(op, (e) => division(e, op, signed, rem));

  on(C.GET32, (e) => (e.t(1).slot(2).c.mem(Op.i32_load), e.st32().next(3)));
  on(C.GET64, (e) => (e.t(1).slot(2).c.mem(Op.i64_load), e.st64().next(3)));
  on(C.SET32, (e) => (e.slot(1).ld32(2).c.op(Op.i64_extend_i32_u).mem(Op.i64_store), e.next(3)));
  on(C.SET64, (e) => (e.slot(1).ld64(2).c.mem(Op.i64_store), e.next(3)));
  on(C.WRAP, (e) => (e.t(1).ld32(2).st32().next(3)));
  on(C.EXTS, (e) => (e.t(1).ld32(2).c.op(Op.i64_extend_i32_s), e.st64().next(3)));
  on(C.EXTU, (e) => (e.t(1).ld32(2).c.op(Op.i64_extend_i32_u), e.st64().next(3)));
  // SEXT: (v << s) >> s with s = 32 − bits, as the handlers compute it (then widened for SEXT64).
  on(C.SEXT32, (e) => (e.t(1).ld32(2).w(3).c.op(Op.i32_shl), e.w(3).c.op(Op.i32_shr_s), e.st32().next(4)));
  on(C.SEXT64, (e) => (e.t(1).ld32(2).w(3).c.op(Op.i32_shl), e.w(3).c.op(Op.i32_shr_s).op(Op.i64_extend_i32_s), e.st64().next(4)));
  on(C.SEL32, (e) => (e.t(1).ld32(3).ld32(4).ld32(2).c.op(Op.select), e.st32().next(5)));
  on(C.SEL64, (e) => (e.t(1).ld64(3).ld64(4).ld32(2).c.op(Op.select), e.st64().next(5)));
  on(C.BSWAP32, (e) => {
    e.ld32(2).c.set(e.L.x);
    e.t(1);
    bswap32(e.c, e.L.x);
    e.st32().next(3);
  });
  on(C.BSWAP64, (e) => {
    // The swapped high word becomes the low one.
    const { a, x, y } = e.L;
    e.t(2).c.set(a);
    e.c.get(a).mem(Op.i32_load).set(x).get(a).mem(Op.i32_load, 4).set(y);
    e.t(1).c.set(a);
    e.c.get(a);
    bswap32(e.c, y);
    e.st32();
    e.c.get(a);
    bswap32(e.c, x);
    e.c.mem(Op.i32_store, 4);
    e.next(3);
  });
  for (const [op, size, load] of LOADS) {
    on(op, (e) => {
      access(e, 2, size, 1);
      e.t(1).c.get(e.L.x).mem(load);
      e.st64().next(4);
    });
  }
  for (const [op, size, store] of STORES) {
    on(op, (e) => {
      access(e, 1, size, 2);
      e.c.get(e.L.x);
      if (size === 8) e.ld64(2);
      else e.ld32(2);
      e.c.mem(store);
      e.next(4);
    });
  }
  on(C.GOTO, (e) => e.exitWith(() => e.w(1)));
  on(C.BRANCH, (e) => e.exitWith(() => e.w(2).w(3).ld32(1).c.op(Op.select)));
  on(C.JUMP64, (e) => {
    // A target at or beyond 2^32 is the JS handler's (a number above int32).
    e.t(1).c.tee(e.L.a).mem(Op.i32_load, 4);
    e.toJsIf();
    e.exitWith(() => e.c.get(e.L.a).mem(Op.i32_load));
  });
  return E;
}

/** Leaves the guest address (temp operand k's low word) in local x after the checks the JS
 *  handlers make inline; the op goes to JS where they would call R.addrN, or if it is big-endian
 *  (operand 3 is 0). */
function access(e: Case, k: number, size: number, need: number): void {
  const { c, L } = e;
  e.t(k).c.set(L.a);
  c.get(L.a).mem(Op.i32_load, 4); // high word ≠ 0
  c.get(L.a).mem(Op.i32_load).tee(L.x).i32(Layout.RUNTIME_BASE).op(Op.i32_ge_u).op(Op.i32_or);
  c.get(L.x).i32(12).op(Op.i32_shr_u).mem(Op.i32_load8_u, Layout.PAGE_TABLE).i32(need).op(Op.i32_and).op(Op.i32_eqz).op(Op.i32_or);
  c.get(L.x).i32(0xfff).op(Op.i32_and).i32(4096 - size).op(Op.i32_gt_u).op(Op.i32_or);
  e.w(3).c.op(Op.i32_eqz).op(Op.i32_or);
  e.toJsIf();
}

/** x/0 is 0 and x%0 is x; MIN/−1 is MIN (wasm would trap) and MIN%−1 is 0 (as wasm gives). */
function division(e: Case, op: C, signed: boolean, rem: boolean): void {
  const { c, L } = e;
  const wide = op >= C.ADD64;
  const [a, b] = wide ? [L.x64, L.y64] : [L.x, L.y];
  const ty = wide ? VT.i64 : VT.i32;
  if (wide) e.ld64(2).c.set(a), e.ld64(3).c.set(b);
  else e.ld32(2).c.set(a), e.ld32(3).c.set(b);
  const zero = () => (wide ? c.i64(0) : c.i32(0));
  const min = () => (wide ? c.i64(-(2n ** 63n)) : c.i32(-0x80000000));
  const minusOne = () => (wide ? c.i64(-1) : c.i32(-1));
  const opOf = (w32: Op, w64: Op) => (wide ? w64 : w32);
  e.t(1);
  c.get(b).op(opOf(Op.i32_eqz, Op.i64_eqz)).begin(Op.if, ty);
  if (rem) c.get(a);
  else zero();
  c.op(Op.else);
  if (signed && !rem) {
    c.get(a), min(), c.op(opOf(Op.i32_eq, Op.i64_eq));
    c.get(b), minusOne(), c.op(opOf(Op.i32_eq, Op.i64_eq)).op(Op.i32_and);
    c.begin(Op.if, ty).get(a).op(Op.else);
    c.get(a).get(b).op(opOf(Op.i32_div_s, Op.i64_div_s)).end();
  } else {
    const w = rem ? (signed ? opOf(Op.i32_rem_s, Op.i64_rem_s) : opOf(Op.i32_rem_u, Op.i64_rem_u)) : opOf(Op.i32_div_u, Op.i64_div_u);
    c.get(a).get(b).op(w);
  }
  c.end();
  if (wide) e.st64();
  else e.st32();
  e.next(LEN[op]);
}

/** Pushes local v with its bytes reversed. */
function bswap32(c: Code, v: number): void {
  c.get(v).i32(0xff00ff00).op(Op.i32_and).i32(8).op(Op.i32_rotl);
  c.get(v).i32(0x00ff00ff).op(Op.i32_and).i32(8).op(Op.i32_rotr).op(Op.i32_or);
}
