// Random straight-line A64 sequences, risu-style: each sequence starts from seeded x0–x30,
// v0–v31, NZCV, FPCR, FPSR and scratch-memory values; its effect is read back from all of them.
//
// Invariants the generator keeps so every run is deterministic on any correct implementation:
// - x28 always holds S, the scratch buffer's centre, and is never written.
// - sp points into the buffer, 16-byte aligned; only the 'sp' class and tracked writebacks move it.
// - Every memory access is inside [S + SCRATCH_LO, S + SCRATCH_HI); exclusives, acquire/release
//   and atomics are naturally aligned (plain loads and stores need not be).
// - Exclusive pairs have only register operations between load and store, on the same address
//   and size, so whether the store succeeds is architecturally defined.
// - FPCR only ever holds RMode (and, with --with fz-dn / ahp, FZ and DN / AHP); FPSR only its
//   defined bits.
// - Control flow only skips forward over instructions that leave sp alone.
import type { GenOptions } from '../isa.js';
import type { Rng } from '../../rng.js';
import { InsnList } from '../insn-list.js';
import { randomF32, randomF64, randomMem64, randomXreg } from '../seeds.js';
import { OPCODES, encode, fieldViews, type Args, type Insn, type OpDef } from './opcodes.js';
import { FIELDS } from './fields.js';

/** The pinned base register: S, the centre of the scratch buffer. */
export const XB = 28;
export const SP = 31;
/** The scratch buffer is [S + SCRATCH_LO, S + SCRATCH_HI). */
export const SCRATCH_LO = -256;
export const SCRATCH_HI = 256;
export const SCRATCH_SIZE = SCRATCH_HI - SCRATCH_LO;
/** sp - S when a sequence starts, and its range (16-byte aligned, room for a 16-byte access). */
export const SP_START = -128;
export const SP_MIN = SCRATCH_LO;
export const SP_MAX = SCRATCH_HI - 16;
/** FPCR bits the generator sets: AHP, DN, FZ, RMode. */
export const FPCR_BITS = { AHP: 1 << 26, DN: 1 << 25, FZ: 1 << 24, RMODE_SHIFT: 22 } as const;
/** FPSR's defined bits: QC, IDC, IXC, UFC, OFC, DZC, IOC. */
export const FPSR_BITS = 0x0800009f;

export interface SeqInit {
  /** x0..x30 (the x28 entry is a placeholder: the batch sets it). */
  x: bigint[];
  /** v0..v31 as 64 halves: v[2n] the low, v[2n + 1] the high 64 bits of vn. */
  v: bigint[];
  nzcv: number;
  fpcr: number;
  fpsr: number;
  /** The scratch buffer's initial bytes. */
  mem: Uint8Array;
}

export interface Sequence {
  init: SeqInit;
  insns: Insn[];
  classes: string[];
  origins: string[];
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
/** Integer destinations: everything but the pinned base (31 is the zero register or sp). */
const DEST_X = range(0, 30).filter((r) => r !== XB);
const ALL_V = range(0, 31);
const GPR_VIEWS = new Set(['x', 'w', 'xsp', 'wsp', 'extr', 'rx']);
const VEC_VIEWS = new Set(['v', 'b', 'h', 's', 'd', 'q', 'vl']);
/** Scalar SIMD ops print their registers as a number after the element letter. */
const VEC_DEC = /^(rd|rn|rm|ra)$/;

const names = (re: RegExp) => [...OPCODES.keys()].filter((n) => re.test(n));
const def = (name: string): OpDef => OPCODES.get(name)!;

export class Gen extends InsnList<Insn> {
  spOff = SP_START;
  private readonly hotX: number[];
  private readonly hotV: number[];

  constructor(
    readonly rng: Rng,
    readonly switches: ReadonlySet<string> = new Set(),
  ) {
    super(encode);
    // A few registers are used more often so results feed later instructions.
    this.hotX = [rng.pick(DEST_X), rng.pick(DEST_X), rng.pick(DEST_X), rng.pick(DEST_X)];
    this.hotV = [rng.pick(ALL_V), rng.pick(ALL_V), rng.pick(ALL_V), rng.pick(ALL_V)];
  }


  private hot(hot: readonly number[], all: readonly number[]): number {
    return this.rng.chance(0.6) ? this.rng.pick(hot) : this.rng.pick(all);
  }
  /** A general destination: never x28; 31 (the zero register) now and then. */
  rdX(): number {
    return this.rng.chance(0.03) ? 31 : this.rdXnz();
  }
  /** A general destination that is a real register (31 would be sp here). */
  rdXnz(): number {
    return this.hot(this.hotX, DEST_X);
  }
  /** A general source: 31 (zero register or sp) and x28 (S) now and then. */
  rsX(): number {
    if (this.rng.chance(0.05)) return 31;
    if (this.rng.chance(0.03)) return XB;
    return this.hot(this.hotX, DEST_X);
  }
  /** A vector register. */
  vr(): number {
    return this.hot(this.hotV, ALL_V);
  }
  /** A value for a non-register field: its extremes often, else uniform. */
  imm(key: string): number {
    const f = FIELDS[key]!;
    for (;;) {
      const v = this.rng.weighted<() => number>([
        [2, () => f.min],
        [2, () => f.max],
        [1, () => (f.min < 0 ? 0 : f.min + 1)],
        [10, () => this.rng.range(f.min, f.max)],
      ])();
      if (!f.ok || f.ok(v)) return v;
    }
  }

  /** Operands for an opcode: registers from the hot sets (destinations never x28 or sp), other
   *  fields random; `fixed` overrides. */
  fill(name: string, fixed: Args = {}): Args {
    const d = def(name);
    const views = fieldViews(d);
    for (let tries = 0; tries < 200; tries++) {
      const a: Args = {};
      for (const key of d.fields) {
        if (fixed[key] !== undefined) a[key] = fixed[key];
        else if (key === 'rm4') a[key] = this.rng.chance(0.6) ? this.hotV[this.rng.below(4)]! & 15 : this.rng.below(16);
        else {
          const view = views[key] ?? 'none';
          const isDest = d.writes.includes(key);
          if (GPR_VIEWS.has(view)) a[key] = isDest ? (view.endsWith('sp') ? this.rdXnz() : this.rdX()) : this.rsX();
          else if (VEC_VIEWS.has(view) || (VEC_DEC.test(key) && view === 'dec')) a[key] = this.vr();
          else a[key] = this.imm(key);
        }
      }
      if (!d.valid || d.valid(a)) return a;
    }
    throw new Error(`difftest generator: no valid operands for ${name} with ${JSON.stringify(fixed)}`);
  }

  /** Emit an opcode with filled-in operands. */
  op(name: string, fixed: Args = {}): void {
    this.emit(name, this.fill(name, fixed));
  }

  /** A random multiple of `align` in [lo, hi]. */
  aligned(lo: number, hi: number, align: number): number {
    return this.rng.range(Math.ceil(lo / align), Math.floor(hi / align)) * align;
  }

  /** A register holding S + off: x28 itself, sp when it is there, or a fresh one set with
   *  add/sub from x28. */
  baseFor(off: number, allowSp = true): number {
    if (off === 0 && this.rng.chance(0.3)) return XB;
    if (allowSp && off === this.spOff && this.rng.chance(0.5)) return SP;
    const r = this.rdXnz();
    this.setBase(r, off);
    return r;
  }

  setBase(r: number, off: number): void {
    if (off >= 0) this.emit('add.x.imm', { rd: r, rn: XB, imm12: off, sh: 0 });
    else this.emit('sub.x.imm', { rd: r, rn: XB, imm12: -off, sh: 0 });
  }

  /** Load a 64-bit constant with movz/movn + movk. */
  movConst(r: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    const parts = [0, 1, 2, 3].map((i) => Number((u >> BigInt(16 * i)) & 0xffffn));
    const inverted = parts.filter((p) => p === 0xffff).length > parts.filter((p) => p === 0).length;
    const fill = inverted ? 0xffff : 0;
    let first = true;
    parts.forEach((p, hw) => {
      if (p === fill) return;
      if (first) this.emit(inverted ? 'movn.x' : 'movz.x', { rd: r, imm16: inverted ? p ^ 0xffff : p, hw });
      else this.emit('movk.x', { rd: r, imm16: p, hw });
      first = false;
    });
    if (first) this.emit(inverted ? 'movn.x' : 'movz.x', { rd: r, imm16: 0, hw: 0 });
  }
}

// ---- generic classes: an opcode from a set, operands from fill() -----------------------------

const set = (re: RegExp, not?: RegExp) => names(re).filter((n) => !not || !not.test(n));
const GROUPS = {
  aluImm: set(/^((add|adds|sub|subs|and|orr|eor|ands)\.[xw]\.imm|mov[nzk]\.[xw])$/),
  aluReg: set(/^((and|bic|orr|orn|eor|eon|ands|bics|add|adds|sub|subs)\.[xw]\.(reg|ext)|(adc|adcs|sbc|sbcs)\.[xw])$/),
  cond: set(/^((ccmn|ccmp)\.[xw]\.(reg|imm)|(csel|csinc|csinv|csneg)\.[xw])$/),
  bitfield: set(/^(sbfm|bfm|ubfm|extr)\.[xw]$/),
  muldiv: set(/^((madd|msub|udiv|sdiv)\.[xw]|smaddl|smsubl|umaddl|umsubl|smulh|umulh)$/),
  dp1: set(/^(rbit|rev16|rev32|rev|clz|cls|lslv|lsrv|asrv|rorv)\.[xw]$/),
  crc: set(/^crc32c?[bhwx]$/),
  flagm: set(/^(cfinv|xaflag|axflag|sb|rmif|setf8|setf16)$/),
  pcrel: set(/^adrp?$/),
  fpArith: set(/^(fmov|fabs|fneg|fsqrt|frint[npmzaxi]|fmul|fdiv|fadd|fsub|fmax|fmin|fmaxnm|fminnm|fnmul)\.[sd]$/),
  fpFma: set(/^(fmadd|fmsub|fnmadd|fnmsub)\.[sd]$/),
  fpCmp: set(/^(fcmpe?|fccmpe?|fcsel)\.[sd](\.zero)?$/),
  fpCvt: set(/^(fcvt\.[sdh]\.[sdh]|fcvt[nmpaz][su]\.[xw]\.[sd](\.fix)?|[su]cvtf\.[sd]\.[xw](\.fix)?|fmov\.(w\.s|s\.w|x\.d|d\.x|x\.v1|v1\.x))$/),
  fpImm: set(/^fmov\.[sd]\.imm$/),
  fpEst: set(/^(frecpe|frsqrte|frecps|frsqrts|frecpx|urecpe|ursqrte)\./),
  simdInt: set(/^[a-z0-9]+\.v$/, /^(f|[su]cvtf|uzp|trn|zip|ext\.|urecpe|ursqrte)|^(s|u)?(add|max|min|addl)v\.v$|^(([su]|us|su)dot|sqrdml[as]h|(s|u|us)mmla)\./),
  simdFp: set(/^(f[a-z0-9]+|[su]cvtf)\.v$/, /^f(max|min)(nm)?v\.v$|^frint(32|64)/),
  simdShift: set(/\.(v|sc)\.imm$/),
  simdElem: set(/\.(v|sc)\.el[hsd]$/, /^(([su]|us|su)dot|sqrdml[as]h)\./),
  fpRintInt: set(/^(frint(32|64)[zx]\.([sd]|v)|fjcvtzs)$/),
  simdDot: set(/^(([su]|us|su)dot|sqrdml[as]h|(s|u|us)mmla)\./),
  crypto: set(/^(aes(e|d|mc|imc)|sha1[cpmh]|sha1su[01]|sha256(h|h2|su0|su1)|pmull\.1q|sha512(h|h2|su0|su1)|eor3|bcax|xar|rax1)$/),
  simdModImm: set(/^((movi|mvni|orr|bic|fmov)\.v\.(b|h|s|msl|2d|d)|movi\.d)$/),
  simdPerm: set(/^((uzp[12]|trn[12]|zip[12]|ext)\.v|tb[lx]\.[1-4]|(dup|ins|smov|umov)\.[a-z.]+)$/, /^dup\.sc$/),
  simdAcross: set(/^((s|u)?(add|max|min|addl)v|f(max|min)(nm)?v)\.v$/),
  simdScalar: set(/^[a-z0-9]+\.sc$/, /^sqrdml[as]h\./),
};

const generic = (group: readonly string[]) => (g: Gen) => g.op(g.rng.pick(group));

// ---- memory ------------------------------------------------------------------------------------

/** A target offset from S for an access of `bytes`, aligned to `align`. */
function target(g: Gen, bytes: number, align: number): number {
  return g.aligned(SCRATCH_LO, SCRATCH_HI - bytes, align);
}

/** Pick an alignment for a plain access: natural mostly, any byte now and then. */
const plainAlign = (g: Gen, bytes: number) => (g.rng.chance(0.8) ? Math.min(bytes, 16) : 1);

const accessBytes = (d: OpDef, a: Args): number => {
  const b = d.mem!.bytes;
  return typeof b === 'number' ? b : b(a);
};

/** Emit a load/store of any mode through a base that holds a known S-relative address. */
function access(g: Gen, name: string): void {
  const d = def(name);
  const m = d.mem!;
  // The shape (vector arrangement) first: it decides how many bytes move.
  const shape = g.fill(name, { rn: 0, rm: 0 });
  const bytes = accessBytes(d, shape);
  const align = m.align > 1 ? m.align : plainAlign(g, bytes);
  const fixed: Args = {};
  if (shape.Q !== undefined) fixed.Q = shape.Q;
  if (shape.ssize !== undefined) fixed.ssize = shape.ssize;
  const t = target(g, bytes, align);
  switch (m.mode) {
    case 'uoff': {
      // base b <= t with (t - b) a multiple of scale, in reach of imm12
      const b = g.rng.chance(0.5) && t >= 0 && t % m.scale === 0 ? 0 : t - g.aligned(0, t - SCRATCH_LO, m.scale);
      fixed.rn = g.baseFor(b);
      fixed.imm12 = (t - b) / m.scale;
      break;
    }
    case 'imm9': {
      const b = g.rng.range(Math.max(SCRATCH_LO, t - 255), Math.min(SCRATCH_HI, t + 256));
      fixed.rn = g.baseFor(b);
      fixed.imm9 = t - b;
      break;
    }
    case 'pre':
    case 'post':
    case 'pairpre':
    case 'pairpost': {
      const pair = m.mode.startsWith('pair');
      const pre = m.mode.endsWith('pre');
      const scale = pair ? m.scale : 1;
      const key = pair ? 'imm7' : 'imm9';
      const lim = pair ? 64 * scale : 256;
      if (g.rng.chance(0.3)) {
        // sp as the base: the moved sp stays 16-byte aligned and inside [SP_MIN, SP_MAX].
        const imms = range(-lim / 16, lim / 16 - 1).map((i) => i * 16).filter((i) => {
          const at = pre ? g.spOff + i : g.spOff;
          return i % scale === 0 && g.spOff + i >= SP_MIN && g.spOff + i <= SP_MAX && at >= SCRATCH_LO && at + bytes <= SCRATCH_HI;
        });
        if (imms.length) {
          const imm = g.rng.pick(imms);
          fixed.rn = SP;
          fixed[key] = imm / scale;
          g.emit(name, g.fill(name, fixed));
          g.spOff += imm;
          return;
        }
      }
      // The access is at t; the base moves by imm (pre: before, post: after the access).
      const imm = g.aligned(-lim, lim - scale, scale);
      const r = g.rdXnz();
      g.setBase(r, pre ? t - imm : t);
      fixed.rn = r;
      fixed[key] = imm / scale;
      break;
    }
    case 'reg': {
      // address = base + (extend(index) << amount): pick base and index to land on t.
      const option = g.rng.pick([2, 3, 6, 7]);
      const s = g.rng.below(2);
      const sh = s ? m.scale : 0;
      let idx: number;
      do idx = option === 2 ? g.rng.range(0, 40) : g.rng.range(-40, 40);
      while (Math.abs(t - idx * 2 ** sh) > 4095);
      const base = g.baseFor(t - idx * 2 ** sh, false);
      let ir: number;
      do ir = g.rdXnz();
      while (ir === base);
      // The upper half of a W index is garbage: the extend must ignore it.
      let v = BigInt(idx);
      if (option === 2 || option === 6) v = (BigInt(g.rng.u32()) << 32n) | BigInt.asUintN(32, v);
      g.movConst(ir, v);
      Object.assign(fixed, { rn: base, rm: ir, option, S: s });
      break;
    }
    case 'pair': {
      const imm = g.aligned(-64 * m.scale, 63 * m.scale, m.scale);
      fixed.rn = g.baseFor(t - imm);
      fixed.imm7 = imm / m.scale;
      break;
    }
    case 'base':
      fixed.rn = g.baseFor(t);
      break;
    case 'vpost': {
      const r = g.rdXnz();
      g.setBase(r, t);
      fixed.rn = r;
      if (g.rng.chance(0.4)) {
        let inc: number;
        do inc = g.rdXnz();
        while (inc === r);
        g.movConst(inc, BigInt(g.rng.range(-300, 300)));
        fixed.rm = inc;
      } else fixed.rm = 31;
      break;
    }
    case 'lit':
      fixed.imm19 = g.rng.range(-48, 48);
      break;
  }
  // Transfer registers come from fill(), which keeps them off a written-back base.
  g.emit(name, g.fill(name, fixed));
}

const LOADSTORE = set(/^(ldr|str|ldrb|strb|ldrh|strh|ldrsb|ldrsh|ldrsw)(\.[xwbhsdq])?\.(uoff|imm9|pre|post|reg)$/);
const PAIRS = set(/^(ldp|stp|ldpsw|ldnp|stnp)\./);
const LITERAL = set(/\.lit$/);
const ACQREL = set(/^(stlr|ldar|ldapr)\.[bhwx]$|^(ldapur|stlur)/);
const LSE = set(/^(ld(add|clr|eor|set|smax|smin|umax|umin)|swp)(a|al|l)?\.[bhwx]$/);
const CAS = set(/^cas(a|al|l)?\.[bhwx]$/);
const CASP = set(/^casp(a|al|l)?\.[wx]$/);
const VLDST = set(/^(ld|st)[1-4](r)?(\.[1-4bhsd])?(\.post)?$/);

function exclusive(g: Gen): void {
  const sfx = g.rng.pick(['b', 'h', 'w', 'x', 'pw', 'px'] as const);
  const pair = sfx.startsWith('p');
  const size = pair ? sfx.slice(1) : sfx;
  const bytes = pair ? (size === 'x' ? 16 : 8) : { b: 1, h: 2, w: 4, x: 8 }[size]!;
  const base = g.baseFor(target(g, bytes, bytes));
  const ld = pair ? g.rng.pick(['ldxp', 'ldaxp']) + '.' + size : g.rng.pick(['ldxr', 'ldaxr']) + '.' + size;
  const st = pair ? g.rng.pick(['stxp', 'stlxp']) + '.' + size : g.rng.pick(['stxr', 'stlxr']) + '.' + size;
  const avoid = (r: number) => r === base;
  const pickDest = () => {
    let r: number;
    do r = g.rdXnz();
    while (avoid(r));
    return r;
  };
  const kind = g.rng.weighted([[8, 'pair'], [1, 'store-only'], [1, 'clrex']] as const);
  if (kind !== 'store-only') {
    const rt = pickDest();
    let rt2 = pickDest();
    while (pair && rt2 === rt) rt2 = pickDest();
    g.emit(ld, pair ? { rt, rt2, rn: base } : { rt, rn: base });
    // Register-only work in between (never the base, never memory).
    const n = g.rng.below(3);
    for (let i = 0; i < n; i++) {
      const name = g.rng.pick(GROUPS.aluReg);
      let a: Args;
      do a = g.fill(name);
      while (a.rd === base);
      g.emit(name, a);
    }
    if (kind === 'clrex') g.emit('clrex');
  }
  let rs: number;
  const rt = g.rsX();
  const rt2 = g.rsX();
  do rs = pickDest();
  while (rs === rt || rs === rt2);
  g.emit(st, pair ? { rs, rt, rt2, rn: base } : { rs, rt, rn: base });
}

function lse(g: Gen): void {
  const kind = g.rng.weighted([[6, 'ld'], [3, 'cas'], [2, 'casp']] as const);
  const name = g.rng.pick(kind === 'ld' ? LSE : kind === 'cas' ? CAS : CASP);
  const sfx = name.slice(-1);
  const bytes = { b: 1, h: 2, w: 4, x: 8 }[sfx]! * (kind === 'casp' ? 2 : 1);
  const base = g.baseFor(target(g, bytes, bytes));
  if (kind === 'casp') {
    const even = () => {
      let r: number;
      do r = g.rng.below(15) * 2;
      while (r === XB || r + 1 === XB || r === base || r + 1 === base);
      return r;
    };
    const rs = even();
    // Half the time compare against what memory holds, so the swap happens.
    if (g.rng.chance(0.5)) g.emit(sfx === 'x' ? 'ldp.x.off' : 'ldp.w.off', { rt: rs, rt2: rs + 1, rn: base, imm7: 0 });
    g.emit(name, { rs, rt: g.rng.below(15) * 2, rn: base });
    return;
  }
  let rs = g.rdXnz();
  while (rs === base) rs = g.rdXnz();
  if (kind === 'cas' && g.rng.chance(0.5)) {
    const ld = { b: 'ldrb.uoff', h: 'ldrh.uoff', w: 'ldr.w.uoff', x: 'ldr.x.uoff' }[sfx]!;
    g.emit(ld, { rt: rs, rn: base, imm12: 0 });
  }
  const rt = kind === 'cas' ? g.rsX() : g.rdX();
  g.emit(name, kind === 'cas' ? { rs, rt, rn: base } : { rs: g.rsX(), rt, rn: base });
}

// ---- control flow, flags, system registers --------------------------------------------------

const SKIPPABLE: ReadonlyArray<(g: Gen) => void> = [
  generic(GROUPS.aluReg), generic(GROUPS.aluImm), generic(GROUPS.simdInt), generic(GROUPS.fpArith), generic(GROUPS.cond),
];

/** A forward branch over one or two instructions. */
function skip(g: Gen): void {
  const inner = g.capture(() => {
    const n = g.rng.chance(0.7) ? 1 : 2;
    for (let i = 0; i < n; i++) g.rng.pick(SKIPPABLE)(g);
  });
  const over = 1 + inner.length; // in instructions, from the branch
  g.rng.weighted<() => void>([
    [6, () => g.emit('b.cond', { bcond: g.rng.below(16), imm19: over })],
    [2, () => g.emit(g.rng.pick(['cbz.x', 'cbnz.x', 'cbz.w', 'cbnz.w']), { rt: g.rsX(), imm19: over })],
    [2, () => {
      const w = g.rng.chance(0.5);
      g.emit(w ? g.rng.pick(['tbz.w', 'tbnz.w']) : g.rng.pick(['tbz.x', 'tbnz.x']), {
        rt: g.rsX(), [w ? 'tbitw' : 'tbit']: w ? g.rng.below(32) : g.rng.range(32, 63), imm14: over,
      });
    }],
    [1, () => g.emit(g.rng.pick(['b', 'bl']), { imm26: over })],
    [1, () => {
      const t = g.rdXnz();
      g.emit('adr', { rd: t, adr: 4 * (over + 1) });
      g.emit(g.rng.pick(['br', 'blr']), { rn: t });
    }],
  ])();
  g.append(inner);
}

/** Write NZCV from a register, or read it. */
function flags(g: Gen): void {
  if (g.rng.chance(0.5)) g.emit('msr.nzcv', { rt: g.rsX() });
  else g.emit('mrs.nzcv', { rt: g.rdX() });
}

/** Move sp within the buffer by a multiple of 16. */
function moveSp(g: Gen): void {
  const d = g.aligned(SP_MIN - g.spOff, SP_MAX - g.spOff, 16);
  if (d === 0) return;
  g.emit(d > 0 ? 'add.x.imm' : 'sub.x.imm', { rd: SP, rn: SP, imm12: Math.abs(d), sh: 0 });
  g.spOff += d;
}

const FP_USERS: ReadonlyArray<readonly string[]> = [GROUPS.fpArith, GROUPS.fpFma, GROUPS.fpCvt, GROUPS.simdFp, GROUPS.fpEst, GROUPS.fpCmp];

/** Generator switches (GenOptions.with): FPCR bits beyond the rounding mode (flush-to-zero,
 *  default NaN, alternative half precision). Off by default so the default runs keep exercising
 *  subnormals and NaN payloads; the corpus has a batch with them on (isa.ts). */
export const SWITCHES = ['fz-dn', 'ahp'] as const;

/** A random FPCR value the generator allows: every rounding mode; FZ, DN, AHP now and then if
 *  switched on. */
export function randomFpcr(rng: Rng, sw: ReadonlySet<string>): number {
  let v = rng.below(4) << FPCR_BITS.RMODE_SHIFT;
  if (sw.has('fz-dn')) {
    if (rng.chance(0.2)) v |= FPCR_BITS.FZ;
    if (rng.chance(0.2)) v |= FPCR_BITS.DN;
  }
  if (sw.has('ahp') && rng.chance(0.1)) v |= FPCR_BITS.AHP;
  return v;
}

/** Set FPCR (a rounding mode, maybe FZ/DN/AHP) and run FP operations under it; or read/write
 *  FPSR and read FPCR. */
function fpcr(g: Gen): void {
  const t = g.rdXnz();
  g.rng.weighted<() => void>([
    [6, () => {
      g.emit('movz.x', { rd: t, imm16: randomFpcr(g.rng, g.switches) >>> 16, hw: 1 });
      g.emit('msr.fpcr', { rt: t });
      const n = g.rng.range(1, 3);
      for (let i = 0; i < n; i++) g.op(g.rng.pick(g.rng.pick(FP_USERS)));
    }],
    [1, () => {
      g.movConst(t, BigInt(g.rng.u32() & FPSR_BITS));
      g.emit('msr.fpsr', { rt: t });
    }],
    [1, () => g.emit('mrs.fpsr', { rt: g.rdX() })],
    [1, () => g.emit('mrs.fpcr', { rt: g.rdX() })],
  ])();
}

type ClassGen = (g: Gen) => void;

export const CLASSES: ReadonlyArray<readonly [number, string, ClassGen]> = [
  [6, 'alu-imm', generic(GROUPS.aluImm)],
  [8, 'alu-reg', generic(GROUPS.aluReg)],
  [5, 'cond', generic(GROUPS.cond)],
  [4, 'bitfield', generic(GROUPS.bitfield)],
  [5, 'muldiv', generic(GROUPS.muldiv)],
  [3, 'dp1', generic(GROUPS.dp1)],
  [2, 'crc', generic(GROUPS.crc)],
  [1, 'pcrel', generic(GROUPS.pcrel)],
  [2, 'flags', flags],
  [1, 'sp', moveSp],
  [3, 'skip', skip],
  [9, 'load-store', (g) => access(g, g.rng.pick(LOADSTORE))],
  [3, 'pair', (g) => access(g, g.rng.pick(PAIRS))],
  [1, 'literal', (g) => access(g, g.rng.pick(LITERAL))],
  [2, 'exclusive', exclusive],
  [2, 'acq-rel', (g) => access(g, g.rng.pick(ACQREL))],
  [3, 'lse', lse],
  [3, 'vec-ldst', (g) => access(g, g.rng.pick(VLDST))],
  [6, 'fp-arith', generic(GROUPS.fpArith)],
  [3, 'fp-fma', generic(GROUPS.fpFma)],
  [3, 'fp-cmp', generic(GROUPS.fpCmp)],
  [5, 'fp-cvt', generic(GROUPS.fpCvt)],
  [1, 'fp-imm', generic(GROUPS.fpImm)],
  [4, 'fpcr', fpcr],
  [2, 'fp-estimate', generic(GROUPS.fpEst)],
  [8, 'simd-int', generic(GROUPS.simdInt)],
  [6, 'simd-fp', generic(GROUPS.simdFp)],
  [4, 'simd-shift', generic(GROUPS.simdShift)],
  [3, 'simd-elem', generic(GROUPS.simdElem)],
  [2, 'simd-modimm', generic(GROUPS.simdModImm)],
  [5, 'simd-perm', generic(GROUPS.simdPerm)],
  [2, 'simd-across', generic(GROUPS.simdAcross)],
  [4, 'simd-scalar', generic(GROUPS.simdScalar)],
  [2, 'fp-rint-int', generic(GROUPS.fpRintInt)],
  [2, 'simd-dot', generic(GROUPS.simdDot)],
  [2, 'crypto', generic(GROUPS.crypto)],
  [1, 'flagm', generic(GROUPS.flagm)],
];

/** The opcode sets of the generic classes (for coverage checks). */
export const OPCODE_GROUPS = { ...GROUPS, LOADSTORE, PAIRS, LITERAL, ACQREL, LSE, CAS, CASP, VLDST };

// ---- initial values ----------------------------------------------------------------------------

const F16_EDGES = [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0xfe01, 0x0001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x3c00, 0xbc00, 0x3555, 0x5bff];
const LANE_EDGES: Readonly<Record<number, readonly number[]>> = {
  8: [0, 1, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x40],
  16: [0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x00ff, 0xff00, 0x4000],
  32: [0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x0000ffff, 0x00010000, 0x40000000],
};

/** A 64-bit vector half: FP values of each width, integer lanes at their edges, or random. */
function randomHalf(rng: Rng): bigint {
  const lanes = (bits: number, lane: () => number) => {
    let v = 0n;
    for (let i = 0; i < 64; i += bits) v |= BigInt(lane()) << BigInt(i);
    return v;
  };
  return rng.weighted<() => bigint>([
    [5, () => randomF64(rng)],
    [5, () => lanes(32, () => randomF32(rng))],
    [1, () => lanes(16, () => rng.pick(F16_EDGES))],
    [2, () => lanes(8, () => (rng.chance(0.7) ? rng.pick(LANE_EDGES[8]!) : rng.below(256)))],
    [2, () => lanes(16, () => (rng.chance(0.7) ? rng.pick(LANE_EDGES[16]!) : rng.below(65536)))],
    [2, () => lanes(32, () => (rng.chance(0.7) ? rng.pick(LANE_EDGES[32]!) : rng.u32()))],
    [2, () => randomXreg(rng)],
    [1, () => rng.u64()],
  ])();
}

export function generateSequence(rng: Rng, opts: GenOptions): Sequence {
  const switches = new Set(opts.with ?? []);
  const classNames = CLASSES.map(([, name]) => name);
  for (const w of switches) {
    if (!(SWITCHES as readonly string[]).includes(w) && !classNames.includes(w)) throw new Error(`aarch64 generator: unknown switch ${w} (${SWITCHES.join(', ')} or a class name)`);
  }
  const init: SeqInit = {
    x: Array.from({ length: 31 }, () => randomXreg(rng)),
    v: Array.from({ length: 64 }, () => randomHalf(rng)),
    nzcv: (rng.below(16) << 28) >>> 0,
    fpcr: randomFpcr(rng, switches),
    fpsr: rng.chance(0.3) ? rng.u32() & FPSR_BITS : 0,
    mem: new Uint8Array(SCRATCH_SIZE),
  };
  const mv = new DataView(init.mem.buffer);
  for (let off = 0; off < SCRATCH_SIZE; off += 8) mv.setBigUint64(off, rng.chance(0.3) ? randomHalf(rng) : randomMem64(rng), true);

  const g = new Gen(rng, switches);
  const classes: string[] = [];
  const n = rng.range(opts.minLen, opts.maxLen);
  // Class names among the switches focus the sequence on those classes only.
  const focus = CLASSES.filter(([, name]) => switches.has(name));
  const weighted = (focus.length ? focus : CLASSES).map(([w, name, fn]) => [w, [name, fn]] as const);
  for (let i = 0; i < n; i++) {
    const [name, fn] = rng.weighted(weighted);
    classes.push(name);
    g.current = name;
    fn(g);
  }
  return { init, insns: g.insns, classes, origins: g.origins };
}
