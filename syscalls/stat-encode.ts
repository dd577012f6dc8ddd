// VfsStat → the guest's struct stat / struct statx field values (the codec lays them out).
import { STATX } from './abi/common.js';
import type { StructInput } from './codec.js';
import type { VfsStat } from './vfs.js';

const NS = 1_000_000_000n;

export function statFields(st: VfsStat): StructInput {
  return {
    st_dev: st.dev, st_ino: st.ino, st_mode: st.mode, st_nlink: st.nlink, st_uid: st.uid, st_gid: st.gid,
    st_rdev: st.rdev, st_size: st.size, st_blksize: st.blksize, st_blocks: st.blocks,
    st_atime: st.atimeNs / NS, st_atime_nsec: st.atimeNs % NS,
    st_mtime: st.mtimeNs / NS, st_mtime_nsec: st.mtimeNs % NS,
    st_ctime: st.ctimeNs / NS, st_ctime_nsec: st.ctimeNs % NS,
  };
}

/** Linux's dev_t split (MAJOR/MINOR of the huge encoding). */
function major(dev: bigint): bigint {
  return ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
}
function minor(dev: bigint): bigint {
  return (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
}

const ts = (ns: bigint): StructInput => ({ tv_sec: ns / NS, tv_nsec: ns % NS });

export function statxFields(st: VfsStat): StructInput {
  return {
    stx_mask: STATX.STATX_BASIC_STATS | STATX.STATX_BTIME,
    stx_blksize: st.blksize, stx_nlink: st.nlink, stx_uid: st.uid, stx_gid: st.gid, stx_mode: st.mode,
    stx_ino: st.ino, stx_size: st.size, stx_blocks: st.blocks,
    stx_atime: ts(st.atimeNs), stx_btime: ts(st.birthtimeNs), stx_ctime: ts(st.ctimeNs), stx_mtime: ts(st.mtimeNs),
    stx_rdev_major: major(st.rdev), stx_rdev_minor: minor(st.rdev),
    stx_dev_major: major(st.dev), stx_dev_minor: minor(st.dev),
  };
}
