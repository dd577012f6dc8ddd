// argv + QEMU_* environment → CliArgs. yargs' parser does the parsing, configured for qemu-user's
// syntax: single-dash long options (-strace, -cpu), no short-option groups, every value option
// takes the next argument even if it starts with a dash (-0 -bash), and parsing stops at the first
// non-option — the program — so its arguments reach the guest untouched, "--" included.
// We import yargs-parser (the package yargs parses with) rather than 'yargs/helpers', which loads
// yargs' i18n and text-layout modules too: ~25 ms of start-up for nothing we use. Its "browser"
// entry is the same parser without the Node hooks (config files, path normalizing) that we do not
// use: the Node entry calls createRequire as it loads, ~1 ms of every run.

import Parser from 'yargs-parser/browser';
import type { LogItem } from '../log.js';
import { UserError } from '../types.js';
import { OPTIONS, OPTION_NAMES, QEMU_ONLY_OPTIONS, type OptionSpec } from './options.js';
import { parseLogList, parseSetList, parseSize, parseUnsetList, type EnvChange } from './values.js';

export interface CliArgs {
  help: boolean;
  version: boolean;
  gdb?: string;
  ldPrefix?: string;
  stackSize?: number;
  /** "help" asks for the list. */
  cpu?: string;
  arch?: string;
  /** --jit / CROSSRUN_JIT. */
  jit?: 'off' | 'interp' | 'wasm';
  /** -E / -U and their variables, in the order they take effect. */
  envChanges: EnvChange[];
  argv0?: string;
  logItems: LogItem[];
  logHelp: boolean;
  logFile?: string;
  strace: boolean;
  program?: string;
  /** The program's arguments (after argv[0]), untouched. */
  args: string[];
}

const valueOptions = OPTIONS.filter((o) => o.arg !== undefined);
const flagOptions = OPTIONS.filter((o) => o.arg === undefined);

const PARSER_OPTIONS = {
  boolean: flagOptions.map((o) => o.name),
  string: valueOptions.map((o) => o.name),
  array: valueOptions.filter((o) => o.repeats).map((o) => o.name),
  narg: Object.fromEntries(valueOptions.map((o) => [o.name, 1])),
  configuration: {
    'short-option-groups': false, // -strace is one option, not -s -t -r …
    'halt-at-non-option': true, // the program ends the options
    'populate--': true, // … and it and everything after it land in argv['--'] verbatim
    'nargs-eats-options': true, // "-0 -bash": the value may start with a dash
    'duplicate-arguments-array': true, // keep every -E; for the others we take the last
    'camel-case-expansion': false,
    'dot-notation': false,
    'parse-numbers': false,
    'parse-positional-numbers': false,
    'boolean-negation': false,
    'greedy-arrays': false,
    'unknown-options-as-args': false,
  },
};

type Raw = Record<string, unknown>;

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliArgs {
  const parsed = Parser.detailed([...argv], PARSER_OPTIONS);
  if (parsed.error) {
    const missing = /following: (.+)$/.exec(parsed.error.message);
    throw new UserError(missing ? `missing argument for option '${missing[1]}'` : parsed.error.message);
  }
  const raw = parsed.argv as Raw;
  for (const key of Object.keys(raw)) {
    if (key !== '_' && key !== '--' && !OPTION_NAMES.has(key)) {
      if (QEMU_ONLY_OPTIONS.has(key)) throw new UserError(`qemu-user's -${key} option is not supported by crossrun`);
      throw new UserError(`unknown option '${key}' (crossrun -h lists the options)`);
    }
  }
  for (const o of flagOptions) {
    if (raw[o.name] === false) throw new UserError(`option '${o.name}' takes no argument`);
  }

  const rest = [...(raw._ as unknown[]), ...((raw['--'] as unknown[] | undefined) ?? [])].map(String);
  const optionPart = argv.slice(0, argv.length - rest.length);

  // A setting comes from its QEMU_* variable unless the command line gives it.
  const setting = (name: string): string | undefined => {
    const v = raw[name];
    if (Array.isArray(v)) return String(v[v.length - 1]);
    if (typeof v === 'string') return v;
    const spec = OPTIONS.find((o) => o.name === name) as OptionSpec;
    return spec.env === undefined ? undefined : env[spec.env];
  };
  const flag = (name: string): boolean => {
    const spec = OPTIONS.find((o) => o.name === name) as OptionSpec;
    return raw[name] === true || (spec.env !== undefined && env[spec.env] !== undefined);
  };

  const stack = setting('s');
  const log = setting('d');
  const logList = log === undefined ? { items: [], help: false } : parseLogList(log, '-d');

  return {
    help: flag('h') || flag('help'),
    version: flag('version'),
    gdb: setting('g'),
    ldPrefix: setting('L'),
    stackSize: stack === undefined ? undefined : parseSize(stack, '-s'),
    cpu: setting('cpu'),
    arch: setting('arch'),
    jit: jitSetting(setting('jit')),
    envChanges: envChanges(raw, optionPart, env),
    argv0: setting('0'),
    logItems: logList.items,
    logHelp: logList.help,
    logFile: setting('D'),
    strace: flag('strace'),
    program: rest[0],
    args: rest.slice(1),
  };
}

/** QEMU_SET_ENV, then QEMU_UNSET_ENV (as qemu reads its variables), then -E and -U in command-line
 *  order. yargs keeps each option's values in order but not the interleaving of -E with -U, so we
 *  recover that from where the option words stand in the option part of argv. */
function envChanges(raw: Raw, optionPart: readonly string[], env: Readonly<Record<string, string | undefined>>): EnvChange[] {
  const changes: EnvChange[] = [];
  if (env.QEMU_SET_ENV !== undefined) changes.push(...parseSetList(env.QEMU_SET_ENV, 'QEMU_SET_ENV'));
  if (env.QEMU_UNSET_ENV !== undefined) changes.push(...parseUnsetList(env.QEMU_UNSET_ENV, 'QEMU_UNSET_ENV'));

  const sets = ((raw.E as unknown[] | undefined) ?? []).map(String);
  const unsets = ((raw.U as unknown[] | undefined) ?? []).map(String);
  let si = 0;
  let ui = 0;
  for (let i = 0; i < optionPart.length; i++) {
    const m = /^--?([^=]+)(=?)/.exec(optionPart[i]);
    if (!m || optionPart[i] === '--') continue;
    const name = m[1];
    const takesNext = m[2] === '' && valueOptions.some((o) => o.name === name);
    if (name === 'E' && si < sets.length) changes.push(...parseSetList(sets[si++], '-E'));
    if (name === 'U' && ui < unsets.length) changes.push(...parseUnsetList(unsets[ui++], '-U'));
    if (takesNext) i++; // the value, even if it looks like an option
  }
  return changes;
}

function jitSetting(v: string | undefined): CliArgs['jit'] {
  if (v === undefined || v === 'off' || v === 'interp' || v === 'wasm') return v;
  throw new UserError(`invalid --jit mode '${v}' (off, interp or wasm)`);
}
