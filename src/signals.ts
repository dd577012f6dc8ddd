// Guest signals as the engine raises them. Numbers are the generic Linux ones (x86, arm, riscv);
// an ABI with other numbers (mips) maps them in syscalls/.

export const enum Sig {
  HUP = 1, INT = 2, QUIT = 3, ILL = 4, TRAP = 5, ABRT = 6, BUS = 7, FPE = 8, KILL = 9, USR1 = 10,
  SEGV = 11, USR2 = 12, PIPE = 13, ALRM = 14, TERM = 15, CHLD = 17, SYS = 31,
}

/** si_code values for synchronous signals. */
export const SiCode = {
  SEGV_MAPERR: 1, SEGV_ACCERR: 2,
  BUS_ADRALN: 1,
  ILL_ILLOPC: 1,
  TRAP_BRKPT: 1,
  SI_USER: 0, SI_TKILL: -6,
} as const;

/** A synchronous signal raised by the guest's own instruction (fault, trap). Not an Error: it is
 *  thrown on guest faults, which must be cheap, and it never reaches the user as a stack trace. */
export class GuestSignal {
  constructor(readonly signal: number, readonly code: number, readonly addr: number) {}
}

export const SIGNAL_NAMES: Record<number, string> = {
  1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap',
  6: 'Aborted', 7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 10: 'User defined signal 1',
  11: 'Segmentation fault', 12: 'User defined signal 2', 13: 'Broken pipe', 14: 'Alarm clock',
  15: 'Terminated', 16: 'Stack fault', 17: 'Child exited', 24: 'CPU time limit exceeded',
  25: 'File size limit exceeded', 26: 'Virtual timer expired', 27: 'Profiling timer expired',
  31: 'Bad system call',
};
