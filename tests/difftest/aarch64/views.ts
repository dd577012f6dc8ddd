// How objdump (binutils 2.40, -M no-aliases) prints A64 operands. A view gets the field's value,
// all the instruction's fields (some texts depend on another field) and the instruction's pc.
import { decodeBitMask, type Args } from './fields.js';

type View = (v: number, a: Args, pc: number, param: string) => string;

const hex = (v: number | bigint) => `0x${v.toString(16)}`;
const reg = (p: string, zr: string) => (v: number) => (v === 31 ? zr : `${p}${v}`);
const X = reg('x', 'xzr');
const W = reg('w', 'wzr');
export const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];
const EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];
/** Vector arrangements by size:Q. */
const ARR = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
const ELEM = 'bhsdq';

/** The value of an 8-bit FP immediate (VFPExpandImm), as a JS number. */
export function fpImm8(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  const b = (imm8 >> 6) & 1;
  const cd = (imm8 >> 4) & 3;
  return ((sign * (16 + (imm8 & 15))) / 16) * 2 ** (b ? cd - 3 : cd + 1);
}

/** C's "%.18e": JS prints "1.5e+0" where C prints "1.500000000000000000e+00". */
function cExp(v: number): string {
  const [m, e] = v.toExponential(18).split('e');
  const ev = Number(e);
  return `${m}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
}

/** Element bits of an immh:immb shift (the highest set bit of immh). */
const shEsize = (immhb: number) => 8 << (31 - Math.clz32(immhb >> 3));
/** The element size a copy's imm5 selects (lowest set bit), as log2 bytes. */
const i5size = (imm5: number) => 31 - Math.clz32(imm5 & -imm5);

/** A register list: a range when more than two and consecutive without wrapping, as objdump. */
function vlist(first: number, count: number, suffix: string): string {
  const regs = Array.from({ length: count }, (_, i) => (first + i) & 31);
  if (count > 2 && first + count - 1 <= 31) return `{v${first}.${suffix}-v${first + count - 1}.${suffix}}`;
  return `{${regs.map((r) => `v${r}.${suffix}`).join(', ')}}`;
}

/** Modified-immediate "bytes" form: each bit of imm8 stands for a byte of ones. */
function byteMask(imm8: number): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) if ((imm8 >> i) & 1) v |= 0xffn << BigInt(8 * i);
  return v;
}

export const VIEWS: Record<string, View> = {
  x: X,
  w: W,
  xsp: reg('x', 'sp'),
  wsp: reg('w', 'wsp'),
  b: (v) => `b${v}`,
  h: (v) => `h${v}`,
  s: (v) => `s${v}`,
  d: (v) => `d${v}`,
  q: (v) => `q${v}`,
  v: (v) => `v${v}`,
  dec: (v) => String(v),
  hex: (v) => hex(v),
  /** A field that only the view of another field prints. */
  none: () => '',
  sh12: (v) => (v ? ', lsl #12' : ''),
  bm: (v, _a, _pc, p) => hex(decodeBitMask(v, p === 'w' ? 32 : 64)!),
  hw: (v) => (v ? `, lsl #${16 * v}` : ''),
  cond: (v) => COND_NAMES[v]!,
  /** A shifted register's shift, after it; the amount is in imm6 (or imm6w). */
  sft: (v, a) => {
    const amt = a.imm6 ?? a.imm6w ?? 0;
    return v === 0 && amt === 0 ? '' : `, ${SHIFTS[v]} #${amt}`;
  },
  /** An extended register's extend (param: x or w form, and 's' if Rd may be sp). LSL is printed
   *  for UXTX/UXTW when Rn (or an sp-capable Rd) is the stack pointer. */
  ext: (v, a, _pc, p) => {
    const amt = a.imm3!;
    const spForm = a.rn === 31 || (p.includes('s') && a.rd === 31);
    if (spForm && v === (p.startsWith('x') ? 3 : 2)) return amt ? `, lsl #${amt}` : '';
    return `, ${EXTENDS[v]}${amt ? ` #${amt}` : ''}`;
  },
  /** Rm of an extended-register add in the x form: x for UXTX/SXTX, else w. */
  extr: (v, a) => ((a.option! & 3) === 3 ? X(v) : W(v)),
  /** Register-offset index register: x for LSL/SXTX, w for UXTW/SXTW. */
  rx: (v, a) => ((a.option! & 1) === 1 ? X(v) : W(v)),
  /** Register-offset extend; param is the access's log2 size. */
  rext: (v, a, _pc, p) => {
    const s = a.S ? ` #${p}` : '';
    if (v === 3) return a.S ? `, lsl #${p}` : '';
    return `, ${EXTENDS[v]}${s}`;
  },
  /** An offset printed only when nonzero; param scales it. */
  mo: (v, _a, _pc, p) => (v ? `, #${v * Number(p || 1)}` : ''),
  /** An offset printed always (pre- and post-index). */
  mw: (v, _a, _pc, p) => `, #${v * Number(p || 1)}`,
  /** A pc-relative target: pc + v * param. */
  rel: (v, _a, pc, p) => hex(BigInt.asUintN(64, BigInt(pc + v * Number(p || 1)))),
  adrp: (v, _a, pc) => hex(BigInt.asUintN(64, BigInt(Math.floor(pc / 4096) * 4096 + v * 4096))),
  /** Vector arrangement from size (or sz with param f) and Q. */
  T: (v, a, _pc, p) => ARR[(p === 'f' ? 4 + 2 * v : 2 * v) + a.Q!]!,
  /** Byte arrangements by Q. */
  Tb: (v) => (v ? '16b' : '8b'),
  /** Arrangement of element param by Q. */
  Tq: (v, _a, _pc, p) => ARR[2 * 'bhsd'.indexOf(p) + v]!,
  /** Long pairwise result: elements twice as wide, same register width. */
  Tlp: (v, a) => ['4h', '8h', '2s', '4s', '1d', '2d'][2 * v + a.Q!]!,
  /** FCVTN/FCVTL: the half-width side (4h/8h or 2s/4s by sz and Q), the full-width side. */
  Tfn: (v, a) => ARR[2 * (v + 1) + a.Q!]!,
  Tfw: (v, _a, _pc, p) => (v ? '2d' : p === 'p' ? '2s' : '4s'),
  /** SHLL's shift: the element size in bits. */
  shll: (v) => String(8 << v),
  /** The double-width arrangement of a long op's result (size of the narrow source). */
  Tw: (v) => ['8h', '4s', '2d'][v]!,
  /** Element letter of size (or sz with param f: s/d; param 'w': the next wider). */
  E: (v, _a, _pc, p) => ELEM[p === 'f' ? 2 + v : p === 'w' ? v + 1 : v]!,
  /** The "2" of a second-half (Q = 1) long or narrow op. */
  two: (v) => (v ? '2' : ''),
  /** Copy ops (imm5): arrangement with Q, element letter, element index. */
  i5T: (v, a) => ARR[2 * i5size(v) + a.Q!]!,
  i5E: (v) => ELEM[i5size(v)]!,
  i5i: (v) => String(v >> (i5size(v) + 1)),
  /** INS (element): the source index in imm4, scaled by the element size from imm5. */
  i4i: (v, a) => String(v >> i5size(a.imm5!)),
  /** Shift-by-immediate views: arrangement of esize (param w: of 2·esize, n: esize with Q), shift
   *  amounts for right (2·esize - v) and left (v - esize) shifts, scalar element letter. */
  shT: (v, a, _pc, p) => {
    const lg = Math.log2(shEsize(v) / 8) + (p === 'w' ? 1 : 0);
    return p === 'w' ? ['8h', '4s', '2d'][lg - 1]! : ARR[2 * lg + a.Q!]!;
  },
  shr: (v) => String(2 * shEsize(v) - v),
  shl: (v) => String(v - shEsize(v)),
  shE: (v, _a, _pc, p) => ELEM[Math.log2(shEsize(v) / 8) + (p === 'w' ? 1 : 0)]!,
  /** Fixed-point fraction bits from a conversion's scale field. */
  fbits: (v) => String(64 - v),
  /** Fixed-point fraction bits of a vector or scalar conversion by immediate: 2·esize - immh:immb. */
  fbv: (v) => String(2 * shEsize(v) - v),
  fimm: (v) => cExp(fpImm8(v)),
  /** MOVI 64-bit "bytes" immediate. */
  bytes: (v) => hex(byteMask(v)),
  /** MOVI/MVNI/ORR/BIC shift amounts: LSL by 8·v (omitted when 0), MSL 8 or 16. */
  lsl8: (v) => (v ? `, lsl #${8 * v}` : ''),
  msl: (v) => `, msl #${8 * (v + 1)}`,
  /** A register list of param registers of arrangement size:Q, or param "N/suffix". */
  vl: (v, a, _pc, p) => {
    const [n, suffix] = p.split('/');
    return vlist(v, Number(n), suffix ?? ARR[2 * (a.ssize ?? a.size!) + a.Q!]!);
  },
  /** Post-index of a multiple-structure access: #bytes (param: registers) when Rm is 31, else Rm. */
  postm: (v, a, _pc, p) => (v === 31 ? `#${Number(p) * (a.Q ? 16 : 8)}` : X(v)),
  /** … of a single-structure access: param is the byte count. */
  posts: (v, _a, _pc, p) => (v === 31 ? `#${p}` : X(v)),
  /** … of a load-and-replicate: param registers of the element size. */
  postr: (v, a, _pc, p) => (v === 31 ? `#${Number(p) << a.ssize!}` : X(v)),
};
