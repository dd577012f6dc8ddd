// The compressed (C) encodings of RV64GC. Each row expands into the 32-bit row it stands for, so it
// lifts exactly like that instruction (with len 2: link registers get pc+2), and says how objdump
// prints it — mostly as the expansion's alias, with a "c." name for the HINT encodings.
import type { CDef, Decoded, Form, InsnDef } from './insn.js';
import { DEF } from './table32.js';

/** Bits hi..lo of h, moved down to bit `to`. */
const bits = (h: number, hi: number, lo: number, to: number) => ((h >>> lo) & ((1 << (hi - lo + 1)) - 1)) << to;
/** A 3-bit register field (x8–x15). */
const r3 = (h: number, lo: number) => ((h >>> lo) & 7) + 8;
const rdFull = (h: number) => (h >>> 7) & 31;
const rs2Full = (h: number) => (h >>> 2) & 31;
/** 6-bit CI immediate (bit 12 is the sign). */
const ciImm = (h: number) => ((bits(h, 12, 12, 5) | bits(h, 6, 2, 0)) << 26) >> 26;
const shamt = (h: number) => bits(h, 12, 12, 5) | bits(h, 6, 2, 0);

// Offsets of the load/store forms.
const lwOff = (h: number) => bits(h, 12, 10, 3) | bits(h, 6, 6, 2) | bits(h, 5, 5, 6);
const ldOff = (h: number) => bits(h, 12, 10, 3) | bits(h, 6, 5, 6);
const lwspOff = (h: number) => bits(h, 12, 12, 5) | bits(h, 6, 4, 2) | bits(h, 3, 2, 6);
const ldspOff = (h: number) => bits(h, 12, 12, 5) | bits(h, 6, 5, 3) | bits(h, 4, 2, 6);
const swspOff = (h: number) => bits(h, 12, 9, 2) | bits(h, 8, 7, 6);
const sdspOff = (h: number) => bits(h, 12, 10, 3) | bits(h, 9, 7, 6);
const addi4spnImm = (h: number) => bits(h, 12, 11, 4) | bits(h, 10, 7, 6) | bits(h, 6, 6, 2) | bits(h, 5, 5, 3);
const addi16spImm = (h: number) =>
  ((bits(h, 12, 12, 9) | bits(h, 6, 6, 4) | bits(h, 5, 5, 6) | bits(h, 4, 3, 7) | bits(h, 2, 2, 5)) << 22) >> 22;
const jOff = (h: number) =>
  ((bits(h, 12, 12, 11) | bits(h, 11, 11, 4) | bits(h, 10, 9, 8) | bits(h, 8, 8, 10) | bits(h, 7, 7, 6) |
    bits(h, 6, 6, 7) | bits(h, 5, 3, 1) | bits(h, 2, 2, 5)) << 20) >> 20;
const bOff = (h: number) =>
  ((bits(h, 12, 12, 8) | bits(h, 11, 10, 3) | bits(h, 6, 5, 6) | bits(h, 4, 3, 1) | bits(h, 2, 2, 5)) << 23) >> 23;

/** Fill the operands of the expansion. */
function set(d: Decoded, def: InsnDef, rd: number, rs1: number, rs2: number, imm: number): true {
  d.def = def;
  d.rd = rd;
  d.rs1 = rs1;
  d.rs2 = rs2;
  d.imm = imm;
  return true;
}

const F = (name: string, fmt: string, when?: (d: Decoded) => boolean): Form => ({ name, fmt, when });
const rdNot0 = (d: Decoded) => d.rd !== 0;
/** quadrant (bits 1:0) and funct3 (bits 15:13) */
const QF = (q: number, f3: number) => (f3 << 13) | q;
const QF_MASK = 0xe003;

function c(name: string, match: number, mask: number, expand: CDef['expand'], dis: Form[]): CDef {
  return { name, match, mask, expand, dis };
}

// Quadrant 0: stack-pointer-based addi, and loads/stores through x8–x15.
const Q0: CDef[] = [
  c('c.addi4spn', QF(0, 0), QF_MASK, (h, d) => {
    const imm = addi4spnImm(h);
    return imm !== 0 && set(d, DEF.addi, r3(h, 2), 2, 0, imm);
  }, [F('add', 'd,s,j')]),
  c('c.fld', QF(0, 1), QF_MASK, (h, d) => set(d, DEF.fld, r3(h, 2), r3(h, 7), 0, ldOff(h)), [F('fld', 'D,j(s)')]),
  c('c.lw', QF(0, 2), QF_MASK, (h, d) => set(d, DEF.lw, r3(h, 2), r3(h, 7), 0, lwOff(h)), [F('lw', 'd,j(s)')]),
  c('c.ld', QF(0, 3), QF_MASK, (h, d) => set(d, DEF.ld, r3(h, 2), r3(h, 7), 0, ldOff(h)), [F('ld', 'd,j(s)')]),
  c('c.fsd', QF(0, 5), QF_MASK, (h, d) => set(d, DEF.fsd, 0, r3(h, 7), r3(h, 2), ldOff(h)), [F('fsd', 'T,j(s)')]),
  c('c.sw', QF(0, 6), QF_MASK, (h, d) => set(d, DEF.sw, 0, r3(h, 7), r3(h, 2), lwOff(h)), [F('sw', 't,j(s)')]),
  c('c.sd', QF(0, 7), QF_MASK, (h, d) => set(d, DEF.sd, 0, r3(h, 7), r3(h, 2), ldOff(h)), [F('sd', 't,j(s)')]),
];

// Quadrant 1: immediates, arithmetic on x8–x15, jumps and branches.
const ARITH_MASK = 0xfc63; // funct3, bit 12, funct2 (11:10), funct2 (6:5), quadrant
const arith = (name: string, b12: number, f2: number, op: string, plain: string): CDef =>
  c(name, QF(1, 4) | (b12 << 12) | (3 << 10) | (f2 << 5), ARITH_MASK,
    (h, d) => set(d, DEF[op], r3(h, 7), r3(h, 7), r3(h, 2), 0), [F(plain, 'd,s,t')]);
const shiftImm = (name: string, f2: number, op: string, plain: string): CDef =>
  c(name, QF(1, 4) | (f2 << 10), QF_MASK | (3 << 10), (h, d) => set(d, DEF[op], r3(h, 7), r3(h, 7), 0, shamt(h)),
    [F(plain, 'd,s,>', (d) => d.imm !== 0), F(`${name}64`, 'd')]);

const Q1: CDef[] = [
  // c.nop is c.addi x0; rd = 0 with an immediate, and rd ≠ 0 with 0, are HINTs (no-ops).
  c('c.addi', QF(1, 0), QF_MASK, (h, d) => set(d, DEF.addi, rdFull(h), rdFull(h), 0, ciImm(h)),
    [F('nop', '', (d) => d.rd === 0 && d.imm === 0), F('c.nop', 'j', (d) => d.rd === 0), F('add', 'd,s,j')]),
  c('c.addiw', QF(1, 1), QF_MASK, (h, d) => rdFull(h) !== 0 && set(d, DEF.addiw, rdFull(h), rdFull(h), 0, ciImm(h)),
    [F('sext.w', 'd,s', (d) => d.imm === 0), F('addw', 'd,s,j')]),
  c('c.li', QF(1, 2), QF_MASK, (h, d) => set(d, DEF.addi, rdFull(h), 0, 0, ciImm(h)), [F('li', 'd,j', rdNot0), F('c.li', 'd,j')]),
  // funct3 011: c.addi16sp when rd = sp, else c.lui; a zero immediate is reserved for both, but
  // objdump still prints c.addi16sp with 0.
  c('c.addi16sp', QF(1, 3) | (2 << 7), QF_MASK | (31 << 7), (h, d) => {
    set(d, DEF.addi, 2, 2, 0, addi16spImm(h));
    d.reserved = d.imm === 0;
    return true;
  }, [F('add', 'd,s,j')]),
  c('c.lui', QF(1, 3), QF_MASK, (h, d) => ciImm(h) !== 0 && set(d, DEF.lui, rdFull(h), 0, 0, ciImm(h) << 12),
    [F('lui', 'd,u', rdNot0), F('c.lui', 'd,u')]),
  shiftImm('c.srli', 0, 'srli', 'srl'),
  shiftImm('c.srai', 1, 'srai', 'sra'),
  c('c.andi', QF(1, 4) | (2 << 10), QF_MASK | (3 << 10), (h, d) => set(d, DEF.andi, r3(h, 7), r3(h, 7), 0, ciImm(h)), [F('and', 'd,s,j')]),
  arith('c.sub', 0, 0, 'sub', 'sub'),
  arith('c.xor', 0, 1, 'xor', 'xor'),
  arith('c.or', 0, 2, 'or', 'or'),
  arith('c.and', 0, 3, 'and', 'and'),
  arith('c.subw', 1, 0, 'subw', 'subw'),
  arith('c.addw', 1, 1, 'addw', 'addw'),
  c('c.j', QF(1, 5), QF_MASK, (h, d) => set(d, DEF.jal, 0, 0, 0, jOff(h)), [F('j', 'p')]),
  c('c.beqz', QF(1, 6), QF_MASK, (h, d) => set(d, DEF.beq, 0, r3(h, 7), 0, bOff(h)), [F('beqz', 's,p')]),
  c('c.bnez', QF(1, 7), QF_MASK, (h, d) => set(d, DEF.bne, 0, r3(h, 7), 0, bOff(h)), [F('bnez', 's,p')]),
];

// Quadrant 2: sp-based loads/stores, full-register moves and jumps.
const Q2: CDef[] = [
  c('c.slli', QF(2, 0), QF_MASK, (h, d) => set(d, DEF.slli, rdFull(h), rdFull(h), 0, shamt(h)),
    [F('c.slli64', 'd', (d) => d.imm === 0), F('sll', 'd,s,>', rdNot0), F('c.slli', 'd,>')]),
  c('c.fldsp', QF(2, 1), QF_MASK, (h, d) => set(d, DEF.fld, rdFull(h), 2, 0, ldspOff(h)), [F('fld', 'D,j(s)')]),
  c('c.lwsp', QF(2, 2), QF_MASK, (h, d) => rdFull(h) !== 0 && set(d, DEF.lw, rdFull(h), 2, 0, lwspOff(h)), [F('lw', 'd,j(s)')]),
  c('c.ldsp', QF(2, 3), QF_MASK, (h, d) => rdFull(h) !== 0 && set(d, DEF.ld, rdFull(h), 2, 0, ldspOff(h)), [F('ld', 'd,j(s)')]),
  // funct3 100: bit 12 and whether rs2 is zero pick jr / mv / ebreak / jalr / add.
  c('c.jr', QF(2, 4), QF_MASK | 0x107c, (h, d) => rdFull(h) !== 0 && set(d, DEF.jalr, 0, rdFull(h), 0, 0),
    [F('ret', '', (d) => d.rs1 === 1), F('jr', 's')]),
  c('c.mv', QF(2, 4), QF_MASK | 0x1000, (h, d) => set(d, DEF.add, rdFull(h), 0, rs2Full(h), 0),
    [F('mv', 'd,t', rdNot0), F('c.mv', 'd,t')]),
  c('c.ebreak', QF(2, 4) | 0x1000, 0xffff, (_h, d) => set(d, DEF.ebreak, 0, 0, 0, 0), [F('ebreak', '')]),
  c('c.jalr', QF(2, 4) | 0x1000, QF_MASK | 0x107c, (h, d) => set(d, DEF.jalr, 1, rdFull(h), 0, 0), [F('jalr', 's')]),
  c('c.add', QF(2, 4) | 0x1000, QF_MASK | 0x1000, (h, d) => set(d, DEF.add, rdFull(h), rdFull(h), rs2Full(h), 0),
    [F('add', 'd,s,t', rdNot0), F('c.add', 'd,t')]),
  c('c.fsdsp', QF(2, 5), QF_MASK, (h, d) => set(d, DEF.fsd, 0, 2, rs2Full(h), sdspOff(h)), [F('fsd', 'T,j(s)')]),
  c('c.swsp', QF(2, 6), QF_MASK, (h, d) => set(d, DEF.sw, 0, 2, rs2Full(h), swspOff(h)), [F('sw', 't,j(s)')]),
  c('c.sdsp', QF(2, 7), QF_MASK, (h, d) => set(d, DEF.sd, 0, 2, rs2Full(h), sdspOff(h)), [F('sd', 't,j(s)')]),
];

/** In table order: within one quadrant/funct3 slot the more specific rows come first. */
export const TABLE16: readonly CDef[] = [...Q0, ...Q1, ...Q2];
