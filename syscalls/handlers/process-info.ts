// The process itself: exit, identity, uname, limits, sysinfo, getrandom, scheduling, umask.
import { randomFillSync } from 'node:crypto';
import * as os from 'node:os';
import { GRND } from '../abi/common.js';
import { big } from '../codec.js';
import { fail } from '../errors.js';
import { RLIM_INFINITY } from '../limits.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

/** exit/exit_group: ends the run with this status. Not an Error: it is the normal way out. */
export class ProcessExit {
  constructor(readonly code: number) {}
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

function cpuCount(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export const processSyscalls: SyscallTable = {
  exit: { args: ['int'], ret: 'noreturn', run: (p, [code]) => { throw new ProcessExit(p.int(code) & 0xff); } },
  exit_group: { args: ['int'], ret: 'noreturn', run: (p, [code]) => { throw new ProcessExit(p.int(code) & 0xff); } },
  getpid: { args: [], run: (p) => p.pid },
  gettid: { args: [], run: (p) => p.pid },
  getppid: { args: [], run: (p) => p.ppid },
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
  set_tid_address: {
    args: ['ptr'],
    run: (p, [tidptr]) => {
      p.clearChildTid = p.word(tidptr);
      return p.pid;
    },
  },
  set_robust_list: {
    args: ['ptr', 'ulong'],
    run: (p, [head, len]) => {
      if (p.ptr(len) !== (3 * p.model.wordBits) / 8) fail('EINVAL'); // sizeof(struct robust_list_head)
      p.robustList = p.word(head);
      return 0;
    },
  },
  // glibc registers rseq when the kernel has it; ENOSYS makes it fall back, as on older kernels.
  rseq: { args: ['ptr', 'uint', 'int', 'uint'], run: () => fail('ENOSYS') },
  uname: {
    args: ['hex'],
    run: (p, [buf]) => {
      p.writeStruct('utsname', p.ptr(buf), {
        sysname: 'Linux',
        nodename: os.hostname(),
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
      if (who !== 0 && who !== p.pid) fail('ESRCH');
      const lim = limitOf(p, resource);
      const next = p.ptr(newp) ? p.readStruct('rlimit64', p.ptr(newp)) : null;
      if (p.ptr(oldp)) p.writeStruct('rlimit64', p.ptr(oldp), { rlim_cur: lim.cur, rlim_max: lim.max });
      if (next) setLimit(p, resource, big(next, 'rlim_cur'), big(next, 'rlim_max'));
      return 0;
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
      const load = os.loadavg().map((l) => Math.round(l * 65536));
      p.writeStruct('sysinfo', p.ptr(buf), {
        uptime: Math.floor(os.uptime()), loads: load, totalram: os.totalmem(), freeram: os.freemem(),
        procs: 1, mem_unit: 1,
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
  sched_yield: { args: [], run: () => 0 },
  sched_getaffinity: {
    args: ['int', 'uint', 'ptr'],
    run: (p, [pid, size, mask]) => {
      const who = p.int(pid);
      if (who !== 0 && who !== p.pid) fail('ESRCH');
      const wordBytes = p.model.wordBits / 8;
      const cpus = cpuCount();
      // The kernel's mask is nr_cpu_ids bits in whole longs; a smaller buffer is EINVAL.
      const need = Math.ceil(cpus / (8 * wordBytes)) * wordBytes;
      const n = p.uint(size);
      if (n < need || n % wordBytes) fail('EINVAL');
      const at = p.ptr(mask);
      p.output(at, need).fill(0);
      // bit c lives in long c / wordBits, whatever the byte order
      const bits = p.model.wordBits;
      const le = p.model.endian === 'le';
      for (let w = 0; w * bits < cpus; w++) {
        const inWord = Math.min(bits, cpus - w * bits);
        const v = inWord === 64 ? (1n << 64n) - 1n : (1n << BigInt(inWord)) - 1n;
        if (bits === 64) p.mem.view.setBigUint64(at + w * 8, v, le);
        else p.mem.view.setUint32(at + w * 4, Number(v), le);
      }
      return need;
    },
  },
};
