// The region tier's policy, driven block by block: regions asked for together share a module, a
// new region leaves out blocks another region holds unless that splits a loop between the two, an
// entry from JS puts its block back in the jump cache, and a region an earlier run formed (its code
// kept) forms again as soon as a block of it is hot, while its guest bytes are the same.
import { describe, expect, it } from 'vitest';
import { riscv64 } from '../src/arch/riscv64/index.js';
import type { CodeFetch } from '../src/arch/arch.js';
import { compileBlock, type CompiledBlock } from '../src/jit/interp/compile-block.js';
import { Fpu } from '../src/jit/fpu.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { Tier1 } from '../src/jit/wasm/tier.js';
import type { RegionBodies } from '../src/jit/wasm/region-replay.js';
import { JC_BASE, jcSet } from '../src/jit/wasm/layout.js';
import { Logger } from '../src/log.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';

const CODE = 0x10000;
const addi = (rd: number, rs1: number, imm: number) => (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const jal = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;
const bne = (rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const ECALL = 0x73;
const [T0, T1, T2] = [5, 6, 7];

// Three blocks of two instructions at A, B, C (each 0x100 apart).
const A = CODE, B = CODE + 0x100, C = CODE + 0x200;

/** Region code kept across the runs of a test, as the translation store keeps it across processes. */
class Kept implements RegionBodies {
  readonly list: { key: Int32Array; body: Uint8Array }[] = [];
  body(key: Int32Array): Uint8Array | undefined {
    return this.list.find((k) => k.key.length === key.length && k.key.every((w, i) => w === key[i]))?.body;
  }
  keep(key: Int32Array, body: Uint8Array): void {
    this.list.push({ key, body });
  }
  keys(): Int32Array[] {
    return this.list.map((k) => k.key);
  }
}

function setup(words: Record<number, number[]>, warm: number, kept: Kept | null = null) {
  const mem = new AddressSpace();
  mem.map(CODE, 0x1000, Perm.R | Perm.X);
  for (const [at, ws] of Object.entries(words)) ws.forEach((w, i) => mem.view.setUint32(Number(at) + 4 * i, w, true));
  const rt = new Tier0Runtime(mem, riscv64.nslots, new Fpu(riscv64.fpEnv));
  const fetch: CodeFetch = { u16: (a) => mem.view.getUint16(a, true), u32: (a) => mem.view.getUint32(a, true) };
  const marked: [number, number][] = [];
  const host = { arch: riscv64, mem, rt, fetch, logger: new Logger(), tier1: null, regionBodies: kept, markCode: (start: number, end: number) => void marked.push([start, end]) };
  const tier = new Tier1(host, { startInsns: 0, warm, eager: false, async: false });
  const blocks = new Map<number, CompiledBlock>();
  const block = (pc: number) => {
    let b = blocks.get(pc);
    if (b === undefined) blocks.set(pc, (b = compileBlock(riscv64.lift(fetch, pc), rt)));
    return b;
  };
  /** Report pc hot and run it until its region is asked for. */
  const heat = (pc: number) => {
    const b = block(pc);
    tier.onHot(b);
    for (let i = 0; i < warm; i++) b.run();
  };
  return { tier, heat, block, mem, marked };
}

/** A → C, C ends in a syscall. */
const A_TO_C = { [A]: [addi(T0, T0, 1), jal(0, C - A - 4)], [C]: [addi(T2, T2, 1), ECALL] };

/** A first run of A_TO_C that forms one region {A, C} from A (C hot first), its code kept. */
function firstRun() {
  const kept = new Kept();
  const first = setup(A_TO_C, 8, kept);
  first.tier.onHot(first.block(C));
  first.heat(A);
  first.tier.compileQueued();
  return { kept, first };
}

/** In another run: C is hot, and runs once (where a kept region is asked for at once). */
function hotOnce(run: ReturnType<typeof setup>) {
  run.tier.onHot(run.block(C));
  run.block(C).run();
  run.tier.compileQueued();
}

describe('region tier policy', () => {
  it('compiles regions asked for together into one module', () => {
    // three independent blocks
    const { tier, heat } = setup({ [A]: [addi(T0, T0, 1), ECALL], [B]: [addi(T1, T1, 1), ECALL], [C]: [addi(T2, T2, 1), ECALL] }, 8);
    heat(A);
    heat(B);
    heat(C);
    expect(tier.stats.regions).toBe(0); // waiting
    tier.compileQueued();
    expect(tier.stats).toMatchObject({ regions: 3, modules: 1 });
    expect([A, B, C].map((pc) => tier.locate(pc) !== undefined)).toEqual([true, true, true]);
  });

  it('leaves out a block another region holds', () => {
    // A → C and B → C; C ends in a syscall
    const { tier, heat } = setup({ [A]: [addi(T0, T0, 1), jal(0, C - A - 4)], [B]: [addi(T1, T1, 1), jal(0, C - B - 4)], [C]: [addi(T2, T2, 1), ECALL] }, 8);
    for (const pc of [C, A, B]) {
      heat(pc);
      tier.compileQueued();
    }
    const [a, b, c] = [A, B, C].map((pc) => tier.locate(pc)?.table);
    expect(new Set([a, b, c]).size).toBe(3); // A and B leave for C's region
    expect(tier.stats).toMatchObject({ regions: 3, insns: 6 }); // C compiled once
  });

  it('takes such a block in again when the two regions would split a loop', () => {
    // a loop A → C → A (C: t2 += 1; bne t2, zero, A), C compiled on its own first
    const { tier, heat } = setup({ [A]: [addi(T0, T0, 1), jal(0, C - A - 4)], [C]: [addi(T2, T2, 1), bne(T2, 0, A - C - 4)] }, 8);
    heat(C);
    tier.compileQueued();
    const first = tier.locate(C)?.table;
    heat(A);
    tier.compileQueued();
    expect(tier.locate(A)?.table).not.toBe(first);
    expect(tier.locate(C)?.table).toBe(tier.locate(A)?.table); // the loop is one region now
  });

  it('puts a block entered from JS back in the jump cache', () => {
    const { tier, heat, block, mem } = setup({ [A]: [addi(T0, T0, 1), ECALL] }, 8);
    heat(A);
    tier.compileQueued();
    const i32 = new Int32Array(mem.memory.buffer);
    const set = (JC_BASE >>> 2) + jcSet(A) * 4;
    const pcs = () => [i32[set], i32[set + 2]];
    expect(pcs()).toContain(A);
    // two later blocks of the same set push A out, as a later region's blocks would
    i32.set([0x7000_0000, 1, 0x7100_0000, 2], set);
    expect(pcs()).not.toContain(A);
    expect(block(A).run()).toBe(A + 8); // through the region: its syscall exit
    expect(pcs()[0]).toBe(A);
  });

  it("forms an earlier run's region at once when a block of it is hot, not after warming up", () => {
    const { kept, first } = firstRun();
    expect(first.tier.stats).toMatchObject({ regions: 1, blocks: 2, keptBodies: 0, replayed: 0 });
    expect(kept.list.length).toBe(1);
    // The next run: C is hot first, and its first run asks for the whole region, with the code kept.
    const again = setup(A_TO_C, 8, kept);
    hotOnce(again);
    expect(again.tier.stats).toMatchObject({ regions: 1, blocks: 2, keptBodies: 1, replayed: 1 });
    expect(again.tier.locate(A)?.table).toBe(again.tier.locate(C)?.table);
    expect(again.marked).toEqual([[A, A + 8], [C, C + 8]]); // a change to that code flushes it
    expect(again.block(C).run()).toBe(C + 8); // through the region: its syscall exit
    expect(kept.list.length).toBe(1);
    // Dropped with every translation (code changed elsewhere): taken again once C is hot again.
    again.tier.onFlush();
    expect(again.tier.locate(C)).toBeUndefined();
    hotOnce(again);
    expect(again.tier.stats).toMatchObject({ replayed: 2 });
    expect(again.tier.locate(A)?.table).toBe(again.tier.locate(C)?.table);
  });

  it("compiles an earlier run's region after the batch wait, counted in the runs of the block that asked", () => {
    const { kept } = firstRun();
    // C asks for the region {A, C} rooted at A; C's own tier-0 runs keep the batch clock going
    const again = setup(A_TO_C, 8, kept);
    again.tier.onHot(again.block(C));
    for (let i = 0; i < 1000 && again.tier.stats.regions === 0; i++) again.block(C).run();
    expect(again.tier.stats).toMatchObject({ regions: 1, replayed: 1 });
  });

  it("does not replay a region whose guest bytes changed since", () => {
    const { kept } = firstRun();
    const changed = setup({ ...A_TO_C, [C]: [addi(T2, T2, 2), ECALL] }, 8, kept);
    hotOnce(changed);
    expect(changed.tier.stats).toMatchObject({ regions: 0, replayed: 0 });
    expect(changed.marked).toEqual([]);
    // it warms up as a new one, from C alone (A is not hot)
    for (let i = 1; i < 8; i++) changed.block(C).run();
    changed.tier.compileQueued();
    expect(changed.tier.stats).toMatchObject({ regions: 1, blocks: 1, keptBodies: 0, replayed: 0 });
  });
});
