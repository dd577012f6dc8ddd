// /proc as the guest should see it. Entries of a process (/proc/self, /proc/<pid>,
// /proc/thread-self, task/<tid>/) describe the guest process, not crossrun's own Node process;
// a few files of /proc itself (cpuinfo, meminfo, version, sys/kernel/osrelease…) describe the
// machine as the guest's kernel would (procfs/system-files.ts). Other /proc paths go to the VFS
// unchanged, as with qemu-user.
//
// A path resolves to a key (procSelf):
//   - for the calling process, the part after its /proc/<pid>/ directory: "exe", "fd/3",
//     "task/12/stat", "" for the directory itself (handlers/fs.ts relies on "fd");
//   - for anything else, a path relative to /proc with a leading slash: "/cpuinfo", or
//     "/<pid>/status" for another guest process, found through the process table (p.kernel).
import { S_IF } from './abi/common.js';
import type { FileDescription } from './files/description.js';
import type { GuestProcess } from './process.js';
import { statText, statmText, statusText } from './procfs/pid-files.js';
import { isSystemFile, mounts, systemFile } from './procfs/system-files.js';
import type { GuestThread } from './threads.js';
import type { VfsStat } from './vfs.js';

const BORN_NS = BigInt(Date.now()) * 1_000_000n;
const PROC_DEV = 0x16n;

/** Another guest process by pid (the process table's, zombies included), or null. */
function lookupPid(p: GuestProcess, pid: number): GuestProcess | null {
  if (pid === p.pid) return p;
  return p.kernel.get(pid) ?? null;
}

/** The key of `path` (see above), or null if the path is not one procfs serves. */
export function procSelf(p: GuestProcess, path: string): string | null {
  const m = /^\/proc\/(self|thread-self|\d+)(?:\/(.*))?$/.exec(path);
  if (m) {
    let rest = (m[2] ?? '').replace(/\/+$/, '');
    if (m[1] === 'thread-self') rest = `task/${p.current.tid}` + (rest ? `/${rest}` : '');
    const target = m[1] === 'self' || m[1] === 'thread-self' ? p : lookupPid(p, Number(m[1]));
    if (!target) return null;
    const task = /^task\/(\d+)(?:\/|$)/.exec(rest);
    if (task && !target.threads.has(Number(task[1]))) return null;
    return target === p ? rest : `/${target.pid}` + (rest ? `/${rest}` : '');
  }
  const name = path.startsWith('/proc/') ? path.slice(6).replace(/\/+$/, '') : '';
  return name && isSystemFile(p, name) ? `/${name}` : null;
}

/** The process a key is about and the key relative to it; null for a file of /proc itself. */
function owner(p: GuestProcess, key: string): [GuestProcess, string] | null {
  if (!key.startsWith('/')) return [p, key];
  const m = /^\/(\d+)(?:\/(.*))?$/.exec(key);
  if (!m) return null;
  const q = lookupPid(p, Number(m[1]));
  return q ? [q, m[2] ?? ''] : null;
}

/** "task/<tid>/<file>" → the thread and file; other keys are the main thread's. */
function splitTask(p: GuestProcess, rest: string): { thread: GuestThread; file: string } {
  const m = /^task\/(\d+)(?:\/(.*))?$/.exec(rest);
  if (!m) return { thread: p.main, file: rest };
  return { thread: p.threads.get(Number(m[1])) ?? p.main, file: m[2] ?? '' };
}

/** Where a /proc/self symlink points, or null if `rest` is not one. */
export function procLink(caller: GuestProcess, key: string): string | null {
  const o = owner(caller, key);
  if (!o) return null;
  const p = o[0];
  const rest = splitTask(p, o[1]).file;
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
  const fd = rest === null ? null : /^(?:task\/\d+\/)?fd\/(\d+)$/.exec(rest);
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

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Contents of a procfs file for its key, or null if the key is not a file we generate. */
export function procContents(caller: GuestProcess, key: string): Uint8Array | null {
  const o = owner(caller, key);
  if (!o) {
    const s = systemFile(caller, key.slice(1));
    return s === null ? null : text(s);
  }
  const p = o[0];
  const { thread, file } = splitTask(p, o[1]);
  switch (file) {
    case 'cmdline': return nulJoined(p.opts.argv);
    case 'environ': return nulJoined(p.opts.env);
    case 'auxv': {
      const flat = p.opts.auxv.flatMap(([k, v]) => [BigInt(k), v]);
      if (p.opts.auxv.at(-1)?.[0] !== 0) flat.push(0n, 0n); // AT_NULL
      return words(p, flat);
    }
    case 'maps': return text(maps(p));
    case 'stat': return text(statText(p, thread));
    case 'statm': return text(statmText(p));
    case 'status': return text(statusText(p, thread));
    case 'comm': return text(thread.comm + '\n');
    case 'mounts': return text(mounts(p));
    default: return null;
  }
}

export function synthStat(mode: number, ino: number): VfsStat {
  return {
    dev: PROC_DEV, ino: BigInt(ino), mode, nlink: 1, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
    rdev: 0n, size: 0, blksize: 1024, blocks: 0, atimeNs: BORN_NS, mtimeNs: BORN_NS, ctimeNs: BORN_NS, birthtimeNs: BORN_NS,
  };
}

/** stat/lstat of a procfs key, or null to let the VFS answer. */
export function procStat(caller: GuestProcess, key: string, follow: boolean): VfsStat | null {
  const o = owner(caller, key);
  if (o) {
    const [p, rest] = o;
    if (/^(?:task(?:\/\d+)?\/?)?(?:fd)?$/.test(rest)) return synthStat(S_IF.DIR | 0o555, 1);
    const link = procLink(caller, key);
    if (link !== null) {
      if (!follow) return synthStat(S_IF.LNK | 0o777, 2);
      const fd = /(?:^|\/)fd\/(\d+)$/.exec(rest);
      return fd ? p.fds.get(Number(fd[1])).stat() : p.vfs.stat(link);
    }
  }
  if (procContents(caller, key) !== null) return synthStat(S_IF.REG | 0o444, 3);
  return null;
}
