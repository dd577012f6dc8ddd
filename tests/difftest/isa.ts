// What the ISA-neutral parts of the differential tester (CLI, batch protocol, runners, dump
// comparison, corpus) need from one instruction set. Each ISA folder (riscv64/, aarch64/) exports
// one DifftestIsa from its isa.ts.
//
// The batch protocol every ISA follows: one static ELF runs many sequences; per sequence the
// harness loads every register from the sequence's data block, runs it (looped `repeat` times,
// scratch buffer reset each time), and writes a fixed-size dump (final registers and the scratch
// buffer) to stdout with write(1, …); after the last one, exit_group(0). The dump is a whole number
// of little-endian 64-bit words, each named by wordName() for reports.
import type { ObjdumpSpec } from './objdump.js';
import type { QemuSpec } from './qemu.js';

export interface GenOptions {
  /** Number of class picks per sequence (each emits one or a few instructions). */
  minLen: number;
  maxLen: number;
  /** ISA-specific generator switches that are off by default (--with a,b). */
  with?: readonly string[];
}

/** The ISA-neutral view of a generated sequence. */
export interface SeqCore {
  insns: ReadonlyArray<{ readonly word: number; readonly len: number }>;
  /** The instruction classes picked, in order. */
  classes: string[];
  /** The class that emitted each instruction. */
  origins: string[];
}

/** Where a batch placed a sequence. */
export interface Placement {
  /** The sequence's global index: (seed, index) regenerates it alone. */
  index: number;
  /** Address of its first instruction, and of each instruction. */
  pc: number;
  pcs: number[];
  /** The value of its pinned base register: the centre of its scratch buffer. */
  s: number;
}

export type Placed<S extends SeqCore> = S & Placement;

export interface Batch<S extends SeqCore = SeqCore> {
  seed: number;
  elf: Uint8Array;
  sequences: Array<Placed<S>>;
  /** How many times each sequence runs before its state is dumped. */
  repeat: number;
}

/** One committed corpus batch. */
export interface FixtureEntry {
  name: string;
  seed: number;
  first: number;
  count: number;
  gen: GenOptions;
  /** Runs per sequence (default 1). */
  repeat?: number;
  /** Hand-made sequences instead of the generator's: a key of the ISA's `directed` sets
   *  (seed, first and gen are then unused; count is the set's size). */
  directed?: string;
}

export interface DifftestIsa<S extends SeqCore = SeqCore> {
  readonly name: string;
  readonly qemu: QemuSpec;
  readonly objdump: ObjdumpSpec;
  /** The pinned base register's name in reports ("s0", "x28"). */
  readonly baseReg: string;
  readonly defaultGen: GenOptions;
  readonly defaultCount: number;
  readonly defaultBatch: number;
  readonly maxRepeat: number;
  /** Bytes each sequence writes to stdout. */
  readonly dumpBytes: number;
  /** The committed regression corpus. */
  readonly fixtureDir: string;
  readonly fixtureSets: readonly FixtureEntry[];

  sequenceFor(seed: number, index: number, gen: GenOptions): S;
  /** Lay out sequences (a batch, or one regenerated failure) into an ELF. */
  assemble(seed: number, seqs: ReadonlyArray<{ index: number; seq: S }>, repeat: number): Batch<S>;
  /** Name of dump word k ("x10/a0", "mem[s0-8]", "v3.hi", …). */
  wordName(k: number): string;
  /** Our text for instruction i of a sequence at pc (objdump's spelling). */
  insnText(seq: S, i: number, pc: number): string;
  /** Initial values of what the sequence reads, for a report. */
  inputs(seq: Placed<S>): string;
  /** Encode random instances of every opcode and compare objdump's reading with ours. */
  validateEncoder(seed: number, perOp: number): EncoderCheck;
  /** Hand-made sequences (e.g. one per bug the random runs found), by set name. */
  readonly directed?: Readonly<Record<string, () => ReadonlyArray<{ index: number; seq: S }>>>;
}

export interface EncoderCheck {
  checked: number;
  mismatches: Array<{ name: string; word: number; expected: string; objdump: string }>;
}

/** The batch of sequences first .. first + count - 1 of `seed` (independent of batch boundaries). */
export function buildBatch<S extends SeqCore>(isa: DifftestIsa<S>, seed: number, first: number, count: number, gen: GenOptions = isa.defaultGen, repeat = 1): Batch<S> {
  const seqs = Array.from({ length: count }, (_, i) => ({ index: first + i, seq: isa.sequenceFor(seed, first + i, gen) }));
  return isa.assemble(seed, seqs, repeat);
}
