// Signal bookkeeping: actions, the blocked mask, the alternate stack, and kill/tgkill/tkill of
// this process. Delivery to guest handlers needs signal frames (the arch's part, later): until
// then the engine treats an installed handler as the default action.
import { GuestSignal, SiCode } from '../../src/signals.js';
import { big } from '../codec.js';
import { RaiseSignal, fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

const SIGSET_SIZE = 8; // the kernel's sigset_t: 64 signals on every ABI here
const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const SS_AUTODISARM = 1 << 31;
const MINSIGSTKSZ = 2048;

function checkSigsetSize(p: GuestProcess, size: bigint): void {
  if (p.word(size) !== BigInt(SIGSET_SIZE)) fail('EINVAL');
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
    if (p.sig.disposition(sig) === 'ignore') p.sig.pending &= ~p.sig.bit(sig); // POSIX: discard pending
  }
  return 0;
}

/** After the mask shrinks: deliver the lowest pending signal that is now unblocked. */
function deliverUnblocked(p: GuestProcess): void {
  const ready = p.sig.pending & ~p.sig.mask;
  if (!ready) return;
  let sig = 1;
  while (!(ready & p.sig.bit(sig))) sig++;
  p.sig.pending &= ~p.sig.bit(sig);
  if (p.sig.disposition(sig) !== 'ignore') throw new RaiseSignal(new GuestSignal(p.sig.toGeneric(sig), SiCode.SI_USER, 0), 0n);
}

function rtSigprocmask(p: GuestProcess, how: number, set: number, oset: number, size: bigint): number {
  checkSigsetSize(p, size);
  const H = p.abi.sigHow;
  const old = p.sig.mask;
  if (set) {
    const s = big(p.readStruct('sigset', set), 'sig');
    let mask: bigint;
    if (how === H.SIG_BLOCK) mask = old | s;
    else if (how === H.SIG_UNBLOCK) mask = old & ~s;
    else if (how === H.SIG_SETMASK) mask = s;
    else return fail('EINVAL');
    p.sig.mask = mask & ~p.sig.unblockable();
  }
  if (oset) p.writeStruct('sigset', oset, { sig: old });
  deliverUnblocked(p);
  return 0;
}

function checkSignal(p: GuestProcess, sig: number): void {
  if (sig < 0 || sig > p.abi.nsig) fail('EINVAL');
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
      p.writeStruct('sigset', p.ptr(set), { sig: p.sig.pending & p.sig.mask });
      return 0;
    },
  },
  sigaltstack: {
    args: ['ptr', 'ptr'],
    run: (p, [ssArg, oldArg]) => {
      const cur = p.sig.altStack;
      const ss = p.ptr(ssArg) ? p.readStruct('stack', p.ptr(ssArg)) : null;
      const old = { ss_sp: cur.sp, ss_flags: cur.flags, ss_size: cur.size };
      if (ss) {
        const flags = Number(big(ss, 'ss_flags'));
        if (flags & ~(SS_DISABLE | SS_AUTODISARM | SS_ONSTACK)) fail('EINVAL');
        if (flags & SS_DISABLE) p.sig.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
        else {
          if (big(ss, 'ss_size') < BigInt(MINSIGSTKSZ)) fail('ENOMEM');
          p.sig.altStack = { sp: big(ss, 'ss_sp'), flags: flags & SS_AUTODISARM, size: big(ss, 'ss_size') };
        }
      }
      if (p.ptr(oldArg)) p.writeStruct('stack', p.ptr(oldArg), old);
      return 0;
    },
  },
  kill: {
    args: ['int', 'signal'],
    run: (p, [pidArg, sigArg]) => {
      const pid = p.int(pidArg);
      const sig = p.int(sigArg);
      checkSignal(p, sig);
      // This process is alone: itself, its process group (0, -pid) — and nobody else, so
      // kill(-1) (everyone but the caller) finds no one.
      if (pid !== p.pid && pid !== 0 && pid !== -p.pid) fail('ESRCH');
      if (sig !== 0) p.raise(sig, SiCode.SI_USER, 0n);
      return 0;
    },
  },
  tgkill: {
    args: ['int', 'int', 'signal'],
    run: (p, [tgid, tid, sigArg]) => {
      const sig = p.int(sigArg);
      if (p.int(tgid) <= 0 || p.int(tid) <= 0) fail('EINVAL');
      checkSignal(p, sig);
      if (p.int(tgid) !== p.pid || p.int(tid) !== p.pid) fail('ESRCH');
      if (sig !== 0) p.raise(sig, SiCode.SI_TKILL, 0n);
      return 0;
    },
  },
  tkill: {
    args: ['int', 'signal'],
    run: (p, [tid, sigArg]) => {
      const sig = p.int(sigArg);
      if (p.int(tid) <= 0) fail('EINVAL');
      checkSignal(p, sig);
      if (p.int(tid) !== p.pid) fail('ESRCH');
      if (sig !== 0) p.raise(sig, SiCode.SI_TKILL, 0n);
      return 0;
    },
  },
};
