// The ISA registry: the one place that lists front-ends. Adding an ISA = one entry here (its
// info.ts and its index.ts).
//
// A front-end's code is reached only through `spec()`, when a program runs on that ISA: the CLI
// bundle (scripts/build.mjs) turns each front-end into a separate file that is loaded, and
// compiled from its own code cache, on first use, so a riscv64 run never loads the aarch64
// front-end and the reverse. ARCHES and archInfo* are plain data and load nothing.
import type { ArchSpec } from './arch.js';
import type { ArchInfo } from './arch-info.js';
import * as aarch64Front from './aarch64/index.js';
import { aarch64Info } from './aarch64/info.js';
import * as riscv64Front from './riscv64/index.js';
import { riscv64Info } from './riscv64/info.js';

export type { ArchInfo } from './arch-info.js';

interface Entry {
  readonly info: ArchInfo;
  spec(): ArchSpec;
}

const ENTRIES: readonly Entry[] = [
  { info: riscv64Info, spec: () => riscv64Front.riscv64 },
  { info: aarch64Info, spec: () => aarch64Front.aarch64 },
];

/** Every ISA crossrun runs (names, ELF machine and class, CPU models), in --arch order. */
export const ARCHES: readonly ArchInfo[] = ENTRIES.map((e) => e.info);

function entryForMachine(machine: number, elfClass: 32 | 64): Entry | undefined {
  return ENTRIES.find((e) => e.info.elfMachine === machine && e.info.elfClass === elfClass);
}

export function archInfoForMachine(machine: number, elfClass: 32 | 64): ArchInfo | undefined {
  return entryForMachine(machine, elfClass)?.info;
}

/** The front-end for an ELF e_machine and class (loading it on first use). */
export function archForMachine(machine: number, elfClass: 32 | 64): ArchSpec | undefined {
  return entryForMachine(machine, elfClass)?.spec();
}

/** The front-end called `name` (loading it on first use). */
export function archByName(name: string): ArchSpec | undefined {
  return ENTRIES.find((e) => e.info.name === name)?.spec();
}
