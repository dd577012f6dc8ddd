// Random straight-line RV64GC sequences, risu-style: each sequence starts from seeded register,
// fcsr and scratch-memory values and its effect is read back from registers and the scratch buffer.
//
// Invariants the generator keeps so every run is deterministic:
// - s0 (x8) always points at the scratch buffer's centre S and is never written.
// - sp (x2) points into the buffer; only c.addi16sp moves it, and the generator tracks where.
// - Every memory access is inside [S + SCRATCH_LO, S + SCRATCH_HI), and naturally aligned except
//   in the 'misaligned' class.
// - frm always holds a valid rounding mode (0–4), so dyn-rm instructions never trap.
// - Control flow only skips forward over a few instructions that leave sp and frm alone.
import type { GenOptions } from '../isa.js';
import type { Rng } from '../../rng.js';
import { InsnList } from '../insn-list.js';
import { randomFreg, randomMem64, randomXreg } from '../seeds.js';
import { CSR, RM_DYN, RM_VALUES, encode, type Args, type Insn } from './encode.js';

export const SP = 2;
export const S0 = 8;
/** The scratch buffer is [S + SCRATCH_LO, S + SCRATCH_HI), S being the value in s0. */
export const SCRATCH_LO = -256;
export const SCRATCH_HI = 256;
export const SCRATCH_SIZE = SCRATCH_HI - SCRATCH_LO;
/** sp - S when a sequence starts. */
export const SP_START = SCRATCH_LO;
/** sp - S never leaves this range, so sp-relative compressed accesses can reach the buffer. */
const SP_MIN = SCRATCH_LO;
const SP_MAX = SCRATCH_HI - 16;

export interface SeqInit {
  /** x1..x31 at index r - 1. The sp and s0 entries are placeholders: the batch sets them. */
  x: bigint[];
  /** f0..f31. */
  f: bigint[];
  fcsr: number;
  /** The scratch buffer's initial bytes. */
  mem: Uint8Array;
}

export interface Sequence {
  init: SeqInit;
  insns: Insn[];
  /** The instruction classes picked, in order (for coverage statistics). */
  classes: string[];
  /** The class that emitted each instruction. */
  origins: string[];
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
/** Integer destinations: everything but x0 and the two pinned registers. */
const DEST_X = range(1, 31).filter((r) => r !== SP && r !== S0);
/** Compressed-register destinations (x8..x15 without s0). */
const DEST_XP = range(9, 15);
const ALL_F = range(0, 31);

class Gen extends InsnList<Insn> {
  spOff = SP_START;
  /** Set by frm-dyn: the next FP op uses this rounding mode. */
  forcedRm: number | undefined;
  private readonly hotX: number[];
  private readonly hotF: number[];

  constructor(
    readonly rng: Rng,
    public frm: number,
  ) {
    super(encode);
    // A few registers are used more often so results feed later instructions.
    this.hotX = [rng.pick(DEST_X), rng.pick(DEST_X), rng.pick(DEST_X), rng.pick(DEST_XP), rng.pick(DEST_XP)];
    this.hotF = [rng.pick(ALL_F), rng.pick(ALL_F), rng.pick(ALL_F), rng.range(8, 15), rng.range(8, 15)];
  }


  private hot<T>(hot: readonly T[], all: readonly T[]): T {
    return this.rng.chance(0.6) ? this.rng.pick(hot) : this.rng.pick(all);
  }
  /** An integer destination, rarely x0. */
  rdX(): number {
    return this.rng.chance(0.03) ? 0 : this.rdXnz();
  }
  rdXnz(): number {
    return this.hot(this.hotX, DEST_X);
  }
  /** Any integer source, including x0, sp and s0 now and then. */
  rsX(): number {
    if (this.rng.chance(0.05)) return 0;
    if (this.rng.chance(0.04)) return this.rng.pick([SP, S0]);
    return this.hot(this.hotX, DEST_X);
  }
  rdP(): number {
    return this.hot(
      this.hotX.filter((r) => r >= 9 && r <= 15),
      DEST_XP,
    );
  }
  rsP(): number {
    return this.rng.chance(0.1) ? S0 : this.rdP();
  }
  fr(): number {
    return this.hot(this.hotF, ALL_F);
  }
  frP(): number {
    return this.hot(
      this.hotF.filter((r) => r >= 8 && r <= 15),
      range(8, 15),
    );
  }
  rm(): number {
    if (this.forcedRm !== undefined) {
      const rm = this.forcedRm;
      this.forcedRm = undefined;
      return rm;
    }
    return this.rng.pick(RM_VALUES);
  }
  imm12(): number {
    return this.rng.weighted<() => number>([
      [1, () => this.rng.pick([0, 1, -1, 2047, -2048, 31, 32, 63, 64, -32])],
      [2, () => this.rng.range(-2048, 2047)],
      [1, () => this.rng.range(-16, 16)],
    ])();
  }
  /** A random multiple of `align` in [lo, hi]. */
  aligned(lo: number, hi: number, align: number): number {
    const first = Math.ceil(lo / align);
    const last = Math.floor(hi / align);
    return this.rng.range(first, last) * align;
  }
  /** A naturally aligned offset from S for an access of `width` bytes. */
  memTarget(width: number): number {
    return this.aligned(SCRATCH_LO, SCRATCH_HI - width, width);
  }
}

// ---- Instruction classes -----------------------------------------------------------------------

const ALU_RR = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw'];
const ALU_RI = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'];
const SHIFT_I: ReadonlyArray<readonly [string, 'shamt6' | 'shamt5']> = [
  ['slli', 'shamt6'], ['srli', 'shamt6'], ['srai', 'shamt6'],
  ['slliw', 'shamt5'], ['srliw', 'shamt5'], ['sraiw', 'shamt5'],
];
const MULDIV = [
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
  'mulw', 'divw', 'divuw', 'remw', 'remuw',
];
const LOADS: ReadonlyArray<readonly [string, number]> = [
  ['lb', 1], ['lh', 2], ['lw', 4], ['ld', 8], ['lbu', 1], ['lhu', 2], ['lwu', 4],
];
const STORES: ReadonlyArray<readonly [string, number]> = [['sb', 1], ['sh', 2], ['sw', 4], ['sd', 8]];
const AMOS = ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'];
const FP_BIN = ['fadd', 'fsub', 'fmul', 'fdiv'];
const FP_FMA = ['fmadd', 'fmsub', 'fnmsub', 'fnmadd'];
const FP_SIGN_MINMAX = ['fsgnj', 'fsgnjn', 'fsgnjx', 'fmin', 'fmax'];
const FP_CMP = ['feq', 'flt', 'fle'];
const INT_TYPES = ['w', 'wu', 'l', 'lu'];
const fmt = (g: Gen) => g.rng.pick(['s', 'd']);

/** Emit a load or store of `width` bytes through s0, sp or a freshly computed base register. */
function access(g: Gen, name: string, width: number, regKey: string, reg: number, store: boolean): void {
  const target = g.memTarget(width);
  const immKey = store ? 'simm12' : 'imm12';
  const mode = g.rng.weighted([[5, 's0'], [2, 'sp'], [3, 'temp']] as const);
  if (mode === 's0') return g.emit(name, { [regKey]: reg, [immKey]: target, rs1: S0 });
  if (mode === 'sp') return g.emit(name, { [regKey]: reg, [immKey]: target - g.spOff, rs1: SP });
  const base = g.rdXnz();
  const d = g.rng.range(-300, 300);
  g.emit('addi', { rd: base, rs1: S0, imm12: d });
  g.emit(name, { [regKey]: reg, [immKey]: target - d, rs1: base });
}

/** A load or store at any byte offset: Linux completes misaligned accesses for user programs
 *  (hardware or trap emulation), and so does qemu-user. Atomics stay aligned (they SIGBUS). */
function misaligned(g: Gen): void {
  const [name, width, regKey, store] = g.rng.pick([
    ['lh', 2, 'rd', false], ['lhu', 2, 'rd', false], ['lw', 4, 'rd', false], ['lwu', 4, 'rd', false],
    ['ld', 8, 'rd', false], ['flw', 4, 'frd', false], ['fld', 8, 'frd', false],
    ['sh', 2, 'rs2', true], ['sw', 4, 'rs2', true], ['sd', 8, 'rs2', true], ['fsw', 4, 'frs2', true], ['fsd', 8, 'frs2', true],
  ] as const);
  let off = g.rng.range(SCRATCH_LO, SCRATCH_HI - width);
  if (off % width === 0) off += off < SCRATCH_HI - width ? 1 : -1;
  const reg = regKey.startsWith('f') ? g.fr() : store ? g.rsX() : g.rdX();
  g.emit(name, { [regKey]: reg, [store ? 'simm12' : 'imm12']: off, rs1: S0 });
}

/** A register holding the address S + off (aligned), for AMOs and LR/SC. */
function amoBase(g: Gen, width: number): number {
  const base = g.rdXnz();
  g.emit('addi', { rd: base, rs1: S0, imm12: g.memTarget(width) });
  return base;
}

/** The frm value after a CSR write, or undefined if the write would leave frm reserved. */
function frmAfter(frm: number, csr: number, op: 'w' | 's' | 'c', value: bigint): number | undefined {
  if (csr === CSR.fflags) return frm;
  const field = Number(csr === CSR.frm ? value & 7n : (value >> 5n) & 7n);
  const next = op === 'w' ? field : op === 's' ? frm | field : frm & ~field;
  return next <= 4 ? next : undefined;
}

function fpArith(g: Gen): void {
  const f = fmt(g);
  if (g.rng.chance(0.15)) return g.emit(`fsqrt.${f}`, { frd: g.fr(), frs1: g.fr(), rm: g.rm() });
  g.emit(`${g.rng.pick(FP_BIN)}.${f}`, { frd: g.fr(), frs1: g.fr(), frs2: g.fr(), rm: g.rm() });
}

function fpFma(g: Gen): void {
  g.emit(`${g.rng.pick(FP_FMA)}.${fmt(g)}`, { frd: g.fr(), frs1: g.fr(), frs2: g.fr(), frs3: g.fr(), rm: g.rm() });
}

function fpCvt(g: Gen): void {
  const f = fmt(g);
  const ity = g.rng.pick(INT_TYPES);
  g.rng.weighted<() => void>([
    [4, () => g.emit(`fcvt.${ity}.${f}`, { rd: g.rdX(), frs1: g.fr(), rm: g.rm() })],
    [4, () => g.emit(`fcvt.${f}.${ity}`, { frd: g.fr(), rs1: g.rsX(), rm: g.rm() })],
    [1, () => g.emit('fcvt.s.d', { frd: g.fr(), frs1: g.fr(), rm: g.rm() })],
    [1, () => g.emit('fcvt.d.s', { frd: g.fr(), frs1: g.fr(), rm: g.rm() })],
  ])();
}

function fpMisc(g: Gen): void {
  const f = fmt(g);
  g.rng.weighted<() => void>([
    [5, () => g.emit(`${g.rng.pick(FP_SIGN_MINMAX)}.${f}`, { frd: g.fr(), frs1: g.fr(), frs2: g.fr() })],
    [3, () => g.emit(`${g.rng.pick(FP_CMP)}.${f}`, { rd: g.rdX(), frs1: g.fr(), frs2: g.fr() })],
    [2, () => g.emit(`fclass.${f}`, { rd: g.rdX(), frs1: g.fr() })],
    [2, () => g.emit(f === 's' ? 'fmv.x.w' : 'fmv.x.d', { rd: g.rdX(), frs1: g.fr() })],
    [2, () => g.emit(f === 's' ? 'fmv.w.x' : 'fmv.d.x', { frd: g.fr(), rs1: g.rsX() })],
  ])();
}

function csrAccess(g: Gen): void {
  const csr = g.rng.pick([CSR.fflags, CSR.frm, CSR.fcsr]);
  const kind = g.rng.weighted([[3, 'read'], [4, 'reg'], [4, 'imm']] as const);
  if (kind === 'read') return g.emit('csrrs', { rd: g.rdXnz(), csr, rs1: 0 });
  const op = g.rng.pick(['w', 's', 'c'] as const);
  for (;;) {
    // The written value is made by an addi just before, so the generator knows frm afterwards.
    const value = kind === 'reg' ? g.rng.pick([g.imm12(), g.rng.range(0, 255)]) : g.rng.range(0, 31);
    const next = frmAfter(g.frm, csr, op, BigInt.asUintN(64, BigInt(value)));
    if (next === undefined) continue;
    g.frm = next;
    if (kind === 'imm') return g.emit(`csrr${op}i`, { rd: g.rdX(), csr, zimm: value });
    const src = g.rdXnz();
    g.emit('addi', { rd: src, rs1: 0, imm12: value });
    return g.emit(`csrr${op}`, { rd: g.rdX(), csr, rs1: src });
  }
}

/** Set frm to each mode in turn with csrwi and use it through rm=dyn. */
function frmDyn(g: Gen): void {
  const mode = g.rng.range(0, 4);
  g.emit('csrrwi', { rd: g.rng.chance(0.5) ? 0 : g.rdXnz(), csr: CSR.frm, zimm: mode });
  g.frm = mode;
  g.forcedRm = RM_DYN;
  g.rng.pick([fpArith, fpFma, fpCvt])(g);
  g.forcedRm = undefined;
}

// Compressed forms: every RV64C instruction that does not transfer control.

/** A compressed load/store through s0 or a base made by c.addi4spn. */
function cAccess(g: Gen, name: string, width: number, maxOff: number, regKey: string, reg: number): void {
  const immKey = width === 4 ? 'c_lw_imm' : 'c_ld_imm';
  let base = S0;
  let baseOff = 0;
  if (g.rng.chance(0.4)) {
    // c.addi4spn base', sp, imm: pick imm so base is aligned and inside the buffer.
    const lo = Math.max(4, SCRATCH_LO - g.spOff);
    const hi = Math.min(1020, SCRATCH_HI - width - g.spOff);
    if (lo <= hi) {
      const imm = g.aligned(lo, hi, width === 8 ? 8 : 4);
      base = g.rdP();
      baseOff = g.spOff + imm;
      g.emit('c.addi4spn', { crdp: base, c_addi4spn_imm: imm });
    }
  }
  const off = g.aligned(0, Math.min(maxOff, SCRATCH_HI - width - baseOff), width);
  g.emit(name, { [regKey]: reg, [immKey]: off, crs1p: base });
}

/** An sp-relative compressed load/store. */
function cSpAccess(g: Gen, name: string, width: number, maxOff: number, immKey: string, regKey: string, reg: number) {
  const off = g.aligned(0, Math.min(maxOff, SCRATCH_HI - width - g.spOff), width);
  g.emit(name, { [regKey]: reg, [immKey]: off });
}

const nz6 = (g: Gen) => g.rng.pick([-32, -1, 1, 31, g.rng.range(-32, -1), g.rng.range(1, 31)]);
const imm6 = (g: Gen) => g.rng.range(-32, 31);
const shamt6 = (g: Gen) => g.rng.pick([1, 31, 32, 63, g.rng.range(1, 63)]);

const C_FORMS: Record<string, (g: Gen) => void> = {
  'c.addi4spn': (g) => g.emit('c.addi4spn', { crdp: g.rdP(), c_addi4spn_imm: g.aligned(4, 1020, 4) }),
  'c.fld': (g) => cAccess(g, 'c.fld', 8, 248, 'cfrdp', g.frP()),
  'c.lw': (g) => cAccess(g, 'c.lw', 4, 124, 'crdp', g.rdP()),
  'c.ld': (g) => cAccess(g, 'c.ld', 8, 248, 'crdp', g.rdP()),
  'c.fsd': (g) => cAccess(g, 'c.fsd', 8, 248, 'cfrs2p', g.frP()),
  'c.sw': (g) => cAccess(g, 'c.sw', 4, 124, 'crs2p', g.rsP()),
  'c.sd': (g) => cAccess(g, 'c.sd', 8, 248, 'crs2p', g.rsP()),
  'c.nop': (g) => g.emit('c.nop'),
  'c.addi': (g) => g.emit('c.addi', { crd: g.rdXnz(), c_nzimm6: nz6(g) }),
  'c.addiw': (g) => g.emit('c.addiw', { crd: g.rdXnz(), c_imm6: imm6(g) }),
  'c.li': (g) => g.emit('c.li', { crd: g.rdXnz(), c_imm6: imm6(g) }),
  'c.addi16sp': (g) => {
    const imm = g.aligned(Math.max(-512, SP_MIN - g.spOff), Math.min(496, SP_MAX - g.spOff), 16) || 16;
    if (g.spOff + imm > SP_MAX) return;
    g.spOff += imm;
    g.emit('c.addi16sp', { c_addi16sp_imm: imm });
  },
  'c.lui': (g) => g.emit('c.lui', { crd_lui: g.rdXnz(), c_lui_imm: nz6(g) }),
  'c.srli': (g) => g.emit('c.srli', { crs1p: g.rdP(), c_shamt: shamt6(g) }),
  'c.srai': (g) => g.emit('c.srai', { crs1p: g.rdP(), c_shamt: shamt6(g) }),
  'c.andi': (g) => g.emit('c.andi', { crs1p: g.rdP(), c_imm6: imm6(g) }),
  'c.sub': (g) => g.emit('c.sub', { crs1p: g.rdP(), crs2p: g.rsP() }),
  'c.xor': (g) => g.emit('c.xor', { crs1p: g.rdP(), crs2p: g.rsP() }),
  'c.or': (g) => g.emit('c.or', { crs1p: g.rdP(), crs2p: g.rsP() }),
  'c.and': (g) => g.emit('c.and', { crs1p: g.rdP(), crs2p: g.rsP() }),
  'c.subw': (g) => g.emit('c.subw', { crs1p: g.rdP(), crs2p: g.rsP() }),
  'c.addw': (g) => g.emit('c.addw', { crs1p: g.rdP(), crs2p: g.rsP() }),
  'c.slli': (g) => g.emit('c.slli', { crd: g.rdXnz(), c_shamt: shamt6(g) }),
  'c.fldsp': (g) => cSpAccess(g, 'c.fldsp', 8, 504, 'c_ldsp_imm', 'cfrd', g.fr()),
  'c.lwsp': (g) => cSpAccess(g, 'c.lwsp', 4, 252, 'c_lwsp_imm', 'crd', g.rdXnz()),
  'c.ldsp': (g) => cSpAccess(g, 'c.ldsp', 8, 504, 'c_ldsp_imm', 'crd', g.rdXnz()),
  'c.mv': (g) => g.emit('c.mv', { crd: g.rdXnz(), crs2: g.rsX() || 1 }),
  'c.add': (g) => g.emit('c.add', { crd: g.rdXnz(), crs2: g.rsX() || 1 }),
  'c.fsdsp': (g) => cSpAccess(g, 'c.fsdsp', 8, 504, 'c_sdsp_imm', 'cfrs2', g.fr()),
  'c.swsp': (g) => cSpAccess(g, 'c.swsp', 4, 252, 'c_swsp_imm', 'cstore2', g.rsX()),
  'c.sdsp': (g) => cSpAccess(g, 'c.sdsp', 8, 504, 'c_sdsp_imm', 'cstore2', g.rsX()),
};
const C_FORM_NAMES = Object.keys(C_FORMS);

type ClassGen = (g: Gen) => void;

/** Classes that leave sp and frm alone: safe to skip over with a forward branch. */
const SKIPPABLE: ClassGen[] = [
  (g) => g.emit(g.rng.pick(ALU_RR), { rd: g.rdX(), rs1: g.rsX(), rs2: g.rsX() }),
  (g) => g.emit(g.rng.pick(MULDIV), { rd: g.rdX(), rs1: g.rsX(), rs2: g.rsX() }),
  (g) => g.emit(g.rng.pick(ALU_RI), { rd: g.rdX(), rs1: g.rsX(), imm12: g.imm12() }),
  (g) => C_FORMS[g.rng.pick(['c.addi', 'c.li', 'c.sub', 'c.slli', 'c.sd', 'c.lw', 'c.mv'])]!(g),
  (g) => access(g, 'sd', 8, 'rs2', g.rsX(), true),
  fpArith,
  fpMisc,
];

/** A forward branch or jump over one or two instructions. */
function skip(g: Gen): void {
  const inner = g.capture(() => {
    const n = g.rng.chance(0.7) ? 1 : 2;
    for (let i = 0; i < n; i++) g.rng.pick(SKIPPABLE)(g);
  });
  const innerLen = inner.reduce((n, i) => n + i.len, 0);
  g.rng.weighted<() => void>([
    [6, () => {
      const rs1 = g.rsX();
      const rs2 = g.rng.chance(0.25) ? rs1 : g.rsX();
      const name = g.rng.pick(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);
      g.emit(name, { rs1, rs2, boff: 4 + innerLen });
    }],
    [3, () => g.emit(g.rng.pick(['c.beqz', 'c.bnez']), { crs1p: g.rsP(), cboff: 2 + innerLen })],
    [1, () => g.emit('jal', { rd: g.rdX(), joff: 4 + innerLen })],
    [1, () => g.emit('c.j', { cjoff: 2 + innerLen })],
    [1, () => {
      const t = g.rdXnz();
      g.emit('auipc', { rd: t, uimm20: 0 });
      g.emit('jalr', { rd: g.rdX(), rs1: t, imm12: 8 + innerLen });
    }],
  ])();
  g.append(inner);
}

export const CLASSES: ReadonlyArray<readonly [number, string, ClassGen]> = [
  [10, 'alu', SKIPPABLE[0]!],
  [6, 'alu-imm', SKIPPABLE[2]!],
  [4, 'shift-imm', (g) => {
    const [name, key] = g.rng.pick(SHIFT_I);
    g.emit(name, { rd: g.rdX(), rs1: g.rsX(), [key]: g.rng.range(0, key === 'shamt6' ? 63 : 31) });
  }],
  [2, 'upper', (g) => {
    const imm = g.rng.pick([0, 0x7ffff, 0x80000, 0xfffff, g.rng.below(1 << 20)]);
    g.emit(g.rng.pick(['lui', 'auipc']), { rd: g.rdX(), uimm20: imm });
  }],
  [7, 'muldiv', SKIPPABLE[1]!],
  [6, 'load', (g) => {
    if (g.rng.chance(0.3)) {
      const [name, w] = g.rng.pick([['flw', 4], ['fld', 8]] as const);
      return access(g, name, w, 'frd', g.fr(), false);
    }
    const [name, w] = g.rng.pick(LOADS);
    access(g, name, w, 'rd', g.rdX(), false);
  }],
  [5, 'store', (g) => {
    if (g.rng.chance(0.3)) {
      const [name, w] = g.rng.pick([['fsw', 4], ['fsd', 8]] as const);
      return access(g, name, w, 'frs2', g.fr(), true);
    }
    const [name, w] = g.rng.pick(STORES);
    access(g, name, w, 'rs2', g.rsX(), true);
  }],
  [1, 'misaligned', misaligned],
  [3, 'amo', (g) => {
    const [sfx, w] = g.rng.pick([['w', 4], ['d', 8]] as const);
    const base = amoBase(g, w);
    g.emit(`${g.rng.pick(AMOS)}.${sfx}`, { rd: g.rdX(), rs2: g.rsX(), rs1: base, aqrl: g.rng.below(4) });
  }],
  [2, 'lrsc', (g) => {
    const [sfx, w] = g.rng.pick([['w', 4], ['d', 8]] as const);
    const base = amoBase(g, w);
    let rd = g.rdX();
    if (rd === base) rd = 0;
    g.emit(`lr.${sfx}`, { rd, rs1: base, aqrl: g.rng.below(4) });
    if (g.rng.chance(0.5)) {
      let mid = g.rdX();
      if (mid === base) mid = 0;
      g.emit(g.rng.pick(ALU_RR), { rd: mid, rs1: g.rsX(), rs2: g.rsX() });
    }
    g.emit(`sc.${sfx}`, { rd: g.rdX(), rs2: g.rsX(), rs1: base, aqrl: g.rng.below(4) });
  }],
  [8, 'fp-arith', fpArith],
  [4, 'fp-fma', fpFma],
  [6, 'fp-cvt', fpCvt],
  [6, 'fp-misc', fpMisc],
  [3, 'csr', csrAccess],
  [2, 'frm-dyn', frmDyn],
  [12, 'compressed', (g) => C_FORMS[g.rng.pick(C_FORM_NAMES)]!(g)],
  [2, 'skip', skip],
];

export function generateSequence(rng: Rng, opts: GenOptions): Sequence {
  const frm = rng.range(0, 4);
  const init: SeqInit = {
    x: Array.from({ length: 31 }, () => randomXreg(rng)),
    f: Array.from({ length: 32 }, () => randomFreg(rng)),
    fcsr: (frm << 5) | rng.below(32),
    mem: new Uint8Array(SCRATCH_SIZE),
  };
  const mv = new DataView(init.mem.buffer);
  for (let off = 0; off < SCRATCH_SIZE; off += 8) mv.setBigUint64(off, randomMem64(rng), true);

  const g = new Gen(rng, frm);
  const classes: string[] = [];
  const n = rng.range(opts.minLen, opts.maxLen);
  const weighted = CLASSES.map(([w, name, fn]) => [w, [name, fn]] as const);
  for (let i = 0; i < n; i++) {
    const [name, fn] = rng.weighted(weighted);
    classes.push(name);
    g.current = name;
    fn(g);
  }
  return { init, insns: g.insns, classes, origins: g.origins };
}
