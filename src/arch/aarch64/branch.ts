// Branches: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET. Every one ends the block.
import type { BlockBuilder } from '../../jit/builder.js';
import { bits, sx } from './bits.js';
import { COND, X, dec, ins, target, withCond, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { branchTo, c64, condHolds, cst, gotoPc, isZero, rz } from './lift-util.js';
import { LR } from './regs.js';

const imm26 = (d: Decoded) => sx(d.raw & 0x3ffffff, 26) * 4;
const imm19 = (d: Decoded) => sx(bits(d.raw, 23, 5), 19) * 4;
const imm14 = (d: Decoded) => sx(bits(d.raw, 18, 5), 14) * 4;

function b_(b: BlockBuilder, d: Decoded): void {
  gotoPc(b, d.pc + imm26(d));
}
function bl(b: BlockBuilder, d: Decoded): void {
  b.set(LR, c64(b, d.pc + 4));
  gotoPc(b, d.pc + imm26(d));
}
function bcond(b: BlockBuilder, d: Decoded): void {
  const cond = d.raw & 15;
  if (cond >= 14) return gotoPc(b, d.pc + imm19(d));
  branchTo(b, condHolds(b, cond), d.pc + imm19(d), d.pc + 4);
}
const cbz = (nonzero: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const z = isZero(b, rz(b, d.rd, d.sf));
  branchTo(b, nonzero ? b.bin('xor', z, cst(b, 0, 1)) : z, d.pc + imm19(d), d.pc + 4);
};
const tbz = (nonzero: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const n = (d.sf << 5) | bits(d.raw, 23, 19);
  const sf = n >= 32 ? 1 : 0;
  const t = b.bin('and', rz(b, d.rd, sf), cst(b, sf, 1n << BigInt(n)));
  const z = isZero(b, t);
  branchTo(b, nonzero ? b.bin('xor', z, cst(b, 0, 1)) : z, d.pc + imm14(d), d.pc + 4);
};
/** BR/BLR/RET: the target is read before BLR writes x30 (BLR x30 jumps to the old x30). */
const branchReg = (link: boolean) => (b: BlockBuilder, d: Decoded): void => {
  const t = rz(b, d.rn, 1);
  if (link) b.set(LR, c64(b, d.pc + 4));
  b.end({ op: 'jump', target: t });
};

export const BRANCH: InsnDef[] = [
  row('b', '000101xx xxxxxxxx xxxxxxxx xxxxxxxx', b_, (d) => ins('b', target(d.pc, imm26(d)))),
  row('bl', '100101xx xxxxxxxx xxxxxxxx xxxxxxxx', bl, (d) => ins('bl', target(d.pc, imm26(d)))),
  row('b.cond', '01010100 xxxxxxxx xxxxxxxx xxx0xxxx', bcond, (d) => {
    const c = d.raw & 15;
    const t = `b.${COND[c]}\t${target(d.pc, imm19(d))}`;
    return withCond(t, c).replace(/\t\/\/ \w+ = (.*)$/, (_m, alts: string) => '  // ' + alts.split(', ').map((a) => 'b.' + a).join(', '));
  }),
  row('cbz', 'x0110100 xxxxxxxx xxxxxxxx xxxxxxxx', cbz(false), (d) => ins('cbz', xr(d.rd, d.sf), target(d.pc, imm19(d)))),
  row('cbnz', 'x0110101 xxxxxxxx xxxxxxxx xxxxxxxx', cbz(true), (d) => ins('cbnz', xr(d.rd, d.sf), target(d.pc, imm19(d)))),
  ...(['tbz', 'tbnz'] as const).map((name, i) =>
    row(name, `x011011${i} xxxxxxxx xxxxxxxx xxxxxxxx`, tbz(i === 1), (d) =>
      ins(name, xr(d.rd, d.sf), dec((d.sf << 5) | bits(d.raw, 23, 19)), target(d.pc, imm14(d))))),
  row('br', '11010110 00011111 000000xx xxx00000', branchReg(false), (d) => ins('br', X(d.rn))),
  row('blr', '11010110 00111111 000000xx xxx00000', branchReg(true), (d) => ins('blr', X(d.rn))),
  row('ret', '11010110 01011111 000000xx xxx00000', branchReg(false), (d) => (d.rn === LR ? 'ret' : ins('ret', X(d.rn)))),
];

