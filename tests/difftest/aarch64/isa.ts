// AArch64 for the differential tester: qemu-aarch64 as the reference, aarch64 binutils as the
// encoder's oracle, and how a dump's words and a sequence's inputs are named in reports.
import type { DifftestIsa, FixtureEntry, Placed } from '../isa.js';
import { DEFAULT_GEN, DUMP_BYTES, MAX_REPEAT, SLOT, assemble, sequenceFor } from './batch.js';
import { DIRECTED, DIRECTED_COUNT } from './directed.js';
import { SCRATCH_LO, SCRATCH_SIZE, SP_START, XB, type Sequence } from './generate.js';
import { asmText, fieldViews } from './opcodes.js';
import { OBJDUMP, validateEncoder } from './validate.js';

const hex64 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** Dump word k: the scratch buffer's words, then the register slots. */
export function wordName(k: number): string {
  const memWords = SCRATCH_SIZE / 8;
  if (k < memWords) {
    const off = SCRATCH_LO + 8 * k;
    return `mem[x28${off < 0 ? '-' : '+'}${Math.abs(off)}]`;
  }
  const s = k - memWords;
  if (s < SLOT.sp) return `x${s}`;
  if (s >= SLOT.v) return `v${(s - SLOT.v) >> 1}.${(s - SLOT.v) & 1 ? 'hi' : 'lo'}`;
  return ['sp', 'nzcv', 'fpcr', 'fpsr', 'pad'][s - SLOT.sp]!;
}

/** Register fields a scalar SIMD op prints as a number after its element letter ("<size:E><rd:dec>"). */
const VEC_DEC = /^(rd|rn|rm|ra)$/;

/** The general and vector registers a sequence names, with their initial values. */
function inputs(seq: Placed<Sequence>): string {
  const x = new Set<number>();
  const v = new Set<number>();
  for (const insn of seq.insns) {
    const views = fieldViews(insn.op);
    for (const [key, view] of Object.entries(views)) {
      const r = insn.args[key]!;
      if (/^(x|w|xsp|wsp|extr|rx)$/.test(view) && r !== 31) x.add(r);
      if (/^(v|b|h|s|d|q|vl)$/.test(view) || (VEC_DEC.test(key) && view === 'dec')) v.add(r);
      if (key === 'rm4') v.add(r);
    }
  }
  const init = seq.init;
  return [
    ...[...x].sort((a, b) => a - b).map((r) => `x${r}=${hex64(r === XB ? BigInt(seq.s) : init.x[r]!)}`),
    `sp=0x${(seq.s + SP_START).toString(16)}`,
    ...[...v].sort((a, b) => a - b).map((r) => `v${r}=${hex64(init.v[2 * r + 1]!)}:${hex64(init.v[2 * r]!).slice(2)}`),
    `nzcv=0x${init.nzcv.toString(16)} fpcr=0x${init.fpcr.toString(16)} fpsr=0x${init.fpsr.toString(16)}`,
  ].join(' ');
}

/** What gets recorded: small batches, one with longer sequences, one looped. */
const FIXTURE_SETS: readonly FixtureEntry[] = [
  { name: 'seed-1', seed: 1, first: 0, count: 40, gen: { minLen: 3, maxLen: 20 } },
  { name: 'seed-2', seed: 2, first: 0, count: 40, gen: { minLen: 3, maxLen: 20 } },
  { name: 'seed-3-long', seed: 3, first: 0, count: 24, gen: { minLen: 20, maxLen: 40 } },
  // Each sequence 100 times: past the engine's hot threshold, so higher tiers run it too.
  { name: 'seed-4-repeat', seed: 4, first: 0, count: 24, gen: { minLen: 3, maxLen: 20 }, repeat: 100 },
  // FPCR.FZ, DN and AHP set now and then (--with fz-dn,ahp).
  { name: 'seed-5-fpcr-modes', seed: 5, first: 0, count: 60, gen: { minLen: 3, maxLen: 20, with: ['fz-dn', 'ahp'] } },
  // Only the FRINT32/64 + FJCVTZS, dot product + I8MM + RDM, crypto and FlagM classes, with FZ/DN
  // now and then, each sequence 100 times (the wasm tier's helper import too).
  { name: 'seed-6-extensions', seed: 6, first: 0, count: 40, gen: { minLen: 3, maxLen: 20, with: ['fp-rint-int', 'simd-dot', 'crypto', 'flagm', 'fz-dn'] }, repeat: 100 },
  // Hand-made sequences pinning each bug the random runs found (directed.ts).
  { name: 'directed', seed: 0, first: 0, count: DIRECTED_COUNT, gen: { minLen: 3, maxLen: 20 }, directed: 'bugs' },
];

export const aarch64: DifftestIsa<Sequence> = {
  name: 'aarch64',
  // qemu's "max" CPU: every instruction the generator emits exists there (LSE, RCpc, LDAPUR).
  qemu: { command: process.env.QEMU_AARCH64 ?? 'qemu-aarch64', args: ['-cpu', 'max'] },
  objdump: OBJDUMP,
  baseReg: 'x28',
  defaultGen: DEFAULT_GEN,
  defaultCount: 3000,
  defaultBatch: 200,
  maxRepeat: MAX_REPEAT,
  dumpBytes: DUMP_BYTES,
  fixtureDir: 'fixtures/aarch64/difftest',
  fixtureSets: FIXTURE_SETS,
  sequenceFor,
  assemble,
  wordName,
  insnText: (seq, i, pc) => asmText(seq.insns[i]!, pc),
  inputs,
  validateEncoder: (seed, perOp) => validateEncoder(seed, perOp),
  directed: DIRECTED,
};
