// The AArch64 decoder's index (decode.ts: rows by bits 31:21) picks the row a plain scan of the
// table in order would: the first whose pattern matches and whose `reserved` predicate does not.
import { describe, expect, it } from 'vitest';
import { findRow } from '../src/arch/aarch64/decode.js';
import { TABLE } from '../src/arch/aarch64/table.js';

function scan(w: number) {
  for (const r of TABLE) if (((w & r.mask) >>> 0) === r.match && !(r.reserved && r.reserved(w))) return r;
  return null;
}

/** A small deterministic generator (xorshift32), so that a failure names a word that reproduces. */
function words(seed: number, n: number): number[] {
  const out: number[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(x >>> 0);
  }
  return out;
}

describe('aarch64 decode index', () => {
  it('agrees with a scan of the table for random words and every bits 31:21', () => {
    const ws = words(0x9e3779b9, 100_000);
    // Each top-bits value with random low bits, and each row's own pattern with random don't-cares.
    for (let top = 0; top < 2048; top++) for (const low of words(top + 1, 8)) ws.push(((top << 21) | (low & 0x1fffff)) >>> 0);
    for (const r of TABLE) for (const x of words(r.match | 1, 16)) ws.push(((r.match | (x & ~r.mask)) >>> 0));
    const bad = ws.filter((w) => findRow(w) !== scan(w)).map((w) => w.toString(16));
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
