// Instruction decoding driven by the tables: a 32-bit word is looked up by its major opcode, then by
// the bits every row of that opcode fixes (funct3, funct7, … — found from the masks), so a lookup
// scans only the few rows that share those; a 16-bit one by quadrant and funct3.
import type { CodeFetch } from '../arch.js';
import { Decoded, type CDef, type InsnDef } from './insn.js';
import { TABLE16 } from './table16.js';
import { TABLE32 } from './table32.js';

interface Bucket {
  /** Bits fixed by every row of this opcode. */
  common: number;
  rows: Map<number, InsnDef[]>;
}

function index32(table: readonly InsnDef[]): (Bucket | undefined)[] {
  const byOpcode: InsnDef[][] = [];
  for (const row of table) (byOpcode[row.match & 0x7f] ??= []).push(row);
  return byOpcode.map((rows) => {
    if (!rows) return undefined;
    const common = rows.reduce((m, r) => (m & r.mask) >>> 0, 0xffffffff);
    const map = new Map<number, InsnDef[]>();
    for (const r of rows) {
      const key = (r.match & common) >>> 0;
      const list = map.get(key) ?? [];
      list.push(r);
      map.set(key, list);
    }
    return { common, rows: map };
  });
}

const BY_OPCODE = index32(TABLE32);
/** Compressed rows by (funct3 << 2 | quadrant), in table order. */
const BY_SLOT: CDef[][] = Array.from({ length: 32 }, () => []);
for (const row of TABLE16) BY_SLOT[((row.match >>> 13) << 2) | (row.match & 3)].push(row);

export function findRow32(w: number): InsnDef | null {
  const bucket = BY_OPCODE[w & 0x7f];
  if (bucket === undefined) return null;
  const rows = bucket.rows.get((w & bucket.common) >>> 0);
  if (rows === undefined) return null;
  // (indexes, not for-of, here and in decode16: uncompiled, for-of allocates per row)
  for (let i = 0; i < rows.length; i++) if (((w & rows[i].mask) >>> 0) === rows[i].match) return rows[i];
  return null;
}

/** Decode a 32-bit word into d. Leaves d.def null if it is not an RV64GC instruction. */
export function decode32(w: number, d: Decoded): void {
  w >>>= 0;
  d.raw = w;
  d.len = 4;
  d.cdef = null;
  d.reserved = false;
  d.rd = (w >>> 7) & 31;
  d.rs1 = (w >>> 15) & 31;
  d.rs2 = (w >>> 20) & 31;
  d.rs3 = w >>> 27;
  d.rm = (w >>> 12) & 7;
  const def = (d.def = findRow32(w));
  if (def === null) return;
  const s = w | 0; // signed view: >> sign-extends from bit 31
  switch (def.imm) {
    case 'I': d.imm = s >> 20; break;
    case 'S': d.imm = ((s >> 25) << 5) | ((w >>> 7) & 31); break;
    case 'B': d.imm = ((s >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); break;
    case 'U': d.imm = s & ~0xfff; break;
    case 'J': d.imm = ((s >> 31) << 20) | (((w >>> 12) & 255) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 1023) << 1); break;
    case 'shamt6': d.imm = (w >>> 20) & 63; break;
    case 'shamt5': d.imm = (w >>> 20) & 31; break;
    case 'csr': d.imm = w >>> 20; break;
    case 'none': d.imm = 0; break;
  }
}

/** Decode a 16-bit halfword into d (its expansion). Leaves d.def null if reserved/undefined. */
export function decode16(h: number, d: Decoded): void {
  d.raw = h;
  d.len = 2;
  d.reserved = false;
  d.rs3 = 0;
  d.rm = 0;
  d.def = null;
  d.cdef = null;
  const rows = BY_SLOT[((h >>> 13) << 2) | (h & 3)];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if ((h & row.mask) !== row.match) continue;
    d.cdef = row;
    if (!row.expand(h, d)) d.def = null;
    return;
  }
}

/** Whether a first halfword starts a 32-bit instruction (the only longer length RV64GC has;
 *  48-bit and longer encodings, bits 4:0 = 11111, are not instructions here). */
export const isLong = (lo: number): boolean => (lo & 3) === 3;

/** Fetch and decode the instruction at pc. Fetch faults (GuestSignal) propagate. */
export function fetchDecode(fetch: CodeFetch, pc: number, d: Decoded): void {
  const lo = fetch.u16(pc);
  d.pc = pc;
  if (!isLong(lo)) return decode16(lo, d);
  if ((lo & 0x1f) === 0x1f) {
    // a ≥48-bit encoding: undefined; treat the halfword as the (illegal) instruction
    decode16(lo, d);
    d.def = null;
    d.cdef = null;
    return;
  }
  decode32((lo | (fetch.u16(pc + 2) << 16)) >>> 0, d);
}

export { Decoded };
