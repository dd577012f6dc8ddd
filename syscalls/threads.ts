// The threads of the guest process as the syscall layer sees them (the kernel's task_struct, the
// parts that are not registers): ids, per-thread signal state, clone's tid pointers, the robust
// futex list, the name. The engine runs them (src/engine); TaskHost is what it offers the syscall
// layer in return.
import type { GuestProcess } from './process.js';
import { SigQueue } from './sigstate.js';

export interface AltStack {
  sp: bigint;
  flags: number;
  size: bigint;
}
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 1 << 31;

export class GuestThread {
  /** Blocked signals (guest numbering, bit sig-1). */
  mask = 0n;
  /** Signals sent to this thread (tgkill, faults, SIGEV_THREAD_ID timers). */
  readonly pending = new SigQueue();
  altStack: AltStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
  /** The mask to restore after the handler a sigsuspend/ppoll/pselect waited for (the kernel's
   *  saved_sigmask): their temporary mask stays in force until the signal is taken. */
  savedMask: bigint | null = null;
  /** CLONE_CHILD_CLEARTID / set_tid_address: zeroed and futex-woken when the thread exits. */
  clearChildTid = 0n;
  robustList = 0n;
  robustListLen = 0n;
  /** prctl(PR_SET_NAME), /proc/self/task/<tid>/comm: at most 15 bytes. */
  comm: string;
  exited = false;

  constructor(readonly tid: number, comm: string) {
    this.comm = comm;
  }
}

/** fork/vfork/clone without CLONE_THREAD: what the child starts with. */
export interface ForkRequest {
  /** The signal the parent gets when the child dies (0: none). */
  readonly exitSignal: number;
  /** The child's stack pointer (0: the parent's). */
  readonly stack: bigint;
  /** The child's thread pointer (null: the parent's). */
  readonly tls: bigint | null;
  /** vfork (CLONE_VM|CLONE_VFORK): the real child shares the parent's memory while the parent
   *  waits; what the child writes before it execs or exits is copied back into the parent. */
  readonly vforkShared?: boolean;
}

/** execve/execveat, the arguments read from guest memory. */
export interface ExecRequest {
  /** The path as the guest gave it (relative to `dirfd`), or '' with AT_EMPTY_PATH. */
  readonly path: string;
  readonly dirfd: number;
  /** execveat's AT_* flags (0 for execve). */
  readonly flags: number;
  readonly argv: readonly string[];
  readonly env: readonly string[];
}

/** The engine, as the syscall layer needs it. */
export interface TaskHost {
  /** Start thread t: a copy of the calling thread's registers, continuing after the syscall with
   *  result 0, its stack pointer set to `stack` (unless 0) and its thread pointer to `tls` (unless
   *  null). Fails (fail()) if the ISA cannot run threads. */
  spawn(t: GuestThread, stack: bigint, tls: bigint | null): void;
  /** Something a blocked thread may wait for happened (a futex wake, a queued signal, a timer):
   *  the engine re-checks waits before it runs guest code again. */
  kick(): void;
  /** The calling thread gives up the rest of its time slice (sched_yield). */
  yieldSlice(): void;
  /** The calling thread's stack pointer (sigaltstack's SS_ONSTACK). */
  stackPointer(): bigint;
  /** A new process, a copy of the calling one (its address space copied), whose only thread
   *  continues after the syscall with result 0. Returns the child (already runnable). */
  fork?(req: ForkRequest): GuestProcess;
  /** Replace the calling process's image: throws ImageReplaced when the new program is in place
   *  (the syscall does not return), fails (fail()) with Linux's errno otherwise. Both are absent
   *  in hosts that run one process (syscall tests): ENOSYS then. */
  exec?(req: ExecRequest): never;
}

/** Used until an engine attaches (syscall tests): one thread, nothing to schedule. */
export const NO_HOST: TaskHost = {
  spawn() {
    throw new Error('crossrun internal error: no engine to start a thread');
  },
  kick() {},
  yieldSlice() {},
  stackPointer: () => 0n,
  fork() {
    throw new Error('crossrun internal error: no engine to start a process');
  },
  exec() {
    throw new Error('crossrun internal error: no engine to run a program');
  },
};
