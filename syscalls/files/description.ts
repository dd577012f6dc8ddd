// An open file description: what a guest fd points at, shared by dup'd fds (offset, status flags).
// Each kind (VFS file, directory, pipe end, stdio) overrides what it supports; the defaults fail
// the way Linux does for a file that cannot do the operation.
import { fail } from '../errors.js';
import type { VfsHandle, VfsStat } from '../vfs.js';

export interface DirEntry {
  readonly name: string;
  readonly ino: bigint;
  /** linux_dirent64 d_type (DT_*). */
  readonly type: number;
}

/** poll(2)/epoll event bits, the same on every ABI we run. */
export const POLL = { IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, NVAL: 0x20, RDNORM: 0x40, WRNORM: 0x100, RDHUP: 0x2000 } as const;

export abstract class FileDescription {
  /** fds pointing here; the description is released when the last one closes. */
  refs = 0;
  /** O_APPEND / O_NONBLOCK, changed by F_SETFL. */
  append = false;
  nonblock = false;
  /** Incremented whenever something arrives (data, a connection, a hang-up, an expiry): see
   *  arrivals(). */
  arrived = 0;

  constructor(
    /** Guest path (or a pseudo name like "pipe:[3]"), for /proc/self/fd and *at lookups. */
    readonly path: string,
    readonly readable: boolean,
    readonly writable: boolean,
    /** The guest's O_* status flags as F_GETFL reports them (guest numbering). */
    public statusFlags: number,
  ) {}

  /** POLL* bits the file is ready for now (poll, epoll). The default suits files, directories and
   *  terminals, which never block: ready for what they can do. */
  readiness(): number {
    return (this.readable ? POLL.IN | POLL.RDNORM : 0) | (this.writable ? POLL.OUT | POLL.WRNORM : 0);
  }
  /** How many times something arrived: a new edge for edge-triggered epoll on a file that stayed
   *  readable. Files that never count it report only readiness changes as edges. */
  arrivals(): number {
    return this.arrived;
  }

  read(_dst: Uint8Array): number {
    return fail('EINVAL');
  }
  write(_src: Uint8Array): number {
    return fail('EINVAL');
  }
  pread(_dst: Uint8Array, _pos: number): number {
    return fail('ESPIPE');
  }
  pwrite(_src: Uint8Array, _pos: number): number {
    return fail('ESPIPE');
  }
  /** lseek; returns the new offset. */
  seek(_offset: number, _whence: number): number {
    return fail('ESPIPE');
  }
  abstract stat(): VfsStat;
  isTerminal(): boolean {
    return false;
  }
  /** Directory listing from the current position, advancing it as the caller consumes entries. */
  readEntries(): { entries: readonly DirEntry[]; start: number; advance: (n: number) => void } {
    return fail('ENOTDIR');
  }
  isDirectory(): boolean {
    return false;
  }
  /** Bytes a read would return now (FIONREAD). */
  available(): number {
    return fail('ENOTTY');
  }
  /** The backend handle, for mmap, fchmod, ftruncate… (null for pipes and stdio). */
  handle(): VfsHandle | null {
    return null;
  }
  /** Identity of the underlying file, for record locks. */
  lockKey(): string {
    const s = this.stat();
    return `${s.dev}:${s.ino}`;
  }
  /** Called once, when the last fd referring to this description closes. */
  release(): void {}
}
