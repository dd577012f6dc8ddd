// Tier 0's wasm evaluator (eval-module.ts), one instance per guest memory: the module (19 KB)
// is compiled once per process and instantiated on each memory that runs blocks. V8 compiles its
// functions with its baseline compiler (~0.7 ms). With V8's usual budget it optimised the dispatch
// loop in the background after a few hundred ops: ~6 ms of CPU time (on another core) in every
// run, also a static hello world's, which that code never paid back. The evaluator runs a block's
// first executions only (hot blocks go to JS or to regions), so it gets TIERING_FACTOR times the
// budget: optimised in long runs, not in short ones (perf stat, warm hello: 49 → 42 ms task-clock;
// lua and sqlite3 from the bench, cold and warm stores: no slower). ir-eval.ts's runCode
// copies a block's evaluator form into a slot of the memory's scratch (unless the slot holds it
// already: its id is there; slot = id mod EVAL_SLOTS, so the blocks of a loop tend to stay) and
// runs it there; the ops the wasm function leaves come back to the JS handlers. CROSSRUN_EVAL=js
// runs every op in JS.
import { compileWithTieringBudget } from '../../host-v8-flags.js';
import { prebuiltModule } from '../wasm/prebuilt.js';
import { EVAL_CODE, EVAL_IDS, EVAL_NEXT_PC, EVAL_SLOT_WORDS, EVAL_SLOTS, EVAL_WORDS } from '../wasm/layout.js';

export interface WasmEvaluator {
  /** Runs the form at address `base` (in the scratch) from code position p with the CPU state
   *  slots at `state`: -1 after a terminator (the next pc is nextPc[0]), else the position of an
   *  op for the JS handler. */
  readonly run: (p: number, state: number, base: number) => number;
  /** Runs the block arena's records one after another (eval-module.ts, eval-arena.ts). */
  readonly chain: (p: number, state: number) => number;
  /** The scratch as words, and as each slot's words (the form's temp file from 0). */
  readonly words: Int32Array;
  readonly slots: readonly Int32Array[];
  /** The id of the form each slot holds (0: none). */
  readonly ids: Int32Array;
  readonly nextPc: Uint32Array;
}

const enabled = process.env.CROSSRUN_EVAL !== 'js';
const TIERING_FACTOR = 500;
let module: WebAssembly.Module | null = null;
const byMemory = new WeakMap<WebAssembly.Memory, WasmEvaluator>();

/** The evaluator on `memory`, or null when it is off. */
export function wasmEvaluator(memory: WebAssembly.Memory): WasmEvaluator | null {
  if (!enabled) return null;
  let ev = byMemory.get(memory);
  if (ev === undefined) {
    module ??= compileWithTieringBudget(prebuiltModule('evaluator'), TIERING_FACTOR);
    const instance = new WebAssembly.Instance(module, { m: { memory } });
    const slots: Int32Array[] = [];
    for (let s = 0; s < EVAL_SLOTS; s++) slots.push(new Int32Array(memory.buffer, EVAL_CODE + 4 * EVAL_SLOT_WORDS * s, EVAL_SLOT_WORDS));
    ev = {
      run: instance.exports.run as (p: number, state: number, base: number) => number,
      chain: instance.exports.chain as (p: number, state: number) => number,
      words: new Int32Array(memory.buffer, EVAL_CODE, EVAL_WORDS),
      slots,
      ids: new Int32Array(memory.buffer, EVAL_IDS, EVAL_SLOTS),
      nextPc: new Uint32Array(memory.buffer, EVAL_NEXT_PC, 1),
    };
    byMemory.set(memory, ev);
  }
  return ev;
}
