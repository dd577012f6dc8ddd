// Signal delivery in the engine, on hand-assembled RISC-V programs: a SA_SIGINFO handler gets the
// signal, siginfo and ucontext, runs on its own frame, returns through crossrun's sigreturn
// trampoline and the interrupted code continues with its registers intact; default actions end
// the process with the signal; host signals reach a guest that waits.
import { describe, expect, it } from 'vitest';
import { Asm, DATA, NR, R, machine } from './threads-rv-asm.js';

const SA_SIGINFO = 4;

/** rt_sigaction(sig, {handler at label, flags}, NULL, 8) with the struct at DATA+0x100. */
function sigaction(a: Asm, sig: number, handler: string, flags: number): Asm {
  return a.li(R.s3, DATA + 0x100).li(R.t0, a.addr(handler)).sd(R.t0, R.s3, 0).li(R.t0, flags).sd(R.t0, R.s3, 8).sd(R.zero, R.s3, 16)
    .li(R.a0, sig).addi(R.a1, R.s3, 0).li(R.a2, 0).li(R.a3, 8).syscall(NR.rt_sigaction);
}

/** tgkill(getpid(), gettid(), sig) */
function raise(a: Asm, sig: number): Asm {
  return a.syscall(NR.getpid).addi(R.s1, R.a0, 0).syscall(NR.gettid).addi(R.a1, R.a0, 0).addi(R.a0, R.s1, 0).li(R.a2, sig).syscall(NR.tgkill);
}

describe('signal delivery in the engine', () => {
  it('a SA_SIGINFO handler runs on a frame and returns through the trampoline; registers survive', async () => {
    const a = new Asm();
    // The handler is placed first so its address is known when main installs it.
    a.j('main');
    a.label('handler'); // a0 = sig, a1 = &info, a2 = &uc
    a.li(R.s3, DATA).sd(R.a0, R.s3, 0).lw(R.t0, R.a1, 8).sd(R.t0, R.s3, 8); // signo, si_code
    a.addi(R.t1, R.a1, 128).sub(R.t1, R.a2, R.t1).sd(R.t1, R.s3, 16); // uc == info + 128 → 0
    a.sd(R.sp, R.s3, 24); // the handler's stack pointer (the frame)
    a.li(R.s2, 0x666).ret(); // clobbers s2 before returning
    a.label('main');
    sigaction(a, 10, 'handler', SA_SIGINFO);
    a.li(R.s2, 0x123);
    raise(a, 10);
    a.li(R.s3, DATA).sd(R.sp, R.s3, 32); // main's sp after the handler returned
    a.addi(R.a0, R.s2, 0).syscall(NR.exit_group); // exit status: s2 & 0xff
    const m = machine(a.assemble());
    const spBefore = Number(m.rt.S[R.sp]);
    expect(await m.run()).toEqual({ exitCode: 0x23 });
    const v = m.mem.view;
    expect(v.getBigUint64(DATA, true)).toBe(10n);
    expect(v.getBigInt64(DATA + 8, true)).toBe(-6n); // SI_TKILL
    expect(v.getBigInt64(DATA + 16, true)).toBe(0n);
    const frameSp = Number(v.getBigUint64(DATA + 24, true));
    expect(spBefore - frameSp).toBeGreaterThanOrEqual(1088); // the frame is below the interrupted sp
    expect(frameSp % 16).toBe(0);
    expect(Number(v.getBigUint64(DATA + 32, true))).toBe(spBefore);
  });

  it('a signal without a handler ends the process with its default action; an ignored one does nothing', async () => {
    const a = new Asm();
    sigaction(a.j('main').label('unused').ret().label('main'), 10, 'unused', 0);
    // SIG_IGN for SIGUSR2 (handler value 1)
    a.li(R.s3, DATA + 0x100).li(R.t0, 1).sd(R.t0, R.s3, 0).sd(R.zero, R.s3, 8).li(R.a0, 12).addi(R.a1, R.s3, 0).li(R.a2, 0).li(R.a3, 8).syscall(NR.rt_sigaction);
    raise(a, 12);
    raise(a, 15);
    a.li(R.a0, 0).syscall(NR.exit_group);
    expect(await machine(a.assemble()).run()).toMatchObject({ exitCode: 128 + 15, signal: 15 });
  });

  it('a host signal (as process.on listeners see it) reaches a guest that is blocked forever', async () => {
    const a = new Asm();
    a.li(R.s3, DATA).addi(R.a0, R.s3, 0).li(R.a1, 0).li(R.a2, 0).li(R.a3, 0).syscall(NR.futex);
    a.li(R.a0, 0).syscall(NR.exit_group);
    const m = machine(a.assemble());
    const running = m.run();
    await new Promise((r) => setTimeout(r, 50));
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await running).toMatchObject({ signal: 12 });
    expect(process.listenerCount('SIGUSR2')).toBe(0); // removed when the run ends
  });
});
