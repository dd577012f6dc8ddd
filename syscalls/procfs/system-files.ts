// The files of /proc itself (not of a process) that describe the machine the guest runs on:
// cpuinfo (the ISA's format, from what AT_HWCAP advertises), meminfo, uptime, loadavg, version,
// mounts and a few /proc/sys/kernel entries. Kernel formats as of Linux 6.1.
import { cpus, freemem, hostname, loadavg as hostLoadavg, totalmem, uptime as hostUptime } from 'node:os';
import type { GuestProcess } from '../process.js';
import { cpuCount } from './host-info.js';

const AT_HWCAP = 16;
const AT_HWCAP2 = 26;
/** pid_max: the guest pid allocator wraps below this (kernel.ts). */
export const PID_MAX = 4194304;

/** uname(2)'s release, which /proc/sys/kernel/osrelease and /proc/version repeat. */
export function kernelRelease(p: GuestProcess): string {
  return p.opts.unameRelease ?? '6.1.0';
}
/** uname(2)'s version field. */
export const KERNEL_VERSION = '#1 SMP PREEMPT_DYNAMIC crossrun';

function auxv(p: GuestProcess, type: number): bigint {
  return p.opts.auxv.find(([k]) => k === type)?.[1] ?? 0n;
}

function cpuinfo(p: GuestProcess): string | null {
  const fmt = p.opts.cpuinfo;
  return fmt ? fmt(cpuCount(), auxv(p, AT_HWCAP), auxv(p, AT_HWCAP2)) : null;
}

/** show_val_kb: a 16-column label, the value right-aligned in 8, " kB". */
const kbLine = (label: string, kib: number): string => `${(label + ':').padEnd(16)}${String(kib).padStart(8)} kB\n`;

function meminfo(): string {
  const total = Math.floor(totalmem() / 1024);
  const free = Math.floor(freemem() / 1024);
  const rows: Array<[string, number]> = [
    ['MemTotal', total], ['MemFree', free], ['MemAvailable', free], ['Buffers', 0], ['Cached', 0], ['SwapCached', 0],
    ['Active', total - free], ['Inactive', 0], ['Active(anon)', total - free], ['Inactive(anon)', 0], ['Active(file)', 0],
    ['Inactive(file)', 0], ['Unevictable', 0], ['Mlocked', 0], ['SwapTotal', 0], ['SwapFree', 0], ['Dirty', 0],
    ['Writeback', 0], ['AnonPages', total - free], ['Mapped', 0], ['Shmem', 0], ['KReclaimable', 0], ['Slab', 0],
    ['SReclaimable', 0], ['SUnreclaim', 0], ['KernelStack', 0], ['PageTables', 0], ['NFS_Unstable', 0], ['Bounce', 0],
    ['WritebackTmp', 0], ['CommitLimit', Math.floor(total / 2)], ['Committed_AS', total - free],
    ['VmallocTotal', 0], ['VmallocUsed', 0], ['VmallocChunk', 0], ['Percpu', 0],
  ];
  const huge = ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp'].map((l) => `${(l + ':').padEnd(16)}${'0'.padStart(5)}\n`);
  return rows.map(([l, v]) => kbLine(l, v)).join('') + huge.join('') + kbLine('Hugepagesize', 2048) + kbLine('Hugetlb', 0);
}

function uptime(): string {
  const up = hostUptime();
  const idle = cpus().reduce((s, c) => s + c.times.idle, 0) / 1000;
  return `${up.toFixed(2)} ${idle.toFixed(2)}\n`;
}

function loadavg(p: GuestProcess): string {
  const [a, b, c] = hostLoadavg();
  let threads = 0;
  let last = p.pid;
  for (const q of p.kernel.procs.values()) {
    threads += q.threads.size;
    last = Math.max(last, q.pid);
  }
  return `${a.toFixed(2)} ${b.toFixed(2)} ${c.toFixed(2)} 1/${Math.max(threads, 1)} ${last}\n`;
}

function version(p: GuestProcess): string {
  return `Linux version ${kernelRelease(p)} (crossrun@crossrun) (crossrun) ${KERNEL_VERSION}\n`;
}

/** A plausible mount table: the root, the kernel filesystems programs look for. */
export function mounts(p: GuestProcess): string {
  const root = p.vfs.kind === 'memory' ? 'rootfs / tmpfs rw 0 0' : '/dev/root / ext4 rw,relatime 0 0';
  return [
    root,
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
    'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
    'devtmpfs /dev devtmpfs rw,nosuid,relatime,mode=755 0 0',
    'devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=000 0 0',
    'tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0',
    'tmpfs /run tmpfs rw,nosuid,nodev,mode=755 0 0',
    'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
  ].join('\n') + '\n';
}

/** Files under /proc (path after "/proc/") and what they hold now. */
const SYSTEM_FILES: ReadonlyMap<string, (p: GuestProcess) => string | null> = new Map<string, (p: GuestProcess) => string | null>([
  ['cpuinfo', cpuinfo],
  ['meminfo', () => meminfo()],
  ['uptime', () => uptime()],
  ['loadavg', loadavg],
  ['version', version],
  ['mounts', mounts],
  ['sys/kernel/osrelease', (p) => kernelRelease(p) + '\n'],
  ['sys/kernel/ostype', () => 'Linux\n'],
  ['sys/kernel/version', () => KERNEL_VERSION + '\n'],
  ['sys/kernel/hostname', () => hostname() + '\n'],
  ['sys/kernel/pid_max', () => `${PID_MAX}\n`],
]);

export function isSystemFile(p: GuestProcess, name: string): boolean {
  const f = SYSTEM_FILES.get(name);
  return f !== undefined && (name !== 'cpuinfo' || p.opts.cpuinfo !== undefined);
}

export function systemFile(p: GuestProcess, name: string): string | null {
  return SYSTEM_FILES.get(name)?.(p) ?? null;
}
