// vFile: host I/O for gdb (reading the program and its libraries "from the target"), served from
// the guest's filesystem — so -L sysroots and in-memory volumes work as the guest sees them.
// Flags, errno values and struct stat are gdb's File-I/O ones (gdb manual, "Protocol-specific
// Representation of Datatypes"), not Linux's.
import { posix } from 'node:path';
import type { Vfs, VfsHandle, VfsStat } from '../../syscalls/vfs.js';
import { escapeBinary } from './rsp.js';

/** gdb File-I/O errno values by Node/host error code. */
const FIO_ERRNO: Readonly<Record<string, number>> = {
  EPERM: 1, ENOENT: 2, EINTR: 4, EBADF: 9, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19,
  ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, EFBIG: 27, ENOSPC: 28, ESPIPE: 29,
  EROFS: 30, ENAMETOOLONG: 91,
};
const FIO_EUNKNOWN = 9999;
/** gdb File-I/O open flags. */
const FIO_O_ACCMODE = 0x3;

/** Longest pread reply we send: escaping can double the data; our PacketSize is 0x4000. */
export const MAX_PREAD = 0x1f00;

const hex = (n: number): string => (n < 0 ? '-' + (-n).toString(16) : n.toString(16));
const fail = (errno: number): string => `F-1,${hex(errno)}`;
function errnoOf(e: unknown): number {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (FIO_ERRNO[code] ?? FIO_EUNKNOWN) : FIO_EUNKNOWN;
}

/** gdb's struct stat: 13 big-endian fields, 64 bytes. */
function fioStat(s: VfsStat): Buffer {
  const b = Buffer.alloc(64);
  const u32 = (off: number, v: number | bigint) => b.writeUInt32BE(Number(BigInt.asUintN(32, BigInt(v))), off);
  const u64 = (off: number, v: number | bigint) => b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(v)), off);
  u32(0, s.dev);
  u32(4, s.ino);
  u32(8, s.mode);
  u32(12, s.nlink);
  u32(16, s.uid);
  u32(20, s.gid);
  u32(24, s.rdev);
  u64(28, s.size);
  u64(36, s.blksize);
  u64(44, s.blocks);
  u32(52, s.atimeNs / 1_000_000_000n);
  u32(56, s.mtimeNs / 1_000_000_000n);
  u32(60, s.ctimeNs / 1_000_000_000n);
  return b;
}

/** The files gdb has open through vFile (its own descriptors, not the guest's). */
export class HostIo {
  private readonly files = new Map<number, VfsHandle>();
  private nextFd = 3;

  constructor(
    private readonly vfs: Vfs,
    private readonly cwd: () => string,
  ) {}

  /** Reply to a `vFile:` packet (the part after "vFile:"), or null if we do not serve it. */
  handle(req: string): string | Buffer | null {
    const colon = req.indexOf(':');
    const op = colon < 0 ? req : req.slice(0, colon);
    const args = colon < 0 ? [] : req.slice(colon + 1).split(',');
    const num = (i: number) => parseInt(args[i] ?? '', 16);
    const path = (i: number) => posix.resolve(this.cwd(), Buffer.from(args[i] ?? '', 'hex').toString('utf8'));
    try {
      switch (op) {
        case 'setfs':
          return 'F0'; // one filesystem for every process
        case 'open': {
          if (args.length < 2 || Number.isNaN(num(1))) return 'E01';
          if ((num(1) & FIO_O_ACCMODE) !== 0) return fail(FIO_ERRNO.EACCES); // read-only service
          const fd = this.nextFd++;
          this.files.set(fd, this.vfs.open(path(0), { read: true, write: false }));
          return `F${hex(fd)}`;
        }
        case 'close': {
          const f = this.files.get(num(0));
          if (!f) return fail(FIO_ERRNO.EBADF);
          this.files.delete(num(0));
          f.close();
          return 'F0';
        }
        case 'pread': {
          const f = this.files.get(num(0));
          if (!f) return fail(FIO_ERRNO.EBADF);
          const count = Math.min(num(1), MAX_PREAD);
          const off = num(2);
          if (!(count >= 0) || !(off >= 0)) return fail(FIO_ERRNO.EINVAL);
          const buf = Buffer.alloc(count);
          const n = f.pread(buf, off);
          return Buffer.concat([Buffer.from(`F${hex(n)};`), escapeBinary(buf.subarray(0, n))]);
        }
        case 'fstat': {
          const f = this.files.get(num(0));
          if (!f) return fail(FIO_ERRNO.EBADF);
          return Buffer.concat([Buffer.from('F40;'), escapeBinary(fioStat(f.stat()))]);
        }
        case 'readlink': {
          const target = Buffer.from(this.vfs.readlink(path(0)));
          return Buffer.concat([Buffer.from(`F${hex(target.length)};`), escapeBinary(target)]);
        }
        default:
          return null;
      }
    } catch (e) {
      return fail(errnoOf(e));
    }
  }

  closeAll(): void {
    for (const f of this.files.values()) {
      try {
        f.close();
      } catch {
        // already gone
      }
    }
    this.files.clear();
  }
}
