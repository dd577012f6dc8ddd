// The ISA registry: the one place that lists front-ends. Adding an ISA = one line here.
import type { ArchSpec } from './arch.js';
import { aarch64 } from './aarch64/index.js';
import { riscv64 } from './riscv64/index.js';

export const ARCHES: readonly ArchSpec[] = [riscv64, aarch64];

export function archForMachine(machine: number, elfClass: 32 | 64): ArchSpec | undefined {
  return ARCHES.find((a) => a.elfMachine === machine && a.elfClass === elfClass);
}

export function archByName(name: string): ArchSpec | undefined {
  return ARCHES.find((a) => a.name === name);
}
