// The dump comparison on a recorded batch: it must find exactly the words that differ and name
// them, and notice a run that stopped early.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareBatch, describeMismatch } from './compare.js';
import { fixtureBatch, outPath, readManifest } from './record.js';
import { DUMP_BYTES, FCSR_SLOT, fSlot, xSlot } from './riscv64/batch.js';
import { riscv64 } from './riscv64/isa.js';

const dir = riscv64.fixtureDir;
const entry = readManifest(dir).batches[0]!;
const batch = fixtureBatch(riscv64, entry);
const ref = new Uint8Array(readFileSync(outPath(dir, entry)));

describe('difftest dump comparison', () => {
  it('finds no difference between a dump and itself', () => {
    expect(compareBatch(riscv64, batch, ref, ref.slice())).toEqual([]);
  });

  it('names each differing register and memory word', () => {
    const bad = ref.slice();
    const seq = 5;
    bad[seq * DUMP_BYTES + 8 * xSlot(10)]! ^= 1;
    bad[seq * DUMP_BYTES + 8 * fSlot(31) + 7]! ^= 0x80;
    bad[seq * DUMP_BYTES + 8 * FCSR_SLOT]! ^= 0x10;
    bad[seq * DUMP_BYTES + 512 + 256 + 16]! ^= 0xff; // scratch byte at s0+16
    bad[(seq + 2) * DUMP_BYTES + 512]! ^= 2; // scratch byte at s0-256 of a later sequence
    const m = compareBatch(riscv64, batch, ref, bad);
    expect(m.map((x) => [x.seq.index, x.diffs.map((d) => d.where)])).toEqual([
      [5, ['x10/a0', 'f31', 'fcsr', 'mem[s0+16]']],
      [7, ['mem[s0-256]']],
    ]);
    const d = m[0]!.diffs[0]!;
    expect(d.expected ^ d.actual).toBe(1n);
    const text = describeMismatch(riscv64, m[0]!, entry.seed);
    expect(text).toMatch(/^MISMATCH isa=riscv64 seed=1 sequence=5 /);
    expect(text).toContain('x10/a0');
  });

  it('reports the sequences a truncated run never finished', () => {
    const m = compareBatch(riscv64, batch, ref, ref.subarray(0, 3 * DUMP_BYTES + 100));
    expect(m.map((x) => [x.seq.index, x.missing])).toEqual(
      Array.from({ length: entry.count - 3 }, (_, i) => [i + 3, true]),
    );
  });
});
