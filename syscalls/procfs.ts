// /proc/self (and /proc/<our pid>, /proc/thread-self): the entries that must describe the guest,
// not crossrun's own Node process. Other /proc paths go to the VFS unchanged (as with qemu-user).
import { posix } from 'node:path';
import { S_IF } from './abi/common.js';
import type { FileDescription } from './files/description.js';
import type { GuestProcess } from './process.js';
import type { VfsStat } from './vfs.js';

const BORN_NS = BigInt(Date.now()) * 1_000_000n;
const PROC_DEV = 0x16n;

/** The part of `path` after this process's /proc directory ("exe", "fd/3", "" for the directory
 *  itself), or null when the path is not about this process. */
export function procSelf(p: GuestProcess, path: string): string | null {
  const m = /^\/proc\/(self|thread-self|\d+)(?:\/task\/(\d+))?(?:\/(.*))?$/.exec(path);
  if (!m) return null;
  if (m[1] !== 'self' && m[1] !== 'thread-self' && Number(m[1]) !== p.pid) return null;
  if (m[2] !== undefined && Number(m[2]) !== p.pid) return null;
  return (m[3] ?? '').replace(/\/+$/, '');
}

/** Where a /proc/self symlink points, or null if `rest` is not one. */
export function procLink(p: GuestProcess, rest: string): string | null {
  if (rest === 'exe') return p.opts.exePath;
  if (rest === 'cwd') return p.cwd;
  if (rest === 'root') return '/';
  const fd = /^fd\/(\d+)$/.exec(rest);
  if (fd) return p.fds.get(Number(fd[1])).path;
  return null;
}

/** For /proc/self/fd/N and /dev/fd/N, /dev/stdin…: the description to share. */
export function fdAlias(p: GuestProcess, path: string): FileDescription | null {
  const std = ['/dev/stdin', '/dev/stdout', '/dev/stderr'].indexOf(path);
  if (std >= 0) return p.fds.get(std);
  const dev = /^\/dev\/fd\/(\d+)$/.exec(path);
  if (dev) return p.fds.get(Number(dev[1]));
  const rest = procSelf(p, path);
  const fd = rest === null ? null : /^fd\/(\d+)$/.exec(rest);
  return fd ? p.fds.get(Number(fd[1])) : null;
}

function words(p: GuestProcess, values: bigint[]): Uint8Array {
  const w = p.model.wordBits / 8;
  const out = new Uint8Array(values.length * w);
  const dv = new DataView(out.buffer);
  const le = p.model.endian === 'le';
  values.forEach((v, i) => (w === 8 ? dv.setBigUint64(i * 8, v, le) : dv.setUint32(i * 4, Number(v & 0xffffffffn), le)));
  return out;
}

function nulJoined(items: readonly string[]): Uint8Array {
  return new TextEncoder().encode(items.map((s) => s + '\0').join(''));
}

function maps(p: GuestProcess): string {
  const pad = 25 + (p.model.wordBits / 8) * 6 - 1; // the kernel's column for the name
  const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  return p.mem
    .list()
    .map((r) => {
      const perms = `${r.prot & 1 ? 'r' : '-'}${r.prot & 2 ? 'w' : '-'}${r.prot & 4 ? 'x' : '-'}p`;
      const head = `${hex(r.start, 8)}-${hex(r.end, 8)} ${perms} ${hex(r.offset, 8)} 00:00 0 `;
      return (r.name ? head.padEnd(pad) + r.name : head) + '\n';
    })
    .join('');
}

function comm(p: GuestProcess): string {
  return posix.basename(p.opts.exePath).slice(0, 15);
}

function stat(p: GuestProcess): string {
  const cpu = process.cpuUsage();
  const ticks = (us: number): number => Math.floor(us / 10_000);
  const vsize = p.mem.list().reduce((n, r) => n + (r.end - r.start), 0);
  const f = [
    p.pid, `(${comm(p)})`, 'R', p.ppid, p.pid, p.pid, 0, -1, 4194304, 0, 0, 0, 0, ticks(cpu.user), ticks(cpu.system),
    0, 0, 20, 0, 1, 0, 0, vsize, Math.ceil(process.memoryUsage().rss / 4096), '18446744073709551615', 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, p.brkStart, 0, 0, 0, 0, 0,
  ];
  return f.join(' ') + '\n';
}

/** Contents of a /proc/self file we generate, or null if `rest` is not one of them. */
export function procContents(p: GuestProcess, rest: string): Uint8Array | null {
  switch (rest) {
    case 'cmdline': return nulJoined(p.opts.argv);
    case 'environ': return nulJoined(p.opts.env);
    case 'auxv': {
      const flat = p.opts.auxv.flatMap(([k, v]) => [BigInt(k), v]);
      if (p.opts.auxv.at(-1)?.[0] !== 0) flat.push(0n, 0n); // AT_NULL
      return words(p, flat);
    }
    case 'maps': return new TextEncoder().encode(maps(p));
    case 'stat': return new TextEncoder().encode(stat(p));
    case 'comm': return new TextEncoder().encode(comm(p) + '\n');
    default: return null;
  }
}

export function synthStat(mode: number, ino: number): VfsStat {
  return {
    dev: PROC_DEV, ino: BigInt(ino), mode, nlink: 1, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
    rdev: 0n, size: 0, blksize: 1024, blocks: 0, atimeNs: BORN_NS, mtimeNs: BORN_NS, ctimeNs: BORN_NS, birthtimeNs: BORN_NS,
  };
}

/** stat/lstat of a /proc/self path, or null to let the VFS answer. */
export function procStat(p: GuestProcess, rest: string, follow: boolean): VfsStat | null {
  if (rest === '' || rest === 'fd') return synthStat(S_IF.DIR | 0o555, 1);
  const link = procLink(p, rest);
  if (link !== null) {
    if (!follow) return synthStat(S_IF.LNK | 0o777, 2);
    const fd = /^fd\/(\d+)$/.exec(rest);
    return fd ? p.fds.get(Number(fd[1])).stat() : p.vfs.stat(link);
  }
  if (procContents(p, rest) !== null) return synthStat(S_IF.REG | 0o444, 3);
  return null;
}
