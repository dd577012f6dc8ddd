// Generating and taking signals (the kernel's send_signal / dequeue_signal): which queue a signal
// goes to, when it is discarded at once, which thread takes a process-wide signal, and what a
// thread takes next.
import type { GuestProcess } from './process.js';
import type { SigInfo } from './siginfo.js';
import type { GuestThread } from './threads.js';

/** Queue signal `info.signo` for `thread`, or for the whole process when thread is null. */
export function sendSignal(p: GuestProcess, info: SigInfo, thread: GuestThread | null = null): void {
  const s = p.sig;
  const sig = info.signo;
  if (!s.valid(sig)) return;
  const bit = s.bit(sig);
  const S = p.abi.signals;
  // A continue discards pending stops and a stop discards pending continues (as the kernel does).
  const stops = [S.SIGSTOP, S.SIGTSTP, S.SIGTTIN, S.SIGTTOU];
  const drop = sig === S.SIGCONT ? stops : stops.includes(sig) ? [S.SIGCONT] : [];
  for (const d of drop) for (const q of [s.shared, ...[...p.threads.values()].map((t) => t.pending)]) q.discard(d, s.bit(d));
  // An ignored signal is dropped when sent, unless blocked (its action may change before it is
  // unblocked). The kernel looks at the target thread, or the main thread for the process.
  const target = thread ?? p.main;
  if (s.disposition(sig) === 'ignore' && !(target.mask & bit)) return;
  (thread ? thread.pending : s.shared).add(info, bit, s.realtime(sig));
  p.host.kick();
}

/** Pending signals `thread` may take now (its own and the process's, not blocked). */
export function deliverable(p: GuestProcess, thread: GuestThread): bigint {
  return (thread.pending.bits | p.sig.shared.bits) & ~thread.mask;
}

/** Take the signal `thread` handles next (its own queue first), or null. `mask`: the signals not
 *  to take (default: the thread's blocked mask). */
export function takeSignal(p: GuestProcess, thread: GuestThread, mask = thread.mask): SigInfo | null {
  const s = p.sig;
  let sig = s.next(thread.pending.bits, mask);
  let q = thread.pending;
  if (sig === 0) {
    sig = s.next(s.shared.bits, mask);
    q = s.shared;
  }
  if (sig === 0) return null;
  const info = q.take(sig, s.bit(sig));
  if (info && info.timerId !== undefined) info.overrun = p.timers.taken(info.timerId);
  return info;
}

/** The thread that should notice a process-wide signal first: one that does not block it, the
 *  main thread preferred (the kernel's complete_signal). */
export function signalTarget(p: GuestProcess, sig: number): GuestThread | null {
  const bit = p.sig.bit(sig);
  if (!(p.main.mask & bit) && !p.main.exited) return p.main;
  for (const t of p.threads.values()) if (!(t.mask & bit)) return t;
  return null;
}
