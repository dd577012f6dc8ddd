// IR idioms every AArch64 lifter uses: register access (the zero register / sp meaning of
// encoding 31, W views), constants, NZCV as four 0/1 slots, condition codes, control transfers.
import type { BlockBuilder } from '../../jit/builder.js';
import type { IntTy, Temp } from '../../jit/ir.js';
import { SiCode, Sig } from '../../signals.js';
import { CF, NF, SP, VF, ZF } from './regs.js';

export function c64(b: BlockBuilder, v: number | bigint): Temp {
  return b.u64(v);
}
// (a safe integer as a number, as BlockBuilder.u64 does)
export function c32(b: BlockBuilder, v: number | bigint): Temp {
  return b.const('i32', typeof v === 'number' && Number.isSafeInteger(v) ? v | 0 : BigInt.asIntN(32, BigInt(v)));
}
export const tyOf = (sf: number): IntTy => (sf ? 'i64' : 'i32');
export function cst(b: BlockBuilder, sf: number, v: number | bigint): Temp {
  return sf ? c64(b, v) : c32(b, v);
}

/** Xn/Wn with 31 = the zero register. */
export function rz(b: BlockBuilder, r: number, sf: number): Temp {
  if (r === 31) return cst(b, sf, 0);
  return b.get(tyOf(sf), r);
}
/** Xn/Wn with 31 = sp. */
export function rsp(b: BlockBuilder, r: number, sf: number): Temp {
  return b.get(tyOf(sf), r === 31 ? SP : r);
}
/** Write Xd/Wd (W values zero-extend); 31 = the zero register: dropped. */
export function wz(b: BlockBuilder, r: number, v: Temp): void {
  if (r !== 31) b.set(r, v);
}
/** Write Xd/Wd with 31 = sp. */
export function wsp(b: BlockBuilder, r: number, v: Temp): void {
  b.set(r === 31 ? SP : r, v);
}

/** Width conversions between the two integer types. */
export function to64(b: BlockBuilder, v: Temp, signed = false): Temp {
  return b.typeOf(v) === 'i64' ? v : b.extend(v, signed);
}
export function to32(b: BlockBuilder, v: Temp): Temp {
  return b.typeOf(v) === 'i32' ? v : b.wrap(v);
}

/** Sign bit of v as i32 0/1. */
export function signBit(b: BlockBuilder, v: Temp): Temp {
  return b.bin('lts', v, b.typeOf(v) === 'i64' ? c64(b, 0) : c32(b, 0));
}
export function isZero(b: BlockBuilder, v: Temp): Temp {
  return b.bin('eq', v, b.typeOf(v) === 'i64' ? c64(b, 0) : c32(b, 0));
}

/** What last set NZCV in a block being lifted, when it was a compare (a - b) or a logical result:
 *  a condition read right after it (cmp; b.gt) is then one compare of the operands, not a
 *  combination of the four flags (condHolds checks that the flags are still those). */
type FlagSrc = { kind: 'sub'; a: Temp; b: Temp; nzcv: Temp[] } | { kind: 'logic'; res: Temp; nzcv: Temp[] };
const flagSrc = new WeakMap<BlockBuilder, FlagSrc>();

/** The flags' source if the block's latest writes of N, Z, C and V are still its four values. */
function currentFlagSrc(b: BlockBuilder): FlagSrc | undefined {
  const src = flagSrc.get(b);
  if (src === undefined) return undefined;
  const [n, z, c, v] = src.nzcv;
  return b.lastSet(NF) === n && b.lastSet(ZF) === z && b.lastSet(CF) === c && b.lastSet(VF) === v ? src : undefined;
}

export function setNZCV(b: BlockBuilder, n: Temp, z: Temp, c: Temp, v: Temp): void {
  b.set(NF, n);
  b.set(ZF, z);
  b.set(CF, c);
  b.set(VF, v);
}
/** Flags of a logical result: N, Z from it, C = V = 0. */
export function logicFlags(b: BlockBuilder, res: Temp): void {
  const zero = c32(b, 0);
  const nzcv = [signBit(b, res), isZero(b, res), zero, zero];
  setNZCV(b, nzcv[0], nzcv[1], nzcv[2], nzcv[3]);
  flagSrc.set(b, { kind: 'logic', res, nzcv });
}

/** NZCV of a + b (+ carry), as four i32 0/1 temps. */
export function addFlags(b: BlockBuilder, a: Temp, bb: Temp, carry: Temp | undefined): { res: Temp; nzcv: Temp[] } {
  const ty = b.typeOf(a);
  let res = b.bin('add', a, bb);
  if (carry !== undefined) res = b.bin('add', res, ty === 'i64' ? b.extend(carry, false) : carry);
  // Unsigned carry out: the sum wrapped below a (or to a exactly, with a carry in).
  let c: Temp;
  if (carry === undefined) c = b.bin('ltu', res, a);
  else c = b.select(carry, b.bin('leu', res, a), b.bin('ltu', res, a));
  // Signed overflow: both operands' signs differ from the result's; without a carry in, the sum
  // is below a exactly when b is negative unless it overflowed (one compare fewer).
  const n = signBit(b, res);
  const v = carry === undefined ? b.bin('xor', b.bin('lts', res, a), signBit(b, bb)) : signBit(b, b.bin('and', b.bin('xor', a, res), b.bin('xor', bb, res)));
  return { res, nzcv: [n, isZero(b, res), c, v] };
}
/** NZCV of a - b (- !carry): ARM's C is "no borrow". */
export function subFlags(b: BlockBuilder, a: Temp, bb: Temp, carry: Temp | undefined): { res: Temp; nzcv: Temp[] } {
  const ty = b.typeOf(a);
  let res = b.bin('sub', a, bb);
  if (carry !== undefined) {
    const one = ty === 'i64' ? c64(b, 1) : c32(b, 1);
    const cin = ty === 'i64' ? b.extend(carry, false) : carry;
    res = b.bin('sub', res, b.bin('xor', cin, one)); // - (1 - C)
  }
  let c: Temp;
  if (carry === undefined) c = b.bin('leu', bb, a);
  else c = b.select(carry, b.bin('leu', bb, a), b.bin('ltu', bb, a));
  // Signed overflow: the operands' signs differ and the result's differs from a's; without a
  // borrow in, that is a < b (signed) disagreeing with the result's sign.
  const n = signBit(b, res);
  const v = carry === undefined ? b.bin('xor', b.bin('lts', a, bb), n) : signBit(b, b.bin('and', b.bin('xor', a, bb), b.bin('xor', a, res)));
  return { res, nzcv: [n, isZero(b, res), c, v] };
}
/** a + b + carry (carry: i32 0/1 temp, or absent), setting NZCV when `flags`. Returns the sum. */
export function addWithCarry(b: BlockBuilder, a: Temp, bb: Temp, carry: Temp | undefined, flags: boolean): Temp {
  if (!flags) {
    const r = b.bin('add', a, bb);
    return carry === undefined ? r : b.bin('add', r, b.typeOf(a) === 'i64' ? b.extend(carry, false) : carry);
  }
  const { res, nzcv } = addFlags(b, a, bb, carry);
  setNZCV(b, nzcv[0], nzcv[1], nzcv[2], nzcv[3]);
  return res;
}
/** a - b (- !carry), setting NZCV when `flags`. */
export function subWithCarry(b: BlockBuilder, a: Temp, bb: Temp, carry: Temp | undefined, flags: boolean): Temp {
  if (!flags) {
    const r = b.bin('sub', a, bb);
    if (carry === undefined) return r;
    const ty = b.typeOf(a);
    const notC = b.bin('xor', ty === 'i64' ? b.extend(carry, false) : carry, ty === 'i64' ? c64(b, 1) : c32(b, 1));
    return b.bin('sub', r, notC); // - (1 - C)
  }
  const { res, nzcv } = subFlags(b, a, bb, carry);
  setNZCV(b, nzcv[0], nzcv[1], nzcv[2], nzcv[3]);
  if (carry === undefined) flagSrc.set(b, { kind: 'sub', a, b: bb, nzcv });
  return res;
}

const not1 = (b: BlockBuilder, v: Temp) => b.bin('xor', v, c32(b, 1));

/** Condition cond (4 bits) as i32 0/1, from the flag slots. */
export function condHolds(b: BlockBuilder, cond: number): Temp {
  const direct = condFromSrc(b, cond);
  if (direct !== undefined) return direct;
  let r: Temp;
  switch (cond >> 1) {
    case 0: r = b.get('i32', ZF); break; // EQ
    case 1: r = b.get('i32', CF); break; // CS
    case 2: r = b.get('i32', NF); break; // MI
    case 3: r = b.get('i32', VF); break; // VS
    case 4: r = b.bin('and', b.get('i32', CF), not1(b, b.get('i32', ZF))); break; // HI
    case 5: r = b.bin('eq', b.get('i32', NF), b.get('i32', VF)); break; // GE
    case 6: r = b.bin('and', b.bin('eq', b.get('i32', NF), b.get('i32', VF)), not1(b, b.get('i32', ZF))); break; // GT
    default: return c32(b, 1); // AL, NV
  }
  return cond & 1 ? not1(b, r) : r;
}

/** HI/LS, GE/LT, GT/LE straight from the operands of the compare or logical op that set the
 *  flags in this block (measured: aarch64 sieve's inner loop is cmp; b.le). */
function condFromSrc(b: BlockBuilder, cond: number): Temp | undefined {
  const kind = cond >> 1;
  if (kind < 4 || kind > 6) return undefined;
  const src = currentFlagSrc(b);
  if (src === undefined) return undefined;
  const inv = (cond & 1) === 1;
  if (src.kind === 'sub') {
    const { a, b: m } = src;
    switch (kind) {
      case 4: return inv ? b.bin('leu', a, m) : b.bin('ltu', m, a); // HI: a > b unsigned; LS
      case 5: return inv ? b.bin('lts', a, m) : b.bin('les', m, a); // GE: a ≥ b signed; LT
      default: return inv ? b.bin('les', a, m) : b.bin('lts', m, a); // GT: a > b signed; LE
    }
  }
  const { res } = src;
  const zero = b.typeOf(res) === 'i64' ? c64(b, 0) : c32(b, 0);
  switch (kind) {
    case 4: return c32(b, inv ? 1 : 0); // HI: C (0) and not Z
    case 5: return inv ? b.bin('lts', res, zero) : b.bin('les', zero, res); // GE: N = V (0)
    default: return inv ? b.bin('les', res, zero) : b.bin('lts', zero, res); // GT: not Z and N = 0
  }
}

/** Continue at a pc known at lift time (outside the 4 GiB space: through `jump`, which faults). */
export function gotoPc(b: BlockBuilder, target: number): void {
  if (target >= 0 && target < 2 ** 32) b.end({ op: 'goto', pc: target });
  else b.end({ op: 'jump', target: c64(b, target) });
}
export function branchTo(b: BlockBuilder, cond: Temp, taken: number, fall: number): void {
  if (taken >= 0 && taken < 2 ** 32) b.end({ op: 'branch', cond, taken, fall });
  else b.end({ op: 'jump', target: b.select(cond, c64(b, taken), c64(b, fall)) });
}

/** The instruction at pc is unallocated or not for EL0: SIGILL there. */
export function illegal(b: BlockBuilder, pc: number): void {
  b.end({ op: 'trap', signal: Sig.ILL, code: SiCode.ILL_ILLOPC, addr: pc, pc });
}
