// The IR evaluator's (ir-eval.ts) opcodes and one small handler function per opcode. A translated
// block is an Int32Array of opcodes, each followed by its operands, after the block's temp file
// in the same array; a handler reads them, runs the op on the temp file and returns the position
// of the next opcode (terminators: -1, with the next guest pc in evalExit.pc). Small handlers
// rather than one big switch: V8 optimizes each cheaply on its own (a 90-case switch took ~60 ms
// of TurboFan per attempt, and deoptimized again each time a case ran for the first time), which
// a short run cannot pay back.
import type { IntTy, Op, Terminator } from '../ir.js';
import { Exit, type Tier0Runtime } from './runtime.js';
import { Layout } from '../../mem/address-space.js';
import { bswap32, clz64, ctz64, divFast, mul64, mulh64, mulhs32, mulhsu32, mulhu32, popcnt32, rotl64, shl64, shra64, shrl64, toNum } from './eval-i64.js';
import { div64Big, slowOp } from './eval-slow.js';

const LIMIT = Layout.RUNTIME_BASE;

/** Opcodes; operands follow each. `o a b c`: temp indices times two (a temp is two int32 words).
 *  Constants have none: translate writes them into the block's temp file. */
export const enum C {
  GET32, GET64, // o slot*2
  SET32, SET64, // slot*2 a
  WRAP, EXTS, EXTU, // o a
  SEXT32, SEXT64, // o a shift(32-bits)
  SEL32, SEL64, // o c a b
  // loads: o a le; the high half is always written (an i32 temp ignores it)
  LD1U, LD1S, LD2U, LD2S, LD4U, LD4S, LD8,
  ST1, ST2, ST4, ST8, // a v le
  CLRRES,
  SLOW, // index of the op in the block's SlowPart, instruction index
  // FP ops with a wasm fast path (eval-fp.ts): SLOW's two operands, then o a b c rm flags
  // (eval-fp-ops.ts). The JS handler is SLOW's: the op from the SlowPart.
  FADD64, FSUB64, FMUL64, FDIV64, FADD32, FSUB32, FMUL32, FDIV32,
  FSQRT64, FSQRT32, FMA64, FMA32,
  FEQ64, FLT64, FLE64, FEQ32, FLT32, FLE32,
  F64TOI32, F64TOU32, F64TOI64, F64TOU64, F32TOI32, F32TOU32, F32TOI64, F32TOU64,
  I32TOF64, U32TOF64, I64TOF64, U64TOF64, I32TOF32, U32TOF32, I64TOF32, U64TOF32,
  F32TOF64, F64TOF32,
  // binary ops: o a b, in BIN_FNS order (ir-eval.ts)
  ADD32, SUB32, MUL32, MULHS32, MULHU32, MULHSU32, DIVS32, DIVU32, REMS32, REMU32, AND32, OR32, XOR32,
  SHL32, SHRL32, SHRA32, ROTL32, ROTR32, EQ32, NE32, LTS32, LTU32, LES32, LEU32,
  ADD64, SUB64, MUL64, MULHS64, MULHU64, MULHSU64, DIVS64, DIVU64, REMS64, REMU64, AND64, OR64, XOR64,
  SHL64, SHRL64, SHRA64, ROTL64, ROTR64, EQ64, NE64, LTS64, LTU64, LES64, LEU64,
  CLZ32, CTZ32, POPCNT32, BSWAP32, CLZ64, CTZ64, POPCNT64, BSWAP64, // o a
  // terminators
  GOTO, // pc
  JUMP64, JUMP32, // t
  BRANCH, // c taken fall
  END_SLOW, // syscall / trap / flushCode
  COUNT,
}

/** The FP ops' opcodes, FP_FIRST … FP_LAST (eval-fp-ops.ts lists them in this order), and their
 *  length in words, opcode included. */
export const FP_FIRST = C.FADD64;
export const FP_LAST = C.F64TOF32;
export const FP_LEN = 9;

/** Words per opcode, operands included. */
export const LEN: readonly number[] = (() => {
  const len: number[] = [];
  const set = (n: number, ...cs: C[]) => { for (const c of cs) len[c] = n; };
  set(1, C.CLRRES, C.END_SLOW);
  set(2, C.GOTO, C.JUMP64, C.JUMP32);
  set(3, C.GET32, C.GET64, C.SET32, C.SET64, C.WRAP, C.EXTS, C.EXTU, C.SLOW);
  for (let c = C.CLZ32; c <= C.BSWAP64; c++) len[c] = 3;
  set(4, C.SEXT32, C.SEXT64, C.BRANCH, C.LD1U, C.LD1S, C.LD2U, C.LD2S, C.LD4U, C.LD4S, C.LD8, C.ST1, C.ST2, C.ST4, C.ST8);
  for (let c = C.ADD32; c <= C.LEU64; c++) len[c] = 4;
  set(5, C.SEL32, C.SEL64);
  for (let c = FP_FIRST; c <= FP_LAST; c++) len[c] = FP_LEN;
  return len;
})();

/** What a block's rare ops and slow terminator need, kept with its evaluator form (not read from
 *  its IR: a block from the translation store runs without one). */
export interface SlowPart {
  /** The ops SLOW runs, by index. */
  readonly ops: readonly Op[];
  /** The type of each of the block's temps. */
  readonly types: readonly IntTy[];
  /** The terminator END_SLOW runs (null if the block has none). */
  readonly end: Terminator | null;
}

/** What a terminator hands back, and the slow part of the block being run. */
export const evalExit: { pc: number; slow: SlowPart | null } = { pc: 0, slow: null };

type Handler = (t: Int32Array, c: Int32Array, p: number, R: Tier0Runtime) => number;

function div64(t: Int32Array, c: Int32Array, p: number, signed: boolean, rem: boolean): number {
  const o = c[p + 1], a = c[p + 2], b = c[p + 3];
  if (t[b] === 0 && t[b + 1] === 0) {
    // x/0 → 0, x%0 → x
    t[o] = rem ? t[a] : 0;
    t[o + 1] = rem ? t[a + 1] : 0;
  } else if (!divFast(t, o, a, b, signed, rem)) div64Big(t, o >> 1, a >> 1, b >> 1, signed, rem);
  return p + 4;
}

/** The terminators END_SLOW runs (endSlow): the others are opcodes of their own. */
export const SLOW_ENDS: ReadonlySet<Terminator['op']> = new Set(['syscall', 'trap', 'flushCode']);

function endSlow(e: Terminator, R: Tier0Runtime): number {
  switch (e.op) {
    case 'syscall': R.exit = Exit.Syscall; return e.next;
    case 'trap': R.trap(e.signal, e.code, e.addr); return e.pc;
    case 'flushCode': R.exit = Exit.FlushCode; return e.next;
  }
  throw new Error(`crossrun internal error: evaluator end ${e.op}`);
}

const H: Handler[] = [];
const def = (op: C, h: Handler) => { H[op] = h; };

def(C.GET32, (t, c, p, R) => { t[c[p + 1]] = R.lo[c[p + 2]]; return p + 3; });
def(C.GET64, (t, c, p, R) => { const o = c[p + 1], s = c[p + 2], L = R.lo; t[o] = L[s]; t[o + 1] = L[s + 1]; return p + 3; });
def(C.SET32, (t, c, p, R) => { const s = c[p + 1], L = R.lo; L[s] = t[c[p + 2]]; L[s + 1] = 0; return p + 3; });
def(C.SET64, (t, c, p, R) => { const s = c[p + 1], a = c[p + 2], L = R.lo; L[s] = t[a]; L[s + 1] = t[a + 1]; return p + 3; });
def(C.WRAP, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]]; return p + 3; });
def(C.EXTS, (t, c, p) => { const o = c[p + 1], v = t[c[p + 2]]; t[o] = v; t[o + 1] = v >> 31; return p + 3; });
def(C.EXTU, (t, c, p) => { const o = c[p + 1]; t[o] = t[c[p + 2]]; t[o + 1] = 0; return p + 3; });
def(C.SEXT32, (t, c, p) => { const s = c[p + 3]; t[c[p + 1]] = (t[c[p + 2]] << s) >> s; return p + 4; });
def(C.SEXT64, (t, c, p) => { const o = c[p + 1], s = c[p + 3], v = (t[c[p + 2]] << s) >> s; t[o] = v; t[o + 1] = v >> 31; return p + 4; });
def(C.SEL32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] !== 0 ? t[c[p + 3]] : t[c[p + 4]]; return p + 5; });
def(C.SEL64, (t, c, p) => { const o = c[p + 1], a = t[c[p + 2]] !== 0 ? c[p + 3] : c[p + 4]; t[o] = t[a]; t[o + 1] = t[a + 1]; return p + 5; });

// Loads and stores check the address inline (rt.addr's fast path: below the runtime area, page
// permitted, not crossing a page), calling R.addrN only for the rest: in the unoptimized code that
// runs most cold blocks, a call per access costs as much as the access.
def(C.LD1U, (t, c, p, R) => { const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4095 ? R.addrN(t[a], t[a + 1], 1, 1) : x; const o = c[p + 1]; t[o] = R.dv.getUint8(e); t[o + 1] = 0; return p + 4; });
def(C.LD1S, (t, c, p, R) => { const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4095 ? R.addrN(t[a], t[a + 1], 1, 1) : x; const o = c[p + 1], v = R.dv.getInt8(e); t[o] = v; t[o + 1] = v >> 31; return p + 4; });
def(C.LD2U, (t, c, p, R) => { const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4094 ? R.addrN(t[a], t[a + 1], 2, 1) : x; const o = c[p + 1]; t[o] = R.dv.getUint16(e, c[p + 3] !== 0); t[o + 1] = 0; return p + 4; });
def(C.LD2S, (t, c, p, R) => { const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4094 ? R.addrN(t[a], t[a + 1], 2, 1) : x; const o = c[p + 1], v = R.dv.getInt16(e, c[p + 3] !== 0); t[o] = v; t[o + 1] = v >> 31; return p + 4; });
def(C.LD4U, (t, c, p, R) => { const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4092 ? R.addrN(t[a], t[a + 1], 4, 1) : x; const o = c[p + 1]; t[o] = R.dv.getInt32(e, c[p + 3] !== 0); t[o + 1] = 0; return p + 4; });
def(C.LD4S, (t, c, p, R) => { const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4092 ? R.addrN(t[a], t[a + 1], 4, 1) : x; const o = c[p + 1], v = R.dv.getInt32(e, c[p + 3] !== 0); t[o] = v; t[o + 1] = v >> 31; return p + 4; });
def(C.LD8, (t, c, p, R) => {
  const a = c[p + 2], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 1) === 0 || (x & 0xfff) > 4088 ? R.addrN(t[a], t[a + 1], 8, 1) : x;
  const o = c[p + 1], D = R.dv;
  if (c[p + 3] !== 0) {
    t[o] = D.getInt32(e, true);
    t[o + 1] = D.getInt32(e + 4, true);
  } else {
    t[o + 1] = D.getInt32(e, false);
    t[o] = D.getInt32(e + 4, false);
  }
  return p + 4;
});
def(C.ST1, (t, c, p, R) => { const a = c[p + 1], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 2) === 0 || (x & 0xfff) > 4095 ? R.addrN(t[a], t[a + 1], 1, 2) : x; R.dv.setInt8(e, t[c[p + 2]]); return p + 4; });
def(C.ST2, (t, c, p, R) => { const a = c[p + 1], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 2) === 0 || (x & 0xfff) > 4094 ? R.addrN(t[a], t[a + 1], 2, 2) : x; R.dv.setInt16(e, t[c[p + 2]], c[p + 3] !== 0); return p + 4; });
def(C.ST4, (t, c, p, R) => { const a = c[p + 1], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 2) === 0 || (x & 0xfff) > 4092 ? R.addrN(t[a], t[a + 1], 4, 2) : x; R.dv.setInt32(e, t[c[p + 2]], c[p + 3] !== 0); return p + 4; });
def(C.ST8, (t, c, p, R) => {
  const a = c[p + 1], x = t[a] >>> 0, e = t[a + 1] !== 0 || x >= LIMIT || (R.pt[x >>> 12] & 2) === 0 || (x & 0xfff) > 4088 ? R.addrN(t[a], t[a + 1], 8, 2) : x;
  const v = c[p + 2], D = R.dv;
  if (c[p + 3] !== 0) {
    D.setInt32(e, t[v], true);
    D.setInt32(e + 4, t[v + 1], true);
  } else {
    D.setInt32(e, t[v + 1], false);
    D.setInt32(e + 4, t[v], false);
  }
  return p + 4;
});
def(C.CLRRES, (_t, _c, p, R) => { R.resAddr = -1; return p + 1; });
/** SLOW's handler for an op of `len` words: the op from the block's SlowPart (eval-slow.ts). */
const runSlow = (len: number): Handler => (t, c, p, R) => {
  const s = evalExit.slow as SlowPart;
  slowOp(s.ops[c[p + 1]], t, R, s.types, c[p + 2]);
  return p + len;
};
def(C.SLOW, runSlow(3));
for (let op = FP_FIRST; op <= FP_LAST; op++) def(op, runSlow(FP_LEN));

def(C.ADD32, (t, c, p) => { t[c[p + 1]] = (t[c[p + 2]] + t[c[p + 3]]) | 0; return p + 4; });
def(C.SUB32, (t, c, p) => { t[c[p + 1]] = (t[c[p + 2]] - t[c[p + 3]]) | 0; return p + 4; });
def(C.MUL32, (t, c, p) => { t[c[p + 1]] = Math.imul(t[c[p + 2]], t[c[p + 3]]); return p + 4; });
def(C.MULHS32, (t, c, p) => { t[c[p + 1]] = mulhs32(t[c[p + 2]], t[c[p + 3]]); return p + 4; });
def(C.MULHU32, (t, c, p) => { t[c[p + 1]] = mulhu32(t[c[p + 2]], t[c[p + 3]]); return p + 4; });
def(C.MULHSU32, (t, c, p) => { t[c[p + 1]] = mulhsu32(t[c[p + 2]], t[c[p + 3]]); return p + 4; });
def(C.DIVS32, (t, c, p) => { const a = t[c[p + 2]], b = t[c[p + 3]]; t[c[p + 1]] = b === 0 ? 0 : a === -2147483648 && b === -1 ? a : (a / b) | 0; return p + 4; });
def(C.DIVU32, (t, c, p) => { const a = t[c[p + 2]], b = t[c[p + 3]]; t[c[p + 1]] = b === 0 ? 0 : ((a >>> 0) / (b >>> 0)) | 0; return p + 4; });
def(C.REMS32, (t, c, p) => { const a = t[c[p + 2]], b = t[c[p + 3]]; t[c[p + 1]] = b === 0 ? a : b === -1 ? 0 : (a % b) | 0; return p + 4; });
def(C.REMU32, (t, c, p) => { const a = t[c[p + 2]], b = t[c[p + 3]]; t[c[p + 1]] = b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0; return p + 4; });
def(C.AND32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] & t[c[p + 3]]; return p + 4; });
def(C.OR32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] | t[c[p + 3]]; return p + 4; });
def(C.XOR32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] ^ t[c[p + 3]]; return p + 4; });
def(C.SHL32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] << t[c[p + 3]]; return p + 4; });
def(C.SHRL32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] >>> t[c[p + 3]]; return p + 4; });
def(C.SHRA32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] >> t[c[p + 3]]; return p + 4; });
def(C.ROTL32, (t, c, p) => { const a = t[c[p + 2]], b = t[c[p + 3]]; t[c[p + 1]] = (a << b) | (a >>> (32 - (b & 31))); return p + 4; });
def(C.ROTR32, (t, c, p) => { const a = t[c[p + 2]], b = t[c[p + 3]]; t[c[p + 1]] = (a >>> b) | (a << (32 - (b & 31))); return p + 4; });
def(C.EQ32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] === t[c[p + 3]] ? 1 : 0; return p + 4; });
def(C.NE32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] !== t[c[p + 3]] ? 1 : 0; return p + 4; });
def(C.LTS32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] < t[c[p + 3]] ? 1 : 0; return p + 4; });
def(C.LTU32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] >>> 0 < t[c[p + 3]] >>> 0 ? 1 : 0; return p + 4; });
def(C.LES32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] <= t[c[p + 3]] ? 1 : 0; return p + 4; });
def(C.LEU32, (t, c, p) => { t[c[p + 1]] = t[c[p + 2]] >>> 0 <= t[c[p + 3]] >>> 0 ? 1 : 0; return p + 4; });

def(C.ADD64, (t, c, p) => {
  const o = c[p + 1], a = c[p + 2], b = c[p + 3], al = t[a], bl = t[b], lo = (al + bl) | 0;
  t[o + 1] = t[a + 1] + t[b + 1] + ((lo >>> 0) < (al >>> 0) ? 1 : 0);
  t[o] = lo;
  return p + 4;
});
def(C.SUB64, (t, c, p) => {
  const o = c[p + 1], a = c[p + 2], b = c[p + 3], al = t[a], bl = t[b];
  t[o + 1] = t[a + 1] - t[b + 1] - ((al >>> 0) < (bl >>> 0) ? 1 : 0);
  t[o] = al - bl;
  return p + 4;
});
def(C.MUL64, (t, c, p) => { mul64(t, c[p + 1], c[p + 2], c[p + 3]); return p + 4; });
def(C.MULHS64, (t, c, p) => { mulh64(t, c[p + 1], c[p + 2], c[p + 3], true, true); return p + 4; });
def(C.MULHU64, (t, c, p) => { mulh64(t, c[p + 1], c[p + 2], c[p + 3], false, false); return p + 4; });
def(C.MULHSU64, (t, c, p) => { mulh64(t, c[p + 1], c[p + 2], c[p + 3], true, false); return p + 4; });
def(C.DIVS64, (t, c, p) => div64(t, c, p, true, false));
def(C.DIVU64, (t, c, p) => div64(t, c, p, false, false));
def(C.REMS64, (t, c, p) => div64(t, c, p, true, true));
def(C.REMU64, (t, c, p) => div64(t, c, p, false, true));
def(C.AND64, (t, c, p) => { const o = c[p + 1], a = c[p + 2], b = c[p + 3]; t[o] = t[a] & t[b]; t[o + 1] = t[a + 1] & t[b + 1]; return p + 4; });
def(C.OR64, (t, c, p) => { const o = c[p + 1], a = c[p + 2], b = c[p + 3]; t[o] = t[a] | t[b]; t[o + 1] = t[a + 1] | t[b + 1]; return p + 4; });
def(C.XOR64, (t, c, p) => { const o = c[p + 1], a = c[p + 2], b = c[p + 3]; t[o] = t[a] ^ t[b]; t[o + 1] = t[a + 1] ^ t[b + 1]; return p + 4; });
def(C.SHL64, (t, c, p) => { shl64(t, c[p + 1], c[p + 2], t[c[p + 3]]); return p + 4; });
def(C.SHRL64, (t, c, p) => { shrl64(t, c[p + 1], c[p + 2], t[c[p + 3]]); return p + 4; });
def(C.SHRA64, (t, c, p) => { shra64(t, c[p + 1], c[p + 2], t[c[p + 3]]); return p + 4; });
def(C.ROTL64, (t, c, p) => { rotl64(t, c[p + 1], c[p + 2], t[c[p + 3]]); return p + 4; });
def(C.ROTR64, (t, c, p) => { rotl64(t, c[p + 1], c[p + 2], 64 - (t[c[p + 3]] & 63)); return p + 4; });
def(C.EQ64, (t, c, p) => { const a = c[p + 2], b = c[p + 3]; t[c[p + 1]] = t[a] === t[b] && t[a + 1] === t[b + 1] ? 1 : 0; return p + 4; });
def(C.NE64, (t, c, p) => { const a = c[p + 2], b = c[p + 3]; t[c[p + 1]] = t[a] !== t[b] || t[a + 1] !== t[b + 1] ? 1 : 0; return p + 4; });
def(C.LTS64, (t, c, p) => { const a = c[p + 2], b = c[p + 3], ah = t[a + 1], bh = t[b + 1]; t[c[p + 1]] = ah < bh || (ah === bh && t[a] >>> 0 < t[b] >>> 0) ? 1 : 0; return p + 4; });
def(C.LTU64, (t, c, p) => { const a = c[p + 2], b = c[p + 3], ah = t[a + 1] >>> 0, bh = t[b + 1] >>> 0; t[c[p + 1]] = ah < bh || (ah === bh && t[a] >>> 0 < t[b] >>> 0) ? 1 : 0; return p + 4; });
def(C.LES64, (t, c, p) => { const a = c[p + 2], b = c[p + 3], ah = t[a + 1], bh = t[b + 1]; t[c[p + 1]] = ah < bh || (ah === bh && t[a] >>> 0 <= t[b] >>> 0) ? 1 : 0; return p + 4; });
def(C.LEU64, (t, c, p) => { const a = c[p + 2], b = c[p + 3], ah = t[a + 1] >>> 0, bh = t[b + 1] >>> 0; t[c[p + 1]] = ah < bh || (ah === bh && t[a] >>> 0 <= t[b] >>> 0) ? 1 : 0; return p + 4; });

def(C.CLZ32, (t, c, p) => { t[c[p + 1]] = Math.clz32(t[c[p + 2]]); return p + 3; });
def(C.CTZ32, (t, c, p) => { const a = t[c[p + 2]]; t[c[p + 1]] = a === 0 ? 32 : 31 - Math.clz32(a & -a); return p + 3; });
def(C.POPCNT32, (t, c, p) => { t[c[p + 1]] = popcnt32(t[c[p + 2]]); return p + 3; });
def(C.BSWAP32, (t, c, p) => { t[c[p + 1]] = bswap32(t[c[p + 2]]); return p + 3; });
def(C.CLZ64, (t, c, p) => { const o = c[p + 1], a = c[p + 2]; t[o] = clz64(t[a + 1], t[a]); t[o + 1] = 0; return p + 3; });
def(C.CTZ64, (t, c, p) => { const o = c[p + 1], a = c[p + 2]; t[o] = ctz64(t[a + 1], t[a]); t[o + 1] = 0; return p + 3; });
def(C.POPCNT64, (t, c, p) => { const o = c[p + 1], a = c[p + 2]; t[o] = popcnt32(t[a]) + popcnt32(t[a + 1]); t[o + 1] = 0; return p + 3; });
def(C.BSWAP64, (t, c, p) => { const o = c[p + 1], a = c[p + 2], lo = t[a]; t[o] = bswap32(t[a + 1]); t[o + 1] = bswap32(lo); return p + 3; });

def(C.GOTO, (_t, c, p) => { evalExit.pc = c[p + 1] >>> 0; return -1; });
def(C.JUMP64, (t, c, p) => { evalExit.pc = toNum(t, c[p + 1]); return -1; });
def(C.JUMP32, (t, c, p) => { evalExit.pc = t[c[p + 1]]; return -1; });
def(C.BRANCH, (t, c, p) => { evalExit.pc = (t[c[p + 1]] !== 0 ? c[p + 2] : c[p + 3]) >>> 0; return -1; });
def(C.END_SLOW, (_t, _c, _p, R) => { evalExit.pc = endSlow((evalExit.slow as SlowPart).end as Terminator, R); return -1; });

for (let op = 0; op < C.COUNT; op++) if (H[op] === undefined || LEN[op] === undefined) throw new Error(`crossrun internal error: evaluator opcode ${op} undefined`);

/** Handlers by opcode. */
export const HANDLERS: readonly Handler[] = H;
