// Blocking waits without spinning: Atomics.wait on a private SharedArrayBuffer that nobody
// notifies, so it always times out after `ms`.
const cell = new Int32Array(new SharedArrayBuffer(4));

export function sleepMs(ms: number): void {
  // Atomics.wait takes at most ~2^53 ms; cap each wait to a day and loop for longer sleeps.
  const DAY = 86_400_000;
  while (ms > 0) {
    const step = Math.min(ms, DAY);
    Atomics.wait(cell, 0, 0, step);
    ms -= step;
  }
}

export function sleepNs(ns: bigint): void {
  if (ns > 0n) sleepMs(Number(ns) / 1e6);
}
