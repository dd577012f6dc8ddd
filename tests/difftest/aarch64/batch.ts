// One batch = one static AArch64 ELF that runs many sequences (the protocol in ../isa.ts). Per
// sequence the harness sets x28 = S, loads NZCV, FPCR, FPSR, sp, v0..v31 and x0..x30 (but x28)
// from the sequence's data block, runs the sequence, stores everything back into the block's out
// slots, and writes the scratch buffer and the out slots to stdout.
//
// Data block of a sequence (S = its x28 value; all harness slots at positive offsets, in reach of
// LDR/STR's scaled unsigned offset):
//   [S - 256, S + 256)     the scratch buffer                   } written out
//   [S + 256, S + 1056)    100 out slots (see SLOT below)      } together
//   [S + 1056, S + 1856)   the same 100 slots: initial values
//   [S + 1856, S + 2368)   the scratch buffer's initial bytes (copied in when repeating)
//   [S + 2368, S + 2384)   loop counter
import { EM_AARCH64, textStart, writeElf } from '../elf-writer.js';
import type { Batch as BatchOf, GenOptions, Placed } from '../isa.js';
import { Rng } from '../../rng.js';
import { generateSequence, SCRATCH_HI, SCRATCH_LO, SCRATCH_SIZE, SP_START, XB, type Sequence } from './generate.js';
import { encode, toBytes, type Args, type Insn } from './opcodes.js';

export const TEXT_BASE = 0x10000;
/** Fixed, far above any batch's code, so addresses do not depend on the code size. */
export const DATA_BASE = 0x1000000;
/** 8-byte slots: x0..x30, sp, nzcv, fpcr, fpsr, padding, then v0..v31 as (lo, hi) pairs. */
export const SLOT = { x: 0, sp: 31, nzcv: 32, fpcr: 33, fpsr: 34, v: 36 } as const;
export const SLOTS = 100;
const REGS_BYTES = SLOTS * 8;
/** Bytes each sequence writes: its scratch buffer, then its out slots. */
export const DUMP_BYTES = SCRATCH_SIZE + REGS_BYTES;
const OUT = SCRATCH_HI;
const IN = OUT + REGS_BYTES;
const MEM_INIT = IN + REGS_BYTES;
const COUNTER = MEM_INIT + SCRATCH_SIZE;
const BLOCK_S = -SCRATCH_LO;
const BLOCK_BYTES = BLOCK_S + COUNTER + 16;
/** The most iterations --repeat can ask for (a movz immediate). */
export const MAX_REPEAT = 65535;

const SYS_WRITE = 64;
const SYS_EXIT_GROUP = 94;

export type BatchSequence = Placed<Sequence>;
export type Batch = BatchOf<Sequence>;

export const DEFAULT_GEN: GenOptions = { minLen: 3, maxLen: 20 };

/** The sequence with global index `index` for `seed`, independent of batch boundaries. */
export function sequenceFor(seed: number, index: number, opts: GenOptions = DEFAULT_GEN): Sequence {
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
  const pcOf = () => codeStart + 4 * code.length;
  const emit = (name: string, args: Args = {}) => code.push(encode(name, args));
  // Harness accesses: x0 as the scratch register, x28 as the base.
  const ldrX = (r: number, off: number) => emit('ldr.x.uoff', { rt: r, rn: XB, imm12: off / 8 });
  const strX = (r: number, off: number) => emit('str.x.uoff', { rt: r, rn: XB, imm12: off / 8 });
  const slot = (base: number, k: number) => base + 8 * k;

  seqs.forEach(({ index, seq }, i) => {
    const blk = i * BLOCK_BYTES;
    const s = DATA_BASE + blk + BLOCK_S;
    const at = (offFromS: number) => blk + BLOCK_S + offFromS;
    const setSlot = (k: number, v: bigint) => dv.setBigUint64(at(slot(IN, k)), v, true);
    seq.init.x.forEach((v, r) => setSlot(SLOT.x + r, r === XB ? BigInt(s) : v));
    setSlot(SLOT.sp, BigInt(s + SP_START));
    setSlot(SLOT.nzcv, BigInt(seq.init.nzcv));
    setSlot(SLOT.fpcr, BigInt(seq.init.fpcr));
    setSlot(SLOT.fpsr, BigInt(seq.init.fpsr));
    seq.init.v.forEach((v, k) => setSlot(SLOT.v + k, v));
    data.set(seq.init.mem, at(SCRATCH_LO));
    data.set(seq.init.mem, at(MEM_INIT));

    // Prologue: x28 = S; (loop: scratch reset;) no exclusive monitor; NZCV, FPCR, FPSR, sp,
    // v0..v31, x0..x30.
    emit('movz.x', { rd: XB, imm16: s & 0xffff, hw: 0 });
    emit('movk.x', { rd: XB, imm16: s >>> 16, hw: 1 });
    let loopPc = pcOf();
    if (repeat > 1) {
      emit('movz.x', { rd: 0, imm16: repeat, hw: 0 });
      strX(0, COUNTER);
      loopPc = pcOf();
      for (let off = 0; off < SCRATCH_SIZE; off += 16) {
        emit('ldr.q.uoff', { rt: 0, rn: XB, imm12: (MEM_INIT + off) / 16 });
        emit('str.q.imm9', { rt: 0, rn: XB, imm9: SCRATCH_LO + off });
      }
    }
    emit('clrex');
    for (const [k, sys] of [[SLOT.nzcv, 'msr.nzcv'], [SLOT.fpcr, 'msr.fpcr'], [SLOT.fpsr, 'msr.fpsr']] as const) {
      ldrX(0, slot(IN, k));
      emit(sys, { rt: 0 });
    }
    emit('sub.x.imm', { rd: 31, rn: XB, imm12: -SP_START, sh: 0 });
    for (let r = 0; r < 32; r++) emit('ldr.q.uoff', { rt: r, rn: XB, imm12: slot(IN, SLOT.v + 2 * r) / 16 });
    for (let r = 0; r < 31; r++) if (r !== XB) ldrX(r, slot(IN, SLOT.x + r));

    const seqPc = pcOf();
    const pcs: number[] = [];
    for (const insn of seq.insns) {
      pcs.push(pcOf());
      code.push(insn);
    }

    // Epilogue: store everything (x28 is unchanged), loop, then write scratch and out slots.
    for (let r = 0; r < 31; r++) strX(r, slot(OUT, SLOT.x + r));
    for (const [k, sys] of [[SLOT.nzcv, 'mrs.nzcv'], [SLOT.fpcr, 'mrs.fpcr'], [SLOT.fpsr, 'mrs.fpsr']] as const) {
      emit(sys, { rt: 0 });
      strX(0, slot(OUT, k));
    }
    emit('add.x.imm', { rd: 0, rn: 31, imm12: 0, sh: 0 });
    strX(0, slot(OUT, SLOT.sp));
    for (let r = 0; r < 32; r++) emit('str.q.uoff', { rt: r, rn: XB, imm12: slot(OUT, SLOT.v + 2 * r) / 16 });
    if (repeat > 1) {
      ldrX(0, COUNTER);
      emit('subs.x.imm', { rd: 0, rn: 0, imm12: 1, sh: 0 });
      strX(0, COUNTER);
      emit('b.cond', { bcond: 1, imm19: (loopPc - pcOf()) / 4 }); // b.ne
    }
    emit('movz.x', { rd: 0, imm16: 1, hw: 0 });
    emit('sub.x.imm', { rd: 1, rn: XB, imm12: -SCRATCH_LO, sh: 0 });
    emit('movz.x', { rd: 2, imm16: DUMP_BYTES, hw: 0 });
    emit('movz.x', { rd: 8, imm16: SYS_WRITE, hw: 0 });
    emit('svc', { imm16: 0 });
    out.push({ ...seq, index, pc: seqPc, pcs, s });
  });
  emit('movz.x', { rd: 0, imm16: 0, hw: 0 });
  emit('movz.x', { rd: 8, imm16: SYS_EXIT_GROUP, hw: 0 });
  emit('svc', { imm16: 0 });

  const elf = writeElf({
    machine: EM_AARCH64,
    flags: 0,
    entry: codeStart,
    text: { vaddr: codeStart, bytes: toBytes(code) },
    data: { vaddr: DATA_BASE, bytes: data },
  });
  return { seed, elf, sequences: out, repeat };
}
