// The FPU library behind the IR's FP ops (contract: fpu-api.ts). ISA-neutral: an ISA's choices
// (default NaN, NaN propagation, tininess, NaN → int) come only from the FpEnv.
//
// Layout: this file handles special operands (NaN, ∞, 0) and the ISA's NaN rules, then hands
// finite operands to the double fast paths (fpu-fast.ts), falling back to the exact BigInt path
// (fpu-exact.ts) wherever a fast path cannot prove its answer. Values travel as doubles inside;
// bits are converted only at the edges (fpu-format.ts), and NaNs are always handled from bits.
//
// NaN rules with env.propagateNaN (ARM, FPCR.DN = 0; see the ARM ARM pseudocode FPProcessNaNs,
// FPProcessNaNs3, FPMulAdd, FPMinNum, FPConvertNaN):
// - two operands: the first signalling NaN quieted, else the first quiet NaN; NV for any sNaN.
// - ffma(a, b, c) = a·b + c: operand order is c (addend) first, then a, b — ARM's FPMulAdd calls
//   FPProcessNaNs3(addend, op1, op2). After that, if the addend is a *quiet* NaN and a·b is ∞·0,
//   the result is the default NaN with NV (ARM FPMulAdd); an sNaN addend stays quieted-addend.
// - minnum/maxnum (FMINNM/FMAXNM): a lone quiet NaN is replaced by ±∞ (so the number wins), then
//   FMIN/FMAX rules apply — an sNaN operand therefore yields the quieted sNaN, not the number.
// - f2f: the NaN keeps its sign and the top fraction bits, quiet bit set.
// Without propagation (RISC-V) every NaN result is the default NaN; ffma raises NV for ∞·0 even
// when the addend is a quiet NaN (RISC-V unprivileged spec, F extension, "fused multiply-add").
//
// Run-time modes (ARM FPCR.FZ/DN): a rounding-mode argument above 7 carries FpMode bits (ir.ts).
// Such a call is wrapped (`moded*` below): FZ turns subnormal operands into zeros of their sign
// (ID flag) before the op, and a result whose exact value is tiny (|v| < the smallest normal; the
// RTZ result tells when rounding reached the smallest normal) into a zero of its sign with only UF
// raised (ARM FPRound: no NX); DN makes any NaN result the default NaN. fcmp takes the mode as
// its own argument. Calls without mode bits take the unchanged paths.
import type { FloatFmt, IntTy } from './ir.js';
import { FpFlag, FpMode, Rm } from './ir.js';
import type { FbinFn, FcmpFn, FpEnv, FpuOps } from './fpu-api.js';
import {
  F32, F64, QUIET32, QUIET64, f32Bits, f32Value, f64Bits, f64Value, fclassOf, isSignaling32, isSignaling64, type Fmt,
} from './fpu-format.js';
import { exactAdd, exactDiv, exactFma, exactFromInt, exactMul, exactRound, exactSqrt, type RoundCtx } from './fpu-exact.js';
import { fastAdd, fastDiv, fastFma, fastFromInt, fastMul, fastNarrow, fastSqrt } from './fpu-fast.js';

export interface FpuOptions {
  /** Use the double fast paths (default). Off: everything takes the exact path (tests compare both). */
  readonly fastPaths?: boolean;
}

/** Sign of a non-NaN double, including the sign of zero. */
function isNeg(x: number): boolean {
  return x < 0 || (x === 0 && 1 / x < 0);
}

/** The exact zero sum x + y (both zero, or x = -y): IEEE 754 6.3. */
function zeroSum(x: number, y: number, rm: Rm): number {
  if (x === 0 && y === 0 && isNeg(x) === isNeg(y)) return x;
  return rm === Rm.RDN ? -0 : 0;
}

/** FMIN/FMAX on non-NaN values, -0 < +0. */
function fmin(x: number, y: number): number {
  if (x < y) return x;
  if (y < x) return y;
  return isNeg(x) ? x : y;
}
function fmax(x: number, y: number): number {
  if (x > y) return x;
  if (y > x) return y;
  return isNeg(x) ? y : x;
}

const TWO31 = 2 ** 31;
const TWO32 = 2 ** 32;
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;
const I64_MIN = 1n << 63n; // as an unsigned bit pattern
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** Round a finite double to an integral double per rm (exact: all values involved are doubles). */
function roundToIntegral(x: number, rm: Rm): number {
  const t = Math.trunc(x);
  if (t === x) return x;
  // x is not integral, so |x| < 2^52 and t ± 1 is exact.
  switch (rm) {
    case Rm.RTZ: return t;
    case Rm.RDN: return x < 0 ? t - 1 : t;
    case Rm.RUP: return x > 0 ? t + 1 : t;
    case Rm.RMM: return Math.abs(x - t) >= 0.5 ? (x < 0 ? t - 1 : t + 1) : t;
    case Rm.RNE: {
      const f = Math.abs(x - t);
      const up = f > 0.5 || (f === 0.5 && t % 2 !== 0);
      return up ? (x < 0 ? t - 1 : t + 1) : t;
    }
    default: throw new RangeError(`bad rounding mode ${rm as number}`);
  }
}

export class Fpu implements FpuOps, RoundCtx {
  flags = 0;
  readonly tinyBeforeRounding: boolean;
  private readonly propagate: boolean;
  private readonly dnan32: number;
  private readonly dnan64: bigint;
  private readonly nanMax: boolean;
  private readonly fast: boolean;

  constructor(env: FpEnv, opts: FpuOptions = {}) {
    this.tinyBeforeRounding = env.tininessBeforeRounding;
    this.propagate = env.propagateNaN;
    this.dnan32 = env.defaultNaN32 | 0;
    this.dnan64 = BigInt.asUintN(64, env.defaultNaN64);
    this.nanMax = env.nanToInt === 'max';
    this.fast = opts.fastPaths ?? true;
  }

  // ------------------------------------------------------------------ arithmetic on values
  // These take finite-or-infinite non-NaN doubles and return the result, or NaN for an invalid
  // operation (NV already raised; the caller substitutes the default NaN).

  private add(f: Fmt, x: number, y: number, rm: Rm): number {
    if (x === Infinity || x === -Infinity) {
      if (y === -x) {
        this.flags |= FpFlag.NV;
        return NaN;
      }
      return x;
    }
    if (y === Infinity || y === -Infinity) return y;
    if (x === -y) return zeroSum(x, y, rm);
    if (this.fast) {
      const r = fastAdd(f, x, y, rm, this);
      if (r === r) return r;
    }
    return exactAdd(f, x, y, rm, this);
  }

  private mul(f: Fmt, x: number, y: number, rm: Rm): number {
    if (x === Infinity || x === -Infinity || y === Infinity || y === -Infinity) {
      if (x === 0 || y === 0) {
        this.flags |= FpFlag.NV;
        return NaN;
      }
      return x * y;
    }
    if (x === 0 || y === 0) return x * y; // signed zero
    if (this.fast) {
      const r = fastMul(f, x, y, rm, this);
      if (r === r) return r;
    }
    return exactMul(f, x, y, rm, this);
  }

  private div(f: Fmt, x: number, y: number, rm: Rm): number {
    const xInf = x === Infinity || x === -Infinity;
    const yInf = y === Infinity || y === -Infinity;
    if ((xInf && yInf) || (x === 0 && y === 0)) {
      this.flags |= FpFlag.NV;
      return NaN;
    }
    if (xInf || yInf || x === 0) return x / y; // ±∞ or ±0, exact
    if (y === 0) {
      this.flags |= FpFlag.DZ;
      return x / y;
    }
    if (this.fast) {
      const r = fastDiv(f, x, y, rm, this);
      if (r === r) return r;
    }
    return exactDiv(f, x, y, rm, this);
  }

  private sqrt(f: Fmt, x: number, rm: Rm): number {
    if (x === 0 || x === Infinity) return x; // sqrt(-0) = -0
    if (x < 0) {
      this.flags |= FpFlag.NV;
      return NaN;
    }
    if (this.fast) {
      const r = fastSqrt(f, x, rm, this);
      if (r === r) return r;
    }
    return exactSqrt(f, x, rm, this);
  }

  private fma(f: Fmt, x: number, y: number, z: number, rm: Rm): number {
    const xInf = x === Infinity || x === -Infinity;
    const yInf = y === Infinity || y === -Infinity;
    if (xInf || yInf) {
      const p = x * y; // NaN for ∞·0
      if (p !== p || z === -p) {
        this.flags |= FpFlag.NV;
        return NaN;
      }
      return p;
    }
    if (z === Infinity || z === -Infinity) return z;
    if (x === 0 || y === 0) return z === 0 ? zeroSum(x * y, z, rm) : z;
    if (z === 0) return this.mul(f, x, y, rm); // x·y ≠ 0, so x·y + z = x·y exactly
    if (this.fast) {
      const r = fastFma(f, x, y, z, rm, this);
      if (r === r) return r;
    }
    return exactFma(f, x, y, z, rm, this);
  }

  private bin(f: Fmt, fn: FbinFn, x: number, y: number, rm: Rm): number {
    switch (fn) {
      case 'add': return this.add(f, x, y, rm);
      case 'sub': return this.add(f, x, -y, rm);
      case 'mul': return this.mul(f, x, y, rm);
      case 'div': return this.div(f, x, y, rm);
      case 'min': case 'minnum': return fmin(x, y);
      case 'max': case 'maxnum': return fmax(x, y);
    }
  }

  // ------------------------------------------------------------------ NaN rules (from bits)

  /** Two operands, at least one NaN: the NaN result and NV per the env. */
  private nan2_32(a: number, aNaN: boolean, b: number, bNaN: boolean): number {
    const aS = aNaN && isSignaling32(a);
    const bS = bNaN && isSignaling32(b);
    if (aS || bS) this.flags |= FpFlag.NV;
    if (!this.propagate) return this.dnan32;
    if (aS) return a | QUIET32;
    if (bS) return b | QUIET32;
    return aNaN ? a | 0 : b | 0;
  }
  private nan2_64(a: bigint, aNaN: boolean, b: bigint, bNaN: boolean): bigint {
    const aS = aNaN && isSignaling64(a);
    const bS = bNaN && isSignaling64(b);
    if (aS || bS) this.flags |= FpFlag.NV;
    if (!this.propagate) return this.dnan64;
    if (aS) return a | QUIET64;
    if (bS) return b | QUIET64;
    return aNaN ? a : b;
  }

  // ------------------------------------------------------------------ FpMode (FZ, DN)
  private mode = 0;
  private idc = 0;

  /** FZ: a subnormal f32 operand becomes a zero of its sign (ID). */
  private fz32(a: number): number {
    if ((this.mode & FpMode.FZ) !== 0 && (a & 0x7f800000) === 0 && (a & 0x7fffff) !== 0) {
      this.idc = FpFlag.ID;
      return a & 0x80000000;
    }
    return a;
  }
  private fz64(a: bigint): bigint {
    if ((this.mode & FpMode.FZ) !== 0 && (a & 0x7ff0000000000000n) === 0n && (a & 0xfffffffffffffn) !== 0n) {
      this.idc = FpFlag.ID;
      return a & (1n << 63n);
    }
    return a;
  }
  private enter(rm: number): Rm {
    this.mode = rm & ~7;
    this.idc = 0;
    return (rm & 7) as Rm;
  }
  /** The moded result of an f32 op that rounds: DN, FZ on the output, ID accrued. `rtz` recomputes
   *  the op toward zero (for a result that rounded to the smallest normal). */
  private out32(r: number, rtz: () => number): number {
    let flags = this.flags | this.idc;
    const mag = r & 0x7fffffff;
    if (mag > 0x7f800000) {
      if ((this.mode & FpMode.DN) !== 0) r = this.dnan32;
    } else if ((this.mode & FpMode.FZ) !== 0 && mag <= 0x00800000) {
      let tiny = mag === 0 ? (flags & FpFlag.UF) !== 0 : mag < 0x00800000;
      if (mag === 0x00800000) {
        const t = rtz();
        tiny = (t & 0x7fffffff) < 0x00800000;
      }
      if (tiny) {
        r &= 0x80000000;
        flags = (flags & FpFlag.ID) | FpFlag.UF;
      }
    }
    this.flags = flags;
    return r | 0;
  }
  private out64(r: bigint, rtz: () => bigint): bigint {
    let flags = this.flags | this.idc;
    const mag = r & 0x7fffffffffffffffn;
    const MIN = 0x0010000000000000n;
    if (mag > 0x7ff0000000000000n) {
      if ((this.mode & FpMode.DN) !== 0) r = this.dnan64;
    } else if ((this.mode & FpMode.FZ) !== 0 && mag <= MIN) {
      let tiny = mag === 0n ? (flags & FpFlag.UF) !== 0 : mag < MIN;
      if (mag === MIN) tiny = (rtz() & 0x7fffffffffffffffn) < MIN;
      if (tiny) {
        r &= 1n << 63n;
        flags = (flags & FpFlag.ID) | FpFlag.UF;
      }
    }
    this.flags = flags;
    return r;
  }

  private modedFbin32(fn: FbinFn, a: number, b: number, rmw: number): number {
    const rm = this.enter(rmw);
    const x = this.fz32(a);
    const y = this.fz32(b);
    return this.out32(this.fbin32(fn, x, y, rm), () => this.fbin32(fn, x, y, Rm.RTZ));
  }
  private modedFbin64(fn: FbinFn, a: bigint, b: bigint, rmw: number): bigint {
    const rm = this.enter(rmw);
    const x = this.fz64(a);
    const y = this.fz64(b);
    return this.out64(this.fbin64(fn, x, y, rm), () => this.fbin64(fn, x, y, Rm.RTZ));
  }

  fbin32(fn: FbinFn, a: number, b: number, rm: Rm): number {
    if (rm > 7) return this.modedFbin32(fn, a, b, rm);
    this.flags = 0;
    let x = f32Value(a);
    let y = f32Value(b);
    const aNaN = x !== x;
    const bNaN = y !== y;
    if (aNaN || bNaN) {
      if (fn === 'minnum' || fn === 'maxnum') {
        const aQ = aNaN && !isSignaling32(a);
        const bQ = bNaN && !isSignaling32(b);
        if (!this.propagate) {
          if ((aNaN && !aQ) || (bNaN && !bQ)) this.flags |= FpFlag.NV;
          if (aNaN && bNaN) return this.dnan32;
          return aNaN ? b | 0 : a | 0;
        }
        // FMINNM/FMAXNM: a lone quiet NaN loses to the number (it becomes ∓∞).
        const inf = fn === 'minnum' ? Infinity : -Infinity;
        if (aQ && !bQ) x = inf;
        else if (bQ && !aQ) y = inf;
        if (x !== x || y !== y) return this.nan2_32(a, x !== x, b, y !== y);
        return f32Bits(fn === 'minnum' ? fmin(x, y) : fmax(x, y));
      }
      return this.nan2_32(a, aNaN, b, bNaN);
    }
    const r = this.bin(F32, fn, x, y, rm);
    return r === r ? f32Bits(r) : this.dnan32;
  }

  fbin64(fn: FbinFn, a: bigint, b: bigint, rm: Rm): bigint {
    if (rm > 7) return this.modedFbin64(fn, a, b, rm);
    this.flags = 0;
    let x = f64Value(a);
    let y = f64Value(b);
    const aNaN = x !== x;
    const bNaN = y !== y;
    if (aNaN || bNaN) {
      if (fn === 'minnum' || fn === 'maxnum') {
        const aQ = aNaN && !isSignaling64(a);
        const bQ = bNaN && !isSignaling64(b);
        if (!this.propagate) {
          if ((aNaN && !aQ) || (bNaN && !bQ)) this.flags |= FpFlag.NV;
          if (aNaN && bNaN) return this.dnan64;
          return aNaN ? b : a;
        }
        const inf = fn === 'minnum' ? Infinity : -Infinity;
        if (aQ && !bQ) x = inf;
        else if (bQ && !aQ) y = inf;
        if (x !== x || y !== y) return this.nan2_64(a, x !== x, b, y !== y);
        return f64Bits(fn === 'minnum' ? fmin(x, y) : fmax(x, y));
      }
      return this.nan2_64(a, aNaN, b, bNaN);
    }
    const r = this.bin(F64, fn, x, y, rm);
    return r === r ? f64Bits(r) : this.dnan64;
  }

  fsqrt32(a: number, rm: Rm): number {
    if (rm > 7) {
      const m = this.enter(rm);
      const x = this.fz32(a);
      return this.out32(this.fsqrt32(x, m), () => this.fsqrt32(x, Rm.RTZ));
    }
    this.flags = 0;
    const x = f32Value(a);
    if (x !== x) return this.nan2_32(a, true, 0, false);
    const r = this.sqrt(F32, x, rm);
    return r === r ? f32Bits(r) : this.dnan32;
  }

  fsqrt64(a: bigint, rm: Rm): bigint {
    if (rm > 7) {
      const m = this.enter(rm);
      const x = this.fz64(a);
      return this.out64(this.fsqrt64(x, m), () => this.fsqrt64(x, Rm.RTZ));
    }
    this.flags = 0;
    const x = f64Value(a);
    if (x !== x) return this.nan2_64(a, true, 0n, false);
    const r = this.sqrt(F64, x, rm);
    return r === r ? f64Bits(r) : this.dnan64;
  }

  /** Is a·b the invalid product ∞·0? (false when either is NaN) */
  private static infTimesZero(x: number, y: number): boolean {
    return ((x === Infinity || x === -Infinity) && y === 0) || (x === 0 && (y === Infinity || y === -Infinity));
  }

  ffma32(a: number, b: number, c: number, rm: Rm): number {
    if (rm > 7) {
      const m = this.enter(rm);
      const [x, y, z] = [this.fz32(a), this.fz32(b), this.fz32(c)];
      return this.out32(this.ffma32(x, y, z, m), () => this.ffma32(x, y, z, Rm.RTZ));
    }
    this.flags = 0;
    const x = f32Value(a);
    const y = f32Value(b);
    const z = f32Value(c);
    if (x !== x || y !== y || z !== z) {
      const aS = x !== x && isSignaling32(a);
      const bS = y !== y && isSignaling32(b);
      const cS = z !== z && isSignaling32(c);
      const infZero = Fpu.infTimesZero(x, y);
      if (aS || bS || cS || infZero) this.flags |= FpFlag.NV;
      if (!this.propagate) return this.dnan32;
      if (cS) return c | QUIET32;
      if (aS) return a | QUIET32;
      if (bS) return b | QUIET32;
      if (z !== z) return infZero ? this.dnan32 : c | 0;
      return x !== x ? a | 0 : b | 0;
    }
    const r = this.fma(F32, x, y, z, rm);
    return r === r ? f32Bits(r) : this.dnan32;
  }

  ffma64(a: bigint, b: bigint, c: bigint, rm: Rm): bigint {
    if (rm > 7) {
      const m = this.enter(rm);
      const [x, y, z] = [this.fz64(a), this.fz64(b), this.fz64(c)];
      return this.out64(this.ffma64(x, y, z, m), () => this.ffma64(x, y, z, Rm.RTZ));
    }
    this.flags = 0;
    const x = f64Value(a);
    const y = f64Value(b);
    const z = f64Value(c);
    if (x !== x || y !== y || z !== z) {
      const aS = x !== x && isSignaling64(a);
      const bS = y !== y && isSignaling64(b);
      const cS = z !== z && isSignaling64(c);
      const infZero = Fpu.infTimesZero(x, y);
      if (aS || bS || cS || infZero) this.flags |= FpFlag.NV;
      if (!this.propagate) return this.dnan64;
      if (cS) return c | QUIET64;
      if (aS) return a | QUIET64;
      if (bS) return b | QUIET64;
      if (z !== z) return infZero ? this.dnan64 : c;
      return x !== x ? a : b;
    }
    const r = this.fma(F64, x, y, z, rm);
    return r === r ? f64Bits(r) : this.dnan64;
  }

  // ------------------------------------------------------------------ compare, classify

  private cmp(fn: FcmpFn, x: number, y: number): number {
    switch (fn) {
      case 'eq': return x === y ? 1 : 0;
      case 'lt': return x < y ? 1 : 0;
      case 'le': return x <= y ? 1 : 0;
      case 'unord': return 0;
    }
  }

  fcmp32(fn: FcmpFn, signaling: boolean, a: number, b: number, mode = 0): number {
    if (mode !== 0) {
      this.enter(mode);
      const [x, y] = [this.fz32(a), this.fz32(b)];
      const r = this.fcmp32(fn, signaling, x, y);
      this.flags |= this.idc;
      return r;
    }
    this.flags = 0;
    const x = f32Value(a);
    const y = f32Value(b);
    if (x !== x || y !== y) {
      if (signaling || (x !== x && isSignaling32(a)) || (y !== y && isSignaling32(b))) this.flags = FpFlag.NV;
      return fn === 'unord' ? 1 : 0;
    }
    return this.cmp(fn, x, y);
  }

  fcmp64(fn: FcmpFn, signaling: boolean, a: bigint, b: bigint, mode = 0): number {
    if (mode !== 0) {
      this.enter(mode);
      const [x, y] = [this.fz64(a), this.fz64(b)];
      const r = this.fcmp64(fn, signaling, x, y);
      this.flags |= this.idc;
      return r;
    }
    this.flags = 0;
    const x = f64Value(a);
    const y = f64Value(b);
    if (x !== x || y !== y) {
      if (signaling || (x !== x && isSignaling64(a)) || (y !== y && isSignaling64(b))) this.flags = FpFlag.NV;
      return fn === 'unord' ? 1 : 0;
    }
    return this.cmp(fn, x, y);
  }

  fclass32(a: number): number {
    const e = (a >>> 23) & 0xff;
    const frac = a & 0x7fffff;
    return fclassOf(a >>> 31 === 1, e === 0xff, e === 0, frac === 0, (a & QUIET32) !== 0);
  }

  fclass64(a: bigint): number {
    const hi = Number((a >> 32n) & 0xffffffffn);
    const lo = Number(a & 0xffffffffn);
    const e = (hi >>> 20) & 0x7ff;
    return fclassOf(hi >>> 31 === 1, e === 0x7ff, e === 0, (hi & 0xfffff) === 0 && lo === 0, (hi & 0x80000) !== 0);
  }

  // ------------------------------------------------------------------ conversions

  f2i(from: FloatFmt, a: number | bigint, ty: IntTy, signed: boolean, rm: Rm): number | bigint {
    if (rm > 7) {
      const m = this.enter(rm);
      const x = from === 'f32' ? this.fz32(a as number) : this.fz64(a as bigint);
      const r = this.f2i(from, x, ty, signed, m);
      this.flags |= this.idc;
      return r;
    }
    this.flags = 0;
    const x = from === 'f32' ? f32Value(a as number) : f64Value(a as bigint);
    let r: number; // the rounded value, or ±∞ standing for "saturate this way"
    if (x !== x) {
      if (!this.nanMax) {
        this.flags = FpFlag.NV;
        return ty === 'i32' ? 0 : 0n;
      }
      r = Infinity;
    } else {
      r = roundToIntegral(x, rm);
      // The range check is on the rounded value (-0.5 → -0 fits an unsigned type, → -1 does not).
      const inRange = ty === 'i32'
        ? (signed ? r >= -TWO31 && r < TWO31 : r >= 0 && r < TWO32)
        : (signed ? r >= -TWO63 && r < TWO63 : r >= 0 && r < TWO64);
      if (inRange) {
        if (r !== x) this.flags = FpFlag.NX;
        if (ty === 'i32') return r | 0;
        return signed && r < 0 ? BigInt.asUintN(64, BigInt(r)) : BigInt(r);
      }
    }
    // Out of range, ±∞ or NaN: saturate, NV and no NX.
    this.flags = FpFlag.NV;
    if (ty === 'i32') return signed ? (r < 0 ? -0x80000000 : 0x7fffffff) : r < 0 ? 0 : -1;
    return signed ? (r < 0 ? I64_MIN : I64_MAX) : r < 0 ? 0n : U64_MAX;
  }

  i2f(to: FloatFmt, a: number | bigint, from: IntTy, signed: boolean, rm: Rm): number | bigint {
    rm &= 7; // FpMode bits cannot matter: integer operands, results never tiny or NaN
    this.flags = 0;
    const f = to === 'f32' ? F32 : F64;
    let r: number;
    if (from === 'i32') {
      const v = signed ? (a as number) | 0 : (a as number) >>> 0;
      r = f.is32 ? this.intToF32(v, 0, rm, v) : v;
    } else {
      const v = signed ? BigInt.asIntN(64, a as bigint) : BigInt.asUintN(64, a as bigint);
      const d = Number(v); // round-to-nearest-even of v
      const dl = Math.abs(d) < 2 ** 53 ? 0 : Number(v - BigInt(d)); // exact error, |dl| ≤ 2^10
      if (f.is32) r = this.intToF32(d, dl, rm, v);
      else if (dl === 0) r = d;
      else if (rm === Rm.RNE) {
        this.flags = FpFlag.NX;
        r = d;
      } else r = this.intRound(F64, d, dl, rm, v);
    }
    return f.is32 ? f32Bits(r) : f64Bits(r);
  }

  /** v = d + dl exactly (d = fl(v)); round to f32. */
  private intToF32(d: number, dl: number, rm: Rm, v: number | bigint): number {
    if (dl === 0) {
      const r0 = Math.fround(d);
      if (r0 === d) return d;
      if (rm === Rm.RNE) {
        this.flags = FpFlag.NX;
        return r0;
      }
    }
    return this.intRound(F32, d, dl, rm, v);
  }

  private intRound(f: Fmt, d: number, dl: number, rm: Rm, v: number | bigint): number {
    if (this.fast) {
      const r = fastFromInt(f, d, dl, rm, this);
      if (r === r) return r;
    }
    return exactFromInt(f, BigInt(v), rm, this);
  }

  f2f(from: FloatFmt, to: FloatFmt, a: number | bigint, rm: Rm): number | bigint {
    if (rm > 7) {
      const m = this.enter(rm);
      const x = from === 'f32' ? this.fz32(a as number) : this.fz64(a as bigint);
      const r = this.f2f(from, to, x, m);
      if (to === 'f32') return this.out32(r as number, () => this.f2f(from, to, x, Rm.RTZ) as number);
      return this.out64(r as bigint, () => this.f2f(from, to, x, Rm.RTZ) as bigint);
    }
    this.flags = 0;
    if (from === 'f32') {
      const bits = a as number;
      const x = f32Value(bits);
      if (x !== x) {
        if (isSignaling32(bits)) this.flags = FpFlag.NV;
        if (to === 'f32') return this.propagate ? bits | QUIET32 : this.dnan32;
        if (!this.propagate) return this.dnan64;
        // sign, quiet NaN, the f32 fraction at the top of the f64 fraction
        return (BigInt(bits >>> 31) << 63n) | 0x7ff8000000000000n | (BigInt(bits & 0x3fffff) << 29n);
      }
      return to === 'f64' ? f64Bits(x) : f32Bits(x);
    }
    const bits = a as bigint;
    const x = f64Value(bits);
    if (x !== x) {
      if (isSignaling64(bits)) this.flags = FpFlag.NV;
      if (to === 'f64') return this.propagate ? bits | QUIET64 : this.dnan64;
      if (!this.propagate) return this.dnan32;
      return (Number(bits >> 63n) << 31) | 0x7fc00000 | Number((bits >> 29n) & 0x3fffffn);
    }
    if (to === 'f64') return bits;
    if (x === 0 || x === Infinity || x === -Infinity) return f32Bits(x);
    if (this.fast) {
      const r = fastNarrow(x, rm, this);
      if (r === r) return f32Bits(r);
    }
    return f32Bits(exactRound(F32, x, rm, this));
  }
}
