// Descriptors that are not plain files: pipes, stdio, devices, /proc/self; dup and fcntl
// (flags, record locks); ioctl.
import { describe, expect, test } from 'vitest';
import { Block } from '../syscalls/blocking.js';
import { backends, errno, harness, nr, PID, type Harness, thrown } from './syscalls-harness.js';

const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_APPEND = 0o2000, O_NONBLOCK = 0o4000, O_CLOEXEC = 0o2000000;
const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
const F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030, F_GETPIPE_SZ = 1032;
const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541b;
const S_IFMT = 0o170000, S_IFIFO = 0o010000, S_IFCHR = 0o020000;

function pipe(h: Harness, flags = 0): [number, number] {
  const fds = h.alloc(8);
  expect(h.call('pipe2', fds, flags)).toBe(0);
  return [h.mem.view.getInt32(fds, true), h.mem.view.getInt32(fds + 4, true)];
}
function put(h: Harness, fd: number, s: string): number {
  const b = new TextEncoder().encode(s);
  return h.call('write', fd, h.bytes(b), b.length);
}
function get(h: Harness, fd: number, n: number): string | number {
  const b = h.alloc(n);
  const r = h.call('read', fd, b, n);
  return r < 0 ? r : h.text(b, r);
}

describe('pipes', () => {
  test('bytes flow in order; EOF once the write end closes', () => {
    const h = harness();
    const [r, w] = pipe(h);
    expect([r, w]).toEqual([3, 4]);
    expect(put(h, w, 'hello ')).toBe(6);
    expect(put(h, w, 'pipe')).toBe(4);
    expect(get(h, r, 3)).toBe('hel');
    const n = h.alloc(4);
    expect(h.call('ioctl', r, FIONREAD, n)).toBe(0);
    expect(h.mem.view.getInt32(n, true)).toBe(7);
    expect(get(h, r, 100)).toBe('lo pipe');
    expect(h.call('close', w)).toBe(0);
    expect(get(h, r, 100)).toBe('');
    expect(get(h, w, 1)).toBe(errno('EBADF'));
  });

  test('an empty pipe with a writer: a blocking read waits (Block) until data comes; non-blocking is EAGAIN', () => {
    const h = harness();
    const [r, w] = pipe(h);
    const buf = h.alloc(10);
    const e = thrown(() => h.sys('read', r, buf, 10));
    expect(e).toBeInstanceOf(Block);
    const wait = (e as Block).wait;
    expect(wait.poll(false)).toBeNull(); // still empty
    put(h, w, 'hi');
    expect(wait.poll(false)).toBe(2); // the parked read completes with the data
    expect(h.text(buf, 2)).toBe('hi');
    const [r2] = pipe(h, O_NONBLOCK);
    expect(get(h, r2, 10)).toBe(errno('EAGAIN'));
    expect(h.call('fcntl', r2, F_GETFL)).toBe(O_RDONLY | O_NONBLOCK);
  });

  test('writing with no reader: EPIPE, and SIGPIPE queued for the writing thread unless ignored', () => {
    const h = harness();
    const [r, w] = pipe(h);
    h.call('close', r);
    expect(put(h, w, 'x')).toBe(errno('EPIPE'));
    const t = h.linux.process.current;
    expect(t.pending.has(1n << 12n)).toBe(true); // SIGPIPE (13) pending on the caller
    t.pending.discard(13, 1n << 12n);
    const act = h.alloc(24);
    h.mem.view.setBigUint64(act, 1n, true); // SIG_IGN
    expect(h.call('rt_sigaction', 13, act, 0, 8)).toBe(0);
    expect(put(h, w, 'x')).toBe(errno('EPIPE'));
    expect(t.pending.bits).toBe(0n); // ignored: not even queued
  });

  test('pipe2 flags, fstat, lseek, F_GETPIPE_SZ', () => {
    const h = harness();
    const [r, w] = pipe(h, O_CLOEXEC);
    expect(h.call('fcntl', r, F_GETFD)).toBe(1);
    expect(h.call('fcntl', w, F_GETFD)).toBe(1);
    expect(h.call('pipe2', h.alloc(8), 0x4)).toBe(errno('EINVAL'));
    expect(h.call('pipe2', 0x5000, 0)).toBe(errno('EFAULT'));
    const st = h.alloc(128);
    expect(h.call('fstat', r, st)).toBe(0);
    expect(h.u32(st + 16) & S_IFMT).toBe(S_IFIFO);
    expect(h.call('lseek', r, 0, 0)).toBe(errno('ESPIPE'));
    expect(h.call('fcntl', r, F_GETPIPE_SZ)).toBe(65536);
    expect(h.call('fcntl', 0, F_GETPIPE_SZ)).toBe(errno('EBADF'));
  });
});

describe('stdio', () => {
  test('fd 0 reads the given bytes, 1 and 2 write to the sinks', () => {
    const h = harness({ stdin: new TextEncoder().encode('input line\n') });
    expect(get(h, 0, 5)).toBe('input');
    expect(get(h, 0, 100)).toBe(' line\n');
    expect(get(h, 0, 100)).toBe('');
    expect(put(h, 1, 'out')).toBe(3);
    expect(put(h, 2, 'err')).toBe(3);
    expect(h.stdout()).toBe('out');
    expect(h.stderr()).toBe('err');
    expect(put(h, 0, 'x')).toBe(errno('EBADF'));
    expect(h.call('ioctl', 1, TCGETS, h.alloc(64))).toBe(errno('ENOTTY'));
    expect(h.call('ioctl', 1, TIOCGWINSZ, h.alloc(8))).toBe(errno('ENOTTY'));
    // dup2 onto stdout redirects it
    const fd = h.call('openat', -100, h.str('/out.txt'), O_WRONLY | O_CREAT, 0o644);
    expect(h.call('dup3', fd, 1, 0)).toBe(1);
    put(h, 1, 'to file');
    expect(h.stdout()).toBe('out');
    expect(new TextDecoder().decode(h.vfs.readFile('/out.txt'))).toBe('to file');
  });
});

describe('dup, dup3, fcntl', () => {
  test('dup shares the offset; fd flags are per fd, status flags per description', () => {
    const h = harness();
    const fd = h.call('openat', -100, h.str('/etc/hostname'), O_RDONLY | O_CLOEXEC, 0);
    const d = h.call('dup', fd);
    expect(d).toBe(fd + 1);
    expect(get(h, fd, 2)).toBe('bo');
    expect(get(h, d, 2)).toBe('x\n'); // shared offset
    expect(h.call('fcntl', fd, F_GETFD)).toBe(1);
    expect(h.call('fcntl', d, F_GETFD)).toBe(0); // dup clears close-on-exec
    expect(h.call('fcntl', d, F_SETFD, 1)).toBe(0);
    expect(h.call('fcntl', d, F_GETFD)).toBe(1);
    expect(h.call('fcntl', fd, F_SETFL, O_APPEND | O_NONBLOCK)).toBe(0);
    expect(h.call('fcntl', d, F_GETFL) & (O_APPEND | O_NONBLOCK)).toBe(O_APPEND | O_NONBLOCK);
    expect(h.call('fcntl', fd, F_DUPFD, 10)).toBe(10);
    expect(h.call('fcntl', fd, F_DUPFD_CLOEXEC, 10)).toBe(11);
    expect(h.call('fcntl', 11, F_GETFD)).toBe(1);
    expect(h.call('dup3', fd, 20, O_CLOEXEC)).toBe(20);
    expect(h.call('fcntl', 20, F_GETFD)).toBe(1);
    expect(h.call('dup3', fd, fd, 0)).toBe(errno('EINVAL'));
    expect(h.call('dup3', fd, 21, 1)).toBe(errno('EINVAL'));
    expect(h.call('dup', 99)).toBe(errno('EBADF'));
    expect(h.call('fcntl', 99, F_GETFD)).toBe(errno('EBADF'));
    expect(h.call('fcntl', fd, 12345)).toBe(errno('EINVAL'));
    // closing one fd keeps the description open for the others
    h.call('close', fd);
    h.call('lseek', d, 0, 0);
    expect(get(h, d, 3)).toBe('box');
  });

  test('RLIMIT_NOFILE bounds fd numbers (EMFILE)', () => {
    const h = harness();
    const rl = h.alloc(16);
    h.mem.view.setBigUint64(rl, 5n, true);
    h.mem.view.setBigUint64(rl + 8, 5n, true);
    expect(h.call('setrlimit', 7, rl)).toBe(0);
    expect(h.call('dup', 0)).toBe(3);
    expect(h.call('dup', 0)).toBe(4);
    expect(h.call('dup', 0)).toBe(errno('EMFILE'));
  });

  test('record locks: POSIX locks never conflict within the process; OFD locks do', () => {
    const h = harness();
    const flock = (type: number, start: number, len: number): number => {
      const b = h.alloc(32);
      h.mem.view.setInt16(b, type, true);
      h.mem.view.setInt16(b + 2, 0, true); // SEEK_SET
      h.mem.view.setBigInt64(b + 8, BigInt(start), true);
      h.mem.view.setBigInt64(b + 16, BigInt(len), true);
      return b;
    };
    const a = h.call('openat', -100, h.str('/etc/hostname'), O_RDWR, 0);
    const b = h.call('openat', -100, h.str('/etc/hostname'), O_RDWR, 0);
    expect(h.call('fcntl', a, F_SETLK, flock(F_WRLCK, 0, 10))).toBe(0);
    expect(h.call('fcntl', b, F_SETLK, flock(F_WRLCK, 0, 10))).toBe(0); // same owner: the process
    const q = flock(F_WRLCK, 0, 0);
    expect(h.call('fcntl', b, F_GETLK, q)).toBe(0);
    expect(h.mem.view.getInt16(q, true)).toBe(F_UNLCK);

    expect(h.call('fcntl', a, F_OFD_SETLK, flock(F_RDLCK, 100, 10))).toBe(0);
    expect(h.call('fcntl', b, F_OFD_SETLK, flock(F_RDLCK, 105, 10))).toBe(0); // readers share
    expect(h.call('fcntl', b, F_OFD_SETLK, flock(F_WRLCK, 95, 10))).toBe(errno('EAGAIN'));
    expect(h.call('fcntl', b, F_OFD_SETLKW, flock(F_WRLCK, 95, 10))).toBe(errno('EDEADLK'));
    // OFD locks and the process's POSIX locks conflict with each other
    expect(h.call('fcntl', b, F_OFD_SETLK, flock(F_RDLCK, 0, 5))).toBe(errno('EAGAIN'));
    const p = flock(F_RDLCK, 0, 0);
    expect(h.call('fcntl', b, F_OFD_GETLK, p)).toBe(0);
    expect(h.mem.view.getInt16(p, true)).toBe(F_WRLCK);
    expect(h.mem.view.getInt32(p + 24, true)).toBe(PID);
    expect(h.mem.view.getBigInt64(p + 16, true)).toBe(10n);
    const g = flock(F_WRLCK, 50, 0);
    expect(h.call('fcntl', b, F_OFD_GETLK, g)).toBe(0);
    expect(h.mem.view.getInt16(g, true)).toBe(F_RDLCK);
    expect(h.mem.view.getBigInt64(g + 8, true)).toBe(100n);
    expect(h.mem.view.getInt32(g + 24, true)).toBe(-1);
    expect(h.call('fcntl', b, F_OFD_SETLK, flock(F_UNLCK, 0, 0))).toBe(0);
    expect(h.call('close', a)).toBe(0); // last close of a's description drops its OFD lock
    expect(h.call('fcntl', b, F_OFD_SETLK, flock(F_WRLCK, 0, 0))).toBe(0);
    const ro = h.call('openat', -100, h.str('/etc/hostname'), O_RDONLY, 0);
    expect(h.call('fcntl', ro, F_SETLK, flock(F_WRLCK, 0, 1))).toBe(errno('EBADF'));
    expect(h.call('fcntl', ro, F_SETLKW, flock(7, 0, 1))).toBe(errno('EINVAL'));
  });
});

describe.each(backends())('devices and /proc/self on $name', ({ make }) => {
  test('/dev/null, /dev/zero, /dev/urandom, /dev/tty', () => {
    const b = make();
    try {
      const h = harness({ vfs: b.vfs });
      const nul = h.call('openat', -100, h.str('/dev/null'), O_RDWR, 0);
      expect(put(h, nul, 'gone')).toBe(4);
      expect(get(h, nul, 10)).toBe('');
      const st = h.alloc(128);
      expect(h.call('fstat', nul, st)).toBe(0);
      expect(h.u32(st + 16) & S_IFMT).toBe(S_IFCHR);
      expect(h.u64(st + 32)).toBe(0x103n); // st_rdev: 1,3
      const zero = h.call('openat', -100, h.str('/dev/zero'), O_RDONLY, 0);
      const z = h.alloc(64);
      h.mem.bytes.fill(9, z, z + 64);
      expect(h.call('read', zero, z, 64)).toBe(64);
      expect(h.read(z, 64).every((x) => x === 0)).toBe(true);
      const rnd = h.call('openat', -100, h.str('/dev/urandom'), O_RDONLY, 0);
      const r = h.alloc(64);
      expect(h.call('read', rnd, r, 64)).toBe(64);
      expect(h.read(r, 64).some((x) => x !== 0)).toBe(true);
      expect(h.call('faccessat', -100, h.str('/dev/null'), 6)).toBe(0);
      expect(h.call('ioctl', nul, TCGETS, h.alloc(64))).toBe(errno('ENOTTY'));
      const tty = h.call('openat', -100, h.str('/dev/tty'), O_RDWR, 0);
      if (tty < 0) expect(tty).toBe(errno('ENXIO')); // no controlling terminal (CI, memfs)
      else expect(h.call('ioctl', tty, TCGETS, h.alloc(64))).toBe(0);
    } finally {
      b.cleanup();
    }
  });

  test('/proc/self: exe, cmdline, environ, auxv, maps, fd', () => {
    const b = make();
    try {
      const h = harness({ vfs: b.vfs, exePath: '/bin/prog' });
      const buf = h.alloc(256);
      const n = h.call('readlinkat', -100, h.str('/proc/self/exe'), buf, 256);
      expect(h.text(buf, n)).toBe('/bin/prog');
      expect(h.call('readlinkat', -100, h.str(`/proc/${PID}/exe`), buf, 256)).toBe(n);
      const slurp = (p: string): Uint8Array => {
        const fd = h.call('openat', -100, h.str(p), O_RDONLY, 0);
        expect(fd).toBeGreaterThan(2);
        const out = h.alloc(4096);
        const k = h.call('read', fd, out, 4096);
        h.call('close', fd);
        return h.read(out, k);
      };
      expect(Buffer.from(slurp('/proc/self/cmdline')).toString()).toBe('/bin/prog\0arg1\0');
      expect(Buffer.from(slurp('/proc/self/environ')).toString()).toBe('HOME=/root\0A=1\0');
      const auxv = slurp('/proc/self/auxv');
      expect(auxv.length).toBe(32);
      expect(new DataView(auxv.buffer).getBigUint64(8, true)).toBe(4096n);
      const maps = Buffer.from(slurp('/proc/self/maps')).toString();
      expect(maps).toMatch(/^10000000-10100000 rw-p 00000000 00:00 0 *\n/m);
      const fd = h.call('openat', -100, h.str(b.root + '/data/hello.txt'), O_RDONLY, 0);
      const k = h.call('readlinkat', -100, h.str(`/proc/self/fd/${fd}`), buf, 256);
      expect(h.text(buf, k)).toBe(`${b.root}/data/hello.txt`);
      const again = h.call('openat', -100, h.str(`/proc/self/fd/${fd}`), O_RDONLY, 0);
      expect(get(h, again, 5)).toBe('hello');
      expect(h.call('openat', -100, h.str('/proc/self/maps'), O_WRONLY, 0)).toBe(errno('EACCES'));
      const dir = h.call('openat', -100, h.str('/proc/self/fd'), O_RDONLY | 0o200000, 0);
      const d = h.alloc(1024);
      expect(h.call('getdents64', dir, d, 1024)).toBeGreaterThan(0);
    } finally {
      b.cleanup();
    }
  });
});

test('syscall numbers used here come from the ABI table', () => {
  expect([nr('read'), nr('write'), nr('openat'), nr('pipe2'), nr('fcntl')]).toEqual([63, 64, 56, 59, 25]);
});
