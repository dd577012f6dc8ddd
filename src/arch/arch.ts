// What an ISA front-end provides. Everything ISA-specific lives behind this interface in
// src/arch/<isa>/; adding an ISA is a new folder and a line in src/arch/registry.ts.
import type { IRBlock } from '../jit/ir.js';
import type { BlockBuilder } from '../jit/builder.js';
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
  /** The same, into another builder (jit/interp/eval-builder.ts's), for the block at b.pc. */
  liftInto(b: BlockBuilder, fetch: CodeFetch, maxInsns?: number): void;
  /** Disassemble the instruction at pc (objdump-like text, e.g. "addi\ta0,a0,1"). */
  disasm(fetch: CodeFetch, pc: number): { text: string; len: number };
  /** Set the registers a new process starts with (sp is set by the engine via spSlot). */
  initState(state: BigUint64Array, entry: number, sp: number): void;
  /** The register layout for the gdbstub (-g); without it, -g is refused for this ISA. */
  readonly gdb?: ArchGdb;
  /** /proc/cpuinfo as Linux formats it for this ISA: one entry per CPU, listing the features the
   *  given AT_HWCAP / AT_HWCAP2 bits advertise (names from the ISA's table). Optional: without
   *  it the guest reads the host's /proc/cpuinfo. */
  readonly cpuinfo?: (cpus: number, hwcap: bigint, hwcap2: bigint) => string;
  /** Signal frames and the register roles threads need; without it, guest handlers and clone
   *  threads are refused (the default actions still apply). */
  readonly signals?: ArchSignals;
}

/** Where an ISA keeps the alternate signal stack settings saved in a frame (stack_t). */
export interface SavedAltStack {
  readonly sp: bigint;
  readonly flags: number;
  readonly size: bigint;
}

/** What the ISA-neutral delivery code hands the front-end to build a signal frame (the kernel's
 *  setup_rt_frame): the registers as the interrupted code left them, and everything else the frame
 *  records, already chosen (stack, mask, siginfo bytes). */
export interface SignalFrameIn {
  /** The thread's live registers: saved into the frame, then set up for the handler. */
  readonly S: BigUint64Array;
  /** Where the interrupted code continues (saved as the frame's pc). */
  readonly pc: number;
  readonly view: DataView;
  /** True if [addr, addr+len) may be written by the guest (else the frame cannot be built). */
  writable(addr: number, len: number): boolean;
  /** Top of the stack to build the frame below: the interrupted sp, or the alternate stack's top. */
  readonly stackTop: number;
  /** Guest signal number (the handler's first argument). */
  readonly signal: number;
  /** siginfo_t as the guest ABI lays it out (128 bytes). */
  readonly siginfo: Uint8Array;
  readonly handler: number;
  /** SA_SIGINFO: the handler takes (sig, info, ucontext). */
  readonly saSiginfo: boolean;
  /** The handler's return address: the rt_sigreturn trampoline or SA_RESTORER's restorer. */
  readonly returnTo: number;
  /** uc_sigmask: the mask rt_sigreturn restores (64 bits, guest numbering). */
  readonly mask: bigint;
  readonly altStack: SavedAltStack;
  /** The faulting data address of a synchronous memory fault (AArch64 records it), else null. */
  readonly faultAddr: number | null;
}

/** What rt_sigreturn found in the frame (registers other than pc are restored into S). */
export interface SignalFrameOut {
  readonly pc: number;
  readonly mask: bigint;
  readonly altStack: SavedAltStack;
}

/** An ISA's part of signal delivery and threads (the kernel's arch/<isa>/kernel/signal.c and
 *  copy_thread): the frame layout, crossrun's rt_sigreturn trampoline (there is no vDSO), and the
 *  few register roles the ISA-neutral code needs. */
export interface ArchSignals {
  /** Length of the syscall instruction: an interrupted syscall that restarts runs from pc - this. */
  readonly syscallInsnLen: number;
  /** Slot of the thread pointer that clone(CLONE_SETTLS) sets. */
  readonly tlsSlot: number;
  /** Machine code of `rt_sigreturn()`, mapped by crossrun; handlers return there unless
   *  SA_RESTORER names a restorer (ISAs whose ABI has sa_restorer). */
  readonly trampoline: Uint8Array;
  /** Bytes a frame takes below the stack top at most (for the alternate-stack overflow check). */
  readonly frameSize: number;
  /** Drop an exclusive-monitor reservation kept in CPU state (on a context switch). */
  clearExclusive?(S: BigUint64Array): void;
  /** Write the frame below f.stackTop and point the registers at the handler. Returns the pc to
   *  run the handler at, or null if the frame's memory is not writable. */
  setupFrame(f: SignalFrameIn): number | null;
  /** rt_sigreturn: read the frame at the current sp back into S. null: the frame is unreadable. */
  restoreFrame(S: BigUint64Array, view: DataView, readable: (addr: number, len: number) => boolean): SignalFrameOut | null;
}
