// Lazy condition flags in the region tier (src/jit/wasm/flag-quads.ts) against tier 0: random
// multi-block code built with the AArch64 lifter's flag idioms (compares, adds, logical results
// at both widths, with and without carry), reading the flags in the same block, in later blocks
// and through faults and region exits (stores into a read-only page). Both tiers must end with
// the same pc, exit, registers (N, Z, C, V included) and memory.
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import type { IRBlock, Temp } from '../src/jit/ir.js';
import { addWithCarry, condHolds, logicFlags, subWithCarry } from '../src/arch/aarch64/lift-util.js';
import { CF, NF, VF, ZF } from '../src/arch/aarch64/regs.js';
import { lazyFlags } from '../src/jit/wasm/flag-quads.js';
import { Perm } from '../src/mem/address-space.js';
import { RISCV } from './fpu/harness.js';
import { Rng } from './rng.js';
import { runBoth, type Window } from './wasm-harness.js';

const DATA = 0x20000; // read-write
const RO = 0x21000; // read-only
const WINDOWS: Window[] = [
  { start: DATA, len: 0x1000, prot: Perm.R | Perm.W },
  { start: RO, len: 0x1000, prot: Perm.R },
];
const NSLOTS = 106;
const PTR = 20; // holds DATA, or RO now and then: stores there fault
const FUEL = 21; // loop counter

/** One instruction's worth of random flag-setting or flag-reading IR. */
function insn(b: IRBuilder, r: Rng): void {
  const x = () => 1 + r.below(8);
  const sf = r.chance(0.5);
  const get = (reg: number) => b.get(sf ? 'i64' : 'i32', reg);
  const put = (reg: number, v: Temp) => b.set(reg, b.typeOf(v) === 'i64' ? v : b.extend(v, false));
  switch (r.below(8)) {
    case 0:
    case 1: // cmp / subs
      put(x(), subWithCarry(b, get(x()), r.chance(0.5) ? get(x()) : b.const(sf ? 'i64' : 'i32', BigInt(r.range(-3, 3))), undefined, true));
      return;
    case 2: // adds / cmn
      put(x(), addWithCarry(b, get(x()), get(x()), undefined, true));
      return;
    case 3: { // ands / tst
      const v = b.bin('and', get(x()), get(x()));
      logicFlags(b, v);
      put(x(), v);
      return;
    }
    case 4: // adcs / sbcs: flags another way (the region keeps them eagerly)
      if (r.chance(0.3)) put(x(), (r.chance(0.5) ? addWithCarry : subWithCarry)(b, get(x()), get(x()), b.get('i32', CF), true));
      else put(x(), b.select(condHolds(b, r.below(16)), get(x()), get(x())));
      return;
    case 5: // csel
      put(x(), b.select(condHolds(b, r.below(16)), get(x()), get(x())));
      return;
    case 6: // str through PTR (faults when it points at the read-only page)
      b.store(8, b.bin('add', b.get('i64', PTR), b.const('i64', BigInt(8 * r.below(8)))), get(x()));
      return;
    default: // ldr
      put(x(), b.load('i64', 8, false, b.bin('add', b.get('i64', PTR), b.const('i64', BigInt(8 * r.below(8))))));
      return;
  }
}

/** Blocks 0…n-1 at 0x1000 + 0x100 k: random instructions, then a conditional branch on the flags
 *  (forward or back, back-edges counted down by FUEL), the last one leaving. */
function program(r: Rng, n: number): IRBlock[] {
  const blocks: IRBlock[] = [];
  for (let k = 0; k < n; k++) {
    const pc = 0x1000 + 0x100 * k;
    const b = new IRBuilder(pc);
    const len = 1 + r.below(5);
    for (let i = 0; i < len; i++) {
      b.mark(pc + 4 * i, 4);
      insn(b, r);
    }
    b.mark(pc + 4 * len, 4);
    const fuel = b.bin('sub', b.get('i64', FUEL), b.const('i64', 1n));
    b.set(FUEL, fuel);
    const alive = b.bin('lts', b.const('i64', 0n), fuel); // stays false once the fuel is out
    const target = 0x1000 + 0x100 * r.below(n);
    const cond = b.bin('and', condHolds(b, r.below(16)), alive);
    b.end({ op: 'branch', cond, taken: target, fall: k + 1 < n ? pc + 0x100 : 0x9000 });
    blocks.push(b.finish());
  }
  return blocks;
}

describe('lazy condition flags', () => {
  it('recognises the lifter\'s compare, add and logical flag writes, not those with a carry', () => {
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    subWithCarry(b, b.get('i64', 1), b.get('i64', 2), undefined, true);
    addWithCarry(b, b.get('i32', 1), b.get('i32', 2), undefined, true);
    logicFlags(b, b.get('i64', 3));
    b.end({ op: 'goto', pc: 0x1004 });
    const lz = lazyFlags([b.finish()]);
    expect(lz?.slots).toEqual([NF, ZF, CF, VF]);
    expect([...lz!.quads.values()].map((q) => [q.kind, q.is32])).toEqual([[1, false], [2, true], [3, false]]);
    const c = new IRBuilder(0x1000);
    c.mark(0x1000, 4);
    subWithCarry(c, c.get('i64', 1), c.get('i64', 2), undefined, true);
    subWithCarry(c, c.get('i64', 1), c.get('i64', 2), c.get('i32', CF), true);
    c.end({ op: 'goto', pc: 0x1004 });
    expect(lazyFlags([c.finish()])).toBeNull(); // the region keeps its flags eagerly
  });

  it('matches tier 0 on random code that sets and reads flags across blocks and faults', () => {
    const hows = new Set<string>();
    for (let seed = 0; seed < 250; seed++) {
      const r = new Rng(77_000 + seed);
      const blocks = program(r, 1 + r.below(5));
      const faulty = r.chance(0.3);
      const regs = Array.from({ length: 8 }, () => (r.chance(0.3) ? BigInt.asUintN(64, BigInt(r.range(-2, 2))) : r.u64()));
      const flags = [NF, ZF, CF, VF].map(() => BigInt(r.below(2)));
      const fuel = BigInt(1 + r.below(200));
      const { t0, t1 } = runBoth(blocks, 0x1000, {
        windows: WINDOWS,
        nslots: NSLOTS,
        env: RISCV,
        maxSteps: 100_000,
        fill: (mem, S) => {
          for (let i = 0; i < 0x1000; i++) mem.bytes[DATA + i] = (i * 11 + seed) & 0xff;
          regs.forEach((v, i) => (S[1 + i] = v));
          [NF, ZF, CF, VF].forEach((f, i) => (S[f] = flags[i]));
          S[PTR] = BigInt(faulty ? RO : DATA);
          S[FUEL] = fuel;
        },
      });
      expect(t1, `seed ${seed}`).toEqual(t0);
      hows.add(t0.how);
    }
    expect([...hows].sort()).toEqual(['fault', 'left']);
  });
});
