// The dispatcher: one small wasm function that chains region runs without returning to JS.
//   run(fn, block): call table[fn](block); then, while the region left with Why.NONE and the budget
//   lasts, look the returned pc up in the jump cache and call the region that holds it.
// It returns the pc to continue at (tier 0 or the engine takes over) with Slot.WHY set.
import { Code, ExternKind, ModuleBuilder, Op, VT } from './encoder.js';
import { JC_BASE, JC_ENTRIES, REGION_BLOCK_BITS, Slot } from './layout.js';

/** Guest instructions between LIMIT checks (a region re-entered after this picks up code V8 has
 *  optimised in the meantime: it tiers functions up between calls, not inside a running loop). */
export const SLICE = 1 << 20;

export type RunFn = (fn: number, block: number) => number;

export function dispatcherBytes(): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  mb.importMemory('rt', 'mem', 65536, 65536);
  mb.importTable('rt', 'table', 0);
  const regionType = mb.type([VT.i32], [VT.i32]);
  const f = mb.declare([VT.i32, VT.i32], [VT.i32]);
  const c = new Code(2);
  const pc = c.local(VT.i32);
  const ic = c.local(VT.i64);
  const h = c.local(VT.i32);
  const v = c.local(VT.i32);
  const ret = () => c.get(pc).op(Op.return);
  c.get(1).get(0).callIndirect(regionType).set(pc);
  c.begin(Op.loop);
  // a special exit, or the JS budget is used up: back to JS
  c.i32(0).mem(Op.i32_load, Slot.WHY).begin(Op.if);
  ret();
  c.end();
  c.i32(0).mem(Op.i64_load, Slot.ICOUNT).tee(ic).i32(0).mem(Op.i64_load, Slot.JSLIMIT).op(Op.i64_ge_u).begin(Op.if);
  ret();
  c.end();
  c.get(ic).i32(0).mem(Op.i64_load, Slot.LIMIT).op(Op.i64_ge_u).begin(Op.if);
  c.i32(0).get(ic).i64(SLICE).op(Op.i64_add).mem(Op.i64_store, Slot.LIMIT);
  c.end();
  // jump cache lookup
  c.get(pc).i32(1).op(Op.i32_shr_u).i32(JC_ENTRIES - 1).op(Op.i32_and).i32(3).op(Op.i32_shl).tee(h);
  c.mem(Op.i32_load, JC_BASE).get(pc).op(Op.i32_ne).begin(Op.if);
  ret();
  c.end();
  c.get(h).mem(Op.i32_load, JC_BASE + 4).tee(v).i32((1 << REGION_BLOCK_BITS) - 1).op(Op.i32_and);
  c.i32(0).i32(0).mem(Op.i32_load, Slot.CALLS).i32(1).op(Op.i32_add).mem(Op.i32_store, Slot.CALLS);
  c.get(v).i32(REGION_BLOCK_BITS).op(Op.i32_shr_u).callIndirect(regionType).set(pc);
  c.br(0);
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
