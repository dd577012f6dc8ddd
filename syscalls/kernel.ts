// The process table every guest process shares (the kernel's pid hash and task list): pid →
// process, parent links, process groups and sessions, zombies and their wait statuses, and the
// id allocator that keeps pids and tids of all guest processes apart. The engine (src/engine)
// runs the processes; this is what wait4, kill, setpgid and friends look at.
import type { GuestProcess } from './process.js';

/** What a parent's wait may report about a child, besides its death. */
export interface ChildEvent {
  readonly kind: 'stopped' | 'continued';
  /** The wait status (0x7f | sig << 8 for a stop, 0xffff for a continue). */
  readonly status: number;
  /** Guest signal number that stopped it (stopped) or SIGCONT. */
  readonly signo: number;
}

/** si_code values of SIGCHLD (include/uapi/asm-generic/siginfo.h). */
export const CLD = { CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3, CLD_TRAPPED: 4, CLD_STOPPED: 5, CLD_CONTINUED: 6 } as const;

/** Wait statuses as <sys/wait.h> decodes them. */
export const WaitStatus = {
  exited: (code: number): number => (code & 0xff) << 8,
  killed: (sig: number, core: boolean): number => (sig & 0x7f) | (core ? 0x80 : 0),
  stopped: (sig: number): number => ((sig & 0xff) << 8) | 0x7f,
  continued: 0xffff,
} as const;

/** A pid no guest process can have: the "init" orphans are reparented to. */
export const INIT_PID = 1;

export class Kernel {
  /** Live and zombie processes by pid. */
  readonly procs = new Map<number, GuestProcess>();
  private nextId: number;

  constructor(readonly topPid: number) {
    this.nextId = topPid + 1;
  }

  add(p: GuestProcess): void {
    this.procs.set(p.pid, p);
  }

  get(pid: number): GuestProcess | undefined {
    return this.procs.get(pid);
  }

  /** A live (not zombie) process. */
  live(pid: number): GuestProcess | undefined {
    const p = this.procs.get(pid);
    return p && !p.zombie ? p : undefined;
  }

  /** Is id taken by any process or thread of any guest process? */
  inUse(id: number): boolean {
    if (this.procs.has(id)) return true;
    for (const p of this.procs.values()) if (p.threads.has(id)) return true;
    return false;
  }

  /** A fresh id for a process or thread (above the first pid, wrapping below 2^22 as Linux's
   *  pid_max; ids in use by any guest process or thread are skipped). */
  allocId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id >= 0x3fffff ? 300 : id + 1;
      if (id > INIT_PID && !this.inUse(id)) return id;
    }
  }

  children(ppid: number): GuestProcess[] {
    const out: GuestProcess[] = [];
    for (const p of this.procs.values()) if (p.ppid === ppid) out.push(p);
    return out;
  }

  /** Live members of process group pgid. */
  group(pgid: number): GuestProcess[] {
    const out: GuestProcess[] = [];
    for (const p of this.procs.values()) if (p.pgid === pgid && !p.zombie) out.push(p);
    return out;
  }

  /** Drop a reaped zombie: its memory and everything else become garbage. */
  remove(p: GuestProcess): void {
    if (this.procs.get(p.pid) === p) this.procs.delete(p.pid);
  }
}
