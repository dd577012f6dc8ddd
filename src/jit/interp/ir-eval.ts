// Tier 0's cold path: runs an IR block without generating JS for it. Most blocks of a program run
// only a few times (a static hello world: 650 blocks, 490 of them once), and making a JS function
// of one costs ~50–100 µs of source building and V8 compiling. compileBlock (compile-block.ts) starts
// every block here and compiles it only once it has run often. The semantics are exactly those of
// compile-block.ts's generated code, op by op.
//
// A block is translated once (translate; a block new to the run is lifted straight into this
// form instead, eval-builder.ts) into a flat Int32Array of opcodes and operands (eval-ops.ts,
// encoded by eval-asm.ts), which runCode walks calling one small handler per op. Temps live in an
// Int32Array temp file, an i64 as two int32 halves (eval-i64.ts), an i32 in the low one: the
// common ops allocate nothing and never touch BigInt. Rare ops (atomics, FP, helpers, counters)
// go to eval-slow.ts, which converts at the op (the wasm evaluator runs most FP ops itself:
// eval-fp.ts).
//
// The same form runs in wasm (eval-wasm.ts) when it can: in a short run the handlers run in V8's
// interpreter (eval-module.ts says what that costs). The wasm function leaves the rare ops to
// the handlers, on the same temp file.
import type { IRBlock, Op } from '../ir.js';
import type { Tier0Runtime } from './runtime.js';
import * as asm from './eval-asm.js';
import { HANDLERS, evalExit } from './eval-ops.js';
import { halves } from './eval-slow.js';
import { wasmEvaluator } from './eval-wasm.js';
import { EVAL_CODE, EVAL_SLOT_WORDS, EVAL_SLOTS, EVAL_WORDS } from '../wasm/layout.js';

const SLOW_OPS = new Set<string>(['amo', 'cas', 'll', 'sc', 'fbin', 'fsqrt', 'ffma', 'fcmp', 'f2i', 'i2f', 'f2f', 'fclass', 'counter', 'helper']);

/** A block in the evaluator's form (shared by every runtime that runs the IR). One Int32Array
 *  holds the block's temp file (two words per temp, from 0), its code (from `start`), then (from
 *  `starts`) the code position and guest pc of each instruction: a fault at position p is in the
 *  last instruction starting at or before p. Constants are written into the temp file once,
 *  here, and cost nothing per run (they were a quarter of all ops run); temps are SSA, so nothing
 *  overwrites them, and a block never runs inside another. */
export interface EvalCode extends asm.EncodedBlock {
  /** Names the form in the wasm evaluator's scratch (eval-wasm.ts): unique in the process, not 0. */
  readonly id: number;
  readonly ir: IRBlock;
}

let lastId = 0;
/** An id for a new EvalCode. */
export function newEvalId(): number {
  lastId = lastId === 0x7fffffff ? 1 : lastId + 1;
  return lastId;
}

/** The block in the evaluator's form, or null if it has an op the evaluator does not know (such a
 *  block is compiled at once). */
export function translate(ir: IRBlock): EvalCode | null {
  asm.begin(ir.types);
  const ops = ir.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    switch (op.op) {
      case 'mark': asm.mark(op.pc); break;
      case 'const': {
        const h = halves(op.value); // modulo 2^64 (an i32 reads the low half only)
        asm.constant(op.out, h[0], h[1]);
        break;
      }
      case 'get': asm.get(op.ty, op.out, op.slot); break;
      case 'set': asm.set(op.ty, op.slot, op.value); break;
      case 'bin': if (!asm.bin(op.fn, op.ty, op.out, op.a, op.b)) return null; break;
      case 'un': if (!asm.un(op.fn, op.ty, op.out, op.a)) return null; break;
      case 'wrap': asm.wrap(op.out, op.a); break;
      case 'extend': asm.extend(op.out, op.a, op.signed); break;
      case 'sext': asm.sext(op.ty, op.out, op.a, op.bits); break;
      case 'select': asm.select(op.ty, op.out, op.cond, op.a, op.b); break;
      case 'load': asm.load(op.out, op.size, op.signed, op.endian, op.addr); break;
      case 'store': asm.store(op.size, op.endian, op.addr, op.value); break;
      case 'clearReservation': asm.clearReservation(); break;
      default:
        if (!SLOW_OPS.has((op as Op).op)) return null;
        asm.slow(op);
    }
  }
  const e = asm.finish(ir.end, ir.ntemps);
  return e === null ? null : { id: newEvalId(), ir, code: e.code, start: e.start, starts: e.starts, slow: e.slow };
}

/** Runs a translated block once against R; returns the next guest pc (as its compiled function would).
 *  In the wasm evaluator when there is one: from the scratch, the ops it leaves in JS (their
 *  handlers read the same positions there). */
export function runCode(c: EvalCode, R: Tier0Runtime): number {
  const code = c.code;
  const H = HANDLERS;
  evalExit.slow = c.slow;
  let p = c.start;
  let W = R.evaluator;
  if (W === undefined) W = R.evaluator = wasmEvaluator(R.mem.memory);
  try {
    if (W !== null && code.length <= EVAL_WORDS) {
      let t: Int32Array;
      let base = 0;
      if (code.length <= EVAL_SLOT_WORDS) {
        const s = c.id % EVAL_SLOTS;
        t = W.slots[s];
        base = s * EVAL_SLOT_WORDS;
        if (W.ids[s] !== c.id) {
          t.set(code);
          W.ids[s] = c.id;
        }
      } else {
        // A long form takes the whole scratch, every slot.
        t = W.words;
        W.ids.fill(0);
        t.set(code);
      }
      for (;;) {
        p = W.run(p, R.stateBase, EVAL_CODE + 4 * base);
        if (p < 0) return W.nextPc[0];
        p = H[code[p]](t, code, p, R);
        if (p < 0) return evalExit.pc;
      }
    }
    do p = H[code[p]](code, code, p, R);
    while (p >= 0);
  } catch (e) {
    R.faultPc = faultPc(c, p);
    throw e;
  }
  return evalExit.pc;
}

function faultPc(c: EvalCode, p: number): number {
  return faultPcIn(c.code, c.starts, c.ir.pc, p);
}

/** Guest pc of the instruction whose ops include code position p of a form whose marks start at
 *  `starts`: the last one starting at or before p (the first one for a fault before any mark, the
 *  block's pc if it has none). */
export function faultPcIn(code: Int32Array, starts: number, blockPc: number, p: number): number {
  if (starts === code.length) return blockPc;
  let k = starts;
  while (k + 2 < code.length && code[k + 2] <= p) k += 2;
  return code[k + 1] >>> 0;
}

const cache = new WeakMap<IRBlock, EvalCode | null>();

/** Runs the block once against rt; returns the next guest pc (as its compiled function would). */
export function evalBlock(ir: IRBlock, R: Tier0Runtime): number {
  let c = cache.get(ir);
  if (c === undefined) {
    c = translate(ir);
    cache.set(ir, c);
  }
  if (c === null) throw new Error('crossrun internal error: evalBlock cannot run this block');
  return runCode(c, R);
}
