// F and D extensions. Arithmetic goes through the IR's FP ops (bit patterns in, bit patterns and
// exception flags out; flags accrue into fflags). Sign injection, moves, loads and stores are pure
// bit operations. Singles live NaN-boxed in the 64-bit f registers: operands that are not properly
// boxed read as the canonical NaN (rf32), every single written is boxed (wf32), but the transfer
// instructions (fsw, fmv.x.w) move the raw low 32 bits.
import type { BlockBuilder } from '../../jit/builder.js';
import type { FloatFmt, IntTy, MemSize, Temp } from '../../jit/ir.js';
import type { LiftFn } from './insn.js';
import { accrue, addr, box, c32, c64, rf32, rf64, rmArg, rx, rx32, wf32, wf64, wx, wxs32, wxu32 } from './lift-util.js';

const rf = (b: BlockBuilder, fmt: FloatFmt, f: number): Temp => (fmt === 'f32' ? rf32(b, f) : rf64(b, f));
const wf = (b: BlockBuilder, fmt: FloatFmt, f: number, v: Temp): void => (fmt === 'f32' ? wf32(b, f, v) : wf64(b, f, v));
const sign = (b: BlockBuilder, fmt: FloatFmt): Temp => (fmt === 'f32' ? c32(b, 0x80000000) : c64(b, 1n << 63n));
const magnitude = (b: BlockBuilder, fmt: FloatFmt): Temp => (fmt === 'f32' ? c32(b, 0x7fffffff) : c64(b, (1n << 63n) - 1n));

/** fadd/fsub/fmul/fdiv. */
export const fbin = (fn: 'add' | 'sub' | 'mul' | 'div', fmt: FloatFmt): LiftFn => (b, d) => {
  const [r, flags] = b.fbin(fn, fmt, rf(b, fmt, d.rs1), rf(b, fmt, d.rs2), rmArg(b, d.rm));
  wf(b, fmt, d.rd, r);
  accrue(b, flags);
};
/** fmin/fmax: IEEE 754-2019 minimumNumber/maximumNumber (RISC-V 2.2+: -0 < +0, one NaN operand
 *  yields the other, two give the canonical NaN, a signalling NaN raises NV). */
export const fminmax = (fn: 'minnum' | 'maxnum', fmt: FloatFmt): LiftFn => (b, d) => {
  const [r, flags] = b.fbin(fn, fmt, rf(b, fmt, d.rs1), rf(b, fmt, d.rs2), { static: 0 });
  wf(b, fmt, d.rd, r);
  accrue(b, flags);
};
export const fsqrt = (fmt: FloatFmt): LiftFn => (b, d) => {
  const [r, flags] = b.fsqrt(fmt, rf(b, fmt, d.rs1), rmArg(b, d.rm));
  wf(b, fmt, d.rd, r);
  accrue(b, flags);
};
/** The four fused multiply-adds as one a*b+c: fmsub negates c, fnmsub negates the product (a),
 *  fnmadd both — exactly the spec's -(rs1×rs2)∓rs3, signed zeros included. */
export const fma = (fmt: FloatFmt, negProduct: boolean, negAddend: boolean): LiftFn => (b, d) => {
  let x = rf(b, fmt, d.rs1);
  const y = rf(b, fmt, d.rs2);
  let z = rf(b, fmt, d.rs3);
  if (negProduct) x = b.bin('xor', x, sign(b, fmt));
  if (negAddend) z = b.bin('xor', z, sign(b, fmt));
  const [r, flags] = b.ffma(fmt, x, y, z, rmArg(b, d.rm));
  wf(b, fmt, d.rd, r);
  accrue(b, flags);
};

/** fsgnj (sign of rs2), fsgnjn (its opposite), fsgnjx (xor of both signs). */
export const fsgnj = (kind: 'j' | 'n' | 'x', fmt: FloatFmt): LiftFn => (b, d) => {
  const x = rf(b, fmt, d.rs1);
  const s = sign(b, fmt);
  let r: Temp;
  // One register (fmv, fneg, fabs): a move, a sign flip, a sign clear — the same bits, in the
  // shape the wasm tier runs as f64 moves, f64.neg and f64.abs (float-locals.ts).
  if (d.rs1 === d.rs2) r = kind === 'j' ? x : kind === 'n' ? b.bin('xor', x, s) : b.bin('and', x, magnitude(b, fmt));
  else if (kind === 'x') r = b.bin('xor', x, b.bin('and', rf(b, fmt, d.rs2), s));
  else {
    const y = rf(b, fmt, d.rs2);
    const ys = b.bin('and', kind === 'n' ? b.bin('xor', y, s) : y, s);
    r = b.bin('or', b.bin('and', x, magnitude(b, fmt)), ys);
  }
  wf(b, fmt, d.rd, r);
};

/** feq (quiet), flt/fle (signalling): rd = 0/1. */
export const fcmp = (fn: 'eq' | 'lt' | 'le', fmt: FloatFmt): LiftFn => (b, d) => {
  const [r, flags] = b.fcmp(fn, fmt, rf(b, fmt, d.rs1), rf(b, fmt, d.rs2), fn !== 'eq');
  wxu32(b, d.rd, r);
  accrue(b, flags);
};
export const fclass = (fmt: FloatFmt): LiftFn => (b, d) => {
  if (d.rd !== 0) wxu32(b, d.rd, b.fclass(fmt, rf(b, fmt, d.rs1)));
};

/** fcvt.{w,wu,l,lu}.{s,d}: saturating; 32-bit results are sign-extended (wu too). The flags
 *  accrue even when rd is x0. */
export const fcvtToInt = (fmt: FloatFmt, ty: IntTy, signed: boolean): LiftFn => (b, d) => {
  const [r, flags] = b.f2i(fmt, ty, signed, rf(b, fmt, d.rs1), rmArg(b, d.rm));
  if (ty === 'i32') wxs32(b, d.rd, r);
  else wx(b, d.rd, r);
  accrue(b, flags);
};
/** fcvt.{s,d}.{w,wu,l,lu}: the .w forms take the low 32 bits of rs1. */
export const fcvtFromInt = (fmt: FloatFmt, ty: IntTy, signed: boolean): LiftFn => (b, d) => {
  const a = ty === 'i32' ? rx32(b, d.rs1) : rx(b, d.rs1);
  const [r, flags] = b.i2f(fmt, signed, a, rmArg(b, d.rm));
  wf(b, fmt, d.rd, r);
  accrue(b, flags);
};
/** fcvt.s.d / fcvt.d.s. */
export const fcvtFF = (from: FloatFmt, to: FloatFmt): LiftFn => (b, d) => {
  const [r, flags] = b.f2f(from, to, rf(b, from, d.rs1), rmArg(b, d.rm));
  wf(b, to, d.rd, r);
  accrue(b, flags);
};

/** fmv.x.w: the low 32 bits, sign-extended, boxed or not. */
export const fmvXW: LiftFn = (b, d) => {
  if (d.rd !== 0) wx(b, d.rd, b.sext(rf64(b, d.rs1), 32));
};
export const fmvWX: LiftFn = (b, d) => {
  wf64(b, d.rd, box(b, rx(b, d.rs1)));
};
export const fmvXD: LiftFn = (b, d) => {
  if (d.rd !== 0) wx(b, d.rd, rf64(b, d.rs1));
};
export const fmvDX: LiftFn = (b, d) => {
  wf64(b, d.rd, rx(b, d.rs1));
};

/** flw boxes the loaded word; fld loads the doubleword. */
export const fload = (size: MemSize): LiftFn => (b, d) => {
  const v = b.load('i64', size, false, addr(b, d.rs1, d.imm));
  wf64(b, d.rd, size === 4 ? box(b, v) : v);
};
/** fsw stores the raw low word. */
export const fstore = (size: MemSize): LiftFn => (b, d) => {
  const a = addr(b, d.rs1, d.imm);
  b.store(size, a, rf64(b, d.rs2));
};
