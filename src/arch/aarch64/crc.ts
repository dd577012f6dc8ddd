// CRC32B/H/W/X and CRC32CB/H/W/X (FEAT_CRC32): sf 0 0 11010110 Rm 010 C sz Rn Rd. The
// accumulator Wn takes `size` bits of Rm, least significant first (the reflected form the ARM ARM
// writes with BitReverse): x = Wn ^ Rm, then per bit x = (x >> 1) ^ (x & 1 ? poly : 0) with the
// bit-reversed polynomial; the low 32 bits are the result. Straight-line IR, no tables: the
// instruction is rare next to the loads around it.
import type { BlockBuilder } from '../../jit/builder.js';
import { bits } from './bits.js';
import { ins, xr } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, rz, wz } from './lift-util.js';

/** Bit-reversed CRC-32 (0x04C11DB7) and CRC-32C (Castagnoli, 0x1EDC6F41) polynomials. */
const POLY = [0xedb88320, 0x82f63b78];
const SIZES = ['b', 'h', 'w', 'x'];

function crc32(b: BlockBuilder, d: Decoded): void {
  const sz = bits(d.raw, 11, 10);
  const poly = POLY[bits(d.raw, 12, 12)];
  const n = 8 << sz;
  const acc = rz(b, d.rn, 0);
  let r: ReturnType<BlockBuilder['get']>;
  if (sz === 3) {
    let x = b.bin('xor', b.extend(acc, false), rz(b, d.rm, 1));
    const one = c64(b, 1);
    const p = c64(b, poly);
    const zero = c64(b, 0);
    for (let i = 0; i < n; i++) x = b.bin('xor', b.bin('shrl', x, one), b.select(b.wrap(b.bin('and', x, one)), p, zero));
    r = b.wrap(x);
  } else {
    const val = rz(b, d.rm, 0);
    let x = b.bin('xor', acc, n === 32 ? val : b.bin('and', val, c32(b, (1 << n) - 1)));
    const one = c32(b, 1);
    const p = c32(b, poly | 0);
    const zero = c32(b, 0);
    for (let i = 0; i < n; i++) x = b.bin('xor', b.bin('shrl', x, one), b.select(b.bin('and', x, one), p, zero));
    r = x;
  }
  wz(b, d.rd, r);
}

const dis = (d: Decoded) =>
  ins(`crc32${bits(d.raw, 12, 12) ? 'c' : ''}${SIZES[bits(d.raw, 11, 10)]}`, xr(d.rd, 0), xr(d.rn, 0), xr(d.rm, bits(d.raw, 11, 10) === 3 ? 1 : 0));

/** sf must be 1 exactly for the X forms. */
const reserved = (w: number) => (w >>> 31 === 1) !== (bits(w, 11, 10) === 3);

export const CRC: InsnDef[] = [row('crc32', 'x0011010 110xxxxx 010xxxxx xxxxxxxx', crc32, dis, reserved)];
