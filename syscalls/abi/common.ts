// Linux constants that are the same on every ABI (include/uapi/linux/*.h). Constants that some
// ABIs renumber (O_*, MAP_*, signals, F_* commands, ioctls, RLIMIT_*) live in the ABI tables.

export const AT = {
  AT_FDCWD: -100,
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200, // unlinkat; same bit is AT_EACCESS for faccessat
  AT_SYMLINK_FOLLOW: 0x400,
  AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000,
  AT_STATX_FORCE_SYNC: 0x2000,
  AT_STATX_DONT_SYNC: 0x4000,
} as const;
export const AT_EACCESS = 0x200;

export const PROT = { PROT_READ: 1, PROT_WRITE: 2, PROT_EXEC: 4, PROT_SEM: 8, PROT_GROWSDOWN: 0x01000000, PROT_GROWSUP: 0x02000000 } as const;
export const MREMAP = { MREMAP_MAYMOVE: 1, MREMAP_FIXED: 2, MREMAP_DONTUNMAP: 4 } as const;
export const MADV = {
  MADV_NORMAL: 0, MADV_RANDOM: 1, MADV_SEQUENTIAL: 2, MADV_WILLNEED: 3, MADV_DONTNEED: 4, MADV_FREE: 8,
  MADV_REMOVE: 9, MADV_DONTFORK: 10, MADV_DOFORK: 11, MADV_MERGEABLE: 12, MADV_UNMERGEABLE: 13,
  MADV_HUGEPAGE: 14, MADV_NOHUGEPAGE: 15, MADV_DONTDUMP: 16, MADV_DODUMP: 17, MADV_WIPEONFORK: 18,
  MADV_KEEPONFORK: 19, MADV_COLD: 20, MADV_PAGEOUT: 21,
} as const;

export const SEEK = { SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4 } as const;
export const ACCESS = { R_OK: 4, W_OK: 2, X_OK: 1 } as const;

export const CLOCK = {
  CLOCK_REALTIME: 0, CLOCK_MONOTONIC: 1, CLOCK_PROCESS_CPUTIME_ID: 2, CLOCK_THREAD_CPUTIME_ID: 3,
  CLOCK_MONOTONIC_RAW: 4, CLOCK_REALTIME_COARSE: 5, CLOCK_MONOTONIC_COARSE: 6, CLOCK_BOOTTIME: 7,
  CLOCK_REALTIME_ALARM: 8, CLOCK_BOOTTIME_ALARM: 9, CLOCK_TAI: 11,
} as const;
export const TIMER_ABSTIME = 1;

export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;

/** st_mode file types. */
export const S_IFMT = 0o170000;
export const S_IF = { SOCK: 0o140000, LNK: 0o120000, REG: 0o100000, BLK: 0o060000, DIR: 0o040000, CHR: 0o020000, FIFO: 0o010000 } as const;
/** linux_dirent64 d_type values. */
export const DT = { UNKNOWN: 0, FIFO: 1, CHR: 2, DIR: 4, BLK: 6, REG: 8, LNK: 10, SOCK: 12 } as const;

export const RENAME = { RENAME_NOREPLACE: 1, RENAME_EXCHANGE: 2, RENAME_WHITEOUT: 4 } as const;
export const GRND = { GRND_NONBLOCK: 1, GRND_RANDOM: 2, GRND_INSECURE: 4 } as const;
export const FD_CLOEXEC = 1;
export const LOCK_TYPES = { F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2 } as const;

export const STATX = {
  STATX_TYPE: 0x1, STATX_MODE: 0x2, STATX_NLINK: 0x4, STATX_UID: 0x8, STATX_GID: 0x10, STATX_ATIME: 0x20,
  STATX_MTIME: 0x40, STATX_CTIME: 0x80, STATX_INO: 0x100, STATX_SIZE: 0x200, STATX_BLOCKS: 0x400,
  STATX_BASIC_STATS: 0x7ff, STATX_BTIME: 0x800,
} as const;

export const RUSAGE_WHO = { RUSAGE_SELF: 0, RUSAGE_CHILDREN: -1, RUSAGE_THREAD: 1 } as const;
