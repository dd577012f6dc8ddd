// The process's timers: the three interval timers (setitimer) and POSIX timers (timer_create).
// Each fires by queueing a signal; the engine asks for the earliest deadline to sleep until when
// every thread waits, and calls fire() at its scheduling points. Timers on wall-clock clocks keep
// their deadlines on the monotonic clock (crossrun's realtime clock is a fixed offset from it);
// CPU-time timers (ITIMER_VIRTUAL/PROF, CPU clocks) run on the host process's CPU time, which only
// advances while guest code runs, so they never wake an idle wait.
import type { GuestThread } from './threads.js';

export type TimerClock = 'mono' | 'cpu';
export type TimerNotify = 'signal' | 'none' | 'thread';

export interface Timer {
  /** POSIX timer id (timer_create's result); -1 for interval timers. */
  readonly id: number;
  /** The clock id it was created on; `clock` is the time base that clock runs on. */
  readonly clockId: number;
  readonly clock: TimerClock;
  /** Next expiry in ns on its clock; null when disarmed. */
  next: bigint | null;
  interval: bigint;
  readonly signo: number;
  readonly notify: TimerNotify;
  /** SIGEV_THREAD_ID: the thread the signal goes to (else the process). */
  readonly thread: GuestThread | null;
  /** sigev_value, handed to the handler in si_value. */
  readonly value: bigint;
  /** Expirations since the signal was queued that it could not carry (timer_getoverrun). */
  overrun: number;
  lastOverrun: number;
  /** Its signal is queued and not yet taken: further expirations count as overruns. */
  queued: boolean;
}

export function newTimer(init: Pick<Timer, 'id' | 'clockId' | 'clock' | 'signo' | 'notify' | 'thread' | 'value'>): Timer {
  return { ...init, next: null, interval: 0n, overrun: 0, lastOverrun: 0, queued: false };
}

/** A deadline the engine must wake for that sends no signal (an armed timerfd): `next` is its
 *  next unaccounted expiry on the monotonic clock; `settle` accounts the expiries up to `now`. */
export interface Wakeup {
  next(): bigint | null;
  settle(monoNow: bigint): void;
}

export class TimerSet {
  /** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF (null until first set). */
  readonly itimers: Array<Timer | null> = [null, null, null];
  readonly posix = new Map<number, Timer>();
  /** Armed timerfds (syscalls/files/timerfd.ts). */
  readonly wakeups = new Set<Wakeup>();
  private nextId = 0;

  /** `send` queues the timer's signal (the caller builds the siginfo). */
  constructor(private readonly send: (t: Timer) => void) {}

  allocId(): number {
    while (this.posix.has(this.nextId)) this.nextId = (this.nextId + 1) & 0x7fffffff;
    return this.nextId++;
  }

  private *all(): Iterable<Timer> {
    for (const t of this.itimers) if (t) yield t;
    yield* this.posix.values();
  }

  /** The earliest expiry of a monotonic-clock timer (ns), or null. */
  nextDeadline(): bigint | null {
    let d: bigint | null = null;
    for (const t of this.all()) if (t.clock === 'mono' && t.next !== null && (d === null || t.next < d)) d = t.next;
    for (const w of this.wakeups) {
      const n = w.next();
      if (n !== null && (d === null || n < d)) d = n;
    }
    return d;
  }

  hasCpuTimers(): boolean {
    for (const t of this.all()) if (t.clock === 'cpu' && t.next !== null) return true;
    return false;
  }

  /** Fire every timer that is due; `cpuNow` is read only if a CPU-time timer is armed. */
  fire(monoNow: bigint, cpuNow: () => bigint): void {
    for (const w of this.wakeups) w.settle(monoNow);
    let cpu: bigint | null = null;
    for (const t of this.all()) {
      if (t.next === null) continue;
      const now = t.clock === 'mono' ? monoNow : (cpu ??= cpuNow());
      if (t.next > now) continue;
      let expirations = 1;
      if (t.interval > 0n) {
        const n = (now - t.next) / t.interval + 1n;
        t.next += n * t.interval;
        expirations = n > 0x7fffffffn ? 0x7fffffff : Number(n);
      } else {
        t.next = null;
      }
      if (t.notify === 'none') continue;
      if (t.id < 0) {
        this.send(t); // an interval timer's standard signal is pending at most once anyway
      } else if (t.queued) {
        t.overrun = Math.min(0x7fffffff, t.overrun + expirations);
      } else {
        t.overrun = expirations - 1;
        t.queued = true;
        this.send(t);
      }
    }
  }

  /** Its signal was taken: the overrun count moves to what timer_getoverrun reports. */
  taken(id: number): number {
    const t = this.posix.get(id);
    if (!t) return 0;
    t.queued = false;
    t.lastOverrun = t.overrun;
    t.overrun = 0;
    return t.lastOverrun;
  }
}
