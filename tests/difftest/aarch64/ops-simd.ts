// A64 Advanced SIMD (Arm ARM C4.1, the "Advanced SIMD" groups): vector and scalar three-same,
// three-different, two-register misc, across lanes, copy, modified immediate, shift by immediate,
// by element, permutes, EXT and table lookups. Vector ops are named '<mnemonic>.v', scalar ones
// '<mnemonic>.sc'. FP16 forms are left out (FEAT_FP16 is not advertised).
import { op } from './encode.js';
import type { Args } from './fields.js';

const SIZE = 'bhsd';
/** Element sizes an op takes; vector ops never take 1d unless said. */
const sizes = (allowed: string, vector: boolean) => (a: Args) =>
  allowed.includes(SIZE[a.size!]!) && !(vector && a.size === 3 && a.Q === 0);
const fpVec = (a: Args) => !(a.sz === 1 && a.Q === 0);

const V = (r: string) => `<${r}:v>.<size:T>`;
const VF = (r: string) => `<${r}:v>.<sz:T:f>`;
const VB = (r: string) => `<${r}:v>.<Q:Tb>`;
const SC = (r: string) => `<size:E><${r}:dec>`;
const SCF = (r: string) => `<sz:E:f><${r}:dec>`;
const Q = '<Q:none>';

// ---- three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd; scalar: 01 U 11110 size 1 Rm opcode 1 Rn Rd
/** [mnemonic, U, opcode, vector sizes, scalar sizes ('' if no scalar form)] */
const SAME: ReadonlyArray<readonly [string, number, number, string, string]> = [
  ['shadd', 0, 0, 'bhs', ''], ['sqadd', 0, 1, 'bhsd', 'bhsd'], ['srhadd', 0, 2, 'bhs', ''], ['shsub', 0, 4, 'bhs', ''],
  ['sqsub', 0, 5, 'bhsd', 'bhsd'], ['cmgt', 0, 6, 'bhsd', 'd'], ['cmge', 0, 7, 'bhsd', 'd'], ['sshl', 0, 8, 'bhsd', 'd'],
  ['sqshl', 0, 9, 'bhsd', 'bhsd'], ['srshl', 0, 10, 'bhsd', 'd'], ['sqrshl', 0, 11, 'bhsd', 'bhsd'], ['smax', 0, 12, 'bhs', ''],
  ['smin', 0, 13, 'bhs', ''], ['sabd', 0, 14, 'bhs', ''], ['saba', 0, 15, 'bhs', ''], ['add', 0, 16, 'bhsd', 'd'],
  ['cmtst', 0, 17, 'bhsd', 'd'], ['mla', 0, 18, 'bhs', ''], ['mul', 0, 19, 'bhs', ''], ['smaxp', 0, 20, 'bhs', ''],
  ['sminp', 0, 21, 'bhs', ''], ['sqdmulh', 0, 22, 'hs', 'hs'], ['addp', 0, 23, 'bhsd', ''],
  ['uhadd', 1, 0, 'bhs', ''], ['uqadd', 1, 1, 'bhsd', 'bhsd'], ['urhadd', 1, 2, 'bhs', ''], ['uhsub', 1, 4, 'bhs', ''],
  ['uqsub', 1, 5, 'bhsd', 'bhsd'], ['cmhi', 1, 6, 'bhsd', 'd'], ['cmhs', 1, 7, 'bhsd', 'd'], ['ushl', 1, 8, 'bhsd', 'd'],
  ['uqshl', 1, 9, 'bhsd', 'bhsd'], ['urshl', 1, 10, 'bhsd', 'd'], ['uqrshl', 1, 11, 'bhsd', 'bhsd'], ['umax', 1, 12, 'bhs', ''],
  ['umin', 1, 13, 'bhs', ''], ['uabd', 1, 14, 'bhs', ''], ['uaba', 1, 15, 'bhs', ''], ['sub', 1, 16, 'bhsd', 'd'],
  ['cmeq', 1, 17, 'bhsd', 'd'], ['mls', 1, 18, 'bhs', ''], ['pmul', 1, 19, 'b', ''], ['umaxp', 1, 20, 'bhs', ''],
  ['uminp', 1, 21, 'bhs', ''], ['sqrdmulh', 1, 22, 'hs', 'hs'],
];
for (const [mn, u, opc, vs, ss] of SAME) {
  const bits = (u << 29) | (opc << 11);
  op(`${mn}.v`, 0x0e200400 | bits, `${mn}\t${V('rd')}, ${V('rn')}, ${V('rm')}${Q}`, { valid: sizes(vs, true) });
  if (ss) op(`${mn}.sc`, 0x5e200400 | bits, `${mn}\t${SC('rd')}, ${SC('rn')}, ${SC('rm')}`, { valid: sizes(ss, false) });
}
// logic: opcode 00011, the size field picks the operation
for (const [mn, u, size] of [['and', 0, 0], ['bic', 0, 1], ['orr', 0, 2], ['orn', 0, 3], ['eor', 1, 0], ['bsl', 1, 1], ['bit', 1, 2], ['bif', 1, 3]] as const)
  op(`${mn}.v`, 0x0e201c00 | (u << 29) | (size << 22), `${mn}\t${VB('rd')}, ${VB('rn')}, ${VB('rm')}`);
// FP three same: the size field is a:sz; [mnemonic, U, a, opcode, scalar form]
const FSAME: ReadonlyArray<readonly [string, number, number, number, boolean]> = [
  ['fmaxnm', 0, 0, 24, false], ['fmla', 0, 0, 25, false], ['fadd', 0, 0, 26, false], ['fmulx', 0, 0, 27, true],
  ['fcmeq', 0, 0, 28, true], ['fmax', 0, 0, 30, false], ['frecps', 0, 0, 31, true],
  ['fminnm', 0, 1, 24, false], ['fmls', 0, 1, 25, false], ['fsub', 0, 1, 26, false], ['fmin', 0, 1, 30, false], ['frsqrts', 0, 1, 31, true],
  ['fmaxnmp', 1, 0, 24, false], ['faddp', 1, 0, 26, false], ['fmul', 1, 0, 27, false], ['fcmge', 1, 0, 28, true],
  ['facge', 1, 0, 29, true], ['fmaxp', 1, 0, 30, false], ['fdiv', 1, 0, 31, false],
  ['fminnmp', 1, 1, 24, false], ['fabd', 1, 1, 26, true], ['fcmgt', 1, 1, 28, true], ['facgt', 1, 1, 29, true], ['fminp', 1, 1, 30, false],
];
for (const [mn, u, a, opc, scalar] of FSAME) {
  const bits = (u << 29) | (a << 23) | (opc << 11);
  op(`${mn}.v`, 0x0e200400 | bits, `${mn}\t${VF('rd')}, ${VF('rn')}, ${VF('rm')}${Q}`, { valid: fpVec });
  if (scalar) op(`${mn}.sc`, 0x5e200400 | bits, `${mn}\t${SCF('rd')}, ${SCF('rn')}, ${SCF('rm')}`);
}

// ---- three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd. Long: Vd wide, Vn and Vm narrow;
// wide: Vd and Vn wide; narrow (high half): Vd narrow. Q = 1 is the "2" form on upper halves.
const DIFF: ReadonlyArray<readonly [string, number, number, 'long' | 'wide' | 'narrow', string]> = [
  ['saddl', 0, 0, 'long', 'bhs'], ['saddw', 0, 1, 'wide', 'bhs'], ['ssubl', 0, 2, 'long', 'bhs'], ['ssubw', 0, 3, 'wide', 'bhs'],
  ['addhn', 0, 4, 'narrow', 'bhs'], ['sabal', 0, 5, 'long', 'bhs'], ['subhn', 0, 6, 'narrow', 'bhs'], ['sabdl', 0, 7, 'long', 'bhs'],
  ['smlal', 0, 8, 'long', 'bhs'], ['sqdmlal', 0, 9, 'long', 'hs'], ['smlsl', 0, 10, 'long', 'bhs'], ['sqdmlsl', 0, 11, 'long', 'hs'],
  ['smull', 0, 12, 'long', 'bhs'], ['sqdmull', 0, 13, 'long', 'hs'], ['pmull', 0, 14, 'long', 'b'],
  ['uaddl', 1, 0, 'long', 'bhs'], ['uaddw', 1, 1, 'wide', 'bhs'], ['usubl', 1, 2, 'long', 'bhs'], ['usubw', 1, 3, 'wide', 'bhs'],
  ['raddhn', 1, 4, 'narrow', 'bhs'], ['uabal', 1, 5, 'long', 'bhs'], ['rsubhn', 1, 6, 'narrow', 'bhs'], ['uabdl', 1, 7, 'long', 'bhs'],
  ['umlal', 1, 8, 'long', 'bhs'], ['umlsl', 1, 10, 'long', 'bhs'], ['umull', 1, 12, 'long', 'bhs'],
];
const W = (r: string) => `<${r}:v>.<size:Tw>`;
for (const [mn, u, opc, form, ss] of DIFF) {
  const [d, n, m] = form === 'long' ? [W('rd'), V('rn'), V('rm')] : form === 'wide' ? [W('rd'), W('rn'), V('rm')] : [V('rd'), W('rn'), W('rm')];
  op(`${mn}.v`, 0x0e200000 | (u << 29) | (opc << 12), `${mn}<Q:two>\t${d}, ${n}, ${m}`, { valid: sizes(ss, true) });
}
for (const [mn, opc] of [['sqdmlal', 9], ['sqdmlsl', 11], ['sqdmull', 13]] as const)
  op(`${mn}.sc`, 0x5e200000 | (opc << 12), `${mn}\t<size:E:w><rd:dec>, ${SC('rn')}, ${SC('rm')}`, { valid: sizes('hs', false) });

// ---- two-register misc: 0 Q U 01110 size 10000 opcode 10 Rn Rd; scalar 01 U 11110 size 10000 …
const MISC: ReadonlyArray<readonly [string, number, number, string, string, string]> = [
  // [mnemonic, U, opcode, vector sizes, scalar sizes, operand suffix]
  ['rev64', 0, 0, 'bhs', '', ''], ['rev16', 0, 1, 'b', '', ''], ['suqadd', 0, 3, 'bhsd', 'bhsd', ''], ['cls', 0, 4, 'bhs', '', ''],
  ['cnt', 0, 5, 'b', '', ''], ['sqabs', 0, 7, 'bhsd', 'bhsd', ''], ['cmgt', 0, 8, 'bhsd', 'd', ', #0'], ['cmeq', 0, 9, 'bhsd', 'd', ', #0'],
  ['cmlt', 0, 10, 'bhsd', 'd', ', #0'], ['abs', 0, 11, 'bhsd', 'd', ''],
  ['rev32', 1, 0, 'bh', '', ''], ['usqadd', 1, 3, 'bhsd', 'bhsd', ''], ['clz', 1, 4, 'bhs', '', ''], ['sqneg', 1, 7, 'bhsd', 'bhsd', ''],
  ['cmge', 1, 8, 'bhsd', 'd', ', #0'], ['cmle', 1, 9, 'bhsd', 'd', ', #0'], ['neg', 1, 11, 'bhsd', 'd', ''],
];
for (const [mn, u, opc, vs, ss, suffix] of MISC) {
  const bits = (u << 29) | (opc << 12);
  const key = suffix ? `${mn}z` : mn;
  op(`${key}.v`, 0x0e200800 | bits, `${mn}\t${V('rd')}, ${V('rn')}${Q}${suffix}`, { valid: sizes(vs, true) });
  if (ss) op(`${key}.sc`, 0x5e200800 | bits, `${mn}\t${SC('rd')}, ${SC('rn')}${suffix}`, { valid: sizes(ss, false) });
}
op('not.v', 0x2e205800, `not\t${VB('rd')}, ${VB('rn')}`);
op('rbit.v', 0x2e605800, `rbit\t${VB('rd')}, ${VB('rn')}`);
for (const [mn, u, opc] of [['saddlp', 0, 2], ['sadalp', 0, 6], ['uaddlp', 1, 2], ['uadalp', 1, 6]] as const)
  op(`${mn}.v`, 0x0e200800 | (u << 29) | (opc << 12), `${mn}\t<rd:v>.<size:Tlp>, ${V('rn')}${Q}`, { valid: sizes('bhs', true) });
// narrowing: Vd narrow (the "2" form writes the upper half), Vn wide; scalar: element letters
for (const [mn, u, opc] of [['xtn', 0, 18], ['sqxtn', 0, 20], ['sqxtun', 1, 18], ['uqxtn', 1, 20]] as const) {
  op(`${mn}.v`, 0x0e200800 | (u << 29) | (opc << 12), `${mn}<Q:two>\t${V('rd')}, ${W('rn')}`, { valid: sizes('bhs', true) });
  if (mn !== 'xtn') op(`${mn}.sc`, 0x5e200800 | (u << 29) | (opc << 12), `${mn}\t${SC('rd')}, <size:E:w><rn:dec>`, { valid: sizes('bhs', false) });
}
op('shll.v', 0x2e213800, `shll<Q:two>\t${W('rd')}, ${V('rn')}, #<size:shll>`, { valid: sizes('bhs', true) });
op('fcvtn.v', 0x0e216800, 'fcvtn<Q:two>\t<rd:v>.<sz:Tfn>, <rn:v>.<sz:Tfw><Q:none>');
op('fcvtl.v', 0x0e217800, 'fcvtl<Q:two>\t<rd:v>.<sz:Tfw>, <rn:v>.<sz:Tfn><Q:none>');
op('fcvtxn.v', 0x2e616800, 'fcvtxn<Q:two>\t<rd:v>.<Q:Tq:s>, <rn:v>.2d');
op('fcvtxn.sc', 0x7e616800, 'fcvtxn\t<rd:s>, <rn:d>');
// FP two-register misc: [mnemonic, U, a, opcode, scalar form, suffix]
const FMISC: ReadonlyArray<readonly [string, number, number, number, boolean, string]> = [
  ['frintn', 0, 0, 24, false, ''], ['frintm', 0, 0, 25, false, ''], ['fcvtns', 0, 0, 26, true, ''], ['fcvtms', 0, 0, 27, true, ''],
  ['fcvtas', 0, 0, 28, true, ''], ['scvtf', 0, 0, 29, true, ''],
  ['fcmgt', 0, 1, 12, true, ', #0.0'], ['fcmeq', 0, 1, 13, true, ', #0.0'], ['fcmlt', 0, 1, 14, true, ', #0.0'], ['fabs', 0, 1, 15, false, ''],
  ['frintp', 0, 1, 24, false, ''], ['frintz', 0, 1, 25, false, ''], ['fcvtps', 0, 1, 26, true, ''], ['fcvtzs', 0, 1, 27, true, ''],
  ['frecpe', 0, 1, 29, true, ''], ['frecpx', 0, 1, 31, true, ''],
  ['frinta', 1, 0, 24, false, ''], ['frintx', 1, 0, 25, false, ''], ['fcvtnu', 1, 0, 26, true, ''], ['fcvtmu', 1, 0, 27, true, ''],
  ['fcvtau', 1, 0, 28, true, ''], ['ucvtf', 1, 0, 29, true, ''],
  ['fcmge', 1, 1, 12, true, ', #0.0'], ['fcmle', 1, 1, 13, true, ', #0.0'], ['fneg', 1, 1, 15, false, ''], ['frinti', 1, 1, 25, false, ''],
  ['fcvtpu', 1, 1, 26, true, ''], ['fcvtzu', 1, 1, 27, true, ''], ['frsqrte', 1, 1, 29, true, ''], ['fsqrt', 1, 1, 31, false, ''],
  ['frint32z', 0, 0, 30, false, ''], ['frint32x', 1, 0, 30, false, ''], ['frint64z', 0, 0, 31, false, ''], ['frint64x', 1, 0, 31, false, ''],
];
for (const [mn, u, a, opc, scalar, suffix] of FMISC) {
  const bits = (u << 29) | (a << 23) | (opc << 12);
  const key = suffix ? `${mn}z` : mn;
  if (mn !== 'frecpx') op(`${key}.v`, 0x0e200800 | bits, `${mn}\t${VF('rd')}, ${VF('rn')}${Q}${suffix}`, { valid: fpVec });
  if (scalar) op(`${key}.sc`, 0x5e200800 | bits, `${mn}\t${SCF('rd')}, ${SCF('rn')}${suffix}`);
}
op('urecpe.v', 0x0ea1c800, 'urecpe\t<rd:v>.<Q:Tq:s>, <rn:v>.<Q:Tq:s>');
op('ursqrte.v', 0x2ea1c800, 'ursqrte\t<rd:v>.<Q:Tq:s>, <rn:v>.<Q:Tq:s>');

// ---- across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd (no 2s form)
const acrossOk = (allowed: string) => (a: Args) => sizes(allowed, true)(a) && !(a.size === 2 && a.Q === 0);
for (const [mn, u, opc] of [['smaxv', 0, 10], ['sminv', 0, 26], ['addv', 0, 27], ['umaxv', 1, 10], ['uminv', 1, 26]] as const)
  op(`${mn}.v`, 0x0e300800 | (u << 29) | (opc << 12), `${mn}\t${SC('rd')}, ${V('rn')}${Q}`, { valid: acrossOk('bhs') });
for (const [mn, u] of [['saddlv', 0], ['uaddlv', 1]] as const)
  op(`${mn}.v`, 0x0e303800 | (u << 29), `${mn}\t<size:E:w><rd:dec>, ${V('rn')}${Q}`, { valid: acrossOk('bhs') });
for (const [mn, a, opc] of [['fmaxnmv', 0, 12], ['fmaxv', 0, 15], ['fminnmv', 1, 12], ['fminv', 1, 15]] as const)
  op(`${mn}.v`, 0x6e300800 | (a << 23) | (opc << 12), `${mn}\t<rd:s>, <rn:v>.4s`);
// scalar pairwise: 01 U 11110 size 11000 opcode 10 Rn Rd
op('addp.sc', 0x5ef1b800, 'addp\t<rd:d>, <rn:v>.2d');
for (const [mn, a, opc] of [['fmaxnmp', 0, 12], ['faddp', 0, 13], ['fmaxp', 0, 15], ['fminnmp', 1, 12], ['fminp', 1, 15]] as const)
  op(`${mn}.sc`, 0x7e300800 | (a << 23) | (opc << 12), `${mn}\t${SCF('rd')}, <rn:v>.<sz:Tfw:p>`);

// ---- copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd
const i5 = (v: number) => (v & 15) !== 0;
op('dup.v.elem', 0x0e000400, 'dup\t<rd:v>.<imm5:i5T>, <rn:v>.<imm5:i5E>[<imm5:i5i>]<Q:none>', { valid: (a) => i5(a.imm5!) && !((a.imm5! & 15) === 8 && a.Q === 0) });
op('dup.v.w', 0x0e000c00, 'dup\t<rd:v>.<imm5:i5T>, <rn:w><Q:none>', { valid: (a) => i5(a.imm5!) && (a.imm5! & 7) !== 0 });
op('dup.v.x', 0x4e080c00, 'dup\t<rd:v>.2d, <rn:x>');
op('dup.sc', 0x5e000400, 'dup\t<imm5:i5E><rd:dec>, <rn:v>.<imm5:i5E>[<imm5:i5i>]', { valid: (a) => i5(a.imm5!) });
op('smov.w', 0x0e002c00, 'smov\t<rd:w>, <rn:v>.<imm5:i5E>[<imm5:i5i>]', { writes: ['rd'], valid: (a) => (a.imm5! & 3) !== 0 });
op('smov.x', 0x4e002c00, 'smov\t<rd:x>, <rn:v>.<imm5:i5E>[<imm5:i5i>]', { writes: ['rd'], valid: (a) => (a.imm5! & 7) !== 0 });
op('umov.w', 0x0e003c00, 'umov\t<rd:w>, <rn:v>.<imm5:i5E>[<imm5:i5i>]', { writes: ['rd'], valid: (a) => (a.imm5! & 7) !== 0 });
op('umov.x', 0x4e003c00, 'umov\t<rd:x>, <rn:v>.d[<imm5:i5i>]', { writes: ['rd'], valid: (a) => (a.imm5! & 15) === 8 });
op('ins.w', 0x4e001c00, 'ins\t<rd:v>.<imm5:i5E>[<imm5:i5i>], <rn:w>', { valid: (a) => (a.imm5! & 7) !== 0 });
op('ins.x', 0x4e001c00, 'ins\t<rd:v>.d[<imm5:i5i>], <rn:x>', { valid: (a) => (a.imm5! & 15) === 8 });
op('ins.elem', 0x6e000400, 'ins\t<rd:v>.<imm5:i5E>[<imm5:i5i>], <rn:v>.<imm5:i5E>[<imm4:i4i>]', {
  valid: (a) => i5(a.imm5!) && (a.imm4! & ((1 << (31 - Math.clz32(a.imm5! & -a.imm5!))) - 1)) === 0,
});

// ---- modified immediate: 0 Q op 0111100000 abc cmode o2 1 defgh Rd
op('movi.v.b', 0x0f00e400, 'movi\t<rd:v>.<Q:Tb>, #<imm8:hex>');
op('movi.v.h', 0x0f008400, 'movi\t<rd:v>.<Q:Tq:h>, #<imm8:hex><cmh:lsl8>');
op('movi.v.s', 0x0f000400, 'movi\t<rd:v>.<Q:Tq:s>, #<imm8:hex><cms:lsl8>');
op('movi.v.msl', 0x0f00c400, 'movi\t<rd:v>.<Q:Tq:s>, #<imm8:hex><cmm:msl>');
op('movi.d', 0x2f00e400, 'movi\t<rd:d>, #<imm8:bytes>');
op('movi.v.2d', 0x6f00e400, 'movi\t<rd:v>.2d, #<imm8:bytes>');
op('mvni.v.h', 0x2f008400, 'mvni\t<rd:v>.<Q:Tq:h>, #<imm8:hex><cmh:lsl8>');
op('mvni.v.s', 0x2f000400, 'mvni\t<rd:v>.<Q:Tq:s>, #<imm8:hex><cms:lsl8>');
op('mvni.v.msl', 0x2f00c400, 'mvni\t<rd:v>.<Q:Tq:s>, #<imm8:hex><cmm:msl>');
op('orr.v.h', 0x0f009400, 'orr\t<rd:v>.<Q:Tq:h>, #<imm8:hex><cmh:lsl8>');
op('orr.v.s', 0x0f001400, 'orr\t<rd:v>.<Q:Tq:s>, #<imm8:hex><cms:lsl8>');
op('bic.v.h', 0x2f009400, 'bic\t<rd:v>.<Q:Tq:h>, #<imm8:hex><cmh:lsl8>');
op('bic.v.s', 0x2f001400, 'bic\t<rd:v>.<Q:Tq:s>, #<imm8:hex><cms:lsl8>');
op('fmov.v.s', 0x0f00f400, 'fmov\t<rd:v>.<Q:Tq:s>, #<imm8:fimm>');
op('fmov.v.d', 0x6f00f400, 'fmov\t<rd:v>.2d, #<imm8:fimm>');

// ---- shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd (immh = 0 is modified immediate)
type Shape = 'right' | 'left' | 'narrow' | 'long' | 'fix';
const SHIFT: ReadonlyArray<readonly [string, number, number, Shape, boolean]> = [
  // [mnemonic, U, opcode, shape, scalar form (d only for right/left, b/h/s results for narrow)]
  ['sshr', 0, 0, 'right', true], ['ssra', 0, 2, 'right', true], ['srshr', 0, 4, 'right', true], ['srsra', 0, 6, 'right', true],
  ['shl', 0, 10, 'left', true], ['sqshl', 0, 14, 'left', true], ['shrn', 0, 16, 'narrow', false], ['rshrn', 0, 17, 'narrow', false],
  ['sqshrn', 0, 18, 'narrow', true], ['sqrshrn', 0, 19, 'narrow', true], ['sshll', 0, 20, 'long', false],
  ['scvtf', 0, 28, 'fix', true], ['fcvtzs', 0, 31, 'fix', true],
  ['ushr', 1, 0, 'right', true], ['usra', 1, 2, 'right', true], ['urshr', 1, 4, 'right', true], ['ursra', 1, 6, 'right', true],
  ['sri', 1, 8, 'right', true], ['sli', 1, 10, 'left', true], ['sqshlu', 1, 12, 'left', true], ['uqshl', 1, 14, 'left', true],
  ['sqshrun', 1, 16, 'narrow', true], ['sqrshrun', 1, 17, 'narrow', true], ['uqshrn', 1, 18, 'narrow', true],
  ['uqrshrn', 1, 19, 'narrow', true], ['ushll', 1, 20, 'long', false], ['ucvtf', 1, 28, 'fix', true], ['fcvtzu', 1, 31, 'fix', true],
];
/** Saturating left shifts also have b/h/s scalar forms. */
const ANY_SCALAR = new Set(['sqshl', 'sqshlu', 'uqshl']);
const immh = (a: Args) => a.immhb! >> 3;
for (const [mn, u, opc, shape, scalar] of SHIFT) {
  const bits = (u << 29) | (opc << 11);
  const sh = shape === 'left' || shape === 'long' ? '<immhb:shl>' : shape === 'fix' ? '<immhb:fbv>' : '<immhb:shr>';
  const vecOk = (a: Args) => {
    const h = immh(a);
    if (h === 0) return false;
    if (shape === 'narrow' || shape === 'long') return h < 8;
    if (shape === 'fix') return h >= 4 && !(h >= 8 && a.Q === 0);
    return !(h >= 8 && a.Q === 0);
  };
  const vt = '<rd:v>.<immhb:shT>';
  const nt = '<rn:v>.<immhb:shT>';
  if (shape === 'narrow') op(`${mn}.v.imm`, 0x0f000400 | bits, `${mn}<Q:two>\t${vt}, <rn:v>.<immhb:shT:w>, #${sh}`, { valid: vecOk });
  else if (shape === 'long') op(`${mn}.v.imm`, 0x0f000400 | bits, `${mn}<Q:two>\t<rd:v>.<immhb:shT:w>, ${nt}, #${sh}`, { valid: vecOk });
  else op(`${mn}.v.imm`, 0x0f000400 | bits, `${mn}\t${vt}, ${nt}, #${sh}<Q:none>`, { valid: vecOk });
  if (!scalar) continue;
  const scOk = (a: Args) => {
    const h = immh(a);
    if (shape === 'narrow') return h > 0 && h < 8;
    if (shape === 'fix') return h >= 4;
    return ANY_SCALAR.has(mn) ? h > 0 : h >= 8;
  };
  const d = shape === 'narrow' ? '<immhb:shE><rd:dec>, <immhb:shE:w><rn:dec>' : '<immhb:shE><rd:dec>, <immhb:shE><rn:dec>';
  op(`${mn}.sc.imm`, 0x5f000400 | bits, `${mn}\t${d}, #${sh}`, { valid: scOk });
}

// ---- by element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd; scalar: 01 U 11111 …
const ELEM_INT: ReadonlyArray<readonly [string, number, number, 'same' | 'long', boolean]> = [
  // [mnemonic, U, opcode, shape, scalar form]
  ['mla', 1, 0, 'same', false], ['mls', 1, 4, 'same', false], ['mul', 0, 8, 'same', false],
  ['sqdmulh', 0, 12, 'same', true], ['sqrdmulh', 0, 13, 'same', true],
  ['smlal', 0, 2, 'long', false], ['smlsl', 0, 6, 'long', false], ['smull', 0, 10, 'long', false],
  ['umlal', 1, 2, 'long', false], ['umlsl', 1, 6, 'long', false], ['umull', 1, 10, 'long', false],
  ['sqdmlal', 0, 3, 'long', true], ['sqdmlsl', 0, 7, 'long', true], ['sqdmull', 0, 11, 'long', true],
];
for (const [mn, u, opc, shape, scalar] of ELEM_INT) {
  for (const [e, size, m, idx] of [['h', 1, 'rm4', 'idxh'], ['s', 2, 'rm', 'idxs']] as const) {
    const bits = (u << 29) | (size << 22) | (opc << 12);
    const el = `<${m}:v>.${e}[<${idx}:dec>]`;
    const wide = e === 'h' ? '4s' : '2d';
    const text = shape === 'same'
      ? `${mn}\t<rd:v>.<Q:Tq:${e}>, <rn:v>.<Q:Tq:${e}>, ${el}`
      : `${mn}<Q:two>\t<rd:v>.${wide}, <rn:v>.<Q:Tq:${e}>, ${el}`;
    op(`${mn}.v.el${e}`, 0x0f000000 | bits, text);
    if (scalar) {
      const dst = shape === 'same' ? e : e === 'h' ? 's' : 'd';
      op(`${mn}.sc.el${e}`, 0x5f000000 | bits, `${mn}\t<rd:${dst}>, <rn:${e}>, ${el}`);
    }
  }
}
for (const [mn, u, opc] of [['fmla', 0, 1], ['fmls', 0, 5], ['fmul', 0, 9], ['fmulx', 1, 9]] as const) {
  for (const [e, sz, idx] of [['s', 0, 'idxs'], ['d', 1, 'idxd']] as const) {
    const bits = (u << 29) | (1 << 23) | (sz << 22) | (opc << 12);
    const el = `<rm:v>.${e}[<${idx}:dec>]`;
    op(`${mn}.v.el${e}`, 0x0f000000 | bits, `${mn}\t<rd:v>.<Q:Tq:${e}>, <rn:v>.<Q:Tq:${e}>, ${el}`, { valid: (a) => e === 's' || a.Q === 1 });
    op(`${mn}.sc.el${e}`, 0x5f000000 | bits, `${mn}\t<rd:${e}>, <rn:${e}>, ${el}`);
  }
}

// ---- permutes: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd
for (const [mn, opc] of [['uzp1', 1], ['trn1', 2], ['zip1', 3], ['uzp2', 5], ['trn2', 6], ['zip2', 7]] as const)
  op(`${mn}.v`, 0x0e000800 | (opc << 12), `${mn}\t${V('rd')}, ${V('rn')}, ${V('rm')}${Q}`, { valid: sizes('bhsd', true) });
// EXT: 0 Q 101110 000 Rm 0 imm4 0 Rn Rd
op('ext.v', 0x2e000000, `ext\t${VB('rd')}, ${VB('rn')}, ${VB('rm')}, #<ext4:dec>`, { valid: (a) => a.Q === 1 || a.ext4! < 8 });
// TBL/TBX: 0 Q 001110 000 Rm 0 len op 00 Rn Rd
for (const [mn, o] of [['tbl', 0], ['tbx', 1]] as const)
  for (const n of [1, 2, 3, 4])
    op(`${mn}.${n}`, 0x0e000000 | ((n - 1) << 13) | (o << 12), `${mn}\t${VB('rd')}, <rn:vl:${n}/16b>, ${VB('rm')}`);

// ---- dot product (FEAT_DotProd) and SQRDMLAH/SQRDMLSH (FEAT_RDM): three same extra
// (0 Q U 01110 size 0 Rm 1 opcode 1 Rn Rd) and by element (opcodes 1110, 1101, 1111)
for (const [mn, u] of [['sdot', 0], ['udot', 1]] as const) {
  op(`${mn}.v`, 0x0e809400 | (u << 29), `${mn}\t<rd:v>.<Q:Tq:s>, ${VB('rn')}, ${VB('rm')}`);
  op(`${mn}.v.els`, 0x0f80e000 | (u << 29), `${mn}\t<rd:v>.<Q:Tq:s>, ${VB('rn')}, <rm:v>.4b[<idxs:dec>]`);
}
// FEAT_I8MM: USDOT (vector, by element), SUDOT (by element), SMMLA/UMMLA/USMMLA (16b only)
op('usdot.v', 0x0e809c00, `usdot\t<rd:v>.<Q:Tq:s>, ${VB('rn')}, ${VB('rm')}`);
op('usdot.v.els', 0x0f80f000, `usdot\t<rd:v>.<Q:Tq:s>, ${VB('rn')}, <rm:v>.4b[<idxs:dec>]`);
op('sudot.v.els', 0x0f00f000, `sudot\t<rd:v>.<Q:Tq:s>, ${VB('rn')}, <rm:v>.4b[<idxs:dec>]`);
for (const [mn, u, opc] of [['smmla', 0, 4], ['ummla', 1, 4], ['usmmla', 0, 5]] as const)
  op(`${mn}.v`, 0x4e80a400 | (u << 29) | ((opc - 4) << 11), `${mn}\t<rd:v>.4s, <rn:v>.16b, <rm:v>.16b`);
for (const [mn, o] of [['sqrdmlah', 0], ['sqrdmlsh', 1]] as const) {
  op(`${mn}.v`, 0x2e008400 | (o << 11), `${mn}\t${V('rd')}, ${V('rn')}, ${V('rm')}${Q}`, { valid: sizes('hs', true) });
  op(`${mn}.sc`, 0x7e008400 | (o << 11), `${mn}\t${SC('rd')}, ${SC('rn')}, ${SC('rm')}`, { valid: sizes('hs', false) });
  for (const [e, size, m, idx] of [['h', 1, 'rm4', 'idxh'], ['s', 2, 'rm', 'idxs']] as const) {
    const bits = 0x2f00d000 | (o << 13) | (size << 22);
    const el = `<${m}:v>.${e}[<${idx}:dec>]`;
    op(`${mn}.v.el${e}`, bits, `${mn}\t<rd:v>.<Q:Tq:${e}>, <rn:v>.<Q:Tq:${e}>, ${el}`);
    op(`${mn}.sc.el${e}`, (bits | 0x50000000) >>> 0, `${mn}\t<rd:${e}>, <rn:${e}>, ${el}`);
  }
}

// ---- cryptographic extension: AES, SHA1, SHA256, PMULL with 64-bit elements
(['aese', 'aesd', 'aesmc', 'aesimc'] as const).forEach((mn, i) => op(mn, 0x4e284800 | (i << 12), `${mn}\t<rd:v>.16b, <rn:v>.16b`));
for (const [mn, opc] of [['sha1c', 0], ['sha1p', 1], ['sha1m', 2]] as const) op(mn, 0x5e000000 | (opc << 12), `${mn}\t<rd:q>, <rn:s>, <rm:v>.4s`);
for (const [mn, opc] of [['sha256h', 4], ['sha256h2', 5]] as const) op(mn, 0x5e000000 | (opc << 12), `${mn}\t<rd:q>, <rn:q>, <rm:v>.4s`);
for (const [mn, opc] of [['sha1su0', 3], ['sha256su1', 6]] as const) op(mn, 0x5e000000 | (opc << 12), `${mn}\t<rd:v>.4s, <rn:v>.4s, <rm:v>.4s`);
op('sha1h', 0x5e280800, 'sha1h\t<rd:s>, <rn:s>');
op('sha1su1', 0x5e281800, 'sha1su1\t<rd:v>.4s, <rn:v>.4s');
op('sha256su0', 0x5e282800, 'sha256su0\t<rd:v>.4s, <rn:v>.4s');
op('pmull.1q', 0x0ee0e000, 'pmull<Q:two>\t<rd:v>.1q, <rn:v>.<Q:Tq:d>, <rm:v>.<Q:Tq:d>');
// FEAT_SHA3 and FEAT_SHA512
for (const [mn, o] of [['eor3', 0], ['bcax', 1]] as const) op(mn, 0xce000000 | (o << 21), `${mn}\t<rd:v>.16b, <rn:v>.16b, <rm:v>.16b, <ra:v>.16b`);
op('xar', 0xce800000, 'xar\t<rd:v>.2d, <rn:v>.2d, <rm:v>.2d, #<imm6:dec>');
op('rax1', 0xce608c00, 'rax1\t<rd:v>.2d, <rn:v>.2d, <rm:v>.2d');
for (const [mn, opc] of [['sha512h', 0], ['sha512h2', 1]] as const) op(mn, 0xce608000 | (opc << 10), `${mn}\t<rd:q>, <rn:q>, <rm:v>.2d`);
op('sha512su1', 0xce608800, 'sha512su1\t<rd:v>.2d, <rn:v>.2d, <rm:v>.2d');
op('sha512su0', 0xcec08000, 'sha512su0\t<rd:v>.2d, <rn:v>.2d');
