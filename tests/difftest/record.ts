// The committed regression corpus: a few batches from fixed seeds with qemu's output recorded,
// so `npm test` checks crossrun against qemu's answers without needing qemu.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBatch, type Batch, type DifftestIsa, type FixtureEntry, type SeqCore } from './isa.js';
import { qemuVersion, runQemu } from './qemu.js';

export interface FixtureManifest {
  /** How the outputs were made, for the record. */
  recordedWith: string;
  command: string;
  batches: FixtureEntry[];
}

/** The command that re-records an ISA's corpus (riscv64, the default ISA, needs no --isa). */
export const recordCommand = (isa: DifftestIsa, dir: string) =>
  `node scripts/difftest.mjs ${isa.name === 'riscv64' ? '' : `--isa ${isa.name} `}--record ${dir}`;

/** The batch a fixture entry describes. */
export function fixtureBatch<S extends SeqCore>(isa: DifftestIsa<S>, e: FixtureEntry): Batch<S> {
  if (e.directed === undefined) return buildBatch(isa, e.seed, e.first, e.count, e.gen, e.repeat ?? 1);
  const set = isa.directed?.[e.directed];
  if (!set) throw new Error(`${isa.name} has no directed set ${e.directed}`);
  const seqs = set();
  if (seqs.length !== e.count) throw new Error(`directed set ${e.directed} has ${seqs.length} sequences, the entry says ${e.count}`);
  return isa.assemble(e.seed, seqs, e.repeat ?? 1);
}

export const elfPath = (dir: string, e: FixtureEntry) => join(dir, `${e.name}.elf`);
export const outPath = (dir: string, e: FixtureEntry) => join(dir, `${e.name}.qemu.out`);

/** Build each fixture batch, run it under qemu, and write ELF, output and manifest into dir. */
export function recordFixtures(isa: DifftestIsa, dir: string, log: (line: string) => void): void {
  mkdirSync(dir, { recursive: true });
  for (const e of isa.fixtureSets) {
    const batch = fixtureBatch(isa, e);
    const r = runQemu(isa.qemu, batch.elf);
    if (r.status !== 0 || r.stdout.length !== e.count * isa.dumpBytes)
      throw new Error(`qemu did not run ${e.name} to completion (status ${r.status}, ${r.stdout.length} bytes): ${r.stderr}`);
    writeFileSync(elfPath(dir, e), batch.elf);
    writeFileSync(outPath(dir, e), r.stdout);
    log(`recorded ${e.name}: ${e.count} sequences, ELF ${batch.elf.length} bytes, output ${r.stdout.length} bytes`);
  }
  const manifest: FixtureManifest = {
    recordedWith: qemuVersion(isa.qemu),
    command: recordCommand(isa, isa.fixtureDir),
    batches: [...isa.fixtureSets],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

export function readManifest(dir: string): FixtureManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FixtureManifest;
}
