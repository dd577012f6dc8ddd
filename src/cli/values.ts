// Option values: sizes, -d lists, -E/-U lists. Each parser throws a UserError naming the option.

import { LOG_ITEMS, type LogItem } from '../log.js';
import { UserError } from '../types.js';

const SIZE_SUFFIX: Record<string, number> = { '': 1, k: 1 << 10, K: 1 << 10, m: 1 << 20, M: 1 << 20, g: 1 << 30, G: 1 << 30 };
/** Largest -s we accept: the stack has to fit in the guest's 4 GiB next to everything else. */
export const MAX_STACK_SIZE = 1 << 30;

/** "8M", "0x100000", "512k": a number as strtoul(…, 0) reads it (0x hex, 0 octal) and a suffix. */
export function parseSize(text: string, option: string): number {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([kKmMgG]?)$/.exec(text.trim());
  const value = m ? Number(m[1].startsWith('0') && !/^0[xX]/.test(m[1]) ? parseInt(m[1], 8) : m[1]) * SIZE_SUFFIX[m[2]] : NaN;
  if (!(value > 0)) throw new UserError(`invalid size '${text}' for ${option} (a number of bytes, optionally with k, M or G)`);
  if (value > MAX_STACK_SIZE) throw new UserError(`size '${text}' for ${option} is too large (at most 1G)`);
  return value;
}

/** The -d list: known item names, or "help". */
export function parseLogList(text: string, option: string): { items: LogItem[]; help: boolean } {
  const items: LogItem[] = [];
  let help = false;
  for (const name of text.split(',').filter((s) => s !== '')) {
    if (name === 'help') help = true;
    else {
      const item = LOG_ITEMS.find((i) => i.name === name);
      if (!item) throw new UserError(`unknown log item '${name}' for ${option} ('-d help' lists them)`);
      items.push(item.name);
    }
  }
  return { items, help };
}

/** One change to the guest environment: set (value given) or unset. */
export interface EnvChange {
  name: string;
  value?: string;
}

/** "A=1,B=2" (getsubopt style, as qemu: values cannot contain commas). */
export function parseSetList(text: string, option: string): EnvChange[] {
  return text.split(',').filter((s) => s !== '').map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`${option} expects var=value, got '${item}'`);
    return { name: item.slice(0, eq), value: item.slice(eq + 1) };
  });
}

/** "A,B". */
export function parseUnsetList(text: string, option: string): EnvChange[] {
  return text.split(',').filter((s) => s !== '').map((name) => {
    if (name.includes('=')) throw new UserError(`${option} expects a variable name, got '${name}'`);
    return { name };
  });
}

/** The host environment with the changes applied in order (the last change to a name wins). */
export function applyEnvChanges(hostEnv: Readonly<Record<string, string | undefined>>, changes: readonly EnvChange[]): string[] {
  const env = new Map<string, string>();
  for (const [k, v] of Object.entries(hostEnv)) if (v !== undefined) env.set(k, v);
  for (const c of changes) {
    if (c.value === undefined) env.delete(c.name);
    else env.set(c.name, c.value);
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}
