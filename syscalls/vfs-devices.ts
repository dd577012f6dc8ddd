// Character devices every guest expects, served by crossrun itself so that both VFS backends (and
// hosts without /dev) have them: /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom.
// /dev/tty is the host's controlling terminal where there is one (host backend only).
import { randomFillSync } from '../src/host-random.js';
import { S_IF } from './abi/common.js';
import type { VfsHandle, VfsStat } from './vfs.js';

/** Linux's st_rdev encoding (new_encode_dev). */
export function makedev(major: number, minor: number): bigint {
  return BigInt((minor & 0xff) | (major << 8)) | (BigInt(minor & ~0xff) << 12n);
}

interface Device {
  readonly rdev: bigint;
  read(dst: Uint8Array): number;
  write(src: Uint8Array): number;
}

const nospace = (): number => {
  throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
};
const randomRead = (dst: Uint8Array): number => randomFillSync(dst).length;

export const DEVICES: ReadonlyMap<string, Device> = new Map<string, Device>([
  ['/dev/null', { rdev: makedev(1, 3), read: () => 0, write: (s) => s.length }],
  ['/dev/zero', { rdev: makedev(1, 5), read: (d) => (d.fill(0), d.length), write: (s) => s.length }],
  ['/dev/full', { rdev: makedev(1, 7), read: (d) => (d.fill(0), d.length), write: nospace }],
  ['/dev/random', { rdev: makedev(1, 8), read: randomRead, write: (s) => s.length }],
  ['/dev/urandom', { rdev: makedev(1, 9), read: randomRead, write: (s) => s.length }],
]);
export const TTY_RDEV = makedev(5, 0);

const START_NS = BigInt(Date.now()) * 1_000_000n;

export function deviceStat(rdev: bigint): VfsStat {
  return {
    dev: 5n, ino: rdev, mode: S_IF.CHR | 0o666, nlink: 1, uid: 0, gid: 0, rdev, size: 0, blksize: 4096,
    blocks: 0, atimeNs: START_NS, mtimeNs: START_NS, ctimeNs: START_NS, birthtimeNs: START_NS,
  };
}

export function openDevice(dev: Device): VfsHandle {
  return {
    stream: true,
    pread: (dst) => dev.read(dst),
    pwrite: (src) => dev.write(src),
    stat: () => deviceStat(dev.rdev),
    truncate: () => {}, // truncating /dev/null with O_TRUNC is allowed and does nothing
    sync: () => {
      throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
    },
    chmod: () => {},
    chown: () => {},
    utimes: () => {},
    close: () => {},
    isTerminal: () => false,
  };
}
