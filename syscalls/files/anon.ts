// Files without a path of their own (eventfd, signalfd, epoll): the kernel's anonymous inodes.
import type { VfsStat } from '../vfs.js';
import { FileDescription } from './description.js';

const BORN_NS = BigInt(Date.now()) * 1_000_000n;
const ANON_DEV = 0xdn;
let nextIno = 1;

export abstract class AnonFile extends FileDescription {
  private readonly ino = BigInt(nextIno++);

  constructor(kind: string, statusFlags: number) {
    super(`anon_inode:${kind}`, true, true, statusFlags);
  }
  override stat(): VfsStat {
    return {
      dev: ANON_DEV, ino: this.ino, mode: 0o600, nlink: 1, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
      rdev: 0n, size: 0, blksize: 4096, blocks: 0, atimeNs: BORN_NS, mtimeNs: BORN_NS, ctimeNs: BORN_NS, birthtimeNs: BORN_NS,
    };
  }
  /** Poll bits (POLLIN, POLLOUT…) the file reports now. */
  abstract readiness(): number;
  /** Incremented whenever something arrives (a write, an expiry): a new edge for edge-triggered
   *  epoll even while the file stays readable (readiness.ts arrivals()). */
  arrivals = 0;
}

/** poll(2)/epoll event bits, the same on every ABI we run. */
export const POLL = { IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, NVAL: 0x20, RDNORM: 0x40, WRNORM: 0x100, RDHUP: 0x2000 } as const;
