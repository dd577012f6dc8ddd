// The dispatcher: one small wasm function that chains region runs without returning to JS.
//   run(fn, block): call table[fn](block, LIMIT − ICOUNT: the budget); then, while the region
//   left with Why.NONE, the scheduler's slice lasts and it does not ask for control, look the
//   returned pc up in the jump cache and call the region that holds it.
// It returns the pc to continue at (tier 0 or the engine takes over) with Slot.WHY set.
import { Code, ExternKind, ModuleBuilder, Op, VT } from './encoder.js';
import { PROFILE_BASE, REGION_BLOCK_BITS, SCHED_PREEMPT, SCHED_SLICE_END, Slot } from './layout.js';
import { emitLookup } from './jump-cache.js';

/** Guest instructions between LIMIT checks (a region re-entered after this picks up code V8 has
 *  optimised in the meantime: it tiers functions up between calls, not inside a running loop). */
export const SLICE = 1 << 20;

export type RunFn = (fn: number, block: number) => number;

export function dispatcherBytes(profile = false, sharedMemory = false): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  mb.importMemory('rt', 'mem', 65536, 65536, sharedMemory);
  mb.importTable('rt', 'table', 0);
  const regionType = mb.type([VT.i32, VT.i64], [VT.i32]);
  const f = mb.declare([VT.i32, VT.i32], [VT.i32]);
  const c = new Code(2);
  const pc = c.local(VT.i32);
  const ic = c.local(VT.i64);
  const h = c.local(VT.i32);
  const v = c.local(VT.i32);
  const ret = () => c.get(pc).op(Op.return);
  const left = () => c.i32(0).mem(Op.i64_load, Slot.LIMIT).i32(0).mem(Op.i64_load, Slot.ICOUNT).op(Op.i64_sub);
  c.get(1);
  left();
  c.get(0).callIndirect(regionType).set(pc);
  c.begin(Op.loop);
  // a special exit, or the JS budget is used up: back to JS
  c.i32(0).mem(Op.i32_load, Slot.WHY).begin(Op.if);
  ret();
  c.end();
  // the scheduler's slice is used up, or it asks for control
  c.i32(0).mem(Op.i64_load, Slot.ICOUNT).tee(ic).i32(0).mem(Op.i64_load, SCHED_SLICE_END).op(Op.i64_ge_u);
  c.i32(0).mem(Op.i32_load, SCHED_PREEMPT).op(Op.i32_or).begin(Op.if);
  ret();
  c.end();
  // LIMIT = min(ic + SLICE, slice end)
  c.get(ic).i32(0).mem(Op.i64_load, Slot.LIMIT).op(Op.i64_ge_u).begin(Op.if);
  c.i32(0).get(ic).i64(SLICE).op(Op.i64_add).tee(ic).i32(0).mem(Op.i64_load, SCHED_SLICE_END).get(ic).i32(0).mem(Op.i64_load, SCHED_SLICE_END);
  c.op(Op.i64_lt_u).op(Op.select).mem(Op.i64_store, Slot.LIMIT);
  c.end();
  // jump cache lookup: a miss returns to JS
  emitLookup(c, pc, h, () => {
    c.set(v);
    c.i32(0).i32(0).mem(Op.i32_load, Slot.CALLS).i32(1).op(Op.i32_add).mem(Op.i32_store, Slot.CALLS);
    if (profile) {
      // chained calls per jump-cache set (CROSSRUN_JIT_PROFILE)
      c.get(h).i32(2).op(Op.i32_shr_u).get(h).i32(2).op(Op.i32_shr_u);
      c.mem(Op.i32_load, PROFILE_BASE).i32(1).op(Op.i32_add).mem(Op.i32_store, PROFILE_BASE);
    }
    c.get(v).i32((1 << REGION_BLOCK_BITS) - 1).op(Op.i32_and);
    left();
    c.get(v).i32(REGION_BLOCK_BITS).op(Op.i32_shr_u).callIndirect(regionType).set(pc);
    c.br(1); // the dispatch loop (out of the lookup's $miss block)
  });
  ret();
  c.end();
  c.op(Op.unreachable);
  mb.define(f, c);
  mb.export('run', ExternKind.func, f);
  return mb.toBytes();
}

/** A module that imports the JS host functions once and exports wasm trampolines for them:
 *  region modules import those, so V8 builds the wasm→JS wrappers once, not per region module. */
export function trampolineBytes(imports: Record<string, readonly [readonly VT[], readonly VT[]]>): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  const names = Object.keys(imports);
  const js = names.map((n) => mb.importFunc('js', n, [...imports[n][0]], [...imports[n][1]]));
  names.forEach((n, i) => {
    const [params, results] = imports[n];
    const f = mb.declare([...params], [...results]);
    const c = new Code(params.length);
    params.forEach((_, p) => c.get(p));
    c.call(js[i]);
    mb.define(f, c);
    mb.export(n, ExternKind.func, f);
  });
  return mb.toBytes();
}
