// RV64GC for the differential tester: qemu-riscv64 as the reference, riscv64 binutils as the
// encoder's oracle, and how a dump's words and a sequence's inputs are named in reports.
import type { DifftestIsa, FixtureEntry, Placed } from '../isa.js';
import { checkWithObjdump, type ObjdumpSpec } from '../objdump.js';
import { Rng } from '../../rng.js';
import { DEFAULT_GEN, DUMP_BYTES, MAX_REPEAT, SLOTS, assemble, sequenceFor } from './batch.js';
import { OPCODES, asmText, encode, operandNames, sampleField, toBytes, type Insn } from './encode.js';
import { S0, SCRATCH_LO, SP, SP_START, type Sequence } from './generate.js';

const ABI = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

export function slotName(k: number): string {
  if (k < 31) return `x${k + 1}/${ABI[k + 1]}`;
  if (k < 63) return `f${k - 31}`;
  return 'fcsr';
}

function memName(off: number): string {
  return `mem[s0${off < 0 ? '-' : '+'}${Math.abs(off)}]`;
}

const hex64 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** The integer and FP registers an instruction list names (for printing their initial values). */
function registersUsed(seq: Sequence): { x: Set<number>; f: Set<number> } {
  const x = new Set<number>();
  const f = new Set<number>();
  for (const insn of seq.insns) {
    for (const [key, v] of Object.entries(insn.args)) {
      if (/^(rd|rs1|rs2|crd|crs2|cstore2|crd_lui|crdp|crs2p|crs1p)$/.test(key)) x.add(v);
      if (/^(frd|frs1|frs2|frs3|cfrd|cfrs2|cfrdp|cfrs2p)$/.test(key)) f.add(v);
    }
  }
  x.delete(0);
  return { x, f };
}

/** The value x[r] starts with (sp and s0 are pinned to the sequence's buffer). */
function initX(seq: Placed<Sequence>, r: number): bigint {
  if (r === SP) return BigInt(seq.s + SP_START);
  if (r === S0) return BigInt(seq.s);
  return seq.init.x[r - 1]!;
}

const OBJDUMP: ObjdumpSpec = {
  command: process.env.RISCV_OBJDUMP ?? 'riscv64-linux-gnu-objdump',
  args: ['-m', 'riscv:rv64', '-M', 'no-aliases,numeric'],
  // objdump's "# address" comments on accesses through registers it has tracked
  comment: /\s+#.*$/,
};

/** What gets recorded: small batches, one with longer sequences. */
const FIXTURE_SETS: readonly FixtureEntry[] = [
  { name: 'seed-1', seed: 1, first: 0, count: 40, gen: { minLen: 3, maxLen: 20 } },
  { name: 'seed-2', seed: 2, first: 0, count: 40, gen: { minLen: 3, maxLen: 20 } },
  { name: 'seed-3-long', seed: 3, first: 0, count: 24, gen: { minLen: 20, maxLen: 40 } },
  // Each sequence 100 times: past the engine's hot threshold, so higher tiers run it too.
  { name: 'seed-4-repeat', seed: 4, first: 0, count: 24, gen: { minLen: 3, maxLen: 20 }, repeat: 100 },
];

export const riscv64: DifftestIsa<Sequence> = {
  name: 'riscv64',
  qemu: { command: process.env.QEMU_RISCV64 ?? 'qemu-riscv64', args: [] },
  objdump: OBJDUMP,
  baseReg: 's0',
  defaultGen: DEFAULT_GEN,
  defaultCount: 3000,
  defaultBatch: 200,
  maxRepeat: MAX_REPEAT,
  dumpBytes: DUMP_BYTES,
  fixtureDir: 'fixtures/riscv64/difftest',
  fixtureSets: FIXTURE_SETS,
  sequenceFor,
  assemble,
  wordName: (k) => (k < SLOTS ? slotName(k) : memName(8 * (k - SLOTS) + SCRATCH_LO)),
  insnText: (seq, i, pc) => asmText(seq.insns[i]!, pc),
  inputs(seq) {
    const used = registersUsed(seq);
    return [
      ...[...used.x].sort((a, b) => a - b).map((r) => `x${r}=${hex64(initX(seq, r))}`),
      ...[...used.f].sort((a, b) => a - b).map((r) => `f${r}=${hex64(seq.init.f[r]!)}`),
      `fcsr=0x${seq.init.fcsr.toString(16)}`,
    ].join(' ');
  },
  validateEncoder(seed, perOp) {
    const rng = new Rng(seed);
    const insns: Insn[] = [];
    for (const op of OPCODES.values()) {
      for (let i = 0; i < perOp; i++) {
        const args: Record<string, number> = {};
        for (const key of operandNames(op)) args[key] = sampleField(key, () => rng.u32());
        if (op.aqrl) args.aqrl = rng.below(4);
        if (op.exact) args.rm = 0;
        insns.push(encode(op.name, args));
      }
    }
    const items = insns.map((insn) => ({ name: insn.op.name, word: insn.word, len: insn.len, text: (pc: number) => asmText(insn, pc) }));
    return checkWithObjdump(OBJDUMP, items, toBytes(insns));
  },
};
