// Decoding driven by the tables: a word is looked up by its top-level group (bits 28:25, the A64
// op0 field), then the group's rows are tried in order. A row whose pattern matches but whose
// `reserved` predicate holds is skipped, so a later row (or nothing: unallocated) can take it.
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

export function findRow(w: number): InsnDef | null {
  for (const r of BY_GROUP[(w >>> 25) & 15]) {
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
