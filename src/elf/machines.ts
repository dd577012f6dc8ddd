// e_machine numbers and the names people know them by, for error messages ("unsupported ISA
// AArch64") and for the -L hint (Debian's cross sysroot for that target). Data only: which ISAs
// crossrun runs is the registry's business (src/arch/registry.ts), not the ELF layer's.

interface MachineInfo {
  /** Name as users say it; [32-bit name, 64-bit name] when the class changes it. */
  name: string | readonly [string, string];
  /** Debian multiarch triplet of the cross libc (/usr/<triplet>), by class and byte order. */
  triplet?: (elfClass: 32 | 64, endian: 'le' | 'be') => string;
}

const MACHINES: Record<number, MachineInfo> = {
  2: { name: 'SPARC', triplet: () => 'sparc-linux-gnu' },
  3: { name: 'i386', triplet: () => 'i686-linux-gnu' },
  4: { name: 'm68k', triplet: () => 'm68k-linux-gnu' },
  8: {
    name: ['MIPS', 'MIPS64'],
    triplet: (c, e) => (c === 64 ? (e === 'le' ? 'mips64el-linux-gnuabi64' : 'mips64-linux-gnuabi64') : e === 'le' ? 'mipsel-linux-gnu' : 'mips-linux-gnu'),
  },
  10: { name: 'MIPS (RS3000 little-endian)' },
  15: { name: 'PA-RISC', triplet: () => 'hppa-linux-gnu' },
  18: { name: 'SPARC32+' },
  20: { name: 'PowerPC', triplet: () => 'powerpc-linux-gnu' },
  21: { name: 'PowerPC64', triplet: (_c, e) => (e === 'le' ? 'powerpc64le-linux-gnu' : 'powerpc64-linux-gnu') },
  22: { name: ['s390', 's390x'], triplet: () => 's390x-linux-gnu' },
  40: { name: 'ARM', triplet: () => 'arm-linux-gnueabihf' },
  41: { name: 'Alpha', triplet: () => 'alpha-linux-gnu' },
  42: { name: 'SuperH', triplet: () => 'sh4-linux-gnu' },
  43: { name: 'SPARC64', triplet: () => 'sparc64-linux-gnu' },
  50: { name: 'IA-64' },
  62: { name: 'x86-64', triplet: () => 'x86_64-linux-gnu' },
  76: { name: 'CRIS' },
  92: { name: 'OpenRISC' },
  94: { name: 'Xtensa' },
  106: { name: 'Blackfin' },
  113: { name: 'Nios II' },
  164: { name: 'Hexagon' },
  183: { name: 'AArch64', triplet: () => 'aarch64-linux-gnu' },
  189: { name: 'MicroBlaze' },
  243: { name: ['RISC-V 32-bit', 'RISC-V 64-bit'], triplet: (c) => `riscv${c}-linux-gnu` },
  247: { name: 'BPF' },
  252: { name: 'C-SKY' },
  258: { name: 'LoongArch', triplet: () => 'loongarch64-linux-gnu' },
};

/** "AArch64", "RISC-V 64-bit", or "machine 1234" for numbers we have no name for. */
export function machineName(machine: number, elfClass: 32 | 64): string {
  const info = MACHINES[machine];
  if (!info) return `machine ${machine}`;
  return typeof info.name === 'string' ? info.name : info.name[elfClass === 32 ? 0 : 1];
}

/** The conventional -L sysroot for a target ("/usr/riscv64-linux-gnu"), if there is one. */
export function sysrootHint(machine: number, elfClass: 32 | 64, endian: 'le' | 'be'): string | undefined {
  const triplet = MACHINES[machine]?.triplet?.(elfClass, endian);
  return triplet && `/usr/${triplet}`;
}
