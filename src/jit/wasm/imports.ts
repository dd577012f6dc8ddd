// The JS functions region code imports, in one table that drives both the module's import section
// (compile.ts) and the host object (host.ts). Everything here is a slow path or a rare operation:
// an access the inline page-table check cannot prove, an atomic or LL/SC that region code cannot do
// in place (big-endian, unaligned, a page that does not allow it: region-emitter.ts's
// emitAtomicInline), FP operations the inline code hands back, helpers and the time counter.
import { VT } from './encoder.js';

const { i32: I32, i64: I64 } = { i32: VT.i32, i64: VT.i64 };

export const IMPORTS = {
  // Those that can raise a guest signal take the instruction's pc last: the signal stays pending,
  // Slot.FAULT is set to 1 and Slot.FAULT_PC to that pc.
  /** (addr, size | need << 4, pc) → 0 if the access may proceed, 1 if it raised a guest signal. */
  memSlow: [[I64, I32, I32], [I32]],
  amo: [[I32, I32, I64, I64, I32, I32], [I64]], // fn, size, addr, value, le, pc → old (zero-extended)
  cas: [[I32, I64, I64, I64, I32, I32], [I64]], // size, addr, expected, value, le, pc → old
  ll: [[I32, I64, I32, I32], [I64]], // size, addr, le, pc → value
  sc: [[I32, I64, I64, I32, I32], [I32]], // size, addr, value, le, pc → 1 stored / 0 failed
  fbin32: [[I32, I32, I32, I32], [I32]], // fn, a, b, rm
  fbin64: [[I32, I64, I64, I32], [I64]],
  fsqrt32: [[I32, I32], [I32]],
  fsqrt64: [[I64, I32], [I64]],
  ffma32: [[I32, I32, I32, I32], [I32]],
  ffma64: [[I64, I64, I64, I32], [I64]],
  fcmp32: [[I32, I32, I32, I32], [I32]], // fn, signaling, a, b
  fcmp64: [[I32, I32, I64, I64], [I32]],
  /** (fromIs64, a as i64, toIs64, signed, rm) → integer (i32 results sign-extended). */
  f2i: [[I32, I64, I32, I32, I32], [I64]],
  /** (toIs64, a as i64 (i32 sources sign-extended), fromIs64, signed, rm) → float bits. */
  i2f: [[I32, I64, I32, I32, I32], [I64]],
  /** (fromIs64, toIs64, a bits, rm) → bits. */
  f2f: [[I32, I32, I64, I32], [I64]],
  fclass32: [[I32], [I32]],
  fclass64: [[I64], [I32]],
  time: [[], [I64]],
  /** (helper id, MAX_HELPER_ARGS i64 args, zero-padded) → its two results (helpers.ts). */
  helper: [[I32, I64, I64, I64, I64, I64, I64], [I64, I64]],
} as const satisfies Record<string, readonly [readonly VT[], readonly VT[]]>;

export type ImportName = keyof typeof IMPORTS;
export const IMPORT_NAMES = Object.keys(IMPORTS) as ImportName[];

export const FBIN_FNS = ['add', 'sub', 'mul', 'div', 'min', 'max', 'minnum', 'maxnum'] as const;
export const FCMP_FNS = ['eq', 'lt', 'le', 'unord'] as const;
export const AMO_FNS = ['swap', 'add', 'and', 'or', 'xor', 'mins', 'maxs', 'minu', 'maxu'] as const;
