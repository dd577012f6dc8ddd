// AArch64 CPU state slots. x0…x30 and sp are separate slots (register number 31 means sp or the
// zero register depending on the encoding; the lifters decide). Each 128-bit vector register is two
// 64-bit slots (lo, hi). The flags N, Z, C, V are four slots holding 0 or 1 each, so a later tier can
// drop dead flag computations. FPCR is kept whole, with its rounding mode also cached in the IR's
// neutral encoding (FPRM, with FZ/DN as FpMode bits above it) so FP ops read it with one `get`; FPSR's cumulative exception bits are
// accrued in the IR's neutral FpFlag encoding (FPFLAGS) and converted only by MRS/MSR FPSR.

export const X0 = 0;
export const FP = 29;
export const LR = 30;
/** The stack pointer (encoding 31 where the instruction class takes sp). */
export const SP = 31;
/** Vector register n: low 64 bits at V0 + 2n, high 64 bits at V0 + 2n + 1. */
export const V0 = 32;
export const NF = 96;
export const ZF = 97;
export const CF = 98;
export const VF = 99;
/** FPCR as the program wrote it (only its defined bits). */
export const FPCR = 100;
/** FPSR's bits other than the cumulative exception flags (QC, IDC). */
export const FPSR = 101;
/** FPSR's cumulative exception flags, as FpFlag bits (NX UF OF DZ NV). */
export const FPFLAGS = 102;
/** FPCR.RMode as an IR Rm value. */
export const FPRM = 103;
export const TPIDR = 104;
/** The exclusive monitor for the accesses the IR's ll/sc do not cover (bytes, halfwords, pairs):
 *  the address (all ones: none), and the value(s) loaded. */
export const EXCL_ADDR = 105;
export const EXCL_LO = 106;
export const EXCL_HI = 107;
/** FPCR's FZ and DN as IR FpMode bits (0 in the default mode); FPRM holds them too, above the Rm. */
export const FPMODE = 108;
export const NSLOTS = 109;

export const vlo = (n: number): number => V0 + 2 * n;
export const vhi = (n: number): number => V0 + 2 * n + 1;

export const SLOT_NAMES: readonly string[] = [
  ...Array.from({ length: 31 }, (_, i) => `x${i}`),
  'sp',
  ...Array.from({ length: 64 }, (_, i) => `v${i >> 1}.${i & 1 ? 'hi' : 'lo'}`),
  'n', 'z', 'c', 'v', 'fpcr', 'fpsr', 'fpflags', 'fprm', 'tpidr_el0', 'excl_addr', 'excl_lo', 'excl_hi', 'fpmode',
];

/** CNTFRQ_EL0: the IR's 'time' counter ticks at 10 MHz. */
export const CNTFRQ = 10_000_000;
/** FPCR bits a program can set: AHP, DN, FZ, RMode, FZ16. */
export const FPCR_MASK = 0x07c80000;
/** FPSR bits: QC, IDC, IXC, UFC, OFC, DZC, IOC. */
export const FPSR_MASK = 0x0800009f;
