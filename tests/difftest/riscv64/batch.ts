// One batch = one static ELF that runs many sequences. Per sequence the harness loads all
// registers and fcsr from the sequence's data block, runs the sequence, stores them into the
// block's out slots, and writes the out slots and the scratch buffer to stdout. After the last
// sequence, exit_group(0).
//
// With repeat > 1 each sequence runs in a loop (scratch buffer and registers reset every time) so
// its code gets hot and reaches the engine's higher tiers; the last iteration's state is dumped.
//
// Data block of a sequence (S = its s0 value; every part within s0's 12-bit offset reach):
//   [S - 1296]          loop counter
//   [S - 1280, S - 768) 64 slots x1..x31, f0..f31, fcsr: initial values
//   [S - 768, S - 256)  the same 64 slots: final values      } written out
//   [S - 256, S + 256)  the scratch buffer                    } together
//   [S + 256, S + 768)  the scratch buffer's initial bytes (copied in when repeating)
import { EF_RISCV_RVC_DOUBLE, EM_RISCV, textStart, writeElf } from '../elf-writer.js';
import type { Batch as BatchOf, GenOptions, Placed } from '../isa.js';
import { Rng } from '../../rng.js';
import { CSR, encode, toBytes, type Args, type Insn } from './encode.js';
import { generateSequence, S0, SCRATCH_HI, SCRATCH_LO, SCRATCH_SIZE, SP, SP_START, type Sequence } from './generate.js';

export const TEXT_BASE = 0x10000;
/** Fixed, far above any batch's code, so addresses do not depend on the code size. */
export const DATA_BASE = 0x1000000;
export const SLOTS = 64;
const REGS_BYTES = SLOTS * 8;
/** Bytes each sequence writes to stdout: its final register slots then its scratch buffer. */
export const DUMP_BYTES = REGS_BYTES + SCRATCH_SIZE;
const OUT = SCRATCH_LO - REGS_BYTES;
const IN = OUT - REGS_BYTES;
const MEM_INIT = SCRATCH_HI;
const COUNTER = IN - 16;
/** Block size; S sits at BLOCK_S from the block's start. Multiples of 16 keep S aligned. */
const BLOCK_S = -COUNTER;
const BLOCK_BYTES = BLOCK_S + MEM_INIT + SCRATCH_SIZE;
export const FCSR_SLOT = 63;
export const xSlot = (r: number) => r - 1;
export const fSlot = (r: number) => 31 + r;
/** The most iterations --repeat can ask for (an addi immediate). */
export const MAX_REPEAT = 2047;

const T0 = 5;
const A0 = 10;
const A1 = 11;
const A2 = 12;
const A7 = 17;
const SYS_WRITE = 64;
const SYS_EXIT_GROUP = 94;

/** A placed sequence; its `s` is its s0 value, the centre of its scratch buffer. */
export type BatchSequence = Placed<Sequence>;
export type Batch = BatchOf<Sequence>;

export const DEFAULT_GEN: GenOptions = { minLen: 3, maxLen: 20 };

/** The sequence with global index `index` for `seed`, independent of batch boundaries. */
export function sequenceFor(seed: number, index: number, opts: GenOptions = DEFAULT_GEN): Sequence {
  if (opts.with?.length) throw new Error(`riscv64 generator: no switches (--with ${opts.with.join(',')})`);
  return generateSequence(new Rng(seed, index + 1), opts);
}

/** Lay out given sequences (e.g. one regenerated failure) into an ELF. */
export function assemble(seed: number, seqs: ReadonlyArray<{ index: number; seq: Sequence }>, repeat = 1): Batch {
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw new Error(`repeat must be 1..${MAX_REPEAT}`);
  const code: Insn[] = [];
  const data = new Uint8Array(seqs.length * BLOCK_BYTES);
  const dv = new DataView(data.buffer);
  const out: BatchSequence[] = [];
  const codeStart = textStart(TEXT_BASE);
  let pc = codeStart;
  const emit = (name: string, args: Args = {}) => {
    const insn = encode(name, args);
    code.push(insn);
    pc += insn.len;
  };

  seqs.forEach(({ index, seq }, i) => {
    const blk = i * BLOCK_BYTES;
    const s = DATA_BASE + blk + BLOCK_S;
    const at = (offFromS: number) => blk + BLOCK_S + offFromS;
    // Initial values: x2 and x8 are pinned to the buffer.
    const x = seq.init.x.slice();
    x[xSlot(SP)] = BigInt(s + SP_START);
    x[xSlot(S0)] = BigInt(s);
    x.forEach((v, r) => dv.setBigUint64(at(IN) + 8 * r, v, true));
    seq.init.f.forEach((v, r) => dv.setBigUint64(at(IN) + 8 * fSlot(r), v, true));
    dv.setBigUint64(at(IN) + 8 * FCSR_SLOT, BigInt(seq.init.fcsr), true);
    data.set(seq.init.mem, at(SCRATCH_LO));
    data.set(seq.init.mem, at(MEM_INIT));

    // Prologue: s0 = S; (loop: scratch reset;) fcsr, f0..f31, every x register, s0 itself last.
    const lo = ((s & 0xfff) << 20) >> 20;
    emit('lui', { rd: S0, uimm20: ((s - lo) >>> 12) & 0xfffff });
    emit('addi', { rd: S0, rs1: S0, imm12: lo });
    let loopPc = pc;
    if (repeat > 1) {
      emit('addi', { rd: T0, rs1: 0, imm12: repeat });
      emit('sd', { rs2: T0, rs1: S0, simm12: COUNTER });
      loopPc = pc;
      for (let off = 0; off < SCRATCH_SIZE; off += 8) {
        emit('ld', { rd: T0, rs1: S0, imm12: MEM_INIT + off });
        emit('sd', { rs2: T0, rs1: S0, simm12: SCRATCH_LO + off });
      }
    }
    emit('ld', { rd: T0, rs1: S0, imm12: IN + 8 * FCSR_SLOT });
    emit('csrrw', { rd: 0, csr: CSR.fcsr, rs1: T0 });
    for (let r = 0; r < 32; r++) emit('fld', { frd: r, rs1: S0, imm12: IN + 8 * fSlot(r) });
    for (let r = 1; r < 32; r++) if (r !== S0) emit('ld', { rd: r, rs1: S0, imm12: IN + 8 * xSlot(r) });
    emit('ld', { rd: S0, rs1: S0, imm12: IN + 8 * xSlot(S0) });

    const seqPc = pc;
    const pcs: number[] = [];
    for (const insn of seq.insns) {
      pcs.push(pc);
      code.push(insn);
      pc += insn.len;
    }

    // Epilogue: store everything (s0 is unchanged), loop, then write the out slots and scratch.
    for (let r = 1; r < 32; r++) emit('sd', { rs2: r, rs1: S0, simm12: OUT + 8 * xSlot(r) });
    for (let r = 0; r < 32; r++) emit('fsd', { frs2: r, rs1: S0, simm12: OUT + 8 * fSlot(r) });
    emit('csrrs', { rd: T0, csr: CSR.fcsr, rs1: 0 });
    emit('sd', { rs2: T0, rs1: S0, simm12: OUT + 8 * FCSR_SLOT });
    if (repeat > 1) {
      emit('ld', { rd: T0, rs1: S0, imm12: COUNTER });
      emit('addi', { rd: T0, rs1: T0, imm12: -1 });
      emit('sd', { rs2: T0, rs1: S0, simm12: COUNTER });
      emit('bne', { rs1: T0, rs2: 0, boff: loopPc - pc });
    }
    emit('addi', { rd: A0, rs1: 0, imm12: 1 });
    emit('addi', { rd: A1, rs1: S0, imm12: OUT });
    emit('addi', { rd: A2, rs1: 0, imm12: DUMP_BYTES });
    emit('addi', { rd: A7, rs1: 0, imm12: SYS_WRITE });
    emit('ecall');
    out.push({ ...seq, index, pc: seqPc, pcs, s });
  });
  emit('addi', { rd: A0, rs1: 0, imm12: 0 });
  emit('addi', { rd: A7, rs1: 0, imm12: SYS_EXIT_GROUP });
  emit('ecall');

  const elf = writeElf({
    machine: EM_RISCV,
    flags: EF_RISCV_RVC_DOUBLE,
    entry: codeStart,
    text: { vaddr: codeStart, bytes: toBytes(code) },
    data: { vaddr: DATA_BASE, bytes: data },
  });
  return { seed, elf, sequences: out, repeat };
}
