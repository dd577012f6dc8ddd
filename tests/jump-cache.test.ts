// The jump cache's set function: JS (layout.ts jcSet, used to insert) and wasm (emitJcSet, used
// to look up) agree, and code of every instruction alignment spreads over all the sets.
import { describe, expect, it } from 'vitest';
import { Code, ExternKind, ModuleBuilder, VT } from '../src/jit/wasm/encoder.js';
import { emitJcSet } from '../src/jit/wasm/jump-cache.js';
import { JC_SETS, jcSet } from '../src/jit/wasm/layout.js';
import { Rng } from './rng.js';

function wasmJcSet(): (pc: number) => number {
  const mb = new ModuleBuilder();
  const f = mb.declare([VT.i32], [VT.i32]);
  const c = new Code(1);
  emitJcSet(c, 0);
  mb.define(f, c);
  mb.export('set', ExternKind.func, f);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(mb.toBytes()));
  return inst.exports.set as (pc: number) => number;
}

describe('jump cache sets', () => {
  it('are the same in JS and in wasm', () => {
    const set = wasmJcSet();
    const rng = new Rng(7);
    for (let i = 0; i < 5000; i++) {
      const pc = rng.u32() & ~1;
      expect(set(pc | 0)).toBe(jcSet(pc));
    }
  });

  it('keep an aligned 32 KiB of 4-byte aligned code, or 16 KiB of 2-byte aligned code, in distinct sets', () => {
    for (const [base, step, span] of [[0x400000, 4, 0x8000], [0xefe78000, 4, 0x8000], [0x10000, 2, 0x4000]]) {
      const sets = new Set<number>();
      for (let pc = base; pc < base + span; pc += step) sets.add(jcSet(pc));
      expect(sets.size).toBe(span / step);
    }
    // (before the fold, 4-byte aligned code used only the even half of the sets)
    expect(new Set(Array.from({ length: JC_SETS }, (_, i) => jcSet(0x400000 + 4 * i) & 1)).size).toBe(2);
  });
});
