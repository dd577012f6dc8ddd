// The engine's debug interface without sockets: Machine.debugRun on hand-assembled RISC-V code —
// blocks end before breakpoints, budgets return and resume, single-step, watchpoints before and
// after the access, and memory written by the debugger replaces translated code.
import { describe, expect, it } from 'vitest';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { Machine, WatchHit, type DebugStop } from '../src/engine/machine.js';
import { Debuggee } from '../src/gdb/debuggee.js';
import { Watchpoints } from '../src/gdb/watch.js';
import { Fpu } from '../src/jit/fpu.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { Logger } from '../src/log.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { Linux, memVfs } from '../syscalls/index.js';

const CODE = 0x11000;
const DATA = 0x12000;
const addi = (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
const sd = (rs2: number, rs1: number, imm: number) => (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | ((imm & 0x1f) << 7) | 0x23;
const lui = (rd: number, imm20: number) => (imm20 << 12) | (rd << 7) | 0x37;
const bne = (rs1: number, rs2: number, off: number) =>
  (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63;
const ECALL = 0x73;
const T0 = 5;
const A0 = 10;
const A7 = 17;

function machine(words: number[]): Machine {
  const mem = new AddressSpace();
  mem.map(CODE, 0x1000, Perm.R | Perm.X);
  mem.map(DATA, 0x1000, Perm.R | Perm.W);
  words.forEach((w, i) => mem.view.setUint32(CODE + i * 4, w >>> 0, true));
  const rt = new Tier0Runtime(mem, riscv64.nslots, new Fpu(riscv64.fpEnv));
  const linux = new Linux({
    mem, abi: riscv64.syscallAbi, unameMachine: 'riscv64', fs: memVfs({ '/prog': 'x' }), exePath: '/prog',
    brkStart: 0x20000, logger: new Logger(), argv: ['/prog'], env: [], auxv: [], stdout: () => {}, stderr: () => {},
  });
  const m = new Machine(riscv64, mem, rt, linux, new Logger());
  m.pc = CODE;
  return m;
}

// a0 = 1; a0 += 1 (×3); t0 = DATA; *t0 = a0; exit(a0)
const PROG = [addi(A0, 0, 1), addi(A0, A0, 1), addi(A0, A0, 1), addi(A0, A0, 1), lui(T0, DATA >> 12), sd(A0, T0, 0), addi(A7, 0, 93), ECALL];

describe('Machine.debugRun', () => {
  it('runs to the exit when nothing stops it, in budget-sized slices', () => {
    // t1 = 50; loop: a0 += 1; bne a0, t1, loop; exit(a0)
    const m = machine([addi(6, 0, 50), addi(A0, A0, 1), bne(A0, 6, -4), addi(A7, 0, 93), ECALL]);
    let stop: DebugStop;
    let slices = 0;
    do {
      stop = m.debugRun(false, 10);
      slices++;
    } while (stop.kind === 'budget');
    expect(stop).toEqual({ kind: 'exited', result: { exitCode: 50 } });
    expect(slices).toBeGreaterThanOrEqual(5); // 50 loop blocks, 10 a slice
  });

  it('ends a block before a breakpoint and stops there before running it; the run goes on from it', () => {
    const m = machine(PROG);
    m.setBreakpoint(CODE + 8, true);
    expect(m.debugRun(false, 100)).toEqual({ kind: 'breakpoint', pc: CODE + 8 });
    expect(m.rt.S[A0]).toBe(2n); // two addi ran, not the third
    expect(m.debugRun(false, 100)).toEqual({ kind: 'breakpoint', pc: CODE + 8 }); // still there: hardware semantics
    m.setBreakpoint(CODE + 8, false);
    expect(m.debugRun(true, 1)).toEqual({ kind: 'step', pc: CODE + 12 });
    expect(m.rt.S[A0]).toBe(3n);
    expect(m.debugRun(false, 100)).toEqual({ kind: 'exited', result: { exitCode: 4 } });
  });

  it('a breakpoint set after the code was translated splits the translation', () => {
    const m = machine(PROG);
    m.setBreakpoint(CODE + 16, true);
    expect(m.debugRun(false, 100)).toMatchObject({ kind: 'breakpoint', pc: CODE + 16 });
    m.setBreakpoint(CODE + 16, false);
    m.pc = CODE; // the block at CODE is translated now, without a cut at CODE + 4
    m.rt.S[A0] = 0n;
    m.setBreakpoint(CODE + 4, true);
    expect(m.debugRun(false, 100)).toEqual({ kind: 'breakpoint', pc: CODE + 4 });
    expect(m.rt.S[A0]).toBe(1n);
  });

  it('watchpoints stop before the access, or after it for ISAs whose watchpoints fire late', () => {
    for (const after of [false, true]) {
      const m = machine(PROG);
      const w = new Watchpoints(m.mem, m.rt, after);
      w.add('write', DATA, 8);
      const stop = m.debugRun(false, 100);
      expect(stop.kind).toBe('watch');
      if (stop.kind !== 'watch') return;
      expect(stop.hit).toEqual(new WatchHit(DATA, 'write', after));
      expect(stop.pc).toBe(after ? CODE + 24 : CODE + 20);
      expect(m.mem.view.getBigUint64(DATA, true)).toBe(after ? 4n : 0n);
      w.clear();
      expect(m.mem.pageTable[DATA >>> 12] & Perm.W).toBe(Perm.W);
      expect(m.debugRun(false, 100)).toEqual({ kind: 'exited', result: { exitCode: 4 } });
    }
  });

  it('memory the debugger writes replaces translated code', () => {
    const m = machine(PROG);
    const dbg = new Debuggee(m);
    m.setBreakpoint(CODE + 24, true);
    expect(m.debugRun(false, 100)).toMatchObject({ pc: CODE + 24 });
    m.setBreakpoint(CODE + 24, false);
    m.pc = CODE;
    const patch = Buffer.alloc(4);
    patch.writeUInt32LE(addi(A0, 0, 40) >>> 0);
    expect(dbg.writeMemory(CODE, patch)).toBe(true); // code pages are read-only to the guest, not to gdb
    expect(m.debugRun(false, 100)).toEqual({ kind: 'exited', result: { exitCode: 43 } });
  });
});
