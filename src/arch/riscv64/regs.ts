// RV64 CPU state slots: the integer registers, the FP registers (raw 64-bit patterns; singles
// NaN-boxed) and the two FP status CSR fields. fcsr is not a slot: it is frm<<5 | fflags.

/** x0 … x31 are slots 0 … 31 (x0 is never written; reads of it are lifted as const 0). */
export const X0 = 0;
export const RA = 1;
export const SP = 2;
export const A0 = 10;
export const A7 = 17;
/** f0 … f31 are slots 32 … 63. */
export const F0 = 32;
/** Accrued exception flags (FpFlag bits, 5 bits). */
export const FFLAGS = 64;
/** Dynamic rounding mode (3 bits). */
export const FRM = 65;
export const NSLOTS = 66;

/** ABI register names, as objdump prints them. */
export const XNAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];
export const FNAMES: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

export const SLOT_NAMES: readonly string[] = [...XNAMES, ...FNAMES, 'fflags', 'frm'];
