// Lifted blocks shared across machines (src/engine/translation-cache.ts): a block is reused only
// while the guest bytes it was lifted from are unchanged and executable in the asking machine's
// memory; compiled tier-0 code is shared per IR block but binds each runtime's own state.
import { describe, expect, it } from 'vitest';
import type { CodeFetch } from '../src/arch/arch.js';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { TranslationCache, sharedTranslations } from '../src/engine/translation-cache.js';
import type { FpuOps } from '../src/jit/fpu-api.js';
import { compileBlock, setTier0CompileAfter, tier0Stats } from '../src/jit/interp/compile-block.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';

const PC = 0x10000;
// addi a0,a0,1; addi a0,a0,2; jal x0,+8 (ends the block)
const CODE = [0x00150513, 0x00250513, 0x0080006f];
const A0 = riscv64.slotNames.indexOf('a0') >= 0 ? riscv64.slotNames.indexOf('a0') : 10;

function space(): AddressSpace {
  const mem = new AddressSpace();
  mem.map(PC, 0x1000, Perm.R | Perm.W | Perm.X);
  CODE.forEach((w, i) => mem.view.setUint32(PC + 4 * i, w, true));
  return mem;
}

function fetchOf(mem: AddressSpace): CodeFetch {
  return {
    u16: (a) => (mem.check(a, 2, Perm.X), mem.view.getUint16(a, true)),
    u32: (a) => (mem.check(a, 4, Perm.X), mem.view.getUint32(a, true)),
  };
}

describe('shared translation cache', () => {
  it('hits for the same bytes in another space (fork), misses once they change or lose X', () => {
    const parent = space();
    const c = new TranslationCache();
    expect(c.get(PC, parent)).toBeUndefined();
    const ir = riscv64.lift(fetchOf(parent), PC);
    expect(ir.size).toBe(12);
    c.put(ir, parent.bytes.slice(PC, PC + ir.size));
    expect(c.get(PC, parent)).toBe(ir);

    const child = parent.forkCopy();
    expect(c.get(PC, child)).toBe(ir);
    // The child rewrites its second instruction (addi a0,a0,3): its own lift, the parent's stays.
    child.view.setUint32(PC + 4, 0x00350513, true);
    expect(c.get(PC, child)).toBeUndefined();
    const ir2 = riscv64.lift(fetchOf(child), PC);
    c.put(ir2, child.bytes.slice(PC, PC + ir2.size));
    expect(c.get(PC, child)).toBe(ir2);
    expect(c.get(PC, parent)).toBe(ir);
    // A byte past the block does not matter; a page that is no longer executable does.
    child.view.setUint32(PC + 12, 0xffffffff, true);
    expect(c.get(PC, child)).toBe(ir2);
    child.protect(PC, 0x1000, Perm.R);
    expect(c.get(PC, child)).toBeUndefined();
    expect(c.get(PC, new AddressSpace())).toBeUndefined();
    expect(c.stats.hits).toBe(5);
  });

  it('is one cache per run and ISA', () => {
    const run1 = {};
    const run2 = {};
    expect(sharedTranslations(run1, riscv64)).toBe(sharedTranslations(run1, riscv64));
    expect(sharedTranslations(run1, riscv64)).not.toBe(sharedTranslations(run2, riscv64));
    expect(sharedTranslations(run1, riscv64)).not.toBe(sharedTranslations(run1, {}));
  });

  it('counts runs over all runtimes, compiles once; each runtime binds the code to its own state', () => {
    const old = setTier0CompileAfter(2);
    try {
      const m1 = space();
      const m2 = m1.forkCopy();
      const m3 = m1.forkCopy();
      const ir = riscv64.lift(fetchOf(m1), PC);
      const rt1 = new Tier0Runtime(m1, riscv64.nslots, {} as FpuOps);
      const rt2 = new Tier0Runtime(m2, riscv64.nslots, {} as FpuOps);
      const rt3 = new Tier0Runtime(m3, riscv64.nslots, {} as FpuOps);
      const b1 = compileBlock(ir, rt1);
      const b2 = compileBlock(ir, rt2);
      const compiled0 = tier0Stats.compiled;
      expect(b1.run()).toBe(PC + 16); // evaluated (run 1 of the IR)
      expect(b2.run()).toBe(PC + 16); // evaluated (run 2)
      expect(tier0Stats.compiled).toBe(compiled0);
      expect(b2.run()).toBe(PC + 16); // run 3: compiled
      expect(tier0Stats.compiled).toBe(compiled0 + 1);
      expect(b1.run()).toBe(PC + 16); // bound to rt1, no second compile
      const b3 = compileBlock(ir, rt3);
      expect(b3.run()).toBe(PC + 16); // compiled at once
      expect(tier0Stats.compiled).toBe(compiled0 + 1);
      expect([rt1.S[A0], rt2.S[A0], rt3.S[A0]]).toEqual([6n, 6n, 3n]);
    } finally {
      setTier0CompileAfter(old);
    }
  });
});
