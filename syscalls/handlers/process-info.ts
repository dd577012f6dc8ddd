// The process itself: exit_group, identity, uname, limits, sysinfo, getrandom, umask.
import { randomFillSync } from '../../src/host-random.js';
import { freemem, hostname, loadavg, totalmem, uptime } from 'node:os';
import { GRND } from '../abi/common.js';
import { big } from '../codec.js';
import { fail } from '../errors.js';
import { RLIM_INFINITY } from '../limits.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

/** exit/exit_group: ends the process with this status. Not an Error: it is the normal way out.
 *  `signal` (generic numbering): the process dies of that signal instead (a host program that
 *  execve ran was killed). */
export class ProcessExit {
  constructor(readonly code: number, readonly signal?: number) {}
}

/** getrandom hands out at most this much per call (as Linux does). */
const GETRANDOM_MAX = 0x1ffffff;

function limitOf(p: GuestProcess, resource: bigint): { cur: bigint; max: bigint } {
  return p.limits.get(p.uint(resource)) ?? fail('EINVAL');
}

/** Store a new limit (values already in rlim64 terms). */
function setLimit(p: GuestProcess, resource: bigint, cur: bigint, max: bigint): void {
  const lim = limitOf(p, resource);
  if (cur > max) fail('EINVAL');
  if (max > lim.max && p.uid !== 0) fail('EPERM');
  lim.cur = cur;
  lim.max = max;
  if (p.uint(resource) === p.abi.rlimit.RLIMIT_NOFILE) p.fds.limit = Number(cur > 1n << 20n ? 1n << 20n : cur);
}

/** rlimit values through a word-sized struct: the infinity of that width maps to RLIM_INFINITY. */
function fromWord(p: GuestProcess, v: bigint): bigint {
  return v === p.word(-1n) ? RLIM_INFINITY : v;
}
function toWord(p: GuestProcess, v: bigint): bigint {
  return v > p.word(-1n) ? p.word(-1n) : v;
}

/** prlimit64 on `target` (the caller or another guest process); the structs are the caller's. */
function prlimit(target: GuestProcess, p: GuestProcess, resource: bigint, newp: bigint, oldp: bigint): number {
  const lim = limitOf(target, resource);
  const next = p.ptr(newp) ? p.readStruct('rlimit64', p.ptr(newp)) : null;
  if (p.ptr(oldp)) p.writeStruct('rlimit64', p.ptr(oldp), { rlim_cur: lim.cur, rlim_max: lim.max });
  if (next) setLimit(target, resource, big(next, 'rlim_cur'), big(next, 'rlim_max'));
  return 0;
}

export const processSyscalls: SyscallTable = {
  exit_group: { args: ['int'], ret: 'noreturn', run: (p, [code]) => { throw new ProcessExit(p.int(code) & 0xff); } },
  getpid: { args: [], run: (p) => p.pid },
  getuid: { args: [], run: (p) => p.uid },
  geteuid: { args: [], run: (p) => p.uid },
  getgid: { args: [], run: (p) => p.gid },
  getegid: { args: [], run: (p) => p.gid },
  getgroups: {
    args: ['int', 'ptr'],
    run: (p, [size, list]) => {
      const groups = process.getgroups?.() ?? [];
      const n = p.int(size);
      if (n < 0) fail('EINVAL');
      if (n === 0) return groups.length;
      if (n < groups.length) fail('EINVAL');
      groups.forEach((g, i) => p.writeInt(p.ptr(list) + 4 * i, g));
      return groups.length;
    },
  },
  // glibc registers rseq when the kernel has it; ENOSYS makes it fall back, as on older kernels.
  rseq: { args: ['ptr', 'uint', 'int', 'uint'], run: () => fail('ENOSYS') },
  uname: {
    args: ['hex'],
    run: (p, [buf]) => {
      p.writeStruct('utsname', p.ptr(buf), {
        sysname: 'Linux',
        nodename: hostname(),
        release: p.opts.unameRelease ?? '6.1.0',
        version: '#1 SMP PREEMPT_DYNAMIC crossrun',
        machine: p.opts.unameMachine,
        domainname: '(none)',
      });
      return 0;
    },
  },
  umask: {
    args: ['mode'],
    run: (p, [mask]) => {
      const old = p.umask;
      p.umask = p.uint(mask) & 0o777;
      return old;
    },
  },
  prlimit64: {
    args: ['int', 'rlimit', 'ptr', 'ptr'],
    run: (p, [pid, resource, newp, oldp]) => {
      const who = p.int(pid);
      if (who !== 0 && who !== p.pid) {
        // another guest process's limits
        const q = p.kernel.live(who) ?? fail('ESRCH');
        return prlimit(q, p, resource, newp, oldp);
      }
      return prlimit(p, p, resource, newp, oldp);
    },
  },
  getrlimit: {
    args: ['rlimit', 'ptr'],
    run: (p, [resource, buf]) => {
      const lim = limitOf(p, resource);
      p.writeStruct('rlimit', p.ptr(buf), { rlim_cur: toWord(p, lim.cur), rlim_max: toWord(p, lim.max) });
      return 0;
    },
  },
  setrlimit: {
    args: ['rlimit', 'ptr'],
    run: (p, [resource, buf]) => {
      const r = p.readStruct('rlimit', p.ptr(buf));
      setLimit(p, resource, fromWord(p, big(r, 'rlim_cur')), fromWord(p, big(r, 'rlim_max')));
      return 0;
    },
  },
  sysinfo: {
    args: ['ptr'],
    run: (p, [buf]) => {
      const load = loadavg().map((l) => Math.round(l * 65536));
      p.writeStruct('sysinfo', p.ptr(buf), {
        uptime: Math.floor(uptime()), loads: load, totalram: totalmem(), freeram: freemem(),
        procs: [...p.kernel.procs.values()].filter((q) => !q.zombie).reduce((n, q) => n + q.threads.size, 0), mem_unit: 1,
      });
      return 0;
    },
  },
  getrandom: {
    args: ['hex', 'ulong', 'uint'],
    run: (p, [buf, len, flags]) => {
      if (p.uint(flags) & ~(GRND.GRND_NONBLOCK | GRND.GRND_RANDOM | GRND.GRND_INSECURE)) fail('EINVAL');
      const n = Math.min(p.ptr(len), GETRANDOM_MAX);
      randomFillSync(p.output(p.ptr(buf), n));
      return n;
    },
  },
};
