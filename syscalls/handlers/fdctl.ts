// fcntl and ioctl: descriptor flags, status flags, record locks, terminal queries.
import { FD_CLOEXEC, LOCK_TYPES, S_IF, S_IFMT, SEEK } from '../abi/common.js';
import type { FcntlCmd, IoctlName } from '../abi/types.js';
import { layout, num, type StructInput } from '../codec.js';
import { fail } from '../errors.js';
import type { FileDescription } from '../files/description.js';
import { PIPE_CAPACITY, PipeEnd } from '../files/pipe.js';
import type { LockType } from '../locks.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

function cmdName(p: GuestProcess, cmd: number): FcntlCmd | undefined {
  // -1 marks a command this ABI lacks
  return cmd < 0 ? undefined : (Object.keys(p.abi.fcntl) as FcntlCmd[]).find((k) => p.abi.fcntl[k] === cmd);
}

/** F_GETLK / F_SETLK / F_SETLKW and their OFD forms. */
function recordLock(p: GuestProcess, f: FileDescription, cmd: FcntlCmd, arg: number): number {
  const ofd = cmd.startsWith('F_OFD_');
  const role = cmd.endsWith('64') ? 'flock64' : 'flock';
  const fl = p.readStruct(role, arg);
  const type = num(fl, 'l_type');
  const whence = num(fl, 'l_whence');
  if (ofd && num(fl, 'l_pid') !== 0) fail('EINVAL');
  let base: number;
  if (whence === SEEK.SEEK_SET) base = 0;
  else if (whence === SEEK.SEEK_CUR) base = f.seek(0, SEEK.SEEK_CUR);
  else if (whence === SEEK.SEEK_END) base = f.stat().size;
  else return fail('EINVAL');
  let start = base + num(fl, 'l_start');
  const len = num(fl, 'l_len');
  let end = len === 0 ? Infinity : start + len;
  if (len < 0) [start, end] = [start + len, start];
  if (start < 0) fail('EINVAL');
  const lt: LockType | null = type === LOCK_TYPES.F_RDLCK ? 'r' : type === LOCK_TYPES.F_WRLCK ? 'w' : type === LOCK_TYPES.F_UNLCK ? null : fail('EINVAL');
  const owner: object = ofd ? f : p;
  const key = f.lockKey();

  if (cmd === 'F_GETLK' || cmd === 'F_OFD_GETLK' || cmd === 'F_GETLK64') {
    if (!lt) fail('EINVAL');
    const c = p.locks.conflict(key, owner, lt, start, end);
    p.writeStruct(role, arg, c
      ? {
          l_type: c.type === 'r' ? LOCK_TYPES.F_RDLCK : LOCK_TYPES.F_WRLCK, l_whence: SEEK.SEEK_SET,
          l_start: c.start, l_len: c.end === Infinity ? 0 : c.end - c.start, l_pid: c.pid,
        }
      : { ...fl, l_type: LOCK_TYPES.F_UNLCK });
    return 0;
  }
  if (lt === 'r' && !f.readable) fail('EBADF');
  if (lt === 'w' && !f.writable) fail('EBADF');
  if (lt && p.locks.conflict(key, owner, lt, start, end)) {
    // Waiting could never end: the holder is this same single-task process.
    fail(cmd.includes('SETLKW') ? 'EDEADLK' : 'EAGAIN');
  }
  p.locks.set(key, owner, lt, start, end, ofd ? -1 : p.pid);
  return 0;
}

/** Status flags F_SETFL may change. */
function settable(p: GuestProcess): number {
  const O = p.abi.open;
  return O.O_APPEND | O.O_NONBLOCK | O.O_ASYNC | O.O_DIRECT | O.O_NOATIME;
}

function fcntl(p: GuestProcess, fdArg: bigint, cmdArg: bigint, argArg: bigint): number {
  const fd = p.int(fdArg);
  const entry = p.fds.entry(fd);
  const f = entry.file;
  const name = cmdName(p, p.int(cmdArg));
  const arg = p.ptr(argArg);
  switch (name) {
    case 'F_DUPFD':
    case 'F_DUPFD_CLOEXEC': {
      const min = p.int(argArg);
      if (min < 0 || min >= p.fds.limit) fail('EINVAL');
      return p.fds.install(f, name === 'F_DUPFD_CLOEXEC', min);
    }
    case 'F_GETFD': return entry.cloexec ? FD_CLOEXEC : 0;
    case 'F_SETFD': entry.cloexec = (p.int(argArg) & FD_CLOEXEC) !== 0; return 0;
    case 'F_GETFL': return f.statusFlags;
    case 'F_SETFL': {
      const mask = settable(p);
      f.statusFlags = (f.statusFlags & ~mask) | (p.int(argArg) & mask);
      f.append = p.o(f.statusFlags, 'O_APPEND');
      f.nonblock = p.o(f.statusFlags, 'O_NONBLOCK');
      return 0;
    }
    case 'F_GETLK': case 'F_SETLK': case 'F_SETLKW':
    case 'F_GETLK64': case 'F_SETLK64': case 'F_SETLKW64':
    case 'F_OFD_GETLK': case 'F_OFD_SETLK': case 'F_OFD_SETLKW':
      return recordLock(p, f, name, arg);
    case 'F_GETOWN': case 'F_GETSIG': return 0;
    case 'F_SETOWN': case 'F_SETSIG': return 0;
    case 'F_GETLEASE': return LOCK_TYPES.F_UNLCK;
    case 'F_GETPIPE_SZ':
      if (!(f instanceof PipeEnd)) fail('EBADF');
      return PIPE_CAPACITY;
    case 'F_SETPIPE_SZ':
      if (!(f instanceof PipeEnd)) fail('EBADF');
      return Math.max(PIPE_CAPACITY, 2 ** Math.ceil(Math.log2(Math.max(arg, 1)))); // queue is unbounded anyway
    default:
      p.unimp(`crossrun: fcntl command ${p.int(cmdArg)} not supported`);
      return fail('EINVAL');
  }
}

function ioctlName(p: GuestProcess, req: number): IoctlName | undefined {
  return (Object.keys(p.abi.ioctl) as IoctlName[]).find((k) => p.abi.ioctl[k] >>> 0 === req);
}

/** What a terminal remembers between ioctls, shared by every guest process (the process table is
 *  the key) and every fd open on it: the foreground process group and a size set with TIOCSWINSZ. */
interface TermState {
  pgrp: number | null;
  winsize: StructInput | null;
}
const terminals = new WeakMap<object, Map<string, TermState>>();

function termState(p: GuestProcess, f: FileDescription): TermState {
  let byTty = terminals.get(p.kernel);
  if (!byTty) terminals.set(p.kernel, (byTty = new Map()));
  const st = f.stat();
  const key = `${st.dev}:${st.ino}:${st.rdev}`;
  let t = byTty.get(key);
  if (!t) byTty.set(key, (t = { pgrp: null, winsize: null }));
  return t;
}

/** The host terminal's size: from whichever of node's stdout/stderr is a terminal (the guest's
 *  terminal is the host's). */
function hostWinsize(): StructInput {
  for (const s of [process.stdout, process.stderr]) {
    if (s.isTTY && s.columns && s.rows) return { ws_row: s.rows, ws_col: s.columns, ws_xpixel: 0, ws_ypixel: 0 };
  }
  return { ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0 };
}

/** The ABI's default termios with c_cc as the NCCS bytes the struct holds (the table lists the
 *  control characters as numbers, the codec writes u8 arrays from bytes). */
function defaultTermios(p: GuestProcess): StructInput {
  const d = p.abi.termiosDefaults;
  const field = layout(p.abi.structs.termios, p.model).byName.get('c_cc');
  const cc = new Uint8Array(field && field.kind !== 'scalar' && field.kind !== 'struct' ? field.count : 0);
  const given = d.c_cc;
  if (Array.isArray(given)) given.forEach((v, i) => (cc[i] = Number(v)));
  else if (given instanceof Uint8Array) cc.set(given.subarray(0, cc.length));
  return { ...d, c_cc: cc };
}

function ioctl(p: GuestProcess, fdArg: bigint, reqArg: bigint, argArg: bigint): number {
  const fd = p.int(fdArg);
  const entry = p.fds.entry(fd);
  const f = entry.file;
  const name = ioctlName(p, p.uint(reqArg));
  const arg = p.ptr(argArg);
  const tty = f.isTerminal();
  switch (name) {
    case 'FIOCLEX': entry.cloexec = true; return 0;
    case 'FIONCLEX': entry.cloexec = false; return 0;
    case 'FIONBIO': {
      const on = p.readInt(arg) !== 0;
      f.nonblock = on;
      const nb = p.abi.open.O_NONBLOCK;
      f.statusFlags = on ? f.statusFlags | nb : f.statusFlags & ~nb;
      return 0;
    }
    case 'FIONREAD': {
      let n: number;
      if (tty) n = 0; // what the host terminal has buffered is not visible from node
      else if (f.handle() && (f.stat().mode & S_IFMT) === S_IF.REG) n = Math.max(0, f.stat().size - f.seek(0, SEEK.SEEK_CUR));
      else n = f.available(); // pipes; ENOTTY for directories, devices and files without a queue
      p.writeInt(arg, n);
      return 0;
    }
  }
  if (!tty) return fail('ENOTTY');
  switch (name) {
    case 'TCGETS':
      p.writeStruct('termios', arg, p.termios ?? defaultTermios(p));
      return 0;
    case 'TCSETS': case 'TCSETSW': case 'TCSETSF':
      // Remembered for TCGETS; the host terminal's mode is left alone.
      p.termios = p.readStruct('termios', arg);
      return 0;
    case 'TIOCGWINSZ':
      p.writeStruct('winsize', arg, termState(p, f).winsize ?? hostWinsize());
      return 0;
    case 'TIOCSWINSZ':
      // A real terminal would also send SIGWINCH to its foreground group when the size changes.
      termState(p, f).winsize = p.readStruct('winsize', arg);
      return 0;
    case 'TIOCGPGRP': {
      const t = termState(p, f);
      p.writeInt(arg, t.pgrp ?? p.pgid);
      return 0;
    }
    case 'TIOCSPGRP': {
      const pgrp = p.readInt(arg);
      if (pgrp < 0) fail('EINVAL');
      // The group must exist, in the caller's session.
      const members = p.kernel.group(pgrp);
      if (members.length === 0) fail('ESRCH');
      if (!members.some((q) => q.sid === p.sid)) fail('EPERM');
      termState(p, f).pgrp = pgrp;
      return 0;
    }
    case 'TCFLSH': case 'TIOCSCTTY': case 'TIOCNOTTY':
      return 0;
    default:
      p.unimp(`crossrun: ioctl 0x${p.uint(reqArg).toString(16)} on a terminal not supported`);
      return fail('ENOTTY');
  }
}

export const fdctlSyscalls: SyscallTable = {
  fcntl: { args: ['fd', 'fcntl', 'fcntlarg'], run: (p, [fd, cmd, arg]) => fcntl(p, fd, cmd, arg) },
  ioctl: { args: ['fd', 'ioctl', 'ioctlarg'], run: (p, [fd, req, arg]) => ioctl(p, fd, req, arg) },
};
