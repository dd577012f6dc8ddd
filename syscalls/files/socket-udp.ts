// AF_INET/AF_INET6 datagram sockets: host UDP sockets owned by the host I/O worker. Received
// datagrams queue here; connect() only records the peer (sends default to it, others' datagrams
// are dropped, as the kernel does), so it needs no round trip.
import { fail } from '../errors.js';
import { hostIo, type HostIoEvent } from '../host-io/host-io.js';
import { AF, SOCK } from '../net/consts.js';
import { ipv6ToBytes, type SockAddr } from '../net/sockaddr.js';
import { POLL } from './description.js';
import { SocketFile, type Received, type SendOpts } from './socket.js';
import { fromHost, hostOf } from './socket-tcp.js';

let nextId = 1_000_000_000; // apart from TCP ids, for readable worker traces
/** Datagrams kept before new ones are dropped (a full receive buffer). */
const MAX_QUEUE = 4096;

interface Datagram {
  readonly data: Uint8Array;
  readonly from: SockAddr;
}

export class UdpSocket extends SocketFile {
  private readonly id = nextId++;
  private bound = false;
  private local: SockAddr;
  private peer: SockAddr | null = null;
  private readonly queue: Datagram[] = [];
  private readonly inet6: boolean;

  constructor(domain: number, statusFlags: number) {
    super(domain, SOCK.SOCK_DGRAM, 17, statusFlags);
    this.inet6 = domain === AF.AF_INET6;
    this.local = this.inet6 ? { family: 'inet6', host: '::', port: 0, scope: 0 } : { family: 'inet', host: '0.0.0.0', port: 0 };
  }

  private onEvent(ev: HostIoEvent): void {
    if (ev.t !== 'dgram') return;
    const from = fromHost(ev.from, this.inet6);
    if (this.peer && !sameAddr(from, this.peer)) return;
    if (this.queue.length >= MAX_QUEUE) return;
    this.queue.push({ data: ev.data, from });
    this.arrived++;
  }

  override bind(sa: SockAddr): void {
    if (this.bound) fail('EINVAL');
    const { host, port } = hostOf(sa, this.inet6);
    const io = hostIo();
    io.listen(this.id, (ev) => this.onEvent(ev));
    const a = io.call({
      op: 'udpBind', id: this.id, family: this.inet6 ? 6 : 4, host, port,
      reuse: (this.options.get('SO_REUSEADDR') ?? 0) !== 0, v6only: (this.options.get('IPV6_V6ONLY') ?? 0) !== 0,
    });
    this.local = fromHost(a, this.inet6);
    this.bound = true;
  }
  private autobind(): void {
    if (!this.bound) this.bind(this.local);
  }
  override connect(sa: SockAddr): boolean {
    if (sa.family === 'unspec') {
      this.peer = null;
      return true;
    }
    hostOf(sa, this.inet6);
    this.autobind();
    this.peer = sa;
    return true;
  }
  override send(src: Uint8Array, to: SockAddr | null): number {
    const dest = to ?? this.peer ?? fail('EDESTADDRREQ');
    const { host, port } = hostOf(dest, this.inet6);
    if (src.length > 65507) fail('EMSGSIZE');
    this.autobind();
    hostIo().post({ op: 'udpSend', id: this.id, data: src.slice(), host, port });
    return src.length;
  }
  override recv(dst: Uint8Array, opts: SendOpts): Received {
    if (this.bound) hostIo().pump();
    const d = this.queue[0];
    if (!d) return fail('EAGAIN');
    if (!opts.peek) this.queue.shift();
    const n = Math.min(dst.length, d.data.length);
    dst.set(d.data.subarray(0, n));
    return { n, full: d.data.length, from: d.from };
  }
  override shutdown(): void {
    if (!this.peer) fail('ENOTCONN');
  }
  override localName(): SockAddr {
    return this.local;
  }
  override peerName(): SockAddr {
    return this.peer ?? fail('ENOTCONN');
  }
  override readiness(): number {
    if (this.bound) hostIo().pump();
    return POLL.OUT | POLL.WRNORM | (this.queue.length ? POLL.IN | POLL.RDNORM : 0);
  }
  override available(): number {
    if (this.bound) hostIo().pump();
    return this.queue[0]?.data.length ?? 0;
  }
  override release(): void {
    if (!this.bound) return;
    hostIo().post({ op: 'close', id: this.id });
    hostIo().unlisten(this.id);
  }
}

function sameAddr(a: SockAddr, b: SockAddr): boolean {
  if (a.family === 'unix' || a.family === 'unspec' || b.family === 'unix' || b.family === 'unspec') return false;
  if (a.port !== b.port) return false;
  const bytes = (x: { family: 'inet' | 'inet6'; host: string }) => (x.family === 'inet' ? ipv6ToBytes(`::ffff:${x.host}`) : ipv6ToBytes(x.host));
  return bytes(a).every((v, i) => v === bytes(b)[i]);
}
