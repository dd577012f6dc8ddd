// Guest threads in the engine, on hand-assembled RISC-V programs: clone starts a thread with its
// own stack and a copy of the registers; a thread spinning on memory cannot starve the one it
// waits for (preemption at slice ends); LR/SC increments from two threads stay atomic across
// switches (the reservation is dropped on every switch); futex wait/wake and nanosleep block one
// thread while the other runs; exit ends one thread, exit_group all.
import { describe, expect, it } from 'vitest';
import { Asm, CLONE_THREAD_FLAGS, DATA, NR, R, STACK_TOP, machine } from './threads-rv-asm.js';

const CHILD_STACK = STACK_TOP - 0x10000;

/** clone a thread running at label `child` on CHILD_STACK; the parent falls through. */
function spawn(a: Asm, child: string): Asm {
  return a.li(R.a0, CLONE_THREAD_FLAGS).li(R.a1, CHILD_STACK).li(R.a2, 0).li(R.a3, 0).li(R.a4, 0).syscall(NR.clone).beq(R.a0, R.zero, child);
}

/** n LR/SC increments of the word at DATA (uses s1, s2, t0, t1). */
function increments(a: Asm, n: number, tag: string): Asm {
  return a.li(R.s1, n).li(R.s2, DATA)
    .label(`inc${tag}`).lrw(R.t0, R.s2).addi(R.t0, R.t0, 1).scw(R.t1, R.t0, R.s2).bne(R.t1, R.zero, `inc${tag}`)
    .addi(R.s1, R.s1, -1).bne(R.s1, R.zero, `inc${tag}`);
}

describe('threads in the engine', () => {
  it('clone, a spin-wait that only preemption ends, LR/SC atomic across switches, exit vs exit_group', async () => {
    const N = 60_000;
    const a = new Asm();
    spawn(a, 'child');
    increments(a, N, 'p');
    // wait for the child's done flag at DATA+8 by spinning: no syscall, only preemption helps
    a.li(R.s3, DATA).label('spin').lw(R.t0, R.s3, 8).beq(R.t0, R.zero, 'spin');
    a.lw(R.a0, R.s3, 0).li(R.t1, 2 * N).bne(R.a0, R.t1, 'bad').li(R.a0, 42).syscall(NR.exit_group);
    a.label('bad').li(R.a0, 1).syscall(NR.exit_group);
    a.label('child');
    increments(a, N, 'c');
    // the child's own stack pointer is the one clone gave it
    a.addi(R.t2, R.sp, 0).li(R.s3, DATA).sd(R.t2, R.s3, 16);
    a.li(R.t0, 1).sw(R.t0, R.s3, 8).li(R.a0, 0).syscall(NR.exit);
    const m = machine(a.assemble());
    const result = await m.run();
    expect(result).toEqual({ exitCode: 42 });
    expect(m.mem.view.getBigUint64(DATA + 16, true)).toBe(BigInt(CHILD_STACK));
  });

  it('a context switch drops the LR/SC reservation', () => {
    const a = new Asm();
    a.li(R.a0, 0).syscall(NR.exit_group);
    const m = machine(a.assemble());
    m.rt.resAddr = DATA;
    m.sched.spawn(m.linux.process.main, 0n, null);
    const other = m.sched.tasks[1];
    m.sched.switchTo(other);
    expect(m.rt.resAddr).toBe(-1);
  });

  it('futex: a waiting thread blocks while the other runs, and wakes; nanosleep blocks one thread only', async () => {
    const a = new Asm();
    spawn(a, 'child');
    // parent: sleep 20 ms (the child runs meanwhile and parks on the futex), then set the word and wake
    a.li(R.s3, DATA).li(R.t0, 0).sd(R.t0, R.s3, 32).li(R.t0, 20_000_000).sd(R.t0, R.s3, 40); // timespec {0, 20 ms}
    a.addi(R.a0, R.s3, 32).li(R.a1, 0).syscall(NR.nanosleep);
    a.li(R.t0, 1).sw(R.t0, R.s3, 0);
    a.addi(R.a0, R.s3, 0).li(R.a1, 1 | 128).li(R.a2, 1).syscall(NR.futex); // FUTEX_WAKE_PRIVATE, 1
    a.sd(R.a0, R.s3, 48); // how many it woke
    a.label('spin').lw(R.t0, R.s3, 8).beq(R.t0, R.zero, 'spin');
    a.ld(R.a0, R.s3, 48).addi(R.a0, R.a0, 40).syscall(NR.exit_group); // 41 if it woke one
    a.label('child').li(R.s3, DATA);
    a.label('wait').addi(R.a0, R.s3, 0).li(R.a1, 0 | 128).li(R.a2, 0).li(R.a3, 0).syscall(NR.futex); // FUTEX_WAIT_PRIVATE while 0
    a.lw(R.t0, R.s3, 0).beq(R.t0, R.zero, 'wait');
    a.sd(R.a0, R.s3, 56); // the wait's result: 0 when woken
    a.li(R.t0, 1).sw(R.t0, R.s3, 8).li(R.a0, 0).syscall(NR.exit);
    const m = machine(a.assemble());
    const t0 = performance.now();
    expect(await m.run()).toEqual({ exitCode: 41 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    expect(m.mem.view.getBigInt64(DATA + 56, true)).toBe(0n);
  });

  it('the last thread to exit ends the process with the main thread\'s status', async () => {
    const a = new Asm();
    spawn(a, 'child');
    a.li(R.a0, 7).syscall(NR.exit); // main thread exits first
    a.label('child');
    a.li(R.s3, DATA).li(R.t0, 30_000_000).sd(R.t0, R.s3, 8).addi(R.a0, R.s3, 0).li(R.a1, 0).syscall(NR.nanosleep);
    a.li(R.a0, 3).syscall(NR.exit);
    expect(await machine(a.assemble()).run()).toEqual({ exitCode: 7 });
  });

  it('when every thread waits with no deadline, run() waits without spinning until a signal kills it', async () => {
    const a = new Asm();
    a.li(R.s3, DATA).addi(R.a0, R.s3, 0).li(R.a1, 0).li(R.a2, 0).li(R.a3, 0).syscall(NR.futex); // waits forever
    a.li(R.a0, 0).syscall(NR.exit_group);
    const m = machine(a.assemble());
    const cpu0 = process.cpuUsage();
    const running = m.run();
    await new Promise((r) => setTimeout(r, 200));
    const cpu = process.cpuUsage(cpu0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(100); // not a busy wait
    // A signal from outside (as a host SIGTERM would be forwarded) ends the wait and the process.
    const { sendSignal } = await import('../syscalls/signal-send.js');
    const p = m.linux.process;
    sendSignal(p, { signo: 15, code: 0, kind: 'kill' });
    expect(await running).toMatchObject({ signal: 15, exitCode: 143 });
  });
});
