// Signal state: the process's installed actions and its shared pending queue (signals sent to the
// whole process), and the queue type threads keep their own pending signals in. Numbers are the
// guest ABI's; the engine's GuestSignal uses the generic numbering, so conversions go through
// signal names.
import type { LinuxAbi, SignalName } from './abi/types.js';
import { ASM_GENERIC_RISCV64 } from './abi/asm-generic.js';
import type { SigInfo } from './siginfo.js';

export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}
export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

/** Default actions other than "terminate" (signal(7)). SIGCONT's default (continue) is nothing to
 *  do for a running process. */
const DEFAULT_IGNORE: readonly SignalName[] = ['SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH'];
const DEFAULT_STOP: readonly SignalName[] = ['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'];
/** Taken before other pending signals, as the kernel does: they report the thread's own fault. */
const SYNCHRONOUS: readonly SignalName[] = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGTRAP', 'SIGFPE', 'SIGSYS'];
const GENERIC = ASM_GENERIC_RISCV64.signals; // the numbering of src/signals.ts

export type Disposition = 'ignore' | 'terminate' | 'stop' | 'handler';

/** Pending signals: a bit per signal number, and the queued instances with their siginfo. A
 *  standard signal is pending at most once; real-time signals queue every instance. */
export class SigQueue {
  bits = 0n;
  private items: SigInfo[] = [];

  has(bit: bigint): boolean {
    return (this.bits & bit) !== 0n;
  }
  /** Queue; false if a standard signal was already pending (it is not queued twice). */
  add(info: SigInfo, bit: bigint, realtime: boolean): boolean {
    if (!realtime && this.bits & bit) return false;
    this.items.push(info);
    this.bits |= bit;
    return true;
  }
  /** Take the oldest instance of signal `sig`. */
  take(sig: number, bit: bigint): SigInfo | null {
    const i = this.items.findIndex((s) => s.signo === sig);
    if (i < 0) return null;
    const [info] = this.items.splice(i, 1);
    if (!this.items.some((s) => s.signo === sig)) this.bits &= ~bit;
    return info;
  }
  /** Forget every instance of `sig` (its action became "ignore"). */
  discard(sig: number, bit: bigint): void {
    this.items = this.items.filter((s) => s.signo !== sig);
    this.bits &= ~bit;
  }
  find(pred: (s: SigInfo) => boolean): SigInfo | undefined {
    return this.items.find(pred);
  }
}

export class SignalState {
  readonly actions = new Map<number, SigAction>();
  /** Signals sent to the process as a whole (kill, timers, the host), until some thread takes one. */
  readonly shared = new SigQueue();
  private readonly names = new Map<number, SignalName>();
  private readonly ignoreByDefault = new Set<number>();
  private readonly stopByDefault = new Set<number>();
  private readonly synchronousBits: bigint;

  constructor(private readonly abi: LinuxAbi) {
    for (const [name, nr] of Object.entries(abi.signals) as Array<[SignalName, number]>) this.names.set(nr, name);
    for (const n of DEFAULT_IGNORE) this.ignoreByDefault.add(abi.signals[n]);
    for (const n of DEFAULT_STOP) this.stopByDefault.add(abi.signals[n]);
    this.synchronousBits = SYNCHRONOUS.reduce((m, n) => m | this.bit(abi.signals[n]), 0n);
  }

  valid(sig: number): boolean {
    return sig >= 1 && sig <= this.abi.nsig;
  }
  bit(sig: number): bigint {
    return 1n << BigInt(sig - 1);
  }
  realtime(sig: number): boolean {
    return sig >= this.abi.sigrtmin;
  }
  /** SIGKILL and SIGSTOP: cannot be caught, ignored or blocked. */
  unblockable(): bigint {
    return this.bit(this.abi.signals.SIGKILL) | this.bit(this.abi.signals.SIGSTOP);
  }
  name(sig: number): string {
    const n = this.names.get(sig);
    if (n) return n;
    if (sig >= this.abi.sigrtmin && sig <= this.abi.nsig) return sig === this.abi.sigrtmin ? 'SIGRTMIN' : `SIGRTMIN+${sig - this.abi.sigrtmin}`;
    return String(sig);
  }

  action(sig: number): SigAction | undefined {
    return this.actions.get(sig);
  }

  disposition(sig: number): Disposition {
    if (sig === this.abi.signals.SIGKILL) return 'terminate';
    if (sig === this.abi.signals.SIGSTOP) return 'stop';
    const h = this.actions.get(sig)?.handler ?? SIG_DFL;
    if (h === SIG_IGN) return 'ignore';
    if (h !== SIG_DFL) return 'handler';
    if (this.stopByDefault.has(sig)) return 'stop';
    return this.ignoreByDefault.has(sig) ? 'ignore' : 'terminate';
  }

  /** The signal to take next from `pending` (bits) that `mask` does not block: the thread's own
   *  faults first, then the lowest number. 0 if none. */
  next(pending: bigint, mask: bigint): number {
    let ready = pending & ~mask;
    if (ready === 0n) return 0;
    if (ready & this.synchronousBits) ready &= this.synchronousBits;
    let sig = 1;
    while (!(ready & 1n)) {
      ready >>= 1n;
      sig++;
    }
    return sig;
  }

  /** Generic (src/signals.ts) number ↔ this ABI's number. */
  toGeneric(sig: number): number {
    const n = this.names.get(sig);
    return n ? GENERIC[n] : sig;
  }
  fromGeneric(sig: number): number {
    for (const [name, nr] of Object.entries(GENERIC) as Array<[SignalName, number]>) if (nr === sig) return this.abi.signals[name];
    return sig;
  }
}
