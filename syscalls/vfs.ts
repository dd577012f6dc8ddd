// The guest's filesystem. One interface, two backends over the same code: node:fs (the host, with
// qemu's -L prefix rule) and a memfs Volume (in memory). Both speak the node:fs sync API, so they
// differ only in path mapping and in the terminal check. All paths given to a Vfs are absolute,
// normalized guest paths (the syscall layer resolves cwd and dirfds). Failures throw objects with a
// `.code` like 'ENOENT', as node and memfs do.
import { posix, resolve } from 'node:path';
import { hostRequire } from '../src/host-require.js';
import type { Volume } from 'memfs';
import { S_IF, S_IFMT } from './abi/common.js';
import { DEVICES, TTY_RDEV, deviceStat, openDevice } from './vfs-devices.js';
import { hostIsatty } from './host-tty.js';

export interface VfsStat {
  dev: bigint; ino: bigint; mode: number; nlink: number; uid: number; gid: number; rdev: bigint;
  size: number; blksize: number; blocks: number;
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint; birthtimeNs: bigint;
}

export type VfsFileType = 'file' | 'dir' | 'symlink' | 'chardev' | 'blockdev' | 'fifo' | 'socket' | 'unknown';
export interface VfsDirent { readonly name: string; readonly type: VfsFileType }

export interface VfsOpenFlags {
  read: boolean;
  write: boolean;
  create?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
  directory?: boolean;
  noFollow?: boolean;
  /** Permission bits for a created file (umask already applied). */
  mode?: number;
}

/** An open file of the backend. Positions are explicit: the guest-visible offset lives in the
 *  syscall layer's open file description so that dup'd descriptors share it. */
export interface VfsHandle {
  /** No file position (character devices, FIFOs): pread/pwrite ignore `pos`. */
  readonly stream: boolean;
  pread(dst: Uint8Array, pos: number): number;
  pwrite(src: Uint8Array, pos: number): number;
  stat(): VfsStat;
  truncate(len: number): void;
  sync(): void;
  chmod(mode: number): void;
  chown(uid: number, gid: number): void;
  /** Times in seconds (fractions allowed). */
  utimes(atime: number, mtime: number): void;
  close(): void;
  isTerminal(): boolean;
}

export interface Vfs {
  /** 'host' or 'memory', for messages. */
  readonly kind: string;
  /** The guest's initial working directory. */
  readonly initialCwd: string;
  exists(p: string): boolean;
  readFile(p: string): Uint8Array;
  open(p: string, flags: VfsOpenFlags): VfsHandle;
  stat(p: string, follow?: boolean): VfsStat;
  readdir(p: string): VfsDirent[];
  readlink(p: string): string;
  mkdir(p: string, mode: number): void;
  rmdir(p: string): void;
  unlink(p: string): void;
  rename(from: string, to: string, opts?: { noReplace?: boolean; exchange?: boolean }): void;
  symlink(target: string, p: string): void;
  link(existing: string, p: string): void;
  chmod(p: string, mode: number): void;
  chown(p: string, uid: number, gid: number, follow?: boolean): void;
  utimes(p: string, atime: number, mtime: number, follow?: boolean): void;
  truncate(p: string, len: number): void;
  /** access(2) mode bits: R_OK 4, W_OK 2, X_OK 1, F_OK 0. */
  access(p: string, mode: number): void;
  /** The filesystem holding p (statfs). */
  statfs(p: string): VfsStatfs;
}

/** What statfs reports; the rest of struct statfs is filled in by the handler. */
export interface VfsStatfs {
  type: bigint; bsize: bigint; blocks: bigint; bfree: bigint; bavail: bigint; files: bigint; ffree: bigint;
}

// ---- the node:fs-shaped API both backends implement (the subset used here)

interface BigStats {
  dev: bigint; ino: bigint; mode: bigint; nlink: bigint; uid: bigint; gid: bigint; rdev: bigint;
  size: bigint; blksize: bigint; blocks: bigint;
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint; birthtimeNs: bigint;
}
interface DirentLike {
  name: string | { toString(): string };
  isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean;
  isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean;
}
interface FsLike {
  openSync(p: string, flags: number, mode?: number): number;
  closeSync(fd: number): void;
  readSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number | null): number;
  writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number | null): number;
  fstatSync(fd: number, o: { bigint: true }): BigStats;
  statSync(p: string, o: { bigint: true }): BigStats;
  lstatSync(p: string, o: { bigint: true }): BigStats;
  readdirSync(p: string, o: { withFileTypes: true }): DirentLike[];
  /** Entries in the directory's own order (node:fs and memfs have it). */
  opendirSync?(p: string): { readSync(): DirentLike | null; closeSync(): void };
  /** node:fs and memfs have it (memfs answers ramfs). */
  statfsSync?(p: string, o: { bigint: true }): VfsStatfs;
  readlinkSync(p: string): string | { toString(): string };
  mkdirSync(p: string, mode: number): unknown;
  rmdirSync(p: string): void;
  unlinkSync(p: string): void;
  renameSync(a: string, b: string): void;
  symlinkSync(target: string, p: string): void;
  linkSync(a: string, b: string): void;
  chmodSync(p: string, mode: number): void;
  fchmodSync(fd: number, mode: number): void;
  chownSync(p: string, uid: number, gid: number): void;
  lchownSync(p: string, uid: number, gid: number): void;
  fchownSync(fd: number, uid: number, gid: number): void;
  utimesSync(p: string, a: number, m: number): void;
  lutimesSync(p: string, a: number, m: number): void;
  futimesSync(fd: number, a: number, m: number): void;
  truncateSync(p: string, len: number): void;
  ftruncateSync(fd: number, len: number): void;
  fsyncSync(fd: number): void;
  accessSync(p: string, mode: number): void;
  existsSync(p: string): boolean;
  readFileSync(p: string): Uint8Array;
}
interface OpenConstants {
  O_RDONLY: number; O_WRONLY: number; O_RDWR: number; O_CREAT: number; O_EXCL: number; O_TRUNC: number;
  O_DIRECTORY?: number; O_NOFOLLOW?: number;
}

function err(code: string): Error {
  return Object.assign(new Error(code), { code });
}

function toVfsStat(s: BigStats): VfsStat {
  return {
    dev: s.dev, ino: s.ino, mode: Number(s.mode), nlink: Number(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
    rdev: s.rdev, size: Number(s.size), blksize: Number(s.blksize), blocks: Number(s.blocks),
    atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, birthtimeNs: s.birthtimeNs,
  };
}

function direntType(d: DirentLike): VfsFileType {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isCharacterDevice()) return 'chardev';
  if (d.isBlockDevice()) return 'blockdev';
  if (d.isFIFO()) return 'fifo';
  if (d.isSocket()) return 'socket';
  return 'unknown';
}

class FsHandle implements VfsHandle {
  constructor(
    private readonly fs: FsLike,
    private readonly fd: number,
    readonly stream: boolean,
    private readonly tty: boolean,
  ) {}
  pread(dst: Uint8Array, pos: number): number {
    return this.fs.readSync(this.fd, dst, 0, dst.length, this.stream ? null : pos);
  }
  pwrite(src: Uint8Array, pos: number): number {
    return this.fs.writeSync(this.fd, src, 0, src.length, this.stream ? null : pos);
  }
  stat(): VfsStat {
    return toVfsStat(this.fs.fstatSync(this.fd, { bigint: true }));
  }
  truncate(len: number): void {
    this.fs.ftruncateSync(this.fd, len);
  }
  sync(): void {
    this.fs.fsyncSync(this.fd);
  }
  chmod(mode: number): void {
    this.fs.fchmodSync(this.fd, mode);
  }
  chown(uid: number, gid: number): void {
    this.fs.fchownSync(this.fd, uid, gid);
  }
  utimes(atime: number, mtime: number): void {
    this.fs.futimesSync(this.fd, atime, mtime);
  }
  close(): void {
    this.fs.closeSync(this.fd);
  }
  isTerminal(): boolean {
    return this.tty;
  }
}

interface FsVfsConfig {
  kind: string;
  fs: FsLike;
  constants: OpenConstants;
  initialCwd: string;
  /** Guest path → backend path. */
  map: (p: string) => string;
  /** Is this backend fd a terminal? */
  isatty: (fd: number) => boolean;
  /** Serve /dev/tty from the host's controlling terminal. */
  hostTty: boolean;
}

const TMPFS_MAGIC = 0x01021994n;

/** The Vfs over a node:fs-shaped object. */
class FsVfs implements Vfs {
  readonly kind: string;
  readonly initialCwd: string;
  private readonly fs: FsLike;
  constructor(private readonly cfg: FsVfsConfig) {
    this.kind = cfg.kind;
    this.initialCwd = cfg.initialCwd;
    this.fs = cfg.fs;
  }
  private m(p: string): string {
    return this.cfg.map(p);
  }

  exists(p: string): boolean {
    return DEVICES.has(p) || this.fs.existsSync(this.m(p));
  }
  readFile(p: string): Uint8Array {
    const b = this.fs.readFileSync(this.m(p));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }

  open(p: string, f: VfsOpenFlags): VfsHandle {
    const dev = DEVICES.get(p);
    if (dev) return openDevice(dev);
    if (p === '/dev/tty' && !this.cfg.hostTty) throw err('ENXIO'); // no controlling terminal
    const C = this.cfg.constants;
    let flags = f.read && f.write ? C.O_RDWR : f.write ? C.O_WRONLY : C.O_RDONLY;
    if (f.create) flags |= C.O_CREAT;
    if (f.exclusive) flags |= C.O_EXCL;
    if (f.truncate) flags |= C.O_TRUNC;
    if (f.directory) flags |= C.O_DIRECTORY ?? 0;
    if (f.noFollow) flags |= C.O_NOFOLLOW ?? 0;
    const hp = this.m(p);
    const fd = this.fs.openSync(hp, flags, f.mode ?? 0o666);
    try {
      const type = Number(this.fs.fstatSync(fd, { bigint: true }).mode) & S_IFMT;
      if (f.directory && type !== S_IF.DIR) throw err('ENOTDIR'); // backends without O_DIRECTORY
      const stream = type === S_IF.CHR || type === S_IF.FIFO || type === S_IF.SOCK;
      return new FsHandle(this.fs, fd, stream, stream && this.cfg.isatty(fd));
    } catch (e) {
      this.fs.closeSync(fd);
      throw e;
    }
  }

  stat(p: string, follow = true): VfsStat {
    const dev = DEVICES.get(p);
    if (dev) return deviceStat(dev.rdev);
    if (p === '/dev/tty' && !this.cfg.hostTty) return deviceStat(TTY_RDEV);
    const hp = this.m(p);
    if (follow) return toVfsStat(this.fs.statSync(hp, { bigint: true }));
    const st = toVfsStat(this.fs.lstatSync(hp, { bigint: true }));
    // A symlink's size is the length of its target (memfs reports 0).
    if ((st.mode & S_IFMT) === S_IF.LNK && st.size === 0) {
      return { ...st, size: Buffer.byteLength(String(this.fs.readlinkSync(hp))) };
    }
    return st;
  }
  readdir(p: string): VfsDirent[] {
    // getdents gives entries in the filesystem's order, which unsorted listings (find, tar, ls -f)
    // show; readdirSync sorts them by name.
    if (this.fs.opendirSync) {
      const dir = this.fs.opendirSync(this.m(p));
      try {
        const out: VfsDirent[] = [];
        for (let d = dir.readSync(); d !== null; d = dir.readSync()) out.push({ name: String(d.name), type: direntType(d) });
        return out;
      } finally {
        dir.closeSync();
      }
    }
    return this.fs.readdirSync(this.m(p), { withFileTypes: true }).map((d) => ({ name: String(d.name), type: direntType(d) }));
  }
  readlink(p: string): string {
    return String(this.fs.readlinkSync(this.m(p)));
  }
  mkdir(p: string, mode: number): void {
    this.fs.mkdirSync(this.m(p), mode);
  }
  rmdir(p: string): void {
    this.fs.rmdirSync(this.m(p));
  }
  unlink(p: string): void {
    const hp = this.m(p);
    // Linux says EISDIR for unlink of a directory; some backends say EPERM.
    if (this.lexists(hp) && (Number(this.fs.lstatSync(hp, { bigint: true }).mode) & S_IFMT) === S_IF.DIR) throw err('EISDIR');
    this.fs.unlinkSync(hp);
  }
  rename(from: string, to: string, opts: { noReplace?: boolean; exchange?: boolean } = {}): void {
    const a = this.m(from);
    const b = this.m(to);
    if (opts.exchange) {
      if (!this.lexists(a) || !this.lexists(b)) throw err('ENOENT');
      const tmp = posix.join(posix.dirname(b), `.crossrun-exchange-${process.pid}-${Date.now()}`);
      this.fs.renameSync(a, tmp);
      this.fs.renameSync(b, a);
      this.fs.renameSync(tmp, b);
      return;
    }
    if (opts.noReplace && this.lexists(b)) throw err('EEXIST');
    this.fs.renameSync(a, b);
  }
  symlink(target: string, p: string): void {
    this.fs.symlinkSync(target, this.m(p));
  }
  link(existing: string, p: string): void {
    this.fs.linkSync(this.m(existing), this.m(p));
  }
  chmod(p: string, mode: number): void {
    this.fs.chmodSync(this.m(p), mode);
  }
  chown(p: string, uid: number, gid: number, follow = true): void {
    if (follow) this.fs.chownSync(this.m(p), uid, gid);
    else this.fs.lchownSync(this.m(p), uid, gid);
  }
  utimes(p: string, atime: number, mtime: number, follow = true): void {
    if (follow) this.fs.utimesSync(this.m(p), atime, mtime);
    else this.fs.lutimesSync(this.m(p), atime, mtime);
  }
  truncate(p: string, len: number): void {
    this.fs.truncateSync(this.m(p), len);
  }
  access(p: string, mode: number): void {
    if (DEVICES.has(p)) return;
    this.fs.accessSync(this.m(p), mode);
  }
  statfs(p: string): VfsStatfs {
    const hp = this.m(p);
    if (this.fs.statfsSync) return this.fs.statfsSync(hp, { bigint: true });
    this.fs.statSync(hp, { bigint: true }); // ENOENT and friends first
    // A backend without statfs: say tmpfs, 1 GiB in 4 KiB blocks, nothing used.
    return { type: TMPFS_MAGIC, bsize: 4096n, blocks: 262144n, bfree: 262144n, bavail: 262144n, files: 65536n, ffree: 65536n };
  }

  private lexists(hostPath: string): boolean {
    try {
      this.fs.lstatSync(hostPath, { bigint: true });
      return true;
    } catch {
      return false;
    }
  }
}

/** The host filesystem through node:fs. With a prefix (-L), an absolute guest path P means
 *  prefix+P when that exists on the host, else P itself (qemu's rule). */
export function hostVfs(opts: { prefix?: string } = {}): Vfs {
  const raw = opts.prefix && opts.prefix !== '/' ? resolve(opts.prefix) : '';
  // (through require: `import * as` would copy node:fs's ~100 exports into a namespace object at
  // every start)
  const nodeFs = hostRequire<typeof import('node:fs')>('node:fs');
  const fs: FsLike = nodeFs;
  return new FsVfs({
    kind: 'host',
    fs,
    constants: nodeFs.constants,
    initialCwd: process.cwd(),
    map: raw
      ? (p) => {
          const inPrefix = raw + p;
          return p.startsWith('/') && fs.existsSync(inPrefix) ? inPrefix : p;
        }
      : (p) => p,
    isatty: hostIsatty,
    hostTty: process.platform !== 'win32',
  });
}

/** memfs (~450 KB of code), loaded on the first memVfs: a run on the host filesystem (the CLI)
 *  never loads it, and the CLI bundle leaves it out (host-require.ts). */
let memfs: typeof import('memfs') | undefined;
function loadMemfs(): typeof import('memfs') {
  return (memfs ??= hostRequire<typeof import('memfs')>('memfs'));
}

/** An in-memory filesystem: a memfs Volume, or a JSON map of path → contents to build one. */
export function memVfs(volumeOrJson?: Volume | Record<string, string | Uint8Array>): Vfs {
  const { Volume, createFsFromVolume } = loadMemfs();
  let vol: Volume;
  if (volumeOrJson instanceof Volume) vol = volumeOrJson;
  else {
    const json: Record<string, string | Buffer> = {};
    for (const [k, v] of Object.entries(volumeOrJson ?? {})) json[k] = typeof v === 'string' ? v : Buffer.from(v);
    vol = Volume.fromJSON(json, '/');
    if (!vol.existsSync('/')) vol.mkdirSync('/', { recursive: true });
  }
  return new FsVfs({
    kind: 'memory',
    fs: vol as unknown as FsLike, // memfs types readdirSync's result as a union; withFileTypes gives Dirents
    constants: createFsFromVolume(vol).constants, // Linux values
    initialCwd: '/',
    map: (p) => p,
    isatty: () => false,
    hostTty: false,
  });
}
