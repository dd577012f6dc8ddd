// SyscallAbi.table (from the ISA front-end) → the Linux ABI table. Adding an ABI family is a new
// file in abi/ and a line here.
import type { SyscallAbi } from '../../src/arch/arch.js';
import { UserError } from '../../src/types.js';
import { ASM_GENERIC_ARM64, ASM_GENERIC_RISCV64 } from './asm-generic.js';
import type { LinuxAbi } from './types.js';

const TABLES: Readonly<Record<string, { readonly abi: LinuxAbi; readonly wordBits: 32 | 64 }>> = {
  'asm-generic-riscv64': { abi: ASM_GENERIC_RISCV64, wordBits: 64 },
  'asm-generic-arm64': { abi: ASM_GENERIC_ARM64, wordBits: 64 },
};

export function linuxAbiFor(abi: Pick<SyscallAbi, 'wordBits'> & { readonly table: string }): LinuxAbi {
  const t = TABLES[abi.table];
  if (!t) throw new UserError(`crossrun: no Linux syscall table "${abi.table}"`);
  if (t.wordBits !== abi.wordBits) {
    throw new UserError(`crossrun: the ${abi.table} syscall table is for ${t.wordBits}-bit guests, not ${abi.wordBits}-bit`);
  }
  return t.abi;
}

export const LINUX_ABI_NAMES: readonly string[] = Object.keys(TABLES);
