// The jump cache in wasm: the lookup both the dispatcher and region exits emit, and its JS side
// (insertion, clearing). Layout in layout.ts: 2-way sets of { pc, target }, newest first.
import { Code, Op, VT } from './encoder.js';
import { JC_BASE, JC_SET_FOLD, JC_SETS, jcSet } from './layout.js';

/**
 * Emits: look up the i32 pc in local `pc`; on a hit run `hit` with the target on the stack, on a
 * miss fall through. `h` is an i32 scratch local. `open` tells the caller's label bookkeeping that
 * two blocks were opened (their depths shift by 2 inside `hit`) and `close` that they closed.
 */
export function emitLookup(c: Code, pc: number, h: number, hit: () => void, open: () => void = () => {}, close: () => void = () => {}): void {
  c.begin(Op.block); // $miss
  c.begin(Op.block, VT.i32); // $hit, carrying the target
  open();
  emitJcSet(c, pc);
  c.i32(4).op(Op.i32_shl).tee(h);
  c.mem(Op.i32_load, JC_BASE).get(pc).op(Op.i32_eq).begin(Op.if);
  c.get(h).mem(Op.i32_load, JC_BASE + 4).br(1);
  c.end();
  c.get(h).mem(Op.i32_load, JC_BASE + 8).get(pc).op(Op.i32_eq).begin(Op.if);
  c.get(h).mem(Op.i32_load, JC_BASE + 12).br(1);
  c.end();
  c.br(1); // miss
  c.end(); // $hit: target on the stack
  hit();
  c.end(); // $miss
  close();
}

/** Pushes the jump-cache set (i32) of the pc in local `pc`: layout.ts's jcSet. */
export function emitJcSet(c: Code, pc: number): void {
  c.get(pc).i32(1).op(Op.i32_shr_u);
  c.get(pc).i32(1 + JC_SET_FOLD).op(Op.i32_shr_u).op(Op.i32_xor);
  c.i32(JC_SETS - 1).op(Op.i32_and);
}

/** Word index (in an Int32Array over memory) of the first entry of pc's set. */
function setWord(pc: number): number {
  return (JC_BASE >>> 2) + jcSet(pc) * 4;
}

/** Enter pc → target, as the newest entry of its set (the other one keeps the previous newest). */
export function jcInsert(i32: Int32Array, pc: number, target: number): void {
  const w = setWord(pc);
  const key = pc | 0;
  if (i32[w] === key) {
    i32[w + 1] = target;
    return;
  }
  // the previous newest moves to the second entry (replacing pc's old entry there, if any)
  i32[w + 2] = i32[w];
  i32[w + 3] = i32[w + 1];
  i32[w] = key;
  i32[w + 1] = target;
}

export function jcClear(i32: Int32Array): void {
  i32.fill(-1, JC_BASE >>> 2, (JC_BASE >>> 2) + JC_SETS * 4);
}
