// Tier 0's ways to run a block — walking its evaluator form (ir-eval.ts, a block's first runs) in
// wasm (eval-module.ts) or in the JS handlers alone, and the JS function compileBlock makes later —
// must agree exactly: random blocks of integer and memory ops run every way from the same state,
// compared on registers, memory, next pc and fault pc.
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import { compileBlock, setTier0CompileAfter } from '../src/jit/interp/compile-block.js';
import { evalBlock } from '../src/jit/interp/ir-eval.js';
import { wasmEvaluator } from '../src/jit/interp/eval-wasm.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';
import type { FpuOps } from '../src/jit/fpu-api.js';
import type { BinOp, IntTy, IRBlock, Temp, UnOp } from '../src/jit/ir.js';
import { Fpu } from '../src/jit/fpu.js';
import { defineHelper } from '../src/jit/helpers.js';

const BINS: BinOp[] = ['add', 'sub', 'mul', 'mulhs', 'mulhu', 'mulhsu', 'divs', 'divu', 'rems', 'remu', 'and', 'or', 'xor',
  'shl', 'shrl', 'shra', 'rotl', 'rotr', 'eq', 'ne', 'lts', 'ltu', 'les', 'leu'];
const UNS: UnOp[] = ['clz', 'ctz', 'popcnt', 'bswap'];
const NSLOTS = 8;
const DATA = 0x20000;

/** xorshift: reproducible blocks. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s >>> 0);
  return { int: (n: number) => next() % n, big: () => (BigInt(next()) << 32n) | BigInt(next()) };
}

/** Interesting 64-bit values: edges and random ones. */
function value(r: ReturnType<typeof rng>): bigint {
  const edges = [0n, 1n, 2n, 31n, 32n, 63n, 64n, (1n << 63n), (1n << 63n) - 1n, (1n << 64n) - 1n, (1n << 32n) - 1n, 1n << 31n, 0xffffffff80000000n];
  return r.int(3) === 0 ? r.big() : edges[r.int(edges.length)];
}

function randomBlock(seed: number): IRBlock {
  const r = rng(seed);
  const b = new IRBuilder(0x1000);
  const temps: Record<IntTy, Temp[]> = { i32: [], i64: [] };
  const pick = (ty: IntTy) => temps[ty][r.int(temps[ty].length)];
  const add = (t: Temp) => temps[b.typeOf(t)].push(t);
  const n = 4 + r.int(12);
  for (let i = 0; i < n; i++) {
    b.mark(0x1000 + 4 * i, 4);
    add(b.get('i64', r.int(NSLOTS)));
    add(b.get('i32', r.int(NSLOTS)));
    add(b.const('i64', value(r)));
    add(b.const('i32', value(r)));
    const ty: IntTy = r.int(2) ? 'i64' : 'i32';
    switch (r.int(9)) {
      case 0: case 1: case 2: add(b.bin(BINS[r.int(BINS.length)], pick(ty), pick(ty))); break;
      case 3: add(b.un(UNS[r.int(UNS.length)], pick(ty))); break;
      case 4: add(r.int(2) ? b.wrap(pick('i64')) : b.extend(pick('i32'), r.int(2) === 0)); break;
      case 5: add(b.sext(pick(ty), ([8, 16, 32] as const)[r.int(3)])); break;
      case 6: add(b.select(pick('i32'), pick(ty), pick(ty))); break;
      case 7: {
        // An address in the data page, or (rarely) one that faults.
        const off = b.const('i64', r.int(8) === 0 ? 0x40000n : BigInt(DATA + r.int(0xff8)));
        const size = ([1, 2, 4, 8] as const)[r.int(4)];
        const endian = r.int(4) === 0 ? 'be' : 'le';
        if (r.int(2)) add(b.load(ty, size, r.int(2) === 0, off, endian));
        else b.store(size, off, pick(size === 8 && r.int(4) !== 0 ? 'i64' : ty), endian);
        break;
      }
      case 8: b.set(r.int(NSLOTS), pick(ty)); break;
    }
  }
  // Every value computed shows in slot 0 (a sum of all temps, rotated so none cancel out).
  b.mark(0x1000 + 4 * n, 4);
  let acc = b.const('i64', 0n);
  for (const t of [...temps.i64, ...temps.i32]) {
    const v = b.typeOf(t) === 'i64' ? t : b.extend(t, false);
    acc = b.bin('add', b.bin('rotl', acc, b.const('i64', 7n)), v);
  }
  b.set(0, acc);
  const end = r.int(3);
  if (end === 0) b.end({ op: 'jump', target: pick('i64') });
  else if (end === 1) b.end({ op: 'branch', cond: pick('i32'), taken: 0x2000, fall: 0x3000 });
  return b.finish();
}

type Outcome = { next?: number; fault?: [number, number]; S: string[]; mem: string };

// One guest memory for all runs (making one costs a 4 GiB reservation); each run refills it.
const mem = new AddressSpace();
mem.map(DATA, 0x1000, Perm.R | Perm.W);
const rt = new Tier0Runtime(mem, NSLOTS, {} as FpuOps);

/** 'eval': the wasm evaluator, JS for the ops it leaves; 'eval-js': the JS handlers only. */
type How = 'eval' | 'eval-js' | 'compiled';

function runOnce(ir: IRBlock, seed: number, how: How): Outcome {
  const r = rng(seed ^ 0x5a5a5a5a);
  for (let i = 0; i < NSLOTS; i++) rt.S[i] = value(r);
  for (let a = DATA; a < DATA + 0x1000; a += 8) mem.view.setBigUint64(a, r.big(), true);
  const out: Outcome = { S: [], mem: '' };
  try {
    if (how !== 'compiled') {
      rt.evaluator = how === 'eval' ? wasmEvaluator(mem.memory) : null;
      expect(rt.evaluator === null).toBe(how === 'eval-js');
      out.next = evalBlock(ir, rt);
    } else {
      const old = setTier0CompileAfter(0);
      try {
        out.next = compileBlock(ir, rt).run();
      } finally {
        setTier0CompileAfter(old);
      }
    }
  } catch (e) {
    if (!(e instanceof GuestSignal)) throw e;
    out.fault = [e.signal, rt.faultPc];
  }
  out.S = [...rt.S].map((v) => v.toString(16));
  out.mem = Buffer.from(mem.bytes.subarray(DATA, DATA + 0x1000)).toString('hex');
  return out;
}

describe('tier 0: evaluated and compiled blocks agree', () => {
  it('on 1500 random blocks of integer and memory ops', () => {
    let faults = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const ir = randomBlock(seed);
      const a = runOnce(ir, seed, 'eval');
      const b = runOnce(ir, seed, 'compiled');
      expect(a, `seed ${seed}`).toEqual(b);
      expect(runOnce(ir, seed, 'eval-js'), `seed ${seed}`).toEqual(b);
      if (a.fault) faults++;
    }
    expect(faults).toBeGreaterThan(0); // the fault path was exercised too
  });

  it('compileBlock evaluates a block first, then compiles it, with the same results', () => {
    const old = setTier0CompileAfter(2);
    try {
      const b = new IRBuilder(0x1000);
      b.mark(0x1000, 4);
      b.set(0, b.bin('add', b.get('i64', 0), b.const('i64', 3n)));
      b.end({ op: 'goto', pc: 0x1004 });
      rt.S[0] = 0n;
      const blk = compileBlock(b.finish(), rt);
      const first = blk.run;
      for (let i = 0; i < 5; i++) expect(blk.run()).toBe(0x1004);
      expect(rt.S[0]).toBe(15n);
      expect(blk.run).not.toBe(first); // swapped for the compiled function
    } finally {
      setTier0CompileAfter(old);
    }
  });
});

/** Runs a block every way from the same state; its results are in slots and the data page. */
function bothWays(ir: IRBlock, seed: number): void {
  const a = runOnce(ir, seed, 'eval');
  const b = runOnce(ir, seed, 'compiled');
  expect(a).toEqual(b);
  expect(runOnce(ir, seed, 'eval-js')).toEqual(b);
}

const EDGES32 = [0n, 1n, 2n, 5n, 31n, 32n, 33n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0xfffffffen, 0x12345678n, 0x9abcdef0n];
const EDGES64 = [...EDGES32, 63n, 64n, 65n, 0x100000000n, 0x1ffffffffn, 1n << 63n, (1n << 63n) - 1n, (1n << 64n) - 1n,
  (1n << 64n) - 7n, 0xffffffff80000000n, 0xfedcba9876543210n, 0x0123456789abcdefn, 0x00000001fffffffen];

describe('tier 0: evaluated and compiled agree on edge values', () => {
  for (const ty of ['i32', 'i64'] as const) {
    const vals = ty === 'i32' ? EDGES32 : EDGES64;
    it(`for every binary op on ${ty} pairs`, () => {
      for (const fn of BINS) {
        // Every result goes to memory: one 8-byte store per pair.
        const b = new IRBuilder(0x1000);
        b.mark(0x1000, 4);
        let k = 0;
        for (const x of vals) {
          for (const y of vals) {
            const r = b.bin(fn, b.const(ty, x), b.const(ty, y));
            b.store(8, b.const('i64', BigInt(DATA + 8 * (k++ % 512))), b.typeOf(r) === 'i64' ? r : b.extend(r, true));
          }
        }
        b.end({ op: 'goto', pc: 0x1004 });
        bothWays(b.finish(), 7);
      }
    });
    it(`for unary ops, sign extensions, extend and wrap on ${ty}`, () => {
      const b = new IRBuilder(0x1000);
      b.mark(0x1000, 4);
      let k = 0;
      const out = (r: Temp) => b.store(8, b.const('i64', BigInt(DATA + 8 * (k++ % 512))), b.typeOf(r) === 'i64' ? r : b.extend(r, false));
      for (const x of vals) {
        const c = b.const(ty, x);
        for (const fn of UNS) out(b.un(fn, c));
        for (const bits of [8, 16, 32] as const) out(b.sext(c, bits));
        if (ty === 'i64') out(b.wrap(c));
        else {
          out(b.extend(c, true));
          out(b.extend(c, false));
        }
      }
      b.end({ op: 'goto', pc: 0x1004 });
      bothWays(b.finish(), 8);
    });
  }

  it('for loads and stores of every size, sign, byte order and alignment', () => {
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    let slot = 0;
    for (const endian of ['le', 'be'] as const) {
      for (const size of [1, 2, 4, 8] as const) {
        for (const ty of ['i32', 'i64'] as const) {
          for (const signed of [false, true]) {
            for (const misalign of [0, 1, 2, 4]) {
              const v = b.load(ty, size, signed, b.const('i64', BigInt(DATA + 0x100 + 8 * slot + misalign)), endian);
              b.set(slot++ % NSLOTS, v);
              b.store(size, b.const('i64', BigInt(DATA + 0x800 + 8 * slot + misalign)), v, endian);
            }
          }
        }
      }
    }
    b.end({ op: 'goto', pc: 0x1004 });
    const ir = b.finish();
    expect(runOnce(ir, 9, 'eval').fault).toBeUndefined();
    bothWays(ir, 9);
  });
});

describe('tier 0: evaluated and compiled agree at page ends', () => {
  // Two mapped pages, then a page of its own with nothing mapped after it.
  const TWO = 0x50000, ONE = 0x60000;
  mem.map(TWO, 0x2000, Perm.R | Perm.W);
  mem.map(ONE, 0x1000, Perm.R | Perm.W);
  for (const size of [1, 2, 4, 8] as const) {
    it(`for ${size}-byte accesses within a page, across into a mapped one, and across into none`, () => {
      for (let off = 0xff0; off < 0x1000; off++) {
        const b = new IRBuilder(0x1000);
        b.mark(0x1000, 4);
        const at = b.const('i64', BigInt(TWO + off));
        const v = b.load('i64', size, false, at, 'le');
        b.store(size, at, b.bin('xor', v, b.const('i64', 0x5a5a5a5a5a5a5a5an)), 'le');
        b.set(0, b.load('i64', size, true, at, 'le'));
        b.mark(0x1004, 4);
        const one = b.const('i64', BigInt(ONE + off));
        b.store(size, one, v, 'le');
        b.set(1, b.load('i64', size, false, one, 'le'));
        b.end({ op: 'goto', pc: 0x1008 });
        const ir = b.finish();
        const run = (how: How) => {
          mem.bytes.fill(0x33, TWO, TWO + 0x2000);
          mem.bytes.fill(0x44, ONE, ONE + 0x1000);
          return runOnce(ir, off, how);
        };
        const outcome = run('eval');
        expect(outcome.fault?.[1]).toBe(off + size > 0x1000 ? 0x1004 : undefined);
        expect(outcome, `offset ${off}`).toEqual(run('compiled'));
        expect(outcome, `offset ${off}`).toEqual(run('eval-js'));
      }
    });
  }
});

describe('tier 0: evaluator faults, counters, helpers and FP', () => {
  it('reports the instruction of a fault after empty instructions and before any mark', () => {
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    b.set(0, b.const('i64', 1n));
    b.mark(0x1004, 4); // no ops of its own
    b.mark(0x1008, 4);
    b.load('i64', 8, false, b.const('i64', 0x40000n));
    b.mark(0x100c, 4);
    b.end({ op: 'goto', pc: 0x1010 });
    const ir = b.finish();
    const a = runOnce(ir, 1, 'eval');
    expect(a.fault?.[1]).toBe(0x1008);
    expect(a).toEqual(runOnce(ir, 1, 'compiled'));
    // a fault before the first mark is charged to the first instruction
    const c = new IRBuilder(0x2000);
    c.load('i32', 4, false, c.const('i64', 0x40000n));
    c.mark(0x2000, 4);
    const ir2 = c.finish();
    expect(runOnce(ir2, 1, 'eval').fault?.[1]).toBe(0x2000);
  });

  it('passes counters the instruction index and helpers their 64-bit arguments', () => {
    const id = defineHelper('test-eval-mix', 2, (x, y) => [x ^ (y << 1n) ^ 0xfffffffffn, BigInt.asUintN(64, x * 3n)] as const);
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    b.mark(0x1004, 4);
    b.set(1, b.counter('instret'));
    b.mark(0x1008, 4);
    const [r0, r1] = b.helper(id, [b.get('i64', 2), b.const('i64', 0x8000000180000000n)]);
    b.set(2, r0);
    b.set(3, r1);
    b.end({ op: 'goto', pc: 0x100c });
    rt.instret = 1000;
    bothWays(b.finish(), 3);
    rt.instret = 0;
  });

  it('runs FP ops on 32- and 64-bit patterns like the compiled code', () => {
    const fpu = new Fpu({ defaultNaN32: 0x7fc00000, defaultNaN64: 0x7ff8000000000000n, propagateNaN: false, tininessBeforeRounding: false, nanToInt: 'max' });
    const frt = new Tier0Runtime(mem, NSLOTS, fpu);
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    const d1 = b.const('i64', 0x400921fb54442d18n); // pi
    const d2 = b.const('i64', 0xc005bf0a8b145769n); // -e
    const s1 = b.const('i32', 0x3fc00000n); // 1.5f
    const rne = { static: 0 };
    const [sum, fl] = b.fbin('add', 'f64', d1, d2, rne);
    b.set(0, sum);
    b.set(1, b.extend(fl!, false));
    b.set(2, b.extend(b.fbin('mul', 'f32', s1, s1, rne)[0], false));
    b.set(3, b.f2i('f64', 'i64', true, d2, { static: 1 })[0]);
    b.set(4, b.i2f('f64', true, b.const('i64', -3n), rne)[0]);
    b.set(5, b.extend(b.fcmp('lt', 'f64', d2, d1, false)[0], false));
    b.set(6, b.f2f('f32', 'f64', s1, rne)[0]);
    b.set(7, b.ffma('f64', d1, d1, d2, rne)[0]);
    b.end({ op: 'goto', pc: 0x1004 });
    const ir = b.finish();
    const results: string[][] = [];
    for (const how of ['eval', 'compiled'] as const) {
      for (let i = 0; i < NSLOTS; i++) frt.S[i] = 0n;
      if (how === 'eval') evalBlock(ir, frt);
      else {
        const old = setTier0CompileAfter(0);
        try {
          compileBlock(ir, frt).run();
        } finally {
          setTier0CompileAfter(old);
        }
      }
      results.push([...frt.S].map((v) => v.toString(16)));
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0][3]).toBe(BigInt.asUintN(64, -2n).toString(16)); // trunc(-e)
  });
});
