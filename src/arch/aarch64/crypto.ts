// The cryptographic extension: AESE/AESD/AESMC/AESIMC (FEAT_AES), SHA1C/P/M/H/SU0/SU1 (FEAT_SHA1),
// SHA256H/H2/SU0/SU1 (FEAT_SHA256), PMULL/PMULL2 with 64-bit elements (FEAT_PMULL). Each lifts to
// one IR `helper` call (crypto-impl.ts holds the arithmetic) on the registers' 64-bit halves —
// table lookups and 64-round loops would be hundreds of IR ops per instruction. SHA1H is a rotate.
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { defineHelper } from '../../jit/helpers.js';
import { bit, bits } from './bits.js';
import { ins } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32 } from './lift-util.js';
import { aes, aesMix, clmul64, sha1Hash, sha1su0, sha1su1, sha256h, sha256h2, sha256su0, sha256su1 } from './crypto-impl.js';
import { getHalves, setHalves, vreg } from './vec-util.js';
import { vlo, vhi } from './regs.js';

const H = {
  aese: defineHelper('aarch64.aese', 4, (a, b, c, d) => aes(false, a, b, c, d)),
  aesd: defineHelper('aarch64.aesd', 4, (a, b, c, d) => aes(true, a, b, c, d)),
  aesmc: defineHelper('aarch64.aesmc', 2, (a, b) => aesMix(false, a, b)),
  aesimc: defineHelper('aarch64.aesimc', 2, (a, b) => aesMix(true, a, b)),
  sha1c: defineHelper('aarch64.sha1c', 5, (a, b, c, d, e) => sha1Hash(0, a, b, c, d, e)),
  sha1p: defineHelper('aarch64.sha1p', 5, (a, b, c, d, e) => sha1Hash(1, a, b, c, d, e)),
  sha1m: defineHelper('aarch64.sha1m', 5, (a, b, c, d, e) => sha1Hash(2, a, b, c, d, e)),
  sha1su0: defineHelper('aarch64.sha1su0', 6, sha1su0),
  sha1su1: defineHelper('aarch64.sha1su1', 4, sha1su1),
  sha256h: defineHelper('aarch64.sha256h', 6, sha256h),
  sha256h2: defineHelper('aarch64.sha256h2', 6, sha256h2),
  sha256su0: defineHelper('aarch64.sha256su0', 4, sha256su0),
  sha256su1: defineHelper('aarch64.sha256su1', 6, sha256su1),
  pmull64: defineHelper('aarch64.pmull64', 2, clmul64),
};

function call(b: BlockBuilder, d: Decoded, id: number, args: Temp[]): void {
  const [lo, hi] = b.helper(id, args);
  setHalves(b, d.rd, lo, hi);
}

// ---- AES: 0100 1110 0010 1000 0 opcode 10 Rn Rd (opcode 00100…00111)
const AES = ['aese', 'aesd', 'aesmc', 'aesimc'] as const;
function aesLift(b: BlockBuilder, d: Decoded): void {
  const name = AES[bits(d.raw, 13, 12)];
  const n = getHalves(b, d.rn);
  call(b, d, H[name], name === 'aese' || name === 'aesd' ? [...getHalves(b, d.rd), ...n] : n);
}
const aesDis = (d: Decoded) => ins(AES[bits(d.raw, 13, 12)], vreg(d.rd, 8, 1), vreg(d.rn, 8, 1));

// ---- SHA three-register: 0101 1110 000 Rm 0 opcode 00 Rn Rd (opcode 000…110)
const SHA3 = ['sha1c', 'sha1p', 'sha1m', 'sha1su0', 'sha256h', 'sha256h2', 'sha256su1'] as const;
function sha3Lift(b: BlockBuilder, d: Decoded): void {
  const name = SHA3[bits(d.raw, 14, 12)];
  const dd = getHalves(b, d.rd);
  const m = getHalves(b, d.rm);
  // SHA1C/P/M take Sn (E) alone: the low word of Vn
  const n = name === 'sha1c' || name === 'sha1p' || name === 'sha1m' ? [b.get('i64', vlo(d.rn))] : getHalves(b, d.rn);
  call(b, d, H[name], [...dd, ...n, ...m]);
}
function sha3Dis(d: Decoded): string {
  const name = SHA3[bits(d.raw, 14, 12)];
  const m = vreg(d.rm, 32, 1);
  if (name === 'sha1su0' || name === 'sha256su1') return ins(name, vreg(d.rd, 32, 1), vreg(d.rn, 32, 1), m);
  return ins(name, `q${d.rd}`, name.startsWith('sha1') ? `s${d.rn}` : `q${d.rn}`, m);
}

// ---- SHA two-register: 0101 1110 0010 1000 0 opcode 10 Rn Rd (opcode 00000…00010)
const SHA2 = ['sha1h', 'sha1su1', 'sha256su0'] as const;
function sha2Lift(b: BlockBuilder, d: Decoded): void {
  const name = SHA2[bits(d.raw, 13, 12)];
  if (name === 'sha1h') {
    const x = b.get('i32', vlo(d.rn));
    return setHalves(b, d.rd, b.extend(b.bin('rotl', x, c32(b, 30)), false), null);
  }
  call(b, d, H[name], [...getHalves(b, d.rd), ...getHalves(b, d.rn)]);
}
function sha2Dis(d: Decoded): string {
  const name = SHA2[bits(d.raw, 13, 12)];
  return name === 'sha1h' ? ins(name, `s${d.rd}`, `s${d.rn}`) : ins(name, vreg(d.rd, 32, 1), vreg(d.rn, 32, 1));
}

// ---- PMULL/PMULL2 Vd.1Q, Vn.1D/2D, Vm.1D/2D: 0 Q 0 01110 11 1 Rm 1110 00 Rn Rd
function pmull64(b: BlockBuilder, d: Decoded): void {
  const half = bit(d.raw, 30) ? vhi : vlo;
  call(b, d, H.pmull64, [b.get('i64', half(d.rn)), b.get('i64', half(d.rm))]);
}
function pmullDis(d: Decoded): string {
  const q = bit(d.raw, 30);
  return ins(q ? 'pmull2' : 'pmull', `v${d.rd}.1q`, vreg(d.rn, 64, q), vreg(d.rm, 64, q));
}

export const CRYPTO: InsnDef[] = [
  row('aes', '01001110 00101000 01xx10xx xxxxxxxx', aesLift, aesDis),
  row('sha3', '01011110 000xxxxx 0xxx00xx xxxxxxxx', sha3Lift, sha3Dis, (w) => bits(w, 14, 12) === 7),
  row('sha2', '01011110 00101000 00xx10xx xxxxxxxx', sha2Lift, sha2Dis, (w) => bits(w, 13, 12) === 3),
  row('pmull64', '0x001110 111xxxxx 111000xx xxxxxxxx', pmull64, pmullDis),
];
