// Tier-0 code generation: IR ops run with the right widths, wrap-around and fault precision.
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import { compileBlock } from '../src/jit/interp/compile-block.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';
import type { FpuOps } from '../src/jit/fpu-api.js';
import type { BinOp } from '../src/jit/ir.js';

const noFpu = {} as FpuOps;
const mem = new AddressSpace();
mem.map(0x10000, 0x2000, Perm.R | Perm.W);

function runBin(fn: BinOp, ty: 'i32' | 'i64', a: bigint, b: bigint): bigint {
  const rt = new Tier0Runtime(mem, 4, noFpu);
  const B = new IRBuilder(0x1000);
  B.mark(0x1000, 4);
  const r = B.bin(fn, B.const(ty, a), B.const(ty, b));
  B.set(0, B.typeOf(r) === 'i32' ? B.extend(r, true) : r);
  B.end({ op: 'goto', pc: 0x1004 });
  const blk = compileBlock(B.finish(), rt);
  expect(blk.run()).toBe(0x1004);
  return rt.S[0];
}
const M64 = (1n << 64n) - 1n;

describe('tier 0 integer ops', () => {
  it('wraps 64-bit arithmetic', () => {
    expect(runBin('add', 'i64', M64, 2n)).toBe(1n);
    expect(runBin('sub', 'i64', 0n, 1n)).toBe(M64);
    expect(runBin('mul', 'i64', 1n << 63n, 2n)).toBe(0n);
    expect(runBin('mulhu', 'i64', M64, M64)).toBe(M64 - 1n);
    expect(runBin('mulhs', 'i64', M64, M64)).toBe(0n); // -1 * -1 = 1, high half 0
    expect(runBin('mulhsu', 'i64', M64, 2n)).toBe(M64); // -1 * 2 = -2, high half -1
  });
  it('divides without trapping', () => {
    expect(runBin('divu', 'i64', 7n, 0n)).toBe(0n);
    expect(runBin('remu', 'i64', 7n, 0n)).toBe(7n);
    expect(runBin('divs', 'i64', 1n << 63n, M64)).toBe(1n << 63n);
    expect(runBin('rems', 'i64', 1n << 63n, M64)).toBe(0n);
    expect(runBin('divs', 'i64', M64 - 6n, 2n)).toBe(M64 - 2n); // -7/2 = -3
    expect(runBin('rems', 'i64', M64 - 6n, 2n)).toBe(M64); // -7%2 = -1
  });
  it('shifts modulo the width', () => {
    expect(runBin('shl', 'i64', 1n, 65n)).toBe(2n);
    expect(runBin('shra', 'i64', 1n << 63n, 63n)).toBe(M64);
    expect(runBin('shrl', 'i64', 1n << 63n, 63n)).toBe(1n);
    expect(runBin('rotl', 'i64', 1n << 63n, 1n)).toBe(1n);
    expect(runBin('shl', 'i32', 1n, 33n)).toBe(2n);
    expect(runBin('shra', 'i32', 0x80000000n, 31n)).toBe(M64); // -1 sign-extended
  });
  it('compares signed and unsigned', () => {
    expect(runBin('lts', 'i64', M64, 0n)).toBe(1n);
    expect(runBin('ltu', 'i64', M64, 0n)).toBe(0n);
    expect(runBin('ltu', 'i32', 0xffffffffn, 0n)).toBe(0n);
    expect(runBin('lts', 'i32', 0xffffffffn, 0n)).toBe(1n);
  });
  it('32-bit division edge cases', () => {
    expect(runBin('divs', 'i32', 0x80000000n, 0xffffffffn)).toBe(BigInt.asUintN(64, -(1n << 31n)));
    expect(runBin('rems', 'i32', 0x80000000n, 0xffffffffn)).toBe(0n);
    expect(runBin('divu', 'i32', 0xffffffffn, 2n)).toBe(0x7fffffffn);
  });
});

describe('tier 0 memory', () => {
  it('loads and stores with sign and width', () => {
    const rt = new Tier0Runtime(mem, 4, noFpu);
    const B = new IRBuilder(0x1000);
    B.mark(0x1000, 4);
    const a = B.const('i64', 0x10010);
    B.store(4, a, B.const('i64', 0xfffffff0n));
    B.set(0, B.load('i64', 4, true, a));
    B.set(1, B.load('i64', 2, false, a));
    B.set(2, B.load('i64', 8, false, a));
    B.end({ op: 'goto', pc: 0x1004 });
    compileBlock(B.finish(), rt).run();
    expect(rt.S[0]).toBe(BigInt.asUintN(64, -16n));
    expect(rt.S[1]).toBe(0xfff0n);
    expect(rt.S[2]).toBe(0xfffffff0n);
  });
  it('faults precisely: registers written before the faulting instruction stay', () => {
    const rt = new Tier0Runtime(mem, 4, noFpu);
    const B = new IRBuilder(0x1000);
    B.mark(0x1000, 4);
    B.set(0, B.const('i64', 5));
    B.mark(0x1004, 4);
    B.set(1, B.load('i64', 8, false, B.const('i64', 0x11ffc))); // crosses into an unmapped page
    B.end({ op: 'goto', pc: 0x1008 });
    const blk = compileBlock(B.finish(), rt);
    let err: unknown;
    try {
      blk.run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuestSignal);
    expect((err as GuestSignal).addr).toBe(0x12000);
    expect(rt.faultPc).toBe(0x1004);
    expect(rt.S[0]).toBe(5n);
  });
  it('LR/SC succeed once, AMO returns the old value sign-extended', () => {
    const rt = new Tier0Runtime(mem, 4, noFpu);
    const B = new IRBuilder(0x1000);
    B.mark(0x1000, 4);
    const a = B.const('i64', 0x10100);
    B.store(4, a, B.const('i64', 0x80000000n));
    B.set(0, B.amo('add', 4, a, B.const('i64', 1)));
    B.ll('i64', 4, a);
    B.set(1, B.extend(B.sc(4, a, B.const('i64', 9)), false));
    B.set(2, B.extend(B.sc(4, a, B.const('i64', 10)), false));
    B.set(3, B.load('i64', 4, false, a));
    B.end({ op: 'goto', pc: 0x1004 });
    compileBlock(B.finish(), rt).run();
    expect(rt.S[0]).toBe(0xffffffff80000000n);
    expect(rt.S[1]).toBe(1n);
    expect(rt.S[2]).toBe(0n);
    expect(rt.S[3]).toBe(9n);
  });
});

describe('address space above 2 GiB', () => {
  it('reads a C string that crosses a page boundary high in memory', () => {
    const m = new AddressSpace();
    m.map(0xfe000000, 0x2000, Perm.R | Perm.W);
    m.write(0xfe000ffe, new Uint8Array([0x61, 0x62, 0x63, 0]));
    expect(m.readCString(0xfe000ffe)).toBe('abc');
  });
  it('reports the first faulting byte on a later page', () => {
    const m = new AddressSpace();
    m.map(0xfe000000, 0x1000, Perm.R);
    let err: unknown;
    try {
      m.check(0xfe000ff8, 16, Perm.R);
    } catch (e) {
      err = e;
    }
    expect((err as GuestSignal).addr).toBe(0xfe001000);
  });
});
