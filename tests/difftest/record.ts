// The committed regression corpus: a few batches from fixed seeds with qemu's output recorded,
// so `npm test` checks crossrun against qemu's answers without needing qemu.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DUMP_BYTES, buildBatch } from './batch.js';
import type { GenOptions } from './generate.js';
import { QEMU, runQemu } from './qemu.js';

export const FIXTURE_DIR = 'fixtures/riscv64/difftest';

export interface FixtureEntry {
  name: string;
  seed: number;
  first: number;
  count: number;
  gen: GenOptions;
  /** Runs per sequence (default 1). */
  repeat?: number;
}

export interface FixtureManifest {
  /** How the outputs were made, for the record. */
  recordedWith: string;
  command: string;
  batches: FixtureEntry[];
}

/** What gets recorded: small batches, one with longer sequences. */
export const FIXTURE_SETS: readonly FixtureEntry[] = [
  { name: 'seed-1', seed: 1, first: 0, count: 40, gen: { minLen: 3, maxLen: 20 } },
  { name: 'seed-2', seed: 2, first: 0, count: 40, gen: { minLen: 3, maxLen: 20 } },
  { name: 'seed-3-long', seed: 3, first: 0, count: 24, gen: { minLen: 20, maxLen: 40 } },
  // Each sequence 100 times: past the engine's hot threshold, so higher tiers run it too.
  { name: 'seed-4-repeat', seed: 4, first: 0, count: 24, gen: { minLen: 3, maxLen: 20 }, repeat: 100 },
];

/** The batch a fixture entry describes. */
export const fixtureBatch = (e: FixtureEntry) => buildBatch(e.seed, e.first, e.count, e.gen, e.repeat ?? 1);

export const elfPath = (dir: string, e: FixtureEntry) => join(dir, `${e.name}.elf`);
export const outPath = (dir: string, e: FixtureEntry) => join(dir, `${e.name}.qemu.out`);

/** Build each fixture batch, run it under qemu, and write ELF, output and manifest into dir. */
export function recordFixtures(dir: string, log: (line: string) => void): void {
  mkdirSync(dir, { recursive: true });
  const version = spawnSync(QEMU, ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? QEMU;
  for (const e of FIXTURE_SETS) {
    const batch = fixtureBatch(e);
    const r = runQemu(batch.elf);
    if (r.status !== 0 || r.stdout.length !== e.count * DUMP_BYTES)
      throw new Error(`qemu did not run ${e.name} to completion (status ${r.status}, ${r.stdout.length} bytes): ${r.stderr}`);
    writeFileSync(elfPath(dir, e), batch.elf);
    writeFileSync(outPath(dir, e), r.stdout);
    log(`recorded ${e.name}: ${e.count} sequences, ELF ${batch.elf.length} bytes, output ${r.stdout.length} bytes`);
  }
  const manifest: FixtureManifest = {
    recordedWith: version,
    command: `node scripts/difftest.mjs --record ${FIXTURE_DIR}`,
    batches: [...FIXTURE_SETS],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

export function readManifest(dir: string): FixtureManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FixtureManifest;
}
