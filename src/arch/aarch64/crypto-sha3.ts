// FEAT_SHA3 (EOR3, BCAX, RAX1, XAR) and FEAT_SHA512 (SHA512H, SHA512H2, SHA512SU0, SHA512SU1):
// all 64-bit logic, rotates and adds on the registers' halves, so plain IR (no helper): a few
// dozen ops each. Encodings 1100 1110 …, next to the SM3/SM4 ones (not implemented: SIGILL).
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { bits } from './bits.js';
import { ins } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c64 } from './lift-util.js';
import { getHalves, setHalves, vreg } from './vec-util.js';

const not = (b: BlockBuilder, x: Temp) => b.bin('xor', x, c64(b, -1));
const ror = (b: BlockBuilder, x: Temp, n: number) => b.bin('rotr', x, c64(b, n));
const shr = (b: BlockBuilder, x: Temp, n: number) => b.bin('shrl', x, c64(b, n));
const xor3 = (b: BlockBuilder, x: Temp, y: Temp, z: Temp) => b.bin('xor', b.bin('xor', x, y), z);
const add3 = (b: BlockBuilder, x: Temp, y: Temp, z: Temp) => b.bin('add', b.bin('add', x, y), z);
const ra = (w: number) => bits(w, 14, 10);

// ---- EOR3 / BCAX: 1100 1110 0 Op0(2) Rm 0 Ra Rn Rd
function fourReg(b: BlockBuilder, d: Decoded): void {
  const bcax = bits(d.raw, 22, 21) === 1;
  const [nl, nh] = getHalves(b, d.rn);
  const [ml, mh] = getHalves(b, d.rm);
  const [al, ah] = getHalves(b, ra(d.raw));
  if (bcax) setHalves(b, d.rd, b.bin('xor', nl, b.bin('and', ml, not(b, al))), b.bin('xor', nh, b.bin('and', mh, not(b, ah))));
  else setHalves(b, d.rd, xor3(b, nl, ml, al), xor3(b, nh, mh, ah));
}
const fourRegDis = (d: Decoded) =>
  ins(bits(d.raw, 22, 21) ? 'bcax' : 'eor3', vreg(d.rd, 8, 1), vreg(d.rn, 8, 1), vreg(d.rm, 8, 1), vreg(ra(d.raw), 8, 1));

// ---- XAR Vd.2D, Vn.2D, Vm.2D, #imm6: 1100 1110 100 Rm imm6 Rn Rd
function xar(b: BlockBuilder, d: Decoded): void {
  const k = bits(d.raw, 15, 10);
  const [nl, nh] = getHalves(b, d.rn);
  const [ml, mh] = getHalves(b, d.rm);
  setHalves(b, d.rd, ror(b, b.bin('xor', nl, ml), k), ror(b, b.bin('xor', nh, mh), k));
}
const xarDis = (d: Decoded) => ins('xar', vreg(d.rd, 64, 1), vreg(d.rn, 64, 1), vreg(d.rm, 64, 1), `#${bits(d.raw, 15, 10)}`);

// ---- three-register SHA512: 1100 1110 011 Rm 1 O 00 opcode Rn Rd (O:opcode 000 H, 001 H2, 010 SU1, 011 RAX1)
const SHA512_3 = ['sha512h', 'sha512h2', 'sha512su1', 'rax1'] as const;
const sig = (b: BlockBuilder, x: Temp, r1: number, r2: number, r3: number) => xor3(b, ror(b, x, r1), ror(b, x, r2), ror(b, x, r3));
function sha512Three(b: BlockBuilder, d: Decoded): void {
  const name = SHA512_3[bits(d.raw, 11, 10)];
  const [xl, xh] = getHalves(b, d.rn);
  const [yl, yh] = getHalves(b, d.rm);
  if (name === 'rax1') return setHalves(b, d.rd, b.bin('xor', xl, b.bin('rotl', yl, c64(b, 1))), b.bin('xor', xh, b.bin('rotl', yh, c64(b, 1))));
  const [wl, wh] = getHalves(b, d.rd);
  if (name === 'sha512h') {
    // Σ1 and Ch on Y<127:64> with X as (f, g), then on the updated value
    const ch1 = b.bin('xor', b.bin('and', yh, xl), b.bin('and', not(b, yh), xh));
    const hi = add3(b, ch1, sig(b, yh, 14, 18, 41), wh);
    const tmp = b.bin('add', hi, yl);
    const ch2 = b.bin('xor', b.bin('and', tmp, yh), b.bin('and', not(b, tmp), xl));
    return setHalves(b, d.rd, add3(b, ch2, sig(b, tmp, 14, 18, 41), wl), hi);
  }
  if (name === 'sha512h2') {
    const maj1 = xor3(b, b.bin('and', xl, yh), b.bin('and', xl, yl), b.bin('and', yh, yl));
    const hi = add3(b, maj1, sig(b, yl, 28, 34, 39), wh);
    const maj2 = xor3(b, b.bin('and', hi, yl), b.bin('and', hi, yh), b.bin('and', yh, yl));
    return setHalves(b, d.rd, add3(b, maj2, sig(b, hi, 28, 34, 39), wl), hi);
  }
  // SHA512SU1: w + σ1(x) + y per half
  const s1 = (x: Temp) => xor3(b, ror(b, x, 19), ror(b, x, 61), shr(b, x, 6));
  setHalves(b, d.rd, add3(b, wl, s1(xl), yl), add3(b, wh, s1(xh), yh));
}
function sha512ThreeDis(d: Decoded): string {
  const name = SHA512_3[bits(d.raw, 11, 10)];
  if (name === 'sha512h' || name === 'sha512h2') return ins(name, `q${d.rd}`, `q${d.rn}`, vreg(d.rm, 64, 1));
  return ins(name, vreg(d.rd, 64, 1), vreg(d.rn, 64, 1), vreg(d.rm, 64, 1));
}

// ---- SHA512SU0 Vd.2D, Vn.2D: 1100 1110 1100 0000 1000 00 Rn Rd
function sha512su0(b: BlockBuilder, d: Decoded): void {
  const [xl] = getHalves(b, d.rn);
  const [wl, wh] = getHalves(b, d.rd);
  const s0 = (x: Temp) => xor3(b, ror(b, x, 1), ror(b, x, 8), shr(b, x, 7));
  setHalves(b, d.rd, b.bin('add', wl, s0(wh)), b.bin('add', wh, s0(xl)));
}
const sha512su0Dis = (d: Decoded) => ins('sha512su0', vreg(d.rd, 64, 1), vreg(d.rn, 64, 1));

export const CRYPTO_SHA3: InsnDef[] = [
  row('eor3', '11001110 0xxxxxxx 0xxxxxxx xxxxxxxx', fourReg, fourRegDis, (w) => bits(w, 22, 21) > 1),
  row('xar', '11001110 100xxxxx xxxxxxxx xxxxxxxx', xar, xarDis),
  row('sha512.3', '11001110 011xxxxx 1000xxxx xxxxxxxx', sha512Three, sha512ThreeDis),
  row('sha512su0', '11001110 11000000 100000xx xxxxxxxx', sha512su0, sha512su0Dis),
];
