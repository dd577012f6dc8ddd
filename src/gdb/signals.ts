// Signal numbers on the wire are gdb's own (include/gdb/signals.def), not Linux's: they agree up
// to 15 and differ above (gdb's 10 is SIGBUS, Linux's is SIGUSR1). Guest signals here are the
// generic Linux numbers (src/signals.ts).

/** Linux signal → gdb signal where the numbers differ (of 1 … 15: 7, 10 and 12). */
const LINUX_TO_GDB: Readonly<Record<number, number>> = {
  7: 10, // SIGBUS
  10: 30, // SIGUSR1
  12: 31, // SIGUSR2
  16: 143, // SIGSTKFLT: gdb has none ("unknown")
  17: 20, // SIGCHLD
  18: 19, // SIGCONT
  19: 17, // SIGSTOP
  20: 18, // SIGTSTP
  21: 21, // SIGTTIN
  22: 22, // SIGTTOU
  23: 16, // SIGURG
  24: 24, // SIGXCPU
  25: 25, // SIGXFSZ
  26: 26, // SIGVTALRM
  27: 27, // SIGPROF
  28: 28, // SIGWINCH
  29: 23, // SIGIO
  30: 32, // SIGPWR
  31: 12, // SIGSYS
  32: 77, // SIGRTMIN (gdb's REALTIME_32 is out of sequence)
  64: 78,
};

export const GDB_SIGNAL_UNKNOWN = 143;

export function gdbSignal(linux: number): number {
  if (linux <= 0) return 0;
  const mapped = LINUX_TO_GDB[linux];
  if (mapped !== undefined) return mapped;
  if (linux <= 15) return linux;
  if (linux >= 33 && linux <= 63) return linux + 12; // gdb's REALTIME_33 … 63 are 45 … 75
  return GDB_SIGNAL_UNKNOWN;
}

const GDB_TO_LINUX = new Map<number, number>();
for (let s = 1; s <= 64; s++) {
  const g = gdbSignal(s);
  if (g !== GDB_SIGNAL_UNKNOWN) GDB_TO_LINUX.set(g, s);
}
GDB_TO_LINUX.set(33, 29); // gdb's SIGPOLL is Linux's SIGIO too

/** gdb signal → Linux signal; 0 for none or one Linux does not have. */
export function linuxSignal(gdb: number): number {
  return GDB_TO_LINUX.get(gdb) ?? 0;
}
