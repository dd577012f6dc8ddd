// A tiny RV64 assembler and machine builder for the engine-level thread and signal tests:
// hand-assembled programs run through Machine.run() (tier 0), so each test controls exactly which
// syscalls and atomics happen.
import { riscv64 } from '../src/arch/riscv64/index.js';
import { Machine } from '../src/engine/machine.js';
import { Fpu } from '../src/jit/fpu.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { Logger } from '../src/log.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { Linux, memVfs } from '../syscalls/index.js';

export const CODE = 0x11000;
export const DATA = 0x20000;
export const STACK = 0x40000; // two stacks of 64 KiB below STACK_TOP
export const STACK_TOP = 0x60000;

export const R = { zero: 0, ra: 1, sp: 2, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9, a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a7: 17, s2: 18, s3: 19 } as const;

const i = (op: number, f3: number, rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const s = (f3: number, rs2: number, rs1: number, imm: number) =>
  (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23;
const b = (f3: number, rs1: number, rs2: number, off: number) =>
  (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63;

/** Assembles with labels: branch targets are label names resolved at the end. */
export class Asm {
  private readonly words: Array<number | ((at: number) => number)> = [];
  private readonly labels = new Map<string, number>();

  get here(): number {
    return CODE + this.words.length * 4;
  }
  label(name: string): this {
    this.labels.set(name, this.here);
    return this;
  }
  private emit(w: number | ((at: number) => number)): this {
    this.words.push(w);
    return this;
  }
  addi(rd: number, rs1: number, imm: number): this {
    return this.emit(i(0x13, 0, rd, rs1, imm));
  }
  /** rd = value (any 32-bit value). */
  li(rd: number, value: number): this {
    const lo = (value << 20) >> 20;
    const hi = ((value - lo) >>> 12) & 0xfffff;
    if (hi !== 0) {
      this.emit((hi << 12) | (rd << 7) | 0x37); // lui
      return lo !== 0 ? this.addi(rd, rd, lo) : this;
    }
    return this.addi(rd, 0, lo);
  }
  sub(rd: number, rs1: number, rs2: number): this {
    return this.emit((0x20 << 25) | (rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33);
  }
  ld(rd: number, rs1: number, imm: number): this {
    return this.emit(i(0x03, 3, rd, rs1, imm));
  }
  lw(rd: number, rs1: number, imm: number): this {
    return this.emit(i(0x03, 2, rd, rs1, imm));
  }
  sd(rs2: number, rs1: number, imm: number): this {
    return this.emit(s(3, rs2, rs1, imm));
  }
  sw(rs2: number, rs1: number, imm: number): this {
    return this.emit(s(2, rs2, rs1, imm));
  }
  lrw(rd: number, rs1: number): this {
    return this.emit((0b00010 << 27) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x2f);
  }
  scw(rd: number, rs2: number, rs1: number): this {
    return this.emit((0b00011 << 27) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x2f);
  }
  private branch(f3: number, rs1: number, rs2: number, label: string): this {
    return this.emit((at) => b(f3, rs1, rs2, this.target(label) - at));
  }
  beq(rs1: number, rs2: number, label: string): this {
    return this.branch(0, rs1, rs2, label);
  }
  bne(rs1: number, rs2: number, label: string): this {
    return this.branch(1, rs1, rs2, label);
  }
  /** jal x0, label */
  j(label: string): this {
    return this.emit((at) => {
      const off = this.target(label) - at;
      return (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | 0x6f;
    });
  }
  /** jalr x0, 0(ra) */
  ret(): this {
    return this.emit(i(0x67, 0, 0, R.ra, 0));
  }
  syscall(nr: number): this {
    this.li(R.a7, nr);
    return this.emit(0x73);
  }
  addr(label: string): number {
    return this.target(label);
  }
  private target(label: string): number {
    const t = this.labels.get(label);
    if (t === undefined) throw new Error(`no label ${label}`);
    return t;
  }
  assemble(): number[] {
    return this.words.map((w, k) => (typeof w === 'number' ? w : w(CODE + k * 4)) >>> 0);
  }
}

export const NR = { exit: 93, exit_group: 94, futex: 98, nanosleep: 101, sched_yield: 124, tgkill: 131, rt_sigaction: 134, rt_sigprocmask: 135, getpid: 172, gettid: 178, clone: 220, write: 64 } as const;
/** CLONE_VM | FS | FILES | SIGHAND | THREAD | SYSVSEM, as Go passes them. */
export const CLONE_THREAD_FLAGS = 0x50f00;

export function machine(words: number[], out: Buffer[] = []): Machine {
  const mem = new AddressSpace();
  mem.map(CODE, 0x1000, Perm.R | Perm.X);
  mem.map(DATA, 0x1000, Perm.R | Perm.W);
  mem.map(STACK, STACK_TOP - STACK, Perm.R | Perm.W);
  words.forEach((w, k) => mem.view.setUint32(CODE + k * 4, w, true));
  const rt = new Tier0Runtime(mem, riscv64.nslots, new Fpu(riscv64.fpEnv));
  const linux = new Linux({
    mem, abi: riscv64.syscallAbi, unameMachine: 'riscv64', fs: memVfs({ '/prog': 'x' }), exePath: '/prog',
    brkStart: 0x80000, logger: new Logger(), argv: ['/prog'], env: [], auxv: [],
    stdout: (b) => void out.push(Buffer.from(b)), stderr: () => {}, pid: 500,
  });
  const m = new Machine(riscv64, mem, rt, linux, new Logger());
  rt.S[R.sp] = BigInt(STACK_TOP);
  m.pc = CODE;
  return m;
}
