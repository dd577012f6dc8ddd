// The IR: one guest basic block as a flat list of typed operations on SSA temps.
//
// Shaped for two backends (DESIGN.md): tier 0 (src/jit/interp) and the wasm region tier.
// - Values are integers only: i32 or i64. Floating-point values travel as their bit patterns
//   (f32 in an i32, f64 in an i64), so NaN payloads and signalling NaNs survive exactly; FP ops
//   name the format they interpret the bits as.
// - Every width is explicit; comparisons yield i32 0/1.
// - Side results (FP exception flags) are separate optional outputs, computed only if asked for.
// - Memory ops carry size, signedness and byte order.
// - A block is ops + exactly one terminator. `mark` starts each guest instruction so faults,
//   logs and single-step know the guest pc.

export type IntTy = 'i32' | 'i64';
/** A float format; the value itself is carried as bits in an IntTy (f32→i32, f64→i64). */
export type FloatFmt = 'f32' | 'f64';
/** SSA temp index within one block. */
export type Temp = number;

export type BinOp =
  | 'add' | 'sub' | 'mul'
  | 'mulhs' | 'mulhu' | 'mulhsu' // high half of the double-width product (a signed × b unsigned for mulhsu)
  // Division never traps in the IR: x/0 → 0 for div, x for rem; signed MIN/-1 → MIN for div, 0 for rem.
  // Lifters add the ISA's own results for those cases with `select`.
  | 'divs' | 'divu' | 'rems' | 'remu'
  | 'and' | 'or' | 'xor'
  | 'shl' | 'shrl' | 'shra' | 'rotl' | 'rotr' // shift amount is taken modulo the width
  | 'eq' | 'ne' | 'lts' | 'ltu' | 'les' | 'leu'; // comparisons: result is i32 0/1

export type UnOp = 'clz' | 'ctz' | 'popcnt' | 'bswap';

/** Neutral rounding modes; numerically equal to RISC-V's rm field. */
export const enum Rm { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 }
/** Neutral FP exception flags; NX…NV numerically equal to RISC-V's fflags bits. ID: an input was
 *  a subnormal flushed to zero (ARM FPSR.IDC; only raised under FpMode.FZ). */
export const enum FpFlag { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16, ID = 32 }
/** ISA FP modes a dynamic rounding-mode value may carry above its Rm (bits 0-2), read by the FPU
 *  library at run time (ARM FPCR): FZ flushes subnormal inputs (ID) and tiny results (UF only) to
 *  zero; DN makes every NaN result the default NaN. 0 in the default mode, so backends' fast paths
 *  (which require a dynamic mode of 0 = RNE) stay as they are and hand moded ops to the library. */
export const enum FpMode { FZ = 8, DN = 16 }

/** A rounding mode: static, or a temp (i32) holding an Rm value read at run time, optionally with
 *  FpMode bits. A dynamic value whose low 3 bits are above 4 raises SIGILL at the current instruction. */
export type RmArg = { static: Rm } | { dyn: Temp };

export type AmoOp = 'swap' | 'add' | 'and' | 'or' | 'xor' | 'mins' | 'maxs' | 'minu' | 'maxu';
export type MemSize = 1 | 2 | 4 | 8;
export type Endian = 'le' | 'be';

export type Op =
  // ---- values
  | { op: 'const'; out: Temp; ty: IntTy; value: bigint } // taken modulo 2^width (signed or unsigned)
  | { op: 'get'; out: Temp; ty: IntTy; slot: number } // i32 reads the low half of the 64-bit slot
  | { op: 'set'; slot: number; ty: IntTy; value: Temp } // i32 writes zero-extended
  | { op: 'bin'; out: Temp; ty: IntTy; fn: BinOp; a: Temp; b: Temp }
  | { op: 'un'; out: Temp; ty: IntTy; fn: UnOp; a: Temp }
  | { op: 'wrap'; out: Temp; a: Temp } // i64 → i32, low half
  | { op: 'extend'; out: Temp; a: Temp; signed: boolean } // i32 → i64
  | { op: 'sext'; out: Temp; ty: IntTy; a: Temp; bits: 8 | 16 | 32 } // sign-extend the low `bits` within ty
  | { op: 'select'; out: Temp; ty: IntTy; cond: Temp; a: Temp; b: Temp } // cond (i32) ≠ 0 ? a : b
  // ---- memory (guest addresses are i64 temps; a fault raises SIGSEGV at the current insn)
  | { op: 'load'; out: Temp; ty: IntTy; size: MemSize; signed: boolean; endian: Endian; addr: Temp }
  | { op: 'store'; size: MemSize; endian: Endian; addr: Temp; value: Temp } // value: i32 for size ≤ 4 allowed
  // Atomics: naturally aligned or SIGBUS. Result is the old value, sign-extended to ty for size 4.
  | { op: 'amo'; out: Temp; ty: IntTy; fn: AmoOp; size: 4 | 8; endian: Endian; addr: Temp; value: Temp }
  | { op: 'cas'; out: Temp; ty: IntTy; size: 4 | 8; endian: Endian; addr: Temp; expected: Temp; value: Temp }
  // Load-linked / store-conditional: sc stores only if the reservation from ll covers addr and the
  // memory still holds the linked value; out is i32 1 on success, 0 on failure. Both clear/set the
  // reservation held by the engine.
  | { op: 'll'; out: Temp; ty: IntTy; size: 4 | 8; endian: Endian; addr: Temp }
  | { op: 'sc'; out: Temp; size: 4 | 8; endian: Endian; addr: Temp; value: Temp }
  | { op: 'clearReservation' }
  // ---- floating point on bit patterns (fmt f32: i32 temps, f64: i64 temps)
  | { op: 'fbin'; out: Temp; fmt: FloatFmt; fn: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'minnum' | 'maxnum'; a: Temp; b: Temp; rm: RmArg; flags?: Temp }
  | { op: 'fsqrt'; out: Temp; fmt: FloatFmt; a: Temp; rm: RmArg; flags?: Temp }
  | { op: 'ffma'; out: Temp; fmt: FloatFmt; a: Temp; b: Temp; c: Temp; rm: RmArg; flags?: Temp } // a*b+c, one rounding
  // Compare → i32 0/1. `signaling`: any NaN raises NV (else only a signalling NaN does). `mode`: an
  // i32 of FpMode bits (FZ flushes the operands), absent = 0.
  | { op: 'fcmp'; out: Temp; fmt: FloatFmt; fn: 'eq' | 'lt' | 'le' | 'unord'; signaling: boolean; a: Temp; b: Temp; flags?: Temp; mode?: Temp }
  // Float → int (saturating per the FpEnv), int → float, float → float.
  | { op: 'f2i'; out: Temp; from: FloatFmt; ty: IntTy; signed: boolean; a: Temp; rm: RmArg; flags?: Temp }
  | { op: 'i2f'; out: Temp; to: FloatFmt; from: IntTy; signed: boolean; a: Temp; rm: RmArg; flags?: Temp }
  | { op: 'f2f'; out: Temp; from: FloatFmt; to: FloatFmt; a: Temp; rm: RmArg; flags?: Temp }
  // Classify → i32 one-hot: bit 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal,
  // 6 +normal, 7 +inf, 8 signalling NaN, 9 quiet NaN (RISC-V's fclass order).
  | { op: 'fclass'; out: Temp; fmt: FloatFmt; a: Temp }
  // ---- pure helpers (helpers.ts): a registered function of i64 args with two i64 results
  // (e.g. a 128-bit value's low and high halves; out2 is a dummy where it has one result).
  | { op: 'helper'; out: Temp; out2: Temp; id: number; args: Temp[] }
  // ---- machine
  | { op: 'counter'; out: Temp; which: 'cycle' | 'time' | 'instret' } // i64
  | { op: 'mark'; pc: number; len: number }; // a guest instruction starts here

export type Terminator =
  | { op: 'goto'; pc: number }
  | { op: 'jump'; target: Temp } // indirect: i64 guest address
  | { op: 'branch'; cond: Temp; taken: number; fall: number } // cond i32 ≠ 0 → taken
  | { op: 'syscall'; next: number } // the engine runs the syscall, then continues at next
  | { op: 'trap'; signal: number; code: number; addr: number; pc: number } // synchronous signal at pc
  | { op: 'flushCode'; next: number }; // fence.i / IC IVAU: drop translations, continue at next

export interface IRBlock {
  /** Guest address of the first instruction. */
  readonly pc: number;
  readonly ops: Op[];
  readonly end: Terminator;
  /** Number of temps used (temps are 0 … ntemps-1). */
  readonly ntemps: number;
  /** Type of each temp. */
  readonly types: IntTy[];
  /** Guest instructions in the block and the bytes they span. */
  readonly ninsns: number;
  readonly size: number;
  /** Whether the block is a call (wasm/region.ts returnSite), where that is known without reading
   *  the ops: blocks from the translation store, whose ops are lifted only when asked for. */
  readonly isCall?: boolean;
}
