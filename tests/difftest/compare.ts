// Compare two runs' dumps sequence by sequence and describe the differences.
import { asmText } from './encode-riscv64.js';
import { DUMP_BYTES, SLOTS, type Batch, type BatchSequence } from './batch.js';
import { S0, SCRATCH_LO, SP, SP_START } from './generate.js';

const ABI = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

export function slotName(k: number): string {
  if (k < 31) return `x${k + 1}/${ABI[k + 1]}`;
  if (k < 63) return `f${k - 31}`;
  return 'fcsr';
}

export interface Diff {
  /** "x10/a0", "f3", "fcsr" or "mem[s0-248]". */
  where: string;
  expected: bigint;
  actual: bigint;
}

export interface SeqMismatch {
  seq: BatchSequence;
  /** Empty when the sequence's dump is missing from the actual output. */
  diffs: Diff[];
  missing: boolean;
}

function words(buf: Uint8Array, off: number, n: number): bigint[] {
  const dv = new DataView(buf.buffer, buf.byteOffset + off, n * 8);
  return Array.from({ length: n }, (_, i) => dv.getBigUint64(8 * i, true));
}

/** Differences between the expected (reference) and actual stdout of a batch. */
export function compareBatch(batch: Batch, expected: Uint8Array, actual: Uint8Array): SeqMismatch[] {
  const out: SeqMismatch[] = [];
  batch.sequences.forEach((seq, i) => {
    const off = i * DUMP_BYTES;
    if (expected.length < off + DUMP_BYTES) throw new Error(`reference output ends before sequence ${seq.index}`);
    if (actual.length < off + DUMP_BYTES) {
      out.push({ seq, diffs: [], missing: true });
      return;
    }
    const e = words(expected, off, DUMP_BYTES / 8);
    const a = words(actual, off, DUMP_BYTES / 8);
    const diffs: Diff[] = [];
    for (let k = 0; k < e.length; k++) {
      if (e[k] === a[k]) continue;
      const where = k < SLOTS ? slotName(k) : memName(8 * (k - SLOTS) + SCRATCH_LO);
      diffs.push({ where, expected: e[k]!, actual: a[k]! });
    }
    if (diffs.length) out.push({ seq, diffs, missing: false });
  });
  return out;
}

function memName(off: number): string {
  return `mem[s0${off < 0 ? '-' : '+'}${Math.abs(off)}]`;
}

const hex64 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** The integer and FP registers an instruction list names (for printing their initial values). */
function registersUsed(seq: BatchSequence): { x: Set<number>; f: Set<number> } {
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
function initX(seq: BatchSequence, r: number): bigint {
  if (r === SP) return BigInt(seq.s + SP_START);
  if (r === S0) return BigInt(seq.s);
  return seq.init.x[r - 1]!;
}

/** A human-readable report of one mismatching sequence. `disasm` may supply objdump's text. */
export function describeMismatch(m: SeqMismatch, seed: number, disasm?: (seq: BatchSequence) => string[]): string {
  const { seq } = m;
  const lines = [`MISMATCH seed=${seed} sequence=${seq.index} (pc 0x${seq.pc.toString(16)}, s0=0x${seq.s.toString(16)})`];
  lines.push(`  classes: ${seq.classes.join(' ')}`);
  lines.push('  code:');
  const text = disasm?.(seq) ?? seq.insns.map((insn, i) => {
    const pc = seq.pcs[i]!;
    const hex = insn.word.toString(16).padStart(insn.len * 2, '0');
    return `${pc.toString(16)}:\t${hex}\t${asmText(insn, pc)}`;
  });
  for (const l of text) lines.push(`    ${l}`);
  const used = registersUsed(seq);
  const init = [
    ...[...used.x].sort((a, b) => a - b).map((r) => `x${r}=${hex64(initX(seq, r))}`),
    ...[...used.f].sort((a, b) => a - b).map((r) => `f${r}=${hex64(seq.init.f[r]!)}`),
    `fcsr=0x${seq.init.fcsr.toString(16)}`,
  ];
  lines.push(`  inputs: ${init.join(' ')}`);
  if (m.missing) lines.push('  no output for this sequence (the run stopped before it finished)');
  for (const d of m.diffs) lines.push(`  ${d.where.padEnd(12)} expected ${hex64(d.expected)}  actual ${hex64(d.actual)}`);
  return lines.join('\n');
}
