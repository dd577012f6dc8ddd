// Tier 0's cold path: runs an IR block without generating JS for it. Most blocks of a program run
// only a few times (a static hello world: 650 blocks, 490 of them once), and making a JS function
// of one costs ~50–100 µs of source building and V8 compiling. compileBlock (interp.ts) starts
// every block here and compiles it only once it has run often. The semantics are exactly those of
// interp.ts's generated code, op by op.
//
// A block is translated once (translate) into a flat Int32Array of opcodes and operands
// (eval-ops.ts), which runCode walks calling one small handler per op. Temps live in an
// Int32Array temp file, an i64 as two int32 halves (eval-i64.ts), an i32 in the low one: the
// common ops allocate nothing and never touch BigInt. Rare ops (atomics, FP, helpers, counters)
// go to eval-slow.ts, which converts at the op.
//
// The same form runs in wasm (eval-wasm.ts) when it can: in a short run the handlers run in V8's
// interpreter (eval-module.ts says what that costs). The wasm function leaves the rare ops to
// the handlers, on the same temp file.
import type { BinOp, IRBlock, Op, Terminator, UnOp } from './ir.js';
import type { Tier0Runtime } from './runtime.js';
import { C, HANDLERS, LEN, SLOW_ENDS, evalExit, type SlowPart } from './eval-ops.js';
import { halves } from './eval-slow.js';
import { wasmEvaluator } from './eval-wasm.js';
import { EVAL_SLOT_WORDS, EVAL_SLOTS, EVAL_WORDS } from './wasm/layout.js';

const BIN_FNS: readonly BinOp[] = ['add', 'sub', 'mul', 'mulhs', 'mulhu', 'mulhsu', 'divs', 'divu', 'rems', 'remu', 'and', 'or', 'xor',
  'shl', 'shrl', 'shra', 'rotl', 'rotr', 'eq', 'ne', 'lts', 'ltu', 'les', 'leu'];
const BIN_INDEX = new Map<string, number>(BIN_FNS.map((f, i) => [f, i]));
const UN_FNS: readonly UnOp[] = ['clz', 'ctz', 'popcnt', 'bswap'];
const UN_INDEX = new Map<string, number>(UN_FNS.map((f, i) => [f, i]));
const SLOW_OPS = new Set<string>(['amo', 'cas', 'll', 'sc', 'fbin', 'fsqrt', 'ffma', 'fcmp', 'f2i', 'i2f', 'f2f', 'fclass', 'counter', 'helper']);

/** A block in the evaluator's form (shared by every runtime that runs the IR). One Int32Array
 *  holds the block's temp file (two words per temp, from 0), its code (from `start`), then (from
 *  `starts`) the code position and guest pc of each instruction: a fault at position p is in the
 *  last instruction starting at or before p. Constants are written into the temp file once,
 *  here, and cost nothing per run (they were a quarter of all ops run); temps are SSA, so nothing
 *  overwrites them, and a block never runs inside another. */
export interface EvalCode {
  /** Names the form in the wasm evaluator's scratch (eval-wasm.ts): unique in the process, not 0. */
  readonly id: number;
  readonly ir: IRBlock;
  readonly code: Int32Array;
  readonly start: number;
  readonly starts: number;
  /** What its rare ops and slow terminator need (null: it has none). */
  readonly slow: SlowPart | null;
}

// Translation state (module-level: translate runs once per block, and closures per call showed).
let buf = new Int32Array(1024);
let n = 0;
let marks = new Int32Array(64);
let nmarks = 0;
let types: readonly string[] = [];
let extra = 0;
/** Constants: temp index × 2, low and high half. */
let consts = new Int32Array(96);
let nconsts = 0;

/** Room for one op: at most 2 × 3 words of operand conversion and 5 of its own. */
function room(): void {
  if (n + 16 > buf.length) {
    const nb = new Int32Array(buf.length * 2);
    nb.set(buf);
    buf = nb;
  }
}
function emit(op: C, a = 0, b = 0, c = 0, d = 0): void {
  const k = LEN[op];
  buf[n] = op;
  if (k > 1) buf[n + 1] = a;
  if (k > 2) buf[n + 2] = b;
  if (k > 3) buf[n + 3] = c;
  if (k > 4) buf[n + 4] = d;
  n += k;
}
/** An operand the generated code would sign-extend to i64 (asBig of an i32 temp): a scratch temp. */
function as64(x: number): number {
  if (types[x] === 'i64') return 2 * x;
  const s = extra++;
  emit(C.EXTS, 2 * s, 2 * x);
  return 2 * s;
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
  types = ir.types;
  n = 0;
  nmarks = 0;
  nconsts = 0;
  extra = ir.ntemps;
  const ops = ir.ops;
  const slowOps: Op[] = [];
  let slowEnd: Terminator | null = null;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    room();
    switch (op.op) {
      case 'mark':
        if (nmarks + 2 > marks.length) {
          const nm = new Int32Array(marks.length * 2);
          nm.set(marks);
          marks = nm;
        }
        marks[nmarks++] = n;
        marks[nmarks++] = op.pc | 0;
        break;
      case 'const':
      {
        if (nconsts + 3 > consts.length) {
          const nc = new Int32Array(consts.length * 2);
          nc.set(consts);
          consts = nc;
        }
        const h = halves(op.value); // modulo 2^64 (an i32 reads the low half only)
        consts[nconsts++] = 2 * op.out;
        consts[nconsts++] = h[0];
        consts[nconsts++] = h[1];
        break;
      }
      case 'get': emit(op.ty === 'i64' ? C.GET64 : C.GET32, 2 * op.out, 2 * op.slot); break;
      case 'set': emit(op.ty === 'i64' ? C.SET64 : C.SET32, 2 * op.slot, 2 * op.value); break;
      case 'bin': {
        const k = BIN_INDEX.get(op.fn);
        if (k === undefined) return null;
        emit((op.ty === 'i64' ? C.ADD64 : C.ADD32) + k, 2 * op.out, 2 * op.a, 2 * op.b);
        break;
      }
      case 'un': {
        const k = UN_INDEX.get(op.fn);
        if (k === undefined) return null;
        emit((op.ty === 'i64' ? C.CLZ64 : C.CLZ32) + k, 2 * op.out, 2 * op.a);
        break;
      }
      case 'wrap': emit(C.WRAP, 2 * op.out, 2 * op.a); break;
      case 'extend': emit(op.signed ? C.EXTS : C.EXTU, 2 * op.out, 2 * op.a); break;
      case 'sext': emit(op.ty === 'i64' ? C.SEXT64 : C.SEXT32, 2 * op.out, 2 * op.a, 32 - op.bits); break;
      case 'select': emit(op.ty === 'i64' ? C.SEL64 : C.SEL32, 2 * op.out, 2 * op.cond, 2 * op.a, 2 * op.b); break;
      case 'load': {
        const a = as64(op.addr);
        const c = op.size === 8 ? C.LD8 : op.size === 4 ? (op.signed ? C.LD4S : C.LD4U) : op.size === 2 ? (op.signed ? C.LD2S : C.LD2U) : op.signed ? C.LD1S : C.LD1U;
        emit(c, 2 * op.out, a, op.endian === 'le' ? 1 : 0);
        break;
      }
      case 'store': {
        const a = as64(op.addr);
        const v = op.size === 8 ? as64(op.value) : 2 * op.value;
        emit(op.size === 8 ? C.ST8 : op.size === 4 ? C.ST4 : op.size === 2 ? C.ST2 : C.ST1, a, v, op.endian === 'le' ? 1 : 0);
        break;
      }
      case 'clearReservation': emit(C.CLRRES); break;
      default:
        if (!SLOW_OPS.has((op as Op).op)) return null;
        // The instruction index (counters read it; the generated code passes the same number).
        emit(C.SLOW, slowOps.length, nmarks / 2 - 1);
        slowOps.push(op);
    }
  }
  const e = ir.end;
  room();
  switch (e.op) {
    case 'goto': emit(C.GOTO, e.pc | 0); break;
    case 'jump': emit(types[e.target] === 'i64' ? C.JUMP64 : C.JUMP32, 2 * e.target); break;
    case 'branch':
      // An i64 condition compares a bigint with 0 in the generated code: always taken.
      if (types[e.cond] === 'i64') emit(C.GOTO, e.taken | 0);
      else emit(C.BRANCH, 2 * e.cond, e.taken | 0, e.fall | 0);
      break;
    default:
      if (!SLOW_ENDS.has(e.op)) return null;
      emit(C.END_SLOW);
      slowEnd = e;
  }
  // The temp file first (temp operands index it from 0), then the code and the marks' positions.
  const start = 2 * extra;
  const code = new Int32Array(start + n + nmarks);
  for (let k = 0; k < nconsts; k += 3) {
    code[consts[k]] = consts[k + 1];
    code[consts[k] + 1] = consts[k + 2];
  }
  code.set(buf.subarray(0, n), start);
  for (let k = 0; k < nmarks; k += 2) {
    code[start + n + k] = start + marks[k];
    code[start + n + k + 1] = marks[k + 1];
  }
  const slow = slowOps.length > 0 || slowEnd !== null ? { ops: slowOps, types: ir.types, end: slowEnd } : null;
  return { id: newEvalId(), ir, code, start, starts: start + n, slow };
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
        p = W.run(p, R.stateBase, 4 * base);
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

/** Guest pc of the instruction whose ops include code position p: the last one starting at or
 *  before p (the first one for a fault before any mark, the block's pc if it has none). */
function faultPc(c: EvalCode, p: number): number {
  const code = c.code;
  if (c.starts === code.length) return c.ir.pc;
  let k = c.starts;
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
