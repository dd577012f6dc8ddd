// The narrow debug interface the stub drives (DESIGN.md): registers, memory, breakpoints and
// watchpoints of one guest process, over the engine's Machine. Like ptrace, gdb may read and write
// any mapped page whatever its protection; writes drop the translations they touch.
import type { ArchGdb } from '../arch/arch.js';
import type { Machine } from '../engine/machine.js';
import { Layout, PAGE_SHIFT, PAGE_SIZE, Perm } from '../mem/address-space.js';
import { RegisterFile, toBytes, type RegState } from './registers.js';
import { HostIo } from './vfile.js';
import { Watchpoints } from './watch.js';

export type BreakKind = 'sw' | 'hw';

export class Debuggee implements RegState {
  readonly gdb: ArchGdb;
  readonly regs: RegisterFile;
  readonly watch: Watchpoints;
  readonly io: HostIo;
  readonly pid: number;
  /** Which Z packets (Z0 software, Z1 hardware) inserted a breakpoint at a pc. */
  private readonly breaks = new Map<number, Set<BreakKind>>();

  constructor(readonly machine: Machine) {
    const gdb = machine.arch.gdb;
    if (gdb === undefined) throw new Error(`no gdb register description for ${machine.arch.name}`);
    this.gdb = gdb;
    this.regs = new RegisterFile(gdb, machine.arch.endian === 'le');
    this.watch = new Watchpoints(machine.mem, machine.rt, !gdb.watchBeforeAccess);
    const proc = machine.linux.process;
    this.io = new HostIo(proc.vfs, () => proc.cwd);
    this.pid = proc.pid;
  }

  // ---- RegState: the register file reads these
  get S(): BigUint64Array {
    return this.machine.rt.S;
  }
  get pc(): number {
    return this.machine.pc;
  }
  set pc(v: number) {
    this.machine.pc = v;
  }

  get exePath(): string {
    return this.machine.linux.process.opts.exePath;
  }

  /** The auxiliary vector as the guest's stack holds it (AT_NULL included). */
  auxv(): Buffer {
    const opts = this.machine.linux.process.opts;
    const word = opts.abi.wordBits / 8;
    const le = opts.abi.endian === 'le';
    const pairs = [...opts.auxv];
    if (pairs.at(-1)?.[0] !== 0) pairs.push([0, 0n]);
    return Buffer.concat(pairs.flatMap(([k, v]) => [toBytes(BigInt(k), word, le), toBytes(v, word, le)]));
  }

  // ---- memory

  /** How many bytes from addr on are mapped (up to len). */
  private mappedLength(addr: number, len: number): number {
    const mem = this.machine.mem;
    if (!Number.isSafeInteger(addr) || addr < 0 || addr >= Layout.RUNTIME_BASE) return 0;
    len = Math.min(len, Layout.RUNTIME_BASE - addr);
    let n = 0;
    while (n < len) {
      const a = addr + n;
      if ((mem.perm(a >>> PAGE_SHIFT) & Perm.MAPPED) === 0) break;
      n = Math.min(len, ((a >>> PAGE_SHIFT) + 1) * PAGE_SIZE - addr); // not <<: addresses reach 2^32
    }
    return n;
  }

  /** Up to len bytes at addr: fewer where the mapping ends, none if addr is not mapped. */
  readMemory(addr: number, len: number): Buffer {
    const n = this.mappedLength(addr, len);
    return Buffer.from(this.machine.mem.bytes.subarray(addr, addr + n));
  }

  /** Write all of data at addr, or nothing (false) if any byte is not mapped. */
  writeMemory(addr: number, data: Uint8Array): boolean {
    if (data.length === 0) return true; // gdb probes X support with an empty write
    if (this.mappedLength(addr, data.length) !== data.length) return false;
    this.machine.mem.bytes.set(data, addr);
    this.machine.mem.markDirty(addr, addr + data.length); // gdb may write PROT_NONE pages
    this.machine.invalidate(addr, addr + data.length);
    return true;
  }

  // ---- breakpoints

  setBreakpoint(kind: BreakKind, pc: number, on: boolean): void {
    let kinds = this.breaks.get(pc);
    if (on) {
      if (!kinds) this.breaks.set(pc, (kinds = new Set()));
      kinds.add(kind);
    } else if (kinds) {
      kinds.delete(kind);
      if (kinds.size === 0) this.breaks.delete(pc);
    }
    this.machine.setBreakpoint(pc, this.breaks.has(pc));
  }

  breakKind(pc: number): BreakKind | undefined {
    const kinds = this.breaks.get(pc);
    return kinds?.has('sw') ? 'sw' : kinds?.has('hw') ? 'hw' : undefined;
  }

  /** Drop every breakpoint and watchpoint (gdb detached or went away). */
  clearAll(): void {
    for (const pc of this.breaks.keys()) this.machine.setBreakpoint(pc, false);
    this.breaks.clear();
    this.watch.clear();
  }
}
