// Host facts /proc reports for the guest: CPU count (the same as sched_getaffinity's), clock ticks
// since boot, and the kernel's bitmap print formats.
import { availableParallelism, cpus, uptime } from 'node:os';
import type { GuestProcess } from '../process.js';

/** USER_HZ: the unit of /proc's clock-tick fields. */
export const USER_HZ = 100;

/** CPUs the guest sees (sched_getaffinity, handlers/thread.ts, reports the same). */
export function cpuCount(): number {
  return Math.max(1, availableParallelism?.() ?? cpus().length);
}

// Both computed on first use, not at load (start-up time a program that never reads
// /proc/<pid>/stat should not pay), then fixed.
let boot: number | undefined;
let startTicksOfCrossrun: number | undefined;
/** Host boot, in seconds of wall-clock time (now minus uptime). */
const bootS = (): number => (boot ??= Date.now() / 1000 - uptime());
/** Ticks since boot when this crossrun started. */
const crossrunStartTicks = (): number =>
  (startTicksOfCrossrun ??= Math.max(0, Math.round((uptime() - process.uptime()) * USER_HZ)));

const starts = new WeakMap<GuestProcess, number>();

/** Record that a process starts now (a fork child); the first process started with crossrun. */
export function markStart(p: GuestProcess): void {
  starts.set(p, Math.round((Date.now() / 1000 - bootS()) * USER_HZ));
}

/** stat's starttime: clock ticks after boot. */
export function startTicks(p: GuestProcess): number {
  return starts.get(p) ?? crossrunStartTicks();
}

/** The kernel's "%*pb": hex, comma-separated 32-bit chunks, the first padded to its bit width. */
export function bitmapHex(ones: number, nbits: number): string {
  const chunks: string[] = [];
  const nchunks = Math.max(1, Math.ceil(nbits / 32));
  for (let c = nchunks - 1; c >= 0; c--) {
    const lo = c * 32;
    const bits = Math.min(32, nbits - lo);
    const set = Math.max(0, Math.min(bits, ones - lo));
    const v = set >= 32 ? 0xffffffff : (2 ** set - 1);
    const width = c === nchunks - 1 ? Math.ceil(bits / 4) : 8;
    chunks.push(v.toString(16).padStart(width, '0'));
  }
  return chunks.join(',');
}

/** The kernel's "%*pbl" for bits 0..n-1. */
export function bitmapList(n: number): string {
  return n === 1 ? '0' : `0-${n - 1}`;
}
