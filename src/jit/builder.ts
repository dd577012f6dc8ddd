// The builders lifters emit a block into. BlockBuilder is what a lifter sees: one method per IR
// op, each returning its result temp. IRBuilder records the ops (an IRBlock: what tier 0's
// compiler and the wasm tier read); EvalBuilder (eval-builder.ts) encodes them straight into tier
// 0's evaluator form, which is all a block that runs a few times needs.
import type { AmoOp, BinOp, Endian, FloatFmt, IntTy, IRBlock, MemSize, Op, RmArg, Temp, Terminator, UnOp } from './ir.js';
import { assert } from '../types.js';
import { MAX_HELPER_ARGS } from './helpers.js';

/** FP op names of `fbin`. */
export type FbinFn = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'minnum' | 'maxnum';

export abstract class BlockBuilder {
  readonly types: IntTy[] = [];
  private insns = 0;
  private lastPc: number;
  private lastLen = 0;
  protected terminator: Terminator | null = null;

  constructor(readonly pc: number) {
    this.lastPc = pc;
  }

  protected temp(ty: IntTy): Temp {
    this.types.push(ty);
    return this.types.length - 1;
  }
  typeOf(t: Temp): IntTy {
    return this.types[t];
  }

  /** Start a guest instruction at pc, len bytes long. */
  mark(pc: number, len: number): void {
    this.insns++;
    this.lastPc = pc;
    this.lastLen = len;
    this.markOp(pc, len);
  }
  protected abstract markOp(pc: number, len: number): void;
  get insnCount(): number {
    return this.insns;
  }
  /** pc just past the current instruction. */
  get nextPc(): number {
    return this.lastPc + this.lastLen;
  }
  get ended(): boolean {
    return this.terminator !== null;
  }
  end(t: Terminator): void {
    assert(this.terminator === null, 'block already ended');
    this.terminator = t;
  }
  /** The block's terminator: the one given, else a fall-through to the next instruction. */
  protected endOp(): Terminator {
    return this.terminator ?? { op: 'goto', pc: this.nextPc };
  }

  /** An i64 constant of v modulo 2^64. A safe integer ≥ 0 goes on as a number: a bigint costs
   *  allocations per constant, and constants are a fifth of all ops lifted. */
  u64(v: number | bigint): Temp {
    return this.const('i64', typeof v === 'number' && v >= 0 && Number.isSafeInteger(v) ? v : BigInt.asUintN(64, BigInt(v)));
  }

  /** The temp the block's latest `set` of `slot` wrote, if it has one. */
  abstract lastSet(slot: number): Temp | undefined;

  abstract const(ty: IntTy, value: bigint | number): Temp;
  abstract get(ty: IntTy, slot: number): Temp;
  abstract set(slot: number, value: Temp): void;
  abstract bin(fn: BinOp, a: Temp, b: Temp): Temp;
  abstract un(fn: UnOp, a: Temp): Temp;
  abstract wrap(a: Temp): Temp;
  abstract extend(a: Temp, signed: boolean): Temp;
  abstract sext(a: Temp, bits: 8 | 16 | 32): Temp;
  abstract select(cond: Temp, a: Temp, b: Temp): Temp;
  abstract load(ty: IntTy, size: MemSize, signed: boolean, addr: Temp, endian?: Endian): Temp;
  abstract store(size: MemSize, addr: Temp, value: Temp, endian?: Endian): void;
  abstract clearReservation(): void;

  /** Ops tier 0's evaluator leaves to its slow path (atomics, FP, helpers, counters): both
   *  builders record them as ops. */
  protected abstract rare(op: Op): void;

  amo(fn: AmoOp, size: 4 | 8, addr: Temp, value: Temp, endian: Endian = 'le'): Temp {
    const ty = this.types[value];
    const out = this.temp(ty);
    this.rare({ op: 'amo', out, ty, fn, size, endian, addr, value });
    return out;
  }
  cas(size: 4 | 8, addr: Temp, expected: Temp, value: Temp, endian: Endian = 'le'): Temp {
    const ty = this.types[value];
    const out = this.temp(ty);
    this.rare({ op: 'cas', out, ty, size, endian, addr, expected, value });
    return out;
  }
  ll(ty: IntTy, size: 4 | 8, addr: Temp, endian: Endian = 'le'): Temp {
    const out = this.temp(ty);
    this.rare({ op: 'll', out, ty, size, endian, addr });
    return out;
  }
  sc(size: 4 | 8, addr: Temp, value: Temp, endian: Endian = 'le'): Temp {
    const out = this.temp('i32');
    this.rare({ op: 'sc', out, size, endian, addr, value });
    return out;
  }

  private flagsOut(want: boolean): Temp | undefined {
    return want ? this.temp('i32') : undefined;
  }
  /** FP ops return [result, flags?]; flags (i32, FpFlag bits) only when wantFlags. */
  fbin(fn: FbinFn, fmt: FloatFmt, a: Temp, b: Temp, rm: RmArg, wantFlags = true): [Temp, Temp | undefined] {
    const out = this.temp(fmtTy(fmt));
    const flags = this.flagsOut(wantFlags);
    this.rare({ op: 'fbin', out, fmt, fn, a, b, rm, flags });
    return [out, flags];
  }
  fsqrt(fmt: FloatFmt, a: Temp, rm: RmArg, wantFlags = true): [Temp, Temp | undefined] {
    const out = this.temp(fmtTy(fmt));
    const flags = this.flagsOut(wantFlags);
    this.rare({ op: 'fsqrt', out, fmt, a, rm, flags });
    return [out, flags];
  }
  ffma(fmt: FloatFmt, a: Temp, b: Temp, c: Temp, rm: RmArg, wantFlags = true): [Temp, Temp | undefined] {
    const out = this.temp(fmtTy(fmt));
    const flags = this.flagsOut(wantFlags);
    this.rare({ op: 'ffma', out, fmt, a, b, c, rm, flags });
    return [out, flags];
  }
  fcmp(fn: 'eq' | 'lt' | 'le' | 'unord', fmt: FloatFmt, a: Temp, b: Temp, signaling: boolean, wantFlags = true, mode?: Temp): [Temp, Temp | undefined] {
    const out = this.temp('i32');
    const flags = this.flagsOut(wantFlags);
    this.rare(mode === undefined ? { op: 'fcmp', out, fmt, fn, signaling, a, b, flags } : { op: 'fcmp', out, fmt, fn, signaling, a, b, flags, mode });
    return [out, flags];
  }
  f2i(from: FloatFmt, ty: IntTy, signed: boolean, a: Temp, rm: RmArg, wantFlags = true): [Temp, Temp | undefined] {
    const out = this.temp(ty);
    const flags = this.flagsOut(wantFlags);
    this.rare({ op: 'f2i', out, from, ty, signed, a, rm, flags });
    return [out, flags];
  }
  i2f(to: FloatFmt, signed: boolean, a: Temp, rm: RmArg, wantFlags = true): [Temp, Temp | undefined] {
    const out = this.temp(fmtTy(to));
    const flags = this.flagsOut(wantFlags);
    this.rare({ op: 'i2f', out, to, from: this.types[a], signed, a, rm, flags });
    return [out, flags];
  }
  f2f(from: FloatFmt, to: FloatFmt, a: Temp, rm: RmArg, wantFlags = true): [Temp, Temp | undefined] {
    const out = this.temp(fmtTy(to));
    const flags = this.flagsOut(wantFlags);
    this.rare({ op: 'f2f', out, from, to, a, rm, flags });
    return [out, flags];
  }
  fclass(fmt: FloatFmt, a: Temp): Temp {
    const out = this.temp('i32');
    this.rare({ op: 'fclass', out, fmt, a });
    return out;
  }
  /** Call pure helper `id` (helpers.ts) on i64 args: its two i64 results. */
  helper(id: number, args: Temp[]): [Temp, Temp] {
    assert(args.length <= MAX_HELPER_ARGS && args.every((a) => this.types[a] === 'i64'), 'helper: at most 6 i64 args');
    const out = this.temp('i64');
    const out2 = this.temp('i64');
    this.rare({ op: 'helper', out, out2, id, args });
    return [out, out2];
  }
  counter(which: 'cycle' | 'time' | 'instret'): Temp {
    const out = this.temp('i64');
    this.rare({ op: 'counter', out, which });
    return out;
  }

  /** The type `bin fn` gives its result: i32 0/1 for a comparison, else the operands' type (and
   *  asserts they have one). */
  protected binTy(fn: BinOp, a: Temp, b: Temp): IntTy {
    const ty = this.types[a];
    if (ty !== this.types[b]) assert(false, `bin ${fn}: operand types differ`); // (no message built per op)
    return fn === 'eq' || fn === 'ne' || fn === 'lts' || fn === 'ltu' || fn === 'les' || fn === 'leu' ? 'i32' : ty;
  }
}

/** Records the ops: the IRBlock every backend can read. */
export class IRBuilder extends BlockBuilder {
  readonly ops: Op[] = [];

  // Each method builds its op as one object literal with `out` in it (no `{...op, out}` copy per
  // op: it showed in tier 0's start-up profile).

  protected markOp(pc: number, len: number): void {
    this.ops.push({ op: 'mark', pc, len });
  }
  protected rare(op: Op): void {
    this.ops.push(op);
  }
  lastSet(slot: number): Temp | undefined {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i];
      if (op.op === 'set' && op.slot === slot) return op.value;
    }
    return undefined;
  }

  const(ty: IntTy, value: bigint | number): Temp {
    const out = this.temp(ty);
    this.ops.push({ op: 'const', out, ty, value: BigInt(value) });
    return out;
  }
  get(ty: IntTy, slot: number): Temp {
    const out = this.temp(ty);
    this.ops.push({ op: 'get', out, ty, slot });
    return out;
  }
  set(slot: number, value: Temp): void {
    this.ops.push({ op: 'set', slot, ty: this.types[value], value });
  }
  bin(fn: BinOp, a: Temp, b: Temp): Temp {
    const ty = this.types[a];
    const out = this.temp(this.binTy(fn, a, b));
    this.ops.push({ op: 'bin', out, ty, fn, a, b });
    return out;
  }
  un(fn: UnOp, a: Temp): Temp {
    const ty = this.types[a];
    const out = this.temp(ty);
    this.ops.push({ op: 'un', out, ty, fn, a });
    return out;
  }
  wrap(a: Temp): Temp {
    assert(this.types[a] === 'i64', 'wrap of non-i64');
    const out = this.temp('i32');
    this.ops.push({ op: 'wrap', out, a });
    return out;
  }
  extend(a: Temp, signed: boolean): Temp {
    assert(this.types[a] === 'i32', 'extend of non-i32');
    const out = this.temp('i64');
    this.ops.push({ op: 'extend', out, a, signed });
    return out;
  }
  sext(a: Temp, bits: 8 | 16 | 32): Temp {
    const ty = this.types[a];
    const out = this.temp(ty);
    this.ops.push({ op: 'sext', out, ty, a, bits });
    return out;
  }
  select(cond: Temp, a: Temp, b: Temp): Temp {
    const ty = this.types[a];
    assert(ty === this.types[b] && this.types[cond] === 'i32', 'select operand types');
    const out = this.temp(ty);
    this.ops.push({ op: 'select', out, ty, cond, a, b });
    return out;
  }
  load(ty: IntTy, size: MemSize, signed: boolean, addr: Temp, endian: Endian = 'le'): Temp {
    const out = this.temp(ty);
    this.ops.push({ op: 'load', out, ty, size, signed, endian, addr });
    return out;
  }
  store(size: MemSize, addr: Temp, value: Temp, endian: Endian = 'le'): void {
    this.ops.push({ op: 'store', size, endian, addr, value });
  }
  clearReservation(): void {
    this.ops.push({ op: 'clearReservation' });
  }

  finish(): IRBlock {
    return {
      pc: this.pc,
      ops: this.ops,
      end: this.endOp(),
      ntemps: this.types.length,
      types: this.types,
      ninsns: this.insnCount,
      size: this.nextPc - this.pc,
    };
  }
}

export function fmtTy(fmt: FloatFmt): IntTy {
  return fmt === 'f32' ? 'i32' : 'i64';
}
