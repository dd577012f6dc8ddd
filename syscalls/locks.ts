// fcntl record locks, kept as records. Owners: the process for classic POSIX locks (which never
// conflict with each other inside one process), an open file description for OFD locks. Waiting
// for a lock held by this same single-task process could never end, so F_SETLKW on a conflict
// fails with EDEADLK, as the kernel does when it detects a deadlock.

export type LockType = 'r' | 'w';

export interface LockRecord {
  readonly owner: object;
  readonly type: LockType;
  readonly start: number;
  /** Exclusive; Infinity for "to end of file, however it grows". */
  readonly end: number;
  /** For F_GETLK: the holder's pid, or -1 for OFD locks. */
  readonly pid: number;
}

export class LockTable {
  private byFile = new Map<string, LockRecord[]>();

  get empty(): boolean {
    return this.byFile.size === 0;
  }

  /** The first lock of another owner that would conflict with this request, if any. */
  conflict(key: string, owner: object, type: LockType, start: number, end: number): LockRecord | null {
    for (const l of this.byFile.get(key) ?? []) {
      if (l.owner === owner || l.end <= start || l.start >= end) continue;
      if (l.type === 'w' || type === 'w') return l;
    }
    return null;
  }

  /** Set (or with type null, clear) the owner's lock on [start, end), splitting its other locks. */
  set(key: string, owner: object, type: LockType | null, start: number, end: number, pid: number): void {
    const kept: LockRecord[] = [];
    for (const l of this.byFile.get(key) ?? []) {
      if (l.owner !== owner || l.end <= start || l.start >= end) {
        kept.push(l);
        continue;
      }
      if (l.start < start) kept.push({ ...l, end: start });
      if (l.end > end) kept.push({ ...l, start: end });
    }
    if (type) kept.push({ owner, type, start, end, pid });
    if (kept.length) this.byFile.set(key, kept);
    else this.byFile.delete(key);
  }

  /** Drop all of an owner's locks, on one file or on every file. */
  release(owner: object, key?: string): void {
    for (const k of key === undefined ? [...this.byFile.keys()] : [key]) {
      const rest = (this.byFile.get(k) ?? []).filter((l) => l.owner !== owner);
      if (rest.length) this.byFile.set(k, rest);
      else this.byFile.delete(k);
    }
  }
}
