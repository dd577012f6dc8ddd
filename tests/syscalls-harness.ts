// Drives Linux.syscall directly: a fresh AddressSpace with a scratch area for arguments, an
// in-memory (or host) VFS, captured stdout/stderr and log lines.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SyscallAbi } from '../src/arch/arch.js';
import { Logger, type LogItem } from '../src/log.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { ASM_GENERIC_RISCV64 } from '../syscalls/abi/asm-generic.js';
import type { ErrnoName } from '../syscalls/abi/errno.js';
import { Block } from '../syscalls/blocking.js';
import { Linux, hostVfs, memVfs, type Vfs } from '../syscalls/index.js';

export const RV64_ABI: SyscallAbi = {
  table: 'asm-generic-riscv64', nrSlot: 17, argSlots: [10, 11, 12, 13, 14, 15], retSlot: 10, wordBits: 64, endian: 'le',
};
export const SCRATCH = 0x1000_0000;
export const SCRATCH_SIZE = 0x10_0000;
export const BRK_START = 0x0080_0000;
export const PID = 4242;

const NR = new Map(ASM_GENERIC_RISCV64.syscalls.map(([nr, name]) => [name, nr]));
export function nr(name: string): number {
  const n = NR.get(name);
  if (n === undefined) throw new Error(`no syscall ${name}`);
  return n;
}

export interface Harness {
  linux: Linux;
  mem: AddressSpace;
  vfs: Vfs;
  log: string[];
  stdout: () => string;
  stderr: () => string;
  /** Call by name; numbers and bigints are passed as registers. Result as a signed bigint. */
  sys(name: string, ...args: Array<number | bigint>): bigint;
  /** Same, as a number. */
  call(name: string, ...args: Array<number | bigint>): number;
  /** Put a NUL-terminated string (or bytes) in scratch memory; returns its address. */
  str(s: string): number;
  bytes(b: Uint8Array): number;
  /** Reserve n zeroed bytes of scratch (8-aligned). */
  alloc(n: number): number;
  read(addr: number, n: number): Uint8Array;
  text(addr: number, n: number): string;
  u32(addr: number): number;
  u64(addr: number): bigint;
  i64(addr: number): bigint;
}

export function errno(name: ErrnoName): number {
  return -(ASM_GENERIC_RISCV64.errno.get(name) as number);
}

export interface HarnessOptions {
  vfs?: Vfs;
  stdin?: Uint8Array;
  log?: LogItem[];
  exePath?: string;
}

export function harness(o: HarnessOptions = {}): Harness {
  const mem = new AddressSpace();
  mem.map(SCRATCH, SCRATCH_SIZE, Perm.R | Perm.W);
  const log: string[] = [];
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const vfs = o.vfs ?? memVfs({ '/etc/hostname': 'box\n' });
  const linux = new Linux({
    mem, abi: RV64_ABI, unameMachine: 'riscv64', fs: vfs,
    stdin: o.stdin ?? new Uint8Array(), stdout: (b) => out.push(Buffer.from(b)), stderr: (b) => err.push(Buffer.from(b)),
    exePath: o.exePath ?? '/bin/prog', brkStart: BRK_START,
    logger: new Logger(new Set(o.log ?? ['strace', 'unimp']), (l) => log.push(l)),
    argv: ['/bin/prog', 'arg1'], env: ['HOME=/root', 'A=1'], auxv: [[6, 4096n], [0, 0n]], pid: PID,
  });
  let next = SCRATCH;
  const h: Harness = {
    linux, mem, vfs, log,
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
    sys: (name, ...args) => {
      const regs = Array.from({ length: 6 }, (_, i) => BigInt.asUintN(64, BigInt(args[i] ?? 0)));
      return BigInt.asIntN(64, linux.syscall(nr(name), regs));
    },
    call: (name, ...args) => Number(h.sys(name, ...args)),
    str: (s) => h.bytes(new TextEncoder().encode(s + '\0')),
    bytes: (b) => {
      const at = h.alloc(b.length);
      mem.bytes.set(b, at);
      return at;
    },
    alloc: (n) => {
      const at = next;
      next += Math.ceil(Math.max(n, 1) / 8) * 8;
      if (next > SCRATCH + SCRATCH_SIZE) throw new Error('scratch full');
      mem.bytes.fill(0, at, at + n);
      return at;
    },
    read: (addr, n) => mem.bytes.slice(addr, addr + n),
    text: (addr, n) => Buffer.from(mem.bytes.subarray(addr, addr + n)).toString(),
    u32: (addr) => mem.view.getUint32(addr, true),
    u64: (addr) => mem.view.getBigUint64(addr, true),
    i64: (addr) => mem.view.getBigInt64(addr, true),
  };
  return h;
}

/** The two VFS backends with the same starting tree: memfs, and the host filesystem with the tree
 *  in a fresh temp dir. Tests use `root + '/data/…'` as guest paths ('' for memfs). */
export function backends(): Array<{ name: string; make: () => { vfs: Vfs; root: string; cleanup: () => void } }> {
  return [
    {
      name: 'memVfs',
      make: () => ({ vfs: memVfs({ '/data/hello.txt': 'hello world\n', '/data/sub/a': 'A' }), root: '', cleanup: () => {} }),
    },
    {
      name: 'hostVfs',
      make: () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrun-sys-'));
        fs.mkdirSync(path.join(tmp, 'data/sub'), { recursive: true });
        fs.writeFileSync(path.join(tmp, 'data/hello.txt'), 'hello world\n');
        fs.writeFileSync(path.join(tmp, 'data/sub/a'), 'A');
        return {
          vfs: hostVfs(),
          root: tmp,
          cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
        };
      },
    },
  ];
}

/** What f throws, or undefined when it returns. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The Block a call throws when it must wait (fails the test when it does not block). */
export function blockOf(f: () => unknown): Block {
  const e = thrown(f);
  if (e instanceof Block) return e;
  if (e !== undefined) throw e;
  throw new Error('did not block');
}
