// Flag manipulation (FEAT_FlagM: CFINV, RMIF, SETF8, SETF16; FEAT_FlagM2: AXFLAG, XAFLAG) and the
// speculation barrier SB (FEAT_SB: nothing to do for an emulator that does not speculate).
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { ins, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, rz } from './lift-util.js';
import { CF, NF, VF, ZF } from './regs.js';

const flag = (b: BlockBuilder, slot: number) => b.get('i32', slot);
const not = (b: BlockBuilder, x: Temp) => b.bin('xor', x, c32(b, 1));

function cfinv(b: BlockBuilder): void {
  b.set(CF, not(b, flag(b, CF)));
}
/** AXFLAG: Arm's FP compare flags to the "external" format (Z |= V, C &= !V, N = V = 0). */
function axflag(b: BlockBuilder): void {
  const v = flag(b, VF);
  b.set(ZF, b.bin('or', flag(b, ZF), v));
  b.set(CF, b.bin('and', flag(b, CF), not(b, v)));
  b.set(NF, c32(b, 0));
  b.set(VF, c32(b, 0));
}
/** XAFLAG: the reverse: N = !C & !Z, Z = Z & C, C = C | Z, V = !C & Z (all from the old flags). */
function xaflag(b: BlockBuilder): void {
  const c = flag(b, CF);
  const z = flag(b, ZF);
  b.set(NF, b.bin('and', not(b, c), not(b, z)));
  b.set(ZF, b.bin('and', z, c));
  b.set(CF, b.bin('or', c, z));
  b.set(VF, b.bin('and', not(b, c), z));
}

/** RMIF Xn, #shift, #mask: NZCV bits selected by mask from Xn rotated right by shift. */
function rmif(b: BlockBuilder, d: Decoded): void {
  const sh = bits(d.raw, 20, 15);
  const v = b.wrap(b.bin('rotr', rz(b, d.rn, 1), c64(b, sh)));
  const mask = bits(d.raw, 3, 0);
  [NF, ZF, CF, VF].forEach((slot, i) => {
    if ((mask >> (3 - i)) & 1) b.set(slot, b.bin('and', b.bin('shrl', v, c32(b, 3 - i)), c32(b, 1)));
  });
}
/** SETF8/SETF16 Wn: N and Z from the low 8/16 bits, V = bit n ^ bit n-1; C unchanged. */
function setf(b: BlockBuilder, d: Decoded): void {
  const n = bit(d.raw, 14) ? 16 : 8;
  const w = rz(b, d.rn, 0);
  const top = b.bin('and', b.bin('shrl', w, c32(b, n - 1)), c32(b, 1));
  b.set(NF, top);
  b.set(ZF, b.bin('eq', b.bin('and', w, c32(b, (1 << n) - 1)), c32(b, 0)));
  b.set(VF, b.bin('xor', top, b.bin('and', b.bin('shrl', w, c32(b, n)), c32(b, 1))));
}

const nop = () => {};
export const FLAGM: InsnDef[] = [
  // MSR (immediate) forms with op1 000, CRn 0100, CRm 0000 and op2 000/001/010
  row('cfinv', '11010101 00000000 01000000 00011111', cfinv, () => 'cfinv'),
  row('xaflag', '11010101 00000000 01000000 00111111', xaflag, () => 'xaflag'),
  row('axflag', '11010101 00000000 01000000 01011111', axflag, () => 'axflag'),
  row('sb', '11010101 00000011 00110000 11111111', nop, () => 'sb'),
  row('rmif', '10111010 000xxxxx x00001xx xxx0xxxx', rmif, (d) => ins('rmif', xr(d.rn, 1), `#${bits(d.raw, 20, 15)}`, `#${bits(d.raw, 3, 0)}`)),
  row('setf', '00111010 00000000 0x0010xx xxx01101', setf, (d) => ins(bit(d.raw, 14) ? 'setf16' : 'setf8', xr(d.rn, 0))),
];
