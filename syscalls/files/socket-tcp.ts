// AF_INET/AF_INET6 stream sockets: real host TCP sockets owned by the host I/O worker. What the
// guest may ask synchronously (readable bytes, connected, errors, pending connections) is kept
// here from the worker's events, so checks never wait for the worker.
//
// bind() already listens on the host (Node has no bind without listen): the address is taken,
// EADDRINUSE and the ephemeral port are known at bind time, and listen() only starts handing out
// connections. A bound socket that connects instead gives its port back and connects from it.
import { fail, type ErrnoName } from '../errors.js';
import { hostIo, toErrno, type HostAddr, type HostIoEvent } from '../host-io/host-io.js';
import { ByteQueue } from '../net/byte-queue.js';
import { AF, SHUT, SOCK } from '../net/consts.js';
import type { SockAddr } from '../net/sockaddr.js';
import { POLL } from './description.js';
import { SocketFile, type Received, type SendOpts } from './socket.js';

/** Receive queue size above which the worker stops reading the host socket, and below which it
 *  starts again: the host's TCP window then slows the sender, as a full kernel buffer would. */
const RX_HIGH = 4 << 20;
const RX_LOW = 1 << 20;
let nextId = 1;

type State = 'new' | 'bound' | 'listening' | 'connecting' | 'connected' | 'failed' | 'closed';

export function fromHost(a: HostAddr, inet6: boolean): SockAddr {
  if (!inet6) return { family: 'inet', host: a.address.replace(/^::ffff:/, ''), port: a.port };
  const host = a.family === 4 ? `::ffff:${a.address}` : a.address;
  return { family: 'inet6', host, port: a.port, scope: 0 };
}

export function hostOf(sa: SockAddr, inet6: boolean): { host: string; port: number } {
  if (sa.family === 'inet' && !inet6) return { host: sa.host, port: sa.port };
  if (sa.family === 'inet6' && inet6) return { host: sa.host, port: sa.port };
  return fail(inet6 ? 'EINVAL' : 'EAFNOSUPPORT');
}

export class TcpSocket extends SocketFile {
  private state: State = 'new';
  private id = nextId++;
  private readonly rx = new ByteQueue();
  private eof = false;
  private rdShut = false;
  private wrShut = false;
  private paused = false;
  private error: ErrnoName | null = null;
  /** The host connection is gone (reset, or closed): every later send fails with EPIPE. */
  private broken = false;
  private local: SockAddr;
  private remote: SockAddr | null = null;
  private readonly pending: TcpSocket[] = [];
  private readonly inet6: boolean;

  constructor(domain: number, statusFlags: number) {
    super(domain, SOCK.SOCK_STREAM, 6, statusFlags);
    this.inet6 = domain === AF.AF_INET6;
    this.local = this.inet6 ? { family: 'inet6', host: '::', port: 0, scope: 0 } : { family: 'inet', host: '0.0.0.0', port: 0 };
  }

  /** A connection the worker accepted for a listening socket. */
  private static accepted(parent: TcpSocket, cid: number, local: HostAddr, remote: HostAddr): TcpSocket {
    const s = new TcpSocket(parent.domain, parent.statusFlags);
    s.id = cid;
    s.state = 'connected';
    s.local = fromHost(local, s.inet6);
    s.remote = fromHost(remote, s.inet6);
    for (const [k, v] of parent.options) s.options.set(k, v);
    hostIo().listen(cid, (ev) => s.onEvent(ev));
    return s;
  }

  private onEvent(ev: HostIoEvent): void {
    switch (ev.t) {
      case 'connected':
        this.state = 'connected';
        this.local = fromHost(ev.local, this.inet6);
        this.remote = fromHost(ev.remote, this.inet6);
        this.arrived++;
        break;
      case 'accept':
        this.pending.push(TcpSocket.accepted(this, ev.cid, ev.local, ev.remote));
        this.arrived++;
        break;
      case 'data':
        this.rx.push(ev.data);
        this.arrived++;
        if (!this.paused && this.rx.size > RX_HIGH) {
          this.paused = true;
          hostIo().post({ op: 'pause', id: this.id });
        }
        break;
      case 'eof':
        this.eof = true;
        this.arrived++;
        break;
      case 'error':
        if (this.state === 'connecting') this.state = 'failed';
        else this.broken = true;
        this.error = toErrno(ev.code);
        this.arrived++;
        break;
      case 'closed':
        if (this.state === 'connected') this.eof = this.broken = true;
        this.arrived++;
        break;
      default:
        break;
    }
  }

  private sync(): void {
    if (this.state !== 'new' && this.state !== 'closed') hostIo().pump();
  }

  override bind(sa: SockAddr): void {
    if (this.state !== 'new') fail('EINVAL');
    const { host, port } = hostOf(sa, this.inet6);
    const io = hostIo();
    io.listen(this.id, (ev) => this.onEvent(ev));
    const a = io.call({ op: 'listen', id: this.id, host, port, v6only: (this.options.get('IPV6_V6ONLY') ?? 0) !== 0, backlog: 511 });
    this.local = fromHost(a, this.inet6);
    this.state = 'bound';
  }
  override listen(backlog: number): void {
    void backlog;
    if (this.state === 'listening') return;
    if (this.state === 'new') this.bind(this.local);
    if (this.state !== 'bound') fail('EINVAL');
    this.state = 'listening';
  }
  override listening(): boolean {
    return this.state === 'listening';
  }
  override accept(): SocketFile {
    if (this.state !== 'listening') fail('EINVAL');
    this.sync();
    return this.pending.shift() ?? fail('EAGAIN');
  }
  override connect(sa: SockAddr): boolean {
    if (this.state === 'connecting') fail('EALREADY');
    if (this.state === 'connected') fail('EISCONN');
    if (this.state === 'listening' || this.state === 'failed' || this.state === 'closed') fail('EINVAL');
    const { host, port } = hostOf(sa, this.inet6);
    const io = hostIo();
    let localHost: string | undefined;
    let localPort: number | undefined;
    if (this.state === 'bound') {
      // Give the listening host socket back and connect from its address.
      const l = this.local as { host: string; port: number };
      io.post({ op: 'close', id: this.id });
      localHost = l.host;
      localPort = l.port;
      this.id = nextId++;
    }
    io.listen(this.id, (ev) => this.onEvent(ev));
    io.post({
      op: 'connect', id: this.id, host, port, localHost, localPort,
      noDelay: (this.options.get('TCP_NODELAY') ?? 0) !== 0, keepAlive: (this.options.get('SO_KEEPALIVE') ?? 0) !== 0,
    });
    this.state = 'connecting';
    return false;
  }
  override connectDone(): ErrnoName | 'ok' | null {
    this.sync();
    if (this.state === 'connecting') return null;
    if (this.state === 'failed') {
      const e = this.error ?? 'ECONNREFUSED';
      this.error = null;
      return e;
    }
    return 'ok';
  }
  override send(src: Uint8Array): number {
    this.sync();
    if (this.state === 'connecting') fail('EAGAIN');
    // Linux: EPIPE on a stream socket that never connected (or failed to).
    if (this.state !== 'connected') fail(this.state === 'listening' ? 'ENOTCONN' : 'EPIPE');
    if (this.error) {
      const e = this.error;
      this.error = null;
      fail(e === 'ECONNRESET' ? e : 'EPIPE');
    }
    if (this.wrShut || this.broken) fail('EPIPE');
    hostIo().post({ op: 'write', id: this.id, data: src.slice() });
    return src.length;
  }
  override recv(dst: Uint8Array, opts: SendOpts): Received {
    this.sync();
    if (this.state === 'connecting') fail('EAGAIN');
    if (this.state !== 'connected') fail('ENOTCONN');
    if (this.rx.size > 0) {
      const n = this.rx.take(dst, opts.peek);
      if (this.paused && this.rx.size < RX_LOW) {
        this.paused = false;
        hostIo().post({ op: 'resume', id: this.id });
      }
      return { n, full: n, from: null };
    }
    if (this.error === 'ECONNRESET') {
      this.error = null;
      this.eof = true;
      fail('ECONNRESET');
    }
    if (this.eof || this.rdShut) return { n: 0, full: 0, from: null };
    return fail('EAGAIN');
  }
  override shutdown(how: number): void {
    if (how < SHUT.SHUT_RD || how > SHUT.SHUT_RDWR) fail('EINVAL');
    this.sync();
    if (this.state !== 'connected') fail('ENOTCONN');
    if (how !== SHUT.SHUT_WR) this.rdShut = true;
    if (how !== SHUT.SHUT_RD && !this.wrShut) {
      this.wrShut = true;
      hostIo().post({ op: 'end', id: this.id });
    }
  }
  override localName(): SockAddr {
    this.sync();
    return this.local;
  }
  override peerName(): SockAddr {
    this.sync();
    if (this.state !== 'connected' || !this.remote) fail('ENOTCONN');
    return this.remote;
  }
  override takeError(): ErrnoName | null {
    this.sync();
    const e = this.error;
    this.error = null;
    return e;
  }
  override optionChanged(name: string, value: number): void {
    if (this.state !== 'connected' && this.state !== 'connecting') return;
    if (name === 'TCP_NODELAY') hostIo().post({ op: 'opt', id: this.id, noDelay: value !== 0 });
    if (name === 'SO_KEEPALIVE') hostIo().post({ op: 'opt', id: this.id, keepAlive: value !== 0 });
  }
  override readiness(): number {
    this.sync();
    switch (this.state) {
      case 'listening': return this.pending.length ? POLL.IN | POLL.RDNORM : 0;
      case 'connecting': return 0;
      case 'failed': return POLL.OUT | POLL.WRNORM | POLL.ERR | POLL.HUP;
      case 'connected': {
        let r = POLL.OUT | POLL.WRNORM;
        if (this.rx.size > 0 || this.eof || this.rdShut) r |= POLL.IN | POLL.RDNORM;
        if (this.eof) r |= POLL.RDHUP;
        if (this.eof && this.wrShut) r |= POLL.HUP;
        if (this.error) r |= POLL.ERR;
        return r;
      }
      default: return POLL.OUT | POLL.WRNORM | POLL.HUP;
    }
  }
  override available(): number {
    this.sync();
    return this.rx.size;
  }
  override release(): void {
    if (this.state === 'new') return;
    const io = hostIo();
    io.post({ op: 'close', id: this.id });
    io.unlisten(this.id);
    for (const s of this.pending) s.release();
    this.state = 'closed';
  }
}
