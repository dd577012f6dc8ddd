// Signals: actions (process-wide), each thread's blocked mask and alternate stack, sending
// (kill/tkill/tgkill, rt_sigqueueinfo), waiting (rt_sigsuspend, rt_sigtimedwait) and
// rt_sigreturn. Delivery — building the frame and running the handler — is the engine's
// (src/engine/signal-delivery.ts) with the ISA's frame layout.
import { big } from '../codec.js';
import { Block, SigreturnRequest } from '../blocking.js';
import { fail } from '../errors.js';
import { clockNow, readDuration } from './time.js';
import type { GuestProcess } from '../process.js';
import { SI, SIGINFO_SIZE, encodeSigInfo, type SigInfo } from '../siginfo.js';
import { sendSignal, takeSignal } from '../signal-send.js';
import type { SyscallTable } from '../syscall-def.js';
import { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, type GuestThread } from '../threads.js';
import { CLOCK } from '../abi/common.js';

const SIGSET_SIZE = 8; // the kernel's sigset_t: 64 signals on every ABI here
const MINSIGSTKSZ = 2048;

function checkSigsetSize(p: GuestProcess, size: bigint): void {
  if (p.word(size) !== BigInt(SIGSET_SIZE)) fail('EINVAL');
}

function readSigset(p: GuestProcess, addr: number): bigint {
  return big(p.readStruct('sigset', addr), 'sig');
}

function rtSigaction(p: GuestProcess, sigArg: bigint, act: number, oact: number, size: bigint): number {
  const sig = p.int(sigArg);
  const S = p.abi.signals;
  if (!p.sig.valid(sig)) fail('EINVAL');
  checkSigsetSize(p, size);
  if (act && (sig === S.SIGKILL || sig === S.SIGSTOP)) fail('EINVAL');
  const old = p.sig.actions.get(sig) ?? { handler: 0n, flags: 0n, restorer: 0n, mask: 0n };
  // Read the new action before writing the old one: act and oact may be the same buffer.
  const next = act ? p.readStruct('sigaction', act) : null;
  if (oact) {
    const hasRestorer = p.layout('sigaction').byName.has('sa_restorer');
    p.writeStruct('sigaction', oact, {
      sa_handler: old.handler, sa_flags: old.flags, sa_mask: old.mask, ...(hasRestorer ? { sa_restorer: old.restorer } : {}),
    });
  }
  if (next) {
    const restorer = next.sa_restorer;
    p.sig.actions.set(sig, {
      handler: big(next, 'sa_handler'),
      flags: big(next, 'sa_flags'),
      restorer: typeof restorer === 'bigint' ? restorer : 0n,
      mask: big(next, 'sa_mask') & ~p.sig.unblockable(),
    });
    // POSIX: setting a pending signal's action to "ignore" discards it, in every thread.
    if (p.sig.disposition(sig) === 'ignore') {
      const bit = p.sig.bit(sig);
      p.sig.shared.discard(sig, bit);
      for (const t of p.threads.values()) t.pending.discard(sig, bit);
    }
  }
  return 0;
}

function rtSigprocmask(p: GuestProcess, how: number, set: number, oset: number, size: bigint): number {
  checkSigsetSize(p, size);
  const H = p.abi.sigHow;
  const t = p.current;
  const old = t.mask;
  if (set) {
    const s = readSigset(p, set);
    let mask: bigint;
    if (how === H.SIG_BLOCK) mask = old | s;
    else if (how === H.SIG_UNBLOCK) mask = old & ~s;
    else if (how === H.SIG_SETMASK) mask = s;
    else return fail('EINVAL');
    t.mask = mask & ~p.sig.unblockable();
  }
  if (oset) p.writeStruct('sigset', oset, { sig: old });
  return 0; // newly unblocked pending signals are delivered as the syscall returns
}

/** A signal number the guest passed: 0 … nsig, or EINVAL. */
export function checkSignal(p: GuestProcess, sig: number): void {
  if (sig < 0 || sig > p.abi.nsig) fail('EINVAL');
}

/** The siginfo of a signal p sends (kill: SI_USER, tkill/tgkill: SI_TKILL). */
export function senderInfo(p: GuestProcess, sig: number, code: number): SigInfo {
  return { signo: sig, code, kind: 'kill', pid: p.pid, uid: p.uid };
}

function threadOf(p: GuestProcess, tid: number): GuestThread {
  const t = p.threads.get(tid);
  if (!t || t.exited) fail('ESRCH');
  return t;
}

/** Is sp on the thread's alternate signal stack? */
export function onAltStack(t: GuestThread, sp: bigint): boolean {
  const a = t.altStack;
  return (a.flags & SS_DISABLE) === 0 && a.size > 0n && sp > a.sp && sp - a.sp <= a.size;
}

/** Block the calling thread until a signal is delivered, with `mask` in force meanwhile (the
 *  thread's own mask is restored after the handler: sigsuspend, ppoll and pselect's sigmask). */
export function suspendWithMask(p: GuestProcess, mask: bigint): void {
  const t = p.current;
  t.savedMask = t.mask;
  t.mask = mask & ~p.sig.unblockable();
}

/** A siginfo_t the caller supplies (rt_sigqueueinfo): only to itself may a thread send one that
 *  poses as kill() or the kernel (si_code ≥ 0, SI_TKILL). */
function queuedInfo(p: GuestProcess, sig: number, uinfo: number, targetId: number): SigInfo {
  const raw = p.input(uinfo, SIGINFO_SIZE).slice();
  const dv = new DataView(raw.buffer);
  const le = p.model.endian === 'le';
  const code = dv.getInt32(8, le);
  if ((code >= 0 || code === SI.SI_TKILL) && targetId !== p.current.tid) fail('EPERM');
  dv.setInt32(0, sig, le);
  return { signo: sig, code, kind: 'rt', raw };
}

export const signalSyscalls: SyscallTable = {
  rt_sigaction: {
    args: ['signal', 'ptr', 'ptr', 'omit'],
    run: (p, [sig, act, oact, size]) => rtSigaction(p, sig, p.ptr(act), p.ptr(oact), size),
  },
  rt_sigprocmask: {
    args: ['sighow', 'ptr', 'ptr', 'omit'],
    run: (p, [how, set, oset, size]) => rtSigprocmask(p, p.int(how), p.ptr(set), p.ptr(oset), size),
  },
  rt_sigpending: {
    args: ['ptr', 'ulong'],
    run: (p, [set, size]) => {
      if (p.word(size) > BigInt(SIGSET_SIZE)) fail('EINVAL');
      const t = p.current;
      p.writeStruct('sigset', p.ptr(set), { sig: (t.pending.bits | p.sig.shared.bits) & t.mask });
      return 0;
    },
  },
  rt_sigsuspend: {
    args: ['ptr', 'omit'],
    run: (p, [set, size]) => {
      checkSigsetSize(p, size);
      suspendWithMask(p, readSigset(p, p.ptr(set)));
      // Never completes by itself: only a delivered signal ends it, with EINTR.
      throw new Block({ deadline: null, restartable: false, poll: () => null });
    },
  },
  rt_sigtimedwait: {
    args: ['ptr', 'ptr', 'timespec', 'omit'],
    run: (p, [setArg, infoArg, timeoutArg, size]) => {
      checkSigsetSize(p, size);
      const set = readSigset(p, p.ptr(setArg)) & ~p.sig.unblockable();
      const infoAt = p.ptr(infoArg);
      const t = p.current;
      const timeout = p.ptr(timeoutArg) ? readDuration(p, p.ptr(timeoutArg)) : null;
      const take = (): number | null => {
        const info = takeSignal(p, t, ~set);
        if (!info) return null;
        if (infoAt) p.output(infoAt, SIGINFO_SIZE).set(encodeSigInfo(info, p.model));
        return info.signo;
      };
      const now = take();
      if (now !== null) return now;
      if (timeout === 0n) fail('EAGAIN');
      const deadline = timeout === null ? null : (clockNow(CLOCK.CLOCK_MONOTONIC) ?? 0n) + timeout;
      throw new Block({
        deadline,
        restartable: false,
        poll: (timedOut) => take() ?? (timedOut ? fail('EAGAIN') : null),
      });
    },
  },
  rt_sigqueueinfo: {
    args: ['int', 'signal', 'ptr'],
    run: (p, [pidArg, sigArg, uinfo]) => {
      const sig = p.int(sigArg);
      checkSignal(p, sig);
      const pid = p.int(pidArg);
      if (!p.threads.has(pid)) fail('ESRCH');
      if (sig !== 0) sendSignal(p, queuedInfo(p, sig, p.ptr(uinfo), pid));
      return 0;
    },
  },
  rt_tgsigqueueinfo: {
    args: ['int', 'int', 'signal', 'ptr'],
    run: (p, [tgid, tidArg, sigArg, uinfo]) => {
      const sig = p.int(sigArg);
      checkSignal(p, sig);
      if (p.int(tgid) !== p.pid) fail('ESRCH');
      const t = threadOf(p, p.int(tidArg));
      if (sig !== 0) sendSignal(p, queuedInfo(p, sig, p.ptr(uinfo), t.tid), t);
      return 0;
    },
  },
  rt_sigreturn: {
    args: [],
    ret: 'noreturn',
    run: () => {
      throw new SigreturnRequest();
    },
  },
  sigaltstack: {
    args: ['ptr', 'ptr'],
    run: (p, [ssArg, oldArg]) => {
      const t = p.current;
      const cur = t.altStack;
      const on = onAltStack(t, p.host.stackPointer());
      const ss = p.ptr(ssArg) ? p.readStruct('stack', p.ptr(ssArg)) : null;
      const old = { ss_sp: cur.sp, ss_flags: on ? SS_ONSTACK : cur.flags, ss_size: cur.size };
      if (ss) {
        const flags = Number(BigInt.asIntN(32, big(ss, 'ss_flags')));
        if (on) fail('EPERM');
        const mode = flags & ~SS_AUTODISARM;
        if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) fail('EINVAL');
        if (mode === SS_DISABLE) t.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
        else {
          if (big(ss, 'ss_size') < BigInt(MINSIGSTKSZ)) fail('ENOMEM');
          t.altStack = { sp: big(ss, 'ss_sp'), flags: flags & SS_AUTODISARM, size: big(ss, 'ss_size') };
        }
      }
      if (p.ptr(oldArg)) p.writeStruct('stack', p.ptr(oldArg), old);
      return 0;
    },
  },
};

