// The region compiler's register flow (src/jit/wasm/reg-flow.ts): which registers an entry loads
// and an exit stores. The wasm-* tests check that regions using it match tier 0; these check that
// the sets are the small ones, on hand-made control flow.
import { describe, expect, it } from 'vitest';
import { Bits, regFlow, setForest } from '../src/jit/wasm/reg-flow.js';
import type { IRBlock, Op, Terminator } from '../src/jit/ir.js';

/** A block from a list of steps: ['r', slot] reads a register, ['w', slot] writes one (from a
 *  constant), ['m'] is a load (an op that may leave the region). */
function block(pc: number, steps: ['r' | 'w', number][] | (['r' | 'w', number] | ['m'])[], end: Terminator): IRBlock {
  const ops: Op[] = [];
  let t = 0;
  for (const s of steps) {
    if (s[0] === 'r') ops.push({ op: 'get', out: t++, ty: 'i64', slot: s[1] });
    else if (s[0] === 'w') {
      ops.push({ op: 'const', out: t, ty: 'i64', value: 1n });
      ops.push({ op: 'set', slot: s[1], ty: 'i64', value: t++ });
    } else {
      ops.push({ op: 'const', out: t, ty: 'i64', value: 0x1000n });
      ops.push({ op: 'load', out: t + 1, ty: 'i64', size: 8, signed: false, endian: 'le', addr: t });
      t += 2;
    }
  }
  return { pc, ops, end, ntemps: t, types: new Array(t).fill('i64'), ninsns: 1, size: 4 };
}

const slotsOf = (flow: ReturnType<typeof regFlow>, b: Bits | undefined) => (b === undefined ? undefined : b.list().map((r) => flow.slots[r]));

/** Block k's exit sets, in op order (the terminator's last). */
const exitsOf = (flow: ReturnType<typeof regFlow>, k: number) => flow.exitSets[k].filter((x) => x !== undefined).map((x) => slotsOf(flow, x));

describe('register flow of a region', () => {
  it('a diamond: each exit stores what its paths may have written; the entry loads what they need', () => {
    // 0: writes 1, branches to 1 or 2; 1 writes 2; 2 writes 3; both go to 3, which reads 4 and leaves
    const blocks = [
      block(0, [['w', 1], ['r', 5]], { op: 'branch', cond: 0, taken: 4, fall: 8 }),
      block(4, [['w', 2]], { op: 'goto', pc: 12 }),
      block(8, [['w', 3]], { op: 'goto', pc: 12 }),
      block(12, [['r', 4]], { op: 'goto', pc: 100 }),
    ];
    const flow = regFlow(blocks, [[1, 2], [3], [3], []], new Set());
    expect(slotsOf(flow, flow.exitSets[3][blocks[3].ops.length])).toEqual([1, 2, 3]);
    expect(slotsOf(flow, flow.exitSets[1][blocks[1].ops.length])).toEqual([1, 2]);
    // entered at 0: 2 and 3 are stored at block 3's exit on a path that did not write them
    expect(slotsOf(flow, flow.liveIn[0])).toEqual([5, 2, 3, 4]);
    // entered at 3: whatever its exit stores
    expect(slotsOf(flow, flow.liveIn[3])).toEqual([1, 2, 3, 4]);
  });

  it('inside a block, an exit stores only the registers written before it', () => {
    const b = block(0, [['r', 7], ['m'], ['w', 7], ['m'], ['w', 8], ['w', 9]], { op: 'goto', pc: 64 });
    const flow = regFlow([b], [[]], new Set());
    expect(exitsOf(flow, 0)).toEqual([[], [7], [7, 8, 9]]);
    expect(slotsOf(flow, flow.liveIn[0])).toEqual([7]);
  });

  it('a loop: what the body writes is stored at every exit, and loaded', () => {
    const blocks = [block(0, [['r', 1], ['m'], ['w', 2]], { op: 'branch', cond: 0, taken: 0, fall: 4 }), block(4, [], { op: 'goto', pc: 99 })];
    const flow = regFlow(blocks, [[0, 1], []], new Set());
    expect(exitsOf(flow, 0)).toEqual([[2], [2]]);
    expect(slotsOf(flow, flow.liveIn[0])).toEqual([1, 2]);
  });

  it('dynamic registers (lazy flags): a write ends their liveness, and no exit stores them', () => {
    const blocks = [block(0, [['w', 30], ['m']], { op: 'goto', pc: 4 }), block(4, [['r', 30]], { op: 'goto', pc: 99 })];
    const flow = regFlow(blocks, [[1], []], new Set([30]));
    expect(slotsOf(flow, flow.exitSets[1][blocks[1].ops.length])).toEqual([]);
    expect(slotsOf(flow, flow.liveIn[0])).toEqual([]);
    expect(slotsOf(flow, flow.liveIn[1])).toEqual([30]);
  });

  it('registers numbered past 31 and 63 (the sign bit of a word)', () => {
    const n = 70;
    const steps: ['r' | 'w', number][] = [];
    for (let s = 0; s < n; s++) steps.push(['r', s]);
    steps.push(['w', 31], ['w', 63], ['w', 64]);
    const blocks = [block(0, steps, { op: 'branch', cond: 0, taken: 0, fall: 4 }), block(4, [], { op: 'goto', pc: 99 })];
    const flow = regFlow(blocks, [[0, 1], []], new Set());
    expect(flow.liveIn[0].size()).toBe(n);
    expect(slotsOf(flow, flow.exitSets[1][0])).toEqual([31, 63, 64]);
  });
});

describe('set forests', () => {
  const bits = (...xs: number[]) => {
    const b = Bits.empty(64);
    for (const x of xs) b.add(x);
    return b;
  };
  it('gives each set the largest proper subset as parent, and orders children before parents', () => {
    const f = setForest([bits(1, 2, 3), bits(1), bits(1, 2), bits(5), bits(1, 2)]);
    expect(f.nodes.length).toBe(4);
    expect(f.nodeOf[2]).toBe(f.nodeOf[4]);
    const parentOf = (i: number) => f.nodes[f.nodeOf[i]].parent;
    expect(parentOf(0)).toBe(f.nodeOf[2]);
    expect(parentOf(2)).toBe(f.nodeOf[1]);
    expect(parentOf(1)).toBe(-1);
    expect(parentOf(3)).toBe(-1);
    f.nodes.forEach((n, i) => {
      if (n.parent >= 0) expect(f.order.indexOf(n.parent)).toBeGreaterThan(f.order.indexOf(i));
    });
    expect(bits(0, 31, 32, 63).list()).toEqual([0, 31, 32, 63]);
    expect(bits(0, 31, 32, 63).size()).toBe(4);
  });
});
