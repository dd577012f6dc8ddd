// A monotonic clock in milliseconds. Not the `performance` global: its first use loads
// node:perf_hooks, ~1 ms of every run's start-up.

export function nowMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}
