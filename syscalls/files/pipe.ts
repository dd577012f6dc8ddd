// pipe2: an in-memory byte queue inside the process.
//
// With one guest task, nothing can run while a read blocks, so blocking is never useful:
// - read of an empty pipe: EOF (0) when no write end is open, else EAGAIN (for a blocking fd the
//   caller also notes it under -d unimp: a real kernel would wait for a writer that cannot run).
// - write: never blocks; the queue grows past the 64 KiB a kernel pipe holds. Writing with no read
//   end open fails with EPIPE (the caller raises SIGPIPE).
// When guest tasks arrive, reads and writes that would block become task switches.
import { S_IF } from '../abi/common.js';
import { fail } from '../errors.js';
import type { VfsStat } from '../vfs.js';
import { FileDescription } from './description.js';

let nextPipeId = 1;
const PIPE_DEV = 0xcn; // pipefs' anonymous device
const BORN_NS = BigInt(Date.now()) * 1_000_000n;
export const PIPE_CAPACITY = 65536;

export class PipeBuffer {
  readers = 0;
  writers = 0;
  size = 0;
  readonly id = nextPipeId++;
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes already consumed from chunks[0]

  push(src: Uint8Array): void {
    this.chunks.push(src.slice()); // the guest's buffer is reused after write() returns
    this.size += src.length;
  }
  take(dst: Uint8Array): number {
    let n = 0;
    while (n < dst.length && this.chunks.length) {
      const c = this.chunks[0];
      const k = Math.min(dst.length - n, c.length - this.head);
      dst.set(c.subarray(this.head, this.head + k), n);
      n += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.size -= n;
    return n;
  }
}

export class PipeEnd extends FileDescription {
  constructor(readonly pipe: PipeBuffer, end: 'r' | 'w', statusFlags: number) {
    super(`pipe:[${pipe.id}]`, end === 'r', end === 'w', statusFlags);
    if (end === 'r') pipe.readers++;
    else pipe.writers++;
  }

  override read(dst: Uint8Array): number {
    if (!this.readable) fail('EBADF');
    if (dst.length === 0) return 0;
    if (this.pipe.size > 0) return this.pipe.take(dst);
    return this.pipe.writers > 0 ? fail('EAGAIN') : 0;
  }
  override write(src: Uint8Array): number {
    if (!this.writable) fail('EBADF');
    if (src.length === 0) return 0;
    if (this.pipe.readers === 0) fail('EPIPE');
    this.pipe.push(src);
    return src.length;
  }
  override stat(): VfsStat {
    return {
      dev: PIPE_DEV, ino: BigInt(this.pipe.id), mode: S_IF.FIFO | 0o600, nlink: 1,
      uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, rdev: 0n, size: 0, blksize: 4096, blocks: 0,
      atimeNs: BORN_NS, mtimeNs: BORN_NS, ctimeNs: BORN_NS, birthtimeNs: BORN_NS,
    };
  }
  override available(): number {
    return this.pipe.size;
  }
  override release(): void {
    if (this.readable) this.pipe.readers--;
    else this.pipe.writers--;
  }
}
