// Clocks and CPU-time accounting. (Sleeps and timers: handlers/timer.ts.)
import { CLOCK, RUSAGE_WHO } from '../abi/common.js';
import { big } from '../codec.js';
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

const NS = 1_000_000_000n;
/** CLOCK_REALTIME = this offset + the monotonic clock: ns resolution, one time source. */
export const REALTIME_BASE = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
const TAI_OFFSET = 37n * NS; // TAI − UTC since 2017
const USER_HZ = 100;
const COARSE_RES = 4_000_000n; // one jiffy at HZ=250

export function cpuNs(): bigint {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

/** Now on `clock`, or null if the guest may not use that clock id. */
export function clockNow(id: number): bigint | null {
  switch (id) {
    case CLOCK.CLOCK_REALTIME: case CLOCK.CLOCK_REALTIME_COARSE: case CLOCK.CLOCK_REALTIME_ALARM:
      return REALTIME_BASE + process.hrtime.bigint();
    case CLOCK.CLOCK_TAI:
      return REALTIME_BASE + process.hrtime.bigint() + TAI_OFFSET;
    case CLOCK.CLOCK_MONOTONIC: case CLOCK.CLOCK_MONOTONIC_RAW: case CLOCK.CLOCK_MONOTONIC_COARSE:
    case CLOCK.CLOCK_BOOTTIME: case CLOCK.CLOCK_BOOTTIME_ALARM:
      return process.hrtime.bigint();
    case CLOCK.CLOCK_PROCESS_CPUTIME_ID: case CLOCK.CLOCK_THREAD_CPUTIME_ID:
      return cpuNs();
    default:
      return null; // includes the negative per-pid CPU clock ids
  }
}

export function timespec(ns: bigint): { tv_sec: bigint; tv_nsec: bigint } {
  return { tv_sec: ns / NS, tv_nsec: ns % NS };
}

/** A timespec argument as ns; EINVAL unless 0 ≤ tv_nsec < 1e9 and tv_sec ≥ 0. */
export function readDuration(p: GuestProcess, addr: number): bigint {
  const t = p.readStruct('timespec', addr);
  const sec = big(t, 'tv_sec');
  const nsec = big(t, 'tv_nsec');
  if (nsec < 0n || nsec >= NS || sec < 0n) fail('EINVAL');
  return sec * NS + nsec;
}

function timeval(us: number): { tv_sec: number; tv_usec: number } {
  return { tv_sec: Math.floor(us / 1e6), tv_usec: Math.floor(us % 1e6) };
}

export const timeSyscalls: SyscallTable = {
  clock_gettime: {
    args: ['clock', 'timespec_out'],
    run: (p, [clk, tp]) => {
      const now = clockNow(p.int(clk)) ?? fail('EINVAL');
      p.writeStruct('timespec', p.ptr(tp), timespec(now));
      return 0;
    },
  },
  clock_getres: {
    args: ['clock', 'ptr'],
    run: (p, [clk, res]) => {
      const id = p.int(clk);
      if (clockNow(id) === null) fail('EINVAL');
      const coarse = id === CLOCK.CLOCK_REALTIME_COARSE || id === CLOCK.CLOCK_MONOTONIC_COARSE;
      if (p.ptr(res)) p.writeStruct('timespec', p.ptr(res), timespec(coarse ? COARSE_RES : 1n));
      return 0;
    },
  },
  gettimeofday: {
    args: ['ptr', 'ptr'],
    run: (p, [tv, tz]) => {
      const now = REALTIME_BASE + process.hrtime.bigint();
      if (p.ptr(tv)) p.writeStruct('timeval', p.ptr(tv), { tv_sec: now / NS, tv_usec: (now % NS) / 1000n });
      if (p.ptr(tz)) p.writeStruct('timezone', p.ptr(tz), {}); // UTC, no DST
      return 0;
    },
  },
  times: {
    args: ['ptr'],
    run: (p, [buf]) => {
      const u = process.cpuUsage();
      const ticks = (us: number): number => Math.floor((us * USER_HZ) / 1e6);
      if (p.ptr(buf)) p.writeStruct('tms', p.ptr(buf), { tms_utime: ticks(u.user), tms_stime: ticks(u.system) });
      return (process.hrtime.bigint() * BigInt(USER_HZ)) / NS;
    },
  },
  getrusage: {
    args: ['int', 'ptr'],
    run: (p, [who, buf]) => {
      const w = p.int(who);
      if (w !== RUSAGE_WHO.RUSAGE_SELF && w !== RUSAGE_WHO.RUSAGE_CHILDREN && w !== RUSAGE_WHO.RUSAGE_THREAD) fail('EINVAL');
      if (w === RUSAGE_WHO.RUSAGE_CHILDREN) {
        p.writeStruct('rusage', p.ptr(buf), {}); // no children yet
        return 0;
      }
      const u = process.cpuUsage();
      const r = process.resourceUsage();
      p.writeStruct('rusage', p.ptr(buf), {
        ru_utime: timeval(u.user), ru_stime: timeval(u.system), ru_maxrss: r.maxRSS,
        ru_minflt: r.minorPageFault, ru_majflt: r.majorPageFault, ru_inblock: r.fsRead, ru_oublock: r.fsWrite,
        ru_nvcsw: r.voluntaryContextSwitches, ru_nivcsw: r.involuntaryContextSwitches,
      });
      return 0;
    },
  },
};
