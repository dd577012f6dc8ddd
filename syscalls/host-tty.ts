// isatty(3) for host fds without loading node:tty at start-up: node:tty pulls in node:net and the
// streams (a few ms of a short run), while most fds crossrun asks about are pipes, regular files or
// /dev/null, which fstat alone tells apart from a terminal.
import { fstatSync } from 'node:fs';
import { hostRequire } from '../src/host-require.js';

let ttyIsatty: ((fd: number) => boolean) | undefined;

/** Whether host fd `fd` is a terminal (false for a closed fd, as isatty(3)). */
export function hostIsatty(fd: number): boolean {
  let rdev: number;
  try {
    const s = fstatSync(fd);
    if (!s.isCharacterDevice()) return false;
    rdev = s.rdev;
  } catch {
    return false;
  }
  // Linux major 1: the memory devices (/dev/null, /dev/zero, /dev/urandom…), never terminals.
  if (process.platform === 'linux' && (Math.floor(rdev / 256) & 0xfff) === 1) return false;
  ttyIsatty ??= hostRequire<typeof import('node:tty')>('node:tty').isatty;
  return ttyIsatty(fd);
}
