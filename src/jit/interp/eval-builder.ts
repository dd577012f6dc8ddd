// Lifting straight into tier 0's evaluator form. Most blocks a program runs are only ever
// evaluated (a static hello world: ~700 blocks, none of them compiled), so making their IR ops —
// an object per op, a bigint per constant — and then translating the ops (ir-eval.ts) is work
// for nothing. EvalBuilder takes the lifter's calls and encodes each op as it comes
// (eval-asm.ts), to the same code translate would make of the IRBuilder's ops (tests check that,
// word for word). A block that later needs its ops (compiled by tier 0, or part of a wasm region)
// is lifted again then, from the bytes the first lift read (engine/lazy-block.ts).
import { BlockBuilder } from '../builder.js';
import * as asm from './eval-asm.js';
import { halves } from './eval-slow.js';
import type { BinOp, Endian, IntTy, MemSize, Op, Temp, Terminator, UnOp } from '../ir.js';
import { assert } from '../../types.js';

/** What a lift into the evaluator form gives: the block's shape, and the form itself. */
export interface EvalBlock extends asm.EncodedBlock {
  readonly pc: number;
  readonly ninsns: number;
  readonly size: number;
  readonly end: Terminator;
  /** Whether the block is a call (wasm/region.ts returnSite: it sets a register to the address
   *  just past itself and leaves by a jump). */
  readonly isCall: boolean;
}

const TWO32 = 2 ** 32;

/** One block; make a new one per block (a lifter may key state on the builder). Encoding uses
 *  eval-asm.ts's module state, so blocks are built one at a time. */
export class EvalBuilder extends BlockBuilder {
  /** The block's sets, as slot, value pairs (lastSet and isCall read them). */
  private readonly sets: number[] = [];

  constructor(pc: number) {
    super(pc);
    asm.begin(this.types);
  }

  protected markOp(pc: number): void {
    asm.mark(pc);
  }
  protected rare(op: Op): void {
    asm.slow(op);
  }
  lastSet(slot: number): Temp | undefined {
    const s = this.sets;
    for (let i = s.length - 2; i >= 0; i -= 2) if (s[i] === slot) return s[i + 1];
    return undefined;
  }

  const(ty: IntTy, value: bigint | number): Temp {
    const out = this.temp(ty);
    let lo: number, hi: number;
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      // The words of value modulo 2^64, as halves(BigInt(value)) gives them.
      lo = value | 0;
      hi = Math.floor(value / TWO32) | 0;
    } else {
      const h = halves(BigInt(value));
      lo = h[0];
      hi = h[1];
    }
    asm.constant(out, lo, hi);
    return out;
  }
  get(ty: IntTy, slot: number): Temp {
    const out = this.temp(ty);
    asm.get(ty, out, slot);
    return out;
  }
  set(slot: number, value: Temp): void {
    asm.set(this.types[value], slot, value);
    this.sets.push(slot, value);
  }
  bin(fn: BinOp, a: Temp, b: Temp): Temp {
    const ty = this.types[a];
    const out = this.temp(this.binTy(fn, a, b));
    assert(asm.bin(fn, ty, out, a, b), 'the evaluator lacks a binary op');
    return out;
  }
  un(fn: UnOp, a: Temp): Temp {
    const ty = this.types[a];
    const out = this.temp(ty);
    assert(asm.un(fn, ty, out, a), 'the evaluator lacks a unary op');
    return out;
  }
  wrap(a: Temp): Temp {
    assert(this.types[a] === 'i64', 'wrap of non-i64');
    const out = this.temp('i32');
    asm.wrap(out, a);
    return out;
  }
  extend(a: Temp, signed: boolean): Temp {
    assert(this.types[a] === 'i32', 'extend of non-i32');
    const out = this.temp('i64');
    asm.extend(out, a, signed);
    return out;
  }
  sext(a: Temp, bits: 8 | 16 | 32): Temp {
    const ty = this.types[a];
    const out = this.temp(ty);
    asm.sext(ty, out, a, bits);
    return out;
  }
  select(cond: Temp, a: Temp, b: Temp): Temp {
    const ty = this.types[a];
    assert(ty === this.types[b] && this.types[cond] === 'i32', 'select operand types');
    const out = this.temp(ty);
    asm.select(ty, out, cond, a, b);
    return out;
  }
  load(ty: IntTy, size: MemSize, signed: boolean, addr: Temp, endian: Endian = 'le'): Temp {
    const out = this.temp(ty);
    asm.load(out, size, signed, endian, addr);
    return out;
  }
  store(size: MemSize, addr: Temp, value: Temp, endian: Endian = 'le'): void {
    asm.store(size, endian, addr, value);
  }
  clearReservation(): void {
    asm.clearReservation();
  }

  finish(): EvalBlock {
    const end = this.endOp();
    const e = asm.finish(end, this.types.length);
    assert(e !== null, 'the evaluator lacks a terminator');
    const size = this.nextPc - this.pc;
    return { pc: this.pc, ninsns: this.insnCount, size, end, isCall: this.isCall(end, this.pc + size), code: e.code, start: e.start, starts: e.starts, slow: e.slow };
  }

  /** returnSite's test (an i64 constant of the next pc set to a slot), on the encoder's constants
   *  and the block's sets instead of the ops. */
  private isCall(end: Terminator, next: number): boolean {
    if (end.op !== 'goto' && end.op !== 'jump') return false;
    const holding = asm.tempsHolding(next | 0, Math.floor(next / TWO32) | 0);
    if (holding.length === 0) return false;
    const s = this.sets;
    for (let i = 1; i < s.length; i += 2) if (this.types[s[i]] === 'i64' && holding.includes(s[i])) return true;
    return false;
  }
}
