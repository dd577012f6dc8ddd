// Signal syscalls and queues through the syscall layer: standard signals pending once, real-time
// ones queued in order, the thread's own faults first; rt_sigtimedwait, rt_sigqueueinfo (with its
// permission rule), signalfd, sigsuspend's temporary mask, interval and POSIX timers firing into
// the queues with overruns.
import { describe, expect, it } from 'vitest';
import { Block } from '../syscalls/blocking.js';
import { SigQueue, SignalState } from '../syscalls/sigstate.js';
import { ASM_GENERIC_RISCV64 } from '../syscalls/abi/asm-generic.js';
import { deliverable, takeSignal } from '../syscalls/signal-send.js';
import { PID, errno, harness, type Harness, thrown } from './syscalls-harness.js';

const SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGALRM = 14, SIGRTMIN = 32;
const bit = (s: number) => 1n << BigInt(s - 1);

function sigset(h: Harness, ...sigs: number[]): number {
  const at = h.alloc(8);
  h.mem.view.setBigUint64(at, sigs.reduce((m, s) => m | bit(s), 0n), true);
  return at;
}

describe('signal queues', () => {
  it('standard signals are pending once; real-time ones queue every instance in order', () => {
    const q = new SigQueue();
    expect(q.add({ signo: SIGUSR1, code: 0, kind: 'kill', pid: 1 }, bit(SIGUSR1), false)).toBe(true);
    expect(q.add({ signo: SIGUSR1, code: 0, kind: 'kill', pid: 2 }, bit(SIGUSR1), false)).toBe(false);
    q.add({ signo: 34, code: -1, kind: 'rt', value: 1n }, bit(34), true);
    q.add({ signo: 34, code: -1, kind: 'rt', value: 2n }, bit(34), true);
    expect(q.take(SIGUSR1, bit(SIGUSR1))?.pid).toBe(1);
    expect(q.take(SIGUSR1, bit(SIGUSR1))).toBeNull();
    expect(q.take(34, bit(34))?.value).toBe(1n);
    expect(q.has(bit(34))).toBe(true);
    expect(q.take(34, bit(34))?.value).toBe(2n);
    expect(q.bits).toBe(0n);
  });

  it('the next signal: synchronous faults first, then the lowest number, never a blocked one', () => {
    const s = new SignalState(ASM_GENERIC_RISCV64);
    expect(s.next(bit(SIGUSR1) | bit(SIGSEGV) | bit(40), 0n)).toBe(SIGSEGV);
    expect(s.next(bit(SIGUSR2) | bit(40), 0n)).toBe(SIGUSR2);
    expect(s.next(bit(SIGUSR2) | bit(40), bit(SIGUSR2))).toBe(40);
    expect(s.next(bit(SIGUSR2), bit(SIGUSR2))).toBe(0);
    expect(s.disposition(19)).toBe('stop'); // SIGSTOP
    expect(s.disposition(20)).toBe('stop'); // SIGTSTP by default
    expect(s.disposition(18)).toBe('ignore'); // SIGCONT by default
  });

  it('a thread takes its own signals before the process-wide ones', () => {
    const h = harness();
    const p = h.linux.process;
    expect(h.call('kill', PID, SIGUSR1)).toBe(0);
    expect(h.call('tgkill', PID, PID, SIGUSR2)).toBe(0);
    expect(deliverable(p, p.main)).toBe(bit(SIGUSR1) | bit(SIGUSR2));
    expect(takeSignal(p, p.main)?.signo).toBe(SIGUSR2);
    expect(takeSignal(p, p.main)?.signo).toBe(SIGUSR1);
    expect(takeSignal(p, p.main)).toBeNull();
  });
});

describe('waiting for signals', () => {
  it('rt_sigtimedwait takes a blocked signal from the set, lowest first, with its siginfo; EAGAIN when none', () => {
    const h = harness();
    const set = sigset(h, SIGRTMIN + 1, SIGRTMIN + 3);
    expect(h.call('rt_sigprocmask', 0, set, 0, 8)).toBe(0);
    const info = h.alloc(128);
    const send = (sig: number, value: number) => {
      const u = h.alloc(128);
      h.mem.view.setInt32(u + 8, -1, true); // SI_QUEUE
      h.mem.view.setBigUint64(u + 24, BigInt(value), true); // si_value
      expect(h.call('rt_sigqueueinfo', PID, sig, u)).toBe(0);
    };
    send(SIGRTMIN + 3, 1);
    send(SIGRTMIN + 1, 2);
    send(SIGRTMIN + 1, 3);
    const zero = h.alloc(16);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      const sig = h.call('rt_sigtimedwait', set, info, zero, 8);
      got.push(`${sig - SIGRTMIN}:${h.u64(info + 24)}:${h.mem.view.getInt32(info, true) - SIGRTMIN}:${h.mem.view.getInt32(info + 8, true)}`);
    }
    expect(got).toEqual(['1:2:1:-1', '1:3:1:-1', '3:1:3:-1']);
    expect(h.call('rt_sigtimedwait', set, info, zero, 8)).toBe(errno('EAGAIN'));
    // without a timeout it blocks, and a signal sent later completes it
    const e = thrown(() => h.call('rt_sigtimedwait', set, info, 0, 8)) as Block;
    expect(e).toBeInstanceOf(Block);
    expect(e.wait.poll(false)).toBeNull();
    send(SIGRTMIN + 3, 9);
    expect(e.wait.poll(false)).toBe(SIGRTMIN + 3);
    expect(h.u64(info + 24)).toBe(9n);
  });

  it('rt_sigqueueinfo may not pose as kill() or the kernel for another thread', () => {
    const h = harness();
    const u = h.alloc(128); // si_code 0 = SI_USER
    expect(h.call('rt_sigqueueinfo', PID, SIGUSR1, u)).toBe(0); // to itself: allowed
    expect(h.call('rt_sigqueueinfo', PID + 5, SIGUSR1, u)).toBe(errno('ESRCH'));
  });

  it('rt_sigsuspend waits with a temporary mask, kept until the signal is taken', () => {
    const h = harness();
    const p = h.linux.process;
    expect(h.call('rt_sigprocmask', 0, sigset(h, SIGUSR1), 0, 8)).toBe(0);
    const e = thrown(() => h.call('rt_sigsuspend', sigset(h, SIGUSR2), 8)) as Block;
    expect(e).toBeInstanceOf(Block);
    expect(e.wait.restartable).toBe(false);
    expect(p.main.mask).toBe(bit(SIGUSR2));
    expect(p.main.savedMask).toBe(bit(SIGUSR1));
  });

  it('signalfd: reads take pending signals of its mask as signalfd_siginfo records', () => {
    const h = harness();
    const set = sigset(h, SIGUSR1);
    h.call('rt_sigprocmask', 0, set, 0, 8);
    const fd = h.call('signalfd4', -1, set, 8, 0o4000 /* SFD_NONBLOCK */);
    expect(fd).toBeGreaterThan(2);
    const buf = h.alloc(256);
    expect(h.call('read', fd, buf, 256)).toBe(errno('EAGAIN'));
    expect(h.call('tgkill', PID, PID, SIGUSR1)).toBe(0);
    expect(h.call('read', fd, buf, 256)).toBe(128);
    expect([h.u32(buf), h.mem.view.getInt32(buf + 8, true), h.u32(buf + 12)]).toEqual([SIGUSR1, -6, PID]);
    expect(h.call('read', fd, buf, 100)).toBe(errno('EINVAL'));
    expect(h.call('signalfd4', 1, set, 8, 0)).toBe(errno('EINVAL')); // not a signalfd
  });
});

describe('timers', () => {
  it('setitimer arms ITIMER_REAL; firing queues SIGALRM; getitimer reports what is left', () => {
    const h = harness();
    const p = h.linux.process;
    const it = h.alloc(32);
    h.mem.view.setBigInt64(it + 24, 50_000n, true); // it_value = 50 ms
    expect(h.call('setitimer', 0, it, 0)).toBe(0);
    const cur = h.alloc(32);
    expect(h.call('getitimer', 0, cur)).toBe(0);
    const left = Number(h.i64(cur + 16)) * 1e6 + Number(h.i64(cur + 24));
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(50_000);
    const due = p.timers.nextDeadline();
    expect(due).not.toBeNull();
    p.timers.fire((due ?? 0n) + 1n, () => 0n);
    expect(p.sig.shared.bits).toBe(bit(SIGALRM));
    expect(p.timers.nextDeadline()).toBeNull(); // one-shot
    expect(h.call('setitimer', 5, it, 0)).toBe(errno('EINVAL'));
  });

  it('POSIX timers: SIGEV_SIGNAL with a value, periodic expiries counted as overruns while queued', () => {
    const h = harness();
    const p = h.linux.process;
    const sev = h.alloc(64);
    h.mem.view.setBigUint64(sev, 77n, true); // sigev_value
    h.mem.view.setInt32(sev + 8, SIGRTMIN + 2, true); // signo
    h.mem.view.setInt32(sev + 12, 0, true); // SIGEV_SIGNAL
    const idp = h.alloc(8);
    expect(h.call('timer_create', 1, sev, idp)).toBe(0);
    const id = h.mem.view.getInt32(idp, true);
    const its = h.alloc(32);
    h.mem.view.setBigInt64(its + 8, 1_000_000n, true); // interval 1 ms
    h.mem.view.setBigInt64(its + 24, 1_000_000n, true); // first in 1 ms
    expect(h.call('timer_settime', id, 0, its, 0)).toBe(0);
    const first = p.timers.nextDeadline() ?? 0n;
    p.timers.fire(first + 3_500_000n, () => 0n); // 4 expiries: one signal, 3 overruns
    const info = takeSignal(p, p.main);
    expect(info).toMatchObject({ signo: SIGRTMIN + 2, code: -2, timerId: id, value: 77n, overrun: 3 });
    expect(h.call('timer_getoverrun', id)).toBe(3);
    expect(h.call('timer_delete', id)).toBe(0);
    expect(h.call('timer_delete', id)).toBe(errno('EINVAL'));
    h.mem.view.setInt32(sev + 12, 4, true); // SIGEV_THREAD_ID
    h.mem.view.setInt32(sev + 16, PID + 1, true); // no such thread
    expect(h.call('timer_create', 1, sev, idp)).toBe(errno('EINVAL'));
    expect(h.call('timer_create', 99, sev, idp)).toBe(errno('EINVAL'));
  });
});
