// An open directory: getdents64 walks a listing taken when reading starts (and again after a
// rewind). The position cookie (d_off, lseek) is the index of the next entry.
import { SEEK } from '../abi/common.js';
import { fail } from '../errors.js';
import type { VfsHandle, VfsStat } from '../vfs.js';
import { FileDescription, type DirEntry } from './description.js';

export class DirFile extends FileDescription {
  private listing: DirEntry[] | null = null;
  private index = 0;

  constructor(
    path: string,
    private readonly h: VfsHandle | null,
    /** Produces the entries, "." and ".." first. */
    private readonly list: () => DirEntry[],
    private readonly statFn: () => VfsStat,
    statusFlags: number,
  ) {
    super(path, true, false, statusFlags);
  }

  override read(): number {
    return fail('EISDIR');
  }
  override write(): number {
    return fail('EBADF');
  }
  override isDirectory(): boolean {
    return true;
  }
  override readEntries(): { entries: readonly DirEntry[]; start: number; advance: (n: number) => void } {
    if (!this.listing) this.listing = this.list();
    return { entries: this.listing, start: this.index, advance: (n) => void (this.index += n) };
  }
  override seek(offset: number, whence: number): number {
    if (whence === SEEK.SEEK_CUR && offset === 0) return this.index;
    if (whence !== SEEK.SEEK_SET || offset < 0) fail('EINVAL');
    if (offset === 0) this.listing = null; // rewinddir sees a fresh listing
    return (this.index = offset);
  }
  override stat(): VfsStat {
    return this.statFn();
  }
  override handle(): VfsHandle | null {
    return this.h;
  }
  override release(): void {
    this.h?.close();
  }
}
