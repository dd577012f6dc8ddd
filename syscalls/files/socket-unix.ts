// AF_UNIX sockets, entirely inside crossrun: a connected stream pair is two byte queues (like a
// pipe in each direction), a datagram socket a queue of messages. Names bound with bind() live in
// a registry keyed by the resolved guest path (or the abstract name), shared by every guest
// process of this crossrun, so they work across fork; no file appears in the host file system and
// host programs cannot connect to them.
import { fail, type ErrnoName } from '../errors.js';
import { POLL, type FileDescription } from './description.js';
import { ByteQueue } from '../net/byte-queue.js';
import { AF, SHUT, SOCK } from '../net/consts.js';
import type { SockAddr } from '../net/sockaddr.js';
import { SocketFile, dropRights, type Received, type SendOpts } from './socket.js';

/** Bound AF_UNIX names → the socket bound there. */
const registry = new Map<string, UnixSocket>();
const UNNAMED: SockAddr = { family: 'unix', path: '' };
/** What a unix datagram queue holds before senders get EAGAIN (the kernel's default max_dgram_qlen). */
const DGRAM_QLEN = 512;

export abstract class UnixSocket extends SocketFile {
  /** The registry key (resolved path or abstract name)… */
  name: string | null = null;
  /** …and the path as the guest gave it, which getsockname reports. */
  shownName: string | null = null;
  peer: UnixSocket | null = null;
  /** This end can no longer receive (peer shut its writing side or went away). */
  rcvShut = false;
  /** This end can no longer send. */
  sndShut = false;

  constructor(type: number, statusFlags: number) {
    super(AF.AF_UNIX, type, 0, statusFlags);
  }
  override bind(sa: SockAddr): void {
    if (sa.family !== 'unix') fail('EINVAL');
    if (this.name !== null) fail('EINVAL');
    if (sa.path === '') fail('EINVAL'); // autobind to an abstract name: not supported
    // A path's uniqueness is the file bind created (handlers/net.ts); an abstract name has only this.
    if (sa.path.startsWith('\0') && registry.has(sa.path)) fail('EADDRINUSE');
    registry.set(sa.path, this);
    this.name = sa.path;
  }
  override localName(): SockAddr {
    return this.name === null ? UNNAMED : { family: 'unix', path: this.shownName ?? this.name };
  }
  override peerName(): SockAddr {
    if (!this.peer) fail('ENOTCONN');
    return this.peer.localName();
  }
  override shutdown(how: number): void {
    if (how < SHUT.SHUT_RD || how > SHUT.SHUT_RDWR) fail('EINVAL');
    if (!this.peer && this.type === SOCK.SOCK_STREAM) fail('ENOTCONN');
    if (how !== SHUT.SHUT_WR) this.rcvShut = true;
    if (how !== SHUT.SHUT_RD) {
      this.sndShut = true;
      if (this.peer) {
        this.peer.rcvShut = true;
        this.peer.arrived++;
      }
    }
  }
  override release(): void {
    if (this.name !== null && registry.get(this.name) === this) registry.delete(this.name);
    const peer = this.peer;
    if (peer) {
      peer.rcvShut = peer.sndShut = true;
      peer.peerGone = true;
      peer.arrived++;
    }
  }
  /** The peer closed its last fd. */
  peerGone = false;
  override passesRights(): boolean {
    return true;
  }
}

/** Files sent along with the stream bytes [pos, end) (the data of their sendmsg). */
interface StreamRights {
  readonly pos: number;
  readonly end: number;
  readonly files: readonly FileDescription[];
}

export class UnixStreamSocket extends UnixSocket {
  readonly rx = new ByteQueue();
  /** Stream positions: bytes ever queued to rx, bytes ever taken from it. */
  private pushed = 0;
  private taken = 0;
  private rights: StreamRights[] = [];
  private backlog: UnixStreamSocket[] | null = null;
  private backlogMax = 0;

  constructor(statusFlags: number, type: number = SOCK.SOCK_STREAM) {
    super(type, statusFlags);
  }

  /** Two connected ends (socketpair). */
  static pair(statusFlags: number, type: number): [UnixStreamSocket, UnixStreamSocket] {
    const a = new UnixStreamSocket(statusFlags, type);
    const b = new UnixStreamSocket(statusFlags, type);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }
  override listening(): boolean {
    return this.backlog !== null;
  }
  override listen(backlog: number): void {
    if (this.peer) fail('EINVAL');
    if (this.name === null) fail('EINVAL'); // autobind is not supported
    this.backlog ??= [];
    this.backlogMax = Math.max(1, Math.min(backlog, 4096));
  }
  override accept(): SocketFile {
    if (!this.backlog) fail('EINVAL');
    return this.backlog.shift() ?? fail('EAGAIN');
  }
  override connect(sa: SockAddr): boolean {
    if (sa.family !== 'unix') fail('EINVAL');
    if (this.peer) fail('EISCONN');
    const target = registry.get(sa.path);
    if (!target) fail('ECONNREFUSED'); // no such name (Linux: ENOENT for a path with no socket)
    if (!(target instanceof UnixStreamSocket) || target.type !== this.type) fail('EPROTOTYPE');
    if (!target.backlog) fail('ECONNREFUSED');
    if (target.backlog.length > target.backlogMax) fail('EAGAIN');
    const server = new UnixStreamSocket(this.statusFlags & 0, this.type);
    server.name = target.name;
    server.shownName = target.shownName;
    server.peer = this;
    this.peer = server;
    target.backlog.push(server);
    target.arrived++;
    return true;
  }
  override send(src: Uint8Array, _to: SockAddr | null, rights?: readonly FileDescription[]): number {
    const peer = this.peer as UnixStreamSocket | null;
    if (!peer) fail('ENOTCONN');
    if (this.sndShut || this.peerGone) fail('EPIPE');
    if (src.length === 0) {
      dropRights(rights); // files need at least one byte to travel with on a stream
      return 0;
    }
    if (rights?.length) peer.rights.push({ pos: peer.pushed, end: peer.pushed + src.length, files: rights });
    peer.rx.push(src.slice());
    peer.pushed += src.length;
    peer.arrived++;
    return src.length;
  }
  override recv(dst: Uint8Array, opts: SendOpts): Received {
    if (this.rx.size > 0) {
      // Files arrive with the read that takes their message's first byte, and that read ends with
      // their message; no read runs on into a later message that carries files (Linux keeps
      // such messages apart).
      const first = this.rights[0];
      const carries = first !== undefined && first.pos === this.taken;
      const limit = Math.min(dst.length, carries ? first.end - this.taken : first ? first.pos - this.taken : dst.length);
      const n = this.rx.take(dst.subarray(0, limit), opts.peek);
      if (opts.peek) return { n, full: n, from: null };
      this.taken += n;
      if (carries) this.rights.shift();
      return { n, full: n, from: null, rights: carries ? first.files : undefined };
    }
    if (this.rcvShut || this.peerGone) return { n: 0, full: 0, from: null };
    if (!this.peer) fail('ENOTCONN');
    return fail('EAGAIN');
  }
  override readiness(): number {
    if (this.backlog) return this.backlog.length ? POLL.IN | POLL.RDNORM : 0;
    let r = 0;
    if (this.rx.size > 0) r |= POLL.IN | POLL.RDNORM;
    if (this.rcvShut) r |= POLL.IN | POLL.RDNORM | POLL.RDHUP;
    if (this.rcvShut && this.sndShut) r |= POLL.HUP;
    if (this.peer && !this.sndShut) r |= POLL.OUT | POLL.WRNORM;
    if (!this.peer && !this.peerGone) r |= POLL.OUT | POLL.WRNORM | POLL.HUP;
    return r;
  }
  override available(): number {
    return this.rx.size;
  }
  override release(): void {
    super.release();
    for (const r of this.rights) dropRights(r.files);
    this.rights = [];
    for (const s of this.backlog ?? []) s.release();
  }
}

interface Datagram {
  readonly data: Uint8Array;
  readonly from: SockAddr;
  readonly rights?: readonly FileDescription[];
}

export class UnixDgramSocket extends UnixSocket {
  readonly queue: Datagram[] = [];
  /** connect()ed destination (socketpair: the other end). */
  private target: UnixDgramSocket | null = null;

  constructor(statusFlags: number) {
    super(SOCK.SOCK_DGRAM, statusFlags);
  }
  static pair(statusFlags: number): [UnixDgramSocket, UnixDgramSocket] {
    const a = new UnixDgramSocket(statusFlags);
    const b = new UnixDgramSocket(statusFlags);
    a.peer = a.target = b;
    b.peer = b.target = a;
    return [a, b];
  }
  override connect(sa: SockAddr): boolean {
    if (sa.family === 'unspec') {
      this.target = this.peer = null;
      return true;
    }
    this.target = this.peer = this.lookup(sa);
    return true;
  }
  private lookup(sa: SockAddr): UnixDgramSocket {
    if (sa.family !== 'unix') fail('EINVAL');
    const t = registry.get(sa.path);
    if (!t) fail('ECONNREFUSED');
    if (!(t instanceof UnixDgramSocket)) fail('EPROTOTYPE');
    return t;
  }
  override send(src: Uint8Array, to: SockAddr | null, rights?: readonly FileDescription[]): number {
    if (this.sndShut) fail('EPIPE');
    let dest: UnixDgramSocket;
    if (to) dest = this.lookup(to);
    else if (this.target) dest = this.target;
    else return fail(this.peerGone ? 'ECONNREFUSED' : 'ENOTCONN');
    if (dest.peerGone && dest === this.target) fail('ECONNREFUSED');
    if (dest.queue.length >= DGRAM_QLEN) fail('EAGAIN');
    dest.queue.push({ data: src.slice(), from: this.localName(), rights });
    dest.arrived++;
    return src.length;
  }
  override recv(dst: Uint8Array, opts: SendOpts): Received {
    const d = this.queue[0];
    if (!d) {
      if (this.rcvShut) return { n: 0, full: 0, from: null };
      return fail('EAGAIN');
    }
    if (!opts.peek) this.queue.shift();
    const n = Math.min(dst.length, d.data.length);
    dst.set(d.data.subarray(0, n));
    return { n, full: d.data.length, from: d.from, rights: opts.peek ? undefined : d.rights };
  }
  override release(): void {
    super.release();
    for (const d of this.queue.splice(0)) dropRights(d.rights);
  }
  override readiness(): number {
    let r = POLL.OUT | POLL.WRNORM;
    if (this.queue.length || this.rcvShut) r |= POLL.IN | POLL.RDNORM;
    if (this.rcvShut) r |= POLL.RDHUP;
    if (this.rcvShut && this.sndShut) r |= POLL.HUP;
    return r;
  }
  override available(): number {
    return this.queue[0]?.data.length ?? 0;
  }
  override takeError(): ErrnoName | null {
    return null;
  }
}
