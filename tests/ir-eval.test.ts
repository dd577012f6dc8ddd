// Tier 0's two ways to run a block — walking the IR (ir-eval.ts, a block's first runs) and the JS
// function compileBlock makes later — must agree exactly: random blocks of integer and memory ops
// run both ways from the same state, compared on registers, memory, next pc and fault pc.
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import { compileBlock, setTier0CompileAfter } from '../src/jit/interp.js';
import { evalBlock } from '../src/jit/ir-eval.js';
import { Tier0Runtime } from '../src/jit/runtime.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';
import type { FpuOps } from '../src/jit/fpu-api.js';
import type { BinOp, IntTy, IRBlock, Temp, UnOp } from '../src/jit/ir.js';

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
        if (r.int(2)) add(b.load(ty, size, r.int(2) === 0, off));
        else b.store(size, off, pick(size === 8 ? 'i64' : ty));
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

function runOnce(ir: IRBlock, seed: number, how: 'eval' | 'compiled'): Outcome {
  const r = rng(seed ^ 0x5a5a5a5a);
  for (let i = 0; i < NSLOTS; i++) rt.S[i] = value(r);
  for (let a = DATA; a < DATA + 0x1000; a += 8) mem.view.setBigUint64(a, r.big(), true);
  const pcs = ir.ops.flatMap((o) => (o.op === 'mark' ? [o.pc] : []));
  const out: Outcome = { S: [], mem: '' };
  try {
    if (how === 'eval') out.next = evalBlock(ir, rt, pcs);
    else {
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
  it('on 400 random blocks of integer and memory ops', () => {
    let faults = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const ir = randomBlock(seed);
      const a = runOnce(ir, seed, 'eval');
      const b = runOnce(ir, seed, 'compiled');
      expect(a, `seed ${seed}`).toEqual(b);
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
