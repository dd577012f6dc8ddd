// Half-precision conversions (base ARMv8 FP: FCVT to and from H, FCVTL/FCVTN of 4H/8H), built from
// the IR's f64 ops and integer ops, since the IR has no f16 format. FPCR.AHP (alternative half
// precision: exponent 31 is a normal binade, no ∞ or NaN; NaN → 0 and ∞/overflow → the largest
// value, each with NV) and FPCR.DN are read at run time (HalfMode).
import type { BlockBuilder } from '../../jit/builder.js';
import type { RmArg, Temp } from '../../jit/ir.js';
import { FpFlag, Rm } from '../../jit/ir.js';
import { c32, c64 } from './lift-util.js';
import { FPCR, FPMODE } from './regs.js';

/** FPCR.AHP and FPCR.DN as i32 0/1. */
export interface HalfMode { ahp: Temp; dn: Temp }
export function halfMode(b: BlockBuilder): HalfMode {
  const ahp = b.wrap(b.bin('and', b.bin('shrl', b.get('i64', FPCR), c64(b, 26)), c64(b, 1)));
  const dn = b.bin('and', b.bin('shrl', b.get('i32', FPMODE), c32(b, 4)), c32(b, 1)); // FpMode.DN = 16
  return { ahp, dn };
}

/** f16 bits (i32, low 16 bits) → f64 bits, exactly; NV for a signalling NaN. */
export function f16ToF64(b: BlockBuilder, h: Temp, hm: HalfMode): [Temp, Temp] {
  const k = (v: number | bigint) => c64(b, v);
  const h64 = b.extend(b.bin('and', h, c32(b, 0xffff)), false);
  const sign = b.bin('shl', b.bin('shrl', h64, k(15)), k(63));
  const exp = b.bin('and', b.bin('shrl', h64, k(10)), k(31));
  const frac = b.bin('and', h64, k(0x3ff));
  const normal = b.bin('or', b.bin('shl', b.bin('add', exp, k(1023 - 15)), k(52)), b.bin('shl', frac, k(42)));
  // zero and subnormals: frac · 2^-24, exact
  const [f] = b.i2f('f64', false, frac, { static: Rm.RNE }, false);
  const [sub] = b.fbin('mul', 'f64', f, k(BigInt(1023 - 24) << 52n), { static: Rm.RNE }, false);
  const special = b.bin('or', k(0x7ff0000000000000n), b.select(b.bin('eq', frac, k(0)), k(0), b.bin('or', k(1n << 51n), b.bin('shl', frac, k(42)))));
  const isSpecial = b.bin('and', b.bin('eq', exp, k(31)), b.bin('xor', hm.ahp, c32(b, 1)));
  const mag = b.select(isSpecial, special, b.select(b.bin('eq', exp, k(0)), sub, normal));
  const isNaN = b.bin('and', isSpecial, b.bin('ne', frac, k(0)));
  const snan = b.bin('and', isNaN, b.bin('eq', b.bin('and', frac, k(0x200)), k(0)));
  const flags = b.select(snan, c32(b, FpFlag.NV), c32(b, 0));
  const r = b.select(b.bin('and', isNaN, hm.dn), k(0x7ff8000000000000n), b.bin('or', sign, mag));
  return [r, flags];
}

/** f64 bits → f16 bits (i32) rounded with rm; flags NX/UF (tininess before rounding)/OF/NV. */
export function f64ToF16(b: BlockBuilder, x: Temp, rm: RmArg, hm: HalfMode): [Temp, Temp] {
  const k = (v: number | bigint) => c64(b, v);
  const sign = b.bin('shrl', x, k(63));
  const mag = b.bin('and', x, k((1n << 63n) - 1n));
  const isNaN = b.bin('ltu', k(0x7ff0000000000000n), mag);
  const isInf = b.bin('eq', mag, k(0x7ff0000000000000n));
  const nanBits = b.bin('or', k(0x7e00), b.bin('and', b.bin('shrl', x, k(42)), k(0x1ff)));
  const snan = b.bin('and', isNaN, b.bin('eq', b.bin('and', x, k(1n << 51n)), k(0)));
  const e = b.bin('sub', b.bin('shrl', mag, k(52)), k(1023)); // unbiased exponent (f64 subnormals: -1023)
  const isNormal = b.bin('les', k(-14), e);
  // scale so that the kept bits are the integer part: 2^(10-e) for normal results, 2^24 for subnormal
  const scaleExp = b.select(isNormal, b.bin('sub', k(1023 + 10), e), k(1023 + 24));
  const bigE = b.bin('lts', k(16), e); // certainly overflows; keeps the scale in range
  const scale = b.bin('shl', b.select(bigE, k(1023), scaleExp), k(52));
  const [m] = b.fbin('mul', 'f64', x, scale, { static: Rm.RNE }, false);
  const [i, cvtFlags] = b.f2i('f64', 'i64', true, m, rm);
  const ai = b.select(b.bin('lts', i, k(0)), b.bin('sub', k(0), i), i);
  const normBits = b.bin('add', b.bin('shl', b.bin('add', e, k(15)), k(10)), b.bin('sub', ai, k(1024)));
  const bits = b.select(isNormal, normBits, ai);
  const ahp = hm.ahp;
  // AHP: exponent 31 is finite, so only a carry out of it (or a larger exponent) overflows
  const limit = b.select(ahp, k(0x8000), k(0x7c00));
  const overflow = b.bin('or', bigE, b.bin('and', isNormal, b.bin('leu', limit, bits)));
  // overflow result: ∞ or the largest finite value, by rounding direction and sign
  const neg = b.bin('ne', sign, k(0));
  let toInf: Temp;
  if ('static' in rm) {
    const r = rm.static;
    toInf = r === Rm.RNE || r === Rm.RMM ? c32(b, 1) : r === Rm.RTZ ? c32(b, 0) : r === Rm.RUP ? b.bin('xor', neg, c32(b, 1)) : neg;
  } else {
    const rv = b.bin('and', rm.dyn, c32(b, 7)); // without FpMode bits
    const isNear = b.bin('or', b.bin('eq', rv, c32(b, Rm.RNE)), b.bin('eq', rv, c32(b, Rm.RMM)));
    const up = b.bin('and', b.bin('eq', rv, c32(b, Rm.RUP)), b.bin('xor', neg, c32(b, 1)));
    const down = b.bin('and', b.bin('eq', rv, c32(b, Rm.RDN)), neg);
    toInf = b.bin('or', isNear, b.bin('or', up, down));
  }
  const ovBits = b.select(ahp, k(0x7fff), b.select(toInf, k(0x7c00), k(0x7bff)));
  const finite = b.select(overflow, ovBits, bits);
  const nanOut = b.select(ahp, k(0), b.select(hm.dn, k(0x7e00), nanBits));
  const res = b.select(isNaN, nanOut, b.select(isInf, b.select(ahp, k(0x7fff), k(0x7c00)), finite));
  const signOut = b.select(b.bin('and', isNaN, b.bin('and', hm.dn, b.bin('xor', ahp, c32(b, 1)))), k(0), sign);
  const out = b.wrap(b.bin('or', res, b.bin('shl', signOut, k(15))));
  const nx = b.bin('and', cvtFlags!, c32(b, FpFlag.NX));
  const ovFlags = b.select(ahp, c32(b, FpFlag.NV), c32(b, FpFlag.OF | FpFlag.NX));
  const finiteFlags = b.select(overflow, ovFlags,
    b.select(isNormal, nx, b.select(b.bin('ne', nx, c32(b, 0)), c32(b, FpFlag.UF | FpFlag.NX), c32(b, 0))));
  const nanFlags = b.select(b.bin('or', snan, ahp), c32(b, FpFlag.NV), c32(b, 0));
  const flags = b.select(isNaN, nanFlags, b.select(isInf, b.select(ahp, c32(b, FpFlag.NV), c32(b, 0)), finiteFlags));
  return [out, flags];
}
