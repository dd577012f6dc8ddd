// The JS side of the imports (imports.ts): thin adapters from wasm's i32/i64 (signed BigInt) to
// the tier-0 runtime and FPU library, which stay the reference for everything done here. A guest
// signal raised inside is kept in `pending` and reported through Slot.FAULT instead of thrown, so
// the region can spill its registers and leave with the exact pc.
import type { IntTy } from '../ir.js';
import type { Tier0Runtime } from '../interp/runtime.js';
import { GuestSignal } from '../../signals.js';
import { AMO_FNS, FBIN_FNS, FCMP_FNS, type ImportName } from './imports.js';
import { Slot } from './layout.js';
import { helperAt } from '../helpers.js';

export interface HostState {
  /** The task whose code is running. */
  rt: Tier0Runtime;
  /** The guest signal an import raised, until the run wrapper throws it. */
  pending: GuestSignal | null;
}

const U = (x: bigint) => BigInt.asUintN(64, x);
const S32 = (x: bigint) => Number(BigInt.asIntN(32, x));

export function makeImports(st: HostState, i32: Int32Array): Record<ImportName, (...args: never[]) => unknown> {
  const FAULT = Slot.FAULT >>> 2;
  const FLAGS = Slot.FLAGS >>> 2;
  const FAULT_PC = Slot.FAULT_PC >>> 2;
  /** Runs f; a guest signal becomes pending (Slot.FAULT, Slot.FAULT_PC) and the result `dflt`. */
  const guard = <T>(pc: number, f: () => T, dflt: T): T => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof GuestSignal)) throw e;
      st.pending = e;
      i32[FAULT] = 1;
      i32[FAULT_PC] = pc;
      return dflt;
    }
  };
  const flags = <T>(v: T): T => {
    i32[FLAGS] = st.rt.fpu.flags;
    return v;
  };
  const num = (is64: number, x: bigint): number | bigint => (is64 ? U(x) : S32(x));
  const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));
  return {
    memSlow: (addr: bigint, sizeNeed: number, pc: number) =>
      guard(pc, () => (st.rt.addr(U(addr), sizeNeed & 15, sizeNeed >> 4), 0), 1),
    amo: (fn: number, size: number, addr: bigint, v: bigint, le: number, pc: number) =>
      guard(pc, () => st.rt.amo(AMO_FNS[fn], size as 4 | 8, U(addr), U(v), le !== 0), 0n),
    cas: (size: number, addr: bigint, exp: bigint, v: bigint, le: number, pc: number) =>
      guard(pc, () => st.rt.cas(size as 4 | 8, U(addr), U(exp), U(v), le !== 0), 0n),
    ll: (size: number, addr: bigint, le: number, pc: number) => guard(pc, () => st.rt.ll(size as 4 | 8, U(addr), le !== 0), 0n),
    sc: (size: number, addr: bigint, v: bigint, le: number, pc: number) =>
      guard(pc, () => st.rt.sc(size as 4 | 8, U(addr), U(v), le !== 0), 0),
    fbin32: (fn: number, a: number, b: number, rm: number) => flags(st.rt.fpu.fbin32(FBIN_FNS[fn], a, b, rm)),
    fbin64: (fn: number, a: bigint, b: bigint, rm: number) => flags(st.rt.fpu.fbin64(FBIN_FNS[fn], U(a), U(b), rm)),
    fsqrt32: (a: number, rm: number) => flags(st.rt.fpu.fsqrt32(a, rm)),
    fsqrt64: (a: bigint, rm: number) => flags(st.rt.fpu.fsqrt64(U(a), rm)),
    ffma32: (a: number, b: number, c: number, rm: number) => flags(st.rt.fpu.ffma32(a, b, c, rm)),
    ffma64: (a: bigint, b: bigint, c: bigint, rm: number) => flags(st.rt.fpu.ffma64(U(a), U(b), U(c), rm)),
    fcmp32: (fn: number, sig: number, a: number, b: number) => flags(st.rt.fpu.fcmp32(FCMP_FNS[fn], (sig & 1) !== 0, a, b, sig & ~1)),
    fcmp64: (fn: number, sig: number, a: bigint, b: bigint) => flags(st.rt.fpu.fcmp64(FCMP_FNS[fn], (sig & 1) !== 0, U(a), U(b), sig & ~1)),
    f2i: (from64: number, a: bigint, to64: number, signed: number, rm: number) => {
      const ty: IntTy = to64 ? 'i64' : 'i32';
      return flags(big(st.rt.fpu.f2i(from64 ? 'f64' : 'f32', num(from64, a), ty, signed !== 0, rm)));
    },
    i2f: (to64: number, a: bigint, from64: number, signed: number, rm: number) =>
      flags(big(st.rt.fpu.i2f(to64 ? 'f64' : 'f32', num(from64, a), from64 ? 'i64' : 'i32', signed !== 0, rm))),
    f2f: (from64: number, to64: number, a: bigint, rm: number) =>
      flags(big(st.rt.fpu.f2f(from64 ? 'f64' : 'f32', to64 ? 'f64' : 'f32', num(from64, a), rm))),
    fclass32: (a: number) => st.rt.fpu.fclass32(a),
    fclass64: (a: bigint) => st.rt.fpu.fclass64(U(a)),
    time: () => st.rt.counter('time', 0),
    helper: (id: number, a0: bigint, a1: bigint, a2: bigint, a3: bigint, a4: bigint, a5: bigint) =>
      helperAt(id).fn(U(a0), U(a1), U(a2), U(a3), U(a4), U(a5)),
  };
}
