// brk, mmap, munmap, mprotect, mremap, madvise: placement, contents, permissions and errors.
import { beforeEach, describe, expect, test } from 'vitest';
import { Layout, Perm } from '../src/mem/address-space.js';
import { memVfs } from '../syscalls/index.js';
import { BRK_START, errno, harness, type Harness } from './syscalls-harness.js';

const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;
const PAGE = 4096;

let h: Harness;
const file = new Uint8Array(3 * PAGE + 100).map((_, i) => (i * 7 + (i >> 12)) & 0xff);
beforeEach(() => {
  h = harness({ vfs: memVfs({ '/lib/data.bin': file }) });
});

const mmap = (addr: number, len: number, prot: number, flags: number, fd = -1, off = 0): number =>
  h.call('mmap', addr, len, prot, flags, fd, off);

describe('brk', () => {
  test('grows and shrinks the heap right after the initial break', () => {
    expect(h.call('brk', 0)).toBe(BRK_START);
    expect(h.call('brk', BRK_START + 10000)).toBe(BRK_START + 10000);
    expect(h.mem.ok(BRK_START, 3 * PAGE, Perm.R | Perm.W)).toBe(true);
    expect(h.mem.isMapped(BRK_START + 3 * PAGE, 1)).toBe(false);
    expect(h.mem.list().find((r) => r.start === BRK_START)?.name).toBe('[heap]');
    h.mem.bytes[BRK_START + 5] = 42;
    expect(h.call('brk', BRK_START + 100)).toBe(BRK_START + 100);
    expect(h.mem.isMapped(BRK_START + PAGE, 1)).toBe(false);
    expect(h.mem.bytes[BRK_START + 5]).toBe(42); // the first page stays
    expect(h.call('brk', BRK_START - PAGE)).toBe(BRK_START + 100); // below the start: refused
  });

  test('never grows over another mapping', () => {
    expect(mmap(BRK_START + 2 * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED)).toBe(BRK_START + 2 * PAGE);
    expect(h.call('brk', BRK_START + 4 * PAGE)).toBe(BRK_START); // failure: the old break
    expect(h.call('brk', BRK_START + 2 * PAGE)).toBe(BRK_START + 2 * PAGE);
  });
});

describe('mmap', () => {
  test('anonymous mappings: top-down placement below 4 GiB, zeroed, permissions', () => {
    const a = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, ANON);
    const b = mmap(0, 100, PROT_READ, ANON);
    expect(a % PAGE).toBe(0);
    expect(a + 3 * PAGE).toBeLessThanOrEqual(Layout.MMAP_TOP);
    expect(b + PAGE).toBeLessThanOrEqual(a); // next one below, no overlap
    expect(h.mem.ok(a, 3 * PAGE, Perm.R | Perm.W)).toBe(true);
    expect(h.mem.ok(b, PAGE, Perm.R)).toBe(true);
    expect(h.mem.ok(b, 1, Perm.W)).toBe(false);
    expect(h.read(a, 3 * PAGE).every((x) => x === 0)).toBe(true);
  });

  test('hints, MAP_FIXED, MAP_FIXED_NOREPLACE', () => {
    const hint = 0x2000_0000;
    expect(mmap(hint, PAGE, PROT_READ | PROT_WRITE, ANON)).toBe(hint); // free: taken
    h.mem.bytes[hint] = 9;
    const other = mmap(hint, PAGE, PROT_READ, ANON);
    expect(other).not.toBe(hint); // taken: placed elsewhere
    expect(h.mem.bytes[hint]).toBe(9);
    expect(mmap(hint, PAGE, PROT_READ, ANON | MAP_FIXED_NOREPLACE)).toBe(errno('EEXIST'));
    expect(mmap(hint, PAGE, PROT_READ, ANON | MAP_FIXED)).toBe(hint); // replaces
    expect(h.mem.bytes[hint]).toBe(0);
    expect(h.mem.ok(hint, 1, Perm.W)).toBe(false);
    expect(mmap(hint + 1, PAGE, PROT_READ, ANON | MAP_FIXED)).toBe(errno('EINVAL'));
    expect(mmap(0x1000, PAGE, PROT_READ, ANON | MAP_FIXED)).toBe(errno('EPERM'));
    expect(mmap(Layout.RUNTIME_BASE, PAGE, PROT_READ, ANON | MAP_FIXED)).toBe(errno('ENOMEM'));
  });

  test('argument errors', () => {
    expect(mmap(0, 0, PROT_READ, ANON)).toBe(errno('EINVAL'));
    expect(mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS)).toBe(errno('EINVAL')); // neither private nor shared
    expect(mmap(0, PAGE, PROT_READ, ANON, -1, 100)).toBe(errno('EINVAL'));
    expect(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 77)).toBe(errno('EBADF'));
    expect(mmap(0, 2 ** 33, PROT_READ, ANON)).toBe(errno('ENOMEM'));
  });

  test('private file mappings copy the file from the offset; past EOF reads zero', () => {
    const fd = h.call('openat', -100, h.str('/lib/data.bin'), 0, 0);
    const at = mmap(0, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    expect(at).toBeGreaterThan(0);
    expect(h.read(at, 2 * PAGE + 100)).toEqual(file.subarray(PAGE));
    expect(h.read(at + 2 * PAGE + 100, PAGE - 100).every((x) => x === 0)).toBe(true);
    expect(h.mem.ok(at, 1, Perm.W)).toBe(false);
    const r = h.mem.list().find((x) => x.start === at);
    expect(r?.name).toBe('/lib/data.bin');
    expect(r?.offset).toBe(PAGE);
    // The mapping is a copy: writes to a writable private mapping do not reach the file.
    const w = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    h.mem.bytes[w] = 0xaa;
    const b = h.alloc(1);
    expect(h.call('pread64', fd, b, 1, 0)).toBe(1);
    expect(h.mem.bytes[b]).toBe(file[0]);
    const wr = h.call('openat', -100, h.str('/lib/data.bin'), 1 /* O_WRONLY */, 0);
    expect(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, wr)).toBe(errno('EACCES'));
    expect(mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd)).toBe(errno('EACCES'));
    expect(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 0)).toBe(errno('ENODEV')); // stdin: not mappable
  });
});

describe('munmap, mprotect', () => {
  test('munmap removes pages; alignment and length are checked', () => {
    const a = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, ANON);
    expect(h.call('munmap', a + PAGE, PAGE)).toBe(0);
    expect(h.mem.isMapped(a, PAGE)).toBe(true);
    expect(h.mem.isMapped(a + PAGE, 1)).toBe(false);
    expect(h.mem.isMapped(a + 2 * PAGE, 2 * PAGE)).toBe(true);
    expect(h.call('munmap', a + 1, PAGE)).toBe(errno('EINVAL'));
    expect(h.call('munmap', a, 0)).toBe(errno('EINVAL'));
    expect(h.call('munmap', a, 100)).toBe(0); // rounds up to the page
    expect(h.mem.isMapped(a, 1)).toBe(false);
  });

  test('mprotect changes permissions; holes are ENOMEM', () => {
    const a = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, ANON);
    expect(h.call('mprotect', a, PAGE, PROT_READ)).toBe(0);
    expect(h.mem.ok(a, 1, Perm.W)).toBe(false);
    expect(h.mem.ok(a + PAGE, 1, Perm.W)).toBe(true);
    expect(h.call('mprotect', a, 2 * PAGE, PROT_NONE)).toBe(0);
    expect(h.mem.ok(a, 1, Perm.R)).toBe(false);
    expect(h.call('mprotect', a + 1, PAGE, PROT_READ)).toBe(errno('EINVAL'));
    expect(h.call('mprotect', a, 3 * PAGE, PROT_READ)).toBe(errno('ENOMEM'));
    expect(h.call('mprotect', a, PAGE, 0x40)).toBe(errno('EINVAL'));
  });
});

describe('mremap', () => {
  test('grows in place when the pages after are free, else moves with MREMAP_MAYMOVE', () => {
    const a = mmap(0x3000_0000, PAGE, PROT_READ | PROT_WRITE, ANON);
    h.mem.bytes[a + 10] = 77;
    expect(h.call('mremap', a, PAGE, 2 * PAGE, 0, 0)).toBe(a);
    expect(h.mem.ok(a, 2 * PAGE, Perm.R | Perm.W)).toBe(true);
    mmap(a + 2 * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED); // block growth
    expect(h.call('mremap', a, 2 * PAGE, 4 * PAGE, 0, 0)).toBe(errno('ENOMEM'));
    const moved = h.call('mremap', a, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
    expect(moved).not.toBe(a);
    expect(moved % PAGE).toBe(0);
    expect(h.mem.bytes[moved + 10]).toBe(77);
    expect(h.mem.ok(moved, 4 * PAGE, Perm.R | Perm.W)).toBe(true);
    expect(h.mem.isMapped(a, 1)).toBe(false);
    expect(h.call('mremap', moved, 4 * PAGE, PAGE, 0, 0)).toBe(moved); // shrink
    expect(h.mem.isMapped(moved + PAGE, 1)).toBe(false);
  });

  test('MREMAP_FIXED moves to the given address; errors', () => {
    const a = mmap(0, PAGE, PROT_READ | PROT_WRITE, ANON);
    h.mem.bytes[a] = 5;
    const to = 0x3100_0000;
    expect(h.call('mremap', a, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to)).toBe(to);
    expect(h.mem.bytes[to]).toBe(5);
    expect(h.call('mremap', to, PAGE, PAGE, MREMAP_FIXED, a)).toBe(errno('EINVAL')); // FIXED needs MAYMOVE
    expect(h.call('mremap', to + 1, PAGE, PAGE, 0, 0)).toBe(errno('EINVAL'));
    expect(h.call('mremap', to, PAGE, 0, 0, 0)).toBe(errno('EINVAL'));
    expect(h.call('mremap', to, PAGE, PAGE, 0x80, 0)).toBe(errno('EINVAL'));
    expect(h.call('mremap', a, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0)).toBe(errno('EFAULT')); // not mapped any more
  });
});

describe('madvise', () => {
  test('MADV_DONTNEED zeroes private anonymous pages; others keep contents', () => {
    const a = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, ANON);
    h.mem.bytes.fill(3, a, a + 2 * PAGE);
    expect(h.call('madvise', a, PAGE, 3 /* WILLNEED */)).toBe(0);
    expect(h.mem.bytes[a]).toBe(3);
    expect(h.call('madvise', a, PAGE, MADV_DONTNEED)).toBe(0);
    expect(h.mem.bytes[a]).toBe(0);
    expect(h.mem.bytes[a + PAGE]).toBe(3);
    expect(h.call('madvise', a, PAGE, 999)).toBe(errno('EINVAL'));
    expect(h.call('madvise', a + 1, PAGE, MADV_DONTNEED)).toBe(errno('EINVAL'));
    expect(h.call('madvise', a, 3 * PAGE, MADV_DONTNEED)).toBe(errno('ENOMEM'));
  });
});
