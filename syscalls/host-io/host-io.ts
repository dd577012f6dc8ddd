// The main thread's side of the host I/O worker (worker-main.ts): started on first use, unref'd so
// it never keeps crossrun alive. Requests go out as messages; events come back on a port read
// synchronously (receiveMessageOnPort) whenever the guest side checks readiness, so a check costs
// one Atomics.load when nothing happened. The worker bumps a shared notify word after every
// event, which is what an idle scheduler waits on (watchHostIo).
import { hostRequire } from '../../src/host-require.js';
import type * as WorkerThreads from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { fail, type ErrnoName } from '../errors.js';
import { errnoOf } from '../errors.js';
import { hostIoWorkerMain, type HostIoEvent, type HostIoRequest, type HostAddr } from './worker-main.js';

// node:worker_threads is loaded when the worker first starts: ~2 ms of start-up otherwise.
let workerThreadsNs: typeof WorkerThreads | undefined;
const workerThreads = (): typeof WorkerThreads => (workerThreadsNs ??= hostRequire<typeof WorkerThreads>('node:worker_threads'));
const receiveMessageOnPort = (port: MessagePort): { message: unknown } | undefined => workerThreads().receiveMessageOnPort(port);

export type { HostAddr, HostIoEvent };
type Listener = (ev: HostIoEvent) => void;
type Reply = Extract<HostIoEvent, { t: 'reply' }>;
/** Distributive Omit, so each request kind keeps its own fields. */
type RequestBody<R> = R extends { rid: number } ? Omit<R, 'rid'> : never;

const NOTIFY = 0;
/** Atomics.waitAsync (Node 16+; not in the TypeScript lib this project targets). */
type WaitAsync = (a: Int32Array, i: number, v: number, ms?: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
/** A synchronous request's reply (a loopback listen or bind) comes within milliseconds; this
 *  bounds a wait for a worker that died. */
const REPLY_TIMEOUT_MS = 10_000;
/** An idle engine looks at its waits again at least this often while the worker runs: a wake-up
 *  through Atomics.waitAsync was seen to go missing now and then (net-unit 'threads': a TCP echo
 *  between two guest threads hung in about half the CLI runs, all 12 runs passed with this).
 *  20 wake-ups a second while idle cost nothing measurable. */
const RECHECK_MS = 50;

export class HostIo {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private seen = 0;
  private nextRid = 1;
  private readonly replies = new Map<number, Reply>();
  private readonly listeners = new Map<number, Listener>();
  private readonly fdListeners = new Map<number, Listener>();
  private readonly childListeners = new Map<number, Listener>();

  constructor() {
    const { MessageChannel, Worker } = workerThreads();
    const { port1, port2 } = new MessageChannel();
    const src = `(${hostIoWorkerMain.toString()})(require, require('node:worker_threads').workerData.port, require('node:worker_threads').workerData.ctl);`;
    this.worker = new Worker(src, { eval: true, workerData: { port: port2, ctl: this.ctl }, transferList: [port2] });
    this.worker.unref();
    this.port = port1;
    this.port.unref();
  }

  /** Requests that need no reply. */
  post(m: Exclude<HostIoRequest, { rid: number }>): void {
    const transfer = 'data' in m && m.data.byteOffset === 0 && m.data.byteLength === m.data.buffer.byteLength ? [m.data.buffer as ArrayBuffer] : [];
    this.port.postMessage(m, transfer);
  }

  /** A request whose reply the caller waits for (Atomics.wait: the worker answers at once). */
  call(m: RequestBody<Extract<HostIoRequest, { rid: number }>>): HostAddr {
    return this.request(m).addr ?? fail('EIO');
  }

  /** Start a host program (spawn.ts); its pid, or fail() with the spawn error. */
  spawn(m: RequestBody<Extract<HostIoRequest, { op: 'spawn' }>>): number {
    return this.request(m).pid ?? fail('EIO');
  }

  private request(m: RequestBody<Extract<HostIoRequest, { rid: number }>>): Reply {
    const rid = this.nextRid++;
    this.port.postMessage({ ...m, rid });
    const end = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(this.ctl, NOTIFY);
      this.drain();
      const r = this.replies.get(rid);
      if (r) {
        this.replies.delete(rid);
        if (r.err) fail(toErrno(r.err));
        return r;
      }
      if (Date.now() > end) fail('EIO');
      Atomics.wait(this.ctl, NOTIFY, seen, 100);
    }
  }

  /** Events for a socket id (replaces any earlier listener). */
  listen(id: number, l: Listener): void {
    this.listeners.set(id, l);
  }
  unlisten(id: number): void {
    this.listeners.delete(id);
  }
  /** Events of a host program (by the id its spawn request gave), or null to stop. */
  onChild(id: number, l: Listener | null): void {
    if (l) this.childListeners.set(id, l);
    else this.childListeners.delete(id);
  }
  onFd(fd: number, l: Listener | null): void {
    if (l) this.fdListeners.set(fd, l);
    else this.fdListeners.delete(fd);
  }

  /** Take in what the worker has sent since the last look. */
  pump(): void {
    if (Atomics.load(this.ctl, NOTIFY) === this.seen) return;
    this.drain();
  }
  private drain(): void {
    this.seen = Atomics.load(this.ctl, NOTIFY);
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const ev = m.message as HostIoEvent;
      if (ev.t === 'reply') this.replies.set(ev.rid, ev);
      else if (ev.t === 'fdData') this.fdListeners.get(ev.fd)?.(ev);
      else if (ev.t === 'childData' || ev.t === 'childEof' || ev.t === 'childWrote' || ev.t === 'childInClosed' || ev.t === 'childExit') {
        this.childListeners.get(ev.id)?.(ev);
      }
      else this.listeners.get(ev.id)?.(ev);
    }
  }

  /** Call `wake` once the worker reports something not yet pumped, or after ms (at most
   *  RECHECK_MS); returns a cancel function. Used by the idle scheduler: no spinning. */
  watch(wake: () => void, ms: number): () => void {
    let live = true;
    const fire = (): void => {
      if (live) wake();
    };
    const r = waitAsync(this.ctl, NOTIFY, this.seen, Math.max(1, Math.ceil(Math.min(ms, RECHECK_MS))));
    if (r.async) void r.value.then(fire);
    else queueMicrotask(fire);
    return () => {
      live = false;
    };
  }

  /** Block the calling thread up to ms or until the worker reports something. */
  sleep(ms: number): void {
    Atomics.wait(this.ctl, NOTIFY, this.seen, ms);
  }
}

/** Node's error codes as guest errno names (ECONNREFUSED and friends pass through). */
export function toErrno(code: string): ErrnoName {
  return errnoOf({ code }) ?? 'EIO';
}

let instance: HostIo | null = null;

/** The worker, started on first use. */
export function hostIo(): HostIo {
  instance ??= new HostIo();
  return instance;
}

/** The worker if it was started (the scheduler's idle wait needs no worker otherwise). */
export function hostIoIfStarted(): HostIo | null {
  return instance;
}

/** For Scheduler.idle(): wake when host I/O arrives. A no-op until the worker exists. */
export function watchHostIo(wake: () => void, ms: number): () => void {
  return instance ? instance.watch(wake, ms) : () => {};
}

/** For Scheduler.idleSync(): sleep ms, cut short by host I/O. */
export function sleepUntilHostIo(ms: number): boolean {
  if (!instance) return false;
  instance.sleep(ms);
  return true;
}
