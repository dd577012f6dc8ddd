// fd-level I/O: read/write and their vector and positional forms, lseek, close, dup, fstat,
// getdents64, fsync, ftruncate, pipe2.
import { SiCode } from '../../src/signals.js';
import { DT } from '../abi/common.js';
import { big, decode, encode, offsetOf } from '../codec.js';
import { Block, type Wait } from '../blocking.js';
import { SyscallError, errnoOf, fail } from '../errors.js';
import type { FileDescription } from '../files/description.js';
import { EventFd } from '../files/eventfd.js';
import { PipeBuffer, PipeEnd } from '../files/pipe.js';
import { SignalFd } from '../files/signalfd.js';
import type { GuestProcess } from '../process.js';
import { statFields } from '../stat-encode.js';
import type { SyscallTable } from '../syscall-def.js';

/** Linux caps one read/write at this many bytes. */
const MAX_RW_COUNT = 0x7ffff000;
const UIO_MAXIOV = 1024;

export function fileOf(p: GuestProcess, fd: bigint): FileDescription {
  return p.fds.get(p.int(fd));
}

function readFrom(p: GuestProcess, f: FileDescription, dst: Uint8Array): number {
  try {
    return f.read(dst);
  } catch (e) {
    // A blocking read of an empty pipe (eventfd, signalfd) waits — other threads run — until
    // there is something to read.
    if (e instanceof SyscallError && e.code === 'EAGAIN' && !f.nonblock && (f instanceof PipeEnd || f instanceof EventFd || f instanceof SignalFd)) {
      throw new Block(readWait(f, dst));
    }
    throw e;
  }
}

function readWait(f: FileDescription, dst: Uint8Array): Wait {
  return {
    deadline: null,
    polled: true,
    restartable: true,
    poll: () => {
      try {
        return f.read(dst);
      } catch (e) {
        if (e instanceof SyscallError && e.code === 'EAGAIN') return null;
        throw e;
      }
    },
  };
}

function writeTo(p: GuestProcess, f: FileDescription, src: Uint8Array): number {
  try {
    return f.write(src);
  } catch (e) {
    // a guest pipe's EPIPE, or the host's (crossrun's stdout is a pipe whose reader went away)
    if (errnoOf(e) === 'EPIPE') p.raise(p.abi.signals.SIGPIPE, SiCode.SI_USER);
    throw e;
  }
}

function checkReadable(f: FileDescription): void {
  if (!f.readable) fail('EBADF');
}
function checkWritable(f: FileDescription): void {
  if (!f.writable) fail('EBADF');
}

/** Decode an iovec array into [base, len] pairs. */
function iovecs(p: GuestProcess, iov: bigint, cnt: bigint): Array<[number, number]> {
  const n = p.int(cnt);
  if (n < 0 || n > UIO_MAXIOV) fail('EINVAL');
  const l = p.layout('iovec');
  const at = p.ptr(iov);
  p.input(at, l.size * n);
  const out: Array<[number, number]> = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = decode(l, p.mem.view, at + i * l.size);
    const len = Number(big(v, 'iov_len'));
    total += len;
    if (len < 0 || total > MAX_RW_COUNT * 2) fail('EINVAL');
    out.push([Number(big(v, 'iov_base')), len]);
  }
  return out;
}

/** Run one transfer per buffer until one comes up short; an error after some progress ends the
 *  call with the progress (as the kernel does). */
function vectored(
  p: GuestProcess,
  vecs: Array<[number, number]>,
  out: boolean,
  op: (buf: Uint8Array, done: number) => number,
): number {
  // Every buffer must be valid up front (EFAULT before any transfer).
  const bufs = vecs.map(([base, len]) => (out ? p.output(base, len) : p.input(base, len)));
  let done = 0;
  for (const buf of bufs) {
    if (buf.length === 0) continue;
    let n: number;
    try {
      n = op(buf, done);
    } catch (e) {
      if (done > 0) return done;
      throw e;
    }
    done += n;
    if (n < buf.length) break;
  }
  return done;
}

function position(p: GuestProcess, v: bigint): number {
  const pos = p.sword(v);
  if (pos < 0n) fail('EINVAL');
  return Number(pos);
}

export const ioSyscalls: SyscallTable = {
  read: {
    args: ['fd', 'hex', 'ulong'],
    run: (p, [fd, buf, count]) => {
      const f = fileOf(p, fd);
      checkReadable(f);
      return readFrom(p, f, p.output(p.ptr(buf), Math.min(p.ptr(count), MAX_RW_COUNT)));
    },
  },
  write: {
    args: ['fd', 'hex', 'ulong'],
    run: (p, [fd, buf, count]) => {
      const f = fileOf(p, fd);
      checkWritable(f);
      return writeTo(p, f, p.input(p.ptr(buf), Math.min(p.ptr(count), MAX_RW_COUNT)));
    },
  },
  readv: {
    args: ['fd', 'ptr', 'int'],
    run: (p, [fd, iov, cnt]) => {
      const f = fileOf(p, fd);
      checkReadable(f);
      return vectored(p, iovecs(p, iov, cnt), true, (b) => readFrom(p, f, b));
    },
  },
  writev: {
    args: ['fd', 'ptr', 'int'],
    run: (p, [fd, iov, cnt]) => {
      const f = fileOf(p, fd);
      checkWritable(f);
      return vectored(p, iovecs(p, iov, cnt), false, (b) => writeTo(p, f, b));
    },
  },
  pread64: {
    args: ['fd', 'hex', 'ulong', 'long'],
    run: (p, [fd, buf, count, pos]) => {
      const f = fileOf(p, fd);
      checkReadable(f);
      const at = position(p, pos);
      return f.pread(p.output(p.ptr(buf), Math.min(p.ptr(count), MAX_RW_COUNT)), at);
    },
  },
  pwrite64: {
    args: ['fd', 'hex', 'ulong', 'long'],
    run: (p, [fd, buf, count, pos]) => {
      const f = fileOf(p, fd);
      checkWritable(f);
      const at = position(p, pos);
      return f.pwrite(p.input(p.ptr(buf), Math.min(p.ptr(count), MAX_RW_COUNT)), at);
    },
  },
  preadv: {
    args: ['fd', 'ptr', 'int', 'long'],
    run: (p, [fd, iov, cnt, pos]) => {
      const f = fileOf(p, fd);
      checkReadable(f);
      const at = position(p, pos);
      return vectored(p, iovecs(p, iov, cnt), true, (b, done) => f.pread(b, at + done));
    },
  },
  pwritev: {
    args: ['fd', 'ptr', 'int', 'long'],
    run: (p, [fd, iov, cnt, pos]) => {
      const f = fileOf(p, fd);
      checkWritable(f);
      const at = position(p, pos);
      return vectored(p, iovecs(p, iov, cnt), false, (b, done) => f.pwrite(b, at + done));
    },
  },
  lseek: {
    args: ['fd', 'long', 'whence'],
    run: (p, [fd, off, whence]) => fileOf(p, fd).seek(Number(p.sword(off)), p.uint(whence)),
  },
  close: {
    args: ['fd'],
    run: (p, [fd]) => (p.fds.close(p.int(fd)), 0),
  },
  dup: {
    args: ['fd'],
    run: (p, [fd]) => p.fds.install(fileOf(p, fd), false),
  },
  dup3: {
    args: ['fd', 'fd', 'oflagbits'],
    run: (p, [oldfd, newfd, flags]) => {
      const f = fileOf(p, oldfd);
      const fl = p.int(flags);
      if (fl & ~p.abi.open.O_CLOEXEC) fail('EINVAL');
      if (p.int(oldfd) === p.int(newfd)) fail('EINVAL');
      p.fds.installAt(p.int(newfd), f, p.o(fl, 'O_CLOEXEC'));
      return p.int(newfd);
    },
  },
  fstat: {
    args: ['fd', 'ptr'],
    run: (p, [fd, buf]) => (p.writeStruct('stat', p.ptr(buf), statFields(fileOf(p, fd).stat())), 0),
  },
  getdents64: {
    args: ['fd', 'ptr', 'uint'],
    run: (p, [fd, dirp, count]) => {
      const f = fileOf(p, fd);
      const { entries, start, advance } = f.readEntries();
      const l = p.layout('dirent64');
      const nameOff = offsetOf(l, 'd_name');
      const cap = p.uint(count);
      const at = p.ptr(dirp);
      const out = p.output(at, Math.min(cap, MAX_RW_COUNT));
      const dv = p.mem.view;
      const enc = new TextEncoder();
      let used = 0;
      let i = start;
      for (; i < entries.length; i++) {
        const e = entries[i];
        const name = enc.encode(e.name);
        const reclen = Math.ceil((nameOff + name.length + 1) / 8) * 8;
        if (used + reclen > out.length) break;
        // header through the codec; name, NUL and padding after it
        out.fill(0, used, used + reclen);
        encode(l, dv, at + used, { d_ino: e.ino, d_off: i + 1, d_reclen: reclen, d_type: e.type });
        out.set(name, used + nameOff);
        out.fill(0, used + nameOff + name.length, used + reclen);
        used += reclen;
      }
      if (used === 0 && i < entries.length) fail('EINVAL'); // buffer too small for one entry
      advance(i - start);
      return used;
    },
  },
  fsync: {
    args: ['fd'],
    run: (p, [fd]) => {
      const h = fileOf(p, fd).handle();
      if (!h) fail('EINVAL');
      h.sync();
      return 0;
    },
  },
  fdatasync: {
    args: ['fd'],
    run: (p, [fd]) => {
      const h = fileOf(p, fd).handle();
      if (!h) fail('EINVAL');
      h.sync();
      return 0;
    },
  },
  ftruncate: {
    args: ['fd', 'long'],
    run: (p, [fd, len]) => {
      const f = fileOf(p, fd);
      const n = p.sword(len);
      if (n < 0n) fail('EINVAL');
      const h = f.handle();
      if (!h || !f.writable || f.isDirectory()) fail('EINVAL');
      h.truncate(Number(n));
      return 0;
    },
  },
  pipe2: {
    args: ['ptr', 'oflagbits'],
    run: (p, [fds, flags]) => {
      const O = p.abi.open;
      const fl = p.int(flags);
      if (fl & ~(O.O_CLOEXEC | O.O_NONBLOCK | O.O_DIRECT)) fail('EINVAL');
      const at = p.ptr(fds);
      p.output(at, p.layout('pipefds').size); // EFAULT before creating anything
      const buf = new PipeBuffer();
      const nb = fl & O.O_NONBLOCK;
      const r = new PipeEnd(buf, 'r', O.O_RDONLY | nb);
      const w = new PipeEnd(buf, 'w', O.O_WRONLY | nb);
      r.nonblock = w.nonblock = nb !== 0;
      const cloexec = p.o(fl, 'O_CLOEXEC');
      const rfd = p.fds.install(r, cloexec);
      let wfd: number;
      try {
        wfd = p.fds.install(w, cloexec);
      } catch (e) {
        p.fds.close(rfd);
        w.release();
        throw e;
      }
      p.writeStruct('pipefds', at, { rfd, wfd });
      return 0;
    },
  },
};

/** d_type for a VFS file type. */
export const DIRENT_TYPE = {
  file: DT.REG, dir: DT.DIR, symlink: DT.LNK, chardev: DT.CHR, blockdev: DT.BLK, fifo: DT.FIFO, socket: DT.SOCK, unknown: DT.UNKNOWN,
} as const;
