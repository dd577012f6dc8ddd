// The wasm region tier against tier 0 on random IR: every integer op at both widths, loads and
// stores (in range, across pages, into read-only or unmapped pages, beyond 4 GiB), atomics and
// LL/SC, counters, every terminator, and small multi-block regions with loops. Both tiers start
// from the same registers and memory; they must end with the same pc, exit, signal, instret,
// registers and memory.
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import type { AmoOp, BinOp, IntTy, IRBlock, MemSize, Temp, UnOp } from '../src/jit/ir.js';
import { RISCV } from './fpu/harness.js';
import { Rng } from './rng.js';
import { runBoth, Side, type Outcome, DATA, RO, WINDOWS } from './wasm-harness.js';
import { SCHED_PREEMPT, SCHED_SLICE_END } from '../src/jit/wasm/layout.js';
import { SchedSlot } from '../src/engine/sched-area.js';

const NSLOTS = 24;
/** Slots 16…19 hold addresses: the start and end of the data pages, the read-only page, the end of the data. */
const BASES = [DATA, DATA + 0xff8, RO, DATA + 0x1ffc];

const BINOPS: BinOp[] = ['add', 'sub', 'mul', 'mulhs', 'mulhu', 'mulhsu', 'divs', 'divu', 'rems', 'remu', 'and', 'or', 'xor', 'shl', 'shrl', 'shra', 'rotl', 'rotr', 'eq', 'ne', 'lts', 'ltu', 'les', 'leu'];
const UNOPS: UnOp[] = ['clz', 'ctz', 'popcnt', 'bswap'];
const AMOS: AmoOp[] = ['swap', 'add', 'and', 'or', 'xor', 'mins', 'maxs', 'minu', 'maxu'];
const M64 = (1n << 64n) - 1n;
const INTERESTING = [0n, 1n, 2n, 3n, 7n, 31n, 32n, 63n, 64n, 0x7fn, 0x80n, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 32n, (1n << 63n) - 1n, 1n << 63n, M64, M64 - 1n];

function value(r: Rng): bigint {
  return r.chance(0.5) ? r.pick(INTERESTING) : r.u64();
}

/** A random straight-line block at pc; `end` picks its terminator. */
function randomBlock(r: Rng, pc: number, ninsns: number, end: (b: IRBuilder, pool: Pool) => void): IRBlock {
  const b = new IRBuilder(pc);
  const pool = new Pool(b, r);
  for (let i = 0; i < ninsns; i++) {
    b.mark(pc + 4 * i, 4);
    pool.clear(); // an instruction's IR is self-contained, as lifters make it
    const n = 1 + r.below(3);
    for (let k = 0; k < n; k++) randomOp(b, r, pool);
  }
  end(b, pool);
  return b.finish();
}

class Pool {
  readonly t: Record<IntTy, Temp[]> = { i32: [], i64: [] };
  constructor(private readonly b: IRBuilder, private readonly r: Rng) {}
  clear(): void {
    this.t.i32 = [];
    this.t.i64 = [];
  }
  add(t: Temp): Temp {
    this.t[this.b.typeOf(t)].push(t);
    return t;
  }
  any(ty: IntTy): Temp {
    const r = this.r;
    const list = this.t[ty];
    if (list.length === 0 || r.chance(0.25)) {
      if (r.chance(0.5)) return this.add(this.b.const(ty, value(r)));
      return this.add(ty === 'i64' ? this.b.get('i64', r.below(16)) : this.b.get('i32', r.below(16)));
    }
    return r.pick(list);
  }
}

function randomAddr(b: IRBuilder, r: Rng, pool: Pool, size: number): Temp {
  const k = r.below(10);
  if (k === 0) return pool.any('i64'); // anything: mostly a fault
  if (k === 1) return b.const('i64', r.pick([0n, 0x23000n, 0xffe00000n, 1n << 32n, M64 - 7n]));
  const base = b.get('i64', 16 + r.below(4));
  const off = r.pick([0, 8, 16, -8, 0x7f8, 4, 5, 3, 0xffc, 0x1000 - size, 0x1000 - size + 1]);
  return b.bin('add', base, b.const('i64', BigInt.asUintN(64, BigInt(off))));
}

function randomOp(b: IRBuilder, r: Rng, pool: Pool): void {
  const ty: IntTy = r.chance(0.6) ? 'i64' : 'i32';
  switch (r.below(15)) {
    case 0:
    case 1:
    case 2: {
      const fn = r.pick(BINOPS);
      const out = b.bin(fn, pool.any(ty), pool.any(ty));
      pool.add(out);
      return;
    }
    case 3:
      pool.add(b.un(r.pick(UNOPS), pool.any(ty)));
      return;
    case 4:
      pool.add(r.chance(0.5) ? b.wrap(pool.any('i64')) : b.extend(pool.any('i32'), r.chance(0.5)));
      return;
    case 5:
      pool.add(b.sext(pool.any(ty), ty === 'i64' ? r.pick([8, 16, 32] as const) : r.pick([8, 16, 32] as const)));
      return;
    case 6:
      pool.add(b.select(pool.any('i32'), pool.any(ty), pool.any(ty)));
      return;
    case 7:
    case 8: {
      const size = r.pick([1, 2, 4, 8] as MemSize[]);
      const lty: IntTy = size === 8 ? (r.chance(0.8) ? 'i64' : 'i32') : ty;
      pool.add(b.load(lty, size, r.chance(0.5), randomAddr(b, r, pool, size), r.chance(0.9) ? 'le' : 'be'));
      return;
    }
    case 9:
    case 10: {
      const size = r.pick([1, 2, 4, 8] as MemSize[]);
      const v = size === 8 ? pool.any('i64') : pool.any(ty);
      b.store(size, randomAddr(b, r, pool, size), v, r.chance(0.9) ? 'le' : 'be');
      return;
    }
    case 11: {
      const size = r.pick([4, 8] as const);
      const vty: IntTy = size === 8 ? 'i64' : ty;
      const addr = r.chance(0.8) ? b.bin('add', b.get('i64', 16), b.const('i64', BigInt(r.below(8) * 8))) : randomAddr(b, r, pool, size);
      const k = r.below(5);
      if (k === 0) pool.add(b.amo(r.pick(AMOS), size, addr, pool.any(vty)));
      else if (k === 1) pool.add(b.cas(size, addr, pool.any(vty), pool.any(vty)));
      else if (k === 2) pool.add(b.ll(vty, size, addr));
      else if (k === 3) pool.add(b.sc(size, addr, pool.any(vty)));
      else b.clearReservation();
      return;
    }
    case 12:
      pool.add(b.counter(r.chance(0.5) ? 'instret' : 'cycle'));
      return;
    default:
      b.set(r.below(16), pool.any(ty));
      return;
  }
}

const fill = (seed: number) => (mem: import('../src/mem/address-space.js').AddressSpace, S: BigUint64Array) => {
  const r = new Rng(seed);
  for (let i = 0; i < 16; i++) S[i] = value(r);
  BASES.forEach((a, i) => (S[16 + i] = BigInt(a)));
  for (let a = DATA; a < DATA + 0x2000; a += 4) mem.view.setUint32(a, r.u32(), true);
  for (let a = RO; a < RO + 0x1000; a += 4) mem.view.setUint32(a, r.u32(), true);
};

/** At a fault tier 0 leaves instret at the faulting block's start; tier 1 may have run the
 *  instructions before the faulting one as a block of their own (Why.RESTART), which counts them
 *  — the precise value. Elsewhere the counts must agree exactly. */
function sameOutcome(t1: Outcome, t0: Outcome): void {
  if (t0.how === 'fault' && t1.how === 'fault') {
    expect(t1.instret).toBeGreaterThanOrEqual(t0.instret);
    expect({ ...t1, instret: 0 }).toEqual({ ...t0, instret: 0 });
  } else expect(t1).toEqual(t0);
}

function compare(blocks: IRBlock[], entry: number, seed: number, maxSteps?: number) {
  const { t0, t1 } = runBoth(blocks, entry, { windows: WINDOWS, nslots: NSLOTS, env: RISCV, fill: fill(seed), maxSteps });
  sameOutcome(t1, t0);
  return t0;
}

describe('wasm tier matches tier 0 on random blocks', () => {
  const TERMS = ['goto', 'branch', 'jump', 'syscall', 'trap', 'flushCode'] as const;
  for (let chunk = 0; chunk < 8; chunk++) {
    it(`straight-line blocks, batch ${chunk}`, () => {
      const seen = new Set<string>();
      for (let i = 0; i < 60; i++) {
        const seed = chunk * 1000 + i;
        const r = new Rng(seed);
        const term = TERMS[i % TERMS.length];
        const blk = randomBlock(r, 0x10000, 1 + r.below(12), (b, pool) => {
          const next = b.nextPc;
          if (term === 'goto') b.end({ op: 'goto', pc: next });
          else if (term === 'branch') b.end({ op: 'branch', cond: pool.any('i32'), taken: 0x50000, fall: next });
          else if (term === 'jump') {
            const t = b.bin('or', b.bin('and', pool.any('i64'), b.const('i64', 0x7ffffffen)), b.const('i64', 0x80000000n));
            b.end({ op: 'jump', target: r.chance(0.2) ? b.const('i64', r.pick([1n << 32n, M64])) : t });
          }
          else if (term === 'syscall') b.end({ op: 'syscall', next });
          else if (term === 'trap') b.end({ op: 'trap', signal: 5, code: 1, addr: 0x10000, pc: b.nextPc - 4 });
          else b.end({ op: 'flushCode', next });
        });
        const out = compare([blk], 0x10000, seed, 20);
        seen.add(out.how);
      }
      // the batch must have exercised faults and normal exits alike
      expect(seen.has('fault')).toBe(true);
    });
  }

  it('loops inside one region: counted loops, nested, with a call-like return', () => {
    for (let seed = 0; seed < 40; seed++) {
      const r = new Rng(5000 + seed);
      // b0 → b1 (loop body, self loop while slot 20 > 0) → b2 (back to b1 or out)
      const A = 0x10000, B = 0x10100, C = 0x10200;
      const b0 = new IRBuilder(A);
      b0.mark(A, 4);
      b0.set(20, b0.const('i64', BigInt(1 + r.below(40))));
      b0.set(21, b0.const('i64', BigInt(1 + r.below(5))));
      b0.end({ op: 'goto', pc: B });
      const body = randomBlock(r, B, 1 + r.below(6), (b) => {
        const n = b.bin('sub', b.get('i64', 20), b.const('i64', 1n));
        b.set(20, n);
        b.end({ op: 'branch', cond: b.bin('ltu', b.const('i64', 0n), n), taken: B, fall: C });
      });
      const c = new IRBuilder(C);
      c.mark(C, 4);
      const m = c.bin('sub', c.get('i64', 21), c.const('i64', 1n));
      c.set(21, m);
      c.set(20, c.const('i64', 3n));
      c.end({ op: 'branch', cond: c.bin('ne', m, c.const('i64', 0n)), taken: B, fall: 0x90000 });
      compare([b0.finish(), body, c.finish()], A, 5000 + seed, 100_000);
    }
  });

  it('random control flow: nested, overlapping and multi-entry loops, entered anywhere', () => {
    for (let seed = 0; seed < 60; seed++) {
      const r = new Rng(7000 + seed);
      const n = 2 + r.below(14);
      const pcs = Array.from({ length: n }, (_, i) => 0x10000 + 0x40 * i);
      const outside = 0x90000;
      const target = () => (r.chance(0.05) ? outside : r.pick(pcs));
      const blocks = pcs.map((pc) =>
        randomBlock(r, pc, 1 + r.below(3), (b) => {
          // fuel in slot 20 bounds the walk; slot 21 mixes a value that picks the branches
          const fuel = b.bin('sub', b.get('i64', 20), b.const('i64', 1n));
          b.set(20, fuel);
          const x = b.bin('rotl', b.bin('xor', b.get('i64', 21), b.get('i64', r.below(16))), b.const('i64', 7n));
          b.set(21, x);
          const go = b.bin('ltu', b.bin('and', x, b.const('i64', 255n)), b.const('i64', 128n));
          // every way round a cycle spends fuel and leaves when it is gone
          const alive = b.bin('ne', fuel, b.const('i64', 0n));
          if (r.chance(0.5)) b.end({ op: 'branch', cond: alive, taken: target(), fall: outside });
          else {
            // forward only: every cycle goes through a fuel check
            const later = pcs.filter((p) => p > pc);
            const fwd = () => (later.length === 0 || r.chance(0.1) ? outside : r.pick(later));
            b.end({ op: 'branch', cond: go, taken: fwd(), fall: fwd() });
          }
        }),
      );
      for (const entry of [pcs[0], r.pick(pcs)]) {
        const fuel = BigInt(1 + r.below(2000));
        const { t0, t1 } = runBoth(blocks, entry, {
          windows: WINDOWS, nslots: NSLOTS, env: RISCV, maxSteps: 1_000_000,
          fill: (m, S) => {
            fill(7000 + seed)(m, S);
            S[20] = fuel;
          },
        });
        sameOutcome(t1, t0);
      }
    }
  });

  it('LL/SC: an SC takes the reservation away, stored or not, and so do an AMO on it and a clear', () => {
    // per case: LL of DATA + 8, then what comes between, then two SCs; their results in slots 0…
    const cases: ((b: IRBuilder, at: Temp) => void)[] = [
      () => {},
      (b, at) => void b.amo('add', 8, at, b.const('i64', 0n)), // the same bytes, value unchanged
      (b) => void b.amo('swap', 8, b.bin('add', b.get('i64', 16), b.const('i64', 32n)), b.const('i64', 1n)), // other bytes
      (b) => b.clearReservation(),
    ];
    const b = new IRBuilder(0x10000);
    cases.forEach((between, k) => {
      b.mark(0x10000 + 4 * k, 4);
      const at = b.bin('add', b.get('i64', 16), b.const('i64', 8n));
      const v = b.ll('i64', 8, at);
      between(b, at);
      b.set(2 * k, b.sc(8, at, v)); // (the value again: only the reservation can fail the next)
      b.set(2 * k + 1, b.sc(8, at, b.const('i64', BigInt(200 + k))));
    });
    b.end({ op: 'goto', pc: 0x90000 });
    const t0 = compare([b.finish()], 0x10000, 42);
    // stored by the first SC only where nothing came between that took the reservation away
    expect(t0.S.slice(0, 8)).toEqual(['1', '0', '0', '0', '1', '0', '0', '0']);
  });

  it('32-bit CAS and AMO min/max with the top bit set (i32 operands are sign-extended, memory is not)', () => {
    const b = new IRBuilder(0x10000);
    b.mark(0x10000, 4);
    const at = b.bin('add', b.get('i64', 16), b.const('i64', 16n));
    b.store(4, at, b.const('i32', 0x80000001n));
    b.set(0, b.cas(4, at, b.const('i32', 0x80000001n), b.const('i32', 0x90000002n))); // stores
    b.set(1, b.amo('minu', 4, at, b.const('i32', 0x7fffffffn)));
    b.set(2, b.amo('maxs', 4, at, b.const('i32', 0xf0000000n)));
    b.set(3, b.load('i64', 4, false, at));
    b.store(4, at, b.const('i32', 0x90000000n));
    b.amo('minu', 4, at, b.const('i32', 0x80000000n)); // unsigned: 0x80000000 is the smaller
    b.set(4, b.load('i64', 4, false, at));
    b.end({ op: 'goto', pc: 0x90000 });
    const t0 = compare([b.finish()], 0x10000, 43);
    // (i32 results go to slots zero-extended)
    expect(t0.S.slice(0, 5)).toEqual(['80000001', '90000002', '7fffffff', '7fffffff', '80000000']);
  });

  it('an indirect jump back into the region (a return) stays inside it', () => {
    const A = 0x10000, F = 0x10100;
    // A: "call" F with link = A+8; A+8 (block R) counts down and loops
    const a = new IRBuilder(A);
    a.mark(A, 4);
    a.set(1, a.const('i64', BigInt(A + 8)));
    a.end({ op: 'goto', pc: F });
    const f = new IRBuilder(F);
    f.mark(F, 4);
    f.set(2, f.bin('add', f.get('i64', 2), f.const('i64', 5n)));
    f.end({ op: 'jump', target: f.get('i64', 1) });
    const ret = new IRBuilder(A + 8);
    ret.mark(A + 8, 4);
    const n = ret.bin('sub', ret.get('i64', 3), ret.const('i64', 1n));
    ret.set(3, n);
    ret.end({ op: 'branch', cond: ret.bin('ne', n, ret.const('i64', 0n)), taken: A, fall: 0x90000 });
    const blocks = [a.finish(), f.finish(), ret.finish()];
    const entries0 = runBoth([], A, { windows: WINDOWS, nslots: NSLOTS, env: RISCV, fill: () => {} }).tier.stats.entries;
    const { t0, t1, tier } = runBoth(blocks, A, {
      windows: WINDOWS, nslots: NSLOTS, env: RISCV, maxSteps: 10_000,
      fill: (_m, S) => {
        S[3] = 1000n;
      },
    });
    expect(t1).toEqual(t0);
    expect(t0.S[2]).toBe((5000).toString(16));
    expect(tier.stats.entries - entries0).toBe(1); // one entry from JS ran all 1000 iterations
  });

  it("returns to the engine when the scheduler's slice ends or it asks for control", () => {
    const A = 0x10000;
    const b = new IRBuilder(A);
    b.mark(A, 4);
    b.mark(A + 4, 4);
    const n = b.bin('sub', b.get('i64', 0), b.const('i64', 1n));
    b.set(0, n);
    b.end({ op: 'branch', cond: b.bin('ne', n, b.const('i64', 0n)), taken: A, fall: 0x20000 });
    const blk = b.finish();
    const side = new Side(WINDOWS, NSLOTS, RISCV, true);
    const start = (sliceEnd: bigint, preempt: number) => {
      side.init((mem, S) => {
        S[0] = 1_000_000n;
        mem.view.setBigUint64(SCHED_SLICE_END, sliceEnd, true);
        mem.view.setUint32(SCHED_PREEMPT, preempt, true);
      });
      return side.run([blk], A, 1);
    };
    // one run from JS: back at the loop head once the count reaches the slice end
    expect([start(1001n, 0).instret, start(1001n, 0).pc]).toEqual([1002, A]);
    expect(start(1n << 40n, 0).instret).toBe(2_000_000);
    expect(start(1n << 40n, 1).instret).toBe(2); // preempted: the first back-edge
    // the engine's definition of the words is the one compiled code reads
    expect([SchedSlot.SLICE_END, SchedSlot.PREEMPT]).toEqual([SCHED_SLICE_END, SCHED_PREEMPT]);
  });

  it('leaves a long loop at the budget and comes back with the same state', () => {
    const A = 0x10000;
    const b = new IRBuilder(A);
    b.mark(A, 4);
    const n = b.bin('sub', b.get('i64', 0), b.const('i64', 1n));
    b.set(0, n);
    b.set(1, b.bin('add', b.get('i64', 1), n));
    b.end({ op: 'branch', cond: b.bin('ne', n, b.const('i64', 0n)), taken: A, fall: 0x20000 });
    const { t0, t1 } = runBoth([b.finish()], A, {
      windows: WINDOWS, nslots: NSLOTS, env: RISCV, maxSteps: 10_000_000,
      fill: (_m, S) => {
        S[0] = 3_000_000n; // more than one LIMIT slice
      },
    });
    expect(t1).toEqual(t0);
    expect(t1.instret).toBe(3_000_000);
  });
});
