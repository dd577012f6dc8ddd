// The per-process fd table: guest fd → open file description, with the close-on-exec flag.
import { fail } from './errors.js';
import type { FileDescription } from './files/description.js';

export interface FdEntry {
  readonly file: FileDescription;
  cloexec: boolean;
}

export class FdTable {
  private slots: Array<FdEntry | undefined> = [];
  /** RLIMIT_NOFILE's soft limit: fds are below it (EMFILE otherwise). */
  limit = 1024;
  /** Called when an fd closes (record locks are released on any close of the file). */
  onClose: (fd: number, file: FileDescription) => void = () => {};

  entry(fd: number): FdEntry {
    const e = fd >= 0 ? this.slots[fd] : undefined;
    return e ?? fail('EBADF');
  }
  get(fd: number): FileDescription {
    return this.entry(fd).file;
  }
  has(fd: number): boolean {
    return fd >= 0 && this.slots[fd] !== undefined;
  }

  /** Install at the lowest free fd ≥ minFd. */
  install(file: FileDescription, cloexec: boolean, minFd = 0): number {
    let fd = minFd;
    while (this.slots[fd]) fd++;
    if (fd >= this.limit) fail('EMFILE');
    this.put(fd, file, cloexec);
    return fd;
  }
  /** Install at exactly `fd`, closing what was there (dup2/dup3). */
  installAt(fd: number, file: FileDescription, cloexec: boolean): void {
    if (fd < 0 || fd >= this.limit) fail('EBADF');
    if (this.slots[fd]) this.close(fd);
    this.put(fd, file, cloexec);
  }
  private put(fd: number, file: FileDescription, cloexec: boolean): void {
    file.refs++;
    this.slots[fd] = { file, cloexec };
  }

  close(fd: number): void {
    const e = this.entry(fd);
    this.slots[fd] = undefined;
    this.onClose(fd, e.file);
    if (--e.file.refs === 0) e.file.release();
  }

  /** fork: a new table pointing at the same open file descriptions (offsets and status flags
   *  shared, each description counted once more per fd, so a pipe's last close is seen across
   *  processes). */
  fork(): FdTable {
    const t = new FdTable();
    t.limit = this.limit;
    this.slots.forEach((e, fd) => {
      if (e) t.put(fd, e.file, e.cloexec);
    });
    return t;
  }

  /** The process is gone: every fd closes. */
  closeAll(): void {
    this.slots.forEach((e, fd) => {
      if (e) this.close(fd);
    });
  }

  /** execve: drop the close-on-exec fds. */
  closeOnExec(): void {
    this.slots.forEach((e, fd) => {
      if (e?.cloexec) this.close(fd);
    });
  }

  /** Open fds in ascending order. */
  list(): Array<[number, FdEntry]> {
    const out: Array<[number, FdEntry]> = [];
    this.slots.forEach((e, fd) => {
      if (e) out.push([fd, e]);
    });
    return out;
  }
}
