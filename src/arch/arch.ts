// What an ISA front-end provides. Everything ISA-specific lives behind this interface in
// src/arch/<isa>/; adding an ISA is a new folder and a line in src/arch/registry.ts.
import type { IRBlock } from '../jit/ir.js';
import type { FpEnv } from '../jit/fpu-api.js';

/** Instruction fetch for the decoder. Throws GuestSignal (SIGSEGV) if the bytes are not mapped
 *  executable. Little- or big-endian per the ISA's instruction byte order. */
export interface CodeFetch {
  u16(addr: number): number;
  u32(addr: number): number;
}

/** Where the syscall number, arguments and result live, and which Linux table applies. Within
 *  asm-generic, arm64 differs from riscv64 (O_* bits, sigaction layout), hence one table each. */
export interface SyscallAbi {
  readonly table: 'asm-generic-riscv64' | 'asm-generic-arm64';
  readonly nrSlot: number;
  readonly argSlots: readonly number[]; // six
  readonly retSlot: number;
  readonly wordBits: 32 | 64;
  readonly endian: 'le' | 'be';
}

/** A type a gdb target-description feature defines (gdb's target.dtd: vector, union, flags). */
export type GdbType =
  | { readonly kind: 'vector'; readonly id: string; readonly type: string; readonly count: number }
  | { readonly kind: 'union'; readonly id: string; readonly fields: ReadonlyArray<readonly [name: string, type: string]> }
  | { readonly kind: 'flags'; readonly id: string; readonly size: number; readonly fields: ReadonlyArray<readonly [name: string, start: number, end: number]> };

/** Reads and writes a register that is not simply a slot (packed status registers). */
export interface GdbRegAccess {
  get(S: BigUint64Array): bigint;
  set(S: BigUint64Array, v: bigint): void;
}

/** One register as gdb sees it. gdb numbers registers in the order the features list them. */
export interface GdbRegister {
  readonly name: string;
  /** 32, 64 or 128. */
  readonly bitsize: number;
  /** A gdb predefined type (int, code_ptr, data_ptr, ieee_double, uint32…) or one the feature defines; default int. */
  readonly type?: string;
  /** general, float, vector or system; default: gdb decides from the type. */
  readonly group?: string;
  /** Where the value lives: a CPU state slot (its low bitsize bits), several slots (64-bit pieces,
   *  least significant first), the pc, or computed from slots. */
  readonly at: number | readonly number[] | 'pc' | GdbRegAccess;
  /** gdb's writes are ignored (a hard-wired zero register). */
  readonly readonly?: boolean;
}

export interface GdbFeature {
  /** e.g. "org.gnu.gdb.riscv.cpu": gdb recognises the registers by feature and name. */
  readonly name: string;
  readonly types?: readonly GdbType[];
  readonly regs: readonly GdbRegister[];
}

/** The gdb register layout of an ISA (src/gdb builds target.xml and the g/p packets from it). */
export interface ArchGdb {
  /** target.xml <architecture>, a BFD name: "riscv:rv64", "aarch64". */
  readonly architecture: string;
  readonly features: readonly GdbFeature[];
  /** gdb's have_nonsteppable_watchpoint for the ISA: a watchpoint stops before the accessing
   *  instruction (gdb then steps over it itself) rather than after it. */
  readonly watchBeforeAccess: boolean;
}

export interface ArchSpec {
  /** Registry key and the name users pass to --arch, e.g. "riscv64". */
  readonly name: string;
  /** ELF e_machine and class this front-end runs. */
  readonly elfMachine: number;
  readonly elfClass: 32 | 64;
  readonly endian: 'le' | 'be';
  /** CPU models for -cpu (the first is the default), with a one-line description each. */
  readonly cpus: ReadonlyArray<{ name: string; description: string }>;
  /** uname(2) machine field. */
  readonly unameMachine: string;
  /** Number of 64-bit CPU state slots (registers and status), and their names for logs. */
  readonly nslots: number;
  readonly slotNames: readonly string[];
  /** Stack pointer slot, for the initial stack. */
  readonly spSlot: number;
  readonly fpEnv: FpEnv;
  readonly syscallAbi: SyscallAbi;
  /** AT_HWCAP / AT_HWCAP2: exactly the extensions implemented. */
  readonly hwcap: bigint;
  readonly hwcap2: bigint;
  /** Decode one block starting at pc into IR. If pc itself cannot be fetched, the fetch's
   *  GuestSignal propagates; a later instruction that cannot be fetched ends the block before it.
   *  At most maxInsns instructions (default: the front-end's own limit); 1 for single-stepping. */
  lift(fetch: CodeFetch, pc: number, maxInsns?: number): IRBlock;
  /** Disassemble the instruction at pc (objdump-like text, e.g. "addi\ta0,a0,1"). */
  disasm(fetch: CodeFetch, pc: number): { text: string; len: number };
  /** Set the registers a new process starts with (sp is set by the engine via spSlot). */
  initState(state: BigUint64Array, entry: number, sp: number): void;
  /** The register layout for the gdbstub (-g); without it, -g is refused for this ISA. */
  readonly gdb?: ArchGdb;
}
