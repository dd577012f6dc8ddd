// Native FP fast paths (filled in below); returning false hands the op to the FPU library import.
import type { Op as IROp } from '../ir.js';
import type { FpEnv } from '../fpu-api.js';

export interface FpNativeCtx {
  readonly pc: number;
}

export function emitFpNative(_ctx: FpNativeCtx, _op: Extract<IROp, { op: 'fbin' | 'fsqrt' | 'ffma' | 'fcmp' | 'f2i' | 'i2f' | 'f2f' }>, _env: FpEnv): boolean {
  return false;
}
