// Extended attributes (files without any, on a filesystem that has them) and the host directory
// order getdents64 reports — both found by running Debian's own programs (Python's
// shutil.copytree, busybox tar and find).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hostVfs } from '../syscalls/index.js';
import { backends, errno, harness, type Harness } from './syscalls-harness.js';

const AT_FDCWD = -100;
const O_RDONLY = 0, O_DIRECTORY = 0o200000;

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
