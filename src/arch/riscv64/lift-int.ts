// RV64I lifters: ALU (register, immediate, *W forms), lui/auipc, loads/stores, branches, jumps.
// Each export builds the LiftFn of a family of instructions from its IR operation.
import type { BinOp, MemSize } from '../../jit/ir.js';
import type { LiftFn } from './insn.js';
import { addr, branchTo, c32, c64, gotoPc, rx, rx32, wx, wxs32, wxu32, wxw } from './lift-util.js';

// Pure ALU results written to x0 are dropped together with the computation.

/** rd = rs1 fn rs2 (i64). */
export const opRR = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wx(b, d.rd, b.bin(fn, rx(b, d.rs1), rx(b, d.rs2)));
};
/** rd = rs1 fn imm (i64). */
export const opRI = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wx(b, d.rd, b.bin(fn, rx(b, d.rs1), c64(b, d.imm)));
};
/** rd = (rs1 cmp rs2) ? 1 : 0. */
export const cmpRR = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wxu32(b, d.rd, b.bin(fn, rx(b, d.rs1), rx(b, d.rs2)));
};
export const cmpRI = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wxu32(b, d.rd, b.bin(fn, rx(b, d.rs1), c64(b, d.imm)));
};
/** addw/subw/mulw: the low 32 bits of the 64-bit result, sign-extended. */
export const opRRW = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wxw(b, d.rd, b.bin(fn, rx(b, d.rs1), rx(b, d.rs2)));
};
export const opRIW = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wxw(b, d.rd, b.bin(fn, rx(b, d.rs1), c64(b, d.imm)));
};
/** sllw/srlw/sraw: a 32-bit shift (amount mod 32), sign-extended. */
export const shiftRRW = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wxs32(b, d.rd, b.bin(fn, rx32(b, d.rs1), rx32(b, d.rs2)));
};
export const shiftRIW = (fn: BinOp): LiftFn => (b, d) => {
  if (d.rd !== 0) wxs32(b, d.rd, b.bin(fn, rx32(b, d.rs1), c32(b, d.imm)));
};

export const lui: LiftFn = (b, d) => {
  if (d.rd !== 0) wx(b, d.rd, c64(b, d.imm));
};
export const auipc: LiftFn = (b, d) => {
  if (d.rd !== 0) wx(b, d.rd, c64(b, BigInt(d.pc) + BigInt(d.imm)));
};

/** Loads keep their access even into x0: it can fault. */
export const load = (size: MemSize, signed: boolean): LiftFn => (b, d) => {
  wx(b, d.rd, b.load('i64', size, signed, addr(b, d.rs1, d.imm)));
};
export const store = (size: MemSize): LiftFn => (b, d) => {
  const a = addr(b, d.rs1, d.imm);
  b.store(size, a, rx(b, d.rs2));
};

/** Conditional branch; `swap` compares rs2 with rs1 (bge a,b = b <= a). */
export const branch = (fn: BinOp, swap = false): LiftFn => (b, d) => {
  const x = rx(b, d.rs1);
  const y = rx(b, d.rs2);
  branchTo(b, swap ? b.bin(fn, y, x) : b.bin(fn, x, y), d.pc + d.imm, d.pc + d.len);
};

export const jal: LiftFn = (b, d) => {
  wx(b, d.rd, c64(b, d.pc + d.len));
  gotoPc(b, d.pc + d.imm);
};
/** The target is computed before rd is written (rd may be rs1); bit 0 is cleared. */
export const jalr: LiftFn = (b, d) => {
  const target = b.bin('and', addr(b, d.rs1, d.imm), c64(b, -2));
  wx(b, d.rd, c64(b, d.pc + d.len));
  b.end({ op: 'jump', target });
};
