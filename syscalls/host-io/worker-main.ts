// The host I/O worker's code. It runs in a worker_threads Worker created from this function's
// source text (`eval: true`), so the same code works from the esbuild bundle and from vitest
// running src/ directly; it must therefore use nothing but its parameters and globals (no imports,
// no helpers from outside the function).
//
// It owns Node's net/dgram sockets and blocking host-fd reads. Everything it learns goes to the
// main thread as messages on `port` (read there synchronously with receiveMessageOnPort); after
// each message it bumps ctl[0] and notifies, which wakes an idle scheduler (Atomics.waitAsync) or
// a synchronous request waiting for its reply (Atomics.wait).
import type * as NetNs from 'node:net';
import type * as DgramNs from 'node:dgram';
import type * as FsNs from 'node:fs';
import type { MessagePort as PortT } from 'node:worker_threads';

/** Requests from the main thread. `rid`: a reply is expected. */
export type HostIoRequest =
  | { op: 'listen'; rid: number; id: number; host: string; port: number; v6only: boolean; backlog: number }
  | { op: 'connect'; id: number; host: string; port: number; localHost?: string; localPort?: number; noDelay: boolean; keepAlive: boolean }
  | { op: 'write'; id: number; data: Uint8Array }
  | { op: 'end'; id: number }
  | { op: 'close'; id: number }
  | { op: 'pause'; id: number }
  | { op: 'resume'; id: number }
  | { op: 'opt'; id: number; noDelay?: boolean; keepAlive?: boolean }
  | { op: 'udpBind'; rid: number; id: number; family: 4 | 6; host: string; port: number; reuse: boolean; v6only: boolean }
  | { op: 'udpSend'; id: number; data: Uint8Array; host: string; port: number }
  /** Read n bytes of host fd `fd`. With `path` (/proc/self/fd/N), through a non-blocking open file
   *  description of it, retried with a growing delay: no thread ever sits blocked in read(), so
   *  crossrun can exit while a read is pending. Without, a plain blocking read. */
  | { op: 'fdRead'; fd: number; n: number; path?: string };

export interface HostAddr {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/** Events and replies to the main thread. `id`s below 0 are connections the worker accepted. */
export type HostIoEvent =
  | { t: 'reply'; rid: number; err?: string; addr?: HostAddr }
  | { t: 'connected'; id: number; local: HostAddr; remote: HostAddr }
  | { t: 'accept'; id: number; cid: number; local: HostAddr; remote: HostAddr }
  | { t: 'data'; id: number; data: Uint8Array }
  | { t: 'eof'; id: number }
  | { t: 'error'; id: number; code: string }
  | { t: 'closed'; id: number }
  | { t: 'dgram'; id: number; data: Uint8Array; from: HostAddr }
  | { t: 'fdData'; fd: number; data?: Uint8Array; err?: string };

export function hostIoWorkerMain(req: (name: string) => unknown, port: PortT, ctl: Int32Array): void {
  const net = req('node:net') as typeof NetNs;
  const dgram = req('node:dgram') as typeof DgramNs;
  const fs = req('node:fs') as typeof FsNs;
  const streams = new Map<number, NetNs.Socket>();
  const servers = new Map<number, NetNs.Server>();
  const udps = new Map<number, DgramNs.Socket>();
  let nextAccepted = -1;
  /** Host fd → this worker's non-blocking open file description of it. */
  const nonBlocking = new Map<number, number>();

  const send = (ev: HostIoEvent): void => {
    const transfer = 'data' in ev && ev.data ? [ev.data.buffer as ArrayBuffer] : [];
    port.postMessage(ev, transfer);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  };
  const fam = (f: string | number): 4 | 6 => (f === 'IPv6' || f === 6 ? 6 : 4);
  const copy = (b: Buffer): Uint8Array => new Uint8Array(b);
  const codeOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'EIO');

  function watch(id: number, s: NetNs.Socket): void {
    streams.set(id, s);
    s.on('data', (b: Buffer) => send({ t: 'data', id, data: copy(b) }));
    s.on('end', () => send({ t: 'eof', id }));
    s.on('error', (e) => send({ t: 'error', id, code: codeOf(e) }));
    s.on('close', () => {
      streams.delete(id);
      send({ t: 'closed', id });
    });
  }
  const addrOf = (a: string | undefined, p: number | undefined, f: string | number | undefined): HostAddr => ({
    address: a ?? '0.0.0.0', port: p ?? 0, family: fam(f ?? 4),
  });

  const handlers: { [K in HostIoRequest['op']]: (m: Extract<HostIoRequest, { op: K }>) => void } = {
    listen(m) {
      const srv = net.createServer({ pauseOnConnect: false, allowHalfOpen: true });
      srv.on('connection', (s) => {
        const cid = nextAccepted--;
        watch(cid, s);
        send({
          t: 'accept', id: m.id, cid,
          local: addrOf(s.localAddress, s.localPort, s.localFamily), remote: addrOf(s.remoteAddress, s.remotePort, s.remoteFamily),
        });
      });
      srv.once('error', (e) => send({ t: 'reply', rid: m.rid, err: codeOf(e) }));
      srv.listen({ host: m.host, port: m.port, ipv6Only: m.v6only, backlog: m.backlog, exclusive: true }, () => {
        servers.set(m.id, srv);
        const a = srv.address() as NetNs.AddressInfo;
        send({ t: 'reply', rid: m.rid, addr: addrOf(a.address, a.port, a.family) });
      });
    },
    connect(m) {
      const s = net.connect({ host: m.host, port: m.port, localAddress: m.localHost, localPort: m.localPort, allowHalfOpen: true, noDelay: m.noDelay, keepAlive: m.keepAlive });
      s.once('connect', () => send({
        t: 'connected', id: m.id,
        local: addrOf(s.localAddress, s.localPort, s.localFamily), remote: addrOf(s.remoteAddress, s.remotePort, s.remoteFamily),
      }));
      watch(m.id, s);
    },
    write(m) {
      streams.get(m.id)?.write(m.data);
    },
    end(m) {
      streams.get(m.id)?.end();
    },
    close(m) {
      streams.get(m.id)?.destroy();
      servers.get(m.id)?.close();
      servers.delete(m.id);
      udps.get(m.id)?.close();
      udps.delete(m.id);
    },
    pause(m) {
      streams.get(m.id)?.pause();
    },
    resume(m) {
      streams.get(m.id)?.resume();
    },
    opt(m) {
      const s = streams.get(m.id);
      if (m.noDelay !== undefined) s?.setNoDelay(m.noDelay);
      if (m.keepAlive !== undefined) s?.setKeepAlive(m.keepAlive);
    },
    udpBind(m) {
      const u = dgram.createSocket({ type: m.family === 6 ? 'udp6' : 'udp4', reuseAddr: m.reuse, ipv6Only: m.v6only });
      u.once('error', (e) => send({ t: 'reply', rid: m.rid, err: codeOf(e) }));
      u.bind({ address: m.host, port: m.port, exclusive: true }, () => {
        u.removeAllListeners('error');
        u.on('error', (e) => send({ t: 'error', id: m.id, code: codeOf(e) }));
        udps.set(m.id, u);
        u.on('message', (b, r) => send({ t: 'dgram', id: m.id, data: copy(b), from: addrOf(r.address, r.port, r.family) }));
        const a = u.address();
        send({ t: 'reply', rid: m.rid, addr: addrOf(a.address, a.port, a.family) });
      });
    },
    udpSend(m) {
      udps.get(m.id)?.send(m.data, m.port, m.host);
    },
    fdRead(m) {
      // Exactly the bytes asked for, so nothing is taken from the fd that the guest did not read.
      const buf = Buffer.alloc(m.n);
      const done = (err: NodeJS.ErrnoException | null, n: number): void =>
        send(err ? { t: 'fdData', fd: m.fd, err: codeOf(err) } : { t: 'fdData', fd: m.fd, data: copy(buf.subarray(0, n)) });
      const again = (e: unknown): boolean => typeof e === 'object' && e !== null && 'code' in e && (e.code === 'EAGAIN' || e.code === 'EWOULDBLOCK');
      if (m.path !== undefined) {
        let nb = nonBlocking.get(m.fd);
        if (nb === undefined) {
          nb = fs.openSync(m.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
          nonBlocking.set(m.fd, nb);
        }
        const fd = nb;
        // Node has no way to wait for a host fd to become readable without reading it, so a
        // pending read is retried: 1 ms, doubling up to 25 ms (keystrokes still echo promptly).
        const attempt = (delay: number): void => {
          let n: number;
          try {
            n = fs.readSync(fd, buf, 0, m.n, null);
          } catch (e) {
            if (again(e)) setTimeout(() => attempt(Math.min(delay * 2, 25)), delay);
            else done(e as NodeJS.ErrnoException, 0);
            return;
          }
          done(null, n);
        };
        attempt(1);
        return;
      }
      const attempt = (): void => fs.read(m.fd, buf, 0, m.n, null, (err, n) => {
        if (err && again(err)) {
          setTimeout(attempt, 10); // a non-blocking host fd: libuv has no readiness wait for it here
          return;
        }
        done(err, n);
      });
      attempt();
    },
  };
  port.on('message', (m: HostIoRequest) => {
    (handlers[m.op] as (x: HostIoRequest) => void)(m);
  });
}
