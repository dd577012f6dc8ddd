// Extended attributes (files without any, on a filesystem that has them), statfs, the host
// directory order getdents64 reports, and SIGPIPE for a host EPIPE — found by running Debian's own
// programs (Python's shutil.copytree; stat -f and df; busybox tar and find; `seq 1000000 | head -1`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hostVfs } from '../syscalls/index.js';
import { backends, errno, harness, type Harness } from './syscalls-harness.js';

const AT_FDCWD = -100;
const O_RDONLY = 0, O_WRONLY = 1, O_DIRECTORY = 0o200000;

describe.each(backends())('xattr syscalls on $name', ({ make }) => {
  let h: Harness;
  let root: string;
  let cleanup: () => void;
  const P = (p: string): number => h.str(root + p);
  beforeEach(() => {
    const b = make();
    root = b.root;
    cleanup = b.cleanup;
    h = harness({ vfs: b.vfs });
  });
  afterEach(() => cleanup());

  test('list is empty, get and remove say ENODATA, set says EOPNOTSUPP', () => {
    const buf = h.alloc(256);
    const name = h.str('user.test');
    for (const call of ['listxattr', 'llistxattr']) expect(h.call(call, P('/data/hello.txt'), buf, 256)).toBe(0);
    for (const call of ['getxattr', 'lgetxattr']) expect(h.call(call, P('/data/hello.txt'), name, buf, 256)).toBe(errno('ENODATA'));
    expect(h.call('setxattr', P('/data/hello.txt'), name, buf, 4, 0)).toBe(errno('EOPNOTSUPP'));
    expect(h.call('removexattr', P('/data/sub'), name)).toBe(errno('ENODATA'));
    const fd = h.call('openat', AT_FDCWD, P('/data/hello.txt'), O_RDONLY, 0);
    expect(fd).toBeGreaterThan(2);
    expect(h.call('flistxattr', fd, buf, 256)).toBe(0);
    expect(h.call('fgetxattr', fd, name, buf, 256)).toBe(errno('ENODATA'));
    expect(h.call('fsetxattr', fd, name, buf, 4, 0)).toBe(errno('EOPNOTSUPP'));
    expect(h.call('fremovexattr', fd, name)).toBe(errno('ENODATA'));
  });

  test('the file must exist, the fd must be open, the name well formed and the flags known', () => {
    const buf = h.alloc(256);
    const name = h.str('user.test');
    expect(h.call('listxattr', P('/data/nope'), buf, 256)).toBe(errno('ENOENT'));
    expect(h.call('getxattr', P('/data/nope'), name, buf, 256)).toBe(errno('ENOENT'));
    expect(h.call('flistxattr', 99, buf, 256)).toBe(errno('EBADF'));
    expect(h.call('fgetxattr', 99, name, buf, 256)).toBe(errno('EBADF'));
    expect(h.call('getxattr', P('/data/hello.txt'), h.str(''), buf, 256)).toBe(errno('ERANGE'));
    expect(h.call('getxattr', P('/data/hello.txt'), h.str('user.' + 'x'.repeat(300)), buf, 256)).toBe(errno('ERANGE'));
    expect(h.call('setxattr', P('/data/hello.txt'), name, buf, 4, 4)).toBe(errno('EINVAL'));
  });
});

describe.each(backends())('statfs and fstatfs on $name', ({ make }) => {
  let h: Harness;
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    const b = make();
    root = b.root;
    cleanup = b.cleanup;
    h = harness({ vfs: b.vfs });
  });
  afterEach(() => cleanup());

  test('fill the 120-byte asm-generic struct statfs; errors as stat has them', () => {
    const buf = h.alloc(128);
    h.mem.bytes.fill(0xee, buf, buf + 128);
    expect(h.call('statfs', h.str(root + '/data'), buf)).toBe(0);
    const bsize = h.u64(buf + 8);
    expect(bsize > 0n && (bsize & (bsize - 1n)) === 0n).toBe(true); // a power of two
    expect(h.u64(buf + 16) >= h.u64(buf + 24)).toBe(true); // blocks >= bfree
    expect(h.u64(buf + 24) >= h.u64(buf + 32)).toBe(true); // bfree >= bavail
    expect(h.u64(buf + 64)).toBe(255n); // f_namelen
    expect(h.u64(buf + 72)).toBe(bsize); // f_frsize
    expect(h.u64(buf + 80) & 0x20n).toBe(0x20n); // ST_VALID
    expect([...h.read(buf + 88, 32)].every((b) => b === 0)).toBe(true); // f_spare
    expect(h.u32(buf + 120)).toBe(0xeeeeeeee); // nothing past the struct
    expect(h.u64(buf)).not.toBe(0n); // f_type: some filesystem's magic

    const fd = h.call('openat', AT_FDCWD, h.str(root + '/data/hello.txt'), O_RDONLY, 0);
    const buf2 = h.alloc(128);
    expect(h.call('fstatfs', fd, buf2)).toBe(0);
    expect(h.read(buf2, 16)).toEqual(h.read(buf, 16)); // same filesystem: same type and block size
    const fds = h.alloc(8);
    expect(h.call('pipe2', fds, 0)).toBe(0);
    expect(h.call('fstatfs', h.u32(fds), buf2)).toBe(0);
    expect(h.u64(buf2)).toBe(0x50495045n); // PIPEFS_MAGIC

    expect(h.call('statfs', h.str(root + '/data/nope'), buf)).toBe(errno('ENOENT'));
    expect(h.call('statfs', h.str(root + '/data/hello.txt/x'), buf)).toBe(errno('ENOTDIR'));
    expect(h.call('fstatfs', 99, buf)).toBe(errno('EBADF'));
    expect(h.call('statfs', h.str(root + '/data'), 0x10)).toBe(errno('EFAULT'));
  });
});

describe('getdents64 on the host', () => {
  test("lists a directory in the host filesystem's own order, not sorted by name", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrun-order-'));
    try {
      const names = ['m', 'Zeta', 'b.log', 'a.txt', 'q1', '.hidden', 'sub', 'k9', 'A', 'x'];
      for (const n of names) fs.writeFileSync(path.join(tmp, n), n);
      const dir = fs.opendirSync(tmp);
      const hostOrder: string[] = [];
      for (let d = dir.readSync(); d !== null; d = dir.readSync()) hostOrder.push(d.name);
      dir.closeSync();

      const h = harness({ vfs: hostVfs() });
      const fd = h.call('openat', AT_FDCWD, h.str(tmp), O_RDONLY | O_DIRECTORY, 0);
      const buf = h.alloc(4096);
      const n = h.call('getdents64', fd, buf, 4096);
      const seen: string[] = [];
      for (let o = 0; o < n; ) {
        const reclen = h.mem.view.getUint16(buf + o + 16, true);
        const raw = h.read(buf + o + 19, reclen - 19);
        seen.push(Buffer.from(raw.subarray(0, raw.indexOf(0))).toString());
        o += reclen;
      }
      expect(seen.slice(0, 2)).toEqual(['.', '..']);
      expect(seen.slice(2)).toEqual(hostOrder);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('a host EPIPE', () => {
  const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
  test.skipIf(!hasMkfifo)('raises SIGPIPE on the writer, as a guest pipe does', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrun-epipe-'));
    try {
      const fifo = path.join(tmp, 'f');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const h = harness({ vfs: hostVfs() });
      // the reader is crossrun's side (the end of a shell pipe): opened, then gone
      const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const w = h.call('openat', AT_FDCWD, h.str(fifo), O_WRONLY, 0);
      expect(w).toBeGreaterThan(2);
      fs.closeSync(reader);
      const t = h.linux.process.current;
      expect(t.pending.bits).toBe(0n);
      expect(h.call('write', w, h.str('x'), 1)).toBe(errno('EPIPE'));
      expect(t.pending.has(1n << 12n)).toBe(true); // SIGPIPE (13) pending on the caller
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
