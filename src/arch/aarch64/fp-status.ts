// FPCR/FPSR ↔ their CPU state slots, for code outside the IR (signal frames, gdb): FPCR's RMode
// becomes an IR Rm with FZ/DN as FpMode bits (FPRM) and alone (FPMODE); FPSR's cumulative flags
// IOC…IXC and IDC live in FPFLAGS as FpFlag bits, its other bits (QC) in FPSR. The lifted MRS/MSR
// (system.ts) do the same in IR.
import { FpFlag, FpMode } from '../../jit/ir.js';
import { FPCR, FPCR_MASK, FPFLAGS, FPMODE, FPRM, FPSR, FPSR_MASK } from './regs.js';

/** FpFlag bits NX UF OF DZ NV (bits 0 … 4) are FPSR's IXC UFC OFC DZC IOC (bits 4 … 0): reversed. */
function rev5(v: number): number {
  let r = 0;
  for (let i = 0; i < 5; i++) r |= ((v >>> i) & 1) << (4 - i);
  return r;
}

export function writeFpcr(S: BigUint64Array | bigint[], v: number): void {
  const fpcr = v & FPCR_MASK;
  S[FPCR] = BigInt(fpcr >>> 0);
  const mode = (fpcr >>> 21) & (FpMode.FZ | FpMode.DN);
  S[FPMODE] = BigInt(mode);
  // RMode RN, RP, RM, RZ (0 … 3) → the IR's RNE 0, RUP 3, RDN 2, RTZ 1
  S[FPRM] = BigInt(mode | ((4 - ((fpcr >>> 22) & 3)) & 3));
}

export function readFpsr(S: BigUint64Array | bigint[]): number {
  const f = Number(S[FPFLAGS] & 0xffn);
  return (Number(S[FPSR] & 0xffffffffn) | rev5(f) | ((f & FpFlag.ID) << 2)) >>> 0;
}

export function writeFpsr(S: BigUint64Array | bigint[], v: number): void {
  const fpsr = v & FPSR_MASK;
  S[FPSR] = BigInt((fpsr & ~0x9f) >>> 0);
  S[FPFLAGS] = BigInt(rev5(fpsr) | ((fpsr >>> 2) & FpFlag.ID));
}
