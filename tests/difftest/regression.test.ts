// The committed difftest corpus: batches of random RV64GC sequences with qemu-riscv64's recorded
// output (fixtures/riscv64/difftest, re-recorded by `node scripts/difftest.mjs --record …`).
// crossrun must reproduce every register, fcsr and scratch-memory word of every sequence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DUMP_BYTES } from './batch.js';
import { compareBatch, describeMismatch } from './compare.js';
import { runCrossrun } from './crossrun.js';
import { FIXTURE_DIR, elfPath, fixtureBatch, outPath, readManifest } from './record.js';

const manifest = readManifest(FIXTURE_DIR);

describe('difftest regression corpus', () => {
  it('is recorded from what the generator makes today', () => {
    for (const e of manifest.batches) {
      const batch = fixtureBatch(e);
      const committed = readFileSync(elfPath(FIXTURE_DIR, e));
      expect(Buffer.from(batch.elf).equals(committed), `${e.name}: re-record with ${manifest.command}`).toBe(true);
      expect(readFileSync(outPath(FIXTURE_DIR, e)).length).toBe(e.count * DUMP_BYTES);
    }
  });

  for (const e of manifest.batches) {
    it(`${e.name}: crossrun matches qemu on ${e.count} sequences`, async () => {
      const elf = new Uint8Array(readFileSync(elfPath(FIXTURE_DIR, e)));
      const ref = new Uint8Array(readFileSync(outPath(FIXTURE_DIR, e)));
      const got = await runCrossrun(elf);
      // The generator's view of the batch, for readable reports (checked equal above).
      const batch = fixtureBatch(e);
      const mismatches = compareBatch(batch, ref, got.stdout);
      const report = mismatches.slice(0, 3).map((m) => describeMismatch(m, e.seed)).join('\n\n');
      expect(mismatches.length, `${mismatches.length} sequences differ from qemu:\n${report}\n${got.stderr}`).toBe(0);
      expect({ status: got.status, signal: got.signal, bytes: got.stdout.length }).toEqual({
        status: 0,
        signal: undefined,
        bytes: ref.length,
      });
    }, 120_000);
  }
});
