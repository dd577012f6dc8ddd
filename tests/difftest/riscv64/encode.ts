// Our own RV64GC instruction encoder for the differential tester. One table of opcodes (match bits
// plus an operand syntax) drives both encoding and the text we expect objdump to print for it
// (`objdump -M no-aliases,numeric`), so the encoder can be checked against binutils.
//
// Independent of the engine's decoder on purpose: a shared table would hide shared mistakes.

/** How one operand is placed into the instruction word and how objdump prints it. */
interface Field {
  /** The encodable values: lo..hi in steps of align, minus the excluded ones. */
  readonly lo: number;
  readonly hi: number;
  readonly align: number;
  readonly exclude: readonly number[];
  bits(v: number): number;
  /** Text as objdump prints it; pc is the instruction's address (for branch targets). */
  text(v: number, pc: number): string;
}

const xreg = (v: number) => `x${v}`;
const freg = (v: number) => `f${v}`;
const dec = (v: number) => String(v);
const hex = (v: number) => `0x${v.toString(16)}`;
/** Bit b of v (v may be negative; two's complement). */
const bit = (v: number, b: number) => (v >> b) & 1;
/** Bits hi..lo of v, shifted down. */
const bitsOf = (v: number, hi: number, lo: number) => (v >> lo) & ((1 << (hi - lo + 1)) - 1);

const ROUNDING = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'rm5', 'rm6', 'dyn'] as const;
/** The rounding-mode field values that are valid instructions (5 and 6 are reserved). */
export const RM_VALUES: readonly number[] = [0, 1, 2, 3, 4, 7];
export const RM_DYN = 7;

/** The CSRs the tester touches, by number. */
export const CSR_NAMES: Readonly<Record<number, string>> = { 1: 'fflags', 2: 'frm', 3: 'fcsr' };
export const CSR = { fflags: 1, frm: 2, fcsr: 3 } as const;

type Text = (v: number, pc: number) => string;
const field = (
  lo: number,
  hi: number,
  align: number,
  bits: (v: number) => number,
  text: Text,
  exclude: readonly number[] = [],
): Field => ({ lo, hi, align, exclude, bits, text });
/** A signed immediate of `width` bits (a multiple of align). */
const simm = (width: number, align: number, bits: (v: number) => number, text: Text = dec, exclude: number[] = []) =>
  field(-(2 ** (width - 1)), 2 ** (width - 1) - align, align, bits, text, exclude);
/** An unsigned immediate of `width` bits (a multiple of align). */
const uimm = (width: number, align: number, bits: (v: number) => number, text: Text = dec, exclude: number[] = []) =>
  field(0, 2 ** width - align, align, bits, text, exclude);
const reg = (shift: number, fmt: Text, exclude: number[] = []) => field(0, 31, 1, (v) => v << shift, fmt, exclude);
const NZ = [0];
/** x8..x15 in a 3-bit compressed register field. */
const creg = (shift: number, fmt: Text) => field(8, 15, 1, (v) => (v - 8) << shift, fmt);
/** Branch offsets print as the target address, wrapped to 64 bits like objdump does. */
const target = (v: number, pc: number) => `0x${BigInt.asUintN(64, BigInt(pc + v)).toString(16)}`;
const pcRel = (width: number, bits: (v: number) => number) => simm(width, 2, bits, target);
/** CI-format 6-bit immediate: imm[5] at bit 12, imm[4:0] at bits 6:2. */
const ciBits = (v: number) => (bit(v, 5) << 12) | (bitsOf(v, 4, 0) << 2);

/** Every operand kind, by the name used in the syntax strings below. */
const FIELDS: Record<string, Field> = {
  rd: reg(7, xreg),
  rs1: reg(15, xreg),
  rs2: reg(20, xreg),
  frd: reg(7, freg),
  frs1: reg(15, freg),
  frs2: reg(20, freg),
  frs3: reg(27, freg),
  imm12: simm(12, 1, (v) => (v & 0xfff) << 20),
  simm12: simm(12, 1, (v) => (bitsOf(v, 11, 5) << 25) | (bitsOf(v, 4, 0) << 7)),
  shamt6: uimm(6, 1, (v) => v << 20, hex),
  shamt5: uimm(5, 1, (v) => v << 20, hex),
  uimm20: uimm(20, 1, (v) => v << 12, hex),
  // 5 and 6 are reserved; the sampler skips them via RM_VALUES (see sampleField).
  rm: field(0, 7, 1, (v) => v << 12, (v) => ROUNDING[v]!),
  // Only the FP CSRs: objdump names the others after privileged or vector CSRs we do not test.
  csr: field(1, 3, 1, (v) => v << 20, (v) => CSR_NAMES[v]!),
  zimm: uimm(5, 1, (v) => v << 15),
  boff: pcRel(13, (v) => (bit(v, 12) << 31) | (bitsOf(v, 10, 5) << 25) | (bitsOf(v, 4, 1) << 8) | (bit(v, 11) << 7)),
  joff: pcRel(21, (v) => (bit(v, 20) << 31) | (bitsOf(v, 10, 1) << 21) | (bit(v, 11) << 20) | (bitsOf(v, 19, 12) << 12)),

  // Compressed register fields: full 5-bit ones at [11:7] / [6:2], primed ones (x8..x15) at
  // [4:2] / [9:7].
  crd: reg(7, xreg, NZ),
  crs2: reg(2, xreg, NZ),
  // c.swsp / c.sdsp may store x0.
  cstore2: reg(2, xreg),
  // c.lui with rd = x2 is c.addi16sp.
  crd_lui: reg(7, xreg, [0, 2]),
  cfrd: reg(7, freg),
  cfrs2: reg(2, freg),
  crdp: creg(2, xreg),
  crs2p: creg(2, xreg),
  crs1p: creg(7, xreg),
  cfrdp: creg(2, freg),
  cfrs2p: creg(2, freg),

  // Compressed immediates, each with its own bit scramble (RISC-V unprivileged spec, "C" chapter).
  c_imm6: simm(6, 1, ciBits),
  c_nzimm6: simm(6, 1, ciBits, dec, NZ),
  c_shamt: uimm(6, 1, ciBits, hex, NZ),
  // c.lui takes nzimm[17:12]; objdump prints the 20-bit upper immediate.
  c_lui_imm: simm(6, 1, ciBits, (v) => hex(v & 0xfffff), NZ),
  c_addi16sp_imm: simm(
    10,
    16,
    (v) => (bit(v, 9) << 12) | (bit(v, 4) << 6) | (bit(v, 6) << 5) | (bitsOf(v, 8, 7) << 3) | (bit(v, 5) << 2),
    dec,
    NZ,
  ),
  c_addi4spn_imm: uimm(
    10,
    4,
    (v) => (bitsOf(v, 5, 4) << 11) | (bitsOf(v, 9, 6) << 7) | (bit(v, 2) << 6) | (bit(v, 3) << 5),
    dec,
    NZ,
  ),
  c_lw_imm: uimm(7, 4, (v) => (bitsOf(v, 5, 3) << 10) | (bit(v, 2) << 6) | (bit(v, 6) << 5)),
  c_ld_imm: uimm(8, 8, (v) => (bitsOf(v, 5, 3) << 10) | (bitsOf(v, 7, 6) << 5)),
  c_lwsp_imm: uimm(8, 4, (v) => (bit(v, 5) << 12) | (bitsOf(v, 4, 2) << 4) | (bitsOf(v, 7, 6) << 2)),
  c_ldsp_imm: uimm(9, 8, (v) => (bit(v, 5) << 12) | (bitsOf(v, 4, 3) << 5) | (bitsOf(v, 8, 6) << 2)),
  c_swsp_imm: uimm(8, 4, (v) => (bitsOf(v, 5, 2) << 9) | (bitsOf(v, 7, 6) << 7)),
  c_sdsp_imm: uimm(9, 8, (v) => (bitsOf(v, 5, 3) << 10) | (bitsOf(v, 8, 6) << 7)),
  cboff: pcRel(
    9,
    (v) => (bit(v, 8) << 12) | (bitsOf(v, 4, 3) << 10) | (bitsOf(v, 7, 6) << 5) | (bitsOf(v, 2, 1) << 3) | (bit(v, 5) << 2),
  ),
  cjoff: pcRel(
    12,
    (v) =>
      (bit(v, 11) << 12) |
      (bit(v, 4) << 11) |
      (bitsOf(v, 9, 8) << 9) |
      (bit(v, 10) << 8) |
      (bit(v, 6) << 7) |
      (bit(v, 7) << 6) |
      (bitsOf(v, 3, 1) << 3) |
      (bit(v, 5) << 2),
  ),
};

/** True if v is an encodable value of the field. */
function fieldOk(key: string, v: number): boolean {
  const f = FIELDS[key]!;
  if (!Number.isInteger(v) || v < f.lo || v > f.hi || (v - f.lo) % f.align !== 0) return false;
  if (f.exclude.includes(v)) return false;
  return key !== 'rm' || RM_VALUES.includes(v);
}

/** A uniformly random encodable value of the field `key`; `u32` gives random 32-bit numbers. */
export function sampleField(key: string, u32: () => number): number {
  const f = FIELDS[key];
  if (!f) throw new Error(`difftest encoder: unknown field ${key}`);
  const n = (f.hi - f.lo) / f.align + 1;
  for (;;) {
    const v = f.lo + Math.floor((u32() / 0x100000000) * n) * f.align;
    if (fieldOk(key, v)) return v;
  }
}

export interface OpDef {
  /** Mnemonic as objdump -M no-aliases prints it (AMO ordering suffixes are added per instance). */
  readonly name: string;
  readonly len: 2 | 4;
  /** The fixed bits; operands are ORed in. */
  readonly match: number;
  /** Operand syntax: field names from FIELDS and literal text, e.g. "rd,imm12(rs1)". */
  readonly syntax: string;
  /** AMO: the aq/rl bits are operands and show as a mnemonic suffix. */
  readonly aqrl?: boolean;
  /** A conversion that is always exact (fcvt.d.w, fcvt.d.wu, fcvt.d.s): the rm field is still
   *  there (qemu and the spec accept every valid mode), but objdump 2.40 decodes only rm=rne,
   *  printing no rounding mode. */
  readonly exact?: boolean;
  /** What objdump calls it when that differs from our name (c.nop is "c.addi x0,0"). */
  readonly mnemonic?: string;
}

// ---- The opcode table -------------------------------------------------------------------------

const OPS: OpDef[] = [];
const def = (name: string, len: 2 | 4, match: number, syntax: string, aqrl = false) => {
  const exact = ['fcvt.d.w', 'fcvt.d.wu', 'fcvt.d.s'].includes(name);
  OPS.push({ name, len, match, syntax, ...(aqrl ? { aqrl } : {}), ...(exact ? { exact } : {}) });
};
const f3 = (v: number) => v << 12;
const f7 = (v: number) => v << 25;

// RV64I register-register and register-immediate, with the *W forms.
for (const [name, fn3, fn7] of [
  ['add', 0, 0], ['sub', 0, 0x20], ['sll', 1, 0], ['slt', 2, 0], ['sltu', 3, 0],
  ['xor', 4, 0], ['srl', 5, 0], ['sra', 5, 0x20], ['or', 6, 0], ['and', 7, 0],
  ['mul', 0, 1], ['mulh', 1, 1], ['mulhsu', 2, 1], ['mulhu', 3, 1],
  ['div', 4, 1], ['divu', 5, 1], ['rem', 6, 1], ['remu', 7, 1],
] as const) def(name, 4, 0x33 | f3(fn3) | f7(fn7), 'rd,rs1,rs2');
for (const [name, fn3, fn7] of [
  ['addw', 0, 0], ['subw', 0, 0x20], ['sllw', 1, 0], ['srlw', 5, 0], ['sraw', 5, 0x20],
  ['mulw', 0, 1], ['divw', 4, 1], ['divuw', 5, 1], ['remw', 6, 1], ['remuw', 7, 1],
] as const) def(name, 4, 0x3b | f3(fn3) | f7(fn7), 'rd,rs1,rs2');
for (const [name, fn3] of [['addi', 0], ['slti', 2], ['sltiu', 3], ['xori', 4], ['ori', 6], ['andi', 7]] as const)
  def(name, 4, 0x13 | f3(fn3), 'rd,rs1,imm12');
def('slli', 4, 0x13 | f3(1), 'rd,rs1,shamt6');
def('srli', 4, 0x13 | f3(5), 'rd,rs1,shamt6');
def('srai', 4, 0x13 | f3(5) | 0x40000000, 'rd,rs1,shamt6');
def('addiw', 4, 0x1b, 'rd,rs1,imm12');
def('slliw', 4, 0x1b | f3(1), 'rd,rs1,shamt5');
def('srliw', 4, 0x1b | f3(5), 'rd,rs1,shamt5');
def('sraiw', 4, 0x1b | f3(5) | f7(0x20), 'rd,rs1,shamt5');
def('lui', 4, 0x37, 'rd,uimm20');
def('auipc', 4, 0x17, 'rd,uimm20');

// Loads and stores, integer and FP.
for (const [name, fn3] of [['lb', 0], ['lh', 1], ['lw', 2], ['ld', 3], ['lbu', 4], ['lhu', 5], ['lwu', 6]] as const)
  def(name, 4, 0x03 | f3(fn3), 'rd,imm12(rs1)');
for (const [name, fn3] of [['sb', 0], ['sh', 1], ['sw', 2], ['sd', 3]] as const)
  def(name, 4, 0x23 | f3(fn3), 'rs2,simm12(rs1)');
def('flw', 4, 0x07 | f3(2), 'frd,imm12(rs1)');
def('fld', 4, 0x07 | f3(3), 'frd,imm12(rs1)');
def('fsw', 4, 0x27 | f3(2), 'frs2,simm12(rs1)');
def('fsd', 4, 0x27 | f3(3), 'frs2,simm12(rs1)');

// Control flow: used by the harness and by the optional forward skips.
for (const [name, fn3] of [['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7]] as const)
  def(name, 4, 0x63 | f3(fn3), 'rs1,rs2,boff');
def('jal', 4, 0x6f, 'rd,joff');
def('jalr', 4, 0x67, 'rd,imm12(rs1)');
def('ecall', 4, 0x73, '');

// A: LR/SC and AMOs, word and doubleword.
for (const [sfx, fn3] of [['w', 2], ['d', 3]] as const) {
  const amo = (fn5: number) => 0x2f | f3(fn3) | (fn5 << 27);
  def(`lr.${sfx}`, 4, amo(0x02), 'rd,(rs1)', true);
  def(`sc.${sfx}`, 4, amo(0x03), 'rd,rs2,(rs1)', true);
  for (const [name, fn5] of [
    ['amoswap', 0x01], ['amoadd', 0x00], ['amoxor', 0x04], ['amoand', 0x0c], ['amoor', 0x08],
    ['amomin', 0x10], ['amomax', 0x14], ['amominu', 0x18], ['amomaxu', 0x1c],
  ] as const) def(`${name}.${sfx}`, 4, amo(fn5), 'rd,rs2,(rs1)', true);
}

// Zicsr.
for (const [name, fn3] of [['csrrw', 1], ['csrrs', 2], ['csrrc', 3]] as const) def(name, 4, 0x73 | f3(fn3), 'rd,csr,rs1');
for (const [name, fn3] of [['csrrwi', 5], ['csrrsi', 6], ['csrrci', 7]] as const)
  def(name, 4, 0x73 | f3(fn3), 'rd,csr,zimm');

// F and D. funct7 = funct5 << 2 | fmt (0 = S, 1 = D).
for (const [sfx, fmt] of [['s', 0], ['d', 1]] as const) {
  const fp = (fn5: number) => 0x53 | f7((fn5 << 2) | fmt);
  def(`fadd.${sfx}`, 4, fp(0x00), 'frd,frs1,frs2,rm');
  def(`fsub.${sfx}`, 4, fp(0x01), 'frd,frs1,frs2,rm');
  def(`fmul.${sfx}`, 4, fp(0x02), 'frd,frs1,frs2,rm');
  def(`fdiv.${sfx}`, 4, fp(0x03), 'frd,frs1,frs2,rm');
  def(`fsqrt.${sfx}`, 4, fp(0x0b), 'frd,frs1,rm');
  def(`fsgnj.${sfx}`, 4, fp(0x04) | f3(0), 'frd,frs1,frs2');
  def(`fsgnjn.${sfx}`, 4, fp(0x04) | f3(1), 'frd,frs1,frs2');
  def(`fsgnjx.${sfx}`, 4, fp(0x04) | f3(2), 'frd,frs1,frs2');
  def(`fmin.${sfx}`, 4, fp(0x05) | f3(0), 'frd,frs1,frs2');
  def(`fmax.${sfx}`, 4, fp(0x05) | f3(1), 'frd,frs1,frs2');
  def(`feq.${sfx}`, 4, fp(0x14) | f3(2), 'rd,frs1,frs2');
  def(`flt.${sfx}`, 4, fp(0x14) | f3(1), 'rd,frs1,frs2');
  def(`fle.${sfx}`, 4, fp(0x14) | f3(0), 'rd,frs1,frs2');
  def(`fclass.${sfx}`, 4, fp(0x1c) | f3(1), 'rd,frs1');
  def(sfx === 's' ? 'fmv.x.w' : 'fmv.x.d', 4, fp(0x1c), 'rd,frs1');
  def(sfx === 's' ? 'fmv.w.x' : 'fmv.d.x', 4, fp(0x1e), 'frd,rs1');
  for (const [ity, sel] of [['w', 0], ['wu', 1], ['l', 2], ['lu', 3]] as const) {
    def(`fcvt.${ity}.${sfx}`, 4, fp(0x18) | (sel << 20), 'rd,frs1,rm');
    def(`fcvt.${sfx}.${ity}`, 4, fp(0x1a) | (sel << 20), 'frd,rs1,rm');
  }
  for (const [name, opc] of [['fmadd', 0x43], ['fmsub', 0x47], ['fnmsub', 0x4b], ['fnmadd', 0x4f]] as const)
    def(`${name}.${sfx}`, 4, opc | (fmt << 25), 'frd,frs1,frs2,frs3,rm');
}
def('fcvt.s.d', 4, 0x53 | f7(0x20) | (1 << 20), 'frd,frs1,rm');
def('fcvt.d.s', 4, 0x53 | f7(0x21), 'frd,frs1,rm');

// C: quadrant 0.
def('c.addi4spn', 2, 0x0000, 'crdp,x2,c_addi4spn_imm');
def('c.fld', 2, 0x2000, 'cfrdp,c_ld_imm(crs1p)');
def('c.lw', 2, 0x4000, 'crdp,c_lw_imm(crs1p)');
def('c.ld', 2, 0x6000, 'crdp,c_ld_imm(crs1p)');
def('c.fsd', 2, 0xa000, 'cfrs2p,c_ld_imm(crs1p)');
def('c.sw', 2, 0xc000, 'crs2p,c_lw_imm(crs1p)');
def('c.sd', 2, 0xe000, 'crs2p,c_ld_imm(crs1p)');
// Quadrant 1.
OPS.push({ name: 'c.nop', len: 2, match: 0x0001, syntax: 'x0,0', mnemonic: 'c.addi' });
def('c.addi', 2, 0x0001, 'crd,c_nzimm6');
def('c.addiw', 2, 0x2001, 'crd,c_imm6');
def('c.li', 2, 0x4001, 'crd,c_imm6');
def('c.addi16sp', 2, 0x6101, 'x2,c_addi16sp_imm');
def('c.lui', 2, 0x6001, 'crd_lui,c_lui_imm');
def('c.srli', 2, 0x8001, 'crs1p,c_shamt');
def('c.srai', 2, 0x8401, 'crs1p,c_shamt');
def('c.andi', 2, 0x8801, 'crs1p,c_imm6');
def('c.sub', 2, 0x8c01, 'crs1p,crs2p');
def('c.xor', 2, 0x8c21, 'crs1p,crs2p');
def('c.or', 2, 0x8c41, 'crs1p,crs2p');
def('c.and', 2, 0x8c61, 'crs1p,crs2p');
def('c.subw', 2, 0x9c01, 'crs1p,crs2p');
def('c.addw', 2, 0x9c21, 'crs1p,crs2p');
def('c.j', 2, 0xa001, 'cjoff');
def('c.beqz', 2, 0xc001, 'crs1p,cboff');
def('c.bnez', 2, 0xe001, 'crs1p,cboff');
// Quadrant 2.
def('c.slli', 2, 0x0002, 'crd,c_shamt');
def('c.fldsp', 2, 0x2002, 'cfrd,c_ldsp_imm(x2)');
def('c.lwsp', 2, 0x4002, 'crd,c_lwsp_imm(x2)');
def('c.ldsp', 2, 0x6002, 'crd,c_ldsp_imm(x2)');
def('c.mv', 2, 0x8002, 'crd,crs2');
def('c.add', 2, 0x9002, 'crd,crs2');
def('c.fsdsp', 2, 0xa002, 'cfrs2,c_sdsp_imm(x2)');
def('c.swsp', 2, 0xc002, 'cstore2,c_swsp_imm(x2)');
def('c.sdsp', 2, 0xe002, 'cstore2,c_sdsp_imm(x2)');

export const OPCODES: ReadonlyMap<string, OpDef> = new Map(OPS.map((o) => [o.name, o]));

/** Operand values by field name; `aqrl` (bit 1 = aq, bit 0 = rl) for AMOs. */
export type Args = Readonly<Record<string, number>>;

export interface Insn {
  readonly op: OpDef;
  readonly args: Args;
  /** The encoding: 16 or 32 bits, as an unsigned number. */
  readonly word: number;
  readonly len: 2 | 4;
}

/** The field names an opcode's syntax uses, in order. */
export function operandNames(op: OpDef): string[] {
  return (op.syntax.match(/[a-z_0-9]+/g) ?? []).filter((t) => t in FIELDS);
}

export function opdef(name: string): OpDef {
  const op = OPCODES.get(name);
  if (!op) throw new Error(`difftest encoder: unknown opcode ${name}`);
  return op;
}

/** Encode one instruction; throws if an operand is missing or not encodable. */
export function encode(name: string, args: Args = {}): Insn {
  const op = opdef(name);
  let word = op.match;
  for (const key of operandNames(op)) {
    const v = args[key];
    if (v === undefined || !fieldOk(key, v)) throw new Error(`difftest encoder: ${name} ${key}=${v} not encodable`);
    word |= FIELDS[key]!.bits(v);
  }
  if (op.aqrl) {
    const v = args.aqrl ?? 0;
    if (v < 0 || v > 3 || !Number.isInteger(v)) throw new Error(`difftest encoder: ${name} aqrl=${v}`);
    word |= v << 25;
  }
  word >>>= 0;
  if (op.len === 2 && (word > 0xffff || (word & 3) === 3)) throw new Error(`difftest encoder: ${name} bad 16-bit word`);
  return { op, args, word, len: op.len };
}

/** The text objdump -M no-aliases,numeric prints for this instruction at address pc. */
export function asmText(insn: Insn, pc = 0): string {
  const { op, args } = insn;
  let mnemonic = op.mnemonic ?? op.name;
  if (op.aqrl) mnemonic += ['', '.rl', '.aq', '.aqrl'][args.aqrl ?? 0];
  let operands = op.syntax.replace(/[a-z_0-9]+/g, (tok) => {
    const field = FIELDS[tok];
    return field ? field.text(args[tok]!, pc) : tok;
  });
  // objdump omits a dyn rounding mode, and rne on exact conversions (other modes there are shown
  // as newer binutils do; 2.40 does not decode them).
  if (/,rm$/.test(op.syntax) && (args.rm === RM_DYN || (op.exact && args.rm === 0)))
    operands = operands.replace(/,[a-z0-9]+$/, '');
  return operands ? `${mnemonic}\t${operands}` : mnemonic;
}

/** Little-endian bytes of a list of instructions. */
export function toBytes(insns: readonly Insn[]): Uint8Array {
  const size = insns.reduce((n, i) => n + i.len, 0);
  const out = new Uint8Array(size);
  let p = 0;
  for (const i of insns) {
    out[p++] = i.word & 0xff;
    out[p++] = (i.word >>> 8) & 0xff;
    if (i.len === 4) {
      out[p++] = (i.word >>> 16) & 0xff;
      out[p++] = (i.word >>> 24) & 0xff;
    }
  }
  return out;
}
