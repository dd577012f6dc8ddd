// The state of one guest process as the syscall handlers see it, and the helpers they share:
// argument conversion per word size, guest memory access (faults become EFAULT in the
// dispatcher), struct I/O through the codec, path resolution against cwd and dirfds.
import { posix } from 'node:path';
import { AddressSpace } from '../src/mem/address-space.js';
import type { Logger } from '../src/log.js';
import { GuestSignal } from '../src/signals.js';
import { assert } from '../src/types.js';
import { AT } from './abi/common.js';
import type { ErrnoName } from './abi/errno.js';
import { linuxAbiFor } from './abi/registry.js';
import type { LinuxAbi, OpenFlag, RlimitName, StructRole } from './abi/types.js';
import { decode, encode, layout, type DataModel, type StructInput, type StructLayout, type StructOutput } from './codec.js';
import { fail } from './errors.js';
import { FdTable } from './fd-table.js';
import type { FileDescription } from './files/description.js';
import { BytesFile, HostFdFile, SinkFile } from './files/stdio.js';
import { DEFAULT_RLIMITS } from './limits.js';
import { LockTable } from './locks.js';
import type { LinuxOptions } from './options.js';
import { FutexTable } from './futex.js';
import { SI, type SigInfo } from './siginfo.js';
import { sendSignal } from './signal-send.js';
import { SignalState } from './sigstate.js';
import { GuestThread, NO_HOST, SS_DISABLE, type TaskHost } from './threads.js';
import { Kernel, type ChildEvent } from './kernel.js';
import { TimerSet, type Timer } from './timers.js';
import type { Vfs } from './vfs.js';

export const PATH_MAX = 4096;

/** The memory every dead process points at instead of its own (one, empty, shared). */
let deadSpace: AddressSpace | undefined;

/** How a process comes to be other than as the first one: fork's copy of its parent. */
export interface ProcessOrigin {
  readonly kernel: Kernel;
  /** fork/clone: the parent whose fds, cwd, limits, signal actions… the child copies. */
  readonly parent: GuestProcess;
  /** The signal the parent gets when this child dies (clone's low byte; 0: none). */
  readonly exitSignal: number;
}

export class GuestProcess {
  /** The image's memory, ABI and start-up facts: replaced by execve (adoptImage). */
  mem: AddressSpace;
  abi: LinuxAbi;
  model: DataModel;
  opts: LinuxOptions;
  readonly vfs: Vfs;
  readonly logger: Logger;
  readonly fds: FdTable;
  readonly locks = new LockTable();
  sig: SignalState;
  /** Resource limits by the guest's RLIMIT_* number. */
  readonly limits = new Map<number, { cur: bigint; max: bigint }>();
  readonly pid: number;
  /** The parent (INIT_PID once orphaned); the first process's is crossrun's own parent. */
  ppid: number;
  pgid: number;
  sid: number;
  /** The process table every guest process shares. */
  readonly kernel: Kernel;
  /** The signal the parent gets when this process dies (SIGCHLD unless clone said otherwise). */
  exitSignal: number;
  /** Dead, waiting for its parent's wait: `waitStatus` says how it died. */
  zombie = false;
  waitStatus = 0;
  /** Stopped by a stop signal (its tasks do not run until SIGCONT). */
  stopped = false;
  /** A stop or continue not yet reported to the parent's wait (WUNTRACED / WCONTINUED). */
  event: ChildEvent | null = null;
  /** vfork: the parent waits until this child execs or exits (then this is set). */
  vforkDone = true;
  readonly uid: number;
  readonly gid: number;
  cwd: string;
  umask = 0o022;
  brkStart: number;
  brk: number;
  /** The threads (tid → thread); the main thread's tid is the pid. */
  readonly threads = new Map<number, GuestThread>();
  main: GuestThread;
  /** The thread whose syscall is running (the engine switches it). */
  current: GuestThread;
  /** The engine's side of threads and blocking (a no-op host until an engine attaches). */
  host: TaskHost = NO_HOST;
  readonly futex = new FutexTable();
  readonly timers: TimerSet;
  /** exit(2) status of the main thread, the process's status if the others exit after it. */
  mainExitStatus = 0;
  /** Terminal settings a guest set with TCSETS (we do not change the host terminal). */
  termios: StructOutput | null = null;
  private wordMask: bigint;
  private O: Readonly<Record<OpenFlag, number>>;

  /** The first process (no origin), or a fork child of origin.parent with pid opts.pid. */
  constructor(opts: LinuxOptions, origin?: ProcessOrigin) {
    this.opts = opts;
    this.mem = opts.mem;
    this.abi = linuxAbiFor(opts.abi);
    this.model = { wordBits: opts.abi.wordBits, endian: opts.abi.endian, i64Align: this.abi.i64Align };
    this.vfs = opts.fs;
    this.logger = opts.logger;
    this.sig = new SignalState(this.abi);
    this.pid = opts.pid ?? process.pid;
    this.uid = process.getuid?.() ?? 0;
    this.gid = process.getgid?.() ?? 0;
    this.wordMask = (1n << BigInt(opts.abi.wordBits)) - 1n;
    this.O = this.abi.open;
    const parent = origin?.parent;
    if (parent === undefined) {
      this.kernel = new Kernel(this.pid);
      this.ppid = opts.pid === undefined ? process.ppid : 1;
      this.pgid = this.sid = this.pid;
      this.exitSignal = this.abi.signals.SIGCHLD;
      this.fds = new FdTable();
      this.cwd = opts.fs.initialCwd;
      this.brkStart = this.brk = opts.brkStart;
      for (const [name, [cur, max]] of Object.entries(DEFAULT_RLIMITS) as Array<[RlimitName, readonly [bigint, bigint]]>) {
        this.limits.set(this.abi.rlimit[name], { cur, max });
      }
      this.fds.limit = Number(DEFAULT_RLIMITS.RLIMIT_NOFILE[0]);
      this.installStdio();
    } else {
      this.kernel = origin!.kernel;
      this.ppid = parent.pid;
      this.pgid = parent.pgid;
      this.sid = parent.sid;
      this.exitSignal = origin!.exitSignal;
      this.fds = parent.fds.fork();
      this.cwd = parent.cwd;
      this.umask = parent.umask;
      this.brkStart = parent.brkStart;
      this.brk = parent.brk;
      for (const [k, v] of parent.limits) this.limits.set(k, { ...v });
      for (const [k, v] of parent.sig.actions) this.sig.actions.set(k, { ...v });
      this.termios = parent.termios;
    }
    this.fds.onClose = (_fd, file) => this.onFdClose(file);
    this.main = this.current = new GuestThread(this.pid, parent ? parent.current.comm : posix.basename(opts.exePath).slice(0, 15));
    if (parent) {
      // fork keeps the calling thread's mask and alternate stack
      this.main.mask = parent.current.mask;
      this.main.altStack = { ...parent.current.altStack };
    }
    this.threads.set(this.pid, this.main);
    this.timers = new TimerSet((t) => this.timerSignal(t));
    this.kernel.add(this);
  }

  /** execve: the new image's memory, ABI and start-up facts. Handled signals go back to their
   *  default action (ignored ones stay ignored), the other threads are gone (the engine ends
   *  their tasks), the calling thread becomes the main thread with the pid as its tid, and
   *  close-on-exec fds close. */
  adoptImage(opts: LinuxOptions): void {
    const caller = this.current;
    const abi = linuxAbiFor(opts.abi);
    const oldSig = this.sig;
    if (abi !== this.abi) this.sig = new SignalState(abi); // another ABI family: pending signals are dropped
    this.opts = opts;
    this.mem = opts.mem;
    this.abi = abi;
    this.model = { wordBits: opts.abi.wordBits, endian: opts.abi.endian, i64Align: abi.i64Align };
    this.wordMask = (1n << BigInt(opts.abi.wordBits)) - 1n;
    this.O = abi.open;
    // Handlers go back to the default; ignored signals stay ignored.
    const ignored = [...oldSig.actions.entries()].filter(([k]) => oldSig.disposition(k) === 'ignore');
    this.sig.actions.clear();
    for (const [k, v] of ignored) {
      const n = this.sig.fromGeneric(oldSig.toGeneric(k));
      if (this.sig.valid(n)) this.sig.actions.set(n, { ...v, flags: 0n, mask: 0n, restorer: 0n });
    }
    this.brkStart = this.brk = opts.brkStart;
    for (const t of this.threads.values()) t.exited = true;
    this.threads.clear();
    const comm = posix.basename(opts.exePath).slice(0, 15);
    const main = caller.tid === this.pid ? caller : new GuestThread(this.pid, comm);
    main.exited = false;
    main.comm = comm;
    main.mask = caller.mask;
    main.savedMask = null;
    main.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
    main.clearChildTid = 0n;
    main.robustList = 0n;
    this.main = this.current = main;
    this.threads.set(this.pid, main);
    this.fds.closeOnExec();
  }

  /** The process died: its memory becomes garbage (a zombie keeps only its status). */
  releaseImage(): void {
    deadSpace ??= new AddressSpace();
    this.mem = deadSpace;
    this.opts = { ...this.opts, mem: deadSpace };
  }

  // ---- threads

  /** A thread id no live thread of any guest process has. */
  newTid(): number {
    return this.kernel.allocId();
  }

  private timerSignal(t: Timer): void {
    const info: SigInfo = t.id < 0
      ? { signo: t.signo, code: SI.SI_KERNEL, kind: 'kill' }
      : { signo: t.signo, code: SI.SI_TIMER, kind: 'timer', timerId: t.id, value: t.value };
    const target = t.thread && !t.thread.exited ? t.thread : null;
    sendSignal(this, info, target);
  }

  // ---- stdio

  private installStdio(): void {
    const O = this.O;
    const { stdin, stdout, stderr } = this.opts;
    const std = (v: number | Uint8Array | ((b: Uint8Array) => void) | undefined, fd: number, name: string): FileDescription => {
      const path = `/dev/${name}`;
      if (v instanceof Uint8Array) return new BytesFile(v, `pipe:[${name}]`, O.O_RDONLY, fd + 1);
      if (typeof v === 'function') return new SinkFile(v, `pipe:[${name}]`, O.O_WRONLY, fd + 1);
      const host = new HostFdFile(v ?? fd, path, fd === 0, fd !== 0, fd === 0 ? O.O_RDONLY : O.O_WRONLY);
      if (!host.isTerminal()) return host;
      // A terminal is opened read-write; programs read and write either end (less, more).
      return new HostFdFile(v ?? fd, path, true, true, O.O_RDWR);
    };
    this.fds.install(std(stdin, 0, 'stdin'), false);
    this.fds.install(std(stdout, 1, 'stdout'), false);
    this.fds.install(std(stderr, 2, 'stderr'), false);
  }

  private onFdClose(file: FileDescription): void {
    if (this.locks.empty) return;
    // Closing any fd of a file drops this process's POSIX locks on it; the last close of a
    // description drops its OFD locks.
    let key: string;
    try {
      key = file.lockKey();
    } catch {
      return;
    }
    this.locks.release(this, key);
    if (file.refs === 1) this.locks.release(file, key);
  }

  // ---- arguments

  /** The low 32 bits as a signed int (C int, pid_t, fd). */
  int(v: bigint): number {
    return Number(BigInt.asIntN(32, v));
  }
  uint(v: bigint): number {
    return Number(BigInt.asUintN(32, v));
  }
  /** unsigned long */
  word(v: bigint): bigint {
    return v & this.wordMask;
  }
  /** long */
  sword(v: bigint): bigint {
    return BigInt.asIntN(this.model.wordBits, v);
  }
  /** A pointer or size_t as a number (above 2^53 only for values no guest buffer can have). */
  ptr(v: bigint): number {
    return Number(v & this.wordMask);
  }
  /** Test an O_* bit by name. */
  o(flags: number, name: OpenFlag): boolean {
    const bit = this.O[name];
    return (flags & bit) === bit && bit !== 0;
  }
  errnoValue(code: ErrnoName): bigint {
    return BigInt.asUintN(64, BigInt(-this.errnoNumber(code)));
  }
  /** The ABI's number for an errno name. */
  errnoNumber(code: ErrnoName): number {
    const nr = this.abi.errno.get(code);
    assert(nr !== undefined, `errno ${code} has no number in this ABI`);
    return nr;
  }

  // ---- guest memory

  input(addr: number, len: number): Uint8Array {
    return this.mem.read(addr, len);
  }
  output(addr: number, len: number): Uint8Array {
    return this.mem.writable(addr, len);
  }
  /** A NUL-terminated string argument (a path: ENAMETOOLONG past PATH_MAX). */
  cstring(addr: number, max = PATH_MAX): string {
    try {
      return this.mem.readCString(addr, max);
    } catch (e) {
      // readCString reports a string longer than max as a fault just past the limit
      if (e instanceof GuestSignal && e.addr === addr + max) fail('ENAMETOOLONG');
      throw e;
    }
  }
  /** A C int in guest memory. */
  readInt(addr: number): number {
    this.mem.read(addr, 4);
    return this.mem.view.getInt32(addr, this.model.endian === 'le');
  }
  writeInt(addr: number, v: number): void {
    this.mem.writable(addr, 4);
    this.mem.view.setInt32(addr, v, this.model.endian === 'le');
  }
  layout(role: StructRole): StructLayout {
    return layout(this.abi.structs[role], this.model);
  }
  readStruct(role: StructRole, addr: number): StructOutput {
    const l = this.layout(role);
    this.mem.read(addr, l.size);
    return decode(l, this.mem.view, addr);
  }
  writeStruct(role: StructRole, addr: number, value: StructInput): void {
    const l = this.layout(role);
    this.mem.writable(addr, l.size);
    encode(l, this.mem.view, addr, value);
  }

  // ---- paths

  /** The absolute guest path for (dirfd, path) as the *at calls take them. An empty path is
   *  ENOENT unless the caller allows AT_EMPTY_PATH (then the dirfd's own path is returned). */
  resolve(dirfd: number, path: string, allowEmpty = false): string {
    if (path === '' && !allowEmpty) fail('ENOENT');
    if (path.startsWith('/')) return normalize(path);
    let base: string;
    if (dirfd === AT.AT_FDCWD) base = this.cwd;
    else {
      const dir = this.fds.get(dirfd);
      if (path === '') return dir.path;
      if (!dir.isDirectory()) fail('ENOTDIR');
      base = dir.path;
    }
    return normalize(posix.join(base, path === '' ? '.' : path));
  }

  // ---- signals

  /** Send `sig` (guest numbering) to the calling thread, from the kernel or the caller itself
   *  (SIGPIPE, raise). The engine delivers it when the syscall returns; the syscall's result
   *  stands. */
  raise(sig: number, code: number): void {
    sendSignal(this, { signo: sig, code, kind: 'kill', pid: code === SI.SI_KERNEL ? 0 : this.pid, uid: this.uid }, this.current);
  }

  /** Log under -d unimp. */
  unimp(msg: string): void {
    if (this.logger.on('unimp')) this.logger.log(msg);
  }
}

/** Textual normalization; keeps a trailing slash, which makes "file/" fail with ENOTDIR. */
function normalize(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') && !p.endsWith('/') ? n.slice(0, -1) : n;
}
