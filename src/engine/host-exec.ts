// execve of a host-native program (/bin/sh on the host when a guest calls system() or popen()).
// The guest process stays — its pid, its parent's wait4 — while the host I/O worker runs the
// program (child_process.spawn) and every guest task goes on meanwhile. The exec'ing task stays
// blocked in execve (an uninterruptible polled wait) for as long as the program runs: each poll
// pumps the program's fds and forwards signals the guest sent to the pid; when the program has
// exited and its output is delivered, execve runs again and ends the process with its status.
//
// The program's fds are the guest process's inherited ones (not close-on-exec, up to
// MAX_HOST_FD): a host fd passes as it is; anything inside crossrun (a guest pipe, socketpair,
// memory or VFS file, a stdout callback) gets a host pipe whose other end the worker pumps,
// streamed both ways with back-pressure — at most CHILD_READ_AHEAD bytes of output wait outside
// a guest pipe that holds 64 KiB, and at most IN_FLIGHT bytes of input are on their way.
// EOF goes both ways: when a guest pipe's last writer closes, the program's input ends; when the
// program closes its output, the bridge lets go of the guest write end it held.
import type * as ChildProcess from 'node:child_process';
import { hostRequire } from '../host-require.js';
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { Block } from '../../syscalls/blocking.js';
import { errnoOf, fail } from '../../syscalls/errors.js';
import type { FileDescription } from '../../syscalls/files/description.js';
import { PIPE_CAPACITY, PipeEnd } from '../../syscalls/files/pipe.js';
import { HostFdFile } from '../../syscalls/files/stdio.js';
import { ProcessExit } from '../../syscalls/handlers/process-info.js';
import { hostIo, type HostIo, type HostIoEvent } from '../../syscalls/host-io/host-io.js';
import type { ChildDir } from '../../syscalls/host-io/worker-main.js';

// node:child_process is loaded by the first synchronous host exec only (~2 ms of start-up).
let childProcessNs: typeof ChildProcess | undefined;
const childProcess = (): typeof ChildProcess => (childProcessNs ??= hostRequire<typeof ChildProcess>('node:child_process'));
import type { GuestProcess } from '../../syscalls/process.js';
import { takeSignal } from '../../syscalls/signal-send.js';

/** Guest fds above this are not given to a host program (Node builds one stdio slot per fd). */
const MAX_HOST_FD = 255;
/** Input bytes on their way to a program (posted, not yet taken by the host pipe). */
const IN_FLIGHT = 65536;
/** Bytes taken from a guest file per input message. */
const IN_CHUNK = 65536;

let nextChildId = 1;

export interface HostProgram {
  /** The host path (after -L). */
  readonly path: string;
  readonly argv: readonly string[];
  readonly env: readonly string[];
}

interface OutBridge {
  readonly fd: number;
  readonly file: FileDescription;
  readonly pending: Uint8Array[];
  eof: boolean;
  done: boolean;
}

interface InBridge {
  readonly fd: number;
  readonly file: FileDescription;
  inFlight: number;
  /** The program's side is gone (EPIPE) or EOF was sent. */
  done: boolean;
}

/** A running host program standing for a guest process. */
export class HostChild {
  private readonly id = nextChildId++;
  private readonly io: HostIo;
  readonly pid: number;
  private exit: { code: number | null; signal: string | null } | null = null;
  private readonly outs = new Map<number, OutBridge>();
  private readonly ins = new Map<number, InBridge>();
  /** Descriptions the bridges hold a reference to (released once). */
  private readonly held = new Set<FileDescription>();

  /** Spawn `prog` with the inherited fds of `p` (fails with the host's errno, p untouched). */
  constructor(p: GuestProcess, prog: HostProgram) {
    this.io = hostIo();
    const stdio: Array<number | 'pipe' | 'ignore'> = [];
    const dirs: Array<ChildDir | null> = [];
    const files = new Map<number, FileDescription>();
    for (const [fd, e] of p.fds.list()) if (!e.cloexec && fd <= MAX_HOST_FD) files.set(fd, e.file);
    const top = Math.max(2, ...files.keys());
    for (let fd = 0; fd <= top; fd++) {
      const f = files.get(fd);
      const dir = f === undefined || f instanceof HostFdFile ? null : direction(fd, f);
      stdio.push(f instanceof HostFdFile ? f.hostFd() : dir !== null ? 'pipe' : 'ignore');
      dirs.push(dir);
    }
    // The bridges exist before the spawn: the program's first events may come with its reply.
    dirs.forEach((d, fd) => {
      const f = files.get(fd);
      if (d === null || f === undefined) return;
      // A description at several fds is read ahead for the first of them only.
      const readElsewhere = [...this.ins.values()].some((b) => b.file === f);
      if (d !== 'out' && !readElsewhere) this.ins.set(fd, { fd, file: f, inFlight: 0, done: false });
      if (d !== 'in') this.outs.set(fd, { fd, file: f, pending: [], eof: false, done: false });
    });
    this.io.onChild(this.id, (ev) => this.event(ev));
    try {
      this.pid = this.io.spawn({
        op: 'spawn', id: this.id, path: prog.path, argv0: prog.argv[0] ?? prog.path, args: prog.argv.slice(1),
        env: envObject(prog.env), cwd: existsSync(p.cwd) ? p.cwd : undefined, stdio, dirs,
      });
    } catch (e) {
      this.io.onChild(this.id, null);
      throw e;
    }
    for (const b of [...this.ins.values(), ...this.outs.values()]) {
      if (this.held.has(b.file)) continue;
      b.file.refs++;
      this.held.add(b.file);
    }
  }

  private event(ev: HostIoEvent): void {
    switch (ev.t) {
      case 'childData': {
        const b = this.outs.get(ev.fd);
        if (b && !b.done) b.pending.push(ev.data);
        else this.io.post({ op: 'childAck', id: this.id, fd: ev.fd, n: ev.data.length });
        break;
      }
      case 'childEof': {
        const b = this.outs.get(ev.fd);
        if (b) b.eof = true;
        break;
      }
      case 'childWrote': {
        const b = this.ins.get(ev.fd);
        if (b) b.inFlight -= ev.n;
        break;
      }
      case 'childInClosed': {
        const b = this.ins.get(ev.fd);
        if (b) b.done = true;
        break;
      }
      case 'childExit':
        this.exit = { code: ev.code, signal: ev.signal };
        break;
      default:
        break;
    }
  }

  /** Move what can move now, both ways. */
  pump(): void {
    this.io.pump();
    for (const b of this.outs.values()) this.pumpOut(b);
    for (const b of this.ins.values()) this.pumpIn(b);
    this.releaseIdle();
  }

  private pumpOut(b: OutBridge): void {
    if (b.done) return;
    let taken = 0;
    while (b.pending.length > 0) {
      const chunk = b.pending[0];
      let n: number;
      const f = b.file;
      if (f instanceof PipeEnd) {
        if (f.pipe.readers === 0) {
          this.dropOut(b);
          break;
        }
        n = Math.min(chunk.length, PIPE_CAPACITY - f.pipe.size);
        if (n <= 0) break;
        f.pipe.push(chunk.subarray(0, n));
      } else {
        try {
          n = nonBlocking(f, () => f.write(chunk));
        } catch (e) {
          if (errnoOf(e) === 'EAGAIN') break; // full: again at the next look
          this.dropOut(b);
          break;
        }
        if (n <= 0) break;
      }
      taken += n;
      if (n === chunk.length) b.pending.shift();
      else b.pending[0] = chunk.subarray(n);
    }
    if (taken > 0) this.io.post({ op: 'childAck', id: this.id, fd: b.fd, n: taken });
    if (b.eof && b.pending.length === 0) b.done = true;
  }

  /** Nobody reads this output any more: the program's writes fail (EPIPE) from now on. */
  private dropOut(b: OutBridge): void {
    b.pending.length = 0;
    b.done = true;
    this.io.post({ op: 'childDrop', id: this.id, fd: b.fd });
  }

  private pumpIn(b: InBridge): void {
    // A bridge cannot know whether the program reads an fd: it reads the guest file ahead for it.
    // Past stdin/out/err that is only done when nothing in the guest reads the same file (a
    // shell's copy of a pipe's read end it never uses must not steal what a guest reads).
    if (b.fd > 2 && sharedReader(b.file)) return;
    while (!b.done && b.inFlight < IN_FLIGHT) {
      const buf = new Uint8Array(Math.min(IN_CHUNK, IN_FLIGHT - b.inFlight));
      let n: number;
      try {
        n = nonBlocking(b.file, () => b.file.read(buf));
      } catch (e) {
        if (errnoOf(e) === 'EAGAIN') return; // nothing yet
        n = 0; // a read error ends the input
      }
      if (n <= 0) {
        b.done = true;
        this.io.post({ op: 'childEnd', id: this.id, fd: b.fd });
        return;
      }
      b.inFlight += n;
      this.io.post({ op: 'childWrite', id: this.id, fd: b.fd, data: n === buf.length ? buf : buf.slice(0, n) });
    }
  }

  /** Descriptions no bridge needs any more go back (a guest reader then sees EOF, a guest writer
   *  EPIPE, once nobody else holds them). */
  private releaseIdle(): void {
    for (const f of this.held) {
      const busy = [...this.outs.values(), ...this.ins.values()].some((b) => b.file === f && !b.done);
      if (!busy) this.releaseOne(f);
    }
  }
  private releaseOne(f: FileDescription): void {
    if (!this.held.delete(f)) return;
    if (--f.refs === 0) f.release();
  }

  /** The program exited and all of its output reached the guest. */
  get finished(): boolean {
    if (this.exit === null) return false;
    for (const b of this.outs.values()) if (!b.done) return false;
    return true;
  }

  /** The guest process's end: the program's exit code, or death by the host signal. */
  status(): ProcessExit {
    const e = this.exit;
    if (e?.signal) {
      const generic = osConstants.signals[e.signal as keyof typeof osConstants.signals];
      return new ProcessExit(128 + generic, generic);
    }
    return new ProcessExit(e?.code ?? 0);
  }

  /** Signals the guest sent to the process go to the program (host numbering). */
  forwardSignals(p: GuestProcess): void {
    for (let info = takeSignal(p, p.current, 0n); info !== null; info = takeSignal(p, p.current, 0n)) {
      this.kill(p.sig.toGeneric(info.signo));
    }
  }

  kill(hostSig: number): void {
    if (this.exit !== null || hostSig <= 0) return;
    try {
      process.kill(this.pid, hostSig);
    } catch {
      // gone meanwhile
    }
  }

  /** The guest process is gone: let go of everything (the program, if still running, is killed). */
  dispose(): void {
    this.kill(osConstants.signals.SIGKILL);
    for (const b of this.ins.values()) if (!b.done) this.io.post({ op: 'childEnd', id: this.id, fd: b.fd });
    for (const f of [...this.held]) this.releaseOne(f);
    this.io.onChild(this.id, null);
  }
}

/** op on f as if O_NONBLOCK were set (EAGAIN, never a Block: a blocking write that had put part
 *  of its bytes in would otherwise be retried whole). Anything else thrown counts as EAGAIN. */
function nonBlocking(f: FileDescription, op: () => number): number {
  const was = f.nonblock;
  f.nonblock = true;
  try {
    return op();
  } catch (e) {
    if (errnoOf(e) === null) fail('EAGAIN');
    throw e;
  } finally {
    f.nonblock = was;
  }
}

/** Does anything in the guest besides the bridge read f (another fd, or another read end)? */
function sharedReader(f: FileDescription): boolean {
  return f.refs > 1 || (f instanceof PipeEnd && f.pipe.readers > 1);
}

/** Which way bytes go for a bridged fd: what the guest description allows, and for one open
 *  both ways (a socket) at fd 0 only in, at fds 1 and 2 only out. */
function direction(fd: number, f: FileDescription): ChildDir | null {
  if (f.readable && f.writable) return fd === 0 ? 'in' : fd <= 2 ? 'out' : 'both';
  if (f.readable) return 'in';
  if (f.writable) return 'out';
  return null;
}

function envObject(env: readonly string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (const e of env) {
    const i = e.indexOf('=');
    if (i > 0) o[e.slice(0, i)] = e.slice(i + 1);
  }
  return o;
}

/** The host path of a program the guest named (-L prefix first, as the VFS resolved it). */
export function hostPathOf(path: string, ldPrefix: string | undefined): string {
  return ldPrefix && ldPrefix !== '/' && existsSync(ldPrefix + path) ? ldPrefix + path : path;
}

// ---- fallback without the worker: the program runs to its end while every guest task waits

/** The host runs the program synchronously: guest fds 0–2 that are host fds are passed as they
 *  are; a guest pipe as stdin is waited on until its other writers close and fed whole; output
 *  for guest files is collected and written into them when the program ends. */
export function runHostSync(p: GuestProcess, prog: HostProgram): never {
  const std: Array<FileDescription | null> = [0, 1, 2].map((fd) => (p.fds.has(fd) ? p.fds.get(fd) : null));
  const stdio = std.map((f) => {
    if (f === null) return 'ignore' as const;
    return f instanceof HostFdFile ? f.hostFd() : ('pipe' as const);
  });
  let input: Buffer | undefined;
  const stdin = std[0];
  if (stdio[0] === 'pipe' && stdin !== null) {
    // A guest pipe as stdin: the host program gets all of it, so wait (other guest processes
    // run) until its last writer elsewhere closes; then execve runs again.
    if (stdin instanceof PipeEnd && writersElsewhere(p, stdin)) {
      throw new Block({ deadline: null, polled: true, restartable: true, rerun: true, poll: () => (writersElsewhere(p, stdin) ? null : 0) });
    }
    input = drain(stdin);
  }
  const r = childProcess().spawnSync(prog.path, prog.argv.slice(1), {
    argv0: prog.argv[0] ?? prog.path, env: envObject(prog.env), cwd: existsSync(p.cwd) ? p.cwd : undefined, stdio, input, maxBuffer: 1 << 30,
  });
  if (r.error !== undefined && r.pid === 0) fail(errnoOf(r.error) ?? 'ENOEXEC');
  for (const fd of [1, 2]) {
    const out = fd === 1 ? r.stdout : r.stderr;
    const f = std[fd];
    if (stdio[fd] === 'pipe' && f !== null && out && out.length > 0) pour(f, out);
  }
  if (r.signal) {
    const generic = osConstants.signals[r.signal];
    throw new ProcessExit(128 + generic, generic);
  }
  throw new ProcessExit(r.status ?? 0);
}

/** Does anyone but process p hold a write end of f's pipe? (p's own fds to it close when the
 *  host program replaces p.) */
function writersElsewhere(p: GuestProcess, f: PipeEnd): boolean {
  for (const end of f.pipe.writeEnds) {
    let own = 0;
    for (const [, e] of p.fds.list()) if (e.file === end) own++;
    if (end.refs > own) return true;
  }
  return false;
}

/** Everything readable from f now (a pipe: what is in it), for a host program's stdin. */
function drain(f: FileDescription): Buffer {
  const parts: Buffer[] = [];
  const buf = new Uint8Array(65536);
  for (;;) {
    let n: number;
    try {
      n = f.read(buf);
    } catch {
      break;
    }
    if (n <= 0) break;
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(parts);
}

/** A host program's output into a guest file (a pipe takes it all, past its capacity). */
function pour(f: FileDescription, data: Uint8Array): void {
  if (f instanceof PipeEnd) {
    if (f.pipe.readers > 0) f.pipe.push(data);
    return;
  }
  let done = 0;
  while (done < data.length) {
    let n: number;
    try {
      n = f.write(data.subarray(done));
    } catch {
      return;
    }
    if (n <= 0) return;
    done += n;
  }
}
