// The 32-bit RV64GC encodings: one row per instruction, giving its match/mask bits, where its
// immediate lives, how objdump prints it (plain form and default aliases) and its lifter. This
// table drives decoding (decode.ts), disassembly (disasm.ts) and the tests.
import type { Decoded, Form, ImmKind, InsnDef, LiftFn } from './insn.js';
import { amo, lr, sc } from './lift-atomic.js';
import {
  fbin, fclass, fcmp, fcvtFF, fcvtFromInt, fcvtToInt, fload, fma, fminmax, fmvDX, fmvWX, fmvXD, fmvXW, fsgnj, fsqrt, fstore,
} from './lift-fp.js';
import {
  auipc, branch, cmpRI, cmpRR, jal, jalr, load, lui, opRI, opRIW, opRR, opRRW, shiftRIW, shiftRRW, store,
} from './lift-int.js';
import { div, divw, remw } from './lift-muldiv.js';
import { csr, ebreak, ecall, fence, fenceI, privileged } from './lift-system.js';

/** Major opcodes (bits 6:0). */
export const enum Opc {
  LOAD = 0x03, LOAD_FP = 0x07, MISC_MEM = 0x0f, OP_IMM = 0x13, AUIPC = 0x17, OP_IMM_32 = 0x1b,
  STORE = 0x23, STORE_FP = 0x27, AMO = 0x2f, OP = 0x33, LUI = 0x37, OP_32 = 0x3b,
  MADD = 0x43, MSUB = 0x47, NMSUB = 0x4b, NMADD = 0x4f, OP_FP = 0x53,
  BRANCH = 0x63, JALR = 0x67, JAL = 0x6f, SYSTEM = 0x73,
}

const OPCODE = 0x7f;
const FUNCT3 = 0x7000;
const FUNCT7 = 0xfe000000;
const RS2 = 0x01f00000;
const F3 = (f: number) => f << 12;
const F7 = (f: number) => f << 25;

function def(name: string, match: number, mask: number, imm: ImmKind, fmt: string, lift: LiftFn, extra: Partial<InsnDef> = {}): InsnDef {
  return { name, match: match >>> 0, mask: mask >>> 0, imm, fmt, lift, ...extra };
}
/** An objdump alias form. */
const A = (name: string, fmt: string, when?: (d: Decoded) => boolean): Form => ({ name, fmt, when });

// ---- RV64I
const rType = (name: string, opc: Opc, f3: number, f7: number, lift: LiftFn, alias?: Form[]) =>
  def(name, opc | F3(f3) | F7(f7), OPCODE | FUNCT3 | FUNCT7, 'none', 'd,s,t', lift, { alias });
const iType = (name: string, opc: Opc, f3: number, lift: LiftFn, alias?: Form[]) =>
  def(name, opc | F3(f3), OPCODE | FUNCT3, 'I', 'd,s,j', lift, { alias });
/** slli/srli/srai: 6-bit shamt, funct6 above it. */
const shift64 = (name: string, f3: number, f6: number, lift: LiftFn, alias: string) =>
  def(name, Opc.OP_IMM | F3(f3) | (f6 << 26), OPCODE | FUNCT3 | 0xfc000000, 'shamt6', 'd,s,>', lift, { alias: [A(alias, 'd,s,>')] });
/** slliw/srliw/sraiw: 5-bit shamt; bit 25 set is reserved. */
const shift32 = (name: string, f3: number, f7: number, lift: LiftFn, alias: string) =>
  def(name, Opc.OP_IMM_32 | F3(f3) | F7(f7), OPCODE | FUNCT3 | FUNCT7, 'shamt5', 'd,s,>', lift, { alias: [A(alias, 'd,s,>')] });
const loadI = (name: string, f3: number, lift: LiftFn) => def(name, Opc.LOAD | F3(f3), OPCODE | FUNCT3, 'I', 'd,j(s)', lift);
const storeI = (name: string, f3: number, lift: LiftFn) => def(name, Opc.STORE | F3(f3), OPCODE | FUNCT3, 'S', 't,j(s)', lift);
const bType = (name: string, f3: number, lift: LiftFn, alias: Form[] = []) =>
  def(name, Opc.BRANCH | F3(f3), OPCODE | FUNCT3, 'B', 's,t,p', lift, { alias });

const rd0 = (d: Decoded) => d.rd === 0;
const rs1is0 = (d: Decoded) => d.rs1 === 0;
const rs2is0 = (d: Decoded) => d.rs2 === 0;
const imm0 = (d: Decoded) => d.imm === 0;

const RV64I: InsnDef[] = [
  def('lui', Opc.LUI, OPCODE, 'U', 'd,u', lui),
  def('auipc', Opc.AUIPC, OPCODE, 'U', 'd,u', auipc),
  def('jal', Opc.JAL, OPCODE, 'J', 'd,p', jal, { alias: [A('j', 'p', rd0), A('jal', 'p', (d) => d.rd === 1)] }),
  def('jalr', Opc.JALR, OPCODE | FUNCT3, 'I', 'd,j(s)', jalr, {
    alias: [
      A('ret', '', (d) => d.rd === 0 && d.rs1 === 1 && d.imm === 0),
      A('jr', 's', (d) => d.rd === 0 && d.imm === 0),
      A('jr', 'j(s)', rd0),
      A('jalr', 's', (d) => d.rd === 1 && d.imm === 0),
      A('jalr', 'j(s)', (d) => d.rd === 1),
      A('jalr', 'd,s', imm0),
    ],
  }),
  bType('beq', 0, branch('eq'), [A('beqz', 's,p', rs2is0)]),
  bType('bne', 1, branch('ne'), [A('bnez', 's,p', rs2is0)]),
  bType('blt', 4, branch('lts'), [A('bltz', 's,p', rs2is0), A('bgtz', 't,p', rs1is0)]),
  bType('bge', 5, branch('les', true), [A('blez', 't,p', rs1is0), A('bgez', 's,p', rs2is0)]),
  bType('bltu', 6, branch('ltu')),
  bType('bgeu', 7, branch('leu', true)),
  loadI('lb', 0, load(1, true)), loadI('lh', 1, load(2, true)), loadI('lw', 2, load(4, true)), loadI('ld', 3, load(8, true)),
  loadI('lbu', 4, load(1, false)), loadI('lhu', 5, load(2, false)), loadI('lwu', 6, load(4, false)),
  storeI('sb', 0, store(1)), storeI('sh', 1, store(2)), storeI('sw', 2, store(4)), storeI('sd', 3, store(8)),
  iType('addi', Opc.OP_IMM, 0, opRI('add'), [
    A('nop', '', (d) => d.rd === 0 && d.rs1 === 0 && d.imm === 0), A('li', 'd,j', rs1is0), A('mv', 'd,s', imm0), A('add', 'd,s,j'),
  ]),
  iType('slti', Opc.OP_IMM, 2, cmpRI('lts')),
  iType('sltiu', Opc.OP_IMM, 3, cmpRI('ltu'), [A('seqz', 'd,s', (d) => d.imm === 1)]),
  iType('xori', Opc.OP_IMM, 4, opRI('xor'), [A('not', 'd,s', (d) => d.imm === -1), A('xor', 'd,s,j')]),
  iType('ori', Opc.OP_IMM, 6, opRI('or'), [A('or', 'd,s,j')]),
  iType('andi', Opc.OP_IMM, 7, opRI('and'), [A('and', 'd,s,j')]),
  shift64('slli', 1, 0x00, opRI('shl'), 'sll'),
  shift64('srli', 5, 0x00, opRI('shrl'), 'srl'),
  shift64('srai', 5, 0x10, opRI('shra'), 'sra'),
  rType('add', Opc.OP, 0, 0x00, opRR('add')),
  rType('sub', Opc.OP, 0, 0x20, opRR('sub'), [A('neg', 'd,t', rs1is0)]),
  rType('sll', Opc.OP, 1, 0x00, opRR('shl')),
  rType('slt', Opc.OP, 2, 0x00, cmpRR('lts'), [A('sltz', 'd,s', rs2is0), A('sgtz', 'd,t', rs1is0)]),
  rType('sltu', Opc.OP, 3, 0x00, cmpRR('ltu'), [A('snez', 'd,t', rs1is0)]),
  rType('xor', Opc.OP, 4, 0x00, opRR('xor')),
  rType('srl', Opc.OP, 5, 0x00, opRR('shrl')),
  rType('sra', Opc.OP, 5, 0x20, opRR('shra')),
  rType('or', Opc.OP, 6, 0x00, opRR('or')),
  rType('and', Opc.OP, 7, 0x00, opRR('and')),
  iType('addiw', Opc.OP_IMM_32, 0, opRIW('add'), [A('sext.w', 'd,s', imm0), A('addw', 'd,s,j')]),
  shift32('slliw', 1, 0x00, shiftRIW('shl'), 'sllw'),
  shift32('srliw', 5, 0x00, shiftRIW('shrl'), 'srlw'),
  shift32('sraiw', 5, 0x20, shiftRIW('shra'), 'sraw'),
  rType('addw', Opc.OP_32, 0, 0x00, opRRW('add')),
  rType('subw', Opc.OP_32, 0, 0x20, opRRW('sub'), [A('negw', 'd,t', rs1is0)]),
  rType('sllw', Opc.OP_32, 1, 0x00, shiftRRW('shl')),
  rType('srlw', Opc.OP_32, 5, 0x00, shiftRRW('shrl')),
  rType('sraw', Opc.OP_32, 5, 0x20, shiftRRW('shra')),
  // fence: the hardware ignores fm (except as fence.tso), rs1 and rd; objdump knows only the
  // standard encodings.
  def('fence', Opc.MISC_MEM | F3(0), OPCODE | FUNCT3, 'none', 'P,Q', fence, {
    strict: (w) => (w & 0xf00f8f80) === 0 || w === 0x8330000f,
    alias: [A('fence.tso', '', (d) => d.raw >>> 28 === 8), A('fence', '', (d) => ((d.raw >>> 20) & 0xff) === 0xff)],
  }),
  def('fence.i', Opc.MISC_MEM | F3(1), OPCODE | FUNCT3, 'none', '', fenceI, { strict: (w) => w === 0x100f }),
  def('ecall', 0x00000073, 0xffffffff, 'none', '', ecall),
  def('ebreak', 0x00100073, 0xffffffff, 'none', '', ebreak),
];

// ---- M
const RV64M: InsnDef[] = [
  rType('mul', Opc.OP, 0, 0x01, opRR('mul')),
  rType('mulh', Opc.OP, 1, 0x01, opRR('mulhs')),
  rType('mulhsu', Opc.OP, 2, 0x01, opRR('mulhsu')),
  rType('mulhu', Opc.OP, 3, 0x01, opRR('mulhu')),
  rType('div', Opc.OP, 4, 0x01, div(true)),
  rType('divu', Opc.OP, 5, 0x01, div(false)),
  rType('rem', Opc.OP, 6, 0x01, opRR('rems')),
  rType('remu', Opc.OP, 7, 0x01, opRR('remu')),
  rType('mulw', Opc.OP_32, 0, 0x01, opRRW('mul')),
  rType('divw', Opc.OP_32, 4, 0x01, divw(true)),
  rType('divuw', Opc.OP_32, 5, 0x01, divw(false)),
  rType('remw', Opc.OP_32, 6, 0x01, remw(true)),
  rType('remuw', Opc.OP_32, 7, 0x01, remw(false)),
];

// ---- A: funct5 in bits 31:27, aq/rl in 26:25 (any), width in funct3.
const AMO_MASK = OPCODE | FUNCT3 | 0xf8000000;
const amoDefs = (w: 'w' | 'd', f3: number, size: 4 | 8): InsnDef[] => [
  def(`lr.${w}`, Opc.AMO | F3(f3) | (0x02 << 27), AMO_MASK | RS2, 'none', 'd,(s)', lr(size), { aqrl: true }),
  def(`sc.${w}`, Opc.AMO | F3(f3) | (0x03 << 27), AMO_MASK, 'none', 'd,t,(s)', sc(size), { aqrl: true }),
  ...([
    ['amoswap', 0x01, 'swap'], ['amoadd', 0x00, 'add'], ['amoxor', 0x04, 'xor'], ['amoand', 0x0c, 'and'],
    ['amoor', 0x08, 'or'], ['amomin', 0x10, 'mins'], ['amomax', 0x14, 'maxs'], ['amominu', 0x18, 'minu'],
    ['amomaxu', 0x1c, 'maxu'],
  ] as const).map(([name, f5, fn]) =>
    def(`${name}.${w}`, Opc.AMO | F3(f3) | (f5 << 27), AMO_MASK, 'none', 'd,t,(s)', amo(fn, size), { aqrl: true })),
];
const RV64A: InsnDef[] = [...amoDefs('w', 2, 4), ...amoDefs('d', 3, 8)];

// ---- F and D. fmt field (bits 26:25): 0 single, 1 double.
type P = 's' | 'd';
const FMT = { s: 0, d: 1 } as const;
const FLOAT = { s: 'f32', d: 'f64' } as const;
/** An OP-FP row: funct7 = f5<<2 | fmt; optionally fixed rs2 and funct3 fields. */
const fp = (name: string, f5: number, p: P, fmt: string, lift: LiftFn, o: { rs2?: number; f3?: number; alias?: Form[]; strictRm0?: boolean } = {}) =>
  def(
    name,
    Opc.OP_FP | F7((f5 << 2) | FMT[p]) | ((o.rs2 ?? 0) << 20) | F3(o.f3 ?? 0),
    OPCODE | FUNCT7 | (o.rs2 !== undefined ? RS2 : 0) | (o.f3 !== undefined ? FUNCT3 : 0),
    'none', fmt, lift,
    {
      rm: o.f3 === undefined, alias: o.alias,
      // int32 → double and single → double are exact: objdump only knows them with rm = 0
      strict: o.strictRm0 ? (w) => (w & FUNCT3) === 0 : undefined,
    },
  );
const R4 = (name: string, opc: Opc, p: P, neg: [boolean, boolean]) =>
  def(`${name}.${p}`, opc | F7(FMT[p]), OPCODE | (3 << 25), 'none', 'D,S,T,Rm', fma(FLOAT[p], ...neg), { rm: true });

function fpDefs(p: P): InsnDef[] {
  const f = FLOAT[p];
  const same = (d: Decoded) => d.rs1 === d.rs2;
  const toInt = (['w', 'wu', 'l', 'lu'] as const).map((t, i) =>
    fp(`fcvt.${t}.${p}`, 0x18, p, 'd,Sm', fcvtToInt(f, t[0] === 'w' ? 'i32' : 'i64', t.length === 1), { rs2: i }));
  const fromInt = (['w', 'wu', 'l', 'lu'] as const).map((t, i) => {
    const exact = p === 'd' && t[0] === 'w';
    return fp(`fcvt.${p}.${t}`, 0x1a, p, exact ? 'D,s' : 'D,sm', fcvtFromInt(f, t[0] === 'w' ? 'i32' : 'i64', t.length === 1), { rs2: i, strictRm0: exact });
  });
  return [
    def(p === 's' ? 'flw' : 'fld', Opc.LOAD_FP | F3(p === 's' ? 2 : 3), OPCODE | FUNCT3, 'I', 'D,j(s)', fload(p === 's' ? 4 : 8)),
    def(p === 's' ? 'fsw' : 'fsd', Opc.STORE_FP | F3(p === 's' ? 2 : 3), OPCODE | FUNCT3, 'S', 'T,j(s)', fstore(p === 's' ? 4 : 8)),
    R4('fmadd', Opc.MADD, p, [false, false]),
    R4('fmsub', Opc.MSUB, p, [false, true]),
    R4('fnmsub', Opc.NMSUB, p, [true, false]),
    R4('fnmadd', Opc.NMADD, p, [true, true]),
    fp(`fadd.${p}`, 0x00, p, 'D,S,Tm', fbin('add', f)),
    fp(`fsub.${p}`, 0x01, p, 'D,S,Tm', fbin('sub', f)),
    fp(`fmul.${p}`, 0x02, p, 'D,S,Tm', fbin('mul', f)),
    fp(`fdiv.${p}`, 0x03, p, 'D,S,Tm', fbin('div', f)),
    fp(`fsqrt.${p}`, 0x0b, p, 'D,Sm', fsqrt(f), { rs2: 0 }),
    fp(`fsgnj.${p}`, 0x04, p, 'D,S,T', fsgnj('j', f), { f3: 0, alias: [A(`fmv.${p}`, 'D,S', same)] }),
    fp(`fsgnjn.${p}`, 0x04, p, 'D,S,T', fsgnj('n', f), { f3: 1, alias: [A(`fneg.${p}`, 'D,S', same)] }),
    fp(`fsgnjx.${p}`, 0x04, p, 'D,S,T', fsgnj('x', f), { f3: 2, alias: [A(`fabs.${p}`, 'D,S', same)] }),
    fp(`fmin.${p}`, 0x05, p, 'D,S,T', fminmax('minnum', f), { f3: 0 }),
    fp(`fmax.${p}`, 0x05, p, 'D,S,T', fminmax('maxnum', f), { f3: 1 }),
    p === 's'
      ? fp('fcvt.s.d', 0x08, 's', 'D,Sm', fcvtFF('f64', 'f32'), { rs2: 1 })
      : fp('fcvt.d.s', 0x08, 'd', 'D,S', fcvtFF('f32', 'f64'), { rs2: 0, strictRm0: true }),
    fp(`feq.${p}`, 0x14, p, 'd,S,T', fcmp('eq', f), { f3: 2 }),
    fp(`flt.${p}`, 0x14, p, 'd,S,T', fcmp('lt', f), { f3: 1 }),
    fp(`fle.${p}`, 0x14, p, 'd,S,T', fcmp('le', f), { f3: 0 }),
    ...toInt,
    ...fromInt,
    fp(p === 's' ? 'fmv.x.w' : 'fmv.x.d', 0x1c, p, 'd,S', p === 's' ? fmvXW : fmvXD, { rs2: 0, f3: 0 }),
    fp(`fclass.${p}`, 0x1c, p, 'd,S', fclass(f), { rs2: 0, f3: 1 }),
    fp(p === 's' ? 'fmv.w.x' : 'fmv.d.x', 0x1e, p, 'D,s', p === 's' ? fmvWX : fmvDX, { rs2: 0, f3: 0 }),
  ];
}

// ---- Zicsr. objdump prints the immediate forms under the register forms' names.
const csrDef = (name: string, f3: number, lift: LiftFn, alias: Form[]) =>
  def(name, Opc.SYSTEM | F3(f3), OPCODE | FUNCT3, 'csr', f3 >= 5 ? 'd,E,Z' : 'd,E,s', lift, { alias });
const csrIs = (n: number) => (d: Decoded) => d.imm === n;
const csrRead = (name: string, n: number) => A(name, 'd', (d) => d.imm === n && d.rs1 === 0);
const fpCsrWrite = (name: string, n: number, fmt = 's') => [A(name, fmt, (d) => d.imm === n && d.rd === 0), A(name, `d,${fmt}`, csrIs(n))];
const ZICSR: InsnDef[] = [
  csrDef('csrrw', 1, csr('w', false), [
    A('unimp', '', (d) => d.raw === 0xc0001073), // csrrw x0, cycle, x0: the canonical illegal instruction
    ...fpCsrWrite('fscsr', 3), ...fpCsrWrite('fsrm', 2), ...fpCsrWrite('fsflags', 1), A('csrw', 'E,s', rd0),
  ]),
  csrDef('csrrs', 2, csr('s', false), [
    csrRead('frcsr', 3), csrRead('frrm', 2), csrRead('frflags', 1),
    csrRead('rdcycle', 0xc00), csrRead('rdtime', 0xc01), csrRead('rdinstret', 0xc02),
    A('csrr', 'd,E', rs1is0), A('csrs', 'E,s', rd0),
  ]),
  csrDef('csrrc', 3, csr('c', false), [A('csrc', 'E,s', rd0)]),
  csrDef('csrrwi', 5, csr('w', true), [
    A('fsrmi', 'd,Z', csrIs(2)), A('fsflagsi', 'd,Z', csrIs(1)), A('csrw', 'E,Z', rd0), A('csrrw', 'd,E,Z'),
  ]),
  csrDef('csrrsi', 6, csr('s', true), [A('csrs', 'E,Z', rd0), A('csrrs', 'd,E,Z')]),
  csrDef('csrrci', 7, csr('c', true), [A('csrc', 'E,Z', rd0), A('csrrc', 'd,E,Z')]),
];

// ---- privileged instructions objdump knows: SIGILL in user mode, listed for disassembly.
const priv = (name: string, match: number) => def(name, match, 0xffffffff, 'none', '', privileged, { privileged: true });
const PRIVILEGED: InsnDef[] = [
  priv('uret', 0x00200073), priv('sret', 0x10200073), priv('hret', 0x20200073), priv('mret', 0x30200073),
  priv('dret', 0x7b200073), priv('wfi', 0x10500073),
  def('sfence.vma', 0x12000073, 0xfe007fff, 'none', 's,t', privileged, {
    privileged: true,
    alias: [A('sfence.vma', '', (d) => d.rs1 === 0 && d.rs2 === 0), A('sfence.vma', 's', rs2is0)],
  }),
];

export const TABLE32: readonly InsnDef[] = [...RV64I, ...RV64M, ...RV64A, ...fpDefs('s'), ...fpDefs('d'), ...ZICSR, ...PRIVILEGED];

/** Rows by plain mnemonic, for the compressed expansions. */
export const DEF: Readonly<Record<string, InsnDef>> = Object.fromEntries(TABLE32.map((d) => [d.name, d]));
