// A64 integer data processing, flag moves and branches (Arm ARM C4.1: "Data Processing --
// Immediate", "Data Processing -- Register", "Branches, Exception Generating and System").
import { op } from './encode.js';

/** Both register widths: [suffix, sf bit, zero-register view, sp view]. */
export const WIDTHS = [
  ['x', 1 << 31, 'x', 'xsp'],
  ['w', 0, 'w', 'wsp'],
] as const;

const D = ['rd'];

for (const [r, sf, zr, sp] of WIDTHS) {
  const is32 = r === 'w';
  // ---- add/sub (immediate): sf op S 100010 sh imm12 Rn Rd
  for (const [mn, bits] of [['add', 0x11000000], ['adds', 0x31000000], ['sub', 0x51000000], ['subs', 0x71000000]] as const) {
    const rd = mn.endsWith('s') ? zr : sp;
    op(`${mn}.${r}.imm`, sf | bits, `${mn}\t<rd:${rd}>, <rn:${sp}>, #<imm12:hex><sh:sh12>`, { writes: D });
  }
  // ---- logical (immediate): sf opc 100100 N immr imms Rn Rd
  for (const [mn, bits] of [['and', 0x12000000], ['orr', 0x32000000], ['eor', 0x52000000], ['ands', 0x72000000]] as const) {
    const rd = mn === 'ands' ? zr : sp;
    op(`${mn}.${r}.imm`, sf | bits, `${mn}\t<rd:${rd}>, <rn:${zr}>, #<${is32 ? 'bimmw' : 'bimm'}:bm:${r}>`, { writes: D });
  }
  // ---- move wide: sf opc 100101 hw imm16 Rd
  for (const [mn, bits] of [['movn', 0x12800000], ['movz', 0x52800000], ['movk', 0x72800000]] as const)
    op(`${mn}.${r}`, sf | bits, `${mn}\t<rd:${zr}>, #<imm16:hex><${is32 ? 'hww' : 'hw'}:hw>`, { writes: D });
  // ---- bitfield: sf opc 100110 N immr imms Rn Rd (N = sf)
  const n = is32 ? 0 : 1 << 22;
  const [immr, imms] = is32 ? ['immrw', 'immsw'] : ['immr', 'imms'];
  for (const [mn, bits] of [['sbfm', 0x13000000], ['bfm', 0x33000000], ['ubfm', 0x53000000]] as const)
    op(`${mn}.${r}`, sf | n | bits, `${mn}\t<rd:${zr}>, <rn:${zr}>, #<${immr}:dec>, #<${imms}:dec>`, { writes: D });
  // ---- EXTR: sf 00 100111 N 0 Rm imms Rn Rd
  op(`extr.${r}`, sf | n | 0x13800000, `extr\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}>, #<${is32 ? 'imm6w' : 'imm6'}:dec>`, { writes: D });

  // ---- logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd
  const amt = is32 ? 'imm6w' : 'imm6';
  const logical = [['and', 0x0a000000], ['bic', 0x0a200000], ['orr', 0x2a000000], ['orn', 0x2a200000],
    ['eor', 0x4a000000], ['eon', 0x4a200000], ['ands', 0x6a000000], ['bics', 0x6a200000]] as const;
  for (const [mn, bits] of logical)
    op(`${mn}.${r}.reg`, sf | bits, `${mn}\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}><${amt}:none><stype:sft>`, { writes: D });
  // ---- add/sub (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd (shift 3 reserved)
  const addsub = [['add', 0x0b000000], ['adds', 0x2b000000], ['sub', 0x4b000000], ['subs', 0x6b000000]] as const;
  for (const [mn, bits] of addsub)
    op(`${mn}.${r}.reg`, sf | bits, `${mn}\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}><${amt}:none><stype:sft>`, {
      writes: D,
      valid: (a) => a.stype !== 3,
    });
  // ---- add/sub (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd
  for (const [mn, bits] of addsub) {
    const flags = mn.endsWith('s');
    op(`${mn}.${r}.ext`, sf | bits | 0x00200000,
      `${mn}\t<rd:${flags ? zr : sp}>, <rn:${sp}>, <rm:${is32 ? 'w' : 'extr'}><imm3:none><option:ext:${r}${flags ? '' : 's'}>`, { writes: D });
  }
  // ---- add/sub with carry: sf op S 11010000 Rm 000000 Rn Rd
  for (const [mn, bits] of [['adc', 0x1a000000], ['adcs', 0x3a000000], ['sbc', 0x5a000000], ['sbcs', 0x7a000000]] as const)
    op(`${mn}.${r}`, sf | bits, `${mn}\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}>`, { writes: D });
  // ---- conditional compare: sf op 1 11010010 Rm|imm5 cond 0|1 0 Rn 0 nzcv
  for (const [mn, bits] of [['ccmn', 0x3a400000], ['ccmp', 0x7a400000]] as const) {
    op(`${mn}.${r}.reg`, sf | bits, `${mn}\t<rn:${zr}>, <rm:${zr}>, #<nzcv:hex>, <cond:cond>`);
    op(`${mn}.${r}.imm`, sf | bits | 0x800, `${mn}\t<rn:${zr}>, #<imm5:hex>, #<nzcv:hex>, <cond:cond>`);
  }
  // ---- conditional select: sf op S 11010100 Rm cond op2 Rn Rd
  for (const [mn, bits] of [['csel', 0x1a800000], ['csinc', 0x1a800400], ['csinv', 0x5a800000], ['csneg', 0x5a800400]] as const)
    op(`${mn}.${r}`, sf | bits, `${mn}\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}>, <cond:cond>`, { writes: D });
  // ---- data processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd
  for (const [mn, opc] of [['udiv', 2], ['sdiv', 3], ['lslv', 8], ['lsrv', 9], ['asrv', 10], ['rorv', 11]] as const)
    op(`${mn}.${r}`, sf | 0x1ac00000 | (opc << 10), `${mn}\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}>`, { writes: D });
  // ---- data processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd
  const one = is32
    ? ([['rbit', 0], ['rev16', 1], ['rev', 2], ['clz', 4], ['cls', 5]] as const)
    : ([['rbit', 0], ['rev16', 1], ['rev32', 2], ['rev', 3], ['clz', 4], ['cls', 5]] as const);
  for (const [mn, opc] of one) op(`${mn}.${r}`, sf | 0x5ac00000 | (opc << 10), `${mn}\t<rd:${zr}>, <rn:${zr}>`, { writes: D });
  // ---- multiply-add: sf 00 11011 000 Rm o0 Ra Rn Rd
  op(`madd.${r}`, sf | 0x1b000000, `madd\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}>, <ra:${zr}>`, { writes: D });
  op(`msub.${r}`, sf | 0x1b008000, `msub\t<rd:${zr}>, <rn:${zr}>, <rm:${zr}>, <ra:${zr}>`, { writes: D });
  // ---- compare and branch, test and branch (forward skips)
  op(`cbz.${r}`, sf | 0x34000000, `cbz\t<rt:${zr}>, <imm19:rel:4>`);
  op(`cbnz.${r}`, sf | 0x35000000, `cbnz\t<rt:${zr}>, <imm19:rel:4>`);
  op(`tbz.${r}`, 0x36000000, `tbz\t<rt:${zr}>, #<${is32 ? 'tbitw' : 'tbit'}:dec>, <imm14:rel:4>`, { valid: (a) => is32 || a.tbit! >= 32 });
  op(`tbnz.${r}`, 0x37000000, `tbnz\t<rt:${zr}>, #<${is32 ? 'tbitw' : 'tbit'}:dec>, <imm14:rel:4>`, { valid: (a) => is32 || a.tbit! >= 32 });
}

// ---- long multiplies and high halves: 1 00 11011 U op31 Rm o0 Ra Rn Rd
for (const [mn, bits] of [['smaddl', 0x9b200000], ['smsubl', 0x9b208000], ['umaddl', 0x9ba00000], ['umsubl', 0x9ba08000]] as const)
  op(mn, bits, `${mn}\t<rd:x>, <rn:w>, <rm:w>, <ra:x>`, { writes: D });
op('smulh', 0x9b407c00, 'smulh\t<rd:x>, <rn:x>, <rm:x>', { writes: D });
op('umulh', 0x9bc07c00, 'umulh\t<rd:x>, <rn:x>, <rm:x>', { writes: D });

// ---- pc-relative addresses
op('adr', 0x10000000, 'adr\t<rd:x>, <adr:rel:1>', { writes: D });
op('adrp', 0x90000000, 'adrp\t<rd:x>, <adr:adrp>', { writes: D });

// ---- branches (the generator only skips forward over a few instructions)
op('b', 0x14000000, 'b\t<imm26:rel:4>');
op('bl', 0x94000000, 'bl\t<imm26:rel:4>');
op('b.cond', 0x54000000, 'b.<bcond:cond>\t<imm19:rel:4>');
op('br', 0xd61f0000, 'br\t<rn:x>');
op('blr', 0xd63f0000, 'blr\t<rn:x>');

// ---- system registers EL0 may use (NZCV, FPCR, FPSR), CLREX, NOP
op('msr.nzcv', 0xd51b4200, 'msr\tnzcv, <rt:x>');
op('mrs.nzcv', 0xd53b4200, 'mrs\t<rt:x>, nzcv', { writes: ['rt'] });
op('msr.fpcr', 0xd51b4400, 'msr\tfpcr, <rt:x>');
op('mrs.fpcr', 0xd53b4400, 'mrs\t<rt:x>, fpcr', { writes: ['rt'] });
op('msr.fpsr', 0xd51b4420, 'msr\tfpsr, <rt:x>');
op('mrs.fpsr', 0xd53b4420, 'mrs\t<rt:x>, fpsr', { writes: ['rt'] });
op('clrex', 0xd5033f5f, 'clrex');
op('nop', 0xd503201f, 'hint\t#0x0');
op('svc', 0xd4000001, 'svc\t#<imm16:hex>');

// ---- CRC32 (FEAT_CRC32): sf 0 0 11010110 Rm 010 C sz Rn Rd; the X forms take an X register
for (const [c, cn] of [['', 0], ['c', 1 << 12]] as const)
  for (const [s, sz] of [['b', 0], ['h', 1], ['w', 2], ['x', 3]] as const)
    op(`crc32${c}${s}`, ((sz === 3 ? 1 << 31 : 0) | 0x1ac04000 | cn | (sz << 10)) >>> 0, `crc32${c}${s}\t<rd:w>, <rn:w>, <rm:${sz === 3 ? 'x' : 'w'}>`, { writes: D });

// ---- flag manipulation (FEAT_FlagM, FEAT_FlagM2) and SB
for (const [mn, w] of [['cfinv', 0xd500401f], ['xaflag', 0xd500403f], ['axflag', 0xd500405f], ['sb', 0xd50330ff]] as const) op(mn, w, mn);
op('rmif', 0xba000400, 'rmif\t<rn:x>, #<rmifsh:dec>, #<nzcv:dec>');
for (const [mn, sz] of [['setf8', 0], ['setf16', 1]] as const) op(mn, 0x3a00080d | (sz << 14), `${mn}\t<rn:w>`);
