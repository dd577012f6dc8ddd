// /proc/cpuinfo as arm64 Linux prints it (arch/arm64/kernel/cpuinfo.c): per CPU its number,
// BogoMIPS (from the generic timer's frequency), the Features named by AT_HWCAP/AT_HWCAP2, and
// the MIDR fields. The names are the kernel's hwcap_str table, indexed by hwcap bit (HWCAP2 bits
// follow at 32 + bit).
import { CNTFRQ } from './regs.js';

/** Feature names by AT_HWCAP bit (uapi asm/hwcap.h order). */
export const HWCAP_NAMES: readonly string[] = [
  'fp', 'asimd', 'evtstrm', 'aes', 'pmull', 'sha1', 'sha2', 'crc32', 'atomics', 'fphp', 'asimdhp', 'cpuid',
  'asimdrdm', 'jscvt', 'fcma', 'lrcpc', 'dcpop', 'sha3', 'sm3', 'sm4', 'asimddp', 'sha512', 'sve', 'asimdfhm',
  'dit', 'uscat', 'ilrcpc', 'flagm', 'ssbs', 'sb', 'paca', 'pacg',
];
/** Feature names by AT_HWCAP2 bit. */
export const HWCAP2_NAMES: readonly string[] = [
  'dcpodp', 'sve2', 'sveaes', 'svepmull', 'svebitperm', 'svesha3', 'svesm4', 'flagm2', 'frint', 'svei8mm',
  'svef32mm', 'svef64mm', 'svebf16', 'i8mm', 'bf16', 'dgh', 'rng', 'bti', 'mte', 'ecv', 'afp', 'rpres', 'mte3',
];

/** MIDR_EL1 as crossrun reports it: implementer 0 ("reserved for software use"), part 0. */
const MIDR = { implementer: 0x00, variant: 0x0, part: 0x000, revision: 0 } as const;

function names(bits: bigint, table: readonly string[]): string[] {
  return table.filter((_, i) => (bits >> BigInt(i)) & 1n);
}

export function aarch64Cpuinfo(cpus: number, hwcap: bigint, hwcap2: bigint): string {
  const features = [...names(hwcap, HWCAP_NAMES), ...names(hwcap2, HWCAP2_NAMES)];
  // loops_per_jiffy comes from the timer: BogoMIPS = 2 * freq / 1e6 (HZ cancels out).
  const bogo = ((2 * CNTFRQ) / 1e6).toFixed(2);
  let out = '';
  for (let i = 0; i < cpus; i++) {
    out += `processor\t: ${i}\n`;
    out += `BogoMIPS\t: ${bogo}\n`;
    out += `Features\t:${features.map((f) => ' ' + f).join('')}\n`;
    out += `CPU implementer\t: 0x${MIDR.implementer.toString(16).padStart(2, '0')}\n`;
    out += 'CPU architecture: 8\n';
    out += `CPU variant\t: 0x${MIDR.variant.toString(16)}\n`;
    out += `CPU part\t: 0x${MIDR.part.toString(16).padStart(3, '0')}\n`;
    out += `CPU revision\t: ${MIDR.revision}\n\n`;
  }
  return out;
}
