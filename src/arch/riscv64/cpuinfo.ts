// /proc/cpuinfo as riscv Linux prints it (arch/riscv/kernel/cpu.c): per hart its number, hart id,
// the ISA string built from the single-letter extensions AT_HWCAP advertises (bit = letter - 'a',
// in the canonical order of the ISA manual's naming chapter), the MMU mode and the machine ids.

/** Single-letter extensions in canonical ISA-string order. */
export const ISA_ORDER = 'iemafdqlcbkjtpvh';

export function riscv64Cpuinfo(cpus: number, hwcap: bigint): string {
  const letters = [...ISA_ORDER].filter((ch) => (hwcap >> BigInt(ch.charCodeAt(0) - 97)) & 1n).join('');
  let out = '';
  for (let i = 0; i < cpus; i++) {
    out += `processor\t: ${i}\n`;
    out += `hart\t\t: ${i}\n`;
    out += `isa\t\t: rv64${letters}\n`;
    out += 'mmu\t\t: sv39\n';
    out += 'mvendorid\t: 0x0\n';
    out += 'marchid\t\t: 0x0\n';
    out += 'mimpid\t\t: 0x0\n\n';
  }
  return out;
}
