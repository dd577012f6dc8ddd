// /proc as the guest sees it: status, stat, statm and their task/<tid>/ forms from the guest
// process's own state; the files of /proc itself; cpuinfo per ISA from what AT_HWCAP advertises.
import * as os from 'node:os';
import { describe, expect, test } from 'vitest';
import { HWCAP2_NAMES, HWCAP_NAMES } from '../src/arch/aarch64/cpuinfo.js';
import { HWCAP, HWCAP2 } from '../src/arch/aarch64/hwcap.js';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { bitmapHex } from '../syscalls/procfs/host-info.js';
import { GuestThread } from '../syscalls/threads.js';
import { errno, harness, PID, type Harness } from './syscalls-harness.js';

const O_RDONLY = 0, O_WRONLY = 1;
const AT_FDCWD = -100;
const SIG_IGN = 1n;

function readProc(h: Harness, path: string): string {
  const fd = h.call('openat', AT_FDCWD, h.str(path), O_RDONLY, 0);
  if (fd < 0) throw new Error(`open ${path}: ${fd}`);
  const buf = h.alloc(65536);
  let out = '';
  for (;;) {
    const n = h.call('read', fd, buf, 65536);
    if (n <= 0) break;
    out += h.text(buf, n);
  }
  h.call('close', fd);
  return out;
}
function fields(status: string): Map<string, string> {
  return new Map(status.trimEnd().split('\n').map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1).replace(/^\t/, '')] as [string, string];
  }));
}

describe('/proc/<pid>/status', () => {
  test('the kernel order of fields, and the values of this process', () => {
    const h = harness();
    const p = h.linux.process;
    h.call('umask', 0o027);
    const s = readProc(h, '/proc/self/status');
    const keys = s.trimEnd().split('\n').map((l) => l.slice(0, l.indexOf(':')));
    expect(keys).toEqual([
      'Name', 'Umask', 'State', 'Tgid', 'Ngid', 'Pid', 'PPid', 'TracerPid', 'Uid', 'Gid', 'FDSize', 'Groups', 'NStgid',
      'NSpid', 'NSpgid', 'NSsid', 'VmPeak', 'VmSize', 'VmLck', 'VmPin', 'VmHWM', 'VmRSS', 'RssAnon', 'RssFile',
      'RssShmem', 'VmData', 'VmStk', 'VmExe', 'VmLib', 'VmPTE', 'VmSwap', 'HugetlbPages', 'CoreDumping', 'THP_enabled',
      'Threads', 'SigQ', 'SigPnd', 'ShdPnd', 'SigBlk', 'SigIgn', 'SigCgt', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd',
      'CapAmb', 'NoNewPrivs', 'Seccomp', 'Seccomp_filters', 'Speculation_Store_Bypass', 'SpeculationIndirectBranch',
      'Cpus_allowed', 'Cpus_allowed_list', 'Mems_allowed', 'Mems_allowed_list', 'voluntary_ctxt_switches',
      'nonvoluntary_ctxt_switches',
    ]);
    const f = fields(s);
    expect(f.get('Name')).toBe('prog');
    expect(f.get('Umask')).toBe('0027');
    expect(f.get('State')).toBe('R (running)');
    expect(f.get('Tgid')).toBe(String(PID));
    expect(f.get('Pid')).toBe(String(PID));
    expect(f.get('PPid')).toBe(String(p.ppid));
    expect(f.get('TracerPid')).toBe('0');
    expect(f.get('Uid')).toBe(Array(4).fill(String(p.uid)).join('\t'));
    expect(f.get('FDSize')).toBe('64');
    expect(f.get('NSpgid')).toBe(String(p.pgid));
    expect(f.get('Threads')).toBe('1');
    // scratch (1 MiB) is the only mapping: VmSize 1024 kB, right-aligned in 8 columns
    expect(s).toContain('VmSize:\t    1024 kB\n');
    expect(f.get('VmRSS')).toBe('    1024 kB');
    expect(f.get('Cpus_allowed_list')).toBe(os.availableParallelism() === 1 ? '0' : `0-${os.availableParallelism() - 1}`);
  });

  test('signal masks follow the real signal state', () => {
    const h = harness();
    const p = h.linux.process;
    const S = p.abi.signals;
    p.sig.actions.set(S.SIGINT, { handler: SIG_IGN, flags: 0n, restorer: 0n, mask: 0n });
    p.sig.actions.set(S.SIGUSR1, { handler: 0x1234n, flags: 0n, restorer: 0n, mask: 0n });
    p.current.mask = p.sig.bit(S.SIGTERM) | p.sig.bit(S.SIGHUP);
    h.call('kill', PID, S.SIGUSR2);
    const f = fields(readProc(h, '/proc/self/status'));
    const hex = (v: bigint) => v.toString(16).padStart(16, '0');
    expect(f.get('SigIgn')).toBe(hex(1n << 1n));
    expect(f.get('SigCgt')).toBe(hex(1n << 9n));
    expect(f.get('SigBlk')).toBe(hex((1n << 14n) | 1n));
    expect(BigInt('0x' + (f.get('ShdPnd') ?? '')) | BigInt('0x' + (f.get('SigPnd') ?? ''))).toBe(1n << 11n);
    expect(f.get('SigQ')?.startsWith('1/')).toBe(true);
  });

  test('task/<tid>/status, stat and comm are the thread\'s; an unknown tid is not served', () => {
    const h = harness();
    const p = h.linux.process;
    const t = new GuestThread(PID + 7, 'worker');
    t.mask = 4n;
    p.threads.set(t.tid, t);
    const f = fields(readProc(h, `/proc/self/task/${t.tid}/status`));
    expect(f.get('Name')).toBe('worker');
    expect(f.get('Pid')).toBe(String(t.tid));
    expect(f.get('Tgid')).toBe(String(PID));
    expect(f.get('State')).toBe('S (sleeping)');
    expect(f.get('SigBlk')).toBe('0000000000000004');
    expect(f.get('Threads')).toBe('2');
    expect(readProc(h, `/proc/${PID}/task/${t.tid}/comm`)).toBe('worker\n');
    expect(readProc(h, `/proc/self/task/${t.tid}/stat`).split(' ').slice(0, 2)).toEqual([String(t.tid), '(worker)']);
    expect(readProc(h, `/proc/thread-self/comm`)).toBe('prog\n');
    expect(h.call('openat', AT_FDCWD, h.str(`/proc/self/task/${PID + 99}/status`), O_RDONLY, 0)).toBe(errno('ENOENT'));
  });
});

describe('/proc/<pid>/stat and statm', () => {
  test('52 fields in proc(5) order', () => {
    const h = harness();
    const p = h.linux.process;
    const s = readProc(h, '/proc/self/stat');
    expect(s.endsWith('\n')).toBe(true);
    const f = s.trimEnd().split(' ');
    expect(f.length).toBe(52);
    expect(f[0]).toBe(String(PID));
    expect(f[1]).toBe('(prog)');
    expect(f[2]).toBe('R');
    expect(f[3]).toBe(String(p.ppid));
    expect(f[4]).toBe(String(p.pgid));
    expect(f[5]).toBe(String(p.sid));
    expect(f[19]).toBe('1'); // num_threads
    expect(f[22]).toBe(String(1 << 20)); // vsize: the scratch mapping
    expect(f[23]).toBe('256'); // rss in pages
    expect(f[37]).toBe(String(p.abi.signals.SIGCHLD)); // exit_signal
  });

  test('statm in pages', () => {
    const h = harness();
    expect(readProc(h, '/proc/self/statm')).toBe('256 256 0 0 0 256 0\n');
  });
});

describe('files of /proc itself', () => {
  test('osrelease is uname\'s release; version, pid_max, uptime, loadavg, meminfo, mounts', () => {
    const h = harness();
    const uts = h.alloc(390);
    h.call('uname', uts);
    const release = h.text(uts + 130, 65).replace(/\0.*$/s, '');
    expect(readProc(h, '/proc/sys/kernel/osrelease')).toBe(release + '\n');
    expect(readProc(h, '/proc/version')).toMatch(new RegExp(`^Linux version ${release.replace(/\./g, '\\.')} \\(`));
    expect(readProc(h, '/proc/sys/kernel/pid_max')).toBe('4194304\n');
    expect(readProc(h, '/proc/uptime')).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
    expect(readProc(h, '/proc/loadavg')).toMatch(new RegExp(`^\\d+\\.\\d\\d \\d+\\.\\d\\d \\d+\\.\\d\\d 1/1 ${PID}\\n$`));
    const mem = readProc(h, '/proc/meminfo');
    expect(mem).toContain(`MemTotal:       ${String(Math.floor(os.totalmem() / 1024)).padStart(8)} kB\n`);
    expect(mem).toMatch(/^MemTotal:.*\nMemFree:.*\nMemAvailable:/);
    const mounts = readProc(h, '/proc/mounts');
    expect(mounts.split('\n')[0]).toMatch(/^\S+ \/ \S+ rw/);
    expect(mounts).toContain('proc /proc proc ');
    expect(readProc(h, '/proc/self/mounts')).toBe(mounts);
    expect(h.call('openat', AT_FDCWD, h.str('/proc/meminfo'), O_WRONLY, 0)).toBe(errno('EACCES'));
  });

  test('/proc/<other pid> resolves through the process table; unknown pids are not ours', () => {
    const h = harness();
    expect(readProc(h, `/proc/${PID}/comm`)).toBe('prog\n');
    expect(readProc(h, `/proc/${PID}/status`)).toContain(`Pid:\t${PID}\n`);
  });
});

describe('/proc/cpuinfo', () => {
  const AT_HWCAP = 16, AT_HWCAP2 = 26;
  function withArch(h: Harness, arch: typeof riscv64): void {
    const p = h.linux.process;
    p.opts = { ...p.opts, cpuinfo: arch.cpuinfo, auxv: [[AT_HWCAP, arch.hwcap], [AT_HWCAP2, arch.hwcap2], [0, 0n]] };
  }

  test('riscv64: one hart entry per CPU sched_getaffinity reports, isa from AT_HWCAP', () => {
    const h = harness();
    withArch(h, riscv64);
    const text = readProc(h, '/proc/cpuinfo');
    const entries = text.trimEnd().split('\n\n');
    const mask = h.alloc(128);
    const n = h.call('sched_getaffinity', 0, 128, mask);
    let cpus = 0;
    for (const b of h.read(mask, n)) for (let x = b; x; x &= x - 1) cpus++;
    expect(entries.length).toBe(cpus);
    expect(entries[0].split('\n').map((l) => l.split(':')[0].trimEnd())).toEqual(['processor', 'hart', 'isa', 'mmu', 'mvendorid', 'marchid', 'mimpid']);
    expect(entries[0]).toContain('isa\t\t: rv64imafdc\n');
    expect(entries.at(-1)).toContain(`processor\t: ${cpus - 1}\n`);
  });

  test('riscv64: the isa line lists exactly the advertised letters', () => {
    const letters = (s: string) => (/isa\t\t: rv64([a-z]+)/.exec(s) as RegExpExecArray)[1];
    const cpuinfo = riscv64.cpuinfo as NonNullable<typeof riscv64.cpuinfo>;
    const bit = (c: string) => 1n << BigInt(c.charCodeAt(0) - 97);
    expect(letters(cpuinfo(1, bit('i') | bit('m') | bit('c'), 0n))).toBe('imc');
    expect(letters(cpuinfo(1, bit('i') | bit('v') | bit('a'), 0n))).toBe('iav');
  });

  test('aarch64: Features lists the AT_HWCAP names in bit order; MIDR lines follow', () => {
    const h = harness();
    withArch(h, aarch64);
    const first = readProc(h, '/proc/cpuinfo').split('\n\n')[0];
    expect(first.split('\n').map((l) => l.split(':')[0].trimEnd())).toEqual([
      'processor', 'BogoMIPS', 'Features', 'CPU implementer', 'CPU architecture', 'CPU variant', 'CPU part', 'CPU revision',
    ]);
    const features = (/Features\t: (.*)\n/.exec(first) as RegExpExecArray)[1].split(' ');
    // exactly the advertised bits, in bit order (HWCAP2's after HWCAP's)
    const advertised = [
      ...HWCAP_NAMES.filter((_, i) => (HWCAP >> BigInt(i)) & 1n),
      ...HWCAP2_NAMES.filter((_, i) => (HWCAP2 >> BigInt(i)) & 1n),
    ];
    expect(features).toEqual(advertised);
    expect(features.slice(0, 2)).toEqual(['fp', 'asimd']);
    expect(features.length).toBe([...HWCAP.toString(2), ...HWCAP2.toString(2)].filter((c) => c === '1').length);
    const cpuinfo = aarch64.cpuinfo as NonNullable<typeof aarch64.cpuinfo>;
    expect(cpuinfo(1, 1n << 7n, 1n << 1n)).toContain('Features\t: crc32 sve2\n');
  });

  test('without an ISA formatter /proc/cpuinfo is not served by procfs', () => {
    const h = harness();
    expect(h.call('openat', AT_FDCWD, h.str('/proc/cpuinfo'), O_RDONLY, 0)).toBe(errno('ENOENT')); // memfs has none
  });
});

describe('kernel bitmap format', () => {
  test('first chunk padded to its own width, later chunks to 8 digits', () => {
    expect(bitmapHex(2, 2)).toBe('3');
    expect(bitmapHex(8, 8)).toBe('ff');
    expect(bitmapHex(1, 64)).toBe('00000000,00000001');
    expect(bitmapHex(40, 40)).toBe('ff,ffffffff');
  });
});
