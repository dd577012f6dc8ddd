// Signal delivery, ISA-neutral (the kernel's kernel/signal.c get_signal/handle_signal): taking the
// running thread's pending signals at safe points, default actions, the alternate stack, the
// handler's mask, SA_RESETHAND/SA_NODEFER/SA_RESTART, forced synchronous faults, and
// rt_sigreturn. The frame itself is the ISA's (ArchSpec.signals); crossrun maps the sigreturn
// trampoline page the handler returns through (there is no vDSO).
import type { ArchSignals, ArchSpec } from '../arch/arch.js';
import type { Tier0Runtime } from '../jit/interp/runtime.js';
import type { Logger } from '../log.js';
import { PAGE_SIZE, Perm, type AddressSpace } from '../mem/address-space.js';
import { GuestSignal, SIGNAL_NAMES, SiCode } from '../signals.js';
import type { RunResult } from '../index.js';
import type { GuestProcess } from '../../syscalls/process.js';
import { processStopped } from '../../syscalls/children.js';
import { encodeSigInfo, SI, type SigInfo } from '../../syscalls/siginfo.js';
import { deliverable, takeSignal } from '../../syscalls/signal-send.js';
import { onAltStack } from '../../syscalls/handlers/signal.js';
import { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, type GuestThread } from '../../syscalls/threads.js';

/** The running thread's registers and pc, as the delivery code reads and changes them. */
export interface CpuView {
  readonly rt: Tier0Runtime;
  pc: number;
}

export class SignalDelivery {
  private trampolineAddr = -1;
  /** The thread's interrupted syscall restarts unless the handler delivered first lacks
   *  SA_RESTART (set when a restartable wait was interrupted; see Scheduler). */
  restartPending = false;
  private readonly p: GuestProcess;

  constructor(
    private readonly arch: ArchSpec,
    private readonly mem: AddressSpace,
    private readonly cpu: CpuView,
    process: GuestProcess,
    private readonly logger: Logger,
  ) {
    this.p = process;
  }

  /** A syscall of the running thread returned `result`. One that ran with a temporary mask
   *  (ppoll, pselect6, epoll_pwait) and did not fail with EINTR gets the thread's own mask back
   *  before any signal is taken, so a signal only the temporary mask let through stays pending
   *  (the kernel's restore_saved_sigmask_unless). */
  syscallReturned(result: bigint): void {
    const t = this.p.current;
    if (t.savedMask !== null && result !== this.p.errnoValue('EINTR')) {
      t.mask = t.savedMask;
      t.savedMask = null;
    }
  }

  /** Deliver what the running thread may take now (after a syscall, when it is switched in).
   *  Returns the run's result if a signal ends the process. Cheap when nothing is pending. */
  deliverPending(): RunResult | null {
    const p = this.p;
    const t = p.current;
    if (deliverable(p, t) !== 0n) {
      for (let n = 0; n < 128; n++) {
        const info = takeSignal(p, t);
        if (info === null) break;
        const r = this.deliverOne(t, info);
        if (r) return r;
      }
    }
    this.finishSyscallRestart(null);
    // A temporary mask (sigsuspend, ppoll…) whose wait ended without a handler: back to the
    // thread's own.
    if (t.savedMask !== null) {
      t.mask = t.savedMask;
      t.savedMask = null;
    }
    return null;
  }

  /** A synchronous signal from the thread's own instruction at pc (a fault or a trap): delivered
   *  at once; blocked or ignored, it gets the default action (the kernel's force_sig). */
  fault(sig: GuestSignal, pc: number): RunResult | null {
    const p = this.p;
    const t = p.current;
    const signo = p.sig.fromGeneric(sig.signal);
    const bit = p.sig.bit(signo);
    if (t.mask & bit || p.sig.disposition(signo) === 'ignore') {
      p.sig.actions.delete(signo);
      t.mask &= ~bit;
    }
    this.cpu.pc = pc;
    const info: SigInfo = { signo, code: sig.code, kind: 'fault', addr: sig.addr };
    return this.deliverOne(t, info, sig.addr);
  }

  /** Take `info` on thread t (the running one). */
  private deliverOne(t: GuestThread, info: SigInfo, faultAddr: number | null = null): RunResult | null {
    const p = this.p;
    const sig = info.signo;
    const disp = p.sig.disposition(sig);
    const pc = this.cpu.pc;
    if (this.logger.on('int')) this.logger.log(`crossrun: signal ${p.sig.name(sig)} (${sig}) to thread ${t.tid} at pc 0x${pc.toString(16)} (${disp})`);
    switch (disp) {
      case 'ignore':
        return null;
      case 'stop':
        this.stop(sig);
        return null;
      case 'terminate':
        return this.death(sig, pc);
      case 'handler':
        break;
    }
    const spec = this.arch.signals;
    if (spec === undefined) {
      p.unimp(`crossrun: guest handler for signal ${sig} (${SIGNAL_NAMES[p.sig.toGeneric(sig)] ?? '?'}) not supported on ${this.arch.name}; default action taken`);
      return this.death(sig, pc);
    }
    const act = p.sig.action(sig);
    if (act === undefined) return this.death(sig, pc);
    const F = p.abi.saFlags;
    const flags = Number(act.flags & 0xffffffffn);
    this.finishSyscallRestart((flags & F.SA_RESTART) !== 0);

    const S = this.cpu.rt.S;
    const sp = S[this.arch.spSlot];
    const alt = t.altStack;
    const onAlt = onAltStack(t, sp);
    let stackTop: bigint = sp;
    if (flags & F.SA_ONSTACK && !onAlt && (alt.flags & SS_DISABLE) === 0 && alt.size > 0n) stackTop = alt.sp + alt.size;
    // A frame that would run off the alternate stack we are on is not built: SIGSEGV instead.
    const overflow = onAlt && sp - BigInt(spec.frameSize) <= alt.sp;
    const frameMask = t.savedMask ?? t.mask;
    t.savedMask = null;
    const newPc = overflow || stackTop > 0xffffffffn ? null : spec.setupFrame({
      S, pc: this.cpu.pc, view: this.mem.view,
      writable: (a, n) => this.mem.ok(a, n, Perm.W),
      stackTop: Number(stackTop),
      signal: sig,
      siginfo: encodeSigInfo(info, p.model),
      handler: Number(act.handler & 0xffffffffn),
      saSiginfo: (flags & F.SA_SIGINFO) !== 0,
      returnTo: this.returnAddress(spec, act.restorer, flags),
      mask: frameMask,
      altStack: { sp: alt.sp, flags: onAlt ? SS_ONSTACK : alt.flags, size: alt.size },
      faultAddr,
    });
    if (newPc === null) return this.frameFailed(t, sig);
    if (alt.flags & SS_AUTODISARM && stackTop !== sp) t.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
    const nodefer = (flags & F.SA_NODEFER) !== 0;
    t.mask = (frameMask | act.mask | (nodefer ? 0n : p.sig.bit(sig))) & ~p.sig.unblockable();
    if (flags & F.SA_RESETHAND) p.sig.actions.delete(sig);
    this.cpu.pc = newPc;
    return null;
  }

  /** The handler's return address: SA_RESTORER's restorer where the ABI has one, else our
   *  trampoline page. */
  private returnAddress(spec: ArchSignals, restorer: bigint, flags: number): number {
    const bit = this.p.abi.saFlags.SA_RESTORER ?? 0;
    if (bit !== 0 && flags & bit && restorer !== 0n) return Number(restorer & 0xffffffffn);
    if (this.trampolineAddr < 0) {
      const at = this.mem.findFree(PAGE_SIZE);
      if (at === null) return 0;
      this.mem.map(at, PAGE_SIZE, Perm.R | Perm.X, '[sigpage]');
      this.mem.bytes.set(spec.trampoline, at);
      this.trampolineAddr = at;
    }
    return this.trampolineAddr;
  }

  /** The frame could not be written (bad stack): SIGSEGV with the default action, as the kernel's
   *  force_sigsegv. */
  private frameFailed(t: GuestThread, sig: number): RunResult | null {
    const p = this.p;
    const segv = p.abi.signals.SIGSEGV;
    if (sig === segv) return this.death(segv, this.cpu.pc);
    p.sig.actions.delete(segv);
    t.mask &= ~p.sig.bit(segv);
    return this.deliverOne(t, { signo: segv, code: SI.SI_KERNEL, kind: 'fault', addr: 0 });
  }

  /** An interrupted restartable syscall: run it again (pc back onto the syscall instruction, its
   *  argument registers untouched), or fail it with EINTR when the handler has no SA_RESTART.
   *  `restart` null: no handler ran, so it restarts. */
  private finishSyscallRestart(restart: boolean | null): void {
    if (!this.restartPending) return;
    this.restartPending = false;
    if (restart === false) {
      this.cpu.rt.S[this.arch.syscallAbi.retSlot] = this.p.errnoValue('EINTR');
    } else {
      this.cpu.pc -= this.arch.signals?.syscallInsnLen ?? 4;
    }
  }

  /** rt_sigreturn: registers, mask and alternate stack from the frame at sp. */
  sigreturn(): RunResult | null {
    const p = this.p;
    const spec = this.arch.signals;
    const S = this.cpu.rt.S;
    const out = spec?.restoreFrame(S, this.mem.view, (a, n) => this.mem.ok(a, n, Perm.R)) ?? null;
    if (out === null) return this.fault(new GuestSignal(p.sig.toGeneric(p.abi.signals.SIGSEGV), SI.SI_KERNEL, 0), this.cpu.pc);
    const t = p.current;
    t.mask = out.mask & ~p.sig.unblockable();
    // As sigaltstack(&uc_stack, NULL) would, which changes nothing while on the alternate stack.
    if (!onAltStack(t, S[this.arch.spSlot])) {
      const a = out.altStack;
      const mode = a.flags & ~SS_AUTODISARM;
      if (mode === SS_DISABLE) t.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
      else if ((mode === 0 || mode === SS_ONSTACK) && a.size >= 2048n) t.altStack = { sp: a.sp, flags: a.flags & SS_AUTODISARM, size: a.size };
    }
    this.cpu.pc = out.pc;
    return null;
  }

  /** A signal (guest number) the debugger passes to the guest, or sends. */
  inject(sig: GuestSignal, synchronous: boolean): RunResult | null {
    if (synchronous) return this.fault(sig, this.cpu.pc);
    const p = this.p;
    const signo = p.sig.fromGeneric(sig.signal);
    return this.deliverOne(p.current, { signo, code: sig.code || SiCode.SI_USER, kind: 'kill', pid: 0, uid: p.uid });
  }

  /** A stop signal's default action: the first process stops crossrun itself (as qemu does; the
   *  shell that started us sees the job stop); another guest process stops inside crossrun (its
   *  tasks wait for SIGCONT) and its parent hears of it. */
  stop(sig: number): void {
    const p = this.p;
    if (p.pid === p.kernel.topPid) {
      stopHostProcess();
      return;
    }
    processStopped(p, sig);
    p.host.yieldSlice();
  }

  /** A fork child's copy of the parent's memory has the parent's trampoline page too. */
  inheritFrom(parent: SignalDelivery): void {
    this.trampolineAddr = parent.trampolineAddr;
  }

  /** The process dies of `sig`: the result a parent's wait() sees (generic numbering). */
  death(sig: number, pc: number): RunResult {
    const generic = this.p.sig.toGeneric(sig);
    return { exitCode: 128 + generic, signal: generic, pc };
  }
}

/** A stop signal's default action: stop our own process as the kernel would stop the guest's (a
 *  shell sees the job stop; SIGCONT resumes it). qemu-user does the same. */
export function stopHostProcess(): void {
  try {
    process.kill(process.pid, 'SIGSTOP');
  } catch {
    // not possible here (no such signal on the host): carry on
  }
}
