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
  /** Every anonymous file says what it is ready for. */
  abstract override readiness(): number;
}
