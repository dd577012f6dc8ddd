// Decoding driven by the tables: a word is looked up by its bits 31:21 (within its top-level group,
// bits 28:25, the A64 op0 field), then the rows left are tried in table order. A row whose pattern
// matches but whose `reserved` predicate holds is skipped, so a later row (or nothing:
// unallocated) can take it.
import type { CodeFetch } from '../arch.js';
import { Decoded, type InsnDef } from './insn.js';
import { TABLE } from './table.js';

const BY_GROUP: InsnDef[][] = Array.from({ length: 16 }, () => []);
for (const r of TABLE) {
  // A row goes into every group its pattern allows.
  for (let g = 0; g < 16; g++) {
    const gm = (r.mask >>> 25) & 15;
    if ((g & gm) === ((r.match >>> 25) & gm)) BY_GROUP[g].push(r);
  }
}

/** The rows whose pattern allows these bits 31:21, in table order: a group has up to 36 rows, this
 *  leaves at most 11. Made on first use (a program meets a few hundred of the 2048). Lifting runs
 *  in V8's interpreter, where every row tried counts: with this index, the first run of a static
 *  hello world (all ~700 blocks lifted) took ~9 ms less CPU time. */
const TOP_BITS = 0xffe00000;
const BY_TOP: (InsnDef[] | undefined)[] = new Array(1 << 11);

function rowsFor(top: number): InsnDef[] {
  const w = (top << 21) >>> 0;
  return BY_GROUP[(w >>> 25) & 15].filter((r) => (((w ^ r.match) & r.mask & TOP_BITS) >>> 0) === 0);
}

export function findRow(w: number): InsnDef | null {
  const top = w >>> 21;
  const rows = (BY_TOP[top] ??= rowsFor(top));
  // (an index, not for-of: uncompiled, for-of allocates an iterator and a result per row)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (((w & r.mask) >>> 0) === r.match && !(r.reserved && r.reserved(w))) return r;
  }
  return null;
}

export function decode(w: number, d: Decoded): void {
  d.raw = w >>> 0;
  d.def = findRow(d.raw);
}

/** Fetch and decode the instruction at pc. Fetch faults (GuestSignal) propagate. */
export function fetchDecode(fetch: CodeFetch, pc: number, d: Decoded): void {
  d.pc = pc;
  decode(fetch.u32(pc), d);
}

export { Decoded };
