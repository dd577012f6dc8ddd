// A program image: an ELF loaded into a fresh address space, its initial stack, registers and
// the runtime that runs it. The first process (run.ts) and execve (processes.ts) both start
// programs this way.
import type { ArchSpec } from '../arch/arch.js';
import { loadElf, type FileSource } from '../elf/load.js';
import type { ElfFile } from '../elf/parse.js';
import { buildInitialStack } from '../elf/stack.js';
import { Fpu } from '../jit/fpu.js';
import { Tier0Runtime } from '../jit/interp/runtime.js';
import { AddressSpace } from '../mem/address-space.js';

export interface ImageParams {
  readonly arch: ArchSpec;
  readonly elf: ElfFile;
  readonly fs: FileSource;
  /** argv as the guest sees it, env as "NAME=value". */
  readonly argv: readonly string[];
  readonly env: readonly string[];
  /** AT_EXECFN: the path the program was started by. */
  readonly execfn: string;
  /** Region name of the program in /proc/self/maps (its absolute path). */
  readonly mapName?: string;
  readonly ldPrefix?: string;
  readonly stackSize?: number;
  /** An empty address space to load into (default: a new one). */
  readonly mem?: AddressSpace;
}

export interface Image {
  readonly mem: AddressSpace;
  readonly rt: Tier0Runtime;
  /** Where the first instruction is (the interpreter's entry when there is one). */
  readonly entry: number;
  readonly brkStart: number;
  readonly auxv: Array<[number, bigint]>;
  /** The name the program's segments are mapped under. */
  readonly mapName: string;
}

/** Load `elf` and build its stack; the registers in rt.S are the program's initial state. */
export function loadImage(a: ImageParams): Image {
  const { arch } = a;
  const mem = a.mem ?? new AddressSpace();
  const program = loadElf(mem, a.fs, a.elf, { ldPrefix: a.ldPrefix, mapName: a.mapName });
  const stack = buildInitialStack(mem, {
    argv: a.argv,
    env: a.env,
    execfn: a.execfn,
    program,
    wordBytes: arch.elfClass === 64 ? 8 : 4,
    endian: arch.endian,
    hwcap: arch.hwcap,
    hwcap2: arch.hwcap2,
    stackSize: a.stackSize,
  });
  const rt = new Tier0Runtime(mem, arch.nslots, new Fpu(arch.fpEnv));
  arch.initState(rt.S, program.entry, stack.sp);
  rt.S[arch.spSlot] = BigInt(stack.sp);
  return { mem, rt, entry: program.entry, brkStart: program.brkStart, auxv: stack.auxv, mapName: program.mapName };
}
