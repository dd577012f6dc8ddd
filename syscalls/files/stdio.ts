// The guest's fds 0/1/2 as RunOptions gives them: a host fd, in-memory bytes (stdin), or a byte
// sink (stdout/stderr). Closing them in the guest never closes crossrun's own host fds.
import * as fs from 'node:fs';
import { isatty } from 'node:tty';
import { S_IF } from '../abi/common.js';
import { fail } from '../errors.js';
import { sleepMs } from '../sleep.js';
import type { VfsStat } from '../vfs.js';
import { FileDescription } from './description.js';

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

/** A host fd. If the host fd is non-blocking (node may set that on pipes and ttys) and the guest's
 *  is not, EAGAIN is waited out in short sleeps: node has no blocking poll for a single fd. */
export class HostFdFile extends FileDescription {
  constructor(private readonly fd: number, path: string, readable: boolean, writable: boolean, statusFlags: number) {
    super(path, readable, writable, statusFlags);
  }
  override read(dst: Uint8Array): number {
    if (!this.readable) fail('EBADF');
    for (;;) {
      try {
        return fs.readSync(this.fd, dst, 0, dst.length, null);
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
        done += fs.writeSync(this.fd, src, done, src.length - done, null);
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
    const s = fs.fstatSync(this.fd, { bigint: true });
    return {
      dev: s.dev, ino: s.ino, mode: Number(s.mode), nlink: Number(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
      rdev: s.rdev, size: Number(s.size), blksize: Number(s.blksize), blocks: Number(s.blocks),
      atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, birthtimeNs: s.birthtimeNs,
    };
  }
  override isTerminal(): boolean {
    return isatty(this.fd);
  }
  /** The host fd, for the terminal size. */
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
