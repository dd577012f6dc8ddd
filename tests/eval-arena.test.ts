// Tier 0's block arena (src/jit/interp/eval-arena.ts): a translation store's block records run in place
// by the wasm evaluator, one block after another. A record runs only where memory holds its bytes
// on executable pages; faults are precise; hot blocks, the slice's budget and unknown pcs go back
// to the engine.
import { describe, expect, it } from 'vitest';
import { useScratchStores } from './scratch-stores.js';
import type { CodeFetch } from '../src/arch/arch.js';
import { riscv64 } from '../src/arch/riscv64/index.js';
import type { ElfFile } from '../src/elf/parse.js';
import { closeTranslationStores, storeFor } from '../src/engine/translation-store.js';
import { ArenaStop, EvalArena } from '../src/jit/interp/eval-arena.js';
import type { FpuOps } from '../src/jit/fpu-api.js';
import { compileBlock } from '../src/jit/interp/compile-block.js';
import { Exit, Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { GuestSignal, Sig } from '../src/signals.js';

useScratchStores('crossrun-arena-');

const PC = 0x10000;
const A0 = 10;
const A1 = 11;
// addi a0,a0,1; addi a0,a0,2; jal x0,+8
const STRAIGHT = [0x00150513, 0x00250513, 0x0080006f];
// addi a0,a0,1; jal x0,-4 (a block that jumps to itself)
const LOOP = [0x00150513, 0xffdff06f];
// rdcycle a1 (an op for JS); ecall
const SYSCALL = [0xc00025f3, 0x00000073];
// addi a0,a0,1; ld a1,0(zero) (faults)
const FAULT = [0x00150513, 0x00003583];

/** A memory with `code` at each of `at` (pages from PC to 0x50000 mapped). */
function space(code: readonly number[], at: readonly number[] = [PC]): AddressSpace {
  const mem = new AddressSpace();
  mem.map(PC, 0x40000, Perm.R | Perm.W | Perm.X);
  for (const pc of at) code.forEach((w, i) => mem.view.setUint32(pc + 4 * i, w, true));
  return mem;
}

let tag = 0;
/** The blocks of `code` at each of `at` as a store keeps them: lifted, run once (their evaluator
 *  forms), saved. */
function records(code: readonly number[], at: readonly number[] = [PC]) {
  const exe = { bytes: new Uint8Array(8192).fill(++tag, 0, 4) } as unknown as ElfFile;
  const mem = space(code, at);
  const fetch: CodeFetch = { u16: (a) => mem.view.getUint16(a, true), u32: (a) => mem.view.getUint32(a, true) };
  for (let i = 0; i < 2; i++) {
    // (the first run of a program only notes it)
    for (const pc of at) {
      const ir = riscv64.lift(fetch, pc);
      try {
        compileBlock(ir, new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps)).run();
      } catch {
        // (FAULT's block faults: its form is made before it runs)
      }
      storeFor(riscv64, exe)?.add(ir, mem.bytes.slice(pc, pc + ir.size));
    }
    closeTranslationStores();
  }
  const store = storeFor(riscv64, exe)!;
  const blocks = store.arenaBlocks()!;
  expect(blocks.pcs).toEqual(new Uint32Array(at));
  return { store, blocks };
}

/** An arena on a fresh memory holding `code` at PC (`mem`: another one). */
function arenaFor(code: readonly number[], hot = 64, mem = space(code)) {
  const { store, blocks } = records(code);
  const rt = new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps);
  const arena = EvalArena.create(rt, hot, () => {})!;
  const used: number[] = [];
  const added = arena.add(blocks, (i) => store.slowPartAt(i), (i) => used.push(i))!;
  expect(arena.n).toBe(1);
  return { arena, rt, mem, segment: added.segment, used };
}

describe('tier 0 block arena', () => {
  it('runs a stored block in place and stops at a pc it has no record of', () => {
    const { arena, rt, segment } = arenaFor(STRAIGHT);
    rt.S[A0] = 5n;
    expect(arena.run(PC, 1000, 0)).toBe(PC + 16);
    expect(arena.stop).toBe(ArenaStop.NONE);
    expect(rt.S[A0]).toBe(8n);
    expect(rt.instret).toBe(3);
    expect(segment.taken).toBe(1);
    expect(arena.heat(PC)).toBe(1);
  });

  it('tells the store which records it ran (a store at its bounds keeps those), until detached', () => {
    const { arena, segment, used } = arenaFor(STRAIGHT);
    segment.noteUsed();
    expect(used).toEqual([]);
    arena.run(PC, 1000, 0);
    segment.noteUsed();
    expect(used).toEqual([0]);
    arena.detach();
    expect(used).toEqual([0, 0]);
    segment.noteUsed(); // the memory is not the arena's any more
    expect(used).toEqual([0, 0]);
  });

  it('a jump to 0 stops there (a free cache entry, key 0, is no hit)', () => {
    const { arena, rt } = arenaFor([0x00000067]); // jalr zero,0(zero)
    expect(arena.run(PC, 1000, 0)).toBe(0);
    expect(rt.instret).toBe(1);
  });

  it('goes from block to block until the budget is used up', () => {
    const { arena, rt } = arenaFor(LOOP);
    expect(arena.run(PC, 10, 0)).toBe(PC);
    expect(rt.instret).toBe(10);
    expect(rt.S[A0]).toBe(5n);
    expect(arena.stop).toBe(ArenaStop.NONE);
  });

  it('never runs a record whose bytes are not in memory, or not executable; the engine runs those', () => {
    const other = space(STRAIGHT);
    other.view.setUint32(PC + 4, 0x00350513, true); // addi a0,a0,3
    const changed = arenaFor(STRAIGHT, 64, other);
    expect(changed.arena.run(PC, 1000, 0)).toBe(PC);
    expect(changed.rt.instret).toBe(0);
    expect(changed.rt.S[A0]).toBe(0n);
    expect(changed.segment.taken).toBe(0);
    const noExec = space(STRAIGHT);
    noExec.protect(PC, 0x1000, Perm.R);
    const prot = arenaFor(STRAIGHT, 64, noExec);
    expect(prot.arena.run(PC, 1000, 0)).toBe(PC);
    expect(prot.rt.instret).toBe(0);
  });

  it('checks the bytes again after a reset (code changed and flushed), and leaves blocks the engine owns', () => {
    const { arena, rt, mem } = arenaFor(STRAIGHT);
    expect(arena.run(PC, 1000, 0)).toBe(PC + 16);
    mem.view.setUint32(PC + 4, 0x00350513, true);
    arena.reset();
    expect(arena.run(PC, 1000, 0)).toBe(PC);
    expect(rt.instret).toBe(3);
    mem.view.setUint32(PC + 4, STRAIGHT[1], true);
    arena.reset();
    arena.own(PC);
    expect(arena.run(PC, 1000, 0)).toBe(PC);
    expect(rt.instret).toBe(3);
    arena.reset();
    expect(arena.run(PC, 1000, 0)).toBe(PC + 16);
    expect(rt.instret).toBe(6);
  });

  it('hands a hot block to the engine, but only from hotFrom on (once, at the gate, with every hot pc)', () => {
    const { arena, rt } = arenaFor(LOOP, 4);
    expect(arena.run(PC, 1000, 0)).toBe(PC);
    expect(arena.stop).toBe(ArenaStop.HOT);
    expect(rt.instret).toBe(6); // three runs, the fourth is the engine's
    expect(arena.heat(PC)).toBe(3);
    const gated = arenaFor(LOOP, 4);
    expect(gated.arena.run(PC, 1000, 100)).toBe(PC);
    expect(gated.arena.stop).toBe(ArenaStop.GATE);
    expect(gated.rt.instret).toBe(100);
    expect(gated.arena.hotPcs()).toEqual([PC]);
    expect(gated.arena.run(PC, 1000, 100)).toBe(PC);
    expect(gated.arena.stop).toBe(ArenaStop.HOT);
    expect(gated.rt.instret).toBe(100);
  });

  it("runs the ops wasm leaves in JS on the record, and ends at a syscall with the runtime's exit", () => {
    const { arena, rt } = arenaFor(SYSCALL);
    rt.instret = 1000;
    expect(arena.run(PC, 2000, 0)).toBe(PC + 8);
    expect(rt.exit).toBe(Exit.Syscall);
    expect(rt.S[A1]).toBeGreaterThan(0n);
    expect(rt.instret).toBe(1002);
  });

  it("holds several stores' records in one pc order: inserted whole, or merged where they interleave", () => {
    const at = [0x10000, 0x20000, 0x30000, 0x40000];
    const mem = space(STRAIGHT, at);
    const rt = new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps);
    const arena = EvalArena.create(rt, 64, () => {})!;
    const segs = [[0x20000], [0x10000], [0x30000, 0x40000]].map((pcs) => {
      const { store, blocks } = records(STRAIGHT, pcs);
      return arena.add(blocks, (i) => store.slowPartAt(i), () => {})!.segment;
    });
    expect(arena.n).toBe(4);
    // (interleaving: 0x28000 and 0x50000 around 0x30000 and 0x40000)
    const more = space(STRAIGHT, [0x28000, 0x4f000]);
    const { store, blocks } = records(STRAIGHT, [0x28000, 0x4f000]);
    segs.push(arena.add(blocks, (i) => store.slowPartAt(i), () => {})!.segment);
    for (const pc of [0x28000, 0x4f000]) mem.bytes.set(more.bytes.subarray(pc, pc + 12), pc);
    expect(arena.n).toBe(6);
    for (const pc of [...at, 0x28000, 0x4f000]) {
      const before = rt.instret;
      expect(arena.run(pc, 1000, 0)).toBe(pc + 16);
      expect(rt.instret - before).toBe(3);
    }
    expect(segs.map((g) => g.taken)).toEqual([1, 1, 2, 2]);
    expect(arena.heat(0x28000)).toBe(1);
  });

  it('a fault in a block: thrown with the faulting instruction as faultPc', () => {
    const { arena, rt } = arenaFor(FAULT);
    let caught: unknown;
    try {
      arena.run(PC, 1000, 0);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GuestSignal);
    expect((caught as GuestSignal).signal).toBe(Sig.SEGV);
    expect(rt.faultPc).toBe(PC + 4);
    expect(rt.S[A0]).toBe(1n);
    expect(rt.instret).toBe(0);
  });
});
