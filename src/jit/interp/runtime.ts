// Tier-0 runtime: the state and helpers that compiled tier-0 blocks call into. Holds guest memory
// access with permission checks, the LL/SC reservation, counters and the FPU.
import { AddressSpace, Layout, Perm } from '../../mem/address-space.js';
import { GuestSignal, SiCode, Sig } from '../../signals.js';
import type { FpuOps } from '../fpu-api.js';
import type { AmoOp } from '../ir.js';
import type { WasmEvaluator } from './eval-wasm.js';
import { bswap32, clz64, ctz64, popcnt32 } from './eval-i64.js';
import { Slot } from '../wasm/layout.js';

const LIMIT = Layout.RUNTIME_BASE;

/** Why a block returned to the run loop, beyond "continue at the returned pc". */
export const enum Exit { None = 0, Syscall = 1, Trap = 2, FlushCode = 3 }

export class Tier0Runtime {
  readonly pt: Uint8Array;
  readonly dv: DataView;
  /** The CPU state slots (ISA registers), 64 bits each, inside guest memory's runtime area so that
   *  wasm code reaches them too; `lo` aliases the low 32-bit halves (little-endian host). */
  readonly S: BigUint64Array;
  readonly lo: Int32Array;
  /** Tier 0's wasm evaluator on this memory (eval-wasm.ts; null: every op in JS, undefined: not
   *  looked up yet). Tests set it. */
  evaluator: WasmEvaluator | null | undefined = undefined;
  /** Set by a block that ends in a special exit. */
  exit: Exit = Exit.None;
  trapSignal = 0;
  trapCode = 0;
  trapAddr = 0;
  /** Guest pc of the instruction that faulted (set by the block's catch). */
  faultPc = 0;
  /** The words of the LL/SC reservation in guest memory's runtime area (Slot.RES_*), where
   *  region code works on it inline. */
  private readonly res: Uint32Array;
  private readonly resValue64: BigUint64Array;
  /** Retired guest instructions before the current block. */
  instret = 0;
  readonly startNs = process.hrtime.bigint();
  /** A debugger's watchpoint check, called on the slow path only: pages with watchpoints have
   *  their R/W bits cleared in the page table so that every access to them gets here. */
  watch: ((addr: number, size: number, need: number) => void) | null = null;

  constructor(
    readonly mem: AddressSpace,
    nslots: number,
    readonly fpu: FpuOps,
    /** Where this task's state slots live (Layout.CPU_STATE + n × CPU_STATE_SIZE). */
    readonly stateBase: number = Layout.CPU_STATE,
  ) {
    this.pt = mem.pageTable;
    this.dv = mem.view;
    if (nslots * 8 > Layout.CPU_STATE_SIZE) throw new Error(`crossrun internal error: ${nslots} state slots do not fit`);
    this.S = new BigUint64Array(mem.memory.buffer, stateBase, nslots);
    this.lo = new Int32Array(mem.memory.buffer, stateBase, nslots * 2);
    this.res = new Uint32Array(mem.memory.buffer, Slot.RES_ADDR1, 2);
    this.resValue64 = new BigUint64Array(mem.memory.buffer, Slot.RES_VALUE, 1);
  }

  /** LL/SC reservation: address (-1: none), size and the value loaded. */
  get resAddr(): number {
    return this.res[0] - 1;
  }
  set resAddr(a: number) {
    this.res[0] = a + 1;
  }
  get resSize(): number {
    return this.res[1];
  }
  set resSize(n: number) {
    this.res[1] = n;
  }
  get resValue(): bigint {
    return this.resValue64[0];
  }
  set resValue(v: bigint) {
    this.resValue64[0] = v;
  }

  /** Address of an access after its permission check; throws SIGSEGV/SIGBUS precisely. */
  addr(x: bigint, size: number, need: number): number {
    const a = Number(x);
    if (a >= LIMIT || (this.pt[a >>> 12] & need) === 0 || (a & 0xfff) > 0x1000 - size) {
      if (x >= BigInt(LIMIT)) throw new GuestSignal(Sig.SEGV, SiCode.SEGV_MAPERR, a);
      this.mem.check(a, size, need);
      if (this.watch !== null) this.watch(a, size, need);
    }
    return a;
  }
  /** addr for a 64-bit address held as int32 halves (tier 0's evaluator): same checks and faults. */
  addrN(lo: number, hi: number, size: number, need: number): number {
    const a = lo >>> 0;
    if (hi !== 0 || a >= LIMIT || (this.pt[a >>> 12] & need) === 0 || (a & 0xfff) > 0x1000 - size) {
      // Number(x) of the 64-bit address: one rounding of the exact sum, as the bigint path reports it.
      if (hi !== 0 || a >= LIMIT) throw new GuestSignal(Sig.SEGV, SiCode.SEGV_MAPERR, (hi >>> 0) * 4294967296 + a);
      this.mem.check(a, size, need);
      if (this.watch !== null) this.watch(a, size, need);
    }
    return a;
  }
  /** Like addr, but the access must be naturally aligned (atomics) or SIGBUS. */
  alignedAddr(x: bigint, size: number, need: number): number {
    const a = Number(x & 0xffffffffffffffffn);
    if (a % size !== 0) throw new GuestSignal(Sig.BUS, SiCode.BUS_ADRALN, a);
    return this.addr(x, size, need);
  }

  readMem(a: number, size: number, le: boolean): bigint {
    switch (size) {
      case 1: return BigInt(this.dv.getUint8(a));
      case 2: return BigInt(this.dv.getUint16(a, le));
      case 4: return BigInt(this.dv.getUint32(a, le));
      default: return this.dv.getBigUint64(a, le);
    }
  }
  writeMem(a: number, size: number, v: bigint, le: boolean): void {
    switch (size) {
      case 1: this.dv.setUint8(a, Number(v & 0xffn)); break;
      case 2: this.dv.setUint16(a, Number(v & 0xffffn), le); break;
      case 4: this.dv.setUint32(a, Number(v & 0xffffffffn), le); break;
      default: this.dv.setBigUint64(a, v, le);
    }
  }

  /** Atomic read-modify-write; returns the old value (unsigned, size bytes). */
  amo(fn: AmoOp, size: 4 | 8, x: bigint, v: bigint, le: boolean): bigint {
    const a = this.alignedAddr(x, size, Perm.R | Perm.W);
    const bits = size * 8;
    const old = this.readMem(a, size, le);
    const val = BigInt.asUintN(bits, v);
    let nv: bigint;
    switch (fn) {
      case 'swap': nv = val; break;
      case 'add': nv = old + val; break;
      case 'and': nv = old & val; break;
      case 'or': nv = old | val; break;
      case 'xor': nv = old ^ val; break;
      case 'mins': nv = BigInt.asIntN(bits, old) < BigInt.asIntN(bits, val) ? old : val; break;
      case 'maxs': nv = BigInt.asIntN(bits, old) > BigInt.asIntN(bits, val) ? old : val; break;
      case 'minu': nv = old < val ? old : val; break;
      case 'maxu': nv = old > val ? old : val; break;
    }
    this.writeMem(a, size, BigInt.asUintN(bits, nv), le);
    if (this.resAddr >= 0 && a < this.resAddr + this.resSize && this.resAddr < a + size) this.resAddr = -1;
    return old;
  }
  cas(size: 4 | 8, x: bigint, expected: bigint, v: bigint, le: boolean): bigint {
    const a = this.alignedAddr(x, size, Perm.R | Perm.W);
    const bits = size * 8;
    const old = this.readMem(a, size, le);
    if (old === BigInt.asUintN(bits, expected)) this.writeMem(a, size, BigInt.asUintN(bits, v), le);
    return old;
  }
  ll(size: 4 | 8, x: bigint, le: boolean): bigint {
    const a = this.alignedAddr(x, size, Perm.R);
    const v = this.readMem(a, size, le);
    this.resAddr = a;
    this.resSize = size;
    this.resValue = v;
    return v;
  }
  /** 1 if stored, 0 if the reservation was lost. */
  sc(size: 4 | 8, x: bigint, v: bigint, le: boolean): number {
    const a = this.alignedAddr(x, size, Perm.W);
    const ok = this.resAddr === a && this.resSize === size && this.readMem(a, size, le) === this.resValue;
    this.resAddr = -1;
    if (!ok) return 0;
    this.writeMem(a, size, BigInt.asUintN(size * 8, v), le);
    return 1;
  }

  /** A dynamic rounding mode operand (with FpMode bits above bit 2); invalid ones are an illegal instruction. */
  rm(v: number): number {
    if ((v & 7) > 4) throw new GuestSignal(Sig.ILL, SiCode.ILL_ILLOPC, 0);
    return v;
  }

  counter(which: 'cycle' | 'time' | 'instret', offset: number): bigint {
    if (which === 'time') return (process.hrtime.bigint() - this.startNs) / 100n; // 10 MHz timebase
    return BigInt(this.instret + offset);
  }

  // bit operations the generated code calls for rarer ops (eval-i64.ts has them)
  popcnt32(v: number): number {
    return popcnt32(v);
  }
  bswap32(v: number): number {
    return bswap32(v);
  }
  clz64(v: bigint): bigint {
    return BigInt(clz64(Number(v >> 32n) | 0, Number(v & 0xffffffffn) | 0));
  }
  ctz64(v: bigint): bigint {
    return BigInt(ctz64(Number(v >> 32n) | 0, Number(v & 0xffffffffn) | 0));
  }
  popcnt64(v: bigint): bigint {
    return BigInt(this.popcnt32(Number(v & 0xffffffffn)) + this.popcnt32(Number(v >> 32n)));
  }
  bswap64(v: bigint): bigint {
    const lo = BigInt(this.bswap32(Number(v & 0xffffffffn)) >>> 0);
    const hi = BigInt(this.bswap32(Number(v >> 32n)) >>> 0);
    return (lo << 32n) | hi;
  }

  trap(signal: number, code: number, addr: number): void {
    this.exit = Exit.Trap;
    this.trapSignal = signal;
    this.trapCode = code;
    this.trapAddr = addr;
  }
}
