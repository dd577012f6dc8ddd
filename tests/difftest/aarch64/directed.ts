// Hand-made sequences, one or a few per crossrun bug the random runs found, so the committed
// corpus keeps the exact edge each one needed (a random batch may not hit it again). Recorded from
// qemu like the rest (the 'directed' entry of the corpus); each names the bug it pins.
import type { Args } from './fields.js';
import { FPCR_BITS, SCRATCH_SIZE, type Sequence } from './generate.js';
import { encode } from './opcodes.js';

interface Case {
  name: string;
  /** FPCR.RMode: 0 RN, 1 RP, 2 RM, 3 RZ. */
  rmode?: number;
  /** FPCR.FZ set too. */
  fz?: boolean;
  /** Vector registers' initial values as [high, low] 64-bit halves (others are zero). */
  v?: Readonly<Record<number, readonly [bigint, bigint]>>;
  code: ReadonlyArray<readonly [string, Args]>;
}

/** Four single-precision lanes, lane 0 first, as [high, low]. */
const s4 = (l0: number, l1: number, l2: number, l3: number): [bigint, bigint] => [
  (BigInt(l3) << 32n) | BigInt(l2),
  (BigInt(l1) << 32n) | BigInt(l0),
];

const CASES: readonly Case[] = [
  // FRSQRTS rounded 3 − x·y before halving it: wrong where 3 − x·y overflows but its half does not,
  // or (directed rounding) where both overflow. Lanes: 2^127·−2, max·−2, −2^127·3, 1·3.
  ...[0, 1, 2, 3].map((rmode): Case => ({
    name: `frsqrts-overflow-rmode${rmode}`,
    rmode,
    v: {
      1: s4(0x7f000000, 0x7f7fffff, 0xff000000, 0x3f800000),
      2: s4(0xc0000000, 0xc0000000, 0x40400000, 0x40400000),
      18: [0xea7ea4efd65a36f9n, 0xff8cdb92d4f67e40n],
      26: [0x7b8ad818f2855f8dn, 0x7e00fc0004000001n],
    },
    code: [
      ['frsqrts.v', { rd: 3, rn: 1, rm: 2, sz: 0, Q: 1 }],
      ['frsqrts.sc', { rd: 4, rn: 1, rm: 2, sz: 0 }],
      ['frsqrts.v', { rd: 29, rn: 18, rm: 26, sz: 1, Q: 1 }],
      ['frsqrts.sc', { rd: 5, rn: 18, rm: 26, sz: 1 }],
    ],
  })),
  // URSHL/UQRSHL on 64-bit lanes shifting right by more than 64 (shift byte -112) added the lane's
  // top bit as the rounding bit: 1 instead of 0. By exactly 64 the top bit is the right answer.
  {
    name: 'rounding-shift-right-past-64',
    v: {
      26: [0xffffffffffffffffn, 0x8000000000000001n],
      0: [0x90n, 0x90n], // -112
      1: [0xc0n, 0xc0n], // -64
      2: [0xc1n, 0xbfn], // -63, -65
    },
    code: [
      ['urshl.sc', { rd: 3, rn: 26, rm: 0, size: 3 }],
      ['urshl.sc', { rd: 4, rn: 26, rm: 1, size: 3 }],
      ['uqrshl.sc', { rd: 5, rn: 26, rm: 0, size: 3 }],
      ['srshl.sc', { rd: 6, rn: 26, rm: 0, size: 3 }],
      ['sqrshl.sc', { rd: 7, rn: 26, rm: 1, size: 3 }],
      ['urshl.v', { rd: 8, rn: 26, rm: 0, size: 3, Q: 1 }],
      ['urshl.v', { rd: 9, rn: 26, rm: 2, size: 3, Q: 1 }],
      ['uqrshl.v', { rd: 10, rn: 26, rm: 2, size: 3, Q: 1 }],
      ['srshl.v', { rd: 11, rn: 26, rm: 2, size: 3, Q: 1 }],
    ],
  },
  // FCVTXN (vector and scalar) was not implemented (SIGILL). Inexact (1 + 2^-36 → odd), overflow,
  // a subnormal result, a signalling NaN.
  {
    name: 'fcvtxn',
    rmode: 1,
    v: {
      11: [0x7e37e43c8800759cn, 0x3ff0000000010000n],
      12: [0xfff4000000000000n, 0x0000000000000001n],
      20: [0x1111111111111111n, 0x2222222222222222n],
    },
    code: [
      ['fcvtxn.v', { rd: 20, rn: 11, Q: 0 }],
      ['fcvtxn.v', { rd: 20, rn: 12, Q: 1 }],
      ['fcvtxn.sc', { rd: 21, rn: 11 }],
      ['fcvtxn.sc', { rd: 22, rn: 12 }],
    ],
  },
  // Scalar SQDMULL/SQDMLAL/SQDMLSL (three different, scalar form) were not implemented (SIGILL).
  {
    name: 'sqdmlal-scalar',
    v: {
      1: [0n, 0x8000n],
      3: [0n, 0x10n],
      5: [0n, 0x80000000n],
      6: [0n, 0x80000000n],
      8: [0n, 0x7fffffffffffffffn],
    },
    code: [
      ['sqdmull.sc', { rd: 4, rn: 1, rm: 1, size: 1 }],
      ['sqdmlal.sc', { rd: 3, rn: 1, rm: 1, size: 1 }],
      ['sqdmlsl.sc', { rd: 5, rn: 1, rm: 1, size: 1 }],
      ['sqdmull.sc', { rd: 7, rn: 6, rm: 6, size: 2 }],
      ['sqdmlal.sc', { rd: 8, rn: 3, rm: 3, size: 2 }],
    ],
  },
  // FJCVTZS gave 0 for finite values out of the int32 range (it keeps the low 32 bits; only NaN
  // and ∞ give 0), and its Z under FPCR.FZ for subnormals differed from qemu's (Z = the sign is
  // clear). One case per value: NZCV shows the last conversion's Z.
  ...([
    ['big', 0x41efffffffffffffn, false], // 2^32 - 2^-21: 0xffffffff, NV
    ['neg-in-range', 0xc1e00000001fffffn, false], // -2^31 - 0.5 + ε truncates to -2^31: NX
    ['neg-out', 0xc1e0000000200000n, false], // -2^31 - 1: NV
    ['2^84+', 0x4530000000000001n, false], // low 32 bits 0, NV
    ['-0', 1n << 63n, false],
    ['sub+', 0x000fffffffffffffn, false],
    ['sub+fz', 0x000fffffffffffffn, true],
    ['sub-fz', 0x800fffffffffffffn, true],
    ['-inf', 0xfff0000000000000n, false],
    ['snan', 0x7ff4000000000001n, false],
    ['exact', 0xc0dfffc000000000n, false], // -32767
  ] as const).map(([name, val, fz]): Case => ({
    name: `fjcvtzs-${name}`,
    fz,
    v: { 1: [0x1234n, val] },
    code: [['fjcvtzs', { rd: 0, rn: 1 }]],
  })),
  // FRINT32/64 edges in every rounding mode: just below and at the int32/int64 limits, ties,
  // -0.5 (a negative zero result), a subnormal, ∞, NaN.
  ...[0, 1, 2, 3].map((rmode): Case => ({
    name: `frint-n-edges-rmode${rmode}`,
    rmode,
    v: {
      1: [0x41dfffffffe00000n, 0xc1e0000000100000n], // 2^31 - 0.5, -2^31 - 0.5
      2: [0x43dfffffffffffffn, 0xc3e0000000000000n], // below 2^63, -2^63
      3: [0xbfe0000000000000n, 0x0000000000000001n], // -0.5, subnormal
      4: [0x7ff0000000000000n, 0x7ff8000000000000n],
      5: s4(0x4effffff, 0xcf000000, 0x5effffff, 0x3fc00000), // 2^31 - 128, -2^31, 2^63 - 2^39, 1.5
    },
    code: [
      ['frint32x.v', { rd: 10, rn: 1, sz: 1, Q: 1 }],
      ['frint64x.v', { rd: 11, rn: 2, sz: 1, Q: 1 }],
      ['frint32z.v', { rd: 12, rn: 3, sz: 1, Q: 1 }],
      ['frint64z.v', { rd: 13, rn: 4, sz: 1, Q: 1 }],
      ['frint32x.v', { rd: 14, rn: 5, sz: 0, Q: 1 }],
      ['frint64x.v', { rd: 15, rn: 5, sz: 0, Q: 1 }],
      ['frint32x.d', { rd: 16, rn: 1 }],
      ['frint64z.s', { rd: 17, rn: 5 }],
    ],
  })),
];

function sequence(c: Case): Sequence {
  const v = Array.from({ length: 64 }, () => 0n);
  for (const [r, [hi, lo]] of Object.entries(c.v ?? {})) {
    v[2 * Number(r)] = lo;
    v[2 * Number(r) + 1] = hi;
  }
  const insns = c.code.map(([name, args]) => encode(name, args));
  return {
    init: { x: Array.from({ length: 31 }, () => 0n), v, nzcv: 0, fpcr: ((c.rmode ?? 0) << FPCR_BITS.RMODE_SHIFT) | (c.fz ? FPCR_BITS.FZ : 0), fpsr: 0, mem: new Uint8Array(SCRATCH_SIZE) },
    insns,
    classes: [`directed:${c.name}`],
    origins: insns.map(() => c.name),
  };
}

export const DIRECTED = {
  bugs: () => CASES.map((c, index) => ({ index, seq: sequence(c) })),
};
export const DIRECTED_COUNT = CASES.length;
