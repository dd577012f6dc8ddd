// The AArch64 front-end: ARMv8-A A64 Linux user mode (LP64), with LSE atomics, FP and Advanced SIMD.
import type { ArchSpec, SyscallAbi } from '../arch.js';
import type { FpEnv } from '../../jit/fpu-api.js';
import { aarch64Cpuinfo } from './cpuinfo.js';
import { HWCAP, HWCAP2 } from './hwcap.js';
import { aarch64Gdb } from './gdb.js';
import { aarch64Info } from './info.js';
import { onHelperMiss } from '../../jit/helpers.js';
import * as lifter from './lifter.js';
import { EXCL_ADDR, NSLOTS, SLOT_NAMES, SP } from './regs.js';
import { aarch64Signals } from './signal-frame.js';

/** ARM's FP unit with FPCR.DN = 0 (NaN operands propagate), tininess before rounding, NaN → 0. */
export const armFpEnv: FpEnv = {
  defaultNaN32: 0x7fc00000,
  defaultNaN64: 0x7ff8000000000000n,
  propagateNaN: true,
  tininessBeforeRounding: true,
  nanToInt: 'zero',
};

/** arm64 uses the asm-generic syscall numbers, with its own O_* flag bits and sa_restorer: the
 *  syscall layer's 'asm-generic-arm64' table. */
const syscallAbi: SyscallAbi = {
  table: 'asm-generic-arm64', nrSlot: 8, argSlots: [0, 1, 2, 3, 4, 5], retSlot: 0, wordBits: 64, endian: 'le',
};

// The crypto instructions' helpers are defined where the lifter is (its own part of the bundle,
// loaded when first used): a warm run whose blocks all come from the store calls them first.
onHelperMiss(() => void lifter.liftBlock);

export const aarch64: ArchSpec = {
  ...aarch64Info,
  nslots: NSLOTS,
  slotNames: SLOT_NAMES,
  spSlot: SP,
  fpEnv: armFpEnv,
  syscallAbi,
  hwcap: HWCAP,
  hwcap2: HWCAP2,
  cpuinfo: aarch64Cpuinfo,
  // (read at the call: the lifter's bundle loads then)
  lift: (fetch, pc, maxInsns) => lifter.liftBlock(fetch, pc, maxInsns),
  liftInto: (b, fetch, maxInsns) => lifter.liftBlockInto(b, fetch, maxInsns),
  gdb: aarch64Gdb,
  disasm: (fetch, pc) => lifter.disasm(fetch, pc),
  initState(state: BigUint64Array): void {
    // Everything zero (x0 = 0: no rtld_fini for _start; FPCR = 0: round to nearest); no exclusive
    // monitor held. The engine sets sp.
    state.fill(0n);
    state[EXCL_ADDR] = (1n << 64n) - 1n;
  },
  signals: aarch64Signals,
};
