// The page table after map, unmap and protect, over random sequences: each page's bits and its
// pair bits (R2/W2: this page and the next are both readable/writable, which lets an access that
// crosses into the next page pass one check) against a model and their definition, and anyMapped.
// setPerms fills most of a range at once and fixes up its edges; anyMapped reads the regions.
import { describe, expect, it } from 'vitest';
import { AddressSpace, PAGE_SHIFT, Perm } from '../src/mem/address-space.js';
import { Rng } from './rng.js';

const BASE = 0x100000 >>> PAGE_SHIFT; // the window of pages the sequences touch
const PAGES = 64;

/** The first page whose own bits differ from `model` (page → prot | MAPPED, 0: unmapped) or whose
 *  pair bits differ from their definition, or null. */
function wrongPage(mem: AddressSpace, model: Uint8Array): string | null {
  const pt = mem.pageTable;
  for (let p = BASE - 2; p < BASE + PAGES + 2; p++) {
    if ((pt[p] & 15) !== model[p - BASE + 2]) return `page ${p - BASE}: ${pt[p].toString(2)}, not ${model[p - BASE + 2].toString(2)}`;
    const both = pt[p] & pt[p + 1];
    for (const [own, pair] of [[Perm.R, Perm.R2], [Perm.W, Perm.W2]] as const) {
      if (((pt[p] & pair) !== 0) !== ((both & own) !== 0)) return `page ${p - BASE}: ${pt[p].toString(2)} next ${pt[p + 1].toString(2)}`;
    }
  }
  return null;
}

describe('AddressSpace pair bits', () => {
  it('match their definition after random maps, unmaps and protects', () => {
    const rng = new Rng(7);
    const mem = new AddressSpace();
    const model = new Uint8Array(PAGES + 4); // pages BASE - 2 … BASE + PAGES + 1
    const set = (first: number, len: number, v: number) => model.fill(v, first - BASE + 2, first - BASE + 2 + len);
    for (let step = 0; step < 2000; step++) {
      const first = BASE + rng.below(PAGES);
      const len = 1 + rng.below(Math.min(8, BASE + PAGES - first));
      const addr = first << PAGE_SHIFT;
      const size = len << PAGE_SHIFT;
      const prot = rng.below(8) & (Perm.R | Perm.W | Perm.X);
      const op = rng.below(3);
      if (op === 0) {
        mem.map(addr, size, prot);
        set(first, len, prot | Perm.MAPPED);
      } else if (op === 1) {
        mem.unmap(addr, size);
        set(first, len, 0);
      } else if (mem.isMapped(addr, size)) {
        mem.protect(addr, size, prot);
        set(first, len, prot | Perm.MAPPED);
      }
      expect(wrongPage(mem, model), `step ${step}`).toBeNull();
      const [a, n] = [BASE + rng.below(PAGES), 1 + rng.below(8)];
      const mapped = model.subarray(a - BASE + 2, a - BASE + 2 + n).some((v) => v !== 0);
      expect(mem.anyMapped(a << PAGE_SHIFT, n << PAGE_SHIFT), `step ${step}: anyMapped`).toBe(mapped);
    }
  });
});
