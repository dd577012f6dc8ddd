// The IR evaluator's (ir-eval.ts) rare ops, which work on BigInt: atomics, LL/SC, floating point,
// helpers, counters, and 64-bit division beyond 32-bit operands. Temps live as int32 pairs in the
// evaluator's temp file; these convert at the op only. Semantics as compile-block.ts's generated code.
import type { IntTy, Op, RmArg } from '../ir.js';
import type { Tier0Runtime } from './runtime.js';
import { helperAt } from '../helpers.js';

// One 64-bit scratch seen as two int32 halves (little-endian host, as rt.lo assumes).
const W64 = new BigUint64Array(1);
const W32 = new Int32Array(W64.buffer);

/** v modulo 2^64 as int32 halves [lo, hi] (a shared scratch: read it at once). */
export function halves(v: bigint): Int32Array {
  W64[0] = v;
  return W32;
}

/** Temp n as the unsigned bigint the generated code would hold (an i32 temp sign-extends). */
export function getBig(t: Int32Array, n: number, ty: IntTy): bigint {
  if (ty === 'i32') return BigInt.asUintN(64, BigInt(t[2 * n]));
  W32[0] = t[2 * n];
  W32[1] = t[2 * n + 1];
  return W64[0];
}
/** Store a bigint (taken modulo 2^64) into temp n. */
export function putBig(t: Int32Array, n: number, v: bigint): void {
  W64[0] = v;
  t[2 * n] = W32[0];
  t[2 * n + 1] = W32[1];
}
/** Temp n as the generated code holds it: number (i32) or bigint (i64). */
function val(t: Int32Array, n: number, types: readonly IntTy[]): number | bigint {
  return types[n] === 'i64' ? getBig(t, n, 'i64') : t[2 * n];
}
function put(t: Int32Array, n: number, v: number | bigint): void {
  if (typeof v === 'bigint') putBig(t, n, v);
  else t[2 * n] = v;
}
function num(t: Int32Array, n: number): number {
  return t[2 * n];
}
function rm(t: Int32Array, r: RmArg, R: Tier0Runtime): number {
  return 'static' in r ? r.static : R.rm(t[2 * r.dyn]);
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);
const I64 = (v: bigint) => BigInt.asIntN(64, v);

/** 64-bit division and remainder with BigInt (operands beyond 32 bits). */
export function div64Big(t: Int32Array, out: number, a: number, b: number, signed: boolean, rem: boolean): void {
  const x = getBig(t, a, 'i64'), y = getBig(t, b, 'i64');
  let r: bigint;
  if (y === 0n) r = rem ? x : 0n;
  else if (signed) r = U64(rem ? I64(x) % I64(y) : I64(x) / I64(y));
  else r = rem ? x % y : x / y;
  putBig(t, out, r);
}

/** Runs one rare op of a block whose temps have types `ty`; ip is the index of the current guest
 *  instruction in the block. */
export function slowOp(op: Op, t: Int32Array, R: Tier0Runtime, ty: readonly IntTy[], ip: number): void {
  switch (op.op) {
    case 'amo':
    case 'cas':
    case 'll': {
      const le = op.endian === 'le';
      let e: bigint;
      if (op.op === 'amo') e = R.amo(op.fn, op.size, getBig(t, op.addr, ty[op.addr]), getBig(t, op.value, ty[op.value]), le);
      else if (op.op === 'cas') e = R.cas(op.size, getBig(t, op.addr, ty[op.addr]), getBig(t, op.expected, ty[op.expected]), getBig(t, op.value, ty[op.value]), le);
      else e = R.ll(op.size, getBig(t, op.addr, ty[op.addr]), le);
      if (op.ty === 'i64') putBig(t, op.out, op.size === 4 ? BigInt.asIntN(32, e) : e);
      else t[2 * op.out] = Number(BigInt.asIntN(32, e));
      return;
    }
    case 'sc':
      t[2 * op.out] = R.sc(op.size, getBig(t, op.addr, ty[op.addr]), getBig(t, op.value, ty[op.value]), op.endian === 'le');
      return;
    case 'fbin': {
      const F = R.fpu;
      put(t, op.out, op.fmt === 'f32'
        ? F.fbin32(op.fn, num(t, op.a), num(t, op.b), rm(t, op.rm, R))
        : F.fbin64(op.fn, getBig(t, op.a, 'i64'), getBig(t, op.b, 'i64'), rm(t, op.rm, R)));
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'fsqrt': {
      const F = R.fpu;
      put(t, op.out, op.fmt === 'f32' ? F.fsqrt32(num(t, op.a), rm(t, op.rm, R)) : F.fsqrt64(getBig(t, op.a, 'i64'), rm(t, op.rm, R)));
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'ffma': {
      const F = R.fpu;
      put(t, op.out, op.fmt === 'f32'
        ? F.ffma32(num(t, op.a), num(t, op.b), num(t, op.c), rm(t, op.rm, R))
        : F.ffma64(getBig(t, op.a, 'i64'), getBig(t, op.b, 'i64'), getBig(t, op.c, 'i64'), rm(t, op.rm, R)));
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'fcmp': {
      const F = R.fpu;
      const f32 = op.fmt === 'f32';
      if (op.mode !== undefined) {
        const mode = num(t, op.mode);
        t[2 * op.out] = f32
          ? F.fcmp32(op.fn, op.signaling, num(t, op.a), num(t, op.b), mode)
          : F.fcmp64(op.fn, op.signaling, getBig(t, op.a, 'i64'), getBig(t, op.b, 'i64'), mode);
      } else {
        t[2 * op.out] = f32
          ? F.fcmp32(op.fn, op.signaling, num(t, op.a), num(t, op.b))
          : F.fcmp64(op.fn, op.signaling, getBig(t, op.a, 'i64'), getBig(t, op.b, 'i64'));
      }
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'f2i': {
      const F = R.fpu;
      put(t, op.out, F.f2i(op.from, val(t, op.a, ty), op.ty, op.signed, rm(t, op.rm, R)));
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'i2f': {
      const F = R.fpu;
      put(t, op.out, F.i2f(op.to, val(t, op.a, ty), op.from, op.signed, rm(t, op.rm, R)));
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'f2f': {
      const F = R.fpu;
      put(t, op.out, F.f2f(op.from, op.to, val(t, op.a, ty), rm(t, op.rm, R)));
      if (op.flags !== undefined) t[2 * op.flags] = F.flags;
      return;
    }
    case 'fclass':
      t[2 * op.out] = op.fmt === 'f32' ? R.fpu.fclass32(num(t, op.a)) : R.fpu.fclass64(getBig(t, op.a, 'i64'));
      return;
    case 'helper': {
      const args: bigint[] = [];
      for (const a of op.args) args.push(getBig(t, a, 'i64'));
      const [r0, r1] = helperAt(op.id).fn(...args);
      putBig(t, op.out, r0);
      putBig(t, op.out2, r1);
      return;
    }
    case 'counter':
      putBig(t, op.out, R.counter(op.which, ip));
      return;
  }
  throw new Error(`crossrun internal error: evalBlock cannot run op ${op.op} on its slow path`);
}
