// File and directory syscalls, run against both VFS backends (memfs and the host in a temp dir).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { backends, errno, harness, type Harness } from './syscalls-harness.js';

const AT_FDCWD = -100;
const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200, O_TRUNC = 0o1000, O_APPEND = 0o2000;
const O_DIRECTORY = 0o200000, O_NOFOLLOW = 0o400000, O_CLOEXEC = 0o2000000, O_PATH = 0o10000000;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
const S_IFMT = 0o170000, S_IFREG = 0o100000, S_IFDIR = 0o040000, S_IFLNK = 0o120000;
const UTIME_OMIT = (1 << 30) - 2;

interface Dirent { ino: bigint; off: bigint; reclen: number; type: number; name: string }
function parseDirents(h: Harness, at: number, len: number): Dirent[] {
  const out: Dirent[] = [];
  for (let o = 0; o < len; ) {
    const reclen = h.mem.view.getUint16(at + o + 16, true);
    const raw = h.read(at + o + 19, reclen - 19);
    out.push({
      ino: h.u64(at + o), off: h.i64(at + o + 8), reclen, type: raw.length ? h.mem.bytes[at + o + 18] : 0,
      name: Buffer.from(raw.subarray(0, raw.indexOf(0))).toString(),
    });
    o += reclen;
  }
  return out;
}

describe.each(backends())('file syscalls on $name', ({ make }) => {
  let h: Harness;
  let root: string;
  let cleanup: () => void;
  const P = (p: string): number => h.str(root + p);
  const open = (p: string, flags: number, mode = 0): number => h.call('openat', AT_FDCWD, P(p), flags, mode);
  const statOf = (p: string, flags = 0): { mode: number; size: bigint; nlink: number; ino: bigint; mtime: bigint; atime: bigint } => {
    const buf = h.alloc(128);
    expect(h.call('newfstatat', AT_FDCWD, P(p), buf, flags)).toBe(0);
    return { mode: h.u32(buf + 16), nlink: h.u32(buf + 20), size: h.i64(buf + 48), ino: h.u64(buf + 8), atime: h.i64(buf + 72), mtime: h.i64(buf + 88) };
  };
  const writeStr = (fd: number, s: string): number => {
    const b = new TextEncoder().encode(s);
    return h.call('write', fd, h.bytes(b), b.length);
  };
  const readStr = (fd: number, n: number): string => {
    const b = h.alloc(n);
    const got = h.call('read', fd, b, n);
    expect(got).toBeGreaterThanOrEqual(0);
    return h.text(b, got);
  };

  beforeEach(() => {
    const b = make();
    root = b.root;
    cleanup = b.cleanup;
    h = harness({ vfs: b.vfs });
  });
  afterEach(() => cleanup());

  test('open, read, write, lseek, pread/pwrite, O_APPEND, close', () => {
    const fd = open('/data/hello.txt', O_RDONLY);
    expect(fd).toBe(3);
    expect(readStr(fd, 5)).toBe('hello');
    expect(h.call('lseek', fd, 0, SEEK_CUR)).toBe(5);
    expect(readStr(fd, 100)).toBe(' world\n');
    expect(readStr(fd, 100)).toBe(''); // EOF
    const b = h.alloc(5);
    expect(h.call('pread64', fd, b, 5, 6)).toBe(5);
    expect(h.text(b, 5)).toBe('world');
    expect(h.call('lseek', fd, -3, SEEK_END)).toBe(9);
    expect(h.call('lseek', fd, -100, SEEK_SET)).toBe(errno('EINVAL'));
    expect(writeStr(fd, 'x')).toBe(errno('EBADF')); // opened read-only
    expect(h.call('close', fd)).toBe(0);
    expect(h.call('close', fd)).toBe(errno('EBADF'));

    const w = open('/data/new.txt', O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    expect(writeStr(w, 'abcdef')).toBe(6);
    expect(h.call('read', w, h.alloc(1), 1)).toBe(errno('EBADF'));
    expect(h.call('pwrite64', w, h.str('XY'), 2, 1)).toBe(2);
    expect(h.call('lseek', w, 0, SEEK_CUR)).toBe(6); // pwrite does not move the offset
    h.call('close', w);
    const a = open('/data/new.txt', O_WRONLY | O_APPEND);
    h.call('lseek', a, 0, SEEK_SET);
    expect(writeStr(a, '!')).toBe(1); // appends despite the offset
    h.call('close', a);
    const r = open('/data/new.txt', O_RDONLY);
    expect(readStr(r, 100)).toBe('aXYdef!');
    const st = statOf('/data/new.txt');
    expect(st.size).toBe(7n);
    expect(st.mode).toBe(S_IFREG | 0o644); // 0666 & ~umask 022
  });

  test('readv / writev gather and scatter', () => {
    const w = open('/data/v.txt', O_RDWR | O_CREAT, 0o600);
    const iov = h.alloc(48);
    const parts = ['ab', '', 'cde'].map((s) => h.str(s));
    [[parts[0], 2], [parts[1], 0], [parts[2], 3]].forEach(([base, len], i) => {
      h.mem.view.setBigUint64(iov + 16 * i, BigInt(base), true);
      h.mem.view.setBigUint64(iov + 16 * i + 8, BigInt(len), true);
    });
    expect(h.call('writev', w, iov, 3)).toBe(5);
    h.call('lseek', w, 0, SEEK_SET);
    const b1 = h.alloc(4);
    const b2 = h.alloc(4);
    h.mem.view.setBigUint64(iov, BigInt(b1), true);
    h.mem.view.setBigUint64(iov + 8, 4n, true);
    h.mem.view.setBigUint64(iov + 16, BigInt(b2), true);
    h.mem.view.setBigUint64(iov + 24, 4n, true);
    expect(h.call('readv', w, iov, 2)).toBe(5);
    expect(h.text(b1, 4) + h.text(b2, 1)).toBe('abcde');
    expect(h.call('readv', w, iov, -1)).toBe(errno('EINVAL'));
    expect(h.call('writev', w, 0x5000, 1)).toBe(errno('EFAULT'));
  });

  test('stat, fstat, AT_EMPTY_PATH, lstat of a symlink, statx', () => {
    const st = statOf('/data/hello.txt');
    expect(st.mode & S_IFMT).toBe(S_IFREG);
    expect(st.size).toBe(12n);
    expect(st.nlink).toBe(1);
    expect(statOf('/data/sub').mode & S_IFMT).toBe(S_IFDIR);

    const fd = open('/data/hello.txt', O_RDONLY);
    const buf = h.alloc(128);
    expect(h.call('fstat', fd, buf)).toBe(0);
    expect(h.i64(buf + 48)).toBe(12n);
    expect(h.u64(buf + 8)).toBe(st.ino);
    const buf2 = h.alloc(128);
    expect(h.call('newfstatat', fd, h.str(''), buf2, AT_EMPTY_PATH)).toBe(0);
    expect(h.read(buf2, 128)).toEqual(h.read(buf, 128));
    expect(h.call('newfstatat', fd, h.str(''), buf2, 0)).toBe(errno('ENOENT'));
    expect(h.call('newfstatat', AT_FDCWD, P('/data/hello.txt'), buf2, 0x8000)).toBe(errno('EINVAL'));

    expect(h.call('symlinkat', h.str('hello.txt'), AT_FDCWD, P('/data/link'))).toBe(0);
    expect(statOf('/data/link').size).toBe(12n); // followed
    expect(statOf('/data/link', AT_SYMLINK_NOFOLLOW).mode & S_IFMT).toBe(S_IFLNK);

    const sx = h.alloc(256);
    expect(h.call('statx', AT_FDCWD, P('/data/hello.txt'), 0, 0x7ff, sx)).toBe(0);
    expect(h.u32(sx) & 0x7ff).toBe(0x7ff); // stx_mask: basic stats
    expect(h.mem.view.getUint16(sx + 28, true)).toBe(st.mode);
    expect(h.u64(sx + 32)).toBe(st.ino);
    expect(h.u64(sx + 40)).toBe(12n);
    expect(h.i64(sx + 112)).toBe(st.mtime); // stx_mtime.tv_sec
    expect(h.call('statx', AT_FDCWD, P('/data/nope'), 0, 0x7ff, sx)).toBe(errno('ENOENT'));
  });

  test('getdents64 lists ".", "..", files and dirs with types, then EOF; rewinds with lseek', () => {
    const fd = open('/data', O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    expect(fd).toBeGreaterThan(2);
    const buf = h.alloc(4096);
    const n = h.call('getdents64', fd, buf, 4096);
    expect(n).toBeGreaterThan(0);
    const ents = parseDirents(h, buf, n);
    expect(ents.map((e) => e.name).sort()).toEqual(['.', '..', 'hello.txt', 'sub']);
    for (const e of ents) expect(e.reclen % 8).toBe(0);
    expect(ents.find((e) => e.name === 'sub')?.type).toBe(4); // DT_DIR
    expect(ents.find((e) => e.name === 'hello.txt')?.type).toBe(8); // DT_REG
    expect(ents.find((e) => e.name === 'hello.txt')?.ino).toBe(statOf('/data/hello.txt').ino);
    expect(h.call('getdents64', fd, buf, 4096)).toBe(0);
    expect(h.call('lseek', fd, 0, SEEK_SET)).toBe(0);
    // A buffer that holds one record at a time walks the same list.
    const names: string[] = [];
    for (;;) {
      const k = h.call('getdents64', fd, buf, 32);
      expect(k).toBeGreaterThanOrEqual(0);
      if (k === 0) break;
      names.push(...parseDirents(h, buf, k).map((e) => e.name));
    }
    expect(names.sort()).toEqual(['.', '..', 'hello.txt', 'sub']);
    h.call('lseek', fd, 0, SEEK_SET);
    expect(h.call('getdents64', fd, buf, 8)).toBe(errno('EINVAL')); // too small for one entry
    const file = open('/data/hello.txt', O_RDONLY);
    expect(h.call('getdents64', file, buf, 4096)).toBe(errno('ENOTDIR'));
    expect(h.call('read', fd, buf, 10)).toBe(errno('EISDIR'));
  });

  test('mkdirat, unlinkat (with AT_REMOVEDIR) and their errors', () => {
    expect(h.call('mkdirat', AT_FDCWD, P('/data/d'), 0o777)).toBe(0);
    expect(statOf('/data/d').mode).toBe(S_IFDIR | 0o755);
    expect(h.call('mkdirat', AT_FDCWD, P('/data/d'), 0o777)).toBe(errno('EEXIST'));
    expect(h.call('mkdirat', AT_FDCWD, P('/data/nope/d'), 0o777)).toBe(errno('ENOENT'));
    expect(h.call('unlinkat', AT_FDCWD, P('/data/sub'), AT_REMOVEDIR)).toBe(errno('ENOTEMPTY'));
    expect(h.call('unlinkat', AT_FDCWD, P('/data/d'), 0)).toBe(errno('EISDIR'));
    expect(h.call('unlinkat', AT_FDCWD, P('/data/hello.txt'), AT_REMOVEDIR)).toBe(errno('ENOTDIR'));
    expect(h.call('unlinkat', AT_FDCWD, P('/data/d'), AT_REMOVEDIR)).toBe(0);
    expect(h.call('unlinkat', AT_FDCWD, P('/data/sub/a'), 0)).toBe(0);
    expect(h.call('unlinkat', AT_FDCWD, P('/data/sub/a'), 0)).toBe(errno('ENOENT'));
    expect(h.call('unlinkat', AT_FDCWD, P('/data/sub'), AT_REMOVEDIR)).toBe(0);
    expect(h.call('unlinkat', AT_FDCWD, P('/data/hello.txt'), 0x8)).toBe(errno('EINVAL'));
    expect(h.call('faccessat', AT_FDCWD, P('/data/sub'), 0)).toBe(errno('ENOENT'));
  });

  test('renameat2: plain, RENAME_NOREPLACE, RENAME_EXCHANGE', () => {
    const fd = open('/data/b.txt', O_WRONLY | O_CREAT, 0o644);
    writeStr(fd, 'BBB');
    h.call('close', fd);
    expect(h.call('renameat2', AT_FDCWD, P('/data/b.txt'), AT_FDCWD, P('/data/sub/b2.txt'), 0)).toBe(0);
    expect(h.call('faccessat', AT_FDCWD, P('/data/b.txt'), 0)).toBe(errno('ENOENT'));
    expect(statOf('/data/sub/b2.txt').size).toBe(3n);
    expect(h.call('renameat2', AT_FDCWD, P('/data/sub/b2.txt'), AT_FDCWD, P('/data/hello.txt'), 1)).toBe(errno('EEXIST'));
    expect(h.call('renameat2', AT_FDCWD, P('/data/sub/b2.txt'), AT_FDCWD, P('/data/hello.txt'), 2)).toBe(0);
    expect(statOf('/data/hello.txt').size).toBe(3n);
    expect(statOf('/data/sub/b2.txt').size).toBe(12n);
    expect(h.call('renameat2', AT_FDCWD, P('/data/x'), AT_FDCWD, P('/data/y'), 0)).toBe(errno('ENOENT'));
    expect(h.call('renameat2', AT_FDCWD, P('/data/hello.txt'), AT_FDCWD, P('/data/y'), 3)).toBe(errno('EINVAL'));
    // riscv64 has no renameat (38): it is -ENOSYS there
    expect(Number(h.linux.syscall(38, [BigInt.asUintN(64, -100n), BigInt(P('/data/hello.txt')), BigInt.asUintN(64, -100n), BigInt(P('/data/z')), 0n, 0n]))).toBe(2 ** 64 + errno('ENOSYS'));
  });

  test('symlinkat, readlinkat, linkat', () => {
    expect(h.call('symlinkat', h.str('sub/a'), AT_FDCWD, P('/data/ln'))).toBe(0);
    const b = h.alloc(64);
    expect(h.call('readlinkat', AT_FDCWD, P('/data/ln'), b, 64)).toBe(5);
    expect(h.text(b, 5)).toBe('sub/a');
    expect(h.call('readlinkat', AT_FDCWD, P('/data/ln'), b, 3)).toBe(3); // truncated, no NUL
    expect(h.call('readlinkat', AT_FDCWD, P('/data/hello.txt'), b, 64)).toBe(errno('EINVAL'));
    expect(h.call('readlinkat', AT_FDCWD, P('/data/ln'), b, 0)).toBe(errno('EINVAL'));
    expect(h.call('symlinkat', h.str('x'), AT_FDCWD, P('/data/ln'))).toBe(errno('EEXIST'));
    expect(h.call('linkat', AT_FDCWD, P('/data/hello.txt'), AT_FDCWD, P('/data/hard'), 0)).toBe(0);
    expect(statOf('/data/hello.txt').nlink).toBe(2);
    expect(statOf('/data/hard').ino).toBe(statOf('/data/hello.txt').ino);
    expect(open('/data/ln', O_RDONLY | O_NOFOLLOW)).toBe(errno('ELOOP'));
    const viaLink = open('/data/ln', O_RDONLY);
    expect(readStr(viaLink, 10)).toBe('A');
  });

  test('openat: dirfd-relative paths, O_DIRECTORY, O_EXCL, directories for writing, O_PATH', () => {
    const dir = open('/data/sub', O_RDONLY | O_DIRECTORY);
    const fd = h.call('openat', dir, h.str('a'), O_RDONLY, 0);
    expect(readStr(fd, 10)).toBe('A');
    const file = open('/data/hello.txt', O_RDONLY);
    expect(h.call('openat', file, h.str('a'), O_RDONLY, 0)).toBe(errno('ENOTDIR'));
    expect(h.call('openat', 99, h.str('a'), O_RDONLY, 0)).toBe(errno('EBADF'));
    expect(open('/data/hello.txt', O_RDONLY | O_DIRECTORY)).toBe(errno('ENOTDIR'));
    expect(open('/data/sub', O_WRONLY)).toBe(errno('EISDIR'));
    expect(open('/data/hello.txt', O_WRONLY | O_CREAT | O_EXCL, 0o644)).toBe(errno('EEXIST'));
    expect(open('/data/missing', O_RDONLY)).toBe(errno('ENOENT'));
    expect(open('/data/missing/x', O_RDONLY | O_CREAT, 0o644)).toBe(errno('ENOENT'));
    expect(h.call('openat', AT_FDCWD, 0x5000, O_RDONLY, 0)).toBe(errno('EFAULT'));
    const pathFd = open('/data/sub', O_PATH);
    expect(h.call('read', pathFd, h.alloc(4), 4)).toBe(errno('EBADF'));
    const st = h.alloc(128);
    expect(h.call('fstat', pathFd, st)).toBe(0);
    expect(h.u32(st + 16) & S_IFMT).toBe(S_IFDIR);
    expect(h.call('openat', pathFd, h.str('a'), O_RDONLY, 0)).toBeGreaterThan(2);
    expect(h.call('fcntl', fd, 3 /* F_GETFL */)).toBe(O_RDONLY | 0o100000 /* O_LARGEFILE */);
  });

  test('faccessat, fchmod/fchmodat, fchownat no-op, utimensat, ftruncate', () => {
    expect(h.call('faccessat', AT_FDCWD, P('/data/hello.txt'), 4)).toBe(0);
    expect(h.call('faccessat', AT_FDCWD, P('/data/nope'), 0)).toBe(errno('ENOENT'));
    expect(h.call('faccessat', AT_FDCWD, P('/data/hello.txt'), 8)).toBe(errno('EINVAL'));
    expect(h.call('faccessat2', AT_FDCWD, P('/data/hello.txt'), 0, 0x200 /* AT_EACCESS */)).toBe(0);

    expect(h.call('fchmodat', AT_FDCWD, P('/data/hello.txt'), 0o600)).toBe(0);
    expect(statOf('/data/hello.txt').mode).toBe(S_IFREG | 0o600);
    const fd = open('/data/hello.txt', O_RDWR);
    expect(h.call('fchmod', fd, 0o640)).toBe(0);
    expect(statOf('/data/hello.txt').mode).toBe(S_IFREG | 0o640);
    expect(h.call('fchownat', AT_FDCWD, P('/data/hello.txt'), -1, -1, 0)).toBe(0);

    const ts = h.alloc(32);
    h.mem.view.setBigInt64(ts, 1_000_000n, true); // atime
    h.mem.view.setBigInt64(ts + 8, 0n, true);
    h.mem.view.setBigInt64(ts + 16, 2_000_000n, true); // mtime
    h.mem.view.setBigInt64(ts + 24, 500_000_000n, true);
    expect(h.call('utimensat', AT_FDCWD, P('/data/hello.txt'), ts, 0)).toBe(0);
    let st = statOf('/data/hello.txt');
    expect(st.atime).toBe(1_000_000n);
    expect(st.mtime).toBe(2_000_000n);
    h.mem.view.setBigInt64(ts + 8, BigInt(UTIME_OMIT), true);
    h.mem.view.setBigInt64(ts + 16, 3_000_000n, true);
    h.mem.view.setBigInt64(ts + 24, 0n, true);
    expect(h.call('utimensat', fd, 0, ts, 0)).toBe(0); // NULL path: the fd itself
    st = statOf('/data/hello.txt');
    expect(st.atime).toBe(1_000_000n);
    expect(st.mtime).toBe(3_000_000n);
    h.mem.view.setBigInt64(ts + 24, 1_000_000_000n, true);
    expect(h.call('utimensat', fd, 0, ts, 0)).toBe(errno('EINVAL'));

    expect(h.call('ftruncate', fd, 4)).toBe(0);
    expect(statOf('/data/hello.txt').size).toBe(4n);
    expect(h.call('ftruncate', fd, 100)).toBe(0);
    expect(statOf('/data/hello.txt').size).toBe(100n);
    expect(h.call('ftruncate', fd, -1)).toBe(errno('EINVAL'));
    const ro = open('/data/hello.txt', O_RDONLY);
    expect(h.call('ftruncate', ro, 0)).toBe(errno('EINVAL'));
    expect(h.call('fsync', fd)).toBe(0);
    expect(h.call('fdatasync', fd)).toBe(0);
  });

  test('getcwd, chdir, fchdir and relative paths', () => {
    expect(h.call('chdir', P('/data'))).toBe(0);
    const b = h.alloc(256);
    const n = h.call('getcwd', b, 256);
    expect(h.text(b, n)).toBe(`${root}/data\0`);
    expect(h.call('getcwd', b, 3)).toBe(errno('ERANGE'));
    const fd = h.call('openat', AT_FDCWD, h.str('sub/a'), O_RDONLY, 0);
    expect(readStr(fd, 4)).toBe('A');
    expect(h.call('chdir', h.str('hello.txt'))).toBe(errno('ENOTDIR'));
    expect(h.call('chdir', h.str('nope'))).toBe(errno('ENOENT'));
    const sub = h.call('openat', AT_FDCWD, h.str('sub'), O_RDONLY | O_DIRECTORY, 0);
    expect(h.call('fchdir', sub)).toBe(0);
    expect(h.call('faccessat', AT_FDCWD, h.str('a'), 0)).toBe(0);
    expect(h.call('faccessat', AT_FDCWD, h.str('../hello.txt'), 0)).toBe(0);
    expect(h.call('fchdir', fd)).toBe(errno('ENOTDIR'));
  });
});
