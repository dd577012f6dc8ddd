// The encoder of tier 0's evaluator form (ir-eval.ts): one function per IR op, appending its
// opcode and operands (eval-ops.ts). Two writers use it: translate (ir-eval.ts), from an IRBlock's
// ops, and EvalBuilder (eval-builder.ts), straight from a lifter's calls, with no ops made.
//
// One block is encoded at a time (begin … finish), in module-level state: it runs for every op
// lifted, and closures or objects per block showed in start-up profiles.
import type { BinOp, Endian, IntTy, MemSize, Op, Terminator, UnOp } from '../ir.js';
import { C, FP_LEN, LEN, SLOW_ENDS, type SlowPart } from './eval-ops.js';
import { FpWord, fpOpcode, fpValueOperands, type FpIROp } from './eval-fp-ops.js';
import { assert } from '../../types.js';

const BIN_FNS: readonly BinOp[] = ['add', 'sub', 'mul', 'mulhs', 'mulhu', 'mulhsu', 'divs', 'divu', 'rems', 'remu', 'and', 'or', 'xor',
  'shl', 'shrl', 'shra', 'rotl', 'rotr', 'eq', 'ne', 'lts', 'ltu', 'les', 'leu'];
const BIN_INDEX = new Map<string, number>(BIN_FNS.map((f, i) => [f, i]));
const UN_FNS: readonly UnOp[] = ['clz', 'ctz', 'popcnt', 'bswap'];
const UN_INDEX = new Map<string, number>(UN_FNS.map((f, i) => [f, i]));

/** The evaluator form of one block: code (the temp file from 0, the ops from `start`, the marks'
 *  positions and pcs from `starts`), and what its slow path needs. */
export interface EncodedBlock {
  readonly code: Int32Array;
  readonly start: number;
  readonly starts: number;
  readonly slow: SlowPart | null;
}

let buf = new Int32Array(1024);
let n = 0;
let marks = new Int32Array(64);
let nmarks = 0;
let types: readonly IntTy[] = [];
/** Constants: temp index × 2, low and high half. */
let consts = new Int32Array(96);
let nconsts = 0;
/** Temps the encoder adds (an i32 operand sign-extended where the op takes an i64): numbered
 *  after the block's own, which a builder has not all made yet. Their operands are written as
 *  -1 - k and their code positions kept here, and finish writes the real index. */
let scratch = new Int32Array(16);
let nscratchAt = 0;
let nscratch = 0;
let slowOps: Op[] = [];
/** Scratch temps holding a constant (FP ops' rounding modes and absent operands,
 *  eval-fp-ops.ts): [operand marker (-1 - k), value] pairs, for finish to write. */
const scratchConsts: number[] = [];
/** The scratch temp FP ops without a flags temp write their flags to (0: none yet). */
let sinkTemp = 0;

/** Starts a block whose temps have these types (the array may grow while the block is encoded). */
export function begin(tempTypes: readonly IntTy[]): void {
  types = tempTypes;
  n = 0;
  nmarks = 0;
  nconsts = 0;
  nscratchAt = 0;
  nscratch = 0;
  slowOps = [];
  scratchConsts.length = 0;
  sinkTemp = 0;
}

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
/** Notes that code position p holds a scratch temp's operand (when it does). */
function scratchOperand(p: number): void {
  if (buf[p] >= 0) return;
  if (nscratchAt === scratch.length) {
    const ns = new Int32Array(scratch.length * 2);
    ns.set(scratch);
    scratch = ns;
  }
  scratch[nscratchAt++] = p;
}
/** Operand x as the i64 an op takes: x's own words, or (an i32) a scratch temp holding it
 *  sign-extended, as the generated code's asBig would. */
function as64(x: number): number {
  if (types[x] === 'i64') return 2 * x;
  const s = -1 - nscratch++;
  emit(C.EXTS, s, 2 * x);
  scratchOperand(n - 2);
  return s;
}

export function mark(pc: number): void {
  if (nmarks + 2 > marks.length) {
    const nm = new Int32Array(marks.length * 2);
    nm.set(marks);
    marks = nm;
  }
  marks[nmarks++] = n;
  marks[nmarks++] = pc | 0;
}
/** A constant, as its low and high words (an i32 reads the low one only). */
export function constant(out: number, lo: number, hi: number): void {
  if (nconsts + 3 > consts.length) {
    const nc = new Int32Array(consts.length * 2);
    nc.set(consts);
    consts = nc;
  }
  consts[nconsts++] = 2 * out;
  consts[nconsts++] = lo;
  consts[nconsts++] = hi;
}
export function get(ty: IntTy, out: number, slot: number): void {
  room();
  emit(ty === 'i64' ? C.GET64 : C.GET32, 2 * out, 2 * slot);
}
export function set(ty: IntTy, slot: number, value: number): void {
  room();
  emit(ty === 'i64' ? C.SET64 : C.SET32, 2 * slot, 2 * value);
}
/** False if the evaluator lacks fn. */
export function bin(fn: BinOp, ty: IntTy, out: number, a: number, b: number): boolean {
  const k = BIN_INDEX.get(fn);
  if (k === undefined) return false;
  room();
  emit((ty === 'i64' ? C.ADD64 : C.ADD32) + k, 2 * out, 2 * a, 2 * b);
  return true;
}
/** False if the evaluator lacks fn. */
export function un(fn: UnOp, ty: IntTy, out: number, a: number): boolean {
  const k = UN_INDEX.get(fn);
  if (k === undefined) return false;
  room();
  emit((ty === 'i64' ? C.CLZ64 : C.CLZ32) + k, 2 * out, 2 * a);
  return true;
}
export function wrap(out: number, a: number): void {
  room();
  emit(C.WRAP, 2 * out, 2 * a);
}
export function extend(out: number, a: number, signed: boolean): void {
  room();
  emit(signed ? C.EXTS : C.EXTU, 2 * out, 2 * a);
}
export function sext(ty: IntTy, out: number, a: number, bits: number): void {
  room();
  emit(ty === 'i64' ? C.SEXT64 : C.SEXT32, 2 * out, 2 * a, 32 - bits);
}
export function select(ty: IntTy, out: number, cond: number, a: number, b: number): void {
  room();
  emit(ty === 'i64' ? C.SEL64 : C.SEL32, 2 * out, 2 * cond, 2 * a, 2 * b);
}
export function load(out: number, size: MemSize, signed: boolean, endian: Endian, addr: number): void {
  room();
  const a = as64(addr);
  const c = size === 8 ? C.LD8 : size === 4 ? (signed ? C.LD4S : C.LD4U) : size === 2 ? (signed ? C.LD2S : C.LD2U) : signed ? C.LD1S : C.LD1U;
  emit(c, 2 * out, a, endian === 'le' ? 1 : 0);
  scratchOperand(n - 2);
}
export function store(size: MemSize, endian: Endian, addr: number, value: number): void {
  room();
  const a = as64(addr);
  const v = size === 8 ? as64(value) : 2 * value;
  emit(size === 8 ? C.ST8 : size === 4 ? C.ST4 : size === 2 ? C.ST2 : C.ST1, a, v, endian === 'le' ? 1 : 0);
  scratchOperand(n - 3);
  scratchOperand(n - 2);
}
export function clearReservation(): void {
  room();
  emit(C.CLRRES);
}
/** An op the evaluator runs on its slow path (eval-slow.ts), or an FP op with a wasm fast path
 *  that falls back to it (eval-fp-ops.ts). */
export function slow(op: Op): void {
  room();
  // The instruction index (counters read it; the generated code passes the same number).
  if (!fpOp(op, slowOps.length, nmarks / 2 - 1)) emit(C.SLOW, slowOps.length, nmarks / 2 - 1);
  slowOps.push(op);
}

/** Encodes op as an FP op if it has an opcode and its value operands are temps of the types the
 *  op reads (eval-fp-ops.ts); else false. */
function fpOp(op: Op, index: number, insn: number): boolean {
  const code = fpOpcode(op);
  if (code === undefined) return false;
  const o = op as FpIROp;
  const values = fpValueOperands(o);
  for (const [, t, ty] of values) if (types[t] !== ty) return false;
  buf[n] = code;
  buf[n + 1] = index;
  buf[n + 2] = insn;
  // Each operand word is written once: scratchOperand notes the ones holding a scratch marker.
  fpOperand(FpWord.OUT, 2 * o.out);
  for (let w = FpWord.A; w <= FpWord.C; w++) {
    const v = values.find(([vw]) => vw === w);
    fpOperand(w, v !== undefined ? 2 * v[1] : constTemp(0));
  }
  if ('rm' in o) fpOperand(FpWord.RM, 'dyn' in o.rm ? 2 * o.rm.dyn : constTemp(o.rm.static));
  else fpOperand(FpWord.RM, o.mode !== undefined ? 2 * o.mode : constTemp(0));
  fpOperand(FpWord.FLAGS, o.flags !== undefined ? 2 * o.flags : sinkTemp === 0 ? (sinkTemp = -1 - nscratch++) : sinkTemp);
  n += FP_LEN;
  return true;
}

/** Operand word w of the FP op being encoded at n. */
function fpOperand(w: FpWord, word: number): void {
  buf[n + w] = word;
  scratchOperand(n + w);
}

/** A scratch temp whose low word holds `value` (one per value in a block). */
function constTemp(value: number): number {
  for (let k = 0; k < scratchConsts.length; k += 2) if (scratchConsts[k + 1] === value) return scratchConsts[k];
  const m = -1 - nscratch++;
  scratchConsts.push(m, value);
  return m;
}

/** The temps whose constant has these low and high words. */
export function tempsHolding(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < nconsts; k += 3) if (consts[k + 1] === lo && consts[k + 2] === hi) out.push(consts[k] >> 1);
  return out;
}

/** Ends the block with `end` and returns it encoded; null if the evaluator lacks the terminator.
 *  ntemps: the block's temp count (the scratch temps follow). */
export function finish(end: Terminator, ntemps: number): EncodedBlock | null {
  room();
  let slowEnd: Terminator | null = null;
  switch (end.op) {
    case 'goto': emit(C.GOTO, end.pc | 0); break;
    case 'jump': emit(types[end.target] === 'i64' ? C.JUMP64 : C.JUMP32, 2 * end.target); break;
    case 'branch':
      // An i64 condition compares a bigint with 0 in the generated code: always taken.
      if (types[end.cond] === 'i64') emit(C.GOTO, end.taken | 0);
      else emit(C.BRANCH, 2 * end.cond, end.taken | 0, end.fall | 0);
      break;
    default:
      if (!SLOW_ENDS.has(end.op)) return null;
      emit(C.END_SLOW);
      slowEnd = end;
  }
  assert(ntemps >= types.length, 'a block has more temps than it says');
  for (let k = 0; k < nscratchAt; k++) buf[scratch[k]] = 2 * (ntemps - 1 - buf[scratch[k]]);
  // The temp file first (temp operands index it from 0), then the code and the marks' positions.
  const start = 2 * (ntemps + nscratch);
  const code = new Int32Array(start + n + nmarks);
  for (let k = 0; k < nconsts; k += 3) {
    code[consts[k]] = consts[k + 1];
    code[consts[k] + 1] = consts[k + 2];
  }
  for (let k = 0; k < scratchConsts.length; k += 2) code[2 * (ntemps - 1 - scratchConsts[k])] = scratchConsts[k + 1];
  code.set(buf.subarray(0, n), start);
  for (let k = 0; k < nmarks; k += 2) {
    code[start + n + k] = start + marks[k];
    code[start + n + k + 1] = marks[k + 1];
  }
  const slow = slowOps.length > 0 || slowEnd !== null ? { ops: slowOps, types, end: slowEnd } : null;
  return { code, start, starts: start + n, slow };
}
