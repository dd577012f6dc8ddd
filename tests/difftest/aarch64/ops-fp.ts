// A64 scalar floating point (Arm ARM C4.1 "Data Processing -- Scalar Floating-Point and Advanced
// SIMD", the scalar FP groups): arithmetic, fused multiply-add, compares, conditional select and
// compare, FMOV immediate, precision conversions, integer and fixed-point conversions.
import { op } from './encode.js';

/** [letter, ftype]: single and double. (Half precision arithmetic is FEAT_FP16: not tested.) */
export const FTYPES = [['s', 0], ['d', 1]] as const;
const FP1 = [['fmov', 0], ['fabs', 1], ['fneg', 2], ['fsqrt', 3], ['frintn', 8], ['frintp', 9], ['frintm', 10],
  ['frintz', 11], ['frinta', 12], ['frintx', 14], ['frinti', 15],
  ['frint32z', 16], ['frint32x', 17], ['frint64z', 18], ['frint64x', 19]] as const;
const FP2 = ['fmul', 'fdiv', 'fadd', 'fsub', 'fmax', 'fmin', 'fmaxnm', 'fminnm', 'fnmul'];
const FP3 = [['fmadd', 0, 0], ['fmsub', 0, 1], ['fnmadd', 1, 0], ['fnmsub', 1, 1]] as const;
/** FP → integer conversions: [mnemonic, rmode, opcode]. */
const TO_INT = [['fcvtns', 0, 0], ['fcvtnu', 0, 1], ['fcvtas', 0, 4], ['fcvtau', 0, 5], ['fcvtps', 1, 0], ['fcvtpu', 1, 1],
  ['fcvtms', 2, 0], ['fcvtmu', 2, 1], ['fcvtzs', 3, 0], ['fcvtzu', 3, 1]] as const;

for (const [t, ft] of FTYPES) {
  const f = ft << 22;
  const r = (field: string) => `<${field}:${t}>`;
  // 1-source: M 0 S 11110 ftype 1 opcode 10000 Rn Rd
  for (const [mn, opc] of FP1) op(`${mn}.${t}`, 0x1e204000 | f | (opc << 15), `${mn}\t${r('rd')}, ${r('rn')}`);
  // 2-source: M 0 S 11110 ftype 1 Rm opcode 10 Rn Rd
  FP2.forEach((mn, opc) => op(`${mn}.${t}`, 0x1e200800 | f | (opc << 12), `${mn}\t${r('rd')}, ${r('rn')}, ${r('rm')}`));
  // 3-source: M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd
  for (const [mn, o1, o0] of FP3)
    op(`${mn}.${t}`, 0x1f000000 | f | (o1 << 21) | (o0 << 15), `${mn}\t${r('rd')}, ${r('rn')}, ${r('rm')}, ${r('ra')}`);
  // compare: M 0 S 11110 ftype 1 Rm 00 1000 Rn opcode2
  op(`fcmp.${t}`, 0x1e202000 | f, `fcmp\t${r('rn')}, ${r('rm')}`);
  op(`fcmpe.${t}`, 0x1e202010 | f, `fcmpe\t${r('rn')}, ${r('rm')}`);
  op(`fcmp.${t}.zero`, 0x1e202008 | f, `fcmp\t${r('rn')}, #0.0`);
  op(`fcmpe.${t}.zero`, 0x1e202018 | f, `fcmpe\t${r('rn')}, #0.0`);
  // conditional compare and select
  op(`fccmp.${t}`, 0x1e200400 | f, `fccmp\t${r('rn')}, ${r('rm')}, #<nzcv:hex>, <cond:cond>`);
  op(`fccmpe.${t}`, 0x1e200410 | f, `fccmpe\t${r('rn')}, ${r('rm')}, #<nzcv:hex>, <cond:cond>`);
  op(`fcsel.${t}`, 0x1e200c00 | f, `fcsel\t${r('rd')}, ${r('rn')}, ${r('rm')}, <cond:cond>`);
  // FMOV (scalar, immediate): M 0 S 11110 ftype 1 imm8 100 00000 Rd
  op(`fmov.${t}.imm`, 0x1e201000 | f, `fmov\t${r('rd')}, #<fimm:fimm>`);
  // conversions to and from integers: sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd
  for (const [x, sf] of [['x', 1 << 31], ['w', 0]] as const) {
    for (const [mn, rmode, opc] of TO_INT)
      op(`${mn}.${x}.${t}`, (sf | 0x1e200000 | f | (rmode << 19) | (opc << 16)) >>> 0, `${mn}\t<rd:${x}>, ${r('rn')}`, { writes: ['rd'] });
    for (const [mn, opc] of [['scvtf', 2], ['ucvtf', 3]] as const)
      op(`${mn}.${t}.${x}`, (sf | 0x1e200000 | f | (opc << 16)) >>> 0, `${mn}\t${r('rd')}, <rn:${x}>`);
    // fixed point: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd (32-bit: scale >= 32)
    const fixOk = sf ? undefined : (a: Record<string, number>) => a.scale! >= 32;
    for (const [mn, rmode, opc] of [['fcvtzs', 3, 0], ['fcvtzu', 3, 1]] as const)
      op(`${mn}.${x}.${t}.fix`, (sf | 0x1e000000 | f | (rmode << 19) | (opc << 16)) >>> 0, `${mn}\t<rd:${x}>, ${r('rn')}, #<scale:fbits>`, {
        writes: ['rd'], ...(fixOk ? { valid: fixOk } : {}),
      });
    for (const [mn, opc] of [['scvtf', 2], ['ucvtf', 3]] as const)
      op(`${mn}.${t}.${x}.fix`, (sf | 0x1e000000 | f | (opc << 16)) >>> 0, `${mn}\t${r('rd')}, <rn:${x}>, #<scale:fbits>`, fixOk ? { valid: fixOk } : {});
  }
}

// FCVT between precisions: ftype opc = target (4 S, 5 D, 7 H)
for (const [from, ft] of [['s', 0], ['d', 1], ['h', 3]] as const)
  for (const [to, opc] of [['s', 4], ['d', 5], ['h', 7]] as const)
    if (from !== to) op(`fcvt.${to}.${from}`, 0x1e204000 | (ft << 22) | (opc << 15), `fcvt\t<rd:${to}>, <rn:${from}>`);

// FMOV between general and FP registers (bit patterns): sf 0 0 11110 ftype 1 rmode 11x
op('fmov.w.s', 0x1e260000, 'fmov\t<rd:w>, <rn:s>', { writes: ['rd'] });
op('fmov.s.w', 0x1e270000, 'fmov\t<rd:s>, <rn:w>');
op('fmov.x.d', 0x9e660000, 'fmov\t<rd:x>, <rn:d>', { writes: ['rd'] });
op('fmov.d.x', 0x9e670000, 'fmov\t<rd:d>, <rn:x>');
op('fmov.x.v1', 0x9eae0000, 'fmov\t<rd:x>, <rn:v>.d[1]', { writes: ['rd'] });
op('fmov.v1.x', 0x9eaf0000, 'fmov\t<rd:v>.d[1], <rn:x>');
// FJCVTZS (FEAT_JSCVT): JavaScript ToInt32 of a double; sets NZCV to 0Z00.
op('fjcvtzs', 0x1e7e0000, 'fjcvtzs\t<rd:w>, <rn:d>', { writes: ['rd'] });
