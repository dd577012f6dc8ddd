// -strace lines in qemu-user's format: `PID name(args) = result`, errors as
// `= -1 errno=N (message)`. Argument kinds come from the syscall table; flag names from the ABI.
import { ACCESS, AT, AT_EACCESS, CLOCK, MADV, MREMAP, PROT, RENAME, SEEK } from './abi/common.js';
import { ERRNO_MESSAGE, type ErrnoName } from './abi/errno.js';
import type { FcntlCmd, MapFlag, OpenFlag } from './abi/types.js';
import { big } from './codec.js';
import type { GuestProcess } from './process.js';
import type { ArgKind, RetKind, SyscallDef } from './syscall-def.js';
import { AF, IPPROTO, SOCK, SOCK_TYPE_MASK } from './net/consts.js';
import { formatSockAddr, readSockAddr } from './net/sockaddr.js';

type Bits = ReadonlyArray<readonly [string, number]>;

/** "A|B|0x40", or `zero` for 0. Entries covering several bits must come before their parts. */
function flagNames(v: number, bits: Bits, zero = '0'): string {
  if (v === 0) return zero;
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [name, bit] of bits) {
    const b = bit >>> 0;
    if (b !== 0 && (rest & b) === b) {
      out.push(name);
      rest = (rest & ~b) >>> 0;
    }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out.join('|');
}

function nameOf(v: number, table: Readonly<Record<string, number>>): string {
  for (const [k, n] of Object.entries(table)) if (n === v && n >= 0) return k;
  return String(v);
}

const OPEN_ORDER: readonly OpenFlag[] = [
  'O_APPEND', 'O_CREAT', 'O_TMPFILE', 'O_DIRECTORY', 'O_EXCL', 'O_LARGEFILE', 'O_NOCTTY', 'O_NOFOLLOW',
  'O_NONBLOCK', 'O_SYNC', 'O_DSYNC', 'O_TRUNC', 'O_DIRECT', 'O_NOATIME', 'O_CLOEXEC', 'O_PATH', 'O_ASYNC',
];
const MAP_ORDER: readonly MapFlag[] = [
  'MAP_FIXED', 'MAP_ANONYMOUS', 'MAP_GROWSDOWN', 'MAP_DENYWRITE', 'MAP_EXECUTABLE', 'MAP_LOCKED',
  'MAP_NORESERVE', 'MAP_POPULATE', 'MAP_NONBLOCK', 'MAP_STACK', 'MAP_HUGETLB', 'MAP_SYNC',
  'MAP_FIXED_NOREPLACE', 'MAP_UNINITIALIZED',
];
/** fcntl commands whose third argument means something. */
/** ioctls whose argument points at an int the kernel reads / writes (qemu prints its value). */
const IOCTL_INT_IN: ReadonlySet<string> = new Set(['FIONBIO', 'TIOCSPGRP']);
const IOCTL_INT_OUT: ReadonlySet<string> = new Set(['FIONREAD', 'TIOCGPGRP']);
const FCNTL_WITH_ARG: ReadonlySet<FcntlCmd> = new Set<FcntlCmd>([
  'F_DUPFD', 'F_DUPFD_CLOEXEC', 'F_SETFD', 'F_SETFL', 'F_SETOWN', 'F_SETSIG', 'F_GETLK', 'F_SETLK',
  'F_SETLKW', 'F_GETLK64', 'F_SETLK64', 'F_SETLKW64', 'F_OFD_GETLK', 'F_OFD_SETLK', 'F_OFD_SETLKW',
  'F_SETLEASE', 'F_NOTIFY', 'F_SETPIPE_SZ', 'F_ADD_SEALS', 'F_SETOWN_EX', 'F_GETOWN_EX',
]);
const AT_BITS: Bits = [
  ['AT_SYMLINK_NOFOLLOW', AT.AT_SYMLINK_NOFOLLOW], ['AT_REMOVEDIR', AT.AT_REMOVEDIR],
  ['AT_SYMLINK_FOLLOW', AT.AT_SYMLINK_FOLLOW], ['AT_NO_AUTOMOUNT', AT.AT_NO_AUTOMOUNT],
  ['AT_EMPTY_PATH', AT.AT_EMPTY_PATH], ['AT_STATX_FORCE_SYNC', AT.AT_STATX_FORCE_SYNC],
  ['AT_STATX_DONT_SYNC', AT.AT_STATX_DONT_SYNC],
];
const ACCESS_AT_BITS: Bits = [['AT_EACCESS', AT_EACCESS], ...AT_BITS.filter(([n]) => n !== 'AT_REMOVEDIR')];

export class Strace {
  private readonly openBits: Bits;
  private readonly mapBits: Bits;
  private readonly hexDigits: number;

  constructor(private readonly p: GuestProcess) {
    const O = p.abi.open;
    this.openBits = OPEN_ORDER.map((n) => [n, O[n]] as const);
    this.mapBits = MAP_ORDER.map((n) => [n, p.abi.mmap[n]] as const);
    this.hexDigits = p.model.wordBits / 4;
  }

  private ptr(v: bigint): string {
    const w = this.p.word(v);
    return w === 0n ? 'NULL' : `0x${w.toString(16).padStart(this.hexDigits, '0')}`;
  }
  private str(v: bigint): string {
    try {
      return `"${this.p.mem.readCString(this.p.ptr(v))}"`;
    } catch {
      return this.ptr(v);
    }
  }
  private oflags(v: number): string {
    const O = this.p.abi.open;
    const acc = v & O.O_ACCMODE;
    const head = acc === O.O_RDONLY ? 'O_RDONLY' : acc === O.O_WRONLY ? 'O_WRONLY' : acc === O.O_RDWR ? 'O_RDWR' : String(acc);
    const rest = flagNames(v & ~O.O_ACCMODE, this.openBits, '');
    return rest ? `${head}|${rest}` : head;
  }
  private octal(v: number): string {
    return v === 0 ? '0' : `0${v.toString(8)}`;
  }
  private timespec(v: bigint): string {
    if (this.p.word(v) === 0n) return 'NULL';
    try {
      const t = this.p.readStruct('timespec', this.p.ptr(v));
      return `{tv_sec = ${big(t, 'tv_sec')},tv_nsec = ${big(t, 'tv_nsec')}}`;
    } catch {
      return this.ptr(v);
    }
  }

  /** One argument, or null to leave it out (open's mode without O_CREAT, fcntl without arg). */
  private arg(kind: ArgKind, v: bigint, prev: bigint): string | null {
    const p = this.p;
    const abi = p.abi;
    switch (kind) {
      case 'int': case 'fd': return String(p.int(v));
      case 'uint': return String(p.uint(v));
      case 'long': return String(p.sword(v));
      case 'ulong': return String(p.word(v));
      case 'hex': {
        const w = p.word(v);
        return w === 0n ? '0' : `0x${w.toString(16)}`;
      }
      case 'ptr': case 'timespec_out': return this.ptr(v);
      case 'dirfd': return p.int(v) === AT.AT_FDCWD ? 'AT_FDCWD' : String(p.int(v));
      case 'path': return this.str(v);
      case 'oflags': return this.oflags(p.int(v));
      case 'cmode': {
        const creat = abi.open.O_CREAT;
        const tmp = abi.open.O_TMPFILE;
        const fl = p.int(prev);
        return fl & creat || (fl & tmp) === tmp ? this.octal(p.uint(v)) : null;
      }
      case 'mode': return this.octal(p.uint(v));
      case 'whence': return nameOf(p.int(v), SEEK);
      case 'atflags': return flagNames(p.int(v), AT_BITS);
      case 'accessflags': return flagNames(p.int(v), ACCESS_AT_BITS);
      case 'access': return p.int(v) === 0 ? 'F_OK' : flagNames(p.int(v), Object.entries(ACCESS));
      case 'prot': return flagNames(p.int(v), Object.entries(PROT), 'PROT_NONE');
      case 'mapflags': {
        const fl = p.int(v);
        const type = fl & abi.mmap.MAP_TYPE;
        const head = type === abi.mmap.MAP_SHARED ? 'MAP_SHARED' : type === abi.mmap.MAP_PRIVATE ? 'MAP_PRIVATE'
          : type === abi.mmap.MAP_SHARED_VALIDATE ? 'MAP_SHARED_VALIDATE' : `0x${type.toString(16)}`;
        const rest = flagNames(fl & ~abi.mmap.MAP_TYPE, this.mapBits, '');
        return rest ? `${head}|${rest}` : head;
      }
      case 'mremapflags': return flagNames(p.int(v), Object.entries(MREMAP));
      case 'madvice': return nameOf(p.int(v), MADV);
      case 'clock': return nameOf(p.int(v), CLOCK);
      case 'signal': return p.int(v) === 0 ? '0' : p.sig.name(p.int(v));
      case 'sighow': return nameOf(p.int(v), abi.sigHow);
      case 'ioctl': {
        const n = p.uint(v);
        for (const [k, x] of Object.entries(abi.ioctl)) if (x >>> 0 === n) return k;
        return `0x${n.toString(16)}`;
      }
      case 'ioctlarg': {
        // As qemu's thunks show them: an int the request reads is shown by value, other
        // arguments as pointers (an int the request writes is shown after the result).
        const name = nameOf(p.uint(prev), abi.ioctl);
        if (IOCTL_INT_IN.has(name) && p.ptr(v) !== 0) {
          try {
            return String(p.readInt(p.ptr(v)));
          } catch {
            return this.ptr(v);
          }
        }
        return this.ptr(v);
      }
      case 'fcntl': return nameOf(p.int(v), abi.fcntl);
      case 'fcntlarg': {
        const cmd = nameOf(p.int(prev), abi.fcntl) as FcntlCmd;
        if (!FCNTL_WITH_ARG.has(cmd)) return null;
        if (cmd === 'F_SETFL') return this.oflags(p.int(v));
        if (cmd.includes('LK')) return this.ptr(v);
        return String(p.int(v));
      }
      case 'timespec': return this.timespec(v);
      case 'renameflags': return flagNames(p.uint(v), Object.entries(RENAME));
      case 'rlimit': return nameOf(p.uint(v), abi.rlimit);
      case 'oflagbits': return flagNames(p.int(v), this.openBits);
      case 'sockdomain': return nameOf(p.int(v), AF).replace(/^AF_/, 'PF_');
      case 'socktype': {
        const t = p.int(v);
        const O = abi.open;
        return flagNames(t & ~SOCK_TYPE_MASK, [['SOCK_NONBLOCK', O.O_NONBLOCK], ['SOCK_CLOEXEC', O.O_CLOEXEC]], '')
          .split('|').filter(Boolean).reduce((acc, x) => `${acc}|${x}`, nameOf(t & SOCK_TYPE_MASK, SOCK));
      }
      case 'sockproto': return nameOf(p.int(v), IPPROTO);
      case 'sockaddr': {
        try {
          return formatSockAddr(readSockAddr(p, p.ptr(v), 110));
        } catch {
          return this.ptr(v);
        }
      }
      case 'socklen': return ` ${p.int(v)}`;
      case 'xptr': return `0x${p.word(v).toString(16)}`;
      case 'omit': return null;
    }
  }

  /** The argument list of a call (before it runs: strings are read before they can change). */
  args(def: SyscallDef | undefined, a: readonly bigint[]): string {
    if (!def) return a.map((v) => String(this.p.sword(v))).join(',');
    const out: string[] = [];
    def.args.forEach((k, i) => {
      const s = this.arg(k, a[i] ?? 0n, i > 0 ? (a[i - 1] ?? 0n) : 0n);
      if (s !== null) out.push(s);
    });
    return out.join(',');
  }

  result(def: SyscallDef | undefined, a: readonly bigint[], value: bigint): string {
    const p = this.p;
    const ret: RetKind = def?.ret ?? 'int';
    const signed = p.sword(value);
    if (signed < 0n && signed >= -4095n) {
      const nr = Number(-signed);
      const name = [...p.abi.errno].find(([, n]) => n === nr)?.[0];
      return `-1 errno=${nr} (${(name && ERRNO_MESSAGE.get(name)) ?? 'Unknown error'})`;
    }
    let s = ret === 'ptr' ? `0x${p.word(value).toString(16).padStart(this.hexDigits, '0')}` : String(signed);
    // Output structs the call filled in, after a successful result.
    def?.args.forEach((k, i) => {
      if (k === 'timespec_out') s += ` (${this.timespec(a[i] ?? 0n)})`;
      if (k === 'ioctlarg' && IOCTL_INT_OUT.has(nameOf(p.uint(a[i - 1] ?? 0n), p.abi.ioctl))) {
        try {
          s += ` (${p.readInt(p.ptr(a[i] ?? 0n))})`;
        } catch {
          /* an unreadable pointer: the call failed anyway */
        }
      }
    });
    return s;
  }

  line(name: string, args: string, result: string | null): string {
    return `${this.p.pid} ${name}(${args})${result === null ? '' : ` = ${result}`}`;
  }
}
