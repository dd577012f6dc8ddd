// How a syscall hands control back to the engine instead of returning a value: it blocks (the
// calling thread waits for a condition while others run), it ends the calling thread, or it is
// rt_sigreturn (the engine restores the registers from the signal frame). These travel as thrown
// objects, like ProcessExit; none is an Error and none carries a `code`, so the dispatcher passes
// them through untouched.
import { errnoOf } from './errors.js';
import type { GuestProcess } from './process.js';

/** A blocking syscall's wait. The engine parks the thread and calls poll() when something it may
 *  be waiting for has happened (a wake, a signal, I/O, its deadline), until poll returns a result. */
export interface Wait {
  /** Absolute deadline on the monotonic clock (process.hrtime.bigint() ns), or null. */
  readonly deadline: bigint | null;
  /** The condition depends on state nobody announces (pipe contents): poll at every scheduling
   *  point, not only when kicked. */
  readonly polled?: boolean;
  /** Interrupted by a handled signal, the syscall runs again if the handler has SA_RESTART
   *  (the kernel's ERESTARTSYS); otherwise it fails with EINTR (ERESTARTNOHAND, EINTR). */
  readonly restartable: boolean;
  /** A handled signal does not end the wait (vfork's parent sleeps until the child execs or
   *  exits, whatever arrives); a fatal one still ends the process. */
  readonly uninterruptible?: boolean;
  /** Once poll() gives a result, the syscall runs again from the start instead of returning it
   *  (it waited for a precondition, e.g. execve of a host program for its stdin pipe's EOF). */
  readonly rerun?: boolean;
  /** The syscall's result once the wait is over, or null to keep waiting. `timedOut`: the deadline
   *  has passed. May fail() with an errno. */
  poll(timedOut: boolean): number | bigint | null;
  /** The wait ends without poll's result (a signal interrupted it): leave any wait queue. */
  cancel?(): void;
  /** The result when interrupted and not restarted (default EINTR); e.g. nanosleep stores the
   *  time left first. */
  interrupted?(): number | bigint;
  /** Set by the dispatcher under -strace: logs the call once it completes (null: it restarts). */
  trace?: (result: bigint | null) => void;
}

/** Bumped by whatever a polled wait may depend on when it changes (bytes into or out of a pipe),
 *  so the engine knows to poll again: a wait polled earlier in the same pass (a reader) may be
 *  satisfied by one polled later (a writer that made room or put data). */
export const pollProgress = { count: 0 };

/** Thrown by a handler whose syscall must wait. */
export class Block {
  constructor(readonly wait: Wait) {}
}

/** Thrown by exit(2): the calling thread is gone (the process lives on while others remain). */
export class ThreadExit {
  constructor(readonly status: number) {}
}

/** Thrown by execve once the new image is in place: the calling task is gone, the new program's
 *  first task runs instead. */
export class ImageReplaced {}

/** Thrown by rt_sigreturn: the engine restores the registers the signal frame saved. */
export class SigreturnRequest {}

/** poll() through errno conversion: the value for the result register, or null while waiting. */
export function pollWait(p: GuestProcess, w: Wait, timedOut: boolean): bigint | null {
  try {
    const r = w.poll(timedOut);
    if (r === null) return null;
    return BigInt.asUintN(64, typeof r === 'bigint' ? r : BigInt(r));
  } catch (e) {
    const code = errnoOf(e);
    if (code === null) throw e;
    return p.errnoValue(code);
  }
}

/** The result of a wait a signal interrupted (and that is not restarted). */
export function interruptedResult(p: GuestProcess, w: Wait): bigint {
  w.cancel?.();
  if (!w.interrupted) return p.errnoValue('EINTR');
  try {
    const r = w.interrupted();
    return BigInt.asUintN(64, typeof r === 'bigint' ? r : BigInt(r));
  } catch (e) {
    const code = errnoOf(e);
    if (code === null) throw e;
    return p.errnoValue(code);
  }
}
