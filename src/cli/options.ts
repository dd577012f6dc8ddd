// The command-line options: one table drives the yargs parser configuration, the QEMU_* environment
// variables and the -h text. Spellings and semantics follow qemu-user (single dash, long names).

export interface OptionSpec {
  /** As typed after the dash: "L", "cpu", "0". */
  name: string;
  /** Placeholder for the value in -h; absent for a flag. */
  arg?: string;
  /** qemu-user's environment variable for the same setting. */
  env?: string;
  help: string;
  /** -E and -U: every occurrence counts (others: the last one wins). */
  repeats?: boolean;
  /** crossrun's own options are spelled with two dashes in -h (either spelling parses). */
  ours?: boolean;
}

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'h', help: 'print this help' },
  { name: 'help', help: '' },
  { name: 'g', arg: 'port', env: 'QEMU_GDB', help: "wait for a gdb connection on 'port'" },
  { name: 'L', arg: 'path', env: 'QEMU_LD_PREFIX', help: "look for the ELF interpreter (and absolute paths) under 'path' first" },
  { name: 's', arg: 'size', env: 'QEMU_STACK_SIZE', help: "set the stack size to 'size' bytes (suffixes k, M, G)" },
  { name: 'cpu', arg: 'model', env: 'QEMU_CPU', help: 'select the CPU model (-cpu help for a list)' },
  { name: 'arch', arg: 'name', help: "run as this ISA instead of the ELF header's ('--arch help' lists them)", ours: true },
  { name: 'jit', arg: 'mode', env: 'CROSSRUN_JIT', help: "translation tiers: 'wasm' (default: hot code compiled to WebAssembly), 'interp' or 'off' (tier 0 only)", ours: true },
  { name: 'E', arg: 'var=value', env: 'QEMU_SET_ENV', help: 'set a variable in the target environment (see below)', repeats: true },
  { name: 'U', arg: 'var', env: 'QEMU_UNSET_ENV', help: 'remove a variable from the target environment (see below)', repeats: true },
  { name: '0', arg: 'argv0', env: 'QEMU_ARGV0', help: "make the target process's argv[0] 'argv0'" },
  { name: 'd', arg: 'item[,...]', env: 'QEMU_LOG', help: "log the given items ('-d help' lists them)" },
  { name: 'D', arg: 'logfile', env: 'QEMU_LOG_FILENAME', help: "write the log to 'logfile' (default: stderr)" },
  { name: 'strace', env: 'QEMU_STRACE', help: 'log system calls' },
  { name: 'version', help: 'print version information and exit' },
];

export const OPTION_NAMES: ReadonlySet<string> = new Set(OPTIONS.map((o) => o.name));

/** qemu-user options crossrun does not have: named as such instead of "unknown option". */
export const QEMU_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  'r', 'B', 'R', 'p', 'dfilter', 'singlestep', 'one-insn-per-tb', 'seed', 'trace', 'plugin',
]);
