// What the kernel does when a guest process dies, stops or continues (exit_notify,
// do_notify_parent, do_notify_parent_cldstop): the zombie and its wait status, SIGCHLD with its
// siginfo to the parent, auto-reaping when the parent ignores SIGCHLD or set SA_NOCLDWAIT,
// orphans reparented to "init" (and reaped by crossrun), and kill() between guest processes.
import { CLD, INIT_PID, WaitStatus } from './kernel.js';
import type { GuestProcess } from './process.js';
import type { SigInfo } from './siginfo.js';
import { sendSignal } from './signal-send.js';
import { SIG_IGN } from './sigstate.js';

/** How a process ended: an exit code, or a guest signal (and whether it dumped core). */
export type Death = { readonly code: number } | { readonly signo: number; readonly core: boolean };

/** Signals whose default action dumps core (signal(7)). */
const CORE_SIGNALS = ['SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGSYS', 'SIGXCPU', 'SIGXFSZ'] as const;

/** Would the kernel dump core for death by `signo`? Only with a nonzero RLIMIT_CORE. */
export function dumpsCore(p: GuestProcess, signo: number): boolean {
  const S = p.abi.signals;
  if (!CORE_SIGNALS.some((n) => S[n] === signo)) return false;
  return (p.limits.get(p.abi.rlimit.RLIMIT_CORE)?.cur ?? 0n) > 0n;
}

function parentOf(p: GuestProcess): GuestProcess | undefined {
  return p.ppid === INIT_PID ? undefined : p.kernel.live(p.ppid);
}

function chldInfo(child: GuestProcess, signo: number, code: number, status: number): SigInfo {
  return { signo, code, kind: 'chld', pid: child.pid, uid: child.uid, status };
}

/** The process died: it becomes a zombie holding its wait status (or is reaped at once when
 *  nobody will wait for it), its fds close, its children go to init, its parent hears of it. */
export function processDied(p: GuestProcess, how: Death): void {
  if (p.zombie) return;
  p.zombie = true;
  p.stopped = false;
  p.event = null;
  p.vforkDone = true;
  p.waitStatus = 'code' in how ? WaitStatus.exited(how.code) : WaitStatus.killed(how.signo, how.core);
  for (const t of p.threads.values()) t.exited = true;
  p.fds.closeAll();
  p.releaseImage();
  const k = p.kernel;
  for (const c of k.children(p.pid)) {
    c.ppid = INIT_PID;
    if (c.zombie) k.remove(c); // crossrun plays init and reaps it
  }
  const parent = parentOf(p);
  if (parent === undefined) {
    if (p.pid !== k.topPid) k.remove(p);
    return;
  }
  const S = parent.abi.signals;
  const act = parent.sig.action(S.SIGCHLD);
  const noWait = act !== undefined && (act.handler === SIG_IGN || (act.flags & BigInt(parent.abi.saFlags.SA_NOCLDWAIT)) !== 0n);
  const code = 'code' in how ? CLD.CLD_EXITED : how.core ? CLD.CLD_DUMPED : CLD.CLD_KILLED;
  const status = 'code' in how ? how.code : how.signo;
  if (p.exitSignal !== 0) sendSignal(parent, chldInfo(p, p.exitSignal, code, status));
  if (noWait && p.exitSignal === S.SIGCHLD) k.remove(p);
  parent.host.kick();
}

/** The process stopped (a stop signal's default action): its parent may learn it by wait with
 *  WUNTRACED and gets SIGCHLD unless it set SA_NOCLDSTOP. */
export function processStopped(p: GuestProcess, signo: number): void {
  if (p.stopped || p.zombie) return;
  p.stopped = true;
  p.event = { kind: 'stopped', status: WaitStatus.stopped(signo), signo };
  notifyStopCont(p, CLD.CLD_STOPPED, signo);
}

/** SIGCONT reached a stopped process: it runs again; the parent may learn it (WCONTINUED). */
export function processContinued(p: GuestProcess): void {
  if (!p.stopped || p.zombie) return;
  p.stopped = false;
  const S = p.abi.signals;
  p.event = { kind: 'continued', status: WaitStatus.continued, signo: S.SIGCONT };
  notifyStopCont(p, CLD.CLD_CONTINUED, S.SIGCONT);
  p.host.kick();
}

function notifyStopCont(p: GuestProcess, code: number, status: number): void {
  const parent = parentOf(p);
  if (parent === undefined) return;
  const S = parent.abi.signals;
  const act = parent.sig.action(S.SIGCHLD);
  if (act !== undefined && (act.flags & BigInt(parent.abi.saFlags.SA_NOCLDSTOP)) !== 0n) return;
  sendSignal(parent, chldInfo(p, S.SIGCHLD, code, status));
  parent.host.kick();
}

/** Send signal `info.signo` to process q as kill() does: SIGCONT resumes a stopped process at
 *  once (whatever its action), SIGKILL reaches a stopped one too. Zombies take nothing. */
export function signalProcess(q: GuestProcess, info: SigInfo): void {
  if (q.zombie || info.signo === 0) return;
  const S = q.abi.signals;
  if (info.signo === S.SIGCONT) processContinued(q);
  if (info.signo === S.SIGKILL) q.stopped = false;
  sendSignal(q, info);
}
