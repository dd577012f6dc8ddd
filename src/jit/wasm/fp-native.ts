// FP ops in native wasm f32/f64, bit-exact with the FPU library (src/jit/fpu.ts), flags included.
//
// Each op computes the host's IEEE result and takes it only where it provably equals the
// library's: operands and result finite (no NaN rules, no ∞ cases), the result normal and away
// from the normal boundary (no UF/tininess decisions), and the rounding mode round-to-nearest-even
// (the host's) unless the result is exact (then every mode agrees). The inexact flag comes from an
// error-free transformation (TwoSum, Dekker's product, an exact remainder), as in fpu-fast.ts,
// whose proofs and bounds these follow. Anything else branches to the library import.
//
// When the flags only accrue into a guest register (flags | reg → reg, the RISC-V fflags
// pattern) and that register already holds NX, computing NX again cannot change anything: the
// check is skipped at run time (qemu's softfloat does the same with its sticky inexact flag).
import type { Op as IROp, RmArg, Temp } from '../ir.js';
import { Code, Op, VT } from './encoder.js';
import { FUSED } from './host-fma.js';
import { f64Bits } from '../fpu-format.js';

export type FpOp = Extract<IROp, { op: 'fbin' | 'fsqrt' | 'ffma' | 'fcmp' | 'f2i' | 'i2f' | 'f2f' }>;

export interface FpNativeCtx {
  readonly c: Code;
  /** The host's fused multiply-add may be used (host-fma.ts). */
  readonly hwFma: boolean;
  push(t: Temp): void;
  def(t: Temp): void;
  /** An i64 temp as an f64 (its bits), and the f64 on the stack into one: free where the value
   *  is held as an f64 (float-locals.ts). */
  pushF64(t: Temp): void;
  defF64(t: Temp): void;
  scratchLocal(t: VT, n?: number): number;
  /** A labelled `block`, `if`s (labels are tracked for the depths), and branches by label name. */
  blockBegin(label: string): void;
  blockEnd(): void;
  ifBegin(bt?: number): void;
  ifElse(): void;
  ifEnd(): void;
  brTo(label: string): void;
  brIfTo(label: string): void;
  /** The library call for the op (result and flags temps set). */
  emitFpCall(op: FpOp): void;
  /** The local of the guest register the op's flags accrue into, if that is all they do. */
  accrualReg(flags: Temp): number | undefined;
  /** Pop the op's flags (i32) into their temp, or or them into the register they accrue into. */
  defFlags(flags: Temp): void;
}

const MIN_NORMAL64 = 2 ** -1022;
const MIN_NORMAL32 = 2 ** -126;
const SAFE_LO = 2 ** -960;
const SAFE_HI = 2 ** 995;
const NX = 1;

/** Emits the fast path of one op. Returns false if this op has none (the caller calls the library). */
export function emitFpNative(ctx: FpNativeCtx, op: FpOp): boolean {
  const e = new FpEmitter(ctx, op);
  return e.emit();
}

/** Is the rounding mode known or checked to be RNE? 'static' RNE, 'dyn' (checked at run time), or no. */
function rmKind(rm: RmArg): 'rne' | 'dyn' | 'other' {
  if ('static' in rm) return rm.static === 0 ? 'rne' : 'other';
  return 'dyn';
}

class FpEmitter {
  private readonly c: Code;
  private nf64 = 0;
  private nf32 = 0;
  private ni32 = 0;
  private ni64 = 0;

  /** nxFlags or-ed NX into the register the flags accrue into: results() has no flags to add. */
  private accrued = false;

  constructor(private readonly ctx: FpNativeCtx, private readonly op: FpOp) {
    this.c = ctx.c;
  }

  private f64(): number {
    return this.ctx.scratchLocal(VT.f64, this.nf64++);
  }
  private f32(): number {
    return this.ctx.scratchLocal(VT.f32, this.nf32++);
  }
  private i32(): number {
    return this.ctx.scratchLocal(VT.i32, this.ni32++);
  }
  private i64(): number {
    return this.ctx.scratchLocal(VT.i64, this.ni64++);
  }
  private ifB(bt?: number): void {
    this.ctx.ifBegin(bt);
  }
  private els(): void {
    this.ctx.ifElse();
  }
  private fi(): void {
    this.ctx.ifEnd();
  }

  /** Leave for the library unless the i32 on the stack is nonzero. */
  private require(): void {
    this.c.op(Op.i32_eqz);
    this.ctx.brIfTo('fpslow');
  }
  /** Leave for the library if the i32 on the stack is nonzero. */
  private slowIf(): void {
    this.ctx.brIfTo('fpslow');
  }
  /** Pushes lo ≤ |x| < hi (lo < |x| when loStrict) as an i32, false for NaN; x an f64 local. */
  private inRange(x: number, lo: number, hi: number, loStrict = false): void {
    const c = this.c;
    // On the bits: |x| · 2 as u64 orders like |x| (NaNs above ∞), so lo ≤ |x| < hi is one
    // unsigned compare of a difference.
    const L = (f64Bits(lo) << 1n) + (loStrict ? 2n : 0n);
    const H = f64Bits(hi) << 1n;
    c.get(x).op(Op.i64_reinterpret_f64).i64(1).op(Op.i64_shl).i64(BigInt.asIntN(64, L)).op(Op.i64_sub).i64(BigInt.asIntN(64, H - L)).op(Op.i64_lt_u);
  }
  /** For a dynamic rounding mode: the library unless it is RNE (it also rejects bad values). */
  private requireRne(rm: RmArg): void {
    if ('dyn' in rm) {
      this.ctx.push(rm.dyn);
      this.slowIf();
    }
  }
  /** The flags local is set to NX when the i32 condition produced by `inexact` is true. When the
   *  flags accrue into a register, NX goes into it instead, and the condition is not evaluated
   *  once the register holds NX (results() then has no flags to add). */
  private nxFlags(flags: number, inexact: () => void): void {
    const c = this.c;
    const t = this.op.flags;
    if (t === undefined) return;
    const acc = this.ctx.accrualReg(t);
    if (acc === undefined) {
      inexact();
      c.set(flags);
      return;
    }
    c.get(acc).i64(NX).op(Op.i64_and).op(Op.i64_eqz);
    this.ifB();
    inexact(); // (NX is bit 0: the condition is the flags)
    this.ctx.defFlags(t);
    this.fi();
    this.accrued = true;
  }

  emit(): boolean {
    const op = this.op;
    const kind = 'rm' in op ? rmKind(op.rm) : 'rne';
    switch (op.op) {
      case 'fbin':
        if (op.fn === 'min' || op.fn === 'max' || op.fn === 'minnum' || op.fn === 'maxnum') return this.wrap(() => this.minmax(op));
        if (kind === 'other') return false;
        return this.wrap(() => (op.fmt === 'f64' ? this.arith64(op) : this.arith32(op)));
      case 'fsqrt':
        if (kind === 'other') return false;
        return this.wrap(() => this.sqrt(op));
      case 'ffma':
        if (kind === 'other') return false;
        return this.wrap(() => (this.ctx.hwFma ? this.fusedFma(op) : op.fmt === 'f64' ? this.fma64(op) : this.fma32(op)));
      case 'fcmp':
        return this.wrap(() => this.cmp(op));
      case 'f2i':
        if ('static' in op.rm && op.rm.static === 4) return false;
        return this.wrap(() => this.f2i(op));
      case 'i2f':
        return this.wrap(() => this.i2f(op));
      case 'f2f':
        return this.wrap(() => this.f2f(op));
    }
  }

  /** block $fpdone { block $fpslow { fast; results; br $fpdone } library call } */
  private wrap(fast: () => void): true {
    const ctx = this.ctx;
    ctx.blockBegin('fpdone');
    ctx.blockBegin('fpslow');
    fast();
    ctx.brTo('fpdone');
    ctx.blockEnd();
    ctx.emitFpCall(this.op);
    ctx.blockEnd();
    return true;
  }

  /** Store the result (on the stack: bits, or an f64 if `f64`) and the flags local. */
  private results(flags: number | null, f64 = false): void {
    const op = this.op;
    if (f64) this.ctx.defF64(op.out);
    else this.ctx.def(op.out);
    if (op.flags === undefined || this.accrued) return;
    if (flags !== null) this.c.get(flags);
    else if (this.ctx.accrualReg(op.flags) === undefined) this.c.i32(0);
    else return; // none to or into the register
    this.ctx.defFlags(op.flags);
  }

  /** Operand as an f64 local (f32 bits promoted exactly). */
  private load64(t: Temp, is32: boolean): number {
    const l = this.f64();
    if (is32) {
      this.ctx.push(t);
      this.c.op(Op.f32_reinterpret_i32).op(Op.f64_promote_f32);
    } else this.ctx.pushF64(t);
    this.c.set(l);
    return l;
  }

  // ---- add, sub, mul, div

  private arith64(op: Extract<FpOp, { op: 'fbin' }>): void {
    const c = this.c;
    this.requireRne(op.rm);
    const x = this.load64(op.a, false);
    let y = this.load64(op.b, false);
    const r = this.f64();
    const fl = this.i32();
    if (op.fn === 'sub') {
      c.get(y).op(Op.f64_neg).set(y); // x - y = x + (-y) exactly, zeros included
    }
    switch (op.fn) {
      case 'add':
      case 'sub': {
        c.get(x).get(y).op(Op.f64_add).set(r);
        // finite (an exact zero or subnormal sum is fine: sums that small are exact)
        this.inRange(r, 0, Infinity);
        this.require();
        this.nxFlags(fl, () => {
          const err = this.twoSum(x, y, r);
          c.get(err).get(err).op(Op.f64_sub).f64c(0).op(Op.f64_ne);
          this.slowIf();
          c.get(err).f64c(0).op(Op.f64_ne);
        });
        break;
      }
      case 'mul': {
        c.get(x).get(y).op(Op.f64_mul).set(r);
        this.inRange(r, MIN_NORMAL64, Infinity, true);
        this.require();
        this.nxFlags(fl, () => {
          this.inRange(r, SAFE_LO, SAFE_HI);
          this.inRange(x, MIN_NORMAL64, SAFE_HI);
          c.op(Op.i32_and);
          this.inRange(y, MIN_NORMAL64, SAFE_HI);
          c.op(Op.i32_and);
          this.require();
          const e = this.productError(x, y, r);
          c.get(e).f64c(0).op(Op.f64_ne);
        });
        break;
      }
      case 'div': {
        c.get(x).get(y).op(Op.f64_div).set(r);
        this.inRange(r, MIN_NORMAL64, Infinity, true);
        this.require();
        this.nxFlags(fl, () => {
          this.inRange(r, SAFE_LO, SAFE_HI);
          this.inRange(x, SAFE_LO, SAFE_HI);
          c.op(Op.i32_and);
          this.inRange(y, MIN_NORMAL64, SAFE_HI);
          c.op(Op.i32_and);
          this.require();
          // rem = x - q·y exactly (its sign and zero-ness are all we need)
          const p = this.f64();
          c.get(r).get(y).op(Op.f64_mul).set(p);
          const e = this.productError(r, y, p);
          c.get(x).get(p).op(Op.f64_sub).get(e).op(Op.f64_sub).f64c(0).op(Op.f64_ne);
        });
        break;
      }
      default:
        throw new Error('unreachable');
    }
    c.get(r);
    this.results(op.flags === undefined ? null : fl, true);
  }

  private arith32(op: Extract<FpOp, { op: 'fbin' }>): void {
    const c = this.c;
    this.requireRne(op.rm);
    const x32 = this.f32();
    const y32 = this.f32();
    const r32 = this.f32();
    const fl = this.i32();
    this.ctx.push(op.a);
    c.op(Op.f32_reinterpret_i32).set(x32);
    this.ctx.push(op.b);
    c.op(Op.f32_reinterpret_i32);
    if (op.fn === 'sub') c.op(Op.f32_neg);
    c.set(y32);
    const fop = { add: Op.f32_add, sub: Op.f32_add, mul: Op.f32_mul, div: Op.f32_div }[op.fn as 'add' | 'sub' | 'mul' | 'div'];
    c.get(x32).get(y32).op(fop).set(r32);
    const x = this.f64();
    const y = this.f64();
    const r = this.f64();
    c.get(x32).op(Op.f64_promote_f32).set(x);
    c.get(y32).op(Op.f64_promote_f32).set(y);
    c.get(r32).op(Op.f64_promote_f32).set(r);
    if (op.fn === 'add' || op.fn === 'sub') {
      this.inRange(r, 0, Infinity);
      this.require();
      this.nxFlags(fl, () => {
        // exact sum = s + err (TwoSum in double); inexact unless r32 is exactly it
        const s = this.f64();
        c.get(x).get(y).op(Op.f64_add).set(s);
        const err = this.twoSum(x, y, s);
        c.get(r).get(s).op(Op.f64_ne).get(err).f64c(0).op(Op.f64_ne).op(Op.i32_or);
      });
    } else {
      this.inRange(r, MIN_NORMAL32, Infinity, true);
      this.require();
      this.nxFlags(fl, () => {
        if (op.fn === 'mul') {
          c.get(r).get(x).get(y).op(Op.f64_mul).op(Op.f64_ne); // x·y is exact in double
        } else {
          c.get(x).get(r).get(y).op(Op.f64_mul).op(Op.f64_sub).f64c(0).op(Op.f64_ne); // r·y exact; x - r·y is 0 only if exact
        }
      });
    }
    c.get(r32).op(Op.i32_reinterpret_f32);
    this.results(op.flags === undefined ? null : fl);
  }

  /** TwoSum: s = fl(x + y); returns a local holding err with x + y = s + err (s finite). */
  private twoSum(x: number, y: number, s: number): number {
    const c = this.c;
    const bb = this.f64();
    const err = this.f64();
    c.get(s).get(x).op(Op.f64_sub).set(bb);
    c.get(x).get(s).get(bb).op(Op.f64_sub).op(Op.f64_sub);
    c.get(y).get(bb).op(Op.f64_sub).op(Op.f64_add).set(err);
    return err;
  }

  /** The host's fused a·b + c of three values of `fmt` pushed by the callbacks. */
  private madd(a: () => void, b: () => void, c: () => void, fmt: 'f32' | 'f64' = 'f64'): void {
    const { splat, madd, lane } = FUSED[fmt];
    for (const push of [a, b, c]) {
      push();
      this.c.simd(splat);
    }
    this.c.simd(madd).simd(lane, 0);
  }

  /** TwoProduct error: a·b = p + err for p = fl(a·b), within fpu-fast's bounds (no underflow in
   *  the error term). One fused a·b − p, or Dekker's split in software. */
  private productError(a: number, b: number, p: number): number {
    const c = this.c;
    const err = this.f64();
    if (this.ctx.hwFma) {
      this.madd(() => c.get(a), () => c.get(b), () => c.get(p).op(Op.f64_neg));
      c.set(err);
      return err;
    }
    const t = this.f64();
    const ah = this.f64();
    const al = this.f64();
    const bh = this.f64();
    const bl = this.f64();
    const split = (v: number, hi: number, lo: number) => {
      c.f64c(134217729).get(v).op(Op.f64_mul).set(t);
      c.get(t).get(t).get(v).op(Op.f64_sub).op(Op.f64_sub).set(hi);
      c.get(v).get(hi).op(Op.f64_sub).set(lo);
    };
    split(a, ah, al);
    split(b, bh, bl);
    // ((((ah·bh − p) + ah·bl) + al·bh) + al·bl)
    c.get(ah).get(bh).op(Op.f64_mul).get(p).op(Op.f64_sub);
    c.get(ah).get(bl).op(Op.f64_mul).op(Op.f64_add);
    c.get(al).get(bh).op(Op.f64_mul).op(Op.f64_add);
    c.get(al).get(bl).op(Op.f64_mul).op(Op.f64_add).set(err);
    return err;
  }

  // ---- min/max, compare

  private minmax(op: Extract<FpOp, { op: 'fbin' }>): void {
    const c = this.c;
    const is32 = op.fmt === 'f32';
    const x = this.load64(op.a, is32);
    const y = this.load64(op.b, is32);
    if ('dyn' in op.rm) {
      // min/max do not round; only FpMode bits (FZ flushes subnormal operands) need the library
      this.ctx.push(op.rm.dyn);
      c.i32(7).op(Op.i32_gt_u);
      this.slowIf();
    }
    // both numbers: the host's min/max (−0 < +0) returns one operand unchanged
    c.get(x).get(x).op(Op.f64_eq).get(y).get(y).op(Op.f64_eq).op(Op.i32_and);
    this.require();
    const isMin = op.fn === 'min' || op.fn === 'minnum';
    this.ctx.push(op.a);
    this.ctx.push(op.b);
    c.get(x).get(y).op(isMin ? Op.f64_lt : Op.f64_gt);
    // equal values: pick by sign (min: the negative zero, max: the positive one)
    const a = this.i32();
    c.set(a);
    c.get(x).get(y).op(Op.f64_eq);
    this.ifB(VT.i32);
    this.signBit(x, is32, op.a);
    if (!isMin) c.op(Op.i32_eqz);
    this.els();
    c.get(a);
    this.fi();
    c.op(Op.select);
    this.results(null);
  }

  /** Push 1 if the operand's sign bit is set. */
  private signBit(_x: number, is32: boolean, t: Temp): void {
    const c = this.c;
    this.ctx.push(t);
    if (is32) c.i32(31).op(Op.i32_shr_u);
    else c.i64(63).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
  }

  private cmp(op: Extract<FpOp, { op: 'fcmp' }>): void {
    const c = this.c;
    const is32 = op.fmt === 'f32';
    if (op.mode !== undefined) {
      this.ctx.push(op.mode); // FpMode bits (FZ): the library
      this.slowIf();
    }
    const x = this.load64(op.a, is32);
    const y = this.load64(op.b, is32);
    c.get(x).get(x).op(Op.f64_eq).get(y).get(y).op(Op.f64_eq).op(Op.i32_and);
    this.require();
    if (op.fn === 'unord') c.i32(0);
    else c.get(x).get(y).op(op.fn === 'eq' ? Op.f64_eq : op.fn === 'lt' ? Op.f64_lt : Op.f64_le);
    this.results(null);
  }

  // ---- sqrt, fma

  private sqrt(op: Extract<FpOp, { op: 'fsqrt' }>): void {
    const c = this.c;
    this.requireRne(op.rm);
    const fl = this.i32();
    if (op.fmt === 'f32') {
      const x = this.load64(op.a, true);
      const r32 = this.f32();
      const r = this.f64();
      c.get(x).f64c(0).op(Op.f64_gt).get(x).f64c(Infinity).op(Op.f64_lt).op(Op.i32_and);
      this.require();
      c.get(x).op(Op.f32_demote_f64).op(Op.f32_sqrt).tee(r32).op(Op.f64_promote_f32).set(r);
      this.nxFlags(fl, () => {
        c.get(x).get(r).get(r).op(Op.f64_mul).op(Op.f64_sub).f64c(0).op(Op.f64_ne); // r² exact
      });
      c.get(r32).op(Op.i32_reinterpret_f32);
    } else {
      const x = this.load64(op.a, false);
      const s = this.f64();
      c.get(x).f64c(0).op(Op.f64_gt).get(x).f64c(Infinity).op(Op.f64_lt).op(Op.i32_and);
      this.require();
      c.get(x).op(Op.f64_sqrt).set(s);
      this.nxFlags(fl, () => {
        this.inRange(x, SAFE_LO, SAFE_HI);
        this.require();
        const p = this.f64();
        c.get(s).get(s).op(Op.f64_mul).set(p);
        const e = this.productError(s, s, p);
        c.get(x).get(p).op(Op.f64_sub).get(e).op(Op.f64_sub).f64c(0).op(Op.f64_ne);
      });
      c.get(s);
      this.results(op.flags === undefined ? null : fl, true);
      return;
    }
    this.results(op.flags === undefined ? null : fl);
  }

  /** a·b + c with the host's fused multiply-add (hwFma): one rounding, as the guest's. Taken when
   *  the result is normal and finite (no UF/OF, operands finite), and NX is only needed where it
   *  accrues into a register that already holds it (an exact result is rarely worth proving). */
  private fusedFma(op: Extract<FpOp, { op: 'ffma' }>): void {
    const c = this.c;
    this.requireRne(op.rm);
    const fl = this.i32();
    const is32 = op.fmt === 'f32';
    const arg = (t: Temp) => () => (is32 ? (this.ctx.push(t), c.op(Op.f32_reinterpret_i32)) : this.ctx.pushF64(t));
    this.madd(arg(op.a), arg(op.b), arg(op.c), op.fmt);
    const r = this.f64();
    const r32 = is32 ? this.f32() : -1;
    if (is32) c.tee(r32).op(Op.f64_promote_f32);
    c.set(r);
    this.inRange(r, is32 ? MIN_NORMAL32 : MIN_NORMAL64, Infinity, true);
    this.require();
    this.nxFlags(fl, () => (this.slowAlways(), c.i32(0)));
    if (is32) c.get(r32).op(Op.i32_reinterpret_f32);
    else c.get(r);
    this.results(op.flags === undefined ? null : fl, !is32);
  }

  /** f32 a·b + c without the host's fused multiply-add: the product is exact in double; s + err
   *  is the exact sum. The f32 rounding of s is right unless s sits exactly on an f32 midpoint
   *  while err ≠ 0 (then: the library). */
  private fma32(op: Extract<FpOp, { op: 'ffma' }>): void {
    const c = this.c;
    this.requireRne(op.rm);
    const fl = this.i32();
    const x = this.load64(op.a, true);
    const y = this.load64(op.b, true);
    const z = this.load64(op.c, true);
    const p = this.f64();
    const s = this.f64();
    const r32 = this.f32();
    const r = this.f64();
    c.get(x).get(y).op(Op.f64_mul).set(p);
    c.get(p).get(z).op(Op.f64_add).set(s);
    c.get(s).op(Op.f32_demote_f64).tee(r32).op(Op.f64_promote_f32).set(r);
    this.inRange(r, MIN_NORMAL32, Infinity, true);
    this.require();
    const err = this.twoSum(p, z, s);
    // midpoint: the 29 bits below f32 precision are exactly 1000…0
    c.get(err).f64c(0).op(Op.f64_ne);
    c.get(s).op(Op.i64_reinterpret_f64).i64(0x1fffffff).op(Op.i64_and).i64(0x10000000).op(Op.i64_eq).op(Op.i32_and);
    this.slowIf();
    this.nxFlags(fl, () => {
      c.get(r).get(s).op(Op.f64_ne).get(err).f64c(0).op(Op.f64_ne).op(Op.i32_or);
    });
    c.get(r32).op(Op.i32_reinterpret_f32);
    this.results(op.flags === undefined ? null : fl);
  }

  /** f64 a·b + c without the host's fused multiply-add: fpu-fast's fastFma (RNE case of its
   *  `finish`). */
  private fma64(op: Extract<FpOp, { op: 'ffma' }>): void {
    const c = this.c;
    this.requireRne(op.rm);
    const fl = this.i32();
    const x = this.load64(op.a, false);
    const y = this.load64(op.b, false);
    const z = this.load64(op.c, false);
    const p = this.f64();
    c.get(x).get(y).op(Op.f64_mul).set(p);
    this.inRange(x, MIN_NORMAL64, SAFE_HI);
    this.inRange(y, MIN_NORMAL64, SAFE_HI);
    c.op(Op.i32_and);
    this.inRange(p, SAFE_LO, SAFE_HI);
    c.op(Op.i32_and);
    // z finite and nonzero, |z| < SAFE_HI
    this.inRange(z, 0, SAFE_HI, true);
    c.op(Op.i32_and);
    this.require();
    const e = this.productError(x, y, p); // x·y = p + e
    const s = this.f64();
    c.get(p).get(z).op(Op.f64_add).set(s);
    const t = this.twoSum(p, z, s); // p + z = s + t
    const u = this.f64();
    c.get(t).get(e).op(Op.f64_add).set(u);
    const v = this.twoSum(t, e, u); // t + e = u + v
    const r0 = this.f64();
    c.get(s).get(u).op(Op.f64_add).set(r0);
    const w = this.twoSum(s, u, r0); // s + u = r0 + w
    this.inRange(r0, SAFE_LO, Infinity);
    this.require();
    const d1 = this.f64();
    c.get(w).get(v).op(Op.f64_add).set(d1);
    const d2 = this.twoSum(w, v, d1);
    // exact = r0 + d1 + d2. Exact unless d1 ≠ 0; then round: r0 or its neighbour g on d1's side.
    const out = this.f64();
    c.get(r0).set(out);
    c.i32(0).set(fl);
    c.get(d1).f64c(0).op(Op.f64_ne);
    this.ifB();
    {
      const rb = this.i64();
      const g = this.f64();
      c.get(r0).op(Op.i64_reinterpret_f64).set(rb);
      // away from zero iff d1 and r0 have the same sign: bits + 1, else bits - 1
      c.get(rb);
      c.get(d1).f64c(0).op(Op.f64_gt).get(r0).f64c(0).op(Op.f64_gt).op(Op.i32_eq);
      this.ifB(VT.i64);
      c.i64(1);
      this.els();
      c.i64(-1);
      this.fi();
      c.op(Op.i64_add).op(Op.f64_reinterpret_i64).set(g);
      // g normal and finite, |r0| ≥ 2·minNormal, else the library
      this.inRange(g, MIN_NORMAL64, Infinity);
      c.get(r0).op(Op.f64_abs).f64c(2 * MIN_NORMAL64).op(Op.f64_ge).op(Op.i32_and);
      this.require();
      const h = this.f64();
      c.get(g).get(r0).op(Op.f64_sub).op(Op.f64_abs).f64c(0.5).op(Op.f64_mul).set(h);
      // far = |d1| > h, or = h and (d2 pushes outward, or d2 = 0 and r0's significand is odd)
      c.get(d1).op(Op.f64_abs).get(h).op(Op.f64_gt);
      c.get(d1).op(Op.f64_abs).get(h).op(Op.f64_eq);
      this.ifB(VT.i32);
      c.get(d2).f64c(0).op(Op.f64_eq);
      this.ifB(VT.i32);
      c.get(rb).i64(1).op(Op.i64_and).op(Op.i32_wrap_i64);
      this.els();
      c.get(d2).f64c(0).op(Op.f64_gt).get(d1).f64c(0).op(Op.f64_gt).op(Op.i32_eq);
      this.fi();
      this.els();
      c.i32(0);
      this.fi();
      c.op(Op.i32_or);
      this.ifB();
      c.get(g).set(out);
      this.fi();
      c.i32(NX).set(fl);
    }
    this.fi();
    c.get(out);
    this.results(op.flags === undefined ? null : fl, true);
  }

  // ---- conversions

  private f2i(op: Extract<FpOp, { op: 'f2i' }>): void {
    const c = this.c;
    const fl = this.i32();
    const x = this.load64(op.a, op.from === 'f32');
    const t = this.f64();
    // Round to an integral value per the mode (dynamic: RNE only; RMM: exact values only).
    const rm = op.rm;
    c.get(x);
    if ('dyn' in rm) {
      // RNE/RTZ/RDN/RUP natively (static modes with FpMode bits arrive here as dynamic ones);
      // RMM and FpMode bits: the library.
      const d = this.i32();
      this.ctx.push(rm.dyn);
      c.tee(d).i32(3).op(Op.i32_gt_u);
      this.slowIf();
      c.op(Op.f64_trunc).get(x).op(Op.f64_nearest).get(d).i32(1).op(Op.i32_eq).op(Op.select);
      c.get(x).op(Op.f64_floor).get(d).i32(2).op(Op.i32_ne).op(Op.select);
      c.get(x).op(Op.f64_ceil).get(d).i32(3).op(Op.i32_ne).op(Op.select);
    } else if (rm.static === 0) c.op(Op.f64_nearest);
    else if (rm.static === 1) c.op(Op.f64_trunc);
    else if (rm.static === 2) c.op(Op.f64_floor);
    else if (rm.static === 3) c.op(Op.f64_ceil);
    c.set(t);
    if ('static' in rm && rm.static === 4) {
      c.get(x).op(Op.f64_trunc).get(x).op(Op.f64_eq);
      this.require();
    }
    // in range of the target type (NaN fails)
    const [lo, hi] = op.ty === 'i32' ? (op.signed ? [-(2 ** 31), 2 ** 31] : [0, 2 ** 32]) : op.signed ? [-(2 ** 63), 2 ** 63] : [0, 2 ** 64];
    c.get(t).f64c(lo).op(Op.f64_ge).get(t).f64c(hi).op(Op.f64_lt).op(Op.i32_and);
    this.require();
    c.get(t);
    if (op.ty === 'i32') c.op(op.signed ? Op.i32_trunc_f64_s : Op.i32_trunc_f64_u);
    else c.op(op.signed ? Op.i64_trunc_f64_s : Op.i64_trunc_f64_u);
    if (op.flags !== undefined) {
      this.nxFlags(fl, () => {
        c.get(t).get(x).op(Op.f64_ne);
      });
    }
    this.results(op.flags === undefined ? null : fl);
  }

  /** Integer → float: exact when the magnitude has few enough significant bits (then every mode
   *  agrees); otherwise the host's RNE conversion for a static RNE mode, else the library. */
  private i2f(op: Extract<FpOp, { op: 'i2f' }>): void {
    const c = this.c;
    const fl = this.i32();
    const prec = op.to === 'f32' ? 24 : 53;
    const m = this.i64();
    const inexact = this.i32();
    // magnitude as u64
    this.ctx.push(op.a);
    if (op.from === 'i32') c.op(op.signed ? Op.i64_extend_i32_s : Op.i64_extend_i32_u);
    c.set(m);
    if (op.signed) {
      c.get(m).i64(0).op(Op.i64_lt_s);
      this.ifB();
      c.i64(0).get(m).op(Op.i64_sub).set(m);
      this.fi();
    }
    this.validRm(op.rm);
    // significant bits = 64 − clz − ctz (m ≠ 0)
    c.i32(64).get(m).op(Op.i64_clz).op(Op.i32_wrap_i64).op(Op.i32_sub).get(m).op(Op.i64_ctz).op(Op.i32_wrap_i64).op(Op.i32_sub);
    c.i32(prec).op(Op.i32_gt_s).get(m).op(Op.i64_eqz).op(Op.i32_eqz).op(Op.i32_and).tee(inexact);
    this.inexactNeedsRne(op.rm);
    this.ctx.push(op.a);
    const conv = {
      f32: { i32: op.signed ? Op.f32_convert_i32_s : Op.f32_convert_i32_u, i64: op.signed ? Op.f32_convert_i64_s : Op.f32_convert_i64_u },
      f64: { i32: op.signed ? Op.f64_convert_i32_s : Op.f64_convert_i32_u, i64: op.signed ? Op.f64_convert_i64_s : Op.f64_convert_i64_u },
    }[op.to][op.from];
    c.op(conv);
    if (op.to === 'f32') c.op(Op.i32_reinterpret_f32);
    if (op.flags !== undefined) c.get(inexact).set(fl);
    this.results(op.flags === undefined ? null : fl, op.to === 'f64');
  }

  /** A dynamic mode must be valid even where the result does not depend on it (tier 0 checks it
   *  first: SIGILL). */
  private validRm(rm: RmArg): void {
    if (!('dyn' in rm)) return;
    this.ctx.push(rm.dyn);
    this.c.i32(4).op(Op.i32_gt_u);
    this.slowIf();
  }

  private f2f(op: Extract<FpOp, { op: 'f2f' }>): void {
    const c = this.c;
    const fl = this.i32();
    if (op.from === op.to) return void this.slowAlways();
    this.validRm(op.rm);
    if (op.from === 'f32') {
      // widening: exact for every number
      const x = this.load64(op.a, true);
      c.get(x).get(x).op(Op.f64_eq);
      this.require();
      c.get(x);
      this.results(null, true);
      return;
    }
    const x = this.load64(op.a, false);
    const r32 = this.f32();
    const r = this.f64();
    c.get(x).op(Op.f32_demote_f64).tee(r32).op(Op.f64_promote_f32).set(r);
    // a normal result, or an exact zero
    this.inRange(r, MIN_NORMAL32, Infinity, true);
    c.get(x).f64c(0).op(Op.f64_eq).op(Op.i32_or);
    this.require();
    const inexact = this.i32();
    c.get(r).get(x).op(Op.f64_ne).tee(inexact);
    this.inexactNeedsRne(op.rm);
    c.get(r32).op(Op.i32_reinterpret_f32);
    if (op.flags !== undefined) c.get(inexact).set(fl);
    this.results(op.flags === undefined ? null : fl);
  }

  /** With the inexact flag (i32) on the stack: an inexact result is the host's only in RNE (a
   *  dynamic mode is read at run time; it was validated already). */
  private inexactNeedsRne(rm: RmArg): void {
    if ('static' in rm) {
      if (rm.static === 0) this.c.op(Op.drop);
      else this.slowIf();
      return;
    }
    this.ctx.push(rm.dyn);
    this.c.i32(0).op(Op.i32_ne).op(Op.i32_and);
    this.slowIf();
  }

  private slowAlways(): void {
    this.ctx.brTo('fpslow');
  }
}
