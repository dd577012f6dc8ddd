// The A64 dump layout as the comparison names it, on a recorded batch: each differing word is
// named by the register or scratch-buffer word it holds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareBatch, describeMismatch } from '../compare.js';
import { fixtureBatch, outPath, readManifest } from '../record.js';
import { DUMP_BYTES, SLOT } from './batch.js';
import { SCRATCH_SIZE } from './generate.js';
import { aarch64 } from './isa.js';

const dir = aarch64.fixtureDir;
const entry = readManifest(dir).batches[0]!;
const batch = fixtureBatch(aarch64, entry);
const ref = new Uint8Array(readFileSync(outPath(dir, entry)));
const regs = (seq: number, slot: number) => seq * DUMP_BYTES + SCRATCH_SIZE + 8 * slot;

describe('A64 difftest dump comparison', () => {
  it('finds no difference between a dump and itself', () => {
    expect(compareBatch(aarch64, batch, ref, ref.slice())).toEqual([]);
  });

  it('names each differing register and memory word', () => {
    const bad = ref.slice();
    bad[regs(3, SLOT.x + 5)]! ^= 1;
    bad[regs(3, SLOT.sp)]! ^= 0x10;
    bad[regs(3, SLOT.nzcv) + 3]! ^= 0x80;
    bad[regs(3, SLOT.fpsr)]! ^= 0x80;
    bad[regs(3, SLOT.v + 2 * 31 + 1) + 7]! ^= 0x80;
    bad[3 * DUMP_BYTES + 256 + 8]! ^= 0xff; // scratch byte at x28+8
    bad[4 * DUMP_BYTES]! ^= 2; // scratch byte at x28-256
    const m = compareBatch(aarch64, batch, ref, bad);
    expect(m.map((x) => [x.seq.index, x.diffs.map((d) => d.where)])).toEqual([
      [3, ['mem[x28+8]', 'x5', 'sp', 'nzcv', 'fpsr', 'v31.hi']],
      [4, ['mem[x28-256]']],
    ]);
    const text = describeMismatch(aarch64, m[0]!, entry.seed);
    expect(text).toMatch(/^MISMATCH isa=aarch64 seed=1 sequence=3 \(pc 0x[0-9a-f]+, x28=0x[0-9a-f]+\)/);
    expect(text).toContain('nzcv=0x');
  });

  it('reports the sequences a truncated run never finished', () => {
    const m = compareBatch(aarch64, batch, ref, ref.subarray(0, 2 * DUMP_BYTES + 100));
    expect(m.map((x) => [x.seq.index, x.missing])).toEqual(Array.from({ length: entry.count - 2 }, (_, i) => [i + 2, true]));
  });

  it('dumps the registers the harness loaded when a sequence leaves them alone', () => {
    // Every sequence's x28 slot holds its S, and its sp slot a 16-byte aligned address in the buffer.
    const dv = new DataView(ref.buffer, ref.byteOffset);
    batch.sequences.forEach((s, i) => {
      expect(dv.getBigUint64(regs(i, SLOT.x + 28), true)).toBe(BigInt(s.s));
      const sp = Number(dv.getBigUint64(regs(i, SLOT.sp), true)) - s.s;
      expect(Math.abs(sp % 16)).toBe(0);
      expect(sp >= -256 && sp < 256).toBe(true);
    });
  });
});
