// The shape of one row of the syscall table: how strace prints its arguments and result, and the
// shared handler that runs it. Area files (handlers/*.ts) export objects of these by name; the
// ABI table maps numbers to names. One table drives dispatch, -strace and the tests.
import type { GuestProcess } from './process.js';

/** How strace shows an argument. */
export type ArgKind =
  | 'int' | 'uint' | 'long' | 'ulong' | 'hex' | 'ptr' | 'fd' | 'dirfd' | 'path' | 'oflags'
  | 'cmode' /* open's mode: shown only with O_CREAT/O_TMPFILE */ | 'mode' | 'whence' | 'atflags' | 'accessflags'
  | 'access' | 'prot' | 'mapflags' | 'mremapflags' | 'madvice' | 'clock' | 'signal' | 'sighow'
  | 'ioctl' | 'ioctlarg' /* by the request: an int's value or a pointer */ | 'fcntl' | 'fcntlarg' /* shown only for commands that take one */ | 'timespec'
  | 'timespec_out' /* a pointer; the struct is shown after a successful result */
  | 'renameflags' | 'rlimit' | 'oflagbits'
  | 'sockdomain' | 'socktype' | 'sockproto' | 'sockaddr' /* struct sockaddr_*, as qemu shows it */
  | 'socklen' /* the length after a sockaddr: qemu separates it with ", " */ | 'xptr' /* unpadded hex */
  | 'omit' /* passed but not shown (qemu leaves out sigsetsize) */;

/** How strace shows the result: a signed number, or an address. */
export type RetKind = 'int' | 'ptr' | 'noreturn';

export type Handler = (p: GuestProcess, a: readonly bigint[]) => number | bigint;

export interface SyscallDef {
  readonly args: readonly ArgKind[];
  readonly ret?: RetKind;
  readonly run: Handler;
}

export type SyscallTable = Readonly<Record<string, SyscallDef>>;
