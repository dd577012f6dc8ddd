// Tier 0's cold path: runs an IR block by walking its ops, without generating code. Most blocks of
// a program run only a few times (a static hello world: 650 blocks, 490 of them once), and making
// a JS function of one costs ~50–100 µs of source building and V8 compiling while walking its ops
// costs ~1 µs. compileBlock (interp.ts) starts every block here and compiles it only once it has
// run a few times. The semantics are exactly those of interp.ts's generated code, op by op.
import type { BinOp, IRBlock, Op, RmArg, Terminator, UnOp } from './ir.js';
import { Exit, type Tier0Runtime } from './runtime.js';
import { HELPERS } from './helpers.js';

type Val = number | bigint;

/** The ops evalBlock knows; a block with any other op is compiled at once. */
const KNOWN = new Set<string>([
  'mark', 'const', 'get', 'set', 'bin', 'un', 'wrap', 'extend', 'sext', 'select', 'load', 'store',
  'amo', 'cas', 'll', 'sc', 'clearReservation', 'fbin', 'fsqrt', 'ffma', 'fcmp', 'f2i', 'i2f', 'f2f',
  'fclass', 'counter', 'helper',
]);
const KNOWN_ENDS = new Set<string>(['goto', 'jump', 'branch', 'syscall', 'trap', 'flushCode']);

/** Whether evalBlock can run every op of the block. */
export function canEval(ir: IRBlock): boolean {
  if (!KNOWN_ENDS.has(ir.end.op)) return false;
  for (const op of ir.ops) if (!KNOWN.has(op.op)) return false;
  return true;
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);
const I64 = (v: bigint) => BigInt.asIntN(64, v);

function bin64(fn: BinOp, a: bigint, b: bigint): Val {
  switch (fn) {
    case 'add': return U64(a + b);
    case 'sub': return U64(a - b);
    case 'mul': return U64(a * b);
    case 'mulhu': return (a * b) >> 64n;
    case 'mulhs': return U64((I64(a) * I64(b)) >> 64n);
    case 'mulhsu': return U64((I64(a) * b) >> 64n);
    case 'divu': return b === 0n ? 0n : a / b;
    case 'remu': return b === 0n ? a : a % b;
    case 'divs': return b === 0n ? 0n : U64(I64(a) / I64(b));
    case 'rems': return b === 0n ? a : U64(I64(a) % I64(b));
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'shl': return U64(a << (b & 63n));
    case 'shrl': return a >> (b & 63n);
    case 'shra': return U64(I64(a) >> (b & 63n));
    case 'rotl': return U64((a << (b & 63n)) | (a >> ((64n - (b & 63n)) & 63n)));
    case 'rotr': return U64((a >> (b & 63n)) | (a << ((64n - (b & 63n)) & 63n)));
    case 'eq': return a === b ? 1 : 0;
    case 'ne': return a !== b ? 1 : 0;
    case 'ltu': return a < b ? 1 : 0;
    case 'leu': return a <= b ? 1 : 0;
    case 'lts': return I64(a) < I64(b) ? 1 : 0;
    case 'les': return I64(a) <= I64(b) ? 1 : 0;
  }
}

function bin32(fn: BinOp, a: number, b: number): number {
  switch (fn) {
    case 'add': return (a + b) | 0;
    case 'sub': return (a - b) | 0;
    case 'mul': return Math.imul(a, b);
    case 'mulhu': return Number((BigInt(a >>> 0) * BigInt(b >>> 0)) >> 32n) | 0;
    case 'mulhs': return Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b)) >> 32n));
    case 'mulhsu': return Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b >>> 0)) >> 32n));
    case 'divu': return b === 0 ? 0 : ((a >>> 0) / (b >>> 0)) | 0;
    case 'remu': return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
    case 'divs': return b === 0 ? 0 : a === -2147483648 && b === -1 ? a : (a / b) | 0;
    case 'rems': return b === 0 ? a : b === -1 ? 0 : (a % b) | 0;
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'shl': return a << b;
    case 'shrl': return (a >>> b) | 0;
    case 'shra': return a >> b;
    case 'rotl': return (a << b) | (a >>> (32 - (b & 31)));
    case 'rotr': return (a >>> b) | (a << (32 - (b & 31)));
    case 'eq': return a === b ? 1 : 0;
    case 'ne': return a !== b ? 1 : 0;
    case 'ltu': return (a >>> 0) < (b >>> 0) ? 1 : 0;
    case 'leu': return (a >>> 0) <= (b >>> 0) ? 1 : 0;
    case 'lts': return a < b ? 1 : 0;
    case 'les': return a <= b ? 1 : 0;
  }
}

function un32(fn: UnOp, a: number, R: Tier0Runtime): number {
  switch (fn) {
    case 'clz': return Math.clz32(a);
    case 'ctz': return a === 0 ? 32 : 31 - Math.clz32(a & -a);
    case 'popcnt': return R.popcnt32(a);
    case 'bswap': return R.bswap32(a);
  }
}

function un64(fn: UnOp, a: bigint, R: Tier0Runtime): bigint {
  switch (fn) {
    case 'clz': return R.clz64(a);
    case 'ctz': return R.ctz64(a);
    case 'popcnt': return R.popcnt64(a);
    case 'bswap': return R.bswap64(a);
  }
}

/** Scratch temps, shared by all blocks (a block never runs inside another). */
let T: Val[] = [];

/** Runs the block once against rt; returns the next guest pc (as its compiled function would). */
export function evalBlock(ir: IRBlock, R: Tier0Runtime, pcs: readonly number[]): number {
  if (T.length < ir.ntemps) T = new Array<Val>(ir.ntemps * 2).fill(0);
  const t = T;
  let ip = -1;
  try {
    for (const op of ir.ops) {
      if (op.op === 'mark') ip++;
      else step(op, t, R, ir);
    }
    return end(ir.end, t, R);
  } catch (e) {
    R.faultPc = pcs[ip < 0 ? 0 : ip];
    throw e;
  }
}

function big(t: Val[], n: number, ir: IRBlock): bigint {
  const v = t[n];
  return ir.types[n] === 'i64' ? (v as bigint) : BigInt.asUintN(64, BigInt(v as number));
}

function rm(t: Val[], r: RmArg, R: Tier0Runtime): number {
  return 'static' in r ? r.static : R.rm(t[r.dyn] as number);
}

function step(op: Exclude<Op, { op: 'mark' }>, t: Val[], R: Tier0Runtime, ir: IRBlock): void {
  switch (op.op) {
    case 'const':
      t[op.out] = op.ty === 'i64' ? BigInt.asUintN(64, op.value) : Number(BigInt.asIntN(32, op.value));
      return;
    case 'get':
      t[op.out] = op.ty === 'i64' ? R.S[op.slot] : R.lo[op.slot * 2];
      return;
    case 'set':
      R.S[op.slot] = op.ty === 'i64' ? (t[op.value] as bigint) : BigInt((t[op.value] as number) >>> 0);
      return;
    case 'bin':
      t[op.out] = op.ty === 'i64' ? bin64(op.fn, t[op.a] as bigint, t[op.b] as bigint) : bin32(op.fn, t[op.a] as number, t[op.b] as number);
      return;
    case 'un':
      t[op.out] = op.ty === 'i32' ? un32(op.fn, t[op.a] as number, R) : un64(op.fn, t[op.a] as bigint, R);
      return;
    case 'wrap':
      t[op.out] = Number(BigInt.asIntN(32, t[op.a] as bigint));
      return;
    case 'extend':
      t[op.out] = op.signed ? BigInt.asUintN(64, BigInt(t[op.a] as number)) : BigInt((t[op.a] as number) >>> 0);
      return;
    case 'sext': {
      const a = t[op.a];
      if (op.ty === 'i64') t[op.out] = BigInt.asUintN(64, BigInt.asIntN(op.bits, a as bigint));
      else t[op.out] = op.bits === 32 ? a : ((a as number) << (32 - op.bits)) >> (32 - op.bits);
      return;
    }
    case 'select':
      t[op.out] = t[op.cond] !== 0 ? t[op.a] : t[op.b];
      return;
    case 'load': {
      const le = op.endian === 'le';
      const a = R.addr(big(t, op.addr, ir), op.size, 1);
      const D = R.dv;
      let v: Val;
      switch (op.size) {
        case 8: {
          const x = D.getBigUint64(a, le);
          v = op.ty === 'i32' ? Number(BigInt.asIntN(32, x)) : x;
          t[op.out] = v;
          return;
        }
        case 1: v = op.signed ? D.getInt8(a) : D.getUint8(a); break;
        case 2: v = op.signed ? D.getInt16(a, le) : D.getUint16(a, le); break;
        case 4: v = op.signed ? D.getInt32(a, le) : D.getUint32(a, le); break;
      }
      t[op.out] = op.ty === 'i64' ? (op.signed ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)) : v | 0;
      return;
    }
    case 'store': {
      const le = op.endian === 'le';
      const a = R.addr(big(t, op.addr, ir), op.size, 2);
      const D = R.dv;
      if (op.size === 8) {
        D.setBigUint64(a, big(t, op.value, ir), le);
        return;
      }
      const v = t[op.value];
      const num = ir.types[op.value] === 'i64' ? Number(BigInt.asUintN(32, v as bigint)) : (v as number);
      if (op.size === 1) D.setUint8(a, num);
      else if (op.size === 2) D.setUint16(a, num, le);
      else D.setUint32(a, num, le);
      return;
    }
    case 'amo':
    case 'cas':
    case 'll': {
      const le = op.endian === 'le';
      let e: bigint;
      if (op.op === 'amo') e = R.amo(op.fn, op.size, big(t, op.addr, ir), big(t, op.value, ir), le);
      else if (op.op === 'cas') e = R.cas(op.size, big(t, op.addr, ir), big(t, op.expected, ir), big(t, op.value, ir), le);
      else e = R.ll(op.size, big(t, op.addr, ir), le);
      if (op.ty === 'i64') t[op.out] = op.size === 4 ? BigInt.asUintN(64, BigInt.asIntN(32, e)) : e;
      else t[op.out] = Number(BigInt.asIntN(32, e));
      return;
    }
    case 'sc':
      t[op.out] = R.sc(op.size, big(t, op.addr, ir), big(t, op.value, ir), op.endian === 'le');
      return;
    case 'clearReservation':
      R.resAddr = -1;
      return;
    case 'fbin': {
      const F = R.fpu;
      t[op.out] = op.fmt === 'f32'
        ? F.fbin32(op.fn, t[op.a] as number, t[op.b] as number, rm(t, op.rm, R))
        : F.fbin64(op.fn, t[op.a] as bigint, t[op.b] as bigint, rm(t, op.rm, R));
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'fsqrt': {
      const F = R.fpu;
      t[op.out] = op.fmt === 'f32' ? F.fsqrt32(t[op.a] as number, rm(t, op.rm, R)) : F.fsqrt64(t[op.a] as bigint, rm(t, op.rm, R));
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'ffma': {
      const F = R.fpu;
      t[op.out] = op.fmt === 'f32'
        ? F.ffma32(t[op.a] as number, t[op.b] as number, t[op.c] as number, rm(t, op.rm, R))
        : F.ffma64(t[op.a] as bigint, t[op.b] as bigint, t[op.c] as bigint, rm(t, op.rm, R));
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'fcmp': {
      const F = R.fpu;
      if (op.mode !== undefined) {
        const mode = t[op.mode] as number;
        t[op.out] = op.fmt === 'f32'
          ? F.fcmp32(op.fn, op.signaling, t[op.a] as number, t[op.b] as number, mode)
          : F.fcmp64(op.fn, op.signaling, t[op.a] as bigint, t[op.b] as bigint, mode);
      } else {
        t[op.out] = op.fmt === 'f32'
          ? F.fcmp32(op.fn, op.signaling, t[op.a] as number, t[op.b] as number)
          : F.fcmp64(op.fn, op.signaling, t[op.a] as bigint, t[op.b] as bigint);
      }
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'f2i': {
      const F = R.fpu;
      t[op.out] = F.f2i(op.from, t[op.a], op.ty, op.signed, rm(t, op.rm, R));
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'i2f': {
      const F = R.fpu;
      t[op.out] = F.i2f(op.to, t[op.a], op.from, op.signed, rm(t, op.rm, R));
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'f2f': {
      const F = R.fpu;
      t[op.out] = F.f2f(op.from, op.to, t[op.a], rm(t, op.rm, R));
      if (op.flags !== undefined) t[op.flags] = F.flags;
      return;
    }
    case 'fclass':
      t[op.out] = op.fmt === 'f32' ? R.fpu.fclass32(t[op.a] as number) : R.fpu.fclass64(t[op.a] as bigint);
      return;
    case 'helper': {
      const [r0, r1] = HELPERS[op.id].fn(...op.args.map((a) => t[a] as bigint));
      t[op.out] = r0;
      t[op.out2] = r1;
      return;
    }
    case 'counter':
      // The generated code passes the instruction's index in the block; the marks seen so far
      // minus one is the same number.
      t[op.out] = R.counter(op.which, countMarks(ir, op));
      return;
  }
  // An op this evaluator does not know: canEval keeps such blocks away.
  throw new Error(`crossrun internal error: evalBlock cannot run op ${(op as Op).op}`);
}

/** Index of the instruction an op belongs to (rare: counters only). */
function countMarks(ir: IRBlock, target: Op): number {
  let n = -1;
  for (const op of ir.ops) {
    if (op === target) break;
    if (op.op === 'mark') n++;
  }
  return n;
}

function end(e: Terminator, t: Val[], R: Tier0Runtime): number {
  switch (e.op) {
    case 'goto': return e.pc;
    case 'jump': return Number(t[e.target] as bigint);
    case 'branch': return t[e.cond] !== 0 ? e.taken : e.fall;
    case 'syscall': R.exit = Exit.Syscall; return e.next;
    case 'trap': R.trap(e.signal, e.code, e.addr); return e.pc;
    case 'flushCode': R.exit = Exit.FlushCode; return e.next;
  }
}
