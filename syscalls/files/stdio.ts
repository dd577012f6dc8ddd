// The guest's fds 0/1/2 as RunOptions gives them: a host fd, in-memory bytes (stdin), or a byte
// sink (stdout/stderr). Closing them in the guest never closes crossrun's own host fds.
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { S_IF } from '../abi/common.js';
import { Block } from '../blocking.js';
import { fail } from '../errors.js';
import { hostIo, toErrno, type HostIoEvent } from '../host-io/host-io.js';
import { hostIsatty } from '../host-tty.js';
import { sleepMs } from '../sleep.js';
import type { VfsStat } from '../vfs.js';
import { FileDescription, POLL } from './description.js';

const BORN_NS = BigInt(Date.now()) * 1_000_000n;

function fifoStat(ino: number): VfsStat {
  return {
    dev: 0xcn, ino: BigInt(ino), mode: S_IF.FIFO | 0o600, nlink: 1, uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0, rdev: 0n, size: 0, blksize: 4096, blocks: 0,
    atimeNs: BORN_NS, mtimeNs: BORN_NS, ctimeNs: BORN_NS, birthtimeNs: BORN_NS,
  };
}

function isEagain(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e.code === 'EAGAIN' || e.code === 'EWOULDBLOCK');
}

/** A host fd. Reads of one that may block (a terminal, a pipe, a FIFO, a socket) never block
 *  crossrun: they go through a non-blocking open file description of the same file
 *  (/proc/self/fd/N opened with O_NONBLOCK, so the shared description's flags stay as they are),
 *  and a read that finds nothing becomes a guest wait while the host I/O worker watches for data.
 *  Exactly the bytes asked for are read. poll() on such an fd reads one byte to learn whether
 *  there is data (Node cannot poll one fd) and keeps it for the next read: the only read-ahead.
 *  Where /proc/self/fd cannot be opened (a socket, no procfs), the worker does a plain blocking
 *  read instead. Regular files read synchronously. If the host fd is non-blocking and the
 *  guest's is not, writes wait out EAGAIN in short sleeps. */
export class HostFdFile extends FileDescription {
  private blocks: boolean | null = null;
  /** Our non-blocking description of the fd, or null (then reads go to the worker). */
  private nb: number | null = null;
  /** Bytes the worker (or a poll) read that no guest read has taken yet. */
  private buffered: Uint8Array = new Uint8Array(0);
  private inFlight = false;
  private eof = false;
  private error: string | null = null;

  constructor(private readonly fd: number, path: string, readable: boolean, writable: boolean, statusFlags: number) {
    super(path, readable, writable, statusFlags);
  }
  /** Whether a read may wait: not for regular files and devices like /dev/null. */
  private mayBlock(): boolean {
    if (this.blocks === null) {
      try {
        const s = fstatSync(this.fd);
        this.blocks = s.isFIFO() || s.isSocket() || (s.isCharacterDevice() && hostIsatty(this.fd));
      } catch {
        this.blocks = false;
      }
      if (this.blocks) {
        try {
          this.nb = openSync(this.procPath(), constants.O_RDONLY | constants.O_NONBLOCK);
        } catch {
          this.nb = null;
        }
      }
    }
    return this.blocks;
  }
  private procPath(): string {
    return `/proc/self/fd/${this.fd}`;
  }
  private onData(ev: HostIoEvent): void {
    if (ev.t !== 'fdData') return;
    this.inFlight = false;
    if (ev.err) this.error = ev.err;
    else if (ev.data && ev.data.length) this.keep(ev.data);
    else this.eof = true;
  }
  private keep(data: Uint8Array): void {
    const b = new Uint8Array(this.buffered.length + data.length);
    b.set(this.buffered);
    b.set(data, this.buffered.length);
    this.buffered = b;
  }
  private request(n: number): void {
    if (this.inFlight) return;
    const io = hostIo();
    io.onFd(this.fd, (ev) => this.onData(ev));
    this.inFlight = true;
    io.post({ op: 'fdRead', fd: this.fd, n, path: this.nb === null ? undefined : this.procPath() });
  }
  /** A non-blocking read of our own description: bytes read (0: end of file), or null (none now). */
  private tryRead(dst: Uint8Array): number | null {
    if (this.nb === null || this.inFlight || dst.length === 0) return null;
    try {
      return readSync(this.nb, dst, 0, dst.length, null);
    } catch (e) {
      if (isEagain(e)) return null;
      throw e;
    }
  }
  /** A read that does not wait: what is buffered or readable now, or EAGAIN — after asking the
   *  worker for dst.length bytes if `ask` (a blocking read about to wait; a non-blocking one must
   *  not leave a read pending that would take bytes nobody asked for yet). */
  private readQueued(dst: Uint8Array, ask: boolean): number {
    if (this.inFlight) hostIo().pump();
    if (this.buffered.length) {
      const n = Math.min(dst.length, this.buffered.length);
      dst.set(this.buffered.subarray(0, n));
      this.buffered = this.buffered.slice(n);
      // The rest of the request from the fd, if it is there now (a poll's byte plus the line).
      const more = n < dst.length && this.buffered.length === 0 ? this.tryRead(dst.subarray(n)) : null;
      return n + (more ?? 0);
    }
    if (this.error) {
      const e = this.error;
      this.error = null;
      fail(toErrno(e));
    }
    if (this.eof) {
      this.eof = false; // a terminal's EOF (Ctrl-D) is one read's worth
      return 0;
    }
    const now = this.tryRead(dst);
    if (now !== null) return now;
    if (ask || this.nb === null) this.request(dst.length);
    return fail('EAGAIN');
  }
  /** POLL* bits; for an fd that may block, known only once something was read. */
  override readiness(): number {
    const out = this.writable ? POLL.OUT | POLL.WRNORM : 0;
    if (!this.readable) return out;
    if (!this.mayBlock()) return out | POLL.IN | POLL.RDNORM;
    if (this.inFlight) hostIo().pump();
    if (!this.buffered.length && !this.eof && !this.error) {
      const one = new Uint8Array(1);
      const n = this.tryRead(one);
      if (n === 1) this.keep(one);
      else if (n === 0) this.eof = true;
      else this.request(1);
    }
    if (this.buffered.length || this.eof || this.error) return out | POLL.IN | POLL.RDNORM;
    return out;
  }
  override available(): number {
    return this.buffered.length;
  }
  override release(): void {
    if (this.nb !== null) closeSync(this.nb);
    this.nb = null;
  }
  override read(dst: Uint8Array): number {
    if (!this.readable) fail('EBADF');
    if (this.mayBlock() && dst.length > 0) {
      try {
        return this.readQueued(dst, !this.nonblock);
      } catch (e) {
        if (this.nonblock || !(typeof e === 'object' && e !== null && 'code' in e && e.code === 'EAGAIN')) throw e;
      }
      throw new Block({
        deadline: null,
        polled: true,
        restartable: true,
        poll: () => {
          try {
            return this.readQueued(dst, true);
          } catch (e) {
            if (typeof e === 'object' && e !== null && 'code' in e && e.code === 'EAGAIN') return null;
            throw e;
          }
        },
      });
    }
    for (;;) {
      try {
        return readSync(this.fd, dst, 0, dst.length, null);
      } catch (e) {
        if (!isEagain(e) || this.nonblock) throw e;
        sleepMs(5);
      }
    }
  }
  override write(src: Uint8Array): number {
    if (!this.writable) fail('EBADF');
    let done = 0;
    while (done < src.length) {
      try {
        done += writeSync(this.fd, src, done, src.length - done, null);
      } catch (e) {
        if (!isEagain(e)) throw e;
        if (this.nonblock) {
          if (done > 0) return done;
          throw e;
        }
        sleepMs(5);
      }
    }
    return done;
  }
  override stat(): VfsStat {
    const s = fstatSync(this.fd, { bigint: true });
    return {
      dev: s.dev, ino: s.ino, mode: Number(s.mode), nlink: Number(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
      rdev: s.rdev, size: Number(s.size), blksize: Number(s.blksize), blocks: Number(s.blocks),
      atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, birthtimeNs: s.birthtimeNs,
    };
  }
  override isTerminal(): boolean {
    return hostIsatty(this.fd);
  }
  /** The host fd: for the terminal size, and as a host program's stdio when the guest execs one. */
  hostFd(): number {
    return this.fd;
  }
}

/** stdout/stderr into a callback. The callback gets a copy: it may keep it. */
export class SinkFile extends FileDescription {
  constructor(private readonly sink: (b: Uint8Array) => void, path: string, statusFlags: number, private readonly ino: number) {
    super(path, false, true, statusFlags);
  }
  override read(): number {
    return fail('EBADF');
  }
  override write(src: Uint8Array): number {
    if (src.length) this.sink(src.slice());
    return src.length;
  }
  override stat(): VfsStat {
    return fifoStat(this.ino);
  }
}

/** stdin from fixed bytes: reads consume them, then EOF. */
export class BytesFile extends FileDescription {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array, path: string, statusFlags: number, private readonly ino: number) {
    super(path, true, false, statusFlags);
  }
  override read(dst: Uint8Array): number {
    const part = this.bytes.subarray(this.pos, this.pos + dst.length);
    dst.set(part);
    this.pos += part.length;
    return part.length;
  }
  override write(): number {
    return fail('EBADF');
  }
  override available(): number {
    return this.bytes.length - this.pos;
  }
  override stat(): VfsStat {
    return fifoStat(this.ino);
  }
}
