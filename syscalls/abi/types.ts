// What a Linux ABI table provides: everything the shared handlers need that differs between ABI
// families, as data. Handlers read constants by name (abi.open.O_CREAT) and never ask which ISA
// they run for.
import type { StructDecl, StructInput } from '../codec.js';
import type { ErrnoName } from './errno.js';

export type OpenFlag =
  | 'O_ACCMODE' | 'O_RDONLY' | 'O_WRONLY' | 'O_RDWR' | 'O_CREAT' | 'O_EXCL' | 'O_NOCTTY' | 'O_TRUNC'
  | 'O_APPEND' | 'O_NONBLOCK' | 'O_DSYNC' | 'O_ASYNC' | 'O_DIRECT' | 'O_LARGEFILE' | 'O_DIRECTORY'
  | 'O_NOFOLLOW' | 'O_NOATIME' | 'O_CLOEXEC' | 'O_SYNC' | 'O_PATH' | 'O_TMPFILE';

export type MapFlag =
  | 'MAP_SHARED' | 'MAP_PRIVATE' | 'MAP_SHARED_VALIDATE' | 'MAP_TYPE' | 'MAP_FIXED' | 'MAP_ANONYMOUS'
  | 'MAP_GROWSDOWN' | 'MAP_DENYWRITE' | 'MAP_EXECUTABLE' | 'MAP_LOCKED' | 'MAP_NORESERVE' | 'MAP_POPULATE'
  | 'MAP_NONBLOCK' | 'MAP_STACK' | 'MAP_HUGETLB' | 'MAP_SYNC' | 'MAP_FIXED_NOREPLACE' | 'MAP_UNINITIALIZED';

export type FcntlCmd =
  | 'F_DUPFD' | 'F_GETFD' | 'F_SETFD' | 'F_GETFL' | 'F_SETFL' | 'F_GETLK' | 'F_SETLK' | 'F_SETLKW'
  | 'F_SETOWN' | 'F_GETOWN' | 'F_SETSIG' | 'F_GETSIG' | 'F_GETLK64' | 'F_SETLK64' | 'F_SETLKW64'
  | 'F_SETOWN_EX' | 'F_GETOWN_EX' | 'F_OFD_GETLK' | 'F_OFD_SETLK' | 'F_OFD_SETLKW' | 'F_SETLEASE'
  | 'F_GETLEASE' | 'F_NOTIFY' | 'F_DUPFD_CLOEXEC' | 'F_SETPIPE_SZ' | 'F_GETPIPE_SZ' | 'F_ADD_SEALS' | 'F_GET_SEALS';

export type SignalName =
  | 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGILL' | 'SIGTRAP' | 'SIGABRT' | 'SIGBUS' | 'SIGFPE' | 'SIGKILL'
  | 'SIGUSR1' | 'SIGSEGV' | 'SIGUSR2' | 'SIGPIPE' | 'SIGALRM' | 'SIGTERM' | 'SIGSTKFLT' | 'SIGCHLD'
  | 'SIGCONT' | 'SIGSTOP' | 'SIGTSTP' | 'SIGTTIN' | 'SIGTTOU' | 'SIGURG' | 'SIGXCPU' | 'SIGXFSZ'
  | 'SIGVTALRM' | 'SIGPROF' | 'SIGWINCH' | 'SIGIO' | 'SIGPWR' | 'SIGSYS';

export type SigHow = 'SIG_BLOCK' | 'SIG_UNBLOCK' | 'SIG_SETMASK';

export type IoctlName =
  | 'TCGETS' | 'TCSETS' | 'TCSETSW' | 'TCSETSF' | 'TCFLSH' | 'TIOCSCTTY' | 'TIOCGPGRP' | 'TIOCSPGRP'
  | 'TIOCGWINSZ' | 'TIOCSWINSZ' | 'FIONREAD' | 'TIOCNOTTY' | 'FIONBIO' | 'FIONCLEX' | 'FIOCLEX' | 'TIOCGPTN';

export type RlimitName =
  | 'RLIMIT_CPU' | 'RLIMIT_FSIZE' | 'RLIMIT_DATA' | 'RLIMIT_STACK' | 'RLIMIT_CORE' | 'RLIMIT_RSS'
  | 'RLIMIT_NPROC' | 'RLIMIT_NOFILE' | 'RLIMIT_MEMLOCK' | 'RLIMIT_AS' | 'RLIMIT_LOCKS'
  | 'RLIMIT_SIGPENDING' | 'RLIMIT_MSGQUEUE' | 'RLIMIT_NICE' | 'RLIMIT_RTPRIO' | 'RLIMIT_RTTIME';

/** Roles a structure plays; each ABI names the declaration it uses for each. */
export type StructRole =
  | 'stat' | 'statx' | 'timespec' | 'timeval' | 'timezone' | 'iovec' | 'utsname' | 'rlimit' | 'rlimit64'
  | 'sysinfo' | 'dirent64' | 'termios' | 'winsize' | 'rusage' | 'tms' | 'sigaction' | 'sigset'
  | 'flock' | 'flock64' | 'pipefds' | 'stack';

export interface LinuxAbi {
  readonly name: string;
  /** Syscall number → name. Names select the shared handler and strace signature. */
  readonly syscalls: ReadonlyArray<readonly [number, string]>;
  readonly errno: ReadonlyMap<ErrnoName, number>;
  readonly open: Readonly<Record<OpenFlag, number>>;
  readonly mmap: Readonly<Record<MapFlag, number>>;
  readonly fcntl: Readonly<Record<FcntlCmd, number>>;
  readonly signals: Readonly<Record<SignalName, number>>;
  /** First real-time signal and the number of signals (SIGRTMAX = nsig). */
  readonly sigrtmin: number;
  readonly nsig: number;
  readonly sigHow: Readonly<Record<SigHow, number>>;
  /** sa_flags bits the strace printer names (SA_RESTORER only where the ABI has it). */
  readonly saFlags: Readonly<Record<string, number>>;
  readonly ioctl: Readonly<Record<IoctlName, number>>;
  readonly rlimit: Readonly<Record<RlimitName, number>>;
  readonly structs: Readonly<Record<StructRole, StructDecl>>;
  /** What TCGETS reports for a terminal (we cannot read the host's settings from node). */
  readonly termiosDefaults: StructInput;
  /** Alignment of 64-bit integers when the word is 32 bits (see codec DataModel). */
  readonly i64Align?: 4 | 8;
}
