// The A64 generator's invariants, checked by walking the instructions it emits: x28 is never
// written, sp stays 16-byte aligned inside the buffer, every access lands inside the scratch
// buffer (aligned where the architecture needs it), exclusive pairs are well-formed, branches
// only skip forward, FPCR/FPSR get only the bits allowed, and the same seed gives the same program.
import { describe, expect, it } from 'vitest';
import { buildBatch } from '../isa.js';
import { sequenceFor } from './batch.js';
import { CLASSES, FPCR_BITS, FPSR_BITS, SCRATCH_HI, SCRATCH_LO, SP_MAX, SP_START, XB } from './generate.js';
import { aarch64 } from './isa.js';
import { OPCODES, encode, fieldViews, type Insn } from './opcodes.js';

const SP = 31;
const M64 = (1n << 64n) - 1n;

interface Walk {
  /** Address of the first instruction and the code's extent, for literal loads. */
  pc?: number;
  codeLo?: number;
  codeHi?: number;
  /** FPCR bits a msr may set. */
  fpcrBits?: number;
}

/** Walk a sequence, tracking registers known to hold S + offset (and constants); list problems. */
function checkSequence(insns: readonly Insn[], w: Walk = {}): string[] {
  const problems: string[] = [];
  const addr = new Map<number, number>([[XB, 0], [SP, SP_START]]);
  const consts = new Map<number, bigint>();
  /** adr results: instruction index the register points at. */
  const code = new Map<number, number>();
  let exclusive: { at: number; bytes: number } | undefined;
  const allowedFpcr = w.fpcrBits ?? (3 << FPCR_BITS.RMODE_SHIFT);
  for (const [i, insn] of insns.entries()) {
    const d = insn.op;
    const a = insn.args;
    const name = d.name;
    const say = (p: string) => problems.push(`${i} ${name}: ${p}`);
    const views = fieldViews(d);
    // Registers written; 31 is sp only in an sp-capable field or as a written-back base.
    const written = d.writes
      .map((f) => (f.endsWith('+1') ? a[f.slice(0, -2)]! + 1 : a[f]!))
      .filter((r, k) => r !== SP || d.writes[k] === 'rn' || /sp$/.test(views[d.writes[k]!] ?? ''));
    if (written.includes(XB)) say('writes x28');
    const spWrite = d.writes.some((f) => f !== 'rn' && a[f] === SP && /sp$/.test(views[f] ?? '')); // rn: a tracked writeback
    if (spWrite && !/^(add|sub)\.x\.imm$/.test(name)) say('writes sp');

    // the access, if any
    const m = d.mem;
    let wb: number | undefined;
    if (m) {
      const bytes = typeof m.bytes === 'number' ? m.bytes : m.bytes(a);
      let at: number | undefined;
      if (m.mode === 'lit') {
        const target = (w.pc ?? 0) + 4 * i + 4 * a.imm19!;
        if (w.codeLo !== undefined && (target < w.codeLo || target + bytes > w.codeHi!)) say('literal outside the code');
      } else {
        const b = addr.get(a.rn!);
        if (b === undefined) say(`base x${a.rn} is not a known buffer address`);
        else {
          const idx = (r: number, option: number): bigint | undefined => {
            const v = consts.get(r);
            if (v === undefined) return undefined;
            if (option === 2) return v & 0xffffffffn;
            if (option === 6) return BigInt.asIntN(32, v);
            return BigInt.asIntN(64, v);
          };
          switch (m.mode) {
            case 'uoff': at = b + a.imm12! * m.scale; break;
            case 'imm9': at = b + a.imm9!; break;
            case 'pre': at = wb = b + a.imm9!; break;
            case 'post': at = b; wb = b + a.imm9!; break;
            case 'pair': at = b + a.imm7! * m.scale; break;
            case 'pairpre': at = wb = b + a.imm7! * m.scale; break;
            case 'pairpost': at = b; wb = b + a.imm7! * m.scale; break;
            case 'base': at = b; break;
            case 'vpost': {
              at = b;
              const inc = a.rm === 31 ? BigInt(bytes) : consts.get(a.rm!);
              wb = inc === undefined ? undefined : b + Number(BigInt.asIntN(64, inc));
              break;
            }
            case 'reg': {
              const v = idx(a.rm!, a.option!);
              if (v === undefined) say(`index x${a.rm} is not a known constant`);
              else at = b + Number(v) * 2 ** (a.S ? m.scale : 0);
              break;
            }
          }
        }
      }
      if (at !== undefined) {
        if (at < SCRATCH_LO || at + bytes > SCRATCH_HI) say(`S${at}..+${bytes} outside the buffer`);
        if (at % m.align !== 0) say(`S${at} misaligned for ${m.align}`);
      }
      if (exclusive && !/^st(l)?x[rp]\./.test(name)) say('memory access inside an exclusive pair');
      if (/^ld(a)?x[rp]\./.test(name) && at !== undefined) exclusive = { at, bytes };
      if (/^st(l)?x[rp]\./.test(name)) {
        if (exclusive && (exclusive.at !== at || exclusive.bytes !== bytes)) say('store-exclusive to another address or size');
        exclusive = undefined;
      }
    }
    if (name === 'clrex') exclusive = undefined;

    // control flow: forward skips only, never over an sp change
    const skipTo = (target: number) => {
      if (target <= i || target > insns.length) say(`branch to ${target} is not forward within the sequence`);
      for (let k = i + 1; k < Math.min(target, insns.length); k++) {
        const o = insns[k]!;
        const ov = fieldViews(o.op);
        if (o.op.writes.some((f) => o.args[f] === SP && (f === 'rn' || /sp$/.test(ov[f] ?? '')))) say('skips an sp change');
      }
    };
    if (/^(b|bl|b\.cond|cb(n)?z\.[xw]|tb(n)?z\.[xw])$/.test(name)) skipTo(i + (a.imm26 ?? a.imm19 ?? a.imm14)!);
    if (name === 'br' || name === 'blr') {
      const t = code.get(a.rn!);
      if (t === undefined) say('indirect branch through an unknown register');
      else skipTo(t);
    }
    if (name === 'msr.fpcr') {
      const v = consts.get(a.rt!);
      if (v === undefined || (v & ~BigInt(allowedFpcr)) !== 0n) say(`FPCR value ${v?.toString(16)} not allowed`);
    }
    if (name === 'msr.fpsr') {
      const v = consts.get(a.rt!);
      if (v === undefined || (v & ~BigInt(FPSR_BITS)) !== 0n) say(`FPSR value ${v?.toString(16)} not allowed`);
    }

    // what is known afterwards: work out new values first, then forget what was written
    const sets: Array<() => void> = [];
    if (/^(add|sub)\.x\.imm$/.test(name) && addr.has(a.rn!) && a.sh === 0) {
      const v = addr.get(a.rn!)! + (name.startsWith('add') ? a.imm12! : -a.imm12!);
      sets.push(() => addr.set(a.rd!, v));
      if (a.rd === SP && (v % 16 !== 0 || v < SCRATCH_LO || v > SP_MAX)) say(`sp at S${v}`);
    }
    const part = BigInt(a.imm16 ?? 0) << BigInt(16 * (a.hw ?? 0));
    if (name === 'movz.x') sets.push(() => consts.set(a.rd!, part));
    if (name === 'movn.x') sets.push(() => consts.set(a.rd!, ~part & M64));
    const old = consts.get(a.rd!);
    if (name === 'movk.x' && old !== undefined) sets.push(() => consts.set(a.rd!, (old & ~(0xffffn << BigInt(16 * a.hw!)) & M64) | part));
    if (name === 'adr') sets.push(() => code.set(a.rd!, i + a.adr! / 4));
    if (d.writes.includes('rn') && wb !== undefined) {
      const v = wb;
      sets.push(() => addr.set(a.rn!, v));
      if (a.rn === SP && (v % 16 !== 0 || v < SCRATCH_LO || v > SP_MAX)) say(`sp at S${v}`);
    } else if (d.writes.includes('rn') && a.rn === SP) say('sp written back to an unknown place');
    for (const r of written) {
      addr.delete(r);
      consts.delete(r);
      code.delete(r);
    }
    for (const set of sets) set();
  }
  return problems;
}

const check = checkSequence;

describe('A64 difftest generator', () => {
  const seqs = Array.from({ length: 2000 }, (_, i) => sequenceFor(99, i));

  it('has a checker that notices broken sequences', () => {
    expect(check([encode('ldr.x.uoff', { rt: 1, rn: XB, imm12: 32 })])).toEqual(['0 ldr.x.uoff: S256..+8 outside the buffer']);
    expect(check([encode('add.x.imm', { rd: XB, rn: XB, imm12: 1, sh: 0 })])).toEqual(['0 add.x.imm: writes x28']);
    expect(check([encode('and.x.imm', { rd: SP, rn: 1, bimm: 0x1000 })])).toEqual(['0 and.x.imm: writes sp']);
    expect(check([encode('add.x.imm', { rd: 5, rn: XB, imm12: 3, sh: 0 }), encode('ldxr.w', { rt: 1, rn: 5 })])).toEqual([
      '1 ldxr.w: S3 misaligned for 4',
    ]);
    expect(check([encode('eor.x.reg', { rd: 5, rn: 5, rm: 5, imm6: 0, stype: 0 }), encode('strb.uoff', { rt: 1, rn: 5, imm12: 0 })])).toEqual([
      '1 strb.uoff: base x5 is not a known buffer address',
    ]);
    expect(check([encode('sub.x.imm', { rd: SP, rn: SP, imm12: 136, sh: 0 })])).toEqual(['0 sub.x.imm: sp at S-264']);
    expect(check([
      encode('ldxr.x', { rt: 1, rn: XB }), encode('str.x.uoff', { rt: 2, rn: XB, imm12: 1 }), encode('stxr.x', { rs: 3, rt: 1, rn: XB }),
    ])).toEqual(['1 str.x.uoff: memory access inside an exclusive pair']);
    expect(check([encode('b.cond', { bcond: 0, imm19: -1 })])).toEqual(['0 b.cond: branch to -1 is not forward within the sequence']);
    expect(check([encode('movz.x', { rd: 3, imm16: 0x0100, hw: 1 }), encode('msr.fpcr', { rt: 3 })])).toEqual([
      '1 msr.fpcr: FPCR value 1000000 not allowed', // FZ: not without the fz-dn switch
    ]);
    expect(check([encode('movn.x', { rd: 2, imm16: 0, hw: 0 }), encode('ldr.x.reg', { rt: 1, rn: XB, rm: 2, option: 3, S: 1 })])).toEqual([]);
    expect(check([encode('movn.x', { rd: 2, imm16: 0, hw: 0 }), encode('ldr.x.reg', { rt: 1, rn: XB, rm: 2, option: 2, S: 1 })])[0]).toMatch(
      /outside the buffer/, // UXTW of -1 is 2^32 - 1
    );
  });

  it('keeps x28 and sp pinned and every access inside the scratch buffer, aligned where needed', () => {
    const problems = seqs.flatMap((s, i) => check(s.insns).map((p) => `sequence ${i}: ${p}`));
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('points literal loads into the batch code', () => {
    const batch = buildBatch(aarch64, 99, 0, 200);
    const codeLo = batch.sequences[0]!.pcs[0]! - 256;
    const last = batch.sequences.at(-1)!;
    const codeHi = last.pcs.at(-1)! + 256;
    const problems = batch.sequences.flatMap((s) => check(s.insns, { pc: s.pc, codeLo, codeHi }).map((p) => `sequence ${s.index}: ${p}`));
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('uses every instruction class and nearly every opcode', () => {
    const classes = new Set(seqs.flatMap((s) => s.classes));
    expect([...classes].sort()).toEqual(CLASSES.map(([, name]) => name).sort());
    const ops = new Set(seqs.flatMap((s) => s.insns.map((i) => i.op.name)));
    const unused = [...OPCODES.keys()].filter((k) => !ops.has(k) && k !== 'svc' && k !== 'nop');
    expect(unused.length, unused.join(' ')).toBeLessThan(40);
  });

  it('sets FPCR to every rounding mode, and FZ/DN only when switched on', () => {
    const modes = new Set<number>();
    for (const s of seqs) {
      modes.add((s.init.fpcr >> FPCR_BITS.RMODE_SHIFT) & 3);
      expect(s.init.fpcr & ~(3 << FPCR_BITS.RMODE_SHIFT)).toBe(0);
      s.insns.forEach((insn, i) => {
        const prev = s.insns[i - 1];
        if (insn.op.name === 'msr.fpcr' && prev?.op.name === 'movz.x') modes.add(((prev.args.imm16! << 16) >> FPCR_BITS.RMODE_SHIFT) & 3);
      });
    }
    expect([...modes].sort()).toEqual([0, 1, 2, 3]);
    const all = Array.from({ length: 300 }, (_, i) => aarch64.sequenceFor(99, i, { minLen: 3, maxLen: 20, with: ['fz-dn', 'ahp'] }));
    const bits = all.reduce((v, s) => v | s.init.fpcr, 0);
    expect(bits).toBe(FPCR_BITS.AHP | FPCR_BITS.DN | FPCR_BITS.FZ | (3 << FPCR_BITS.RMODE_SHIFT));
    const allowed = FPCR_BITS.AHP | FPCR_BITS.DN | FPCR_BITS.FZ | (3 << FPCR_BITS.RMODE_SHIFT);
    expect(all.flatMap((s, i) => check(s.insns, { fpcrBits: allowed }).map((p) => `sequence ${i}: ${p}`)).slice(0, 5)).toEqual([]);
    expect(() => aarch64.sequenceFor(99, 0, { minLen: 3, maxLen: 20, with: ['nonsense'] })).toThrow(/unknown switch/);
  });

  it('is deterministic for a seed, and batches do not depend on their boundaries', () => {
    const a = buildBatch(aarch64, 7, 10, 5);
    const b = buildBatch(aarch64, 7, 10, 5);
    expect(Buffer.from(a.elf).equals(Buffer.from(b.elf))).toBe(true);
    const c = buildBatch(aarch64, 7, 0, 20);
    expect(c.sequences[12]!.insns.map((i) => i.word)).toEqual(a.sequences[2]!.insns.map((i) => i.word));
    expect(buildBatch(aarch64, 8, 10, 5).elf).not.toEqual(a.elf);
  });
});
