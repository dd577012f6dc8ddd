// pipe2: an in-memory byte queue shared by every guest process that holds an end (fork shares
// the open file descriptions). A kernel pipe's rules:
// - read of an empty pipe: EOF (0) once no write end is open in any process, else EAGAIN (the read
//   handler turns that into a blocking wait for a blocking fd).
// - write: EPIPE when no read end is open (the caller raises SIGPIPE). The pipe holds 64 KiB; a
//   write of at most PIPE_BUF bytes goes in whole or not at all (atomic); a bigger one goes in as
//   room frees. A blocking write that does not fit waits (Block) for readers to make room; with
//   O_NONBLOCK it writes what fits, or fails with EAGAIN when nothing (or, for ≤ PIPE_BUF, not
//   all) fits.
import { S_IF } from '../abi/common.js';
import { Block, pollProgress, type Wait } from '../blocking.js';
import { SyscallError, fail } from '../errors.js';
import type { VfsStat } from '../vfs.js';
import { FileDescription, POLL } from './description.js';

let nextPipeId = 1;
const PIPE_DEV = 0xcn; // pipefs' anonymous device
const BORN_NS = BigInt(Date.now()) * 1_000_000n;
export const PIPE_CAPACITY = 65536;
export const PIPE_BUF = 4096;

export class PipeBuffer {
  readers = 0;
  writers = 0;
  /** The open write ends (descriptions), for who-holds-what questions across processes. */
  readonly writeEnds = new Set<PipeEnd>();
  size = 0;
  /** Writes so far: each is a new edge for edge-triggered epoll (PipeEnd.arrivals()). */
  writes = 0;
  readonly id = nextPipeId++;
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes already consumed from chunks[0]

  push(src: Uint8Array): void {
    this.chunks.push(src.slice()); // the guest's buffer is reused after write() returns
    this.size += src.length;
    this.writes++;
    pollProgress.count++;
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
    if (n > 0) pollProgress.count++;
    return n;
  }
}

export class PipeEnd extends FileDescription {
  constructor(readonly pipe: PipeBuffer, end: 'r' | 'w', statusFlags: number) {
    super(`pipe:[${pipe.id}]`, end === 'r', end === 'w', statusFlags);
    if (end === 'r') pipe.readers++;
    else {
      pipe.writers++;
      pipe.writeEnds.add(this);
    }
  }

  /** As Linux: the read end is readable with data and hung up once no writer is left; the write
   *  end writable while not full, and in error once no reader is left. */
  override readiness(): number {
    const pipe = this.pipe;
    if (this.readable) return (pipe.size > 0 ? POLL.IN | POLL.RDNORM : 0) | (pipe.writers === 0 ? POLL.HUP : 0);
    return (pipe.size < PIPE_CAPACITY ? POLL.OUT | POLL.WRNORM : 0) | (pipe.readers > 0 ? 0 : POLL.ERR);
  }
  override arrivals(): number {
    return this.pipe.writes;
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
    const n = this.put(src);
    if (n === src.length) return n;
    if (this.nonblock) return n > 0 ? n : fail('EAGAIN');
    throw new Block(this.writeWait(src, n));
  }

  /** Put what may go in now (all of an atomic write or none; a bigger one as far as it fits). */
  private put(src: Uint8Array): number {
    const pipe = this.pipe;
    if (pipe.readers === 0) fail('EPIPE');
    const room = PIPE_CAPACITY - pipe.size;
    const n = src.length <= PIPE_BUF ? (room >= src.length ? src.length : 0) : Math.min(room, src.length);
    if (n > 0) pipe.push(src.subarray(0, n));
    return n;
  }

  /** A blocking write that did not fit: the rest goes in as readers make room. Interrupted after
   *  some progress, it returns the bytes written (and cannot restart). */
  private writeWait(src: Uint8Array, done0: number): Wait {
    let done = done0;
    return {
      deadline: null,
      polled: true,
      get restartable() {
        return done === 0;
      },
      poll: () => {
        try {
          done += this.put(src.subarray(done));
        } catch (e) {
          // The last reader went away: what was written counts, else EPIPE.
          if (e instanceof SyscallError && done > 0) return done;
          throw e;
        }
        return done === src.length ? done : null;
      },
      interrupted: () => (done > 0 ? done : fail('EINTR')),
    };
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
    else {
      this.pipe.writers--;
      this.pipe.writeEnds.delete(this);
    }
  }
}
