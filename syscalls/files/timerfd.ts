// timerfd_create: a timer whose expirations are read as an 8-byte count (guest byte order) instead
// of a signal. Its deadline is kept on the monotonic clock (crossrun's realtime and boottime
// clocks are fixed offsets from it). While armed it is one of the process's TimerSet wakeups, so
// an engine whose threads all wait (a blocking read, poll/epoll on it) wakes at its expiry.
import { Block } from '../blocking.js';
import { fail } from '../errors.js';
import type { Wakeup } from '../timers.js';
import { AnonFile } from './anon.js';
import { POLL } from './description.js';

export interface TimerFdHost {
  /** The owning process's wakeup set (TimerSet.wakeups). */
  readonly wakeups: Set<Wakeup>;
  /** Tell the engine that a wait may be over (TaskHost.kick). */
  kick(): void;
}

const now = (): bigint => process.hrtime.bigint();

export class TimerFd extends AnonFile implements Wakeup {
  /** Next expiry not yet counted (monotonic ns), or null when disarmed or spent. */
  private nextAt: bigint | null = null;
  interval = 0n;
  /** Expirations counted and not yet read. */
  ticks = 0n;

  constructor(readonly clockId: number, statusFlags: number, private readonly le: boolean, private readonly host: TimerFdHost) {
    super('[timerfd]', statusFlags);
  }

  /** Arm at monotonic time `at` (null: disarm); the count of unread expirations restarts at 0. */
  arm(at: bigint | null, interval: bigint): void {
    this.ticks = 0n;
    this.interval = interval;
    this.nextAt = at;
    if (at === null) this.host.wakeups.delete(this);
    else this.host.wakeups.add(this);
    this.host.kick();
  }

  next(): bigint | null {
    return this.nextAt;
  }

  settle(t: bigint = now()): void {
    const at = this.nextAt;
    if (at === null || at > t) return;
    if (this.interval > 0n) {
      const n = (t - at) / this.interval + 1n;
      this.ticks += n;
      this.nextAt = at + n * this.interval;
    } else {
      this.ticks += 1n;
      this.nextAt = null;
      this.host.wakeups.delete(this);
    }
    this.arrived++;
    this.host.kick();
  }

  /** Time to the next expiry (0 when disarmed), for timerfd_gettime. */
  remaining(): bigint {
    this.settle();
    if (this.nextAt === null) return 0n;
    const left = this.nextAt - now();
    return left > 0n ? left : 1n;
  }

  private take(dst: Uint8Array): number | null {
    this.settle();
    if (this.ticks === 0n) return null;
    new DataView(dst.buffer, dst.byteOffset, 8).setBigUint64(0, this.ticks, this.le);
    this.ticks = 0n;
    return 8;
  }

  override read(dst: Uint8Array): number {
    if (dst.length < 8) fail('EINVAL');
    const n = this.take(dst);
    if (n !== null) return n;
    if (this.nonblock) fail('EAGAIN');
    // Block until the next expiry; the deadline follows a re-arm by another thread.
    const self = this;
    throw new Block({
      get deadline() {
        return self.nextAt;
      },
      restartable: true,
      poll: () => self.take(dst),
    });
  }
  override write(): number {
    return fail('EINVAL');
  }
  readiness(): number {
    this.settle();
    return this.ticks > 0n ? POLL.IN | POLL.RDNORM : 0;
  }
  override release(): void {
    this.host.wakeups.delete(this);
  }
}
