// Host entropy for AT_RANDOM, getrandom and /dev/urandom, read from the host's /dev/urandom:
// loading node:crypto costs ~3–5 ms of every run's start-up, reading the device ~0.05 ms.
// Without the device (not Linux, a sandbox) node:crypto is loaded on first use.
import { closeSync, openSync, readSync } from 'node:fs';
import { hostRequire } from './host-require.js';

let urandom: number | undefined | null; // fd; null: unavailable

/** Fills dst with random bytes (a drop-in for node:crypto's randomFillSync); returns dst. */
export function randomFillSync<T extends Uint8Array>(dst: T): T {
  if (urandom === undefined) {
    try {
      urandom = openSync('/dev/urandom', 'r');
    } catch {
      urandom = null;
    }
  }
  if (urandom !== null) {
    try {
      for (let o = 0; o < dst.length; ) {
        const n = readSync(urandom, dst, o, Math.min(dst.length - o, 1 << 30), null);
        if (n <= 0) throw new Error('short read');
        o += n;
      }
      return dst;
    } catch {
      closeSync(urandom);
      urandom = null;
    }
  }
  const crypto = hostRequire<typeof import('node:crypto')>('node:crypto');
  for (let o = 0; o < dst.length; o += 1 << 30) crypto.randomFillSync(dst.subarray(o, Math.min(dst.length, o + (1 << 30))));
  return dst;
}
