// Grouped memory checks (src/jit/wasm/mem-groups.ts): accesses at constant offsets from one base
// share one inline test. Random groups near page edges (into a read-only page, an unmapped page,
// beyond 4 GiB), with the base read back after a register write (stp's writeback), must end as
// tier 0 ends them: the same faulting instruction, registers and memory.
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import type { IRBlock, MemSize } from '../src/jit/ir.js';
import { memGroups } from '../src/jit/wasm/mem-groups.js';
import { RISCV } from './fpu/harness.js';
import { Rng } from './rng.js';
import { runBoth, DATA, RO, WINDOWS } from './wasm-harness.js';

const NSLOTS = 24;
const BASE = 16; // the slot holding the base address
/** Bases: inside the data, near the end of its first page and of its second (next: read-only),
 *  near the end of the read-only page (next: unmapped), unmapped, and beyond 4 GiB. */
const BASES = [DATA + 0x100, DATA + 0xfe0, DATA + 0x1fe0, RO + 0xff0, 0x23010, 2 ** 32 + 0x20100];

/** One block of `n` instructions, each a group-like access sequence from the base register:
 *  a pair (ldp/stp), optionally writing the base back first (pre-index) so that later
 *  instructions read it back. */
function groupBlock(r: Rng, pc: number, n: number): IRBlock {
  const b = new IRBuilder(pc);
  for (let i = 0; i < n; i++) {
    b.mark(pc + 4 * i, 4);
    const size = r.pick([1, 2, 4, 8] as const) as MemSize;
    const base = b.get('i64', BASE);
    let addr = b.bin('add', base, b.const('i64', BigInt.asUintN(64, BigInt(r.range(-24, 40)))));
    if (r.chance(0.3)) b.set(BASE, addr); // writeback before the accesses
    else if (r.chance(0.3)) addr = b.bin('sub', base, b.const('i64', BigInt(r.range(0, 16))));
    const second = b.bin('add', addr, b.const('i64', BigInt(size)));
    if (r.chance(0.5)) {
      b.store(size, addr, b.get('i64', 1 + r.below(8)));
      b.store(size, second, b.get('i64', 1 + r.below(8)));
    } else {
      b.set(1 + r.below(8), b.load('i64', size, r.chance(0.5), addr));
      b.set(9 + r.below(6), b.load('i64', size, false, second));
    }
  }
  b.end({ op: 'goto', pc: pc + 4 * n });
  return b.finish();
}

describe('grouped memory checks', () => {
  it('groups accesses at constant offsets from one base, also through a register written back', () => {
    const b = new IRBuilder(0x1000);
    b.mark(0x1000, 4);
    const sp = b.get('i64', BASE);
    const pre = b.bin('add', sp, b.const('i64', -48n));
    b.set(BASE, pre);
    b.store(8, pre, b.get('i64', 1));
    b.store(8, b.bin('add', pre, b.const('i64', 8n)), b.get('i64', 2));
    b.mark(0x1004, 4);
    const sp2 = b.get('i64', BASE);
    b.store(8, b.bin('add', sp2, b.const('i64', 32n)), b.get('i64', 3));
    b.set(4, b.load('i64', 8, false, b.bin('add', sp2, b.const('i64', 16n)))); // a load: its own kind
    b.end({ op: 'goto', pc: 0x1008 });
    const ir = b.finish();
    const groups = memGroups(ir);
    const stores = ir.ops.filter((o) => o.op === 'store');
    expect(stores.map((s) => groups.get(s))).toEqual([groups.get(stores[0]), groups.get(stores[0]), groups.get(stores[0])]);
    const g = groups.get(stores[0])!;
    expect({ lo: g.lo, span: g.span, members: g.members.length }).toEqual({ lo: -48, span: 40, members: 3 });
    expect(groups.get(ir.ops.find((o) => o.op === 'load')!)).toBeUndefined();
  });

  it('groups accesses through separate reads of a register the block has not set (RISC-V prologues)', () => {
    const b = new IRBuilder(0x1000);
    for (const off of [8n, 0n, 16n]) {
      b.mark(0x1000 + Number(off), 4);
      b.store(8, b.bin('add', b.get('i64', BASE), b.const('i64', off)), b.get('i64', 1));
    }
    b.mark(0x1018, 4);
    b.set(BASE, b.get('i64', 2)); // after a write, a read is another base
    b.store(8, b.get('i64', BASE), b.get('i64', 1));
    b.end({ op: 'goto', pc: 0x101c });
    const ir = b.finish();
    const groups = memGroups(ir);
    const stores = ir.ops.filter((o) => o.op === 'store');
    const g = groups.get(stores[0])!;
    expect({ lo: g.lo, span: g.span, members: g.members }).toEqual({ lo: 0, span: 24, members: stores.slice(0, 3) });
    expect(groups.get(stores[3])).toBeUndefined();
  });

  it('faults where tier 0 faults, with the same state, on random groups near page edges', () => {
    const hows = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const r = new Rng(90_000 + seed);
      const blocks = [groupBlock(r, 0x1000, 1 + r.below(5))];
      const base = r.pick(BASES) + r.range(-16, 16);
      const { t0, t1 } = runBoth(blocks, 0x1000, {
        windows: WINDOWS,
        nslots: NSLOTS,
        env: RISCV,
        fill: (mem, S) => {
          for (let i = 0; i < 0x2000; i++) mem.bytes[DATA + i] = (i * 7 + seed) & 0xff;
          for (let i = 0; i < 0x1000; i++) mem.bytes[RO + i] = (i * 13 + seed) & 0xff;
          for (let i = 1; i < 16; i++) S[i] = BigInt.asUintN(64, BigInt(seed * 1_000_003 + i) * 0x9e3779b97f4a7c15n);
          S[BASE] = BigInt(base);
        },
      });
      expect(t1, `seed ${seed}`).toEqual(t0);
      hows.add(t0.how);
    }
    // both outcomes occur: runs that leave the block and runs that fault inside it
    expect([...hows].sort()).toEqual(['fault', 'left']);
  });
});
