// The RISC-V 64 front-end: RV64GC (IMAFDC, Zicsr, Zifencei) Linux user mode, lp64d ABI.
import type { ArchSpec } from '../arch.js';
import type { FpEnv } from '../../jit/fpu-api.js';
import { riscv64Gdb } from './gdb.js';
import * as lifter from './lifter.js';
import { A0, A7, NSLOTS, SLOT_NAMES, SP } from './regs.js';
import { riscv64Signals } from './signal-frame.js';
import { riscv64Cpuinfo } from './cpuinfo.js';
import { riscv64Info } from './info.js';

/** RISC-V's FP unit: canonical NaNs everywhere, tininess after rounding, NaN → max int. */
export const riscvFpEnv: FpEnv = {
  defaultNaN32: 0x7fc00000,
  defaultNaN64: 0x7ff8000000000000n,
  propagateNaN: false,
  tininessBeforeRounding: false,
  nanToInt: 'max',
};

/** AT_HWCAP: one bit per single-letter extension, bit = letter - 'a'. */
const hwcap = [...'imafdc'].reduce((m, ch) => m | (1n << BigInt(ch.charCodeAt(0) - 97)), 0n);

export const riscv64: ArchSpec = {
  ...riscv64Info,
  nslots: NSLOTS,
  slotNames: SLOT_NAMES,
  spSlot: SP,
  fpEnv: riscvFpEnv,
  syscallAbi: { table: 'asm-generic-riscv64', nrSlot: A7, argSlots: [10, 11, 12, 13, 14, 15], retSlot: A0, wordBits: 64, endian: 'le' },
  hwcap,
  hwcap2: 0n,
  cpuinfo: riscv64Cpuinfo,
  // (read at the call: the lifter's bundle loads then)
  lift: (fetch, pc, maxInsns) => lifter.liftBlock(fetch, pc, maxInsns),
  liftInto: (b, fetch, maxInsns) => lifter.liftBlockInto(b, fetch, maxInsns),
  disasm: (fetch, pc) => lifter.disasm(fetch, pc),
  initState(state: BigUint64Array): void {
    // Everything zero (a0 = 0: no rtld_fini for the program's _start); the engine sets sp.
    state.fill(0n);
  },
  gdb: riscv64Gdb,
  signals: riscv64Signals,
};
