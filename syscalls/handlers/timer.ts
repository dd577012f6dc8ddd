// Sleeps and timers: nanosleep and clock_nanosleep (the thread blocks; others run; a handled
// signal interrupts with EINTR and the time left), setitimer/getitimer (alarm() is setitimer in
// glibc on these ABIs), and POSIX timers (timer_create … timer_delete) with SIGEV_SIGNAL,
// SIGEV_NONE and SIGEV_THREAD_ID (glibc's SIGEV_THREAD is built on the last), and timerfds.
import { CLOCK, TIMER_ABSTIME } from '../abi/common.js';
import { Block } from '../blocking.js';
import { big, decode, defineStruct, encode, layout, num, sub, type StructDecl, type StructInput, type StructOutput } from '../codec.js';
import { fail } from '../errors.js';
import { TimerFd } from '../files/timerfd.js';
import type { GuestProcess } from '../process.js';
import { TIMESPEC, TIMEVAL } from '../structs.js';
import type { SyscallTable } from '../syscall-def.js';
import { newTimer, type Timer, type TimerClock } from '../timers.js';
import { REALTIME_BASE, clockNow, cpuNs, readDuration, timespec } from './time.js';

const NS = 1_000_000_000n;
const ITIMERVAL = defineStruct('itimerval', [['it_interval', TIMEVAL], ['it_value', TIMEVAL]]);
const ITIMERSPEC = defineStruct('itimerspec', [['it_interval', TIMESPEC], ['it_value', TIMESPEC]]);
/** struct sigevent: sigev_value, signo, notify, then a union whose first int is the thread id. */
const SIGEVENT = defineStruct('sigevent', [['sigev_value', 'ptr'], ['sigev_signo', 'int'], ['sigev_notify', 'int'], ['sigev_tid', 'int']]);
const SIGEV = { SIGEV_SIGNAL: 0, SIGEV_NONE: 1, SIGEV_THREAD: 2, SIGEV_THREAD_ID: 4 } as const;
const ITIMER = { ITIMER_REAL: 0, ITIMER_VIRTUAL: 1, ITIMER_PROF: 2 } as const;

function readStruct(p: GuestProcess, decl: StructDecl, addr: number): StructOutput {
  const l = layout(decl, p.model);
  p.input(addr, l.size);
  return decode(l, p.mem.view, addr);
}
function writeStruct(p: GuestProcess, decl: StructDecl, addr: number, value: StructInput): void {
  const l = layout(decl, p.model);
  p.output(addr, l.size);
  encode(l, p.mem.view, addr, value);
}

function monoNow(): bigint {
  return clockNow(CLOCK.CLOCK_MONOTONIC) ?? 0n;
}

/** Block until the monotonic deadline; a handled signal ends the sleep early with EINTR, after
 *  `onInterrupt` (which stores the time left). */
function sleepUntil(deadline: bigint, onInterrupt: () => void): number {
  if (deadline <= monoNow()) return 0;
  throw new Block({
    deadline,
    restartable: false,
    poll: (timedOut) => (timedOut ? 0 : null),
    interrupted: () => {
      onInterrupt();
      return fail('EINTR');
    },
  });
}

function writeRemaining(p: GuestProcess, rem: number, deadline: bigint): void {
  if (!rem) return;
  const left = deadline - monoNow();
  p.writeStruct('timespec', rem, timespec(left > 0n ? left : 0n));
}

/** Clock ids a timer or sleep may use, and which of our two time bases it runs on. */
function clockKind(id: number): TimerClock | null {
  switch (id) {
    case CLOCK.CLOCK_REALTIME: case CLOCK.CLOCK_MONOTONIC: case CLOCK.CLOCK_BOOTTIME:
    case CLOCK.CLOCK_REALTIME_ALARM: case CLOCK.CLOCK_BOOTTIME_ALARM: case CLOCK.CLOCK_TAI:
      return 'mono';
    case CLOCK.CLOCK_PROCESS_CPUTIME_ID: case CLOCK.CLOCK_THREAD_CPUTIME_ID:
      return 'cpu';
    default:
      return null;
  }
}

/** An absolute time on clock `id` as a deadline on the timer's own base (monotonic or CPU). */
function absDeadline(id: number, t: bigint): bigint {
  if (id === CLOCK.CLOCK_REALTIME || id === CLOCK.CLOCK_REALTIME_ALARM) return t - REALTIME_BASE;
  if (id === CLOCK.CLOCK_TAI) return t - REALTIME_BASE - 37n * NS;
  return t;
}

function itimerDuration(v: StructOutput, field: string): bigint {
  const tv = sub(v, field);
  const sec = big(tv, 'tv_sec');
  const usec = big(tv, 'tv_usec');
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) fail('EINVAL');
  return sec * NS + usec * 1000n;
}

function specDuration(v: StructOutput, field: string): bigint {
  const ts = sub(v, field);
  const sec = big(ts, 'tv_sec');
  const nsec = big(ts, 'tv_nsec');
  if (sec < 0n || nsec < 0n || nsec >= NS) fail('EINVAL');
  return sec * NS + nsec;
}

/** Time left and interval of a timer, for getitimer/timer_gettime. */
function remaining(t: Timer | null): { left: bigint; interval: bigint } {
  if (!t || t.next === null) return { left: 0n, interval: t?.interval ?? 0n };
  const now = t.clock === 'mono' ? monoNow() : cpuNs();
  const left = t.next - now;
  return { left: left > 0n ? left : 1n, interval: t.interval };
}

function writeItimerval(p: GuestProcess, at: number, r: { left: bigint; interval: bigint }): void {
  // Rounded up to whole microseconds, as the kernel reports them.
  const tv = (ns: bigint) => ({ tv_sec: ns / NS, tv_usec: ((ns % NS) + 999n) / 1000n });
  writeStruct(p, ITIMERVAL, at, { it_interval: tv(r.interval), it_value: tv(r.left) });
}

function itimer(p: GuestProcess, which: number): Timer {
  let t = p.timers.itimers[which];
  if (!t) {
    const S = p.abi.signals;
    const signo = [S.SIGALRM, S.SIGVTALRM, S.SIGPROF][which];
    t = newTimer({ id: -1, clockId: which === ITIMER.ITIMER_REAL ? CLOCK.CLOCK_MONOTONIC : CLOCK.CLOCK_PROCESS_CPUTIME_ID, clock: which === ITIMER.ITIMER_REAL ? 'mono' : 'cpu', signo, notify: 'signal', thread: null, value: 0n });
    p.timers.itimers[which] = t;
  }
  return t;
}

function arm(t: Timer, value: bigint, interval: bigint, absolute: boolean): void {
  t.interval = interval;
  if (value === 0n) {
    t.next = null;
    return;
  }
  const now = t.clock === 'mono' ? monoNow() : cpuNs();
  t.next = absolute ? value : now + value;
  if (t.next <= now) t.next = now; // due at once: fired at the engine's next scheduling point
}

/** timerfd_settime's flags. */
const TFD_TIMER_ABSTIME = 1;
const TFD_TIMER_CANCEL_ON_SET = 2;

function timerFdOf(p: GuestProcess, fd: bigint): TimerFd {
  const f = p.fds.get(p.int(fd));
  return f instanceof TimerFd ? f : fail('EINVAL');
}

function writeItimerspec(p: GuestProcess, at: number, r: { left: bigint; interval: bigint }): void {
  writeStruct(p, ITIMERSPEC, at, { it_interval: timespec(r.interval), it_value: timespec(r.left) });
}

function posixTimer(p: GuestProcess, id: bigint): Timer {
  return p.timers.posix.get(p.int(id)) ?? fail('EINVAL');
}

export const timerSyscalls: SyscallTable = {
  nanosleep: {
    args: ['timespec', 'ptr'],
    run: (p, [req, rem]) => {
      const d = readDuration(p, p.ptr(req));
      const deadline = monoNow() + d;
      return sleepUntil(deadline, () => writeRemaining(p, p.ptr(rem), deadline));
    },
  },
  clock_nanosleep: {
    args: ['clock', 'int', 'timespec', 'ptr'],
    run: (p, [clk, flags, req, rem]) => {
      const id = p.int(clk);
      if (clockNow(id) === null || id === CLOCK.CLOCK_THREAD_CPUTIME_ID) fail('EINVAL');
      const abs = (p.int(flags) & TIMER_ABSTIME) !== 0;
      const t = readDuration(p, p.ptr(req));
      // CPU-time clocks do not advance while we sleep; their sleeps are taken as wall time.
      const deadline = abs ? (clockKind(id) === 'cpu' ? monoNow() + (t - cpuNs()) : absDeadline(id, t)) : monoNow() + t;
      return sleepUntil(deadline, () => {
        if (!abs) writeRemaining(p, p.ptr(rem), deadline);
      });
    },
  },
  setitimer: {
    args: ['int', 'ptr', 'ptr'],
    run: (p, [whichArg, newArg, oldArg]) => {
      const which = p.int(whichArg);
      if (which !== ITIMER.ITIMER_REAL && which !== ITIMER.ITIMER_VIRTUAL && which !== ITIMER.ITIMER_PROF) fail('EINVAL');
      const next = p.ptr(newArg) ? readStruct(p, ITIMERVAL, p.ptr(newArg)) : null;
      const t = itimer(p, which);
      if (p.ptr(oldArg)) writeItimerval(p, p.ptr(oldArg), remaining(t));
      if (next) arm(t, itimerDuration(next, 'it_value'), itimerDuration(next, 'it_interval'), false);
      p.host.kick();
      return 0;
    },
  },
  getitimer: {
    args: ['int', 'ptr'],
    run: (p, [whichArg, cur]) => {
      const which = p.int(whichArg);
      if (which !== ITIMER.ITIMER_REAL && which !== ITIMER.ITIMER_VIRTUAL && which !== ITIMER.ITIMER_PROF) fail('EINVAL');
      writeItimerval(p, p.ptr(cur), remaining(p.timers.itimers[which]));
      return 0;
    },
  },
  timer_create: {
    args: ['clock', 'ptr', 'ptr'],
    run: (p, [clk, sevp, idp]) => {
      const clockId = p.int(clk);
      const kind = clockKind(clockId);
      if (kind === null) fail('EINVAL');
      const id = p.timers.allocId();
      let notify: Timer['notify'] = 'signal';
      let signo = p.abi.signals.SIGALRM;
      let value = BigInt(id);
      let thread = null;
      if (p.ptr(sevp)) {
        const ev = readStruct(p, SIGEVENT, p.ptr(sevp));
        const how = num(ev, 'sigev_notify');
        signo = num(ev, 'sigev_signo');
        value = big(ev, 'sigev_value');
        if (how === SIGEV.SIGEV_NONE) notify = 'none';
        else if (how === SIGEV.SIGEV_SIGNAL || how === SIGEV.SIGEV_THREAD_ID) {
          if (!p.sig.valid(signo)) fail('EINVAL');
          if (how === SIGEV.SIGEV_THREAD_ID) {
            notify = 'thread';
            thread = p.threads.get(num(ev, 'sigev_tid')) ?? fail('EINVAL');
          }
        } else fail('EINVAL'); // SIGEV_THREAD is the C library's business
      }
      p.writeInt(p.ptr(idp), id);
      p.timers.posix.set(id, newTimer({ id, clockId, clock: kind, signo, notify, thread, value }));
      return 0;
    },
  },
  timer_settime: {
    args: ['int', 'int', 'ptr', 'ptr'],
    run: (p, [idArg, flags, newArg, oldArg]) => {
      const t = posixTimer(p, idArg);
      const v = readStruct(p, ITIMERSPEC, p.ptr(newArg));
      const value = specDuration(v, 'it_value');
      const interval = specDuration(v, 'it_interval');
      if (p.ptr(oldArg)) {
        const r = remaining(t);
        writeStruct(p, ITIMERSPEC, p.ptr(oldArg), { it_interval: timespec(r.interval), it_value: timespec(r.left) });
      }
      const abs = (p.int(flags) & TIMER_ABSTIME) !== 0;
      arm(t, abs && t.clock === 'mono' ? absDeadline(t.clockId, value) : value, interval, abs);
      t.overrun = 0;
      p.host.kick();
      return 0;
    },
  },
  timer_gettime: {
    args: ['int', 'ptr'],
    run: (p, [idArg, cur]) => {
      const r = remaining(posixTimer(p, idArg));
      writeStruct(p, ITIMERSPEC, p.ptr(cur), { it_interval: timespec(r.interval), it_value: timespec(r.left) });
      return 0;
    },
  },
  timer_getoverrun: {
    args: ['int'],
    run: (p, [idArg]) => posixTimer(p, idArg).lastOverrun,
  },
  timer_delete: {
    args: ['int'],
    run: (p, [idArg]) => {
      posixTimer(p, idArg);
      p.timers.posix.delete(p.int(idArg));
      return 0;
    },
  },
  timerfd_create: {
    args: ['clock', 'oflagbits'],
    run: (p, [clk, flagsArg]) => {
      const O = p.abi.open;
      const id = p.int(clk);
      const flags = p.int(flagsArg);
      const ok: readonly number[] = [CLOCK.CLOCK_REALTIME, CLOCK.CLOCK_MONOTONIC, CLOCK.CLOCK_BOOTTIME, CLOCK.CLOCK_REALTIME_ALARM, CLOCK.CLOCK_BOOTTIME_ALARM];
      if (!ok.includes(id)) fail('EINVAL');
      if (flags & ~(O.O_CLOEXEC | O.O_NONBLOCK)) fail('EINVAL');
      // The alarm clocks would wake a suspended machine: CAP_WAKE_ALARM.
      if ((id === CLOCK.CLOCK_REALTIME_ALARM || id === CLOCK.CLOCK_BOOTTIME_ALARM) && p.uid !== 0) fail('EPERM');
      const host = { wakeups: p.timers.wakeups, kick: () => p.host.kick() };
      const f = new TimerFd(id, O.O_RDWR | (flags & O.O_NONBLOCK), p.model.endian === 'le', host);
      f.nonblock = (flags & O.O_NONBLOCK) !== 0;
      return p.fds.install(f, (flags & O.O_CLOEXEC) !== 0);
    },
  },
  timerfd_settime: {
    args: ['fd', 'int', 'ptr', 'ptr'],
    run: (p, [fd, flagsArg, newArg, oldArg]) => {
      const t = timerFdOf(p, fd);
      const flags = p.int(flagsArg);
      if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) fail('EINVAL');
      // CANCEL_ON_SET goes with an absolute realtime timer; crossrun's clock is never set, so it never cancels.
      if (flags & TFD_TIMER_CANCEL_ON_SET && !(flags & TFD_TIMER_ABSTIME)) fail('EINVAL');
      const v = readStruct(p, ITIMERSPEC, p.ptr(newArg));
      const value = specDuration(v, 'it_value');
      const interval = specDuration(v, 'it_interval');
      if (p.ptr(oldArg)) writeItimerspec(p, p.ptr(oldArg), { left: t.remaining(), interval: t.interval });
      if (value === 0n) t.arm(null, interval);
      else {
        const at = flags & TFD_TIMER_ABSTIME ? absDeadline(t.clockId, value) : monoNow() + value;
        t.arm(at, interval);
      }
      return 0;
    },
  },
  timerfd_gettime: {
    args: ['fd', 'ptr'],
    run: (p, [fd, cur]) => {
      const t = timerFdOf(p, fd);
      writeItimerspec(p, p.ptr(cur), { left: t.remaining(), interval: t.interval });
      return 0;
    },
  },
};
