// Compare two runs' dumps sequence by sequence and describe the differences.
import type { Batch, DifftestIsa, Placed, SeqCore } from './isa.js';

export interface Diff {
  /** The dump word's name: "x10/a0", "fcsr", "mem[s0-248]", "v3.hi" … */
  where: string;
  expected: bigint;
  actual: bigint;
}

export interface SeqMismatch<S extends SeqCore = SeqCore> {
  seq: Placed<S>;
  /** Empty when the sequence's dump is missing from the actual output. */
  diffs: Diff[];
  missing: boolean;
}

function words(buf: Uint8Array, off: number, n: number): bigint[] {
  const dv = new DataView(buf.buffer, buf.byteOffset + off, n * 8);
  return Array.from({ length: n }, (_, i) => dv.getBigUint64(8 * i, true));
}

/** Differences between the expected (reference) and actual stdout of a batch. */
export function compareBatch<S extends SeqCore>(isa: DifftestIsa<S>, batch: Batch<S>, expected: Uint8Array, actual: Uint8Array): Array<SeqMismatch<S>> {
  const out: Array<SeqMismatch<S>> = [];
  const size = isa.dumpBytes;
  batch.sequences.forEach((seq, i) => {
    const off = i * size;
    if (expected.length < off + size) throw new Error(`reference output ends before sequence ${seq.index}`);
    if (actual.length < off + size) {
      out.push({ seq, diffs: [], missing: true });
      return;
    }
    const e = words(expected, off, size / 8);
    const a = words(actual, off, size / 8);
    const diffs: Diff[] = [];
    for (let k = 0; k < e.length; k++) if (e[k] !== a[k]) diffs.push({ where: isa.wordName(k), expected: e[k]!, actual: a[k]! });
    if (diffs.length) out.push({ seq, diffs, missing: false });
  });
  return out;
}

const hex64 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** A human-readable report of one mismatching sequence. `disasm` may supply objdump's text. */
export function describeMismatch<S extends SeqCore>(
  isa: DifftestIsa<S>,
  m: SeqMismatch<S>,
  seed: number,
  disasm?: (seq: Placed<S>) => string[],
): string {
  const { seq } = m;
  const lines = [`MISMATCH isa=${isa.name} seed=${seed} sequence=${seq.index} (pc 0x${seq.pc.toString(16)}, ${isa.baseReg}=0x${seq.s.toString(16)})`];
  lines.push(`  classes: ${seq.classes.join(' ')}`);
  lines.push('  code:');
  const text = disasm?.(seq) ?? seq.insns.map((insn, i) => {
    const pc = seq.pcs[i]!;
    const hex = insn.word.toString(16).padStart(insn.len * 2, '0');
    return `${pc.toString(16)}:\t${hex}\t${isa.insnText(seq, i, pc)}`;
  });
  for (const l of text) lines.push(`    ${l}`);
  lines.push(`  inputs: ${isa.inputs(seq)}`);
  if (m.missing) lines.push('  no output for this sequence (the run stopped before it finished)');
  for (const d of m.diffs) lines.push(`  ${d.where.padEnd(12)} expected ${hex64(d.expected)}  actual ${hex64(d.actual)}`);
  return lines.join('\n');
}
