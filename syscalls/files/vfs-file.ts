// A file opened through the VFS (regular file, device, host FIFO), or a synthetic one (/proc):
// the guest-visible offset lives here so dup'd fds share it.
import { S_IF, S_IFMT, SEEK } from '../abi/common.js';
import { fail } from '../errors.js';
import type { VfsHandle, VfsStat } from '../vfs.js';
import { FileDescription } from './description.js';

export class VfsFile extends FileDescription {
  private pos = 0;

  constructor(path: string, private readonly h: VfsHandle, readable: boolean, writable: boolean, statusFlags: number) {
    super(path, readable, writable, statusFlags);
  }

  override read(dst: Uint8Array): number {
    if (!this.readable) fail('EBADF');
    const n = this.h.pread(dst, this.pos);
    if (!this.h.stream) this.pos += n;
    return n;
  }
  override write(src: Uint8Array): number {
    if (!this.writable) fail('EBADF');
    if (this.append && !this.h.stream) this.pos = this.h.stat().size;
    const n = this.h.pwrite(src, this.pos);
    if (!this.h.stream) this.pos += n;
    return n;
  }
  override pread(dst: Uint8Array, pos: number): number {
    if (!this.readable) fail('EBADF');
    if (this.h.stream) fail('ESPIPE');
    return this.h.pread(dst, pos);
  }
  override pwrite(src: Uint8Array, pos: number): number {
    if (!this.writable) fail('EBADF');
    if (this.h.stream) fail('ESPIPE');
    // Linux quirk kept: pwrite on an O_APPEND file appends regardless of pos.
    return this.h.pwrite(src, this.append ? this.h.stat().size : pos);
  }
  override seek(offset: number, whence: number): number {
    if (this.h.stream) {
      // Character devices accept lseek and stay at 0; FIFOs refuse it.
      if ((this.h.stat().mode & S_IFMT) === S_IF.FIFO) fail('ESPIPE');
      return 0;
    }
    let base: number;
    switch (whence) {
      case SEEK.SEEK_SET: base = 0; break;
      case SEEK.SEEK_CUR: base = this.pos; break;
      case SEEK.SEEK_END: base = this.h.stat().size; break;
      case SEEK.SEEK_DATA: {
        // No holes are tracked: all of the file is data.
        if (offset >= this.h.stat().size || offset < 0) fail('ENXIO');
        return (this.pos = offset);
      }
      case SEEK.SEEK_HOLE: {
        const size = this.h.stat().size;
        if (offset > size || offset < 0) fail('ENXIO');
        return (this.pos = size);
      }
      default: return fail('EINVAL');
    }
    const next = base + offset;
    if (next < 0 || !Number.isSafeInteger(next)) fail('EINVAL');
    return (this.pos = next);
  }
  override stat(): VfsStat {
    return this.h.stat();
  }
  override isTerminal(): boolean {
    return this.h.isTerminal();
  }
  override handle(): VfsHandle {
    return this.h;
  }
  override release(): void {
    this.h.close();
  }
}

/** A read-only in-memory file (for /proc): a VfsHandle over fixed bytes. */
export function bytesHandle(bytes: Uint8Array, st: VfsStat): VfsHandle {
  return {
    stream: false,
    pread: (dst, pos) => {
      const part = bytes.subarray(Math.min(pos, bytes.length), Math.min(pos + dst.length, bytes.length));
      dst.set(part);
      return part.length;
    },
    pwrite: () => fail('EACCES'),
    stat: () => ({ ...st, size: bytes.length }),
    truncate: () => fail('EACCES'),
    sync: () => {},
    chmod: () => fail('EPERM'),
    chown: () => fail('EPERM'),
    utimes: () => fail('EPERM'),
    close: () => {},
    isTerminal: () => false,
  };
}
