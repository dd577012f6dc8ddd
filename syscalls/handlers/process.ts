// Processes: fork, vfork, execve/execveat, wait4/waitid, process groups and sessions, kill()
// between guest processes. The engine does the copying and loading (TaskHost.fork/exec); the
// process table is syscalls/kernel.ts; deaths, stops and SIGCHLD are syscalls/children.ts.
import { SI } from '../siginfo.js';
import { encodeSigInfo, SIGINFO_SIZE, type SigInfo } from '../siginfo.js';
import { Block } from '../blocking.js';
import { processContinued, signalProcess } from '../children.js';
import { sendSignal } from '../signal-send.js';
import { checkSignal, senderInfo } from './signal.js';
import { fail } from '../errors.js';
import { CLD, INIT_PID, type Kernel } from '../kernel.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

/** include/uapi/linux/wait.h */
export const W = {
  WNOHANG: 0x1, WUNTRACED: 0x2, WSTOPPED: 0x2, WEXITED: 0x4, WCONTINUED: 0x8, WNOWAIT: 0x1000000,
  __WNOTHREAD: 0x20000000, __WALL: 0x40000000, __WCLONE: 0x80000000,
} as const;
const WAIT4_OPTIONS = W.WNOHANG | W.WUNTRACED | W.WCONTINUED | W.__WNOTHREAD | W.__WCLONE | W.__WALL;
const WAITID_OPTIONS = W.WNOHANG | W.WSTOPPED | W.WEXITED | W.WCONTINUED | W.WNOWAIT | W.__WNOTHREAD | W.__WCLONE | W.__WALL;
const P = { P_ALL: 0, P_PID: 1, P_PGID: 2, P_PIDFD: 3 } as const;

/** Which children a wait looks at. */
type Selector = { readonly kind: 'all' } | { readonly kind: 'pid'; readonly pid: number } | { readonly kind: 'pgid'; readonly pgid: number };

/** A child's state change a wait reports. */
interface Report {
  readonly child: GuestProcess;
  readonly status: number;
  readonly code: number;
  /** siginfo's si_status: the exit code or the signal. */
  readonly siStatus: number;
}

function selected(p: GuestProcess, c: GuestProcess, sel: Selector, options: number): boolean {
  if (sel.kind === 'pid' && c.pid !== sel.pid) return false;
  if (sel.kind === 'pgid' && c.pgid !== sel.pgid) return false;
  if (options & W.__WALL) return true;
  // A "clone" child reports to its parent with a signal other than SIGCHLD (or none).
  const cloneChild = c.exitSignal !== p.abi.signals.SIGCHLD;
  return (options & W.__WCLONE) !== 0 === cloneChild;
}

/** The state change to report now, null if none yet; ECHILD when no child matches. Consumes it
 *  unless WNOWAIT. */
function findReport(p: GuestProcess, sel: Selector, options: number): Report | null {
  const k: Kernel = p.kernel;
  const kids = k.children(p.pid).filter((c) => selected(p, c, sel, options));
  if (kids.length === 0) fail('ECHILD');
  const keep = (options & W.WNOWAIT) !== 0;
  for (const c of kids) {
    if (c.zombie && options & W.WEXITED) {
      const st = c.waitStatus;
      const signalled = (st & 0x7f) !== 0;
      const code = !signalled ? CLD.CLD_EXITED : st & 0x80 ? CLD.CLD_DUMPED : CLD.CLD_KILLED;
      if (!keep) k.remove(c);
      return { child: c, status: st, code, siStatus: signalled ? st & 0x7f : (st >> 8) & 0xff };
    }
    const ev = c.event;
    if (ev !== null && ((ev.kind === 'stopped' && options & W.WSTOPPED) || (ev.kind === 'continued' && options & W.WCONTINUED))) {
      if (!keep) c.event = null;
      return { child: c, status: ev.status, code: ev.kind === 'stopped' ? CLD.CLD_STOPPED : CLD.CLD_CONTINUED, siStatus: ev.signo };
    }
  }
  return null;
}

/** Report now, or block the calling thread until a child changes state (WNOHANG: 0 at once). */
function waitChild(p: GuestProcess, sel: Selector, options: number, done: (r: Report | null) => number): number {
  const r = findReport(p, sel, options);
  if (r !== null || options & W.WNOHANG) return done(r);
  throw new Block({
    deadline: null,
    polled: true,
    restartable: true,
    poll: () => {
      const r2 = findReport(p, sel, options);
      return r2 === null ? null : done(r2);
    },
  });
}

function zeroRusage(p: GuestProcess, at: number): void {
  if (at === 0) return;
  p.output(at, p.layout('rusage').size).fill(0);
}

function wait4(p: GuestProcess, pidArg: number, statusAt: number, options: number, rusageAt: number): number {
  if (options & ~WAIT4_OPTIONS) fail('EINVAL');
  if (pidArg === -0x80000000) fail('ESRCH');
  const sel: Selector = pidArg < -1 ? { kind: 'pgid', pgid: -pidArg } : pidArg === -1 ? { kind: 'all' } : pidArg === 0 ? { kind: 'pgid', pgid: p.pgid } : { kind: 'pid', pid: pidArg };
  return waitChild(p, sel, options | W.WEXITED, (r) => {
    if (r === null) return 0;
    if (statusAt !== 0) p.writeInt(statusAt, r.status);
    zeroRusage(p, rusageAt);
    return r.child.pid;
  });
}

function waitid(p: GuestProcess, idtype: number, id: number, infoAt: number, options: number, rusageAt: number): number {
  if (options & ~WAITID_OPTIONS || !(options & (W.WEXITED | W.WSTOPPED | W.WCONTINUED))) fail('EINVAL');
  let sel: Selector;
  if (idtype === P.P_ALL) sel = { kind: 'all' };
  else if (idtype === P.P_PID) {
    if (id <= 0) fail('EINVAL');
    sel = { kind: 'pid', pid: id };
  } else if (idtype === P.P_PGID) {
    if (id < 0) fail('EINVAL');
    sel = { kind: 'pgid', pgid: id === 0 ? p.pgid : id };
  } else return fail('EINVAL'); // P_PIDFD: no pidfds
  return waitChild(p, sel, options, (r) => {
    if (infoAt !== 0) {
      const info: SigInfo = r === null
        ? { signo: 0, code: 0, kind: 'chld', pid: 0, uid: 0, status: 0 }
        : { signo: p.abi.signals.SIGCHLD, code: r.code, kind: 'chld', pid: r.child.pid, uid: r.child.uid, status: r.siStatus };
      p.output(infoAt, SIGINFO_SIZE).set(encodeSigInfo(info, p.model));
    }
    zeroRusage(p, rusageAt);
    return 0;
  });
}

/** A NULL-terminated array of string pointers (argv, envp); a NULL array is empty. */
function stringArray(p: GuestProcess, at: number): string[] {
  const out: string[] = [];
  if (at === 0) return out;
  const word = p.model.wordBits / 8;
  const le = p.model.endian === 'le';
  for (let i = 0; ; i++) {
    if (i >= 0x20000) fail('E2BIG'); // MAX_ARG_STRINGS
    const a = at + i * word;
    p.input(a, word);
    const ptr = word === 8 ? Number(p.mem.view.getBigUint64(a, le) & 0xffffffffn) : p.mem.view.getUint32(a, le);
    if (ptr === 0) return out;
    out.push(p.cstring(ptr, 128 * 1024)); // MAX_ARG_STRLEN
  }
}

function execve(p: GuestProcess, dirfd: number, pathAt: number, argvAt: number, envAt: number, flags: number): never {
  const path = p.cstring(pathAt);
  const argv = stringArray(p, argvAt);
  const env = stringArray(p, envAt);
  if (p.host.exec === undefined) fail('ENOSYS');
  return p.host.exec({ path, dirfd, flags, argv, env });
}

function fork(p: GuestProcess, exitSignal: number, vfork: boolean): number {
  const child = p.host.fork?.({ exitSignal, stack: 0n, tls: null, vforkShared: vfork }) ?? fail('ENOSYS');
  if (!vfork) return child.pid;
  return vforkWait(child);
}

/** vfork: the parent sleeps until the child execs or exits. */
export function vforkWait(child: GuestProcess): never {
  child.vforkDone = false;
  throw new Block({ deadline: null, polled: true, restartable: false, uninterruptible: true, poll: () => (child.vforkDone ? child.pid : null) });
}

/** kill(2) among guest processes: pid > 0 one process, 0 the caller's group, -1 every process
 *  but the caller (and init), < -1 the group -pid. */
function kill(p: GuestProcess, pid: number, sig: number): number {
  checkSignal(p, sig);
  const k = p.kernel;
  let targets: GuestProcess[];
  if (pid > 0) {
    const q = k.get(pid) ?? (p.threads.has(pid) ? p : [...k.procs.values()].find((x) => !x.zombie && x.threads.has(pid)));
    if (q === undefined) fail('ESRCH');
    targets = [q];
  } else if (pid === 0) targets = k.group(p.pgid);
  else if (pid === -1) targets = [...k.procs.values()].filter((q) => q !== p && !q.zombie && q.pid !== INIT_PID);
  else targets = k.group(pid === -0x80000000 ? fail('ESRCH') : -pid);
  if (targets.length === 0) fail('ESRCH');
  for (const q of targets) signalProcess(q, senderInfo(p, sig, SI.SI_USER));
  return 0;
}

/** tgkill/tkill: one thread of any guest process. */
function killThread(p: GuestProcess, tgid: number | null, tid: number, sig: number): number {
  if ((tgid !== null && tgid <= 0) || tid <= 0) fail('EINVAL');
  checkSignal(p, sig);
  const k = p.kernel;
  const q = tgid !== null ? k.live(tgid) : p.threads.has(tid) ? p : [...k.procs.values()].find((x) => !x.zombie && x.threads.has(tid));
  const t = q?.threads.get(tid);
  if (q === undefined || t === undefined || t.exited) return fail('ESRCH');
  if (sig === 0) return 0;
  const S = q.abi.signals;
  if (sig === S.SIGCONT) processContinued(q);
  if (sig === S.SIGKILL) q.stopped = false;
  sendSignal(q, senderInfo(p, sig, SI.SI_TKILL), t);
  return 0;
}

function setpgid(p: GuestProcess, pid: number, pgid: number): number {
  const k = p.kernel;
  if (pgid < 0) fail('EINVAL');
  const target = pid === 0 ? p : k.live(pid);
  if (target === undefined || (target !== p && target.ppid !== p.pid)) fail('ESRCH');
  if (target.sid !== p.sid) fail('EPERM');
  if (target.sid === target.pid) fail('EPERM'); // a session leader stays in its group
  const want = pgid === 0 ? target.pid : pgid;
  if (want !== target.pid && !k.group(want).some((q) => q.sid === p.sid)) fail('EPERM');
  target.pgid = want;
  return 0;
}

function setsid(p: GuestProcess): number {
  if (p.kernel.group(p.pid).length > 0) fail('EPERM'); // already a group leader
  p.sid = p.pgid = p.pid;
  return p.pid;
}

function lookup(p: GuestProcess, pid: number): GuestProcess {
  if (pid === 0) return p;
  return p.kernel.get(pid) ?? fail('ESRCH');
}

export const processTreeSyscalls: SyscallTable = {
  fork: { args: [], run: (p) => fork(p, p.abi.signals.SIGCHLD, false) },
  vfork: { args: [], run: (p) => fork(p, p.abi.signals.SIGCHLD, true) },
  execve: {
    args: ['path', 'ptr', 'ptr'],
    run: (p, [path, argv, envp]) => execve(p, -100, p.ptr(path), p.ptr(argv), p.ptr(envp), 0),
  },
  execveat: {
    args: ['dirfd', 'path', 'ptr', 'ptr', 'atflags'],
    run: (p, [dirfd, path, argv, envp, flags]) => execve(p, p.int(dirfd), p.ptr(path), p.ptr(argv), p.ptr(envp), p.int(flags)),
  },
  wait4: {
    args: ['int', 'ptr', 'int', 'ptr'],
    run: (p, [pid, status, options, rusage]) => wait4(p, p.int(pid), p.ptr(status), p.int(options), p.ptr(rusage)),
  },
  waitid: {
    args: ['int', 'int', 'ptr', 'int', 'ptr'],
    run: (p, [idtype, id, info, options, rusage]) => waitid(p, p.int(idtype), p.int(id), p.ptr(info), p.int(options), p.ptr(rusage)),
  },
  kill: {
    args: ['int', 'signal'],
    run: (p, [pid, sig]) => kill(p, p.int(pid), p.int(sig)),
  },
  tgkill: {
    args: ['int', 'int', 'signal'],
    run: (p, [tgid, tid, sig]) => killThread(p, p.int(tgid), p.int(tid), p.int(sig)),
  },
  tkill: {
    args: ['int', 'signal'],
    run: (p, [tid, sig]) => killThread(p, null, p.int(tid), p.int(sig)),
  },
  getppid: { args: [], run: (p) => p.ppid },
  getpgid: { args: ['int'], run: (p, [pid]) => lookup(p, p.int(pid)).pgid },
  getpgrp: { args: [], run: (p) => p.pgid },
  setpgid: { args: ['int', 'int'], run: (p, [pid, pgid]) => setpgid(p, p.int(pid), p.int(pgid)) },
  getsid: { args: ['int'], run: (p, [pid]) => lookup(p, p.int(pid)).sid },
  setsid: { args: [], run: (p) => setsid(p) },
};
