// AddressSpace clears unmapped memory when it is mapped again (or the space is reset), and skips
// the zero check of chunks that never held data (a PROT_NONE reservation); these cases check that
// memory a guest maps again still reads as zero.
import { describe, expect, it } from 'vitest';
import { AddressSpace, PAGE_SIZE, Perm } from '../src/mem/address-space.js';

const RW = Perm.R | Perm.W;
const A = 0x100000;
const B = 0x800000;
const LEN = 0x30000; // spans chunk edges of 64 KiB, with A and B on page, not chunk, offsets
const nonZero = (m: AddressSpace, at: number, len: number): number => m.bytes.subarray(at, at + len).findIndex((b) => b !== 0);

describe('AddressSpace: unmapped memory reads zero when mapped again', () => {
  const mem = new AddressSpace();

  it('after a read-write mapping was written', () => {
    mem.map(A + PAGE_SIZE, LEN, RW);
    mem.bytes.fill(7, A + PAGE_SIZE, A + PAGE_SIZE + LEN);
    mem.unmap(A + PAGE_SIZE, LEN);
    mem.map(A + PAGE_SIZE, LEN, RW);
    expect(nonZero(mem, A + PAGE_SIZE, LEN)).toBe(-1);
    mem.unmap(A + PAGE_SIZE, LEN);
  });

  it('after data hidden by PROT_NONE moved to a fresh PROT_NONE mapping (mremap)', () => {
    mem.map(A, LEN, RW);
    mem.bytes.fill(9, A, A + LEN);
    expect(mem.protect(A, LEN, 0)).toBe(true);
    // what mremap (syscalls/handlers/mm.ts) does: map the destination with the old protection,
    // copy, mark the copy, unmap the source
    mem.map(B + PAGE_SIZE, LEN, 0);
    mem.bytes.copyWithin(B + PAGE_SIZE, A, A + LEN);
    mem.markDirty(B + PAGE_SIZE, B + PAGE_SIZE + LEN);
    mem.unmap(A, LEN);
    mem.unmap(B + PAGE_SIZE, LEN);
    mem.map(B + PAGE_SIZE, LEN, RW);
    expect(nonZero(mem, B + PAGE_SIZE, LEN)).toBe(-1);
    mem.unmap(B + PAGE_SIZE, LEN);
  });

  it('after a privileged write marked with markDirty (loader, debugger)', () => {
    mem.map(A, LEN, 0);
    mem.bytes.fill(3, A + 5, A + 100);
    mem.markDirty(A + 5, A + 100);
    mem.unmap(A, LEN);
    mem.map(A, LEN, RW);
    expect(nonZero(mem, A, LEN)).toBe(-1);
    mem.unmap(A, LEN);
  });

  it('in a fork child, for data the parent wrote', () => {
    mem.map(A, LEN, RW);
    mem.bytes.fill(5, A, A + LEN);
    const child = mem.forkCopy();
    expect(child.bytes[A]).toBe(5);
    child.unmap(A, LEN);
    child.map(A, LEN, RW);
    expect(nonZero(child, A, LEN)).toBe(-1);
    mem.unmap(A, LEN);
  });

  it('when mapped again over part of what was unmapped, and the rest later', () => {
    mem.map(A, LEN, RW);
    mem.bytes.fill(4, A, A + LEN);
    mem.unmap(A, LEN);
    mem.map(A + PAGE_SIZE, PAGE_SIZE, RW);
    expect(nonZero(mem, A + PAGE_SIZE, PAGE_SIZE)).toBe(-1);
    mem.map(A + 2 * PAGE_SIZE, LEN - 2 * PAGE_SIZE, RW);
    expect(nonZero(mem, A + 2 * PAGE_SIZE, LEN - 2 * PAGE_SIZE)).toBe(-1);
    mem.unmap(A, LEN);
  });

  it('in a fork child made in a reused space whose last process left unmapped data', () => {
    const old = new AddressSpace();
    old.map(B, LEN, RW);
    old.bytes.fill(6, B, B + LEN);
    old.unmap(B, LEN); // the bytes stay until mapped again or reset
    old.reset();
    const parent = new AddressSpace(); // (B never held data in it)
    parent.map(A, PAGE_SIZE, RW);
    const child = parent.forkCopy(old);
    child.map(B, LEN, RW);
    expect(nonZero(child, B, LEN)).toBe(-1);
  });

  it('after a discard (MADV_DONTNEED) of whole chunks that the guest then wrote again', () => {
    const C = 0x10000; // a chunk
    mem.map(B, 2 * C, RW);
    mem.bytes.fill(8, B, B + 2 * C);
    mem.discard(B, B + 2 * C);
    expect(nonZero(mem, B, 2 * C)).toBe(-1);
    mem.bytes.fill(2, B + 5, B + 50); // a guest store: no mark of its own
    mem.unmap(B, 2 * C);
    mem.map(B, 2 * C, RW);
    expect(nonZero(mem, B, 2 * C)).toBe(-1);
    mem.unmap(B, 2 * C);
  });

  it('after reset, for a space reused by another process', () => {
    mem.map(B, LEN, RW);
    mem.bytes.fill(1, B, B + LEN);
    mem.reset();
    mem.map(B, LEN, RW);
    expect(nonZero(mem, B, LEN)).toBe(-1);
  });
});
