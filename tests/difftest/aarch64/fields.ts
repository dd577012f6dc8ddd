// The operand fields of A64 encodings: where each sits in the word and which values it takes.
// Values are raw field contents (signed where the architecture sign-extends the field); the views
// (views.ts) turn them into objdump's text.

export type Args = Record<string, number>;

export interface Field {
  readonly min: number;
  readonly max: number;
  /** Bits of the word the field occupies. */
  readonly mask: number;
  bits(v: number): number;
  /** Further restriction of the encodable values. */
  ok?(v: number): boolean;
}

/** A contiguous field hi..lo; signed ones take -2^(w-1) .. 2^(w-1) - 1. */
function bf(hi: number, lo: number, signed = false, ok?: (v: number) => boolean): Field {
  const w = hi - lo + 1;
  const m = w === 32 ? 0xffffffff : (1 << w) - 1;
  return {
    min: signed ? -(2 ** (w - 1)) : 0,
    max: signed ? 2 ** (w - 1) - 1 : 2 ** w - 1,
    mask: (m << lo) >>> 0,
    bits: (v) => ((v & m) << lo) >>> 0,
    ...(ok ? { ok } : {}),
  };
}

/** A field whose value is scattered over several bit ranges, most significant part first. */
function scattered(parts: ReadonlyArray<readonly [number, number]>, signed = false, ok?: (v: number) => boolean): Field {
  const width = parts.reduce((n, [hi, lo]) => n + hi - lo + 1, 0);
  let mask = 0;
  for (const [hi, lo] of parts) mask |= ((2 ** (hi - lo + 1) - 1) << lo) >>> 0;
  return {
    min: signed ? -(2 ** (width - 1)) : 0,
    max: signed ? 2 ** (width - 1) - 1 : 2 ** width - 1,
    mask: mask >>> 0,
    bits: (v) => {
      let out = 0;
      let rest = width;
      for (const [hi, lo] of parts) {
        const w = hi - lo + 1;
        rest -= w;
        out |= (Math.floor(v / 2 ** rest) & ((1 << w) - 1)) << lo;
      }
      return out >>> 0;
    },
    ...(ok ? { ok } : {}),
  };
}

/** DecodeBitMasks (Arm ARM, shared pseudocode): the logical immediate N:immr:imms for a width,
 *  or undefined if the encoding is reserved. Rotations beyond the element size are refused too. */
export function decodeBitMask(nImmrImms: number, width: 32 | 64): bigint | undefined {
  const n = (nImmrImms >> 12) & 1;
  const immr = (nImmrImms >> 6) & 63;
  const imms = nImmrImms & 63;
  if (width === 32 && n) return undefined;
  const combined = (n << 6) | (~imms & 63);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const esize = 1 << len;
  const levels = esize - 1;
  if ((imms & levels) === levels || immr >= esize) return undefined;
  const s = imms & levels;
  const ones = (1n << BigInt(s + 1)) - 1n;
  const emask = (1n << BigInt(esize)) - 1n;
  const elem = ((ones >> BigInt(immr)) | (ones << BigInt(esize - immr))) & emask;
  let v = 0n;
  for (let i = 0; i < width; i += esize) v |= elem << BigInt(i);
  return v;
}

export const FIELDS: Record<string, Field> = {
  // registers
  rd: bf(4, 0),
  rt: bf(4, 0),
  rn: bf(9, 5),
  rm: bf(20, 16),
  rs: bf(20, 16),
  ra: bf(14, 10),
  rt2: bf(14, 10),
  /** Rm of a by-element op on halfwords: v0..v15. */
  rm4: bf(19, 16),

  // integer immediates
  imm12: bf(21, 10),
  sh: bf(22, 22),
  bimm: bf(22, 10, false, (v) => decodeBitMask(v, 64) !== undefined),
  bimmw: bf(21, 10, false, (v) => decodeBitMask(v, 32) !== undefined),
  imm16: bf(20, 5),
  hw: bf(22, 21),
  hww: bf(21, 21),
  immr: bf(21, 16),
  imms: bf(15, 10),
  immrw: bf(20, 16),
  immsw: bf(14, 10),
  imm6: bf(15, 10),
  imm6w: bf(14, 10),
  stype: bf(23, 22),
  option: bf(15, 13),
  imm3: bf(12, 10, false, (v) => v <= 4),
  cond: bf(15, 12),
  bcond: bf(3, 0),
  nzcv: bf(3, 0),
  /** RMIF's rotate amount. */
  rmifsh: bf(20, 15),
  imm5: bf(20, 16),

  // pc-relative
  imm19: bf(23, 5, true),
  imm26: bf(25, 0, true),
  imm14: bf(18, 5, true),
  adr: scattered([[23, 5], [30, 29]], true),
  tbit: scattered([[31, 31], [23, 19]]),
  tbitw: bf(23, 19),

  // memory
  imm9: bf(20, 12, true),
  imm7: bf(21, 15, true),
  /** Register-offset S bit. */
  S: bf(12, 12),

  // Advanced SIMD and FP
  Q: bf(30, 30),
  size: bf(23, 22),
  /** The element size of a structure load/store (bits 11:10). */
  ssize: bf(11, 10),
  sz: bf(22, 22),
  immhb: bf(22, 16),
  imm4: bf(14, 11),
  /** EXT's byte index. */
  ext4: bf(14, 11),
  /** Modified-immediate a:b:c:d:e:f:g:h. */
  imm8: scattered([[18, 16], [9, 5]]),
  /** Shift amount of MOVI/MVNI/ORR/BIC with 32-bit elements (cmode<2:1>). */
  cms: bf(14, 13),
  /** … with 16-bit elements (cmode<1>), and the MSL amount (cmode<0>). */
  cmh: bf(13, 13),
  cmm: bf(12, 12),
  /** By-element index: H:L:M (halfwords), H:L (words), H (doublewords). */
  idxh: scattered([[11, 11], [21, 20]]),
  idxs: scattered([[11, 11], [21, 21]]),
  idxd: bf(11, 11),
  /** Fixed-point scale (64 - fbits). */
  scale: bf(15, 10),
  /** FMOV's 8-bit float immediate. */
  fimm: bf(20, 13),
  /** Single-structure lane index by element size: Q:S:size, Q:S:size<1>, Q:S, Q. */
  laneb: scattered([[30, 30], [12, 10]]),
  laneh: scattered([[30, 30], [12, 11]]),
  lanes: scattered([[30, 30], [12, 12]]),
  laned: bf(30, 30),
};
