// The host I/O worker's code. It runs in a worker_threads Worker created from this function's
// source text (`eval: true`), so the same code works from the esbuild bundle and from vitest
// running src/ directly; it must therefore use nothing but its parameters and globals (no imports,
// no helpers from outside the function).
//
// It owns Node's net/dgram sockets, blocking host-fd reads and host programs a guest execs
// (child_process.spawn, their stdio pumped both ways with back-pressure: spawn.ts's protocol). Everything it learns goes to the
// main thread as messages on `port` (read there synchronously with receiveMessageOnPort); after
// each message it bumps ctl[0] and notifies, which wakes an idle scheduler (Atomics.waitAsync) or
// a synchronous request waiting for its reply (Atomics.wait).
import type * as NetNs from 'node:net';
import type * as DgramNs from 'node:dgram';
import type * as FsNs from 'node:fs';
import type * as ChildNs from 'node:child_process';
import type { Readable as ReadableT, Writable as WritableT } from 'node:stream';
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
  | { op: 'fdRead'; fd: number; n: number; path?: string }
  /** Start a host program. stdio[i]: a host fd passed as it is, 'pipe' (a host pipe whose other
   *  end the worker pumps, in the direction dirs[i] says) or 'ignore'. The reply has its pid. */
  | { op: 'spawn'; rid: number; id: number; path: string; argv0: string; args: string[]; env: Record<string, string>; cwd?: string; stdio: Array<number | 'pipe' | 'ignore'>; dirs: Array<ChildDir | null> }
  /** Bytes for the child's fd (answered by childWrote once the host took them). */
  | { op: 'childWrite'; id: number; fd: number; data: Uint8Array }
  /** No more bytes for the child's fd: its reader sees EOF. */
  | { op: 'childEnd'; id: number; fd: number }
  /** The guest took n bytes of the child's output: the worker may read that much more. */
  | { op: 'childAck'; id: number; fd: number; n: number }
  /** Nobody reads the child's fd any more: close it (the child's writes fail with EPIPE). */
  | { op: 'childDrop'; id: number; fd: number };

/** Which way a bridged child fd carries bytes: 'in' guest → child, 'out' child → guest. */
export type ChildDir = 'in' | 'out' | 'both';

export interface HostAddr {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/** Events and replies to the main thread. `id`s below 0 are connections the worker accepted. */
export type HostIoEvent =
  | { t: 'reply'; rid: number; err?: string; addr?: HostAddr; pid?: number }
  | { t: 'connected'; id: number; local: HostAddr; remote: HostAddr }
  | { t: 'accept'; id: number; cid: number; local: HostAddr; remote: HostAddr }
  | { t: 'data'; id: number; data: Uint8Array }
  | { t: 'eof'; id: number }
  | { t: 'error'; id: number; code: string }
  | { t: 'closed'; id: number }
  | { t: 'dgram'; id: number; data: Uint8Array; from: HostAddr }
  | { t: 'fdData'; fd: number; data?: Uint8Array; err?: string }
  /** A host program's output on its fd `fd`, its end (or error), bytes it took, its input side
   *  gone (EPIPE), its exit (code, or the host signal's name). */
  | { t: 'childData'; id: number; fd: number; data: Uint8Array }
  | { t: 'childEof'; id: number; fd: number }
  | { t: 'childWrote'; id: number; fd: number; n: number }
  | { t: 'childInClosed'; id: number; fd: number }
  | { t: 'childExit'; id: number; code: number | null; signal: string | null };

/** Output of a host program read ahead of what the guest has taken: reading stops here until the
 *  guest catches up (a guest pipe holds 64 KiB; this keeps the host side as small). */
export const CHILD_READ_AHEAD = 65536;

export function hostIoWorkerMain(req: (name: string) => unknown, port: PortT, ctl: Int32Array): void {
  const net = req('node:net') as typeof NetNs;
  const dgram = req('node:dgram') as typeof DgramNs;
  const fs = req('node:fs') as typeof FsNs;
  const cp = req('node:child_process') as typeof ChildNs;
  /** Host programs by id: their pumped fds and how far each output runs ahead of the guest. */
  const children = new Map<number, { proc: ChildNs.ChildProcess; streams: Map<number, ReadableT & WritableT>; ahead: Map<number, number> }>();
  const READ_AHEAD = 65536; // CHILD_READ_AHEAD (this function may use nothing from outside)
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

  function pumpChild(id: number, fd: number, dir: ChildDir, s: ReadableT & WritableT, ahead: Map<number, number>): void {
    let inOpen = dir !== 'out';
    let outOpen = dir !== 'in';
    const inGone = (): void => {
      if (!inOpen) return;
      inOpen = false;
      send({ t: 'childInClosed', id, fd });
    };
    const outGone = (): void => {
      if (!outOpen) return;
      outOpen = false;
      send({ t: 'childEof', id, fd });
    };
    s.on('error', () => {
      inGone();
      outGone();
    });
    s.on('close', () => {
      inGone();
      outGone();
    });
    if (dir === 'in') return;
    ahead.set(fd, 0);
    s.on('data', (b: Buffer) => {
      const n = (ahead.get(fd) ?? 0) + b.length;
      ahead.set(fd, n);
      if (n >= READ_AHEAD) s.pause();
      send({ t: 'childData', id, fd, data: copy(b) });
    });
    s.on('end', outGone);
  }

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
    spawn(m) {
      let proc: ChildNs.ChildProcess;
      try {
        proc = cp.spawn(m.path, m.args, { argv0: m.argv0, env: m.env, cwd: m.cwd, stdio: m.stdio });
      } catch (e) {
        send({ t: 'reply', rid: m.rid, err: codeOf(e) });
        return;
      }
      if (proc.pid === undefined) {
        // Spawn failures (ENOENT, EACCES) come as an 'error' event.
        proc.once('error', (e) => send({ t: 'reply', rid: m.rid, err: codeOf(e) }));
        return;
      }
      proc.on('error', () => {}); // a kill of a process already gone
      const streams = new Map<number, ReadableT & WritableT>();
      const ahead = new Map<number, number>();
      children.set(m.id, { proc, streams, ahead });
      m.stdio.forEach((kind, fd) => {
        const s = proc.stdio[fd] as (ReadableT & WritableT) | null | undefined;
        const dir = m.dirs[fd];
        if (kind !== 'pipe' || !s || !dir) return;
        streams.set(fd, s);
        pumpChild(m.id, fd, dir, s, ahead);
      });
      proc.on('exit', (code, signal) => send({ t: 'childExit', id: m.id, code, signal }));
      proc.on('close', () => children.delete(m.id));
      send({ t: 'reply', rid: m.rid, pid: proc.pid });
    },
    childWrite(m) {
      const s = children.get(m.id)?.streams.get(m.fd);
      const n = m.data.length;
      if (!s || s.destroyed || s.writableEnded) return send({ t: 'childWrote', id: m.id, fd: m.fd, n });
      s.write(m.data, () => send({ t: 'childWrote', id: m.id, fd: m.fd, n }));
    },
    childEnd(m) {
      const s = children.get(m.id)?.streams.get(m.fd);
      if (s && !s.destroyed) s.end();
    },
    childAck(m) {
      const c = children.get(m.id);
      const s = c?.streams.get(m.fd);
      if (!c || !s) return;
      const n = Math.max(0, (c.ahead.get(m.fd) ?? 0) - m.n);
      c.ahead.set(m.fd, n);
      if (n < READ_AHEAD && s.isPaused()) s.resume();
    },
    childDrop(m) {
      children.get(m.id)?.streams.get(m.fd)?.destroy();
    },
  };
  port.on('message', (m: HostIoRequest) => {
    (handlers[m.op] as (x: HostIoRequest) => void)(m);
  });
}
