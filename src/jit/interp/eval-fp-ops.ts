// The FP ops tier 0's evaluator runs natively in wasm (eval-fp.ts) rather than always in JS
// (eval-slow.ts): which IR op each opcode is, and where its operands sit in the form. One table
// serves the encoder (eval-asm.ts: IR op → opcode) and the wasm cases (opcode → the op to emit).
//
// An FP op is FP_LEN words (eval-ops.ts): the opcode, SLOW's two operands (the op's index in the
// block's SlowPart and the instruction index: the JS handler runs it as SLOW does), then one temp
// operand per role (FpWord). The rounding mode is always a temp: a static mode's is a constant
// temp, which the fast paths read as they read a dynamic one. A role the op lacks names a temp
// holding 0 (fcmp without FpMode bits, unused operands), or, for flags, one that is written and
// never read.
import type { FloatFmt, IntTy, Op } from '../ir.js';
import { C } from './eval-ops.js';

/** Word offsets of the operands within an FP op. */
export const enum FpWord { OUT = 3, A = 4, B = 5, C = 6, RM = 7, FLAGS = 8 }

/** The IR ops that have an opcode, by the fields that pick the opcode (as the IR op names them). */
export type FpShape =
  | { readonly op: 'fbin'; readonly fn: 'add' | 'sub' | 'mul' | 'div'; readonly fmt: FloatFmt }
  | { readonly op: 'fsqrt' | 'ffma'; readonly fmt: FloatFmt }
  | { readonly op: 'fcmp'; readonly fn: 'eq' | 'lt' | 'le'; readonly fmt: FloatFmt }
  | { readonly op: 'f2i'; readonly from: FloatFmt; readonly ty: IntTy; readonly signed: boolean }
  | { readonly op: 'i2f'; readonly to: FloatFmt; readonly from: IntTy; readonly signed: boolean }
  | { readonly op: 'f2f'; readonly from: FloatFmt; readonly to: FloatFmt };

export const FP_OPCODES: readonly (readonly [C, FpShape])[] = [
  [C.FADD64, { op: 'fbin', fn: 'add', fmt: 'f64' }],
  [C.FSUB64, { op: 'fbin', fn: 'sub', fmt: 'f64' }],
  [C.FMUL64, { op: 'fbin', fn: 'mul', fmt: 'f64' }],
  [C.FDIV64, { op: 'fbin', fn: 'div', fmt: 'f64' }],
  [C.FADD32, { op: 'fbin', fn: 'add', fmt: 'f32' }],
  [C.FSUB32, { op: 'fbin', fn: 'sub', fmt: 'f32' }],
  [C.FMUL32, { op: 'fbin', fn: 'mul', fmt: 'f32' }],
  [C.FDIV32, { op: 'fbin', fn: 'div', fmt: 'f32' }],
  [C.FSQRT64, { op: 'fsqrt', fmt: 'f64' }],
  [C.FSQRT32, { op: 'fsqrt', fmt: 'f32' }],
  [C.FMA64, { op: 'ffma', fmt: 'f64' }],
  [C.FMA32, { op: 'ffma', fmt: 'f32' }],
  [C.FEQ64, { op: 'fcmp', fn: 'eq', fmt: 'f64' }],
  [C.FLT64, { op: 'fcmp', fn: 'lt', fmt: 'f64' }],
  [C.FLE64, { op: 'fcmp', fn: 'le', fmt: 'f64' }],
  [C.FEQ32, { op: 'fcmp', fn: 'eq', fmt: 'f32' }],
  [C.FLT32, { op: 'fcmp', fn: 'lt', fmt: 'f32' }],
  [C.FLE32, { op: 'fcmp', fn: 'le', fmt: 'f32' }],
  [C.F64TOI32, { op: 'f2i', from: 'f64', ty: 'i32', signed: true }],
  [C.F64TOU32, { op: 'f2i', from: 'f64', ty: 'i32', signed: false }],
  [C.F64TOI64, { op: 'f2i', from: 'f64', ty: 'i64', signed: true }],
  [C.F64TOU64, { op: 'f2i', from: 'f64', ty: 'i64', signed: false }],
  [C.F32TOI32, { op: 'f2i', from: 'f32', ty: 'i32', signed: true }],
  [C.F32TOU32, { op: 'f2i', from: 'f32', ty: 'i32', signed: false }],
  [C.F32TOI64, { op: 'f2i', from: 'f32', ty: 'i64', signed: true }],
  [C.F32TOU64, { op: 'f2i', from: 'f32', ty: 'i64', signed: false }],
  [C.I32TOF64, { op: 'i2f', to: 'f64', from: 'i32', signed: true }],
  [C.U32TOF64, { op: 'i2f', to: 'f64', from: 'i32', signed: false }],
  [C.I64TOF64, { op: 'i2f', to: 'f64', from: 'i64', signed: true }],
  [C.U64TOF64, { op: 'i2f', to: 'f64', from: 'i64', signed: false }],
  [C.I32TOF32, { op: 'i2f', to: 'f32', from: 'i32', signed: true }],
  [C.U32TOF32, { op: 'i2f', to: 'f32', from: 'i32', signed: false }],
  [C.I64TOF32, { op: 'i2f', to: 'f32', from: 'i64', signed: true }],
  [C.U64TOF32, { op: 'i2f', to: 'f32', from: 'i64', signed: false }],
  [C.F32TOF64, { op: 'f2f', from: 'f32', to: 'f64' }],
  [C.F64TOF32, { op: 'f2f', from: 'f64', to: 'f32' }],
];

/** The fields that pick an opcode, of a shape or of an IR op (they name them alike; another op's
 *  key matches no shape's). */
type ShapeFields = { op: string; fn?: string; fmt?: string; from?: string; to?: string; ty?: string; signed?: boolean };
function shapeKey(s: ShapeFields): string {
  return `${s.op} ${s.fn} ${s.fmt} ${s.from} ${s.to} ${s.ty} ${s.signed}`;
}
/** Opcodes by shapeKey (made at the first lift of a slow op: a run from the store lifts none). */
let byShape: Map<string, C> | undefined;

/** The ops an opcode may stand for. */
export type FpIROp = Extract<Op, { op: FpShape['op'] }>;

/** The opcode of an FP op, if it has one (no other op's fields make a key in the table). */
export function fpOpcode(op: Op): C | undefined {
  byShape ??= new Map(FP_OPCODES.map(([c, s]) => [shapeKey(s), c]));
  return byShape.get(shapeKey(op as ShapeFields));
}

/** Each value operand of op with the temp type the op reads it as (the JS handler reads a temp
 *  by its own type, the fast path by the op's: they must agree). */
export function fpValueOperands(op: FpIROp): [FpWord, number, IntTy][] {
  const as = (f: FloatFmt | IntTy): IntTy => (f === 'f64' || f === 'i64' ? 'i64' : 'i32');
  switch (op.op) {
    case 'fbin':
    case 'fcmp':
      return [[FpWord.A, op.a, as(op.fmt)], [FpWord.B, op.b, as(op.fmt)]];
    case 'fsqrt':
      return [[FpWord.A, op.a, as(op.fmt)]];
    case 'ffma':
      return [[FpWord.A, op.a, as(op.fmt)], [FpWord.B, op.b, as(op.fmt)], [FpWord.C, op.c, as(op.fmt)]];
    case 'f2i':
    case 'i2f':
    case 'f2f':
      return [[FpWord.A, op.a, as(op.from)]];
  }
}
