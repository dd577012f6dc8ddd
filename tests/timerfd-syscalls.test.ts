// timerfd_create/settime/gettime: expiration counts, blocking reads, readiness in poll/epoll, the
// engine's wakeup deadline; and eventfd's semaphore mode and epoll's one-shot and edge-triggered
// rules (epoll_ctl(2), eventfd(2)).
import { describe, expect, test } from 'vitest';
import { sleepMs } from '../syscalls/sleep.js';
import { blockOf, errno, harness, type Harness } from './syscalls-harness.js';

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_PROCESS_CPUTIME_ID = 2;
const TFD_NONBLOCK = 0o4000, TFD_CLOEXEC = 0o2000000, TFD_TIMER_ABSTIME = 1;
const EPOLLIN = 1, EPOLLOUT = 4, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
const EPOLL_CTL_ADD = 1, EPOLL_CTL_MOD = 3;
const EFD_SEMAPHORE = 1, EFD_NONBLOCK = 0o4000;
const F_GETFD = 1, F_GETFL = 3;
const MS = 1_000_000n;

function itimerspec(h: Harness, valueNs: bigint, intervalNs = 0n): number {
  const at = h.alloc(32);
  const v = h.mem.view;
  v.setBigInt64(at, intervalNs / 1_000_000_000n, true);
  v.setBigInt64(at + 8, intervalNs % 1_000_000_000n, true);
  v.setBigInt64(at + 16, valueNs / 1_000_000_000n, true);
  v.setBigInt64(at + 24, valueNs % 1_000_000_000n, true);
  return at;
}
function readSpec(h: Harness, at: number): { interval: bigint; value: bigint } {
  const v = h.mem.view;
  return {
    interval: v.getBigInt64(at, true) * 1_000_000_000n + v.getBigInt64(at + 8, true),
    value: v.getBigInt64(at + 16, true) * 1_000_000_000n + v.getBigInt64(at + 24, true),
  };
}
function read8(h: Harness, fd: number): bigint | number {
  const b = h.alloc(8);
  const r = h.call('read', fd, b, 8);
  return r < 0 ? r : h.u64(b);
}

describe('timerfd', () => {
  test('flags: TFD_NONBLOCK in F_GETFL, TFD_CLOEXEC in F_GETFD; bad clock or flags is EINVAL', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    expect(fd).toBeGreaterThan(2);
    expect(h.call('fcntl', fd, F_GETFD) & 1).toBe(1);
    expect(h.call('fcntl', fd, F_GETFL) & TFD_NONBLOCK).toBe(TFD_NONBLOCK);
    expect(h.call('timerfd_create', CLOCK_PROCESS_CPUTIME_ID, 0)).toBe(errno('EINVAL'));
    expect(h.call('timerfd_create', CLOCK_MONOTONIC, 0x40)).toBe(errno('EINVAL'));
    expect(h.call('timerfd_settime', 0, 0, itimerspec(h, MS), 0)).toBe(errno('EINVAL')); // not a timerfd
  });

  test('a disarmed or not yet expired timer reads EAGAIN (non-blocking); expiry reads the count once', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_MONOTONIC, TFD_NONBLOCK);
    expect(read8(h, fd)).toBe(errno('EAGAIN'));
    expect(h.call('timerfd_settime', fd, 0, itimerspec(h, 20n * MS), 0)).toBe(0);
    expect(read8(h, fd)).toBe(errno('EAGAIN'));
    const cur = h.alloc(32);
    expect(h.call('timerfd_gettime', fd, cur)).toBe(0);
    const left = readSpec(h, cur).value;
    expect(left).toBeGreaterThan(0n);
    expect(left).toBeLessThanOrEqual(20n * MS);
    sleepMs(30);
    expect(read8(h, fd)).toBe(1n);
    expect(read8(h, fd)).toBe(errno('EAGAIN'));
    expect(h.call('timerfd_gettime', fd, cur)).toBe(0);
    expect(readSpec(h, cur)).toEqual({ interval: 0n, value: 0n });
    expect(h.call('read', fd, h.alloc(4), 4)).toBe(errno('EINVAL')); // less than 8 bytes
  });

  test('a periodic timer counts every expiration since the last read', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_BOOTTIME, TFD_NONBLOCK);
    const t0 = process.hrtime.bigint();
    h.call('timerfd_settime', fd, 0, itimerspec(h, 5n * MS, 5n * MS), 0);
    sleepMs(28);
    const n = read8(h, fd) as bigint;
    // at most one expiration per 5 ms that really passed (a loaded machine sleeps longer than asked)
    const elapsed = process.hrtime.bigint() - t0;
    expect(n).toBeGreaterThanOrEqual(4n);
    expect(n).toBeLessThanOrEqual(elapsed / (5n * MS) + 1n);
    const cur = h.alloc(32);
    h.call('timerfd_gettime', fd, cur);
    expect(readSpec(h, cur).interval).toBe(5n * MS);
  });

  test('TFD_TIMER_ABSTIME on CLOCK_REALTIME: a time in the past expires at once; old value is returned', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_REALTIME, TFD_NONBLOCK);
    const ts = h.alloc(16);
    h.call('clock_gettime', CLOCK_REALTIME, ts);
    const now = h.i64(ts) * 1_000_000_000n + h.i64(ts + 8);
    h.call('timerfd_settime', fd, TFD_TIMER_ABSTIME, itimerspec(h, now + 10_000n * MS), 0);
    const old = h.alloc(32);
    h.call('timerfd_settime', fd, TFD_TIMER_ABSTIME, itimerspec(h, now - 1000n * MS), old);
    const prev = readSpec(h, old).value;
    expect(prev).toBeGreaterThan(9_000n * MS);
    expect(prev).toBeLessThanOrEqual(10_000n * MS);
    expect(read8(h, fd)).toBe(1n);
  });

  test('settime restarts the count; it_value 0 disarms', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_MONOTONIC, TFD_NONBLOCK);
    h.call('timerfd_settime', fd, 0, itimerspec(h, MS), 0);
    sleepMs(3);
    h.call('timerfd_settime', fd, 0, itimerspec(h, 0n), 0);
    expect(read8(h, fd)).toBe(errno('EAGAIN'));
  });

  test('a blocking read blocks with the expiry as its deadline, then returns the count', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_MONOTONIC, 0);
    h.call('timerfd_settime', fd, 0, itimerspec(h, 15n * MS), 0);
    const buf = h.alloc(8);
    const b = blockOf(() => h.linux.syscall(63 /* read */, [BigInt(fd), BigInt(buf), 8n, 0n, 0n, 0n]));
    const deadline = b.wait.deadline;
    expect(deadline).not.toBeNull();
    expect(Number((deadline as bigint) - process.hrtime.bigint())).toBeLessThanOrEqual(15e6);
    expect(b.wait.poll(false)).toBeNull();
    sleepMs(20);
    expect(b.wait.poll(true)).toBe(8);
    expect(h.u64(buf)).toBe(1n);
  });

  test('the process timer set wakes the engine at the expiry, and not again once it is spent', () => {
    const h = harness();
    const timers = h.linux.process.timers;
    const fd = h.call('timerfd_create', CLOCK_MONOTONIC, TFD_NONBLOCK);
    expect(timers.nextDeadline()).toBeNull();
    const before = process.hrtime.bigint();
    h.call('timerfd_settime', fd, 0, itimerspec(h, 10n * MS), 0);
    const d = timers.nextDeadline() as bigint;
    expect(d - before).toBeGreaterThanOrEqual(10n * MS);
    expect(d - before).toBeLessThan(20n * MS);
    timers.fire(d, () => 0n);
    expect(timers.nextDeadline()).toBeNull(); // one-shot: counted, nothing more to wake for
    expect(read8(h, fd)).toBe(1n);
    h.call('timerfd_settime', fd, 0, itimerspec(h, 10n * MS, 10n * MS), 0);
    const d2 = timers.nextDeadline() as bigint;
    timers.fire(d2 + 25n * MS, () => 0n);
    expect(timers.nextDeadline()).toBe(d2 + 30n * MS);
    h.call('close', fd);
    expect(timers.nextDeadline()).toBeNull();
  });

  test('poll and epoll see the timerfd readable once it expires', () => {
    const h = harness();
    const fd = h.call('timerfd_create', CLOCK_MONOTONIC, TFD_NONBLOCK);
    const ep = h.call('epoll_create1', 0);
    const ev = h.alloc(16);
    h.mem.view.setUint32(ev, EPOLLIN, true);
    h.mem.view.setBigUint64(ev + 8, 77n, true);
    expect(h.call('epoll_ctl', ep, EPOLL_CTL_ADD, fd, ev)).toBe(0);
    const out = h.alloc(16 * 4);
    expect(h.call('epoll_pwait', ep, out, 4, 0, 0, 8)).toBe(0);
    h.call('timerfd_settime', fd, 0, itimerspec(h, 5n * MS), 0);
    const pfd = h.alloc(8);
    h.mem.view.setInt32(pfd, fd, true);
    h.mem.view.setInt16(pfd + 4, 1, true);
    const zero = h.alloc(16);
    expect(h.call('ppoll', pfd, 1, zero, 0, 8)).toBe(0);
    sleepMs(10);
    expect(h.call('ppoll', pfd, 1, zero, 0, 8)).toBe(1);
    expect(h.call('epoll_pwait', ep, out, 4, 0, 0, 8)).toBe(1);
    expect(h.u32(out)).toBe(EPOLLIN);
    expect(h.u64(out + 8)).toBe(77n);
    expect(read8(h, fd)).toBe(1n);
    expect(h.call('epoll_pwait', ep, out, 4, 0, 0, 8)).toBe(0);
  });
});

describe('eventfd and epoll rules', () => {
  test('EFD_SEMAPHORE: each read takes 1; a plain eventfd read takes all', () => {
    const h = harness();
    const sem = h.call('eventfd2', 3, EFD_SEMAPHORE | EFD_NONBLOCK);
    expect([read8(h, sem), read8(h, sem), read8(h, sem), read8(h, sem)]).toEqual([1n, 1n, 1n, errno('EAGAIN')]);
    const plain = h.call('eventfd2', 3, EFD_NONBLOCK);
    expect(read8(h, plain)).toBe(3n);
    expect(read8(h, plain)).toBe(errno('EAGAIN'));
  });

  function bump(h: Harness, fd: number, n: bigint): void {
    const b = h.alloc(8);
    h.mem.view.setBigUint64(b, n, true);
    expect(h.call('write', fd, b, 8)).toBe(8);
  }
  function add(h: Harness, ep: number, fd: number, events: number, op = EPOLL_CTL_ADD): void {
    const ev = h.alloc(16);
    h.mem.view.setUint32(ev, events >>> 0, true);
    h.mem.view.setBigUint64(ev + 8, BigInt(fd), true);
    expect(h.call('epoll_ctl', ep, op, fd, ev)).toBe(0);
  }
  const wait = (h: Harness, ep: number): number => h.call('epoll_pwait', ep, h.alloc(64), 4, 0, 0, 8);

  test('EPOLLONESHOT: reported once, then disabled until EPOLL_CTL_MOD re-arms it', () => {
    const h = harness();
    const efd = h.call('eventfd2', 1, EFD_NONBLOCK);
    const ep = h.call('epoll_create1', 0);
    add(h, ep, efd, EPOLLIN | EPOLLONESHOT);
    expect(wait(h, ep)).toBe(1);
    expect(wait(h, ep)).toBe(0);
    bump(h, efd, 1n);
    expect(wait(h, ep)).toBe(0);
    add(h, ep, efd, EPOLLIN | EPOLLONESHOT, EPOLL_CTL_MOD);
    expect(wait(h, ep)).toBe(1);
  });

  // Not yet right: a drain and refill between two waits, or more data while still readable, is a
  // new edge for the kernel; crossrun's epoll compares readiness bits only (see the report).
  test('EPOLLET: reported when it becomes ready, not again while it stays ready', () => {
    const h = harness();
    const efd = h.call('eventfd2', 0, EFD_NONBLOCK);
    const ep = h.call('epoll_create1', 0);
    add(h, ep, efd, EPOLLIN | EPOLLET);
    expect(wait(h, ep)).toBe(0);
    bump(h, efd, 1n);
    expect(wait(h, ep)).toBe(1);
    expect(wait(h, ep)).toBe(0); // still readable, no new event
    expect(read8(h, efd)).toBe(1n);
    expect(wait(h, ep)).toBe(0);
    bump(h, efd, 2n);
    expect(wait(h, ep)).toBe(1);
  });

  test('EPOLLOUT level-triggered stays reported', () => {
    const h = harness();
    const efd = h.call('eventfd2', 0, EFD_NONBLOCK);
    const ep = h.call('epoll_create1', 0);
    add(h, ep, efd, EPOLLOUT);
    expect(wait(h, ep)).toBe(1);
    expect(wait(h, ep)).toBe(1);
  });
});
