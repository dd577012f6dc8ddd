// Per-process signal state: installed actions, the blocked mask, pending signals, the alternate
// stack. Numbers are the guest ABI's; the engine's GuestSignal uses the generic numbering, so
// conversions go through signal names.
import type { LinuxAbi, SignalName } from './abi/types.js';
import { ASM_GENERIC_RISCV64 } from './abi/asm-generic.js';

export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}
export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

/** Default actions other than "terminate" (signal(7)). Stop signals cannot stop an emulated
 *  process that nobody can continue, so they are ignored. */
const DEFAULT_IGNORE: readonly SignalName[] = ['SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'];
const GENERIC = ASM_GENERIC_RISCV64.signals; // the numbering of src/signals.ts

export type Disposition = 'ignore' | 'terminate' | 'handler';

export class SignalState {
  readonly actions = new Map<number, SigAction>();
  mask = 0n;
  pending = 0n;
  altStack = { sp: 0n, flags: 2 /* SS_DISABLE */, size: 0n };
  private readonly names = new Map<number, SignalName>();
  private readonly ignoreByDefault = new Set<number>();

  constructor(private readonly abi: LinuxAbi) {
    for (const [name, nr] of Object.entries(abi.signals) as Array<[SignalName, number]>) this.names.set(nr, name);
    for (const n of DEFAULT_IGNORE) this.ignoreByDefault.add(abi.signals[n]);
  }

  valid(sig: number): boolean {
    return sig >= 1 && sig <= this.abi.nsig;
  }
  bit(sig: number): bigint {
    return 1n << BigInt(sig - 1);
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

  disposition(sig: number): Disposition {
    if (sig === this.abi.signals.SIGKILL) return 'terminate';
    const a = this.actions.get(sig);
    const h = a?.handler ?? SIG_DFL;
    if (h === SIG_IGN) return 'ignore';
    if (h !== SIG_DFL) return 'handler';
    return this.ignoreByDefault.has(sig) ? 'ignore' : 'terminate';
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
