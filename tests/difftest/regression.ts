// The regression suite every ISA's committed corpus runs under `npm test` (without qemu):
// the generator must still make the committed ELFs, and crossrun must reproduce every word of
// qemu's recorded dumps. Each ISA folder's regression.test.ts calls this.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareBatch, describeMismatch } from './compare.js';
import { runCrossrun } from './crossrun.js';
import type { DifftestIsa, SeqCore } from './isa.js';
import { elfPath, fixtureBatch, outPath, readManifest } from './record.js';

export function regressionSuite<S extends SeqCore>(isa: DifftestIsa<S>): void {
  const dir = isa.fixtureDir;
  const manifest = readManifest(dir);

  describe(`difftest regression corpus (${isa.name})`, () => {
    it('is recorded from what the generator makes today', () => {
      expect(manifest.batches.map((e) => e.name)).toEqual(isa.fixtureSets.map((e) => e.name));
      for (const e of manifest.batches) {
        const batch = fixtureBatch(isa, e);
        const committed = readFileSync(elfPath(dir, e));
        expect(Buffer.from(batch.elf).equals(committed), `${e.name}: re-record with ${manifest.command}`).toBe(true);
        expect(readFileSync(outPath(dir, e)).length).toBe(e.count * isa.dumpBytes);
      }
    });

    for (const e of manifest.batches) {
      it(`${e.name}: crossrun matches qemu on ${e.count} sequences`, async () => {
        const elf = new Uint8Array(readFileSync(elfPath(dir, e)));
        const ref = new Uint8Array(readFileSync(outPath(dir, e)));
        const got = await runCrossrun(elf);
        // The generator's view of the batch, for readable reports (checked equal above).
        const batch = fixtureBatch(isa, e);
        const mismatches = compareBatch(isa, batch, ref, got.stdout);
        const report = mismatches.slice(0, 3).map((m) => describeMismatch(isa, m, e.seed)).join('\n\n');
        expect(mismatches.length, `${mismatches.length} sequences differ from qemu:\n${report}\n${got.stderr}`).toBe(0);
        expect({ status: got.status, signal: got.signal, bytes: got.stdout.length }).toEqual({
          status: 0,
          signal: undefined,
          bytes: ref.length,
        });
      }, 120_000);
    }
  });
}
