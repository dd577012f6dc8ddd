// Texts for -h, -version, -d help and -cpu help, laid out like qemu-user's.

import type { ArchInfo } from '../arch/arch-info.js';
import { DEFAULT_STACK_SIZE } from '../elf/stack.js';
import { LOG_ITEMS } from '../log.js';
import { OPTIONS } from './options.js';
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;

export function versionText(): string {
  return `crossrun version ${VERSION} (qemu-user compatible)\n`;
}

export function usageText(): string {
  const rows = OPTIONS.map((o) => [`${o.ours ? '--' : '-'}${o.name}${o.arg ? ' ' + o.arg : ''}`, o.env ?? '', o.help]);
  const w0 = Math.max(21, ...rows.map((r) => r[0].length + 1));
  const w1 = Math.max(18, ...rows.map((r) => r[1].length + 1));
  const line = (r: string[]) => (r[0].padEnd(w0) + r[1].padEnd(w1) + r[2]).trimEnd();
  return [
    'usage: crossrun [options] program [arguments...]',
    'Linux user-mode emulator: runs Linux programs built for another CPU (the ISA comes from the ELF header)',
    '',
    'Options and associated environment variables:',
    '',
    line(['Argument', 'Env-variable', 'Description']),
    ...rows.map(line),
    '',
    'Defaults:',
    'QEMU_LD_PREFIX  = (none: a dynamically linked program needs -L <its sysroot>)',
    `QEMU_STACK_SIZE = ${DEFAULT_STACK_SIZE} byte`,
    '',
    'The -E and -U options, or the QEMU_SET_ENV and QEMU_UNSET_ENV environment',
    'variables, change the environment the program starts with (by default crossrun',
    "passes its own). Each takes a comma-separated list and may be given several",
    'times; the variables are applied first, then the options in order, so the last',
    'change to a variable wins. These are equivalent:',
    '    -E var1=val1 -E var2=val2 -U LD_PRELOAD -U LD_DEBUG',
    '    -E var1=val1,var2=val2 -U LD_PRELOAD,LD_DEBUG',
    '    QEMU_SET_ENV=var1=val1,var2=val2 QEMU_UNSET_ENV=LD_PRELOAD,LD_DEBUG',
    '',
    "Options end at the program's name (or at --); what follows goes to the program.",
    '',
  ].join('\n');
}

export function logItemsText(): string {
  return ['Log items (comma separated):', ...LOG_ITEMS.map((i) => `${i.name.padEnd(15)} ${i.help}`), ''].join('\n');
}

/** CPU models per ISA (only `arch`'s if given); the first of each is the default. */
export function cpuListText(arches: readonly ArchInfo[]): string {
  const out: string[] = [];
  for (const a of arches) {
    out.push(`Available CPUs for ${a.name}:`);
    const w = Math.max(...a.cpus.map((c) => c.name.length)) + 2;
    a.cpus.forEach((c, i) => out.push(`  ${c.name.padEnd(w)}${c.description}${i === 0 ? ' (default)' : ''}`));
  }
  return out.join('\n') + '\n';
}
