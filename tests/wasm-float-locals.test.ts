// Regions that hold FP values in f64 locals (src/jit/wasm/float-locals.ts): which registers and
// temps the plan picks, and random FP-heavy loops run under tier 0 and the region tier, which must
// leave the same registers, flags and memory — bit for bit, NaN payloads included, whether a
// register is all-FP (an f64 local) or also read or written as an integer (bits, converted).
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import type { IRBlock, Temp } from '../src/jit/ir.js';
import { floatPlan } from '../src/jit/wasm/float-locals.js';
import { ARM, RISCV } from './fpu/harness.js';
import { Rng } from './rng.js';
import { DATA, runBoth, WINDOWS } from './wasm-harness.js';

const SIGN = 1n << 63n;
const NSLOTS = 16;
/** Slots 0…7: FP registers; 8: a counter; 9: the data address; 10: accrued FP flags (i32);
 *  11: compare results. */
const COUNTER = 8;
const BASE = 9;
const FLAGS = 10;
const CMP = 11;
const RNE = { static: 0 } as const;

describe('the float plan', () => {
  it('holds FP-only registers and temps as f64s, and nothing an integer op reads or writes', () => {
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    const [p] = b.fbin('mul', 'f64', b.get('i64', 0), b.get('i64', 1), RNE, false);
    b.set(2, p); // 2: an FP result
    b.set(3, b.bin('xor', b.get('i64', 2), b.const('i64', SIGN))); // 3: its negation
    const ld = b.load('i64', 8, false, b.get('i64', BASE));
    b.set(4, ld); // 4: a loaded double, stored back below
    b.store(8, b.get('i64', BASE), b.get('i64', 4));
    b.set(5, b.bin('add', b.get('i64', 5), b.const('i64', 1))); // 5: an integer
    const [q] = b.fbin('add', 'f64', b.get('i64', 6), b.get('i64', 6), RNE, false);
    b.set(7, b.bin('add', b.get('i64', 6), q)); // 6: read by an FP op and an integer op
    b.end({ op: 'goto', pc: 0x1000 });
    const blk = b.finish();
    const plan = floatPlan([blk], new Set());
    expect([...plan.regs].sort()).toEqual([0, 1, 2, 3, 4]);
    const ft = plan.temps.get(blk) as Uint8Array;
    expect(ft[p]).toBe(1);
    expect(ft[ld]).toBe(1);
    expect(ft[q]).toBe(0); // added to an integer
  });

  it('drops a register moved into one that an integer op reads, and slots it is told to leave', () => {
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    const [p] = b.fbin('add', 'f64', b.get('i64', 0), b.get('i64', 0), RNE, false);
    b.set(1, p);
    b.set(2, b.get('i64', 1)); // 1 → 2
    b.set(3, b.bin('shl', b.get('i64', 2), b.const('i64', 1))); // 2 read as an integer
    b.end({ op: 'goto', pc: 0x1000 });
    const blk = b.finish();
    expect([...floatPlan([blk], new Set()).regs]).toEqual([0]);
    expect([...floatPlan([blk], new Set([0])).regs]).toEqual([]);
  });
});

/** FP bit patterns worth having in registers and memory: signed zeros, subnormals, normals,
 *  infinities, quiet and signalling NaNs with payloads. */
function fpBits(r: Rng): bigint {
  const pick = r.below(10);
  if (pick === 0) return r.pick([0n, SIGN, 0x7ff0000000000000n, 0xfff0000000000000n]);
  if (pick === 1) return r.pick([0x7ff8000000000000n, 0x7ff8000000000123n, 0x7ff0000000000001n, 0xfff4000000abcdefn]);
  if (pick === 2) return BigInt.asUintN(52, r.u64()) | (r.chance(0.5) ? SIGN : 0n); // subnormal
  const exp = BigInt(1023 - 8 + r.below(16)); // near 1.0: sums and products stay normal, mostly
  return (r.chance(0.5) ? SIGN : 0n) | (exp << 52n) | BigInt.asUintN(52, r.u64());
}

/** One random instruction's IR on the FP registers. */
function randomInsn(b: IRBuilder, r: Rng): void {
  const reg = () => r.below(8);
  const f = () => b.get('i64', reg());
  const accrue = (fl: Temp | undefined) => {
    if (fl !== undefined) b.set(FLAGS, b.bin('or', b.get('i32', FLAGS), fl));
  };
  const addr = () => b.bin('add', b.get('i64', BASE), b.const('i64', 8 * r.below(16)));
  switch (r.below(12)) {
    case 0:
    case 1: {
      const [v, fl] = b.fbin(r.pick(['add', 'sub', 'mul', 'div'] as const), 'f64', f(), f(), RNE);
      b.set(reg(), v);
      accrue(fl);
      return;
    }
    case 2: {
      const [v, fl] = b.ffma('f64', f(), f(), f(), RNE);
      b.set(reg(), v);
      accrue(fl);
      return;
    }
    case 3: {
      const [v, fl] = b.fsqrt('f64', f(), RNE);
      b.set(reg(), v);
      accrue(fl);
      return;
    }
    case 4: // fneg / fabs as bit operations, as lifters write them
      b.set(reg(), r.chance(0.5) ? b.bin('xor', f(), b.const('i64', SIGN)) : b.bin('and', b.const('i64', SIGN - 1n), f()));
      return;
    case 5: // a move
      b.set(reg(), f());
      return;
    case 6:
      b.set(reg(), b.load('i64', 8, false, addr()));
      return;
    case 7:
      b.store(8, addr(), f());
      return;
    case 8: {
      const [c, fl] = b.fcmp(r.pick(['eq', 'lt', 'le'] as const), 'f64', f(), f(), r.chance(0.5));
      b.set(CMP, b.extend(c, false));
      accrue(fl);
      return;
    }
    case 9: {
      const [v, fl] = r.chance(0.5) ? b.f2i('f64', 'i64', true, f(), RNE) : b.i2f('f64', true, b.get('i64', COUNTER), RNE);
      b.set(reg(), v);
      accrue(fl);
      return;
    }
    case 10: // an integer op on an FP register (sometimes: most registers stay FP-only)
      if (r.chance(0.3)) b.set(reg(), b.bin('add', f(), b.const('i64', 1)));
      return;
    default: // an FP register written with a constant
      b.set(reg(), b.const('i64', fpBits(r)));
  }
}

/** A loop of `nblocks` blocks: the last counts down slot COUNTER and branches back to the first. */
function randomLoop(r: Rng, nblocks: number): IRBlock[] {
  const blocks: IRBlock[] = [];
  for (let k = 0; k < nblocks; k++) {
    const pc = 0x1000 + 0x100 * k;
    const b = new IRBuilder(pc);
    const n = 2 + r.below(6);
    for (let i = 0; i < n; i++) {
      b.mark(pc + 4 * i, 4);
      randomInsn(b, r);
    }
    if (k < nblocks - 1) b.end({ op: 'goto', pc: pc + 0x100 });
    else {
      b.mark(pc + 4 * n, 4);
      const left = b.bin('sub', b.get('i64', COUNTER), b.const('i64', 1));
      b.set(COUNTER, left);
      b.end({ op: 'branch', cond: b.bin('ne', left, b.const('i64', 0)), taken: 0x1000, fall: 0x8000 });
    }
    blocks.push(b.finish());
  }
  return blocks;
}

describe('regions with f64 locals match tier 0', () => {
  for (const [name, env] of [['riscv64', RISCV], ['aarch64', ARM]] as const) {
    it(`random FP loops, ${name} NaN rules`, () => {
      const r = new Rng(name === 'riscv64' ? 0xf10a7 : 0xf10a8);
      const bad: string[] = [];
      let floatRegs = 0;
      for (let iter = 0; iter < 150; iter++) {
        const blocks = randomLoop(r, 1 + r.below(3));
        floatRegs += floatPlan(blocks, new Set()).regs.size;
        const regs = Array.from({ length: 8 }, () => fpBits(r));
        const data = Array.from({ length: 16 }, () => fpBits(r));
        const count = BigInt(3 + r.below(5));
        const { t0, t1 } = runBoth(blocks, 0x1000, {
          windows: WINDOWS,
          nslots: NSLOTS,
          env,
          fill: (mem, S) => {
            regs.forEach((v, i) => (S[i] = v));
            S[COUNTER] = count;
            S[BASE] = BigInt(DATA);
            data.forEach((v, i) => mem.view.setBigUint64(DATA + 8 * i, v, true));
          },
        });
        if (JSON.stringify(t0) !== JSON.stringify(t1)) bad.push(`iteration ${iter}: tier 0 ${JSON.stringify(t0).slice(0, 300)} / region ${JSON.stringify(t1).slice(0, 300)}`);
      }
      expect(bad.slice(0, 3)).toEqual([]);
      expect(floatRegs).toBeGreaterThan(150); // the plan did hold registers as f64s
    });
  }
});
