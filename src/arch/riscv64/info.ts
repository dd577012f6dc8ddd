// What the registry, the CLI and ELF checks need to know about the RISC-V 64 front-end without
// loading it (the front-end's code is loaded only for a program that runs on it).
import type { ArchInfo } from '../arch-info.js';

export const riscv64Info: ArchInfo = {
  name: 'riscv64',
  elfMachine: 243, // EM_RISCV
  elfClass: 64,
  endian: 'le',
  // qemu-riscv64's models that are RV64GC with nothing we lack; 'any' is qemu's default.
  cpus: [
    { name: 'rv64', description: 'RV64GC (IMAFDC, Zicsr, Zifencei)' },
    { name: 'any', description: 'same as rv64' },
    { name: 'sifive-u54', description: 'SiFive U54 (RV64GC), same as rv64' },
    { name: 'shakti-c', description: 'Shakti C-class (RV64GC), same as rv64' },
  ],
  unameMachine: 'riscv64',
};
