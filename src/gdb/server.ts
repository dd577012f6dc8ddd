// -g: the gdbstub's server. Listens on a TCP port (or host:port, or a Unix socket path), stops the
// guest before its first instruction and runs it in slices of blocks between which the event loop
// turns (sockets, Ctrl-C from gdb) — never busy-waiting while stopped. One gdb at a time; when it
// detaches or goes away the guest runs on, and another gdb may attach while we still listen.
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { DebugStop, Machine } from '../engine/machine.js';
import type { RunResult } from '../index.js';
import { GuestSignal, SiCode, Sig } from '../signals.js';
import { UserError } from '../types.js';
import { Debuggee } from './debuggee.js';
import { GdbStub, type RunControl, type Stop } from './stub.js';

/** Blocks per slice: a few milliseconds of tier-0 work, so Ctrl-C and sockets are served promptly. */
export const SLICE_BLOCKS = 10_000;

export type GdbEndpoint = { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** qemu's -g takes a port or a Unix socket path; we also take host:port (default host: loopback). */
export function parseEndpoint(spec: string): GdbEndpoint {
  const port = (s: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`-g: bad port '${s}'`);
    return n;
  };
  if (/^\d+$/.test(spec)) return { kind: 'tcp', host: '127.0.0.1', port: port(spec) };
  const m = /^\[?([^\]/]*)\]?:(\d+)$/.exec(spec);
  if (m && !spec.includes('/')) return { kind: 'tcp', host: m[1] === '' ? '127.0.0.1' : m[1], port: port(m[2]) };
  if (spec === '') throw new UserError('-g: no port or socket path given');
  return { kind: 'unix', path: spec };
}

interface Connection {
  readonly socket: Socket;
  readonly stub: GdbStub;
}

/** Run the machine under the gdbstub until the guest exits or gdb kills it. */
export async function serveGdb(machine: Machine, spec: string): Promise<RunResult> {
  return new DebugServer(machine).serve(parseEndpoint(spec));
}

class DebugServer implements RunControl {
  private readonly dbg: Debuggee;
  private conn: Connection | null = null;
  private running = false;
  private step = false;
  /** A stop to make at the next slice boundary (Ctrl-C, a new gdb attaching). */
  private stopRequest: Stop | null = null;
  private ended: RunResult | null = null;
  private wake: (() => void) | null = null;
  lastStop: Stop = { kind: 'trap' };

  constructor(private readonly machine: Machine) {
    this.dbg = new Debuggee(machine);
  }

  async serve(ep: GdbEndpoint): Promise<RunResult> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await listen(server, ep);
    try {
      return await this.loop();
    } finally {
      this.dbg.clearAll();
      this.dbg.io.closeAll();
      this.conn?.socket.end();
      server.close();
    }
  }

  private async loop(): Promise<RunResult> {
    for (;;) {
      if (this.ended) return this.ended;
      if (!this.running) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const ev = this.machine.debugRun(this.step, SLICE_BLOCKS);
      if (ev.kind !== 'budget') this.onStop(ev);
      else if (this.stopRequest) this.stop(this.stopRequest);
      if (this.running) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private onStop(ev: Exclude<DebugStop, { kind: 'budget' }>): void {
    switch (ev.kind) {
      case 'exited':
        return this.finish(ev.result);
      case 'breakpoint':
        return this.stop({ kind: 'trap', breakAt: ev.pc });
      case 'step':
        return this.stop({ kind: 'trap' });
      case 'watch':
        return this.stop({ kind: 'watch', type: ev.hit.type, addr: ev.hit.addr });
      case 'signal':
        return this.stop({ kind: 'signal', signal: ev.signal.signal, pending: ev.signal, synchronous: ev.synchronous });
    }
  }

  private stop(s: Stop): void {
    this.stopRequest = null;
    if (this.conn === null) {
      // Nobody is debugging (gdb detached): the guest gets its signals as without -g.
      if (s.kind === 'signal' && s.pending) {
        const r = this.machine.deliver(s.pending, s.synchronous);
        if (r) this.finish(r);
      }
      return;
    }
    this.running = false;
    this.lastStop = s;
    this.conn.stub.stopped(s);
  }

  private finish(result: RunResult): void {
    this.ended = result;
    this.running = false;
    this.lastStop = { kind: 'exited', result };
    this.conn?.stub.stopped(this.lastStop);
    this.wakeUp();
  }

  // ---- RunControl (from the connected gdb)

  resume(step: boolean, signal: number): void {
    if (this.ended) return;
    if (signal !== 0) {
      const st = this.lastStop;
      const same = st.kind === 'signal' && st.pending !== null && st.signal === signal;
      const sig = same ? (st.pending as GuestSignal) : new GuestSignal(signal, SiCode.SI_USER, 0);
      const r = this.machine.deliver(sig, same && st.synchronous);
      if (r) return this.finish(r);
    }
    this.running = true;
    this.step = step;
    this.wakeUp();
  }

  interrupt(): void {
    if (this.running) this.stopRequest = { kind: 'signal', signal: Sig.INT, pending: null, synchronous: false };
  }

  kill(): void {
    this.ended = { exitCode: 128 + Sig.KILL, signal: Sig.KILL };
    this.running = false;
    this.wakeUp();
  }

  detach(): void {
    const conn = this.conn;
    this.conn = null;
    this.dbg.clearAll();
    this.dbg.io.closeAll();
    conn?.socket.end();
    if (this.ended) return;
    this.running = true;
    this.step = false;
    this.wakeUp();
  }

  // ---- connections

  private accept(socket: Socket): void {
    if (this.conn !== null || this.ended) {
      socket.destroy(); // one debugger at a time
      return;
    }
    socket.setNoDelay(true);
    const stub = new GdbStub(this.dbg, this, (b) => void socket.write(b));
    const conn: Connection = { socket, stub };
    this.conn = conn;
    if (this.running) {
      // Attaching to a running guest (after a detach): stop it; gdb's packets wait for that.
      stub.holdUntilStopped();
      this.stopRequest = { kind: 'trap' };
    }
    socket.on('data', (chunk) => stub.receive(chunk));
    const gone = () => {
      stub.closed = true;
      if (this.conn === conn) this.detach();
    };
    socket.on('close', gone);
    socket.on('error', gone);
  }
}

function listen(server: Server, ep: GdbEndpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const where = ep.kind === 'tcp' ? `${ep.host}:${ep.port}` : ep.path;
    server.once('error', (e) => reject(new UserError(`-g ${where}: cannot listen: ${(e as Error).message}`)));
    if (ep.kind === 'unix') {
      // A socket file left by an earlier run: take its place (never anything else).
      if (existsSync(ep.path) && lstatSync(ep.path).isSocket()) unlinkSync(ep.path);
      server.listen(ep.path, resolve);
    } else {
      server.listen(ep.port, ep.host, resolve);
    }
  });
}
