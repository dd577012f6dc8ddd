// The generator's invariants, checked by walking the instructions it emits: the pinned registers
// stay pinned, every memory access is aligned and inside the scratch buffer, and the same seed
// gives the same program.
import { describe, expect, it } from 'vitest';
import { encode, type Insn } from './encode.js';
import { buildBatch } from '../isa.js';
import { sequenceFor } from './batch.js';
import { riscv64 } from './isa.js';
import { CLASSES, S0, SCRATCH_HI, SCRATCH_LO, SP, SP_START } from './generate.js';

/** Ops whose first compressed register (rs1') is also the destination. */
const RS1P_IS_DEST = /^c\.(srli|srai|andi|sub|xor|or|and|subw|addw)$/;
const WIDTH: Record<string, number> = { b: 1, h: 2, w: 4, d: 8 };

/** Byte width of a memory access, or 0 if the instruction does not access memory. */
function accessWidth(name: string): number {
  if (/^(lr|sc|amo\w+)\.[wd]$/.test(name)) return WIDTH[name.slice(-1)]!;
  const m = /^(?:c\.)?f?(?:l|s)([bhwd])u?(?:sp)?$/.exec(name);
  return m ? WIDTH[m[1]!]! : 0;
}

/** The integer registers an instruction writes. */
function intDests(insn: Insn): number[] {
  const { name } = insn.op;
  const a = insn.args;
  if (name === 'c.addi16sp') return [SP];
  const out: number[] = [];
  for (const key of ['rd', 'crd', 'crd_lui', 'crdp']) if (a[key] !== undefined && !/^f(s|l)/.test(name)) out.push(a[key]!);
  if (a.crs1p !== undefined && RS1P_IS_DEST.test(name)) out.push(a.crs1p);
  return out;
}

/** Walk a sequence tracking registers known to hold S + offset; check every access. */
function checkSequence(insns: readonly Insn[], origins: readonly string[] = []): string[] {
  const problems: string[] = [];
  const known = new Map<number, number>([[S0, 0], [SP, SP_START]]);
  for (const [k, insn] of insns.entries()) {
    const { name } = insn.op;
    const a = insn.args;
    const width = accessWidth(name);
    if (width) {
      let base: number | undefined;
      let off = 0;
      if (a.rs1 !== undefined) [base, off] = [a.rs1, a.imm12 ?? a.simm12 ?? 0];
      else if (a.crs1p !== undefined) [base, off] = [a.crs1p, a.c_lw_imm ?? a.c_ld_imm ?? 0];
      else [base, off] = [SP, a.c_lwsp_imm ?? a.c_ldsp_imm ?? a.c_swsp_imm ?? a.c_sdsp_imm ?? 0];
      const b = known.get(base);
      if (b === undefined) problems.push(`${name}: base x${base} is not a known buffer address`);
      else {
        const addr = b + off;
        if (addr < SCRATCH_LO || addr + width > SCRATCH_HI) problems.push(`${name}: S${addr} outside the buffer`);
        const isAtomic = /^(lr|sc|amo)/.test(name);
        if (addr % width !== 0 && (origins[k] !== 'misaligned' || isAtomic)) problems.push(`${name}: S${addr} misaligned`);
        if (addr % width === 0 && origins[k] === 'misaligned') problems.push(`${name}: S${addr} meant to be misaligned`);
      }
    }
    const dests = intDests(insn);
    if (name !== 'c.addi16sp' && (dests.includes(SP) || dests.includes(S0))) problems.push(`${name} writes sp or s0`);
    // Update what is known: base computations keep an address, anything else forgets it.
    let next: number | undefined;
    if (name === 'addi' && known.has(a.rs1!)) next = known.get(a.rs1!)! + a.imm12!;
    if (name === 'c.addi4spn') next = known.get(SP)! + a.c_addi4spn_imm!;
    if (name === 'c.addi16sp') known.set(SP, known.get(SP)! + a.c_addi16sp_imm!);
    for (const d of dests) if (name !== 'c.addi16sp') known.delete(d);
    if (next !== undefined && dests[0] !== undefined && dests[0] !== 0) known.set(dests[0], next);
  }
  return problems;
}

describe('difftest generator', () => {
  const seqs = Array.from({ length: 1500 }, (_, i) => sequenceFor(99, i));

  it('has a checker that notices broken sequences', () => {
    expect(checkSequence([encode('ld', { rd: 1, rs1: S0, imm12: 256 })])).toEqual(['ld: S256 outside the buffer']);
    expect(checkSequence([encode('lw', { rd: 1, rs1: S0, imm12: 2 })])).toEqual(['lw: S2 misaligned']);
    expect(checkSequence([encode('c.addi', { crd: S0, c_nzimm6: 1 })])).toEqual(['c.addi writes sp or s0']);
    expect(
      checkSequence([encode('addi', { rd: 5, rs1: S0, imm12: 8 }), encode('xori', { rd: 5, rs1: 5, imm12: 1 }), encode('sd', { rs2: 1, rs1: 5, simm12: 0 })]),
    ).toEqual(['sd: base x5 is not a known buffer address']);
    expect(checkSequence([encode('c.addi16sp', { c_addi16sp_imm: -16 }), encode('c.ldsp', { crd: 1, c_ldsp_imm: 0 })])).toEqual([
      'c.ldsp: S-272 outside the buffer',
    ]);
  });

  it('keeps s0 and sp pinned and every access inside the scratch buffer, aligned unless meant not to be', () => {
    const problems = seqs.flatMap((s, i) => checkSequence(s.insns, s.origins).map((p) => `sequence ${i}: ${p}`));
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('uses every instruction class and the whole non-branching C set', () => {
    const classes = new Set(seqs.flatMap((s) => s.classes));
    expect([...classes].sort()).toEqual(CLASSES.map(([, name]) => name).sort());
    const ops = new Set(seqs.flatMap((s) => s.insns.map((i) => i.op.name)));
    for (const c of ['c.addi4spn', 'c.fld', 'c.lw', 'c.ld', 'c.fsd', 'c.sw', 'c.sd', 'c.nop', 'c.addi', 'c.addiw', 'c.li',
      'c.addi16sp', 'c.lui', 'c.srli', 'c.srai', 'c.andi', 'c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw',
      'c.slli', 'c.fldsp', 'c.lwsp', 'c.ldsp', 'c.mv', 'c.add', 'c.fsdsp', 'c.swsp', 'c.sdsp'])
      expect(ops.has(c), c).toBe(true);
  });

  it('uses every static rounding mode and dyn', () => {
    const rms = new Set(seqs.flatMap((s) => s.insns.map((i) => i.args.rm).filter((v) => v !== undefined)));
    expect([...rms].sort()).toEqual([0, 1, 2, 3, 4, 7]);
  });

  it('is deterministic for a seed, and batches do not depend on their boundaries', () => {
    const a = buildBatch(riscv64, 7, 10, 5);
    const b = buildBatch(riscv64, 7, 10, 5);
    expect(Buffer.from(a.elf).equals(Buffer.from(b.elf))).toBe(true);
    const c = buildBatch(riscv64, 7, 0, 20);
    expect(c.sequences[12]!.insns.map((i) => i.word)).toEqual(a.sequences[2]!.insns.map((i) => i.word));
    expect(buildBatch(riscv64, 8, 10, 5).elf).not.toEqual(a.elf);
  });
});
