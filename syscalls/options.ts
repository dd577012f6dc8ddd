// What the engine hands the Linux personality when it starts a process.
import type { SyscallAbi } from '../src/arch/arch.js';
import type { Logger } from '../src/log.js';
import type { AddressSpace } from '../src/mem/address-space.js';
import type { Vfs } from './vfs.js';

export interface LinuxOptions {
  mem: AddressSpace;
  abi: SyscallAbi;
  /** uname(2) machine, e.g. "riscv64". */
  unameMachine: string;
  fs: Vfs;
  /** Guest stdio: a host fd, in-memory bytes (stdin), or a byte sink (stdout/stderr). Default:
   *  host fds 0, 1, 2. */
  stdin?: number | Uint8Array;
  stdout?: number | ((b: Uint8Array) => void);
  stderr?: number | ((b: Uint8Array) => void);
  /** Absolute guest path of the program (readlink /proc/self/exe). */
  exePath: string;
  /** Page-aligned end of the main program's bss: the initial program break. */
  brkStart: number;
  logger: Logger;
  argv: string[];
  env: string[];
  auxv: Array<[number, bigint]>;
  /** The guest's pid (and tid). Default: the host process's pid, as qemu-user does. */
  pid?: number;
  /** uname(2) release. Default "6.1.0". */
  unameRelease?: string;
  /** /proc/cpuinfo in the ISA's format (ArchSpec.cpuinfo); without it /proc/cpuinfo is the host's. */
  cpuinfo?: (cpus: number, hwcap: bigint, hwcap2: bigint) => string;
}
