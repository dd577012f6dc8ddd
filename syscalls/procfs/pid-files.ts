// /proc/<pid>/status, stat and statm, and their per-thread forms under task/<tid>/, in the
// kernel's order and format (fs/proc/array.c as of Linux 6.1). Memory figures come from the
// guest's mappings; CPU times from the host process.
import type { GuestProcess } from '../process.js';
import { SIG_DFL, SIG_IGN } from '../sigstate.js';
import type { GuestThread } from '../threads.js';
import { bitmapHex, bitmapList, cpuCount, startTicks } from './host-info.js';

const PAGE = 4096;
const PROT_NONE = 0;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
/** Linux 6.1's CAP_LAST_CAP is 40: the full capability set. */
const CAP_FULL = '000001ffffffffff';
const CAP_NONE = '0000000000000000';

/** The largest VmSize / VmRSS a process has shown (VmPeak, VmHWM). */
const peaks = new WeakMap<GuestProcess, { size: number; rss: number }>();

export interface MemFigures {
  /** All in bytes. */
  size: number;
  rss: number;
  peak: number;
  hwm: number;
  anon: number;
  file: number;
  data: number;
  stack: number;
  exe: number;
  lib: number;
}

/** What the guest's mappings add up to. Every accessible page counts as resident: crossrun does
 *  not track which pages were touched. */
export function memFigures(p: GuestProcess): MemFigures {
  const f: MemFigures = { size: 0, rss: 0, peak: 0, hwm: 0, anon: 0, file: 0, data: 0, stack: 0, exe: 0, lib: 0 };
  for (const r of p.mem.list()) {
    const n = r.end - r.start;
    f.size += n;
    if (r.prot === PROT_NONE) continue;
    f.rss += n;
    const fileBacked = r.name !== '' && !r.name.startsWith('[');
    if (fileBacked) f.file += n;
    else f.anon += n;
    if (r.name === '[stack]') f.stack += n;
    else if (r.prot & PROT_WRITE) f.data += n;
    if (r.prot & PROT_EXEC && fileBacked) {
      if (r.name === p.opts.exePath) f.exe += n;
      else f.lib += n;
    }
  }
  const seen = peaks.get(p) ?? { size: 0, rss: 0 };
  seen.size = Math.max(seen.size, f.size);
  seen.rss = Math.max(seen.rss, f.rss);
  peaks.set(p, seen);
  f.peak = seen.size;
  f.hwm = seen.rss;
  return f;
}

function liveThreads(p: GuestProcess): number {
  let n = 0;
  for (const t of p.threads.values()) if (!t.exited) n++;
  return Math.max(n, 1);
}

/** Task state letter and name. */
function state(p: GuestProcess, t: GuestThread): [string, string] {
  if (p.zombie) return ['Z', 'zombie'];
  if (p.stopped) return ['T', 'stopped'];
  // The caller is running this very read; anything else is waiting or between slices.
  return t === p.current ? ['R', 'running'] : ['S', 'sleeping'];
}

function sigMasks(p: GuestProcess): { ign: bigint; cgt: bigint } {
  let ign = 0n;
  let cgt = 0n;
  for (const [sig, a] of p.sig.actions) {
    if (a.handler === SIG_IGN) ign |= p.sig.bit(sig);
    else if (a.handler !== SIG_DFL) cgt |= p.sig.bit(sig);
  }
  return { ign, cgt };
}

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');
const kb = (label: string, bytes: number): string => `${label}:\t${String(Math.ceil(bytes / 1024)).padStart(8)} kB\n`;

function popcount(v: bigint): number {
  let n = 0;
  for (; v; v &= v - 1n) n++;
  return n;
}

/** The kernel's fd table size: 64 slots, doubled as higher fds are used. */
function fdSize(p: GuestProcess): number {
  let top = -1;
  for (const [fd] of p.fds.list()) top = Math.max(top, fd);
  let size = 64;
  while (size <= top) size *= 2;
  return size;
}

/** /proc/<pid>/status (t: the main thread) or /proc/<pid>/task/<tid>/status. */
export function statusText(p: GuestProcess, t: GuestThread): string {
  const [letter, name] = state(p, t);
  const m = memFigures(p);
  const { ign, cgt } = sigMasks(p);
  const uid = String(p.uid);
  const gid = String(p.gid);
  const groups = process.getgroups?.() ?? [];
  const cpus = cpuCount();
  const sigpendingLimit = p.limits.get(p.abi.rlimit.RLIMIT_SIGPENDING)?.cur ?? 0n;
  let queued = popcount(p.sig.shared.bits);
  for (const th of p.threads.values()) queued += popcount(th.pending.bits);
  const root = p.uid === 0;
  const lines = [
    `Name:\t${t.comm}\n`,
    `Umask:\t0${p.umask.toString(8).padStart(3, '0')}\n`,
    `State:\t${letter} (${name})\n`,
    `Tgid:\t${p.pid}\n`,
    'Ngid:\t0\n',
    `Pid:\t${t.tid}\n`,
    `PPid:\t${p.ppid}\n`,
    'TracerPid:\t0\n',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}\n`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}\n`,
    `FDSize:\t${fdSize(p)}\n`,
    `Groups:\t${groups.join(' ')} \n`,
    `NStgid:\t${p.pid}\n`,
    `NSpid:\t${t.tid}\n`,
    `NSpgid:\t${p.pgid}\n`,
    `NSsid:\t${p.sid}\n`,
    kb('VmPeak', m.peak), kb('VmSize', m.size), kb('VmLck', 0), kb('VmPin', 0), kb('VmHWM', m.hwm), kb('VmRSS', m.rss),
    kb('RssAnon', m.anon), kb('RssFile', m.file), kb('RssShmem', 0), kb('VmData', m.data), kb('VmStk', m.stack),
    kb('VmExe', m.exe), kb('VmLib', m.lib), kb('VmPTE', Math.ceil(m.size / (2 << 20)) * 4096), kb('VmSwap', 0),
    kb('HugetlbPages', 0),
    'CoreDumping:\t0\n',
    'THP_enabled:\t1\n',
    `Threads:\t${liveThreads(p)}\n`,
    `SigQ:\t${queued}/${sigpendingLimit}\n`,
    `SigPnd:\t${hex16(t.pending.bits)}\n`,
    `ShdPnd:\t${hex16(p.sig.shared.bits)}\n`,
    `SigBlk:\t${hex16(t.mask)}\n`,
    `SigIgn:\t${hex16(ign)}\n`,
    `SigCgt:\t${hex16(cgt)}\n`,
    `CapInh:\t${CAP_NONE}\n`,
    `CapPrm:\t${root ? CAP_FULL : CAP_NONE}\n`,
    `CapEff:\t${root ? CAP_FULL : CAP_NONE}\n`,
    `CapBnd:\t${CAP_FULL}\n`,
    `CapAmb:\t${CAP_NONE}\n`,
    'NoNewPrivs:\t0\n',
    'Seccomp:\t0\n',
    'Seccomp_filters:\t0\n',
    'Speculation_Store_Bypass:\tunknown\n',
    'SpeculationIndirectBranch:\tunknown\n',
    `Cpus_allowed:\t${bitmapHex(cpus, cpus)}\n`,
    `Cpus_allowed_list:\t${bitmapList(cpus)}\n`,
    `Mems_allowed:\t${bitmapHex(1, 64)}\n`,
    'Mems_allowed_list:\t0\n',
    'voluntary_ctxt_switches:\t0\n',
    'nonvoluntary_ctxt_switches:\t0\n',
  ];
  return lines.join('');
}

/** Region bounds for stat's startcode/endcode/startstack and start_data/end_data. */
function layoutAddrs(p: GuestProcess): { startcode: number; endcode: number; startdata: number; enddata: number; stack: number } {
  const mine = p.mem.list().filter((r) => r.name === p.opts.exePath);
  const code = mine.filter((r) => r.prot & PROT_EXEC);
  const data = mine.filter((r) => r.prot & PROT_WRITE);
  const stack = p.mem.list().find((r) => r.name === '[stack]');
  return {
    startcode: code[0]?.start ?? 0, endcode: code.at(-1)?.end ?? 0,
    startdata: data[0]?.start ?? 0, enddata: data.at(-1)?.end ?? 0,
    stack: stack ? stack.end : 0,
  };
}

/** /proc/<pid>/stat or task/<tid>/stat: the 52 fields of proc(5). */
export function statText(p: GuestProcess, t: GuestThread): string {
  const cpu = process.cpuUsage();
  const ticks = (us: number): number => Math.floor(us / 10_000);
  const m = memFigures(p);
  const { ign, cgt } = sigMasks(p);
  const a = layoutAddrs(p);
  const rsslim = p.limits.get(p.abi.rlimit.RLIMIT_RSS)?.cur ?? 0xffff_ffff_ffff_ffffn;
  const f: Array<string | number | bigint> = [
    t.tid, `(${t.comm})`, state(p, t)[0], p.ppid, p.pgid, p.sid,
    0, -1, // tty_nr, tpgid: no controlling terminal is reported
    0x400000, // flags: PF_RANDOMIZE, as a fresh user process shows
    0, 0, 0, 0, // minflt cminflt majflt cmajflt
    ticks(cpu.user), ticks(cpu.system), 0, 0,
    20, 0, liveThreads(p), 0, startTicks(p), m.size, Math.ceil(m.rss / PAGE), rsslim,
    a.startcode, a.endcode, a.stack, 0, 0, // startcode endcode startstack kstkesp kstkeip
    t.pending.bits | p.sig.shared.bits, t.mask, ign, cgt, // signal blocked sigignore sigcatch
    0, 0, 0, p.exitSignal, 0, 0, 0, 0, 0, 0, // wchan nswap cnswap exit_signal processor rt_priority policy blkio guest_time cguest_time
    a.startdata, a.enddata, p.brkStart, 0, 0, 0, 0, // start_data end_data start_brk arg_start arg_end env_start env_end
    p.zombie ? p.waitStatus : 0,
  ];
  return f.join(' ') + '\n';
}

/** /proc/<pid>/statm: size resident shared text lib data dt, in pages. */
export function statmText(p: GuestProcess): string {
  const m = memFigures(p);
  const pg = (n: number): number => Math.ceil(n / PAGE);
  return `${pg(m.size)} ${pg(m.rss)} ${pg(m.file)} ${pg(m.exe)} 0 ${pg(m.data + m.stack)} 0\n`;
}
