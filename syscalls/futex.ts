// The futex wait queues of the process: one FIFO per futex word address. All guest threads share
// one address space, so an address is the key for private and shared futexes alike.
import type { GuestThread } from './threads.js';

export interface FutexWaiter {
  readonly thread: GuestThread;
  /** Which FUTEX_WAKE_BITSET wakes match (FUTEX_WAIT waits with all bits). */
  readonly bitset: number;
  /** The queue it is in (requeue moves it). */
  addr: number;
  woken: boolean;
}

export class FutexTable {
  private readonly queues = new Map<number, FutexWaiter[]>();

  /** Queue a waiter at addr (the caller has checked the futex word). */
  enqueue(thread: GuestThread, addr: number, bitset: number): FutexWaiter {
    const w: FutexWaiter = { thread, bitset, addr, woken: false };
    let q = this.queues.get(addr);
    if (!q) this.queues.set(addr, (q = []));
    q.push(w);
    return w;
  }

  /** Take w out of its queue (timeout, signal). */
  remove(w: FutexWaiter): void {
    const q = this.queues.get(w.addr);
    if (!q) return;
    const i = q.indexOf(w);
    if (i >= 0) q.splice(i, 1);
    if (q.length === 0) this.queues.delete(w.addr);
  }

  /** Wake up to n waiters at addr whose bitset matches; returns how many woke. */
  wake(addr: number, n: number, bitset = -1): number {
    const q = this.queues.get(addr);
    if (!q || n <= 0) return 0;
    let woke = 0;
    for (let i = 0; i < q.length && woke < n; ) {
      const w = q[i];
      if ((w.bitset & bitset) === 0) {
        i++;
        continue;
      }
      q.splice(i, 1);
      w.woken = true;
      woke++;
    }
    if (q.length === 0) this.queues.delete(addr);
    return woke;
  }

  /** Wake up to nWake waiters at from, move up to nMove of the rest to `to`; returns woken + moved
   *  (FUTEX_CMP_REQUEUE's result). */
  requeue(from: number, to: number, nWake: number, nMove: number): number {
    const woke = this.wake(from, nWake);
    const q = this.queues.get(from);
    if (!q || nMove <= 0 || from === to) return woke;
    const moved = q.splice(0, nMove);
    if (q.length === 0) this.queues.delete(from);
    let dst = this.queues.get(to);
    if (!dst) this.queues.set(to, (dst = []));
    for (const w of moved) {
      w.addr = to;
      dst.push(w);
    }
    return woke + moved.length;
  }

  waiters(addr: number): number {
    return this.queues.get(addr)?.length ?? 0;
  }
}
