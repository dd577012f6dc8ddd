// Path-based calls: openat, stat family, access, readlink, directories, links, renames,
// permissions and times, cwd.
import { posix } from 'node:path';
import { ACCESS, AT, AT_EACCESS, RENAME, S_IF, S_IFMT, UTIME_NOW, UTIME_OMIT } from '../abi/common.js';
import { decode, num } from '../codec.js';
import { fail } from '../errors.js';
import type { DirEntry, FileDescription } from '../files/description.js';
import { DirFile } from '../files/dir-file.js';
import { PathFile } from '../files/path-file.js';
import { VfsFile, bytesHandle } from '../files/vfs-file.js';
import type { GuestProcess } from '../process.js';
import { fdAlias, procContents, procLink, procSelf, procStat, synthStat } from '../procfs.js';
import { statFields, statxFields } from '../stat-encode.js';
import type { SyscallTable } from '../syscall-def.js';
import type { VfsStat } from '../vfs.js';
import { DIRENT_TYPE, fileOf } from './io.js';

const isDir = (st: VfsStat): boolean => (st.mode & S_IFMT) === S_IF.DIR;

/** stat of an absolute guest path, /proc/self and /dev/std* included. */
export function statPath(p: GuestProcess, path: string, follow: boolean): VfsStat {
  const rest = procSelf(p, path);
  if (rest !== null) {
    const st = procStat(p, rest, follow);
    if (st) return st;
  }
  if (follow) {
    const alias = fdAlias(p, path);
    if (alias) return alias.stat();
  }
  return p.vfs.stat(path, follow);
}

/** stat for the *at calls: dirfd + path + AT_EMPTY_PATH / AT_SYMLINK_NOFOLLOW. */
function statAt(p: GuestProcess, dirfd: bigint, pathPtr: bigint, flags: number): VfsStat {
  const path = p.cstring(p.ptr(pathPtr));
  const fd = p.int(dirfd);
  if (path === '' && flags & AT.AT_EMPTY_PATH) return fd === AT.AT_FDCWD ? p.vfs.stat(p.cwd) : p.fds.get(fd).stat();
  return statPath(p, p.resolve(fd, path), !(flags & AT.AT_SYMLINK_NOFOLLOW));
}

function pathArg(p: GuestProcess, dirfd: bigint, pathPtr: bigint): string {
  return p.resolve(p.int(dirfd), p.cstring(p.ptr(pathPtr)));
}

function inode(p: GuestProcess, path: string): bigint {
  try {
    return statPath(p, path, false).ino;
  } catch {
    return 0n;
  }
}

/** A directory's entries, "." and ".." first, as getdents64 reports them. */
function listDir(p: GuestProcess, path: string): DirEntry[] {
  const out: DirEntry[] = [
    { name: '.', ino: inode(p, path), type: DIRENT_TYPE.dir },
    { name: '..', ino: inode(p, posix.dirname(path)), type: DIRENT_TYPE.dir },
  ];
  for (const e of p.vfs.readdir(path)) {
    out.push({ name: e.name, ino: inode(p, posix.join(path, e.name)), type: DIRENT_TYPE[e.type] });
  }
  return out;
}

/** /proc/self/fd as a directory. */
function listFds(p: GuestProcess): DirEntry[] {
  return [
    { name: '.', ino: 1n, type: DIRENT_TYPE.dir },
    { name: '..', ino: 1n, type: DIRENT_TYPE.dir },
    ...p.fds.list().map(([fd]) => ({ name: String(fd), ino: BigInt(100 + fd), type: DIRENT_TYPE.symlink })),
  ];
}

/** Open `path` (absolute) with the guest's O_* flags; returns the description to install. */
export function openPath(p: GuestProcess, path: string, flags: number, mode: number): FileDescription {
  const O = p.abi.open;
  const acc = flags & O.O_ACCMODE;
  const oPath = p.o(flags, 'O_PATH');
  if (acc === O.O_ACCMODE && !oPath) fail('EINVAL');
  const readable = !oPath && (acc === O.O_RDONLY || acc === O.O_RDWR);
  const writable = !oPath && (acc === O.O_WRONLY || acc === O.O_RDWR);
  const noFollow = p.o(flags, 'O_NOFOLLOW');
  const create = p.o(flags, 'O_CREAT');
  const directory = p.o(flags, 'O_DIRECTORY');
  let status = flags & ~(O.O_CREAT | O.O_EXCL | O.O_NOCTTY | O.O_TRUNC | O.O_CLOEXEC);
  if (p.model.wordBits === 64 && !oPath) status |= O.O_LARGEFILE; // the kernel forces it on 64-bit
  const setup = <T extends FileDescription>(f: T): T => {
    f.append = p.o(flags, 'O_APPEND');
    f.nonblock = p.o(flags, 'O_NONBLOCK');
    return f;
  };

  const alias = fdAlias(p, path);
  if (alias) return alias;
  const rest = procSelf(p, path);
  if (rest !== null) {
    if (rest === 'fd') return setup(new DirFile(path, null, () => listFds(p), () => synthStat(S_IF.DIR | 0o500, 1), status));
    const contents = procContents(p, rest);
    if (contents) {
      if (writable) fail('EACCES');
      return setup(new VfsFile(path, bytesHandle(contents, synthStat(S_IF.REG | 0o444, 3)), true, false, status));
    }
    const link = procLink(p, rest);
    if (link !== null) {
      if (noFollow && !oPath) fail('ELOOP');
      path = link;
    }
  }

  if (oPath) {
    const follow = !noFollow;
    const st = statPath(p, path, follow);
    if (directory && !isDir(st)) fail('ENOTDIR');
    return new PathFile(path, () => statPath(p, path, follow), status);
  }
  if (p.o(flags, 'O_TMPFILE')) return fail('EOPNOTSUPP');

  let existing: VfsStat | null = null;
  try {
    existing = p.vfs.stat(path, !noFollow);
  } catch {
    existing = null;
  }
  if (existing && create && p.o(flags, 'O_EXCL')) fail('EEXIST');
  if (existing && isDir(existing)) {
    if (writable || create) fail('EISDIR');
    const h = p.vfs.open(path, { read: true, write: false, directory: true });
    return setup(new DirFile(path, h, () => listDir(p, path), () => h.stat(), status));
  }
  const createMode = mode & ~p.umask & 0o7777;
  const h = p.vfs.open(path, {
    read: readable, write: writable, create, exclusive: p.o(flags, 'O_EXCL'), truncate: p.o(flags, 'O_TRUNC'),
    directory, noFollow, mode: createMode,
  });
  if (!existing && create) {
    // The host applies its own umask too; make the mode exactly the guest's.
    try {
      h.chmod(createMode);
    } catch {
      /* e.g. a device */
    }
  }
  return setup(new VfsFile(path, h, readable, writable, status));
}

function openat(p: GuestProcess, dirfd: bigint, pathPtr: bigint, flags: bigint, mode: bigint): number {
  const fl = p.int(flags);
  const path = pathArg(p, dirfd, pathPtr);
  const f = openPath(p, path, fl, p.uint(mode));
  return p.fds.install(f, p.o(fl, 'O_CLOEXEC'));
}

function access(p: GuestProcess, dirfd: bigint, pathPtr: bigint, mode: bigint, flags: number): number {
  const m = p.int(mode);
  if (m & ~(ACCESS.R_OK | ACCESS.W_OK | ACCESS.X_OK)) fail('EINVAL');
  if (flags & ~(AT_EACCESS | AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH)) fail('EINVAL');
  const pathStr = p.cstring(p.ptr(pathPtr));
  const fd = p.int(dirfd);
  const path = pathStr === '' && flags & AT.AT_EMPTY_PATH ? (fd === AT.AT_FDCWD ? p.cwd : p.fds.get(fd).path) : p.resolve(fd, pathStr);
  const follow = !(flags & AT.AT_SYMLINK_NOFOLLOW);
  const st = statPath(p, path, follow); // ENOENT, ENOTDIR, ELOOP
  if (m === 0 || procSelf(p, path) !== null || fdAlias(p, path)) {
    if (m & ACCESS.W_OK && (st.mode & 0o222) === 0) fail('EACCES');
    return 0;
  }
  if (follow) p.vfs.access(path, m);
  return 0;
}

function readlinkat(p: GuestProcess, dirfd: bigint, pathPtr: bigint, buf: bigint, size: bigint): number {
  const n = p.int(size);
  if (n <= 0) fail('EINVAL');
  const path = p.resolve(p.int(dirfd), p.cstring(p.ptr(pathPtr)));
  const rest = procSelf(p, path);
  const link = rest === null ? null : procLink(p, rest);
  const target = new TextEncoder().encode(link ?? p.vfs.readlink(path));
  const k = Math.min(target.length, n);
  p.output(p.ptr(buf), k).set(target.subarray(0, k));
  return k;
}

function rename(p: GuestProcess, olddir: bigint, oldp: bigint, newdir: bigint, newp: bigint, flags: number): number {
  if (flags & ~(RENAME.RENAME_NOREPLACE | RENAME.RENAME_EXCHANGE | RENAME.RENAME_WHITEOUT)) fail('EINVAL');
  if (flags & RENAME.RENAME_WHITEOUT) fail('EINVAL'); // needs a character-device whiteout
  const noReplace = (flags & RENAME.RENAME_NOREPLACE) !== 0;
  const exchange = (flags & RENAME.RENAME_EXCHANGE) !== 0;
  if (noReplace && exchange) fail('EINVAL');
  p.vfs.rename(pathArg(p, olddir, oldp), pathArg(p, newdir, newp), { noReplace, exchange });
  return 0;
}

/** uid/gid of -1 mean "leave unchanged". */
function owner(p: GuestProcess, uid: bigint, gid: bigint, current: () => VfsStat): [number, number] {
  let u = p.int(uid);
  let g = p.int(gid);
  if (u === -1 || g === -1) {
    const st = current();
    if (u === -1) u = st.uid;
    if (g === -1) g = st.gid;
  }
  return [u, g];
}

function utimensat(p: GuestProcess, dirfd: bigint, pathPtr: bigint, timesPtr: bigint, flags: number): number {
  if (flags & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH)) fail('EINVAL');
  const fd = p.int(dirfd);
  const pathAt = p.ptr(pathPtr);
  let target: { stat(): VfsStat; set(a: number, m: number): void };
  const pathStr = pathAt === 0 ? '' : p.cstring(pathAt);
  if (pathAt === 0 || (pathStr === '' && flags & AT.AT_EMPTY_PATH)) {
    if (fd === AT.AT_FDCWD) fail(pathAt === 0 ? 'EFAULT' : 'ENOENT');
    const f = p.fds.get(fd);
    const h = f.handle();
    target = { stat: () => f.stat(), set: (a, m) => (h ? h.utimes(a, m) : p.vfs.utimes(f.path, a, m)) };
  } else {
    const path = p.resolve(fd, pathStr);
    const follow = !(flags & AT.AT_SYMLINK_NOFOLLOW);
    target = { stat: () => statPath(p, path, follow), set: (a, m) => p.vfs.utimes(path, a, m, follow) };
  }
  const now = Date.now() / 1000;
  let times: Array<{ omit: boolean; sec: number }> = [{ omit: false, sec: now }, { omit: false, sec: now }];
  const tp = p.ptr(timesPtr);
  if (tp !== 0) {
    const l = p.layout('timespec');
    p.input(tp, l.size * 2);
    times = [0, 1].map((i) => {
      const t = decode(l, p.mem.view, tp + i * l.size);
      const nsec = num(t, 'tv_nsec');
      if (nsec === UTIME_NOW) return { omit: false, sec: now };
      if (nsec === UTIME_OMIT) return { omit: true, sec: 0 };
      if (nsec < 0 || nsec >= 1e9) fail('EINVAL');
      return { omit: false, sec: num(t, 'tv_sec') + nsec / 1e9 };
    });
  }
  const st = target.stat();
  if (times[0].omit && times[1].omit) return 0;
  const a = times[0].omit ? Number(st.atimeNs) / 1e9 : times[0].sec;
  const m = times[1].omit ? Number(st.mtimeNs) / 1e9 : times[1].sec;
  target.set(a, m);
  return 0;
}

export const fsSyscalls: SyscallTable = {
  openat: {
    args: ['dirfd', 'path', 'oflags', 'cmode'],
    run: (p, [dirfd, path, flags, mode]) => openat(p, dirfd, path, flags, mode),
  },
  newfstatat: {
    args: ['dirfd', 'path', 'ptr', 'atflags'],
    run: (p, [dirfd, path, buf, flags]) => {
      const fl = p.int(flags);
      if (fl & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH | AT.AT_NO_AUTOMOUNT)) fail('EINVAL');
      p.writeStruct('stat', p.ptr(buf), statFields(statAt(p, dirfd, path, fl)));
      return 0;
    },
  },
  statx: {
    args: ['dirfd', 'path', 'atflags', 'hex', 'ptr'],
    run: (p, [dirfd, path, flags, mask, buf]) => {
      const fl = p.int(flags);
      const SYNC_TYPE = AT.AT_STATX_FORCE_SYNC | AT.AT_STATX_DONT_SYNC;
      if (fl & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH | AT.AT_NO_AUTOMOUNT | SYNC_TYPE)) fail('EINVAL');
      if ((fl & SYNC_TYPE) === SYNC_TYPE || p.uint(mask) & 0x80000000) fail('EINVAL');
      p.writeStruct('statx', p.ptr(buf), statxFields(statAt(p, dirfd, path, fl)));
      return 0;
    },
  },
  faccessat: {
    args: ['dirfd', 'path', 'access'],
    run: (p, [dirfd, path, mode]) => access(p, dirfd, path, mode, 0),
  },
  faccessat2: {
    args: ['dirfd', 'path', 'access', 'accessflags'],
    run: (p, [dirfd, path, mode, flags]) => access(p, dirfd, path, mode, p.int(flags)),
  },
  readlinkat: {
    args: ['dirfd', 'path', 'ptr', 'int'],
    run: (p, [dirfd, path, buf, size]) => readlinkat(p, dirfd, path, buf, size),
  },
  mkdirat: {
    args: ['dirfd', 'path', 'mode'],
    run: (p, [dirfd, path, mode]) => {
      const abs = pathArg(p, dirfd, path);
      const m = p.uint(mode) & ~p.umask & 0o1777;
      p.vfs.mkdir(abs, m);
      p.vfs.chmod(abs, m); // exact mode, whatever the host's umask
      return 0;
    },
  },
  unlinkat: {
    args: ['dirfd', 'path', 'atflags'],
    run: (p, [dirfd, path, flags]) => {
      const fl = p.int(flags);
      if (fl & ~AT.AT_REMOVEDIR) fail('EINVAL');
      const abs = pathArg(p, dirfd, path);
      if (fl & AT.AT_REMOVEDIR) p.vfs.rmdir(abs);
      else p.vfs.unlink(abs);
      return 0;
    },
  },
  renameat2: {
    args: ['dirfd', 'path', 'dirfd', 'path', 'renameflags'],
    run: (p, [od, op, nd, np, flags]) => rename(p, od, op, nd, np, p.uint(flags)),
  },
  renameat: {
    args: ['dirfd', 'path', 'dirfd', 'path'],
    run: (p, [od, op, nd, np]) => rename(p, od, op, nd, np, 0),
  },
  symlinkat: {
    args: ['path', 'dirfd', 'path'],
    run: (p, [target, dirfd, path]) => {
      const t = p.cstring(p.ptr(target));
      if (t === '') fail('ENOENT');
      p.vfs.symlink(t, pathArg(p, dirfd, path));
      return 0;
    },
  },
  linkat: {
    args: ['dirfd', 'path', 'dirfd', 'path', 'atflags'],
    run: (p, [od, op, nd, np, flags]) => {
      if (p.int(flags) & ~(AT.AT_SYMLINK_FOLLOW | AT.AT_EMPTY_PATH)) fail('EINVAL');
      p.vfs.link(pathArg(p, od, op), pathArg(p, nd, np));
      return 0;
    },
  },
  fchmod: {
    args: ['fd', 'mode'],
    run: (p, [fd, mode]) => {
      const f = fileOf(p, fd);
      const h = f.handle();
      if (h) h.chmod(p.uint(mode) & 0o7777);
      return 0; // pipes and stdio: nothing the guest can observe
    },
  },
  fchmodat: {
    args: ['dirfd', 'path', 'mode'],
    run: (p, [dirfd, path, mode]) => (p.vfs.chmod(pathArg(p, dirfd, path), p.uint(mode) & 0o7777), 0),
  },
  fchmodat2: {
    args: ['dirfd', 'path', 'mode', 'atflags'],
    run: (p, [dirfd, path, mode, flags]) => {
      const fl = p.int(flags);
      if (fl & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH)) fail('EINVAL');
      const abs = pathArg(p, dirfd, path);
      if (fl & AT.AT_SYMLINK_NOFOLLOW && (p.vfs.stat(abs, false).mode & S_IFMT) === S_IF.LNK) fail('EOPNOTSUPP');
      p.vfs.chmod(abs, p.uint(mode) & 0o7777);
      return 0;
    },
  },
  fchown: {
    args: ['fd', 'int', 'int'],
    run: (p, [fd, uid, gid]) => {
      const f = fileOf(p, fd);
      const [u, g] = owner(p, uid, gid, () => f.stat());
      f.handle()?.chown(u, g);
      return 0;
    },
  },
  fchownat: {
    args: ['dirfd', 'path', 'int', 'int', 'atflags'],
    run: (p, [dirfd, path, uid, gid, flags]) => {
      const fl = p.int(flags);
      if (fl & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH)) fail('EINVAL');
      const pathStr = p.cstring(p.ptr(path));
      if (pathStr === '' && fl & AT.AT_EMPTY_PATH) {
        const f = p.fds.get(p.int(dirfd));
        const [u, g] = owner(p, uid, gid, () => f.stat());
        f.handle()?.chown(u, g);
        return 0;
      }
      const abs = p.resolve(p.int(dirfd), pathStr);
      const follow = !(fl & AT.AT_SYMLINK_NOFOLLOW);
      const [u, g] = owner(p, uid, gid, () => p.vfs.stat(abs, follow));
      p.vfs.chown(abs, u, g, follow);
      return 0;
    },
  },
  utimensat: {
    args: ['dirfd', 'path', 'ptr', 'atflags'],
    run: (p, [dirfd, path, times, flags]) => utimensat(p, dirfd, path, times, p.int(flags)),
  },
  truncate: {
    args: ['path', 'long'],
    run: (p, [path, len]) => {
      const n = p.sword(len);
      if (n < 0n) fail('EINVAL');
      const abs = p.resolve(AT.AT_FDCWD, p.cstring(p.ptr(path)));
      if (isDir(p.vfs.stat(abs))) fail('EISDIR');
      p.vfs.truncate(abs, Number(n));
      return 0;
    },
  },
  getcwd: {
    args: ['ptr', 'ulong'],
    run: (p, [buf, size]) => {
      const bytes = new TextEncoder().encode(p.cwd + '\0');
      if (p.ptr(size) < bytes.length) fail('ERANGE');
      p.output(p.ptr(buf), bytes.length).set(bytes);
      return bytes.length;
    },
  },
  chdir: {
    args: ['path'],
    run: (p, [path]) => {
      const abs = p.resolve(AT.AT_FDCWD, p.cstring(p.ptr(path)));
      if (!isDir(statPath(p, abs, true))) fail('ENOTDIR');
      p.cwd = abs;
      return 0;
    },
  },
  fchdir: {
    args: ['fd'],
    run: (p, [fd]) => {
      const f = fileOf(p, fd);
      if (!f.isDirectory()) fail('ENOTDIR');
      p.cwd = f.path;
      return 0;
    },
  },
};
