// Time, process identity and limits, signals, -strace lines, ENOSYS and the table itself.
import * as os from 'node:os';
import { describe, expect, test } from 'vitest';
import { Block } from '../syscalls/blocking.js';
import { deliverable } from '../syscalls/signal-send.js';
import { ASM_GENERIC_ARM64, ASM_GENERIC_RISCV64 } from '../syscalls/abi/asm-generic.js';
import { ProcessExit } from '../syscalls/index.js';
import { SYSCALLS, dispatchTable } from '../syscalls/table.js';
import { BRK_START, PID, SCRATCH, errno, harness, type Harness, thrown } from './syscalls-harness.js';

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_MONOTONIC_COARSE = 6;
const SIGUSR1 = 10, SIGTERM = 15, SIGKILL = 9, SIGCHLD = 17;
const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

function timespec(h: Harness, sec: bigint, nsec: bigint): number {
  const t = h.alloc(16);
  h.mem.view.setBigInt64(t, sec, true);
  h.mem.view.setBigInt64(t + 8, nsec, true);
  return t;
}
const cstr = (h: Harness, at: number): string => {
  const b = h.read(at, 65);
  return Buffer.from(b.subarray(0, b.indexOf(0))).toString();
};

describe('time', () => {
  test('clock_gettime, clock_getres, gettimeofday', () => {
    const h = harness();
    const t = h.alloc(16);
    expect(h.call('clock_gettime', CLOCK_REALTIME, t)).toBe(0);
    const ms = Number(h.i64(t)) * 1000 + Number(h.i64(t + 8)) / 1e6;
    expect(Math.abs(ms - Date.now())).toBeLessThan(1000);
    expect(h.i64(t + 8)).toBeLessThan(1_000_000_000n);
    expect(h.call('clock_gettime', CLOCK_MONOTONIC, t)).toBe(0);
    const a = h.i64(t) * 1_000_000_000n + h.i64(t + 8);
    h.call('clock_gettime', CLOCK_MONOTONIC, t);
    expect(h.i64(t) * 1_000_000_000n + h.i64(t + 8)).toBeGreaterThanOrEqual(a);
    expect(h.call('clock_gettime', 99, t)).toBe(errno('EINVAL'));
    expect(h.call('clock_gettime', CLOCK_MONOTONIC, 0x5000)).toBe(errno('EFAULT'));
    expect(h.call('clock_getres', CLOCK_MONOTONIC, t)).toBe(0);
    expect([h.i64(t), h.i64(t + 8)]).toEqual([0n, 1n]);
    expect(h.call('clock_getres', CLOCK_MONOTONIC_COARSE, t)).toBe(0);
    expect(h.i64(t + 8)).toBe(4_000_000n);
    expect(h.call('clock_getres', CLOCK_MONOTONIC, 0)).toBe(0);
    const tv = h.alloc(16);
    const tz = h.alloc(8);
    h.mem.bytes.fill(0xff, tz, tz + 8);
    expect(h.call('gettimeofday', tv, tz)).toBe(0);
    expect(Math.abs(Number(h.i64(tv)) * 1000 - Date.now())).toBeLessThan(2000);
    expect(h.i64(tv + 8)).toBeLessThan(1_000_000n);
    expect(h.read(tz, 8).every((x) => x === 0)).toBe(true);
  });

  test('nanosleep and clock_nanosleep block until their deadline; EINTR leaves the time left; bad timespecs are EINVAL', () => {
    const h = harness();
    const now = () => process.hrtime.bigint();
    const t0 = now();
    const e = thrown(() => h.call('nanosleep', timespec(h, 0n, 30_000_000n), 0));
    expect(e).toBeInstanceOf(Block);
    const w = (e as Block).wait;
    expect(Number((w.deadline ?? 0n) - t0)).toBeGreaterThanOrEqual(30_000_000);
    expect(Number((w.deadline ?? 0n) - now())).toBeLessThanOrEqual(30_000_000);
    expect(w.restartable).toBe(false);
    expect(w.poll(false)).toBeNull();
    expect(w.poll(true)).toBe(0);
    // Interrupted: EINTR, and rem holds the time that was left.
    const rem = h.alloc(16);
    const e2 = thrown(() => h.call('nanosleep', timespec(h, 5n, 0n), rem)) as Block;
    expect(() => e2.wait.interrupted?.()).toThrow();
    expect(h.i64(rem)).toBe(4n);
    const e3 = thrown(() => h.call('clock_nanosleep', CLOCK_MONOTONIC, 0, timespec(h, 0n, 20_000_000n), 0)) as Block;
    expect(e3).toBeInstanceOf(Block);
    expect(h.call('clock_nanosleep', CLOCK_MONOTONIC, 1 /* TIMER_ABSTIME */, timespec(h, 1n, 0n), 0)).toBe(0); // long past
    expect(h.call('nanosleep', timespec(h, 0n, 0n), 0)).toBe(0);
    expect(h.call('nanosleep', timespec(h, 0n, 1_000_000_000n), 0)).toBe(errno('EINVAL'));
    expect(h.call('nanosleep', timespec(h, -1n, 0n), 0)).toBe(errno('EINVAL'));
    expect(h.call('clock_nanosleep', 3 /* THREAD_CPUTIME */, 0, timespec(h, 0n, 1n), 0)).toBe(errno('EINVAL'));
  });

  test('times and getrusage', () => {
    const h = harness();
    const tms = h.alloc(32);
    expect(h.call('times', tms)).toBeGreaterThan(0);
    const ru = h.alloc(144);
    expect(h.call('getrusage', 0, ru)).toBe(0);
    const userUs = Number(h.i64(ru)) * 1e6 + Number(h.i64(ru + 8));
    expect(userUs).toBeGreaterThan(0);
    expect(userUs).toBeLessThanOrEqual(process.cpuUsage().user + 1);
    expect(h.i64(ru + 32)).toBeGreaterThan(0n); // ru_maxrss
    expect(h.call('getrusage', 5, ru)).toBe(errno('EINVAL'));
  });
});

describe('process', () => {
  test('identity, uname, umask, set_tid_address, robust list, rseq', () => {
    const h = harness();
    expect(h.call('getpid')).toBe(PID);
    expect(h.call('gettid')).toBe(PID);
    expect(h.call('getppid')).toBe(1);
    expect(h.call('getuid')).toBe(process.getuid?.() ?? 0);
    expect(h.call('getegid')).toBe(process.getgid?.() ?? 0);
    expect(h.call('getgroups', 0, 0)).toBe((process.getgroups?.() ?? []).length);
    expect(h.call('set_tid_address', SCRATCH)).toBe(PID);
    expect(h.call('set_robust_list', SCRATCH, 24)).toBe(0);
    expect(h.call('set_robust_list', SCRATCH, 16)).toBe(errno('EINVAL'));
    h.log.length = 0;
    expect(h.call('rseq', SCRATCH, 32, 0, 0)).toBe(errno('ENOSYS'));
    expect(h.log.some((l) => l.startsWith('Unsupported'))).toBe(false); // deliberate, not unimplemented
    const u = h.alloc(390);
    expect(h.call('uname', u)).toBe(0);
    expect([cstr(h, u), cstr(h, u + 65), cstr(h, u + 130), cstr(h, u + 260)]).toEqual(['Linux', os.hostname(), '6.1.0', 'riscv64']);
    expect(h.call('uname', 0x5000)).toBe(errno('EFAULT'));
    expect(h.call('umask', 0o077)).toBe(0o022);
    expect(h.call('umask', 0o022)).toBe(0o077);
  });

  test('rlimits: prlimit64, getrlimit, setrlimit', () => {
    const h = harness();
    const old = h.alloc(16);
    expect(h.call('prlimit64', 0, 3 /* STACK */, 0, old)).toBe(0);
    expect([h.u64(old), h.u64(old + 8)]).toEqual([8n << 20n, 2n ** 64n - 1n]);
    const nw = h.alloc(16);
    h.mem.view.setBigUint64(nw, 1n << 20n, true);
    h.mem.view.setBigUint64(nw + 8, 2n ** 64n - 1n, true);
    expect(h.call('prlimit64', PID, 3, nw, old)).toBe(0);
    expect(h.u64(old)).toBe(8n << 20n);
    expect(h.call('getrlimit', 3, old)).toBe(0);
    expect(h.u64(old)).toBe(1n << 20n);
    h.mem.view.setBigUint64(nw, 10n, true);
    h.mem.view.setBigUint64(nw + 8, 5n, true);
    expect(h.call('setrlimit', 3, nw)).toBe(errno('EINVAL'));
    expect(h.call('prlimit64', 1, 3, 0, old)).toBe(errno('ESRCH'));
    expect(h.call('getrlimit', 99, old)).toBe(errno('EINVAL'));
  });

  test('sysinfo, getrandom, sched_getaffinity, sched_yield', () => {
    const h = harness();
    const si = h.alloc(112);
    expect(h.call('sysinfo', si)).toBe(0);
    expect(h.u64(si + 32)).toBe(BigInt(os.totalmem())); // totalram
    expect(h.mem.view.getUint16(si + 80, true)).toBe(1); // procs
    expect(h.u32(si + 104)).toBe(1); // mem_unit
    const r = h.alloc(64);
    expect(h.call('getrandom', r, 64, 0)).toBe(64);
    expect(h.read(r, 64).some((x) => x !== 0)).toBe(true);
    expect(h.call('getrandom', r, 8, 8)).toBe(errno('EINVAL'));
    const m = h.alloc(128);
    const n = h.call('sched_getaffinity', 0, 128, m);
    const cpus = os.availableParallelism();
    expect(n).toBe(Math.ceil(cpus / 64) * 8);
    let set = 0;
    for (let i = 0; i < n * 8; i++) if (h.mem.bytes[m + (i >> 3)] & (1 << (i & 7))) set++;
    expect(set).toBe(cpus);
    expect(h.call('sched_getaffinity', 0, 4, m)).toBe(errno('EINVAL'));
    expect(h.call('sched_yield')).toBe(0);
  });

  test('exit and exit_group end the run with ProcessExit', () => {
    const h = harness();
    const e = thrown(() => h.sys('exit_group', 3));
    expect(e).toBeInstanceOf(ProcessExit);
    expect((e as ProcessExit).code).toBe(3);
    expect(h.log.at(-1)).toBe(`${PID} exit_group(3)`);
    expect((thrown(() => h.sys('exit', 256 + 7)) as ProcessExit).code).toBe(7);
  });
});

describe('signals', () => {
  test('rt_sigaction keeps actions; dispositions follow them', () => {
    const h = harness();
    const act = h.alloc(24);
    h.mem.view.setBigUint64(act, 0x1234n, true); // sa_handler
    h.mem.view.setBigUint64(act + 8, 4n, true); // SA_SIGINFO
    h.mem.view.setBigUint64(act + 16, (1n << 8n) | (1n << 8n << 0n), true); // mask: SIGKILL(9) bit is dropped
    expect(h.call('rt_sigaction', SIGUSR1, act, 0, 8)).toBe(0);
    expect(h.linux.signalDisposition(SIGUSR1)).toBe('handler');
    const old = h.alloc(24);
    expect(h.call('rt_sigaction', SIGUSR1, 0, old, 8)).toBe(0);
    expect([h.u64(old), h.u64(old + 8), h.u64(old + 16)]).toEqual([0x1234n, 4n, 0n]);
    h.mem.view.setBigUint64(act, 1n, true); // SIG_IGN
    expect(h.call('rt_sigaction', SIGUSR1, act, act, 8)).toBe(0); // same buffer for both
    expect(h.u64(act)).toBe(0x1234n);
    expect(h.linux.signalDisposition(SIGUSR1)).toBe('ignore');
    expect(h.linux.signalDisposition(SIGCHLD)).toBe('ignore');
    expect(h.linux.signalDisposition(28)).toBe('ignore'); // SIGWINCH
    expect(h.linux.signalDisposition(SIGTERM)).toBe('terminate');
    expect(h.call('rt_sigaction', SIGKILL, act, 0, 8)).toBe(errno('EINVAL'));
    expect(h.call('rt_sigaction', SIGKILL, 0, old, 8)).toBe(0);
    expect(h.call('rt_sigaction', 0, 0, old, 8)).toBe(errno('EINVAL'));
    expect(h.call('rt_sigaction', 65, 0, old, 8)).toBe(errno('EINVAL'));
    expect(h.call('rt_sigaction', SIGUSR1, 0, old, 4)).toBe(errno('EINVAL'));
  });

  test('kill queues for the process, tgkill/tkill for the thread; ignored signals are dropped', () => {
    const h = harness();
    const p = h.linux.process;
    const bit = (sig: number) => 1n << BigInt(sig - 1);
    expect(h.call('kill', PID, SIGTERM)).toBe(0);
    expect(h.log.at(-1)).toBe(`${PID} kill(${PID},SIGTERM) = 0`);
    expect(p.sig.shared.bits).toBe(bit(SIGTERM));
    expect(p.sig.shared.take(SIGTERM, bit(SIGTERM))).toMatchObject({ signo: SIGTERM, code: 0, pid: PID }); // SI_USER
    expect(h.call('tgkill', PID, PID, SIGUSR1)).toBe(0);
    expect(p.main.pending.take(SIGUSR1, bit(SIGUSR1))).toMatchObject({ signo: SIGUSR1, code: -6 }); // SI_TKILL
    expect(h.call('tkill', PID, SIGUSR1)).toBe(0);
    expect(p.main.pending.take(SIGUSR1, bit(SIGUSR1))?.code).toBe(-6);
    expect(h.call('kill', PID, 0)).toBe(0);
    expect(h.call('kill', 0, SIGCHLD)).toBe(0); // default-ignored: dropped
    expect(p.sig.shared.bits | p.main.pending.bits).toBe(0n);
    expect(h.call('kill', 1, SIGTERM)).toBe(errno('ESRCH'));
    expect(h.call('kill', PID, 99)).toBe(errno('EINVAL'));
    expect(h.call('tgkill', PID, PID + 1, SIGTERM)).toBe(errno('ESRCH'));
    expect(h.call('tkill', 0, SIGTERM)).toBe(errno('EINVAL'));
  });

  test('rt_sigprocmask: blocked signals wait until unblocked', () => {
    const h = harness();
    const p = h.linux.process;
    const set = h.alloc(8);
    const old = h.alloc(8);
    h.mem.view.setBigUint64(set, (1n << BigInt(SIGUSR1 - 1)) | (1n << BigInt(SIGKILL - 1)), true);
    expect(h.call('rt_sigprocmask', SIG_BLOCK, set, old, 8)).toBe(0);
    expect(h.u64(old)).toBe(0n);
    expect(h.call('rt_sigprocmask', SIG_BLOCK, 0, old, 8)).toBe(0);
    expect(h.u64(old)).toBe(1n << 9n); // SIGKILL cannot be blocked
    expect(h.call('kill', PID, SIGUSR1)).toBe(0); // pending, not deliverable
    expect(deliverable(p, p.main)).toBe(0n);
    const pend = h.alloc(8);
    expect(h.call('rt_sigpending', pend, 8)).toBe(0);
    expect(h.u64(pend)).toBe(1n << 9n);
    expect(h.call('rt_sigprocmask', SIG_UNBLOCK, set, 0, 8)).toBe(0);
    expect(deliverable(p, p.main)).toBe(1n << 9n); // the engine delivers it as the syscall returns
    expect(h.call('rt_sigprocmask', SIG_SETMASK, set, 0, 8)).toBe(0);
    expect(h.call('rt_sigprocmask', 7, set, 0, 8)).toBe(errno('EINVAL'));
    expect(h.call('rt_sigprocmask', SIG_BLOCK, set, 0, 16)).toBe(errno('EINVAL'));
  });

  test('sigaltstack records the alternate stack', () => {
    const h = harness();
    const ss = h.alloc(24);
    expect(h.call('sigaltstack', 0, ss)).toBe(0);
    expect(h.mem.view.getInt32(ss + 8, true)).toBe(2); // SS_DISABLE
    h.mem.view.setBigUint64(ss, 0x2000_0000n, true);
    h.mem.view.setInt32(ss + 8, 0, true);
    h.mem.view.setBigUint64(ss + 16, 65536n, true);
    expect(h.call('sigaltstack', ss, 0)).toBe(0);
    const got = h.alloc(24);
    expect(h.call('sigaltstack', 0, got)).toBe(0);
    expect([h.u64(got), h.u64(got + 16)]).toEqual([0x2000_0000n, 65536n]);
    h.mem.view.setBigUint64(ss + 16, 100n, true);
    expect(h.call('sigaltstack', ss, 0)).toBe(errno('ENOMEM'));
  });
});

describe('strace and unimplemented syscalls', () => {
  test('lines in qemu-user format', () => {
    const h = harness();
    h.log.length = 0;
    const fd = h.call('openat', -100, h.str('/etc/hostname'), 0o2000000, 0);
    h.call('openat', -100, h.str('/nope'), 0, 0o644);
    h.call('openat', -100, h.str('/new'), 0o1101, 0o644);
    const buf = h.alloc(16);
    h.call('read', fd, buf, 10);
    h.call('lseek', fd, 0, 0);
    h.call('fcntl', fd, 3);
    h.call('fcntl', fd, 2, 1);
    h.call('ioctl', 1, 0x5401, buf);
    h.call('mmap', 0, 8192, 3, 0x22, -1, 0);
    h.call('brk', 0);
    h.call('newfstatat', 1, h.str(''), buf, 0x1000);
    h.call('unlinkat', -100, h.str('/nope'), 0x200);
    h.call('clock_nanosleep', 0, 0, timespec(h, 0n, 0n), 0); // already over: does not block
    h.call('rt_sigprocmask', 0, buf, 0, 8);
    h.call('faccessat', -100, h.str('/etc'), 6);
    h.call('getpid');
    const addr = (a: number): string => `0x${a.toString(16).padStart(16, '0')}`;
    expect(h.log.slice(0, 12)).toEqual([
      `${PID} openat(AT_FDCWD,"/etc/hostname",O_RDONLY|O_CLOEXEC) = 3`,
      `${PID} openat(AT_FDCWD,"/nope",O_RDONLY) = -1 errno=2 (No such file or directory)`,
      `${PID} openat(AT_FDCWD,"/new",O_WRONLY|O_CREAT|O_TRUNC,0644) = 4`,
      `${PID} read(3,0x${buf.toString(16)},10) = 4`,
      `${PID} lseek(3,0,SEEK_SET) = 0`,
      `${PID} fcntl(3,F_GETFL) = ${0o100000}`,
      `${PID} fcntl(3,F_SETFD,1) = 0`,
      `${PID} ioctl(1,TCGETS,${addr(buf)}) = -1 errno=25 (Inappropriate ioctl for device)`,
      expect.stringMatching(new RegExp(`^${PID} mmap\\(NULL,8192,PROT_READ\\|PROT_WRITE,MAP_PRIVATE\\|MAP_ANONYMOUS,-1,0\\) = 0x00000000[0-9a-f]{8}$`)),
      `${PID} brk(NULL) = ${addr(BRK_START)}`,
      `${PID} newfstatat(1,"",${addr(buf)},AT_EMPTY_PATH) = 0`,
      `${PID} unlinkat(AT_FDCWD,"/nope",AT_REMOVEDIR) = -1 errno=2 (No such file or directory)`,
    ]);
    expect(h.log.slice(12)).toEqual([
      `${PID} clock_nanosleep(CLOCK_REALTIME,0,{tv_sec = 0,tv_nsec = 0},NULL) = 0`,
      `${PID} rt_sigprocmask(SIG_BLOCK,${addr(buf)},NULL) = 0`,
      `${PID} faccessat(AT_FDCWD,"/etc",R_OK|W_OK) = 0`,
      `${PID} getpid() = ${PID}`,
    ]);
    h.log.length = 0;
    const t = h.alloc(16);
    h.call('clock_gettime', CLOCK_MONOTONIC, t);
    expect(h.log[0]).toBe(`${PID} clock_gettime(CLOCK_MONOTONIC,${addr(t)}) = 0 ({tv_sec = ${h.i64(t)},tv_nsec = ${h.i64(t + 8)}})`);
  });

  test('ENOSYS for unknown and unimplemented numbers, reported under -d unimp and -strace', () => {
    const h = harness();
    h.log.length = 0;
    expect(h.linux.syscall(999, [0n, 0n, 0n, 0n, 0n, 0n])).toBe(BigInt.asUintN(64, BigInt(errno('ENOSYS'))));
    expect(h.log).toEqual(['Unsupported syscall: 999', `${PID} Unknown syscall 999`]);
    h.log.length = 0;
    expect(h.call('io_setup', 1, 2)).toBe(errno('ENOSYS'));
    expect(h.log).toEqual(['Unsupported syscall: 0 (io_setup)', `${PID} io_setup(1,2,0,0,0,0) = -1 errno=38 (Function not implemented)`]);
    const quiet = harness({ log: [] });
    expect(quiet.call('io_setup')).toBe(errno('ENOSYS'));
    expect(quiet.log).toEqual([]);
  });

  test('the table: every syscall the personality promises has a handler, numbers from the ABI', () => {
    const promised = [
      'read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'openat', 'close', 'lseek', 'fstat', 'newfstatat',
      'statx', 'faccessat', 'faccessat2', 'readlinkat', 'getdents64', 'mkdirat', 'unlinkat', 'renameat2', 'symlinkat',
      'linkat', 'fchmod', 'fchmodat', 'fchownat', 'utimensat', 'ftruncate', 'fsync', 'fdatasync', 'dup', 'dup3', 'fcntl',
      'ioctl', 'pipe2', 'getcwd', 'chdir', 'fchdir', 'brk', 'mmap', 'munmap', 'mprotect', 'mremap', 'madvise', 'exit',
      'exit_group', 'uname', 'getpid', 'getppid', 'gettid', 'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups',
      'set_tid_address', 'set_robust_list', 'rseq', 'prlimit64', 'getrlimit', 'setrlimit', 'sysinfo', 'getrandom',
      'clock_gettime', 'clock_getres', 'gettimeofday', 'nanosleep', 'clock_nanosleep', 'rt_sigaction',
      'rt_sigprocmask', 'kill', 'tgkill', 'tkill', 'sched_getaffinity', 'sched_yield', 'umask', 'times', 'getrusage',
    ];
    const rv = dispatchTable(ASM_GENERIC_RISCV64);
    const byName = new Map(rv.filter((e) => e).map((e) => [e!.name, e!]));
    for (const name of promised) {
      expect(byName.get(name)?.def, name).toBeDefined();
      expect(SYSCALLS.get(name), name).toBeDefined();
    }
    expect(byName.get('openat')?.nr).toBe(56);
    expect(byName.get('riscv_flush_icache')?.nr).toBe(259);
    expect(byName.has('renameat')).toBe(false);
    // arm64 shares the handlers, with renameat and its own O_* bits
    const arm = dispatchTable(ASM_GENERIC_ARM64);
    expect(arm[38]?.name).toBe('renameat');
    expect(arm[38]?.def).toBeDefined();
    expect(ASM_GENERIC_ARM64.open.O_DIRECTORY).not.toBe(ASM_GENERIC_RISCV64.open.O_DIRECTORY);
    // numbers are unique within each table
    for (const abi of [ASM_GENERIC_RISCV64, ASM_GENERIC_ARM64]) {
      expect(new Set(abi.syscalls.map(([n]) => n)).size).toBe(abi.syscalls.length);
      expect(new Set(abi.syscalls.map(([, s]) => s)).size).toBe(abi.syscalls.length);
    }
  });

  test('errno numbers map by name through the ABI table', () => {
    const h = harness();
    expect(h.call('close', 1234)).toBe(-9);
    expect(h.call('openat', -100, h.str('/etc/hostname/x'), 0, 0)).toBe(-20); // ENOTDIR
    expect(h.call('openat', -100, h.str('/' + 'a'.repeat(5000)), 0, 0)).toBe(-36); // ENAMETOOLONG
    expect(h.call('read', 0, 0x5000, 10)).toBe(-14); // EFAULT
  });
});
