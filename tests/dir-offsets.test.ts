// Directory position cookies (getdents64 d_off, lseek/telldir) stay small — the index of the next
// entry — so a 32-bit ABI's getdents/telldir never needs more than 31 bits (qemu-user passes the
// host's 64-bit hash cookies through and fails those with EOVERFLOW).
import * as fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { backends, harness, type Harness } from './syscalls-harness.js';

const O_RDONLY = 0, O_DIRECTORY = 0o200000, AT_FDCWD = -100, SEEK_SET = 0, SEEK_CUR = 1;

function dents(h: Harness, fd: number, size = 4096): Array<{ name: string; off: bigint }> {
  const buf = h.alloc(size);
  const n = h.call('getdents64', fd, buf, size);
  expect(n).toBeGreaterThanOrEqual(0);
  const out: Array<{ name: string; off: bigint }> = [];
  for (let at = buf; at < buf + n;) {
    const reclen = h.mem.view.getUint16(at + 16, true);
    out.push({ off: h.i64(at + 8), name: h.text(at + 19, reclen - 19).replace(/\0.*$/s, '') });
    at += reclen;
  }
  return out;
}

describe.each(backends())('$name: directory offsets', ({ make }) => {
  test('d_off is the next entry\'s index; seeking to one resumes there', () => {
    const { vfs, root, cleanup } = make();
    try {
      const h = harness({ vfs });
      for (let i = 0; i < 40; i++) {
        const path = `${root}/data/sub/f${i}`;
        if (root) fs.writeFileSync(path, '');
        else vfs.open(path, { read: false, write: true, create: true, mode: 0o644 }).close();
      }
      const fd = h.call('openat', AT_FDCWD, h.str(`${root}/data/sub`), O_RDONLY | O_DIRECTORY, 0);
      const all = dents(h, fd);
      expect(all.length).toBe(43); // ".", "..", "a", f0…f39
      all.forEach((e, i) => expect(e.off).toBe(BigInt(i + 1)));
      expect(all.every((e) => e.off < 2n ** 31n)).toBe(true);
      expect(h.call('lseek', fd, 0, SEEK_CUR)).toBe(43);
      expect(h.call('lseek', fd, 10, SEEK_SET)).toBe(10);
      const rest = dents(h, fd);
      expect(rest.map((e) => e.name)).toEqual(all.slice(10).map((e) => e.name));
      // a small buffer: the cookie after a partial read is where the next read starts
      h.call('lseek', fd, 0, SEEK_SET);
      const first = dents(h, fd, 64);
      expect(h.call('lseek', fd, 0, SEEK_CUR)).toBe(first.length);
      expect(first.at(-1)?.off).toBe(BigInt(first.length));
    } finally {
      cleanup();
    }
  });
});
