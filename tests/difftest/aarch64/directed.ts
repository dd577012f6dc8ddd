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
];

function sequence(c: Case): Sequence {
  const v = Array.from({ length: 64 }, () => 0n);
  for (const [r, [hi, lo]] of Object.entries(c.v ?? {})) {
    v[2 * Number(r)] = lo;
    v[2 * Number(r) + 1] = hi;
  }
  const insns = c.code.map(([name, args]) => encode(name, args));
  return {
    init: { x: Array.from({ length: 31 }, () => 0n), v, nzcv: 0, fpcr: (c.rmode ?? 0) << FPCR_BITS.RMODE_SHIFT, fpsr: 0, mem: new Uint8Array(SCRATCH_SIZE) },
    insns,
    classes: [`directed:${c.name}`],
    origins: insns.map(() => c.name),
  };
}

export const DIRECTED = {
  bugs: () => CASES.map((c, index) => ({ index, seq: sequence(c) })),
};
export const DIRECTED_COUNT = CASES.length;
