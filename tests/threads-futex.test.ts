// futex(2) through the syscall layer: value checks (EAGAIN), alignment (EINVAL), timeouts (relative
// for WAIT, absolute for WAIT_BITSET on either clock), waking by count and by bitset, REQUEUE and
// CMP_REQUEUE, WAKE_OP's operation and comparison, and what is not implemented (PI: ENOSYS).
// A wait that must block throws Block; tests drive its poll() as the engine would.
import { describe, expect, it } from 'vitest';
import type { Wait } from '../syscalls/blocking.js';
import { errno, harness, type Harness, blockOf } from './syscalls-harness.js';

const WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, LOCK_PI = 6, WAIT_BITSET = 9, WAKE_BITSET = 10;
const PRIVATE = 128, REALTIME = 256;

function word(h: Harness, v: number): number {
  const at = h.alloc(8);
  h.mem.view.setInt32(at, v, true);
  return at;
}
function timespec(h: Harness, ns: bigint): number {
  const t = h.alloc(16);
  h.mem.view.setBigInt64(t, ns / 1_000_000_000n, true);
  h.mem.view.setBigInt64(t + 8, ns % 1_000_000_000n, true);
  return t;
}
/** A futex call that blocks: its wait. */
function blocked(h: Harness, ...args: Array<number | bigint>): Wait {
  return blockOf(() => h.sys('futex', ...args)).wait;
}

describe('futex', () => {
  it('WAIT: EAGAIN when the word differs, EINVAL when misaligned, EFAULT when unmapped', () => {
    const h = harness();
    const f = word(h, 5);
    expect(h.call('futex', f, WAIT | PRIVATE, 4, 0)).toBe(errno('EAGAIN'));
    expect(h.call('futex', f + 2, WAIT, 5, 0)).toBe(errno('EINVAL'));
    expect(h.call('futex', 0x1000, WAIT, 0, 0)).toBe(errno('EFAULT'));
    expect(h.call('futex', f, 99, 0, 0)).toBe(errno('ENOSYS'));
    expect(h.call('futex', f, WAKE | REALTIME, 1, 0)).toBe(errno('ENOSYS')); // the clock flag only for waits
  });

  it('WAIT blocks until WAKE; WAKE wakes up to n waiters, oldest first', () => {
    const h = harness();
    const f = word(h, 0);
    const w1 = blocked(h, f, WAIT | PRIVATE, 0, 0);
    const w2 = blocked(h, f, WAIT | PRIVATE, 0, 0);
    const w3 = blocked(h, f, WAIT, 0, 0);
    expect(w1.deadline).toBeNull();
    expect(w1.restartable).toBe(true); // no timeout: SA_RESTART restarts it
    expect(w1.poll(false)).toBeNull();
    expect(h.call('futex', f, WAKE | PRIVATE, 2)).toBe(2);
    expect([w1.poll(false), w2.poll(false), w3.poll(false)]).toEqual([0, 0, null]);
    w3.cancel?.(); // interrupted: leaves the queue
    expect(h.call('futex', f, WAKE, 10)).toBe(0);
  });

  it('timeouts: WAIT relative, WAIT_BITSET absolute (monotonic or realtime); ETIMEDOUT', () => {
    const h = harness();
    const f = word(h, 0);
    const now = process.hrtime.bigint();
    const rel = blocked(h, f, WAIT, 0, timespec(h, 50_000_000n));
    expect(Number((rel.deadline ?? 0n) - now)).toBeGreaterThanOrEqual(50_000_000);
    expect(rel.restartable).toBe(false); // with a timeout: EINTR
    expect(() => rel.poll(true)).toThrow(); // fail('ETIMEDOUT'): the engine turns it into -ETIMEDOUT
    expect(h.call('futex', f, WAKE, 1)).toBe(0); // the timed-out waiter left the queue
    // absolute, in the past: at once
    expect(h.call('futex', f, WAIT_BITSET, 0, timespec(h, 1n), 0, -1)).toBe(errno('ETIMEDOUT'));
    const abs = blocked(h, f, WAIT_BITSET, 0, timespec(h, now + 1_000_000_000n), 0, -1);
    expect(abs.deadline).toBe(now + 1_000_000_000n);
    // CLOCK_REALTIME: converted to the monotonic clock
    const wall = BigInt(Date.now()) * 1_000_000n + 1_000_000_000n;
    const rt = blocked(h, f, WAIT_BITSET | REALTIME, 0, timespec(h, wall), 0, -1);
    expect(Math.abs(Number((rt.deadline ?? 0n) - (process.hrtime.bigint() + 1_000_000_000n)))).toBeLessThan(50_000_000);
    expect(h.call('futex', f, WAIT, 0, timespec(h, -1n))).toBe(errno('EINVAL'));
  });

  it('bitsets: WAKE_BITSET wakes only matching waiters; bitset 0 is EINVAL', () => {
    const h = harness();
    const f = word(h, 0);
    const a = blocked(h, f, WAIT_BITSET, 0, 0, 0, 0b01);
    const b = blocked(h, f, WAIT_BITSET, 0, 0, 0, 0b10);
    expect(h.call('futex', f, WAKE_BITSET, 10, 0, 0, 0b10)).toBe(1);
    expect([a.poll(false), b.poll(false)]).toEqual([null, 0]);
    expect(h.call('futex', f, WAKE, 1)).toBe(1); // plain WAKE matches every bitset
    expect(a.poll(false)).toBe(0);
    expect(h.call('futex', f, WAIT_BITSET, 0, 0, 0, 0)).toBe(errno('EINVAL'));
    expect(h.call('futex', f, WAKE_BITSET, 1, 0, 0, 0)).toBe(errno('EINVAL'));
  });

  it('REQUEUE and CMP_REQUEUE move waiters to another futex', () => {
    const h = harness();
    const f = word(h, 7);
    const g = word(h, 0);
    const ws = [0, 1, 2, 3].map(() => blocked(h, f, WAIT, 7, 0));
    expect(h.call('futex', f, CMP_REQUEUE, 1, 2, g, 6)).toBe(errno('EAGAIN')); // *f != 6
    expect(h.call('futex', f, CMP_REQUEUE, 1, 2, g, 7)).toBe(3); // woke 1, moved 2
    expect(ws.map((w) => w.poll(false))).toEqual([0, null, null, null]);
    expect(h.call('futex', g, WAKE, 10)).toBe(2);
    expect(ws.map((w) => w.poll(false))).toEqual([0, 0, 0, null]);
    expect(h.call('futex', f, REQUEUE, 0, 5, g)).toBe(1); // moved the last one, no compare
    expect(h.call('futex', g, WAKE, 10)).toBe(1);
    expect(ws[3].poll(false)).toBe(0);
    expect(h.call('futex', f, CMP_REQUEUE, -1, 1, g, 7)).toBe(errno('EINVAL'));
  });

  it('WAKE_OP: operates on the second word, wakes on the first, and on the second if the old value compares', () => {
    const h = harness();
    const f = word(h, 0);
    const g = word(h, 5);
    const wf = blocked(h, f, WAIT, 0, 0);
    const wg = blocked(h, g, WAIT, 5, 0);
    // op ADD 3, compare old > 4: both wake
    const enc = (op: number, cmp: number, oparg: number, cmparg: number) => (op << 28) | (cmp << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff);
    expect(h.call('futex', f, WAKE_OP, 1, 1, g, enc(1, 4, 3, 4))).toBe(2);
    expect(h.mem.view.getInt32(g, true)).toBe(8);
    expect([wf.poll(false), wg.poll(false)]).toEqual([0, 0]);
    // op OR with OPARG_SHIFT (1 << 4), compare old == 0: no second wake
    const wg2 = blocked(h, g, WAIT, 8, 0);
    expect(h.call('futex', f, WAKE_OP, 1, 1, g, enc(8 | 2, 0, 4, 0))).toBe(0);
    expect(h.mem.view.getInt32(g, true)).toBe(8 | 16);
    expect(wg2.poll(false)).toBeNull();
    expect(h.call('futex', f, WAKE_OP, 1, 1, g, enc(7, 0, 0, 0))).toBe(errno('ENOSYS'));
  });

  it('priority-inheritance commands are not implemented: ENOSYS, never a wrong answer', () => {
    const h = harness();
    expect(h.call('futex', word(h, 0), LOCK_PI, 0, 0)).toBe(errno('ENOSYS'));
  });
});
