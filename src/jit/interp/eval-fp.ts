// Tier 0's FP ops in wasm: fp(pb, base), a function of the evaluator module (eval-module.ts) that
// runs the FP op at address pb of a form whose temp file is at `base`, with the region tier's fast
// paths (wasm/fp-native.ts: the host's result wherever it provably equals the FPU library's,
// flags included). It returns 0 when done, 1 where the op needs the library: the evaluator then
// leaves it to the JS handler, as it leaves SLOW. In JS each FP op cost a return from wasm, a
// dispatch and BigInt conversions: the bench's nbody (aarch64) ran ~160 ms longer with its first
// region formed after 200 000 instructions than after 20 000; now ~25 ms.
//
// The fast paths see a made-up IR op whose temps are the op's operand word offsets (FpWord), and
// reach the temp file through the context below. The host's fused multiply-add is not used: that
// needs a probe at start-up, and tier 0 runs FP code only until it is hot.
import { assert } from '../../types.js';
import { FP_OPCODES, FpWord, fpValueOperands, type FpShape } from './eval-fp-ops.js';
import { FP_FIRST, FP_LAST } from './eval-ops.js';
import type { RmArg, Temp } from '../ir.js';
import { Code, Op, VT } from '../wasm/encoder.js';
import { emitFpNative, type FpNativeCtx, type FpOp } from '../wasm/fp-native.js';
import { LabelledCode } from '../wasm/labelled-code.js';

/** fp's parameters. */
const PB = 0;
const BASE = 1;

/** The op to emit for an opcode's shape: its temps are operand word offsets. */
function opOf(s: FpShape): FpOp {
  const rm: RmArg = { dyn: FpWord.RM };
  const io = { out: FpWord.OUT, a: FpWord.A, flags: FpWord.FLAGS };
  switch (s.op) {
    case 'fbin':
      return { ...io, op: 'fbin', fn: s.fn, fmt: s.fmt, b: FpWord.B, rm };
    case 'fsqrt':
      return { ...io, op: 'fsqrt', fmt: s.fmt, rm };
    case 'ffma':
      return { ...io, op: 'ffma', fmt: s.fmt, b: FpWord.B, c: FpWord.C, rm };
    case 'fcmp':
      return { ...io, op: 'fcmp', fn: s.fn, fmt: s.fmt, signaling: false, b: FpWord.B, mode: FpWord.RM };
    case 'f2i':
      return { ...io, op: 'f2i', from: s.from, ty: s.ty, signed: s.signed, rm };
    case 'i2f':
      return { ...io, op: 'i2f', to: s.to, from: s.from, signed: s.signed, rm };
    case 'f2f':
      return { ...io, op: 'f2f', from: s.from, to: s.to, rm };
  }
}

/** Whether the op's result is 64 bits wide. */
function wideResult(s: FpShape): boolean {
  switch (s.op) {
    case 'fcmp':
      return false;
    case 'f2i':
      return s.ty === 'i64';
    case 'i2f':
    case 'f2f':
      return s.to === 'f64';
    default:
      return s.fmt === 'f64';
  }
}

/** FpNativeCtx on the evaluator's temp file: operand k of the op at PB names a temp. */
class EvalFpCtx extends LabelledCode implements FpNativeCtx {
  readonly hwFma = false;
  /** A local per type for values on their way into a temp (not one of the fast paths'). */
  private readonly stored = new Map<VT, number>();
  /** The operands that are 64-bit values (the others: the low word). */
  private wide = new Set<Temp>();

  /** Emits the fast path of one opcode's op. */
  emit(s: FpShape): void {
    const op = opOf(s);
    this.wide = new Set(fpValueOperands(op).filter(([, , ty]) => ty === 'i64').map(([w]) => w));
    if (wideResult(s)) this.wide.add(FpWord.OUT);
    assert(emitFpNative(this, op) && this.closed(), 'eval-fp: an op without a fast path');
  }

  /** Pushes the byte address of operand k's temp (operands are word indexes into the file). */
  private addr(k: Temp): void {
    this.c.get(PB).mem(Op.i32_load, 4 * k).i32(2).op(Op.i32_shl).get(BASE).op(Op.i32_add);
  }
  /** Stores the value on the stack (of type t) into operand k's temp with `store`. */
  private store(k: Temp, t: VT, store: Op): void {
    let v = this.stored.get(t);
    if (v === undefined) this.stored.set(t, (v = this.c.local(t)));
    this.c.set(v);
    this.addr(k);
    this.c.get(v).mem(store);
  }

  push(k: Temp): void {
    this.addr(k);
    this.c.mem(this.wide.has(k) ? Op.i64_load : Op.i32_load);
  }
  def(k: Temp): void {
    if (this.wide.has(k)) this.store(k, VT.i64, Op.i64_store);
    else this.store(k, VT.i32, Op.i32_store);
  }
  pushF64(k: Temp): void {
    this.addr(k);
    this.c.mem(Op.f64_load);
  }
  defF64(k: Temp): void {
    this.store(k, VT.f64, Op.f64_store);
  }
  emitFpCall(): void {
    this.c.i32(1).op(Op.return);
  }
  accrualReg(): undefined {
    return undefined;
  }
  defFlags(k: Temp): void {
    this.store(k, VT.i32, Op.i32_store);
  }
}


/** fp(pb, base) → 0 done, 1 for the JS handler: one case per FP opcode. */
export function fpFunctionCode(): Code {
  const c = new Code(2);
  const ctx = new EvalFpCtx(c);
  const N = FP_OPCODES.length;
  assert(N === FP_LAST - FP_FIRST + 1 && FP_OPCODES.every(([op], k) => op === FP_FIRST + k), 'eval-fp: FP_OPCODES is not FP_FIRST … FP_LAST in order');
  for (let k = 0; k <= N; k++) c.begin(Op.block);
  c.get(PB).mem(Op.i32_load).i32(FP_FIRST).op(Op.i32_sub);
  c.brTable(Array.from({ length: N }, (_, k) => k), N);
  for (let k = 0; k < N; k++) {
    c.end();
    ctx.emit(FP_OPCODES[k][1]);
    c.i32(0).op(Op.return);
  }
  c.end();
  c.i32(1); // (not an FP opcode: not reached)
  return c;
}
