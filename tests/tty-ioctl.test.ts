// Terminal ioctls: termios get/set, window size, the foreground process group, isatty's ENOTTY on
// anything that is not a terminal, FIONREAD/FIONBIO, /dev/tty without a controlling terminal, and
// ioctl request names under -strace.
import { describe, expect, test } from 'vitest';
import { S_IF } from '../syscalls/abi/common.js';
import { FileDescription } from '../syscalls/files/description.js';
import type { VfsStat } from '../syscalls/vfs.js';
import { errno, harness, PID, type Harness } from './syscalls-harness.js';

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f;
const TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, FIONBIO = 0x5421, TIOCNOTTY = 0x5422;
const O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0o4000, F_GETFL = 3, AT_FDCWD = -100;

/** A terminal device as the guest's fd sees one (the host's is not available under test). */
class FakeTty extends FileDescription {
  constructor(private readonly rdev: bigint) {
    super('/dev/pts/7', true, true, O_RDWR);
  }
  override isTerminal(): boolean {
    return true;
  }
  override stat(): VfsStat {
    return {
      dev: 0x17n, ino: 10n, mode: S_IF.CHR | 0o620, nlink: 1, uid: 0, gid: 5, rdev: this.rdev, size: 0, blksize: 1024,
      blocks: 0, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
    };
  }
}

function withTty(h: Harness, rdev = 0x8807n): number {
  return h.linux.process.fds.install(new FakeTty(rdev), false);
}
const ioctl = (h: Harness, fd: number, req: number, arg: number): number => h.call('ioctl', fd, req, arg);

describe('terminal ioctls', () => {
  test('non-terminals: TCGETS and the other tty requests fail with ENOTTY (isatty is false)', () => {
    const h = harness();
    const buf = h.alloc(64);
    for (const req of [TCGETS, TCSETS, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY]) {
      expect(ioctl(h, 1, req, buf)).toBe(errno('ENOTTY'));
    }
    const fd = h.call('openat', AT_FDCWD, h.str('/dev/null'), O_RDWR, 0);
    expect(ioctl(h, fd, TCGETS, buf)).toBe(errno('ENOTTY'));
    expect(ioctl(h, 99, TCGETS, buf)).toBe(errno('EBADF'));
  });

  test('TCSETS/TCSETSW/TCSETSF are read back by TCGETS', () => {
    const h = harness();
    const fd = withTty(h);
    const t = h.alloc(36);
    expect(ioctl(h, fd, TCGETS, t)).toBe(0);
    const lflag = h.u32(t + 12);
    expect(lflag & 0x2).toBe(0x2); // ICANON by default
    for (const [req, vmin] of [[TCSETS, 3], [TCSETSW, 4], [TCSETSF, 5]] as const) {
      h.mem.view.setUint32(t + 12, lflag & ~0xa, true); // raw: no ICANON, no ECHO
      h.mem.bytes[t + 17 + 6] = vmin; // c_cc[VMIN]
      expect(ioctl(h, fd, req, t)).toBe(0);
      const back = h.alloc(36);
      expect(ioctl(h, fd, TCGETS, back)).toBe(0);
      expect(h.u32(back + 12)).toBe(lflag & ~0xa);
      expect(h.mem.bytes[back + 17 + 6]).toBe(vmin);
    }
  });

  test('TIOCGWINSZ gives a size; TIOCSWINSZ sets the terminal\'s, seen through every fd on it', () => {
    const h = harness();
    const fd = withTty(h);
    const other = withTty(h);
    const ws = h.alloc(8);
    expect(ioctl(h, fd, TIOCGWINSZ, ws)).toBe(0);
    expect(h.mem.view.getUint16(ws, true)).toBeGreaterThan(0);
    expect(h.mem.view.getUint16(ws + 2, true)).toBeGreaterThan(0);
    h.mem.view.setUint16(ws, 50, true);
    h.mem.view.setUint16(ws + 2, 132, true);
    expect(ioctl(h, fd, TIOCSWINSZ, ws)).toBe(0);
    const back = h.alloc(8);
    expect(ioctl(h, other, TIOCGWINSZ, back)).toBe(0);
    expect([h.mem.view.getUint16(back, true), h.mem.view.getUint16(back + 2, true)]).toEqual([50, 132]);
    // another terminal keeps its own size
    const third = withTty(h, 0x8808n);
    expect(ioctl(h, third, TIOCGWINSZ, back)).toBe(0);
    expect(h.mem.view.getUint16(back + 2, true)).not.toBe(132);
  });

  test('TIOCGPGRP starts as the process group; TIOCSPGRP needs a group of the session', () => {
    const h = harness();
    const p = h.linux.process;
    const fd = withTty(h);
    const g = h.alloc(4);
    expect(ioctl(h, fd, TIOCGPGRP, g)).toBe(0);
    expect(h.mem.view.getInt32(g, true)).toBe(p.pgid);
    h.mem.view.setInt32(g, PID + 5000, true);
    expect(ioctl(h, fd, TIOCSPGRP, g)).toBe(errno('ESRCH'));
    h.mem.view.setInt32(g, -3, true);
    expect(ioctl(h, fd, TIOCSPGRP, g)).toBe(errno('EINVAL'));
    h.mem.view.setInt32(g, p.pgid, true);
    expect(ioctl(h, fd, TIOCSPGRP, g)).toBe(0);
    expect(ioctl(h, fd, TIOCSCTTY, 0)).toBe(0);
    expect(ioctl(h, fd, TIOCNOTTY, 0)).toBe(0);
  });

  test('FIONREAD on a pipe and a file; FIONBIO sets O_NONBLOCK', () => {
    const h = harness({ vfs: undefined });
    const fds = h.alloc(8);
    h.call('pipe2', fds, 0);
    const [r, w] = [h.mem.view.getInt32(fds, true), h.mem.view.getInt32(fds + 4, true)];
    h.call('write', w, h.str('hello'), 5);
    const n = h.alloc(4);
    expect(ioctl(h, r, FIONREAD, n)).toBe(0);
    expect(h.mem.view.getInt32(n, true)).toBe(5);
    const f = h.call('openat', AT_FDCWD, h.str('/etc/hostname'), O_RDONLY, 0);
    h.call('read', f, h.alloc(2), 2);
    expect(ioctl(h, f, FIONREAD, n)).toBe(0);
    expect(h.mem.view.getInt32(n, true)).toBe(2); // "box\n" less the 2 read
    const dir = h.call('openat', AT_FDCWD, h.str('/etc'), O_RDONLY, 0);
    expect(ioctl(h, dir, FIONREAD, n)).toBe(errno('ENOTTY'));
    const dev = h.call('openat', AT_FDCWD, h.str('/dev/null'), O_RDONLY, 0);
    expect(ioctl(h, dev, FIONREAD, n)).toBe(errno('ENOTTY'));
    const on = h.alloc(4);
    h.mem.view.setInt32(on, 1, true);
    expect(ioctl(h, r, FIONBIO, on)).toBe(0);
    expect(h.call('fcntl', r, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(h.call('read', r, h.alloc(8), 8)).toBe(5);
    expect(h.call('read', r, h.alloc(8), 8)).toBe(errno('EAGAIN'));
  });

  test('/dev/tty with no controlling terminal is ENXIO', () => {
    const h = harness();
    expect(h.call('openat', AT_FDCWD, h.str('/dev/tty'), O_RDWR, 0)).toBe(errno('ENXIO'));
  });

  test('-strace names the request and shows int arguments as qemu does', () => {
    const h = harness();
    const buf = h.alloc(64);
    const ptr = `0x${buf.toString(16).padStart(16, '0')}`;
    ioctl(h, 1, TCGETS, buf);
    ioctl(h, 1, TIOCGWINSZ, buf);
    expect(h.log).toContain(`${PID} ioctl(1,TCGETS,${ptr}) = -1 errno=25 (Inappropriate ioctl for device)`);
    expect(h.log).toContain(`${PID} ioctl(1,TIOCGWINSZ,${ptr}) = -1 errno=25 (Inappropriate ioctl for device)`);
    const fds = h.alloc(8);
    h.call('pipe2', fds, 0);
    const [r, w] = [h.mem.view.getInt32(fds, true), h.mem.view.getInt32(fds + 4, true)];
    h.call('write', w, h.str('abc'), 3);
    h.mem.view.setInt32(buf, 1, true);
    ioctl(h, r, FIONBIO, buf);
    ioctl(h, r, FIONREAD, buf);
    expect(h.log).toContain(`${PID} ioctl(${r},FIONBIO,1) = 0`);
    expect(h.log).toContain(`${PID} ioctl(${r},FIONREAD,${ptr}) = 0 (3)`);
  });
});
