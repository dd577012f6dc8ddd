// What every socket file shares: its type triple, options, and how a socket call that cannot
// proceed now becomes a wait (blocking fds) or EAGAIN (O_NONBLOCK, MSG_DONTWAIT). The kinds live
// in socket-unix.ts (in-process AF_UNIX), socket-tcp.ts and socket-udp.ts (host sockets through
// the host I/O worker).
import { S_IF } from '../abi/common.js';
import { Block, type Wait } from '../blocking.js';
import { SyscallError, fail, type ErrnoName } from '../errors.js';
import type { VfsStat } from '../vfs.js';
import { FileDescription } from './description.js';
import type { SockAddr } from '../net/sockaddr.js';

const BORN_NS = BigInt(Date.now()) * 1_000_000n;
const SOCK_DEV = 0x8n; // sockfs' anonymous device
let nextIno = 1;

export interface Received {
  /** Bytes copied into the buffer. */
  readonly n: number;
  /** The datagram's or message's full length (MSG_TRUNC), n for streams. */
  readonly full: number;
  readonly from: SockAddr | null;
  /** Files passed with SCM_RIGHTS, each holding one in-flight reference (see dropRights). */
  readonly rights?: readonly FileDescription[];
}

/** Take an in-flight reference (SCM_RIGHTS): the file stays open while it travels. */
export function holdRights(files: readonly FileDescription[]): void {
  for (const f of files) f.refs++;
}
/** Drop in-flight references nobody received. */
export function dropRights(files: readonly FileDescription[] | undefined): void {
  for (const f of files ?? []) if (--f.refs === 0) f.release();
}

/** Socket ownership details a send/recv needs beyond the bytes. */
export interface SendOpts {
  readonly peek?: boolean;
  readonly waitAll?: boolean;
}

export abstract class SocketFile extends FileDescription {
  private readonly ino = BigInt(nextIno++);
  /** Options the guest set (by SOCKOPTS name). */
  readonly options = new Map<string, number>();
  /** SO_RCVTIMEO / SO_SNDTIMEO in ns (0: none). */
  rcvTimeoNs = 0n;
  sndTimeoNs = 0n;

  constructor(
    readonly domain: number,
    readonly type: number,
    readonly protocol: number,
    statusFlags: number,
  ) {
    super(`socket:[${nextIno}]`, true, true, statusFlags);
  }

  abstract bind(sa: SockAddr): void;
  listen(_backlog: number): void {
    fail('EOPNOTSUPP');
  }
  /** A connection waiting in the backlog (EAGAIN when none). */
  accept(): SocketFile {
    return fail('EOPNOTSUPP');
  }
  /** Start connecting: true if connected at once, false if it completes later (connectDone). */
  abstract connect(sa: SockAddr): boolean;
  /** A pending connect's outcome: null while in progress, else the errno or 'ok'. */
  connectDone(): ErrnoName | 'ok' | null {
    return 'ok';
  }
  /** Send (EAGAIN when it would block). `rights`: files passed with SCM_RIGHTS (AF_UNIX only);
   *  the socket takes over their in-flight references. */
  abstract send(src: Uint8Array, to: SockAddr | null, rights?: readonly FileDescription[]): number;
  /** Whether this kind can pass files (SCM_RIGHTS). */
  passesRights(): boolean {
    return false;
  }
  /** Receive (EAGAIN when nothing is there; n = 0 at end of stream). */
  abstract recv(dst: Uint8Array, opts: SendOpts): Received;
  abstract shutdown(how: number): void;
  abstract localName(): SockAddr;
  abstract peerName(): SockAddr;
  /** POLL* bits. */
  abstract override readiness(): number;
  /** SO_ERROR: the pending error, cleared by reading it. */
  takeError(): ErrnoName | null {
    return null;
  }
  listening(): boolean {
    return false;
  }
  /** An option changed: kinds that forward options to the host override this. */
  optionChanged(_name: string, _value: number): void {}

  override read(dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    return blocking(this, false, this.rcvTimeoNs, () => {
      const r = this.recv(dst, {});
      dropRights(r.rights); // read(2) cannot receive files: they are closed
      return r.n;
    });
  }
  override write(src: Uint8Array): number {
    if (src.length === 0) return 0;
    return blocking(this, false, this.sndTimeoNs, () => this.send(src, null));
  }
  override available(): number {
    const peek = new Uint8Array(65536);
    try {
      return this.recv(peek, { peek: true }).n;
    } catch {
      return 0;
    }
  }
  override stat(): VfsStat {
    return {
      dev: SOCK_DEV, ino: this.ino, mode: S_IF.SOCK | 0o777, nlink: 1, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
      rdev: 0n, size: 0, blksize: 4096, blocks: 0, atimeNs: BORN_NS, mtimeNs: BORN_NS, ctimeNs: BORN_NS, birthtimeNs: BORN_NS,
    };
  }
}

function isEagain(e: unknown): boolean {
  return e instanceof SyscallError && e.code === 'EAGAIN';
}

/** Run op; if it would block on a blocking socket, wait (other tasks run) and retry it whenever
 *  the scheduler looks, until it completes or the timeout (SO_RCVTIMEO/SNDTIMEO) passes. */
export function blocking<T extends number | bigint>(f: SocketFile, dontWait: boolean, timeoutNs: bigint, op: () => T): T {
  try {
    return op();
  } catch (e) {
    if (!isEagain(e) || f.nonblock || dontWait) throw e;
  }
  const deadline = timeoutNs > 0n ? process.hrtime.bigint() + timeoutNs : null;
  const wait: Wait = {
    deadline,
    polled: true,
    restartable: deadline === null,
    poll: (timedOut) => {
      try {
        return op();
      } catch (e) {
        if (!isEagain(e)) throw e;
        return timedOut ? fail('EAGAIN') : null;
      }
    },
  };
  throw new Block(wait);
}
