// The library API: run(options). The CLI (src/cli) is a thin client of it.
export interface RunOptions {
  /** argv[0] is the program's path, opened through `fs` (after the -L prefix rule). */
  argv: string[];
  /** Overrides argv[0] as the guest sees it (-0). */
  argv0?: string;
  /** The guest environment as "NAME=value" strings, in order. */
  env: string[];
  /** The guest's filesystem: host (default, with ldPrefix) or an in-memory memfs volume. */
  fs?: import('../syscalls/vfs.js').Vfs;
  /** -L: prefix for the ELF interpreter and absolute paths (host fs only). */
  ldPrefix?: string;
  /** Guest stdio: a host fd, or in-memory bytes (stdin) / a byte sink (stdout, stderr). */
  stdin?: number | Uint8Array;
  stdout?: number | ((bytes: Uint8Array) => void);
  stderr?: number | ((bytes: Uint8Array) => void);
  /** Force the ISA (--arch) or pick a CPU model (-cpu); default: from the ELF header. */
  arch?: string;
  cpu?: string;
  /** -s: guest stack size in bytes (default 8 MiB). */
  stackSize?: number;
  /** -d items and the -D sink. */
  logger?: import('./log.js').Logger;
  /** --jit: 'wasm' (default) compiles hot code to WebAssembly regions; 'interp'/'off' run tier 0 only.
   *  Unset: $CROSSRUN_JIT, else 'wasm'. */
  jit?: 'off' | 'interp' | 'wasm';
  /** -g: gdbstub port or socket path (implemented by the gdbstub issue). */
  gdb?: string;
  /** argv[0] as the caller read and parsed it already, from the host filesystem with the same
   *  -L prefix rule (the CLI: it reads the header for its errors and the ISA). Taken when its path
   *  is argv[0] and `fs` is the host's: the file is then not read again. */
  program?: { readonly path: string; readonly elf: import('./elf/parse.js').ElfFile };
}

export interface RunResult {
  /** Exit status as a parent's wait() would decode it: a code, or the terminating signal. */
  exitCode: number;
  signal?: number;
  /** For signals: the guest pc where it was raised. */
  pc?: number;
}

export { run } from './engine/run.js';
