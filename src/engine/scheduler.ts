// Green threads: every guest thread of every guest process is a Task that runs on the one CPU the
// engine has, in turn. A task belongs to a process's Machine (its address space, runtime, block
// cache, tier 1); switching to a task of another process makes that machine the active one.
// A task runs until its slice of instructions is used up (when others are runnable), it blocks in
// a syscall (futex, sleep, a read with nothing to read…), it yields, or it exits. Between slices
// the scheduler fires timers, finishes waits whose condition now holds, interrupts waits for
// signals, and picks the next task round-robin. When no task can run it waits without spinning:
// Atomics.wait for short deadlines, else an event-loop turn (so host signals arrive) until the
// earliest deadline.
//
// Register state: compiled blocks (tier 0 and tier 1) work on one live register area
// (Tier0Runtime.S in guest memory's runtime area); a task that is not running keeps a copy, and a
// switch copies nslots × 8 bytes out and in. The LL/SC reservation and any exclusive monitor the
// ISA keeps in CPU state are dropped on a switch, so another thread's store between a
// load-reserved and its store-conditional always fails the SC.
import type { RunResult } from '../index.js';
import { interruptedResult, pollProgress, pollWait, type Wait } from '../../syscalls/blocking.js';
import { fail } from '../../syscalls/errors.js';
import { cpuNs } from '../../syscalls/handlers/time.js';
import type { GuestProcess } from '../../syscalls/process.js';
import { takeSignal } from '../../syscalls/signal-send.js';
import type { ExecRequest, ForkRequest, GuestThread, TaskHost } from '../../syscalls/threads.js';
import { sleepMs } from '../../syscalls/sleep.js';
import { sleepUntilHostIo, watchHostIo } from '../../syscalls/host-io/host-io.js';
import type { Machine } from './machine.js';
import { Processes } from './processes.js';

/** A blocked task's interrupted syscall restarts or fails with EINTR, decided at delivery. */
export const RESTART = 'restart';

export class Task {
  /** The registers while the task is not running. */
  readonly regs: BigUint64Array;
  pc = 0;
  /** The syscall it is blocked in. */
  wait: Wait | null = null;
  /** How its blocked syscall ended, applied when it runs again: a result, or RESTART. */
  result: bigint | typeof RESTART | null = null;

  constructor(readonly thread: GuestThread, readonly m: Machine) {
    this.regs = new BigUint64Array(m.arch.nslots);
  }
}

/** How long a slice should take (ms) while other tasks wait to run, and while one runs alone (then
 *  the slice only bounds how long until timers, host signals and the event loop get a turn). A
 *  slice is counted in guest instructions; the scheduler learns how many run per ms (tier 0 runs
 *  some tens of thousands, tier 1 millions), so slices take about this long at either speed and
 *  switching costs stay a small fraction of the time. */
const SLICE_SHARED_MS = 2;
const SLICE_ALONE_MS = 10;
const MIN_SLICE_MS = 0.5;
const MIN_SLICE = 20_000;
const MAX_SLICE = 200_000_000;
/** Idle waits up to this long block in Atomics.wait (precise, cheap); longer ones turn the event
 *  loop so host signals and I/O are served meanwhile. */
const SHORT_WAIT_MS = 4;

export class Scheduler implements TaskHost {
  /** Live tasks of every process in creation order; current is among them unless it just
   *  exited (or its process ended or exec'd). */
  readonly tasks: Task[] = [];
  current: Task;
  /** The machines (processes) that have tasks, the first process's first. */
  readonly machines: Machine[] = [];
  /** Process creation, replacement and death (fork, execve, exit). */
  readonly life: Processes;
  private kicked = false;
  yieldRequested = false;
  private wakeIdle: (() => void) | null = null;

  constructor(first: Machine) {
    this.current = new Task(first.linux.process.main, first);
    this.tasks.push(this.current);
    this.machines.push(first);
    first.linux.process.host = this;
    this.life = new Processes(this, first);
  }

  /** A new process's machine and its first task. */
  addProcess(m: Machine, main: Task): void {
    this.machines.push(m);
    this.tasks.push(main);
    m.linux.process.host = this;
  }

  /** A process's machine is gone (it ended, or execve replaced it): its tasks too. */
  removeProcess(m: Machine): void {
    const i = this.machines.indexOf(m);
    if (i >= 0) this.machines.splice(i, 1);
    for (let k = this.tasks.length - 1; k >= 0; k--) if (this.tasks[k].m === m) this.tasks.splice(k, 1);
  }

  // ---- TaskHost (called by syscalls while the current task runs)

  spawn(t: GuestThread, stack: bigint, tls: bigint | null): void {
    const m = this.current.m;
    const spec = m.arch.signals;
    if (spec === undefined) {
      m.linux.process.unimp(`crossrun: threads are not supported on ${m.arch.name} yet`);
      fail('ENOSYS');
    }
    const task = new Task(t, m);
    task.regs.set(m.rt.S);
    task.regs[m.arch.syscallAbi.retSlot] = 0n;
    if (stack !== 0n) task.regs[m.arch.spSlot] = stack;
    if (tls !== null) task.regs[spec.tlsSlot] = tls;
    spec.clearExclusive?.(task.regs);
    task.pc = m.pc;
    this.tasks.push(task);
  }
  kick(): void {
    this.kicked = true;
    this.wakeIdle?.();
  }
  yieldSlice(): void {
    this.yieldRequested = true;
  }
  stackPointer(): bigint {
    const m = this.current.m;
    return m.rt.S[m.arch.spSlot];
  }
  fork(req: ForkRequest): GuestProcess {
    return this.life.fork(req);
  }
  exec(req: ExecRequest): never {
    return this.life.exec(req);
  }

  // ---- the engine's side

  /** Guest instructions per ms, as measured over full slices. */
  private rate = 20_000;

  /** Instructions the current task may run before the scheduler looks again. */
  budget(): number {
    let ms = SLICE_ALONE_MS;
    for (const t of this.tasks) {
      // Others that can run, or that wait for something nobody announces (a pipe read: the
      // running task may be the writer), get their turn soon.
      if (t !== this.current && (t.wait === null || t.wait.polled) && !t.m.linux.process.stopped) {
        ms = SLICE_SHARED_MS;
        break;
      }
    }
    // A timer or a timed wait due sooner ends the slice about then (not much sooner than
    // MIN_SLICE_MS: a runtime polling every few µs would otherwise turn slices into overhead).
    const due = this.nextDeadline();
    if (due !== null) ms = Math.max(MIN_SLICE_MS, Math.min(ms, Number(due - process.hrtime.bigint()) / 1e6));
    return Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.round(this.rate * ms)));
  }

  /** A slice of `budget` instructions ran `ran` of them in `ms`: learn the speed from full ones. */
  account(budget: number, ran: number, ms: number): void {
    if (ran < budget || ms <= 0.05) return;
    this.rate = this.rate * 0.5 + (ran / ms) * 0.5;
  }

  /** The running task's syscall blocks. */
  block(wait: Wait): void {
    this.current.wait = wait;
  }

  /** The running task's thread exited. */
  exitCurrent(): void {
    const i = this.tasks.indexOf(this.current);
    if (i >= 0) this.tasks.splice(i, 1);
  }

  /** Between slices: timers, waits, signals, then the task to run next (switched to). 'idle' when
   *  every task waits; a RunResult when a signal ends the process. */
  schedule(): 'run' | 'idle' | RunResult {
    const now = process.hrtime.bigint();
    for (const m of this.machines) {
      const timers = m.linux.process.timers;
      const due = timers.nextDeadline();
      if ((due !== null && due <= now) || timers.hasCpuTimers()) timers.fire(now, cpuNs);
    }
    const kicked = this.kicked;
    this.kicked = false;
    const cur = this.current;
    // Poll again while polling changed what waits depend on and nobody can run yet (a blocked
    // writer making room for a reader polled before it).
    for (let pass = 0; pass < 8; pass++) {
      const before = pollProgress.count;
      let runnable = false;
      for (const t of this.tasks) {
        const w = t.wait;
        if (w !== null) {
          const timedOut = w.deadline !== null && w.deadline <= now;
          if ((pass === 0 && kicked) || w.polled || (pass === 0 && timedOut)) this.tryFinish(t, w, timedOut);
        }
        if (t.wait === null && !t.m.linux.process.stopped) runnable = true;
      }
      if (runnable || pollProgress.count === before) break;
    }
    const r = this.interruptForSignals();
    if (r) return r;
    // Round-robin from the task after the current one; the current one last. Tasks of a stopped
    // process wait for SIGCONT.
    this.yieldRequested = false;
    const n = this.tasks.length;
    const start = this.tasks.indexOf(cur);
    for (let k = 1; k <= n; k++) {
      const t = this.tasks[start < 0 ? k - 1 : (start + k) % n];
      if (t.wait === null && !t.m.linux.process.stopped) {
        if (t !== cur) this.switchTo(t);
        return 'run';
      }
    }
    return 'idle';
  }

  /** The wait of t: over now? Then t may run, with the syscall's result. */
  private tryFinish(t: Task, w: Wait, timedOut: boolean): void {
    const p = t.m.linux.process;
    const saved = p.current;
    p.current = t.thread; // a wait's check may take signals of, or read for, its own thread
    try {
      const r = pollWait(p, w, timedOut);
      if (r === null) return;
      t.wait = null;
      if (w.rerun) {
        t.result = RESTART;
        return;
      }
      t.result = r;
      w.trace?.(r);
    } finally {
      p.current = saved;
    }
  }

  /** Blocked tasks a signal is waiting for: interrupted (their syscall fails with EINTR or
   *  restarts), or, for a signal that kills, the end of the process. A process-wide signal goes to
   *  one thread only, and to a blocked one only if no runnable task can take it. */
  private interruptForSignals(): RunResult | null {
    const claimedBy = new Map<GuestProcess, bigint>();
    for (const t of [...this.tasks]) {
      if (t.wait === null || !this.tasks.includes(t)) continue;
      const m = t.m;
      const p = m.linux.process;
      const th = t.thread;
      let bits = th.pending.bits & ~th.mask;
      if (bits === 0n) {
        const claimed = claimedBy.get(p) ?? 0n;
        const shared = p.sig.shared.bits & ~th.mask & ~claimed;
        if (shared === 0n) continue;
        if (this.tasks.some((o) => o.m === m && o.wait === null && (shared & ~o.thread.mask) !== 0n)) continue;
        claimedBy.set(p, claimed | shared);
        bits = shared;
      }
      let sig = 1;
      for (let b = bits; !(b & 1n); b >>= 1n) sig++;
      const disp = p.sig.disposition(sig);
      if (disp === 'terminate') {
        const end = this.life.ended(m, m.signals.death(sig, t === this.current ? m.pc : t.pc));
        if (end) return end;
        continue;
      }
      const saved = p.current;
      p.current = th;
      try {
        if (disp !== 'handler') {
          // Ignored or a stop: taken here; the wait goes on.
          takeSignal(p, th, ~p.sig.bit(sig));
          if (disp === 'stop') m.signals.stop(sig);
          continue;
        }
        const w = t.wait;
        if (w.uninterruptible) continue; // the handler runs once the wait is over
        t.wait = null;
        if (w.restartable) {
          w.cancel?.();
          t.result = RESTART;
          w.trace?.(null);
        } else {
          t.result = interruptedResult(p, w);
          w.trace?.(t.result);
        }
      } finally {
        p.current = saved;
      }
    }
    return null;
  }

  /** Make t the running task: registers and pc in (its process's machine becomes the active
   *  one), the reservation dropped. */
  switchTo(t: Task): void {
    const cur = this.current;
    if (this.tasks.includes(cur)) {
      cur.regs.set(cur.m.rt.S);
      cur.pc = cur.m.pc;
    }
    const m = t.m;
    const S = m.rt.S;
    S.set(t.regs);
    m.pc = t.pc;
    m.rt.resAddr = -1;
    m.arch.signals?.clearExclusive?.(S);
    this.current = t;
    m.linux.process.current = t.thread;
  }

  /** The switched-in task's blocked syscall ended: its result into the result register, or the
   *  restart left to signal delivery. */
  applyResult(): void {
    const t = this.current;
    const r = t.result;
    if (r === null) return;
    t.result = null;
    const m = t.m;
    if (r === RESTART) {
      m.signals.restartPending = true;
    } else {
      m.rt.S[m.arch.syscallAbi.retSlot] = r;
      m.signals.syscallReturned(r);
    }
  }

  /** The earliest moment a waiting task or a timer needs us (monotonic ns), or null. */
  private nextDeadline(): bigint | null {
    let d: bigint | null = null;
    for (const m of this.machines) {
      const td = m.linux.process.timers.nextDeadline();
      if (td !== null && (d === null || td < d)) d = td;
    }
    for (const t of this.tasks) {
      const w = t.wait;
      if (w !== null && w.deadline !== null && (d === null || w.deadline < d)) d = w.deadline;
    }
    return d;
  }

  /** Wait, without spinning, until a deadline passes or something (a host signal) kicks us.
   *  Resolves to whether the event loop turned meanwhile. */
  async idle(): Promise<boolean> {
    if (this.kicked) return false; // kicked while scheduling (a process ended): look again first
    const d = this.nextDeadline();
    const ms = d === null ? Infinity : Number(d - process.hrtime.bigint()) / 1e6;
    if (ms <= 0) return false;
    if (ms <= SHORT_WAIT_MS) {
      if (!sleepUntilHostIo(ms)) sleepMs(ms);
      return false;
    }
    await new Promise<void>((resolve) => {
      // A ref'd timer keeps Node alive while every guest thread waits (as the guest would hang).
      const timer = setTimeout(done, Number.isFinite(ms) ? Math.ceil(ms) : 0x7fffffff);
      const stopIo = watchHostIo(done, ms); // host sockets and fd reads end the wait too
      const self = this;
      function done(): void {
        clearTimeout(timer);
        stopIo();
        self.wakeIdle = null;
        resolve();
      }
      this.wakeIdle = done;
    });
    return true;
  }

  /** idle() for synchronous callers (the debugger's slices): at most maxMs. */
  idleSync(maxMs: number): void {
    if (this.kicked) return;
    const d = this.nextDeadline();
    const ms = d === null ? maxMs : Math.min(maxMs, Number(d - process.hrtime.bigint()) / 1e6);
    if (ms > 0 && !sleepUntilHostIo(ms)) sleepMs(ms);
  }
}
