// Kernel structure declarations, written as the C headers define them (uapi field order and C
// types). The codec resolves them per ABI. An ABI table (abi/*.ts) picks which declaration it uses
// for each role, since some ABIs differ in more than word size (x86-64's struct stat, sigaction
// with or without sa_restorer).
import { defineStruct } from './codec.js';

export const TIMESPEC = defineStruct('timespec', [['tv_sec', 'long'], ['tv_nsec', 'long']]);
/** __kernel_timespec: the time64 layout used by 32-bit ABIs' *_time64 calls. */
export const TIMESPEC64 = defineStruct('timespec64', [['tv_sec', 'i64'], ['tv_nsec', 'i64']]);
export const TIMEVAL = defineStruct('timeval', [['tv_sec', 'long'], ['tv_usec', 'long']]);
export const TIMEZONE = defineStruct('timezone', [['tz_minuteswest', 'int'], ['tz_dsttime', 'int']]);
export const IOVEC = defineStruct('iovec', [['iov_base', 'ptr'], ['iov_len', 'size_t']]);

/** asm-generic struct stat (include/uapi/asm-generic/stat.h). */
export const STAT_GENERIC = defineStruct('stat', [
  ['st_dev', 'ulong'], ['st_ino', 'ulong'], ['st_mode', 'uint'], ['st_nlink', 'uint'],
  ['st_uid', 'uint'], ['st_gid', 'uint'], ['st_rdev', 'ulong'], ['__pad1', 'ulong'],
  ['st_size', 'long'], ['st_blksize', 'int'], ['__pad2', 'int'], ['st_blocks', 'long'],
  ['st_atime', 'long'], ['st_atime_nsec', 'ulong'], ['st_mtime', 'long'], ['st_mtime_nsec', 'ulong'],
  ['st_ctime', 'long'], ['st_ctime_nsec', 'ulong'], ['__unused4', 'uint'], ['__unused5', 'uint'],
]);
/** asm-generic struct stat64 (32-bit ABIs' fstatat64). */
export const STAT64_GENERIC = defineStruct('stat64', [
  ['st_dev', 'u64'], ['st_ino', 'u64'], ['st_mode', 'uint'], ['st_nlink', 'uint'],
  ['st_uid', 'uint'], ['st_gid', 'uint'], ['st_rdev', 'u64'], ['__pad1', 'u64'],
  ['st_size', 'i64'], ['st_blksize', 'int'], ['__pad2', 'int'], ['st_blocks', 'i64'],
  ['st_atime', 'int'], ['st_atime_nsec', 'uint'], ['st_mtime', 'int'], ['st_mtime_nsec', 'uint'],
  ['st_ctime', 'int'], ['st_ctime_nsec', 'uint'], ['__unused4', 'uint'], ['__unused5', 'uint'],
]);

/** asm-generic struct statfs (include/uapi/asm-generic/statfs.h): __statfs_word is a long on
 *  64-bit ABIs, a u32 on 32-bit ones — 'ulong' either way. */
export const STATFS_GENERIC = defineStruct('statfs', [
  ['f_type', 'ulong'], ['f_bsize', 'ulong'], ['f_blocks', 'ulong'], ['f_bfree', 'ulong'], ['f_bavail', 'ulong'],
  ['f_files', 'ulong'], ['f_ffree', 'ulong'], ['f_fsid', 'int[2]'], ['f_namelen', 'ulong'], ['f_frsize', 'ulong'],
  ['f_flags', 'ulong'], ['f_spare', 'ulong[4]'],
]);

export const STATX_TIMESTAMP = defineStruct('statx_timestamp', [['tv_sec', 'i64'], ['tv_nsec', 'u32'], ['__reserved', 'i32']]);
export const STATX = defineStruct('statx', [
  ['stx_mask', 'u32'], ['stx_blksize', 'u32'], ['stx_attributes', 'u64'],
  ['stx_nlink', 'u32'], ['stx_uid', 'u32'], ['stx_gid', 'u32'], ['stx_mode', 'u16'], ['__spare0', 'u16[1]'],
  ['stx_ino', 'u64'], ['stx_size', 'u64'], ['stx_blocks', 'u64'], ['stx_attributes_mask', 'u64'],
  ['stx_atime', STATX_TIMESTAMP], ['stx_btime', STATX_TIMESTAMP], ['stx_ctime', STATX_TIMESTAMP], ['stx_mtime', STATX_TIMESTAMP],
  ['stx_rdev_major', 'u32'], ['stx_rdev_minor', 'u32'], ['stx_dev_major', 'u32'], ['stx_dev_minor', 'u32'],
  ['stx_mnt_id', 'u64'], ['stx_dio_mem_align', 'u32'], ['stx_dio_offset_align', 'u32'], ['__spare3', 'u64[12]'],
]);

export const UTSNAME = defineStruct('utsname', [
  ['sysname', 'char[65]'], ['nodename', 'char[65]'], ['release', 'char[65]'],
  ['version', 'char[65]'], ['machine', 'char[65]'], ['domainname', 'char[65]'],
]);

export const RLIMIT = defineStruct('rlimit', [['rlim_cur', 'ulong'], ['rlim_max', 'ulong']]);
export const RLIMIT64 = defineStruct('rlimit64', [['rlim_cur', 'u64'], ['rlim_max', 'u64']]);

export const SYSINFO = defineStruct('sysinfo', [
  ['uptime', 'long'], ['loads', 'ulong[3]'], ['totalram', 'ulong'], ['freeram', 'ulong'],
  ['sharedram', 'ulong'], ['bufferram', 'ulong'], ['totalswap', 'ulong'], ['freeswap', 'ulong'],
  ['procs', 'u16'], ['pad', 'u16'], ['totalhigh', 'ulong'], ['freehigh', 'ulong'], ['mem_unit', 'u32'],
  // char _f[20 - 2*sizeof(long) - sizeof(int)]
  ['_f', { w32: 'char[8]', w64: 'char[0]' }],
]);

/** linux_dirent64 header; d_name (offset 19) is followed by the name and NUL, the record padded
 *  to 8 bytes. */
export const DIRENT64 = defineStruct('linux_dirent64', [
  ['d_ino', 'u64'], ['d_off', 'i64'], ['d_reclen', 'u16'], ['d_type', 'u8'], ['d_name', 'char[0]'],
]);

/** Kernel struct termios (TCGETS), asm-generic: NCCS = 19. */
export const TERMIOS_GENERIC = defineStruct('termios', [
  ['c_iflag', 'uint'], ['c_oflag', 'uint'], ['c_cflag', 'uint'], ['c_lflag', 'uint'],
  ['c_line', 'u8'], ['c_cc', 'u8[19]'],
]);
export const WINSIZE = defineStruct('winsize', [['ws_row', 'u16'], ['ws_col', 'u16'], ['ws_xpixel', 'u16'], ['ws_ypixel', 'u16']]);

export const RUSAGE = defineStruct('rusage', [
  ['ru_utime', TIMEVAL], ['ru_stime', TIMEVAL], ['ru_maxrss', 'long'], ['ru_ixrss', 'long'],
  ['ru_idrss', 'long'], ['ru_isrss', 'long'], ['ru_minflt', 'long'], ['ru_majflt', 'long'],
  ['ru_nswap', 'long'], ['ru_inblock', 'long'], ['ru_oublock', 'long'], ['ru_msgsnd', 'long'],
  ['ru_msgrcv', 'long'], ['ru_nsignals', 'long'], ['ru_nvcsw', 'long'], ['ru_nivcsw', 'long'],
]);
export const TMS = defineStruct('tms', [['tms_utime', 'long'], ['tms_stime', 'long'], ['tms_cutime', 'long'], ['tms_cstime', 'long']]);

/** asm-generic struct sigaction without SA_RESTORER (riscv). */
export const SIGACTION_GENERIC = defineStruct('sigaction', [['sa_handler', 'ptr'], ['sa_flags', 'ulong'], ['sa_mask', 'sigset']]);
/** asm-generic struct sigaction where the arch defines SA_RESTORER (arm64). */
export const SIGACTION_RESTORER = defineStruct('sigaction', [
  ['sa_handler', 'ptr'], ['sa_flags', 'ulong'], ['sa_restorer', 'ptr'], ['sa_mask', 'sigset'],
]);
export const SIGSET = defineStruct('sigset', [['sig', 'sigset']]);

/** asm-generic struct flock (off_t = long) and flock64. */
export const FLOCK_GENERIC = defineStruct('flock', [
  ['l_type', 'short'], ['l_whence', 'short'], ['l_start', 'long'], ['l_len', 'long'], ['l_pid', 'int'],
]);
export const FLOCK64 = defineStruct('flock64', [
  ['l_type', 'short'], ['l_whence', 'short'], ['l_start', 'i64'], ['l_len', 'i64'], ['l_pid', 'int'],
]);

export const PIPEFDS = defineStruct('pipefds', [['rfd', 'int'], ['wfd', 'int']]);

/** stack_t for sigaltstack. */
export const STACK_T = defineStruct('stack_t', [['ss_sp', 'ptr'], ['ss_flags', 'int'], ['ss_size', 'size_t']]);

// ---- sockets. Ports and IPv4/IPv6 addresses are in network byte order: declared as bytes.
export const SOCKADDR = defineStruct('sockaddr', [['sa_family', 'u16'], ['sa_data', 'u8[14]']]);
export const SOCKADDR_IN = defineStruct('sockaddr_in', [
  ['sin_family', 'u16'], ['sin_port', 'u8[2]'], ['sin_addr', 'u8[4]'], ['sin_zero', 'u8[8]'],
]);
export const SOCKADDR_IN6 = defineStruct('sockaddr_in6', [
  ['sin6_family', 'u16'], ['sin6_port', 'u8[2]'], ['sin6_flowinfo', 'u32'], ['sin6_addr', 'u8[16]'], ['sin6_scope_id', 'u32'],
]);
/** sun_path: 108 bytes; an address may be shorter (its length says how much is used). */
export const SOCKADDR_UN = defineStruct('sockaddr_un', [['sun_family', 'u16'], ['sun_path', 'char[108]']]);
export const MSGHDR = defineStruct('msghdr', [
  ['msg_name', 'ptr'], ['msg_namelen', 'uint'], ['msg_iov', 'ptr'], ['msg_iovlen', 'size_t'],
  ['msg_control', 'ptr'], ['msg_controllen', 'size_t'], ['msg_flags', 'int'],
]);
export const MMSGHDR = defineStruct('mmsghdr', [['msg_hdr', MSGHDR], ['msg_len', 'uint']]);
/** Header of one control message; its data follows, aligned to the word size. */
export const CMSGHDR = defineStruct('cmsghdr', [['cmsg_len', 'size_t'], ['cmsg_level', 'int'], ['cmsg_type', 'int']]);
export const LINGER = defineStruct('linger', [['l_onoff', 'int'], ['l_linger', 'int']]);
export const UCRED = defineStruct('ucred', [['pid', 'int'], ['uid', 'uint'], ['gid', 'uint']]);
