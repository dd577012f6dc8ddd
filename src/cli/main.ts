// `crossrun [options] PROGRAM [ARGS...]`: parse the qemu-user style command line, check the program
// (exists, executable, an ELF file for an ISA we run), then hand over to the library's run() and
// turn its result into our exit status. Every failure is one line on stderr and exit status 1.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { ArchInfo } from '../arch/arch-info.js';
import { machineName } from '../elf/machines.js';
import { parseElf, type ElfFile } from '../elf/parse.js';
import type { RunOptions, RunResult } from '../index.js';
import { Logger, type LogItem } from '../log.js';
import { UserError } from '../types.js';
import { killSelf, signalMessage } from './exit-status.js';
import { cpuListText, logItemsText, usageText, versionText } from './help.js';
import { parseArgs, type CliArgs } from './parse-args.js';
import { readProgramFile } from './program-file.js';
import { applyEnvChanges } from './values.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The host environment (the guest's starts as a copy). */
  env: Readonly<Record<string, string | undefined>>;
  /** End this process by a signal; returns if that did not happen. */
  killSelf(signal: number): void;
}

/** What the CLI needs of src/arch/registry.ts: plain data, no front-end is loaded for it. */
export interface Registry {
  readonly ARCHES: readonly ArchInfo[];
  archForMachine(machine: number, elfClass: 32 | 64): ArchInfo | undefined;
}

/** What main reaches lazily, so that -h and argument errors do not load the emulator. */
export interface CliDeps {
  registry(): Promise<Registry>;
  run(options: RunOptions): Promise<RunResult> | RunResult;
}

let ran = false;
/** Whether main got as far as running a program (bin/crossrun.js writes its code cache then). */
export function ranProgram(): boolean {
  return ran;
}

const defaultDeps: CliDeps = {
  registry: async () => {
    const { ARCHES, archInfoForMachine } = await import('../arch/registry.js');
    return { ARCHES, archForMachine: archInfoForMachine };
  },
  run: async (options) => (await import('../index.js')).run(options),
};

/** Writes all of `text` to a host fd, also when it is a non-blocking pipe. */
function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN') throw e;
    }
  }
}

export const processIo: CliIo = {
  out: (text) => writeAll(1, text),
  err: (text) => writeAll(2, text),
  env: process.env,
  killSelf,
};

/** Runs the command line; resolves to the exit status. */
export async function main(argv: string[], io: CliIo = processIo, deps: CliDeps = defaultDeps): Promise<number> {
  try {
    return await runCli(argv, io, deps);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`crossrun: ${e.message}\n`);
      return e.exitCode;
    }
    const what = e instanceof Error ? e.message : String(e);
    io.err(`crossrun: internal error: ${what} (a crossrun bug; CROSSRUN_DEBUG=1 shows where)\n`);
    if (io.env.CROSSRUN_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  }
}

async function runCli(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const args = parseArgs(argv, io.env);
  if (args.help) return io.out(usageText()), 0;
  if (args.version) return io.out(versionText()), 0;
  if (args.logHelp) return io.out(logItemsText()), 0;

  if (args.cpu === 'help' || args.arch === 'help') {
    const { ARCHES } = await deps.registry();
    const arches = args.arch && args.arch !== 'help' ? [chooseArch(ARCHES, args.arch)] : ARCHES;
    return io.out(args.cpu === 'help' ? cpuListText(arches) : ARCHES.map((a) => a.name).join('\n') + '\n'), 0;
  }
  if (args.program === undefined) {
    throw new UserError('no program specified (usage: crossrun [options] PROGRAM [ARGS...]; crossrun -h for help)');
  }

  // Guest memory is a WebAssembly.Memory: no run without it (node --jitless turns it off).
  if (typeof WebAssembly === 'undefined') {
    throw new UserError('this Node.js has no WebAssembly (started with --jitless? check NODE_OPTIONS); crossrun needs it to run programs');
  }
  const registry = await deps.registry();
  const { arch, elf } = archForProgram(registry, args);
  if (args.cpu !== undefined && !arch.cpus.some((c) => c.name === args.cpu)) {
    throw new UserError(`unable to find CPU model '${args.cpu}' for ${arch.name} (crossrun -cpu help lists them)`);
  }

  const logger = makeLogger(args);
  try {
    ran = true;
    const result = await deps.run({
      argv: [args.program, ...args.args],
      argv0: args.argv0,
      env: applyEnvChanges(io.env, args.envChanges),
      ldPrefix: args.ldPrefix,
      arch: arch.name,
      cpu: args.cpu,
      stackSize: args.stackSize,
      logger: logger?.logger,
      gdb: args.gdb,
      jit: args.jit,
      program: { path: args.program, elf },
    });
    if (result.signal === undefined) return result.exitCode;
    const message = signalMessage(result);
    if (message) io.err(message + '\n');
    logger?.close();
    io.killSelf(result.signal);
    return 128 + result.signal;
  } finally {
    logger?.close();
  }
}

function chooseArch(arches: readonly ArchInfo[], name: string): ArchInfo {
  const arch = arches.find((a) => a.name === name);
  if (!arch) throw new UserError(`unknown architecture '${name}' for --arch (supported: ${arches.map((a) => a.name).join(', ')})`);
  return arch;
}

/** The ISA to run: --arch, else the one the ELF header names; with the parsed file (run() takes
 *  it rather than reading the file again). Reading it here gives the file errors (missing, not
 *  executable, not ELF, corrupt) before anything else starts. */
function archForProgram(registry: Registry, args: CliArgs): { arch: ArchInfo; elf: ElfFile } {
  const program = args.program as string;
  const forced = args.arch === undefined ? undefined : chooseArch(registry.ARCHES, args.arch);
  const elf = parseElf(readProgramFile(program, args.ldPrefix), program);
  if (forced) return { arch: forced, elf };
  const arch = registry.archForMachine(elf.machine, elf.class);
  if (arch) return { arch, elf };
  const what = `${machineName(elf.machine, elf.class)} (${elf.class}-bit ${elf.endian === 'le' ? 'little' : 'big'}-endian, e_machine ${elf.machine})`;
  const supported = registry.ARCHES.map((a) => a.name).join(', ');
  throw new UserError(`${program}: unsupported ISA ${what}; crossrun runs: ${supported}`);
}

/** -d / -strace / -D: the Logger, writing to stderr or the -D file (created even without items, as qemu does). */
function makeLogger(args: CliArgs): { logger: Logger; close(): void } | undefined {
  const items = new Set<LogItem>(args.logItems);
  if (args.strace) items.add('strace');
  if (items.size === 0 && args.logFile === undefined) return undefined;
  if (args.logFile === undefined) return { logger: new Logger(items), close() {} };
  let fd: number;
  try {
    fd = openSync(args.logFile, 'w');
  } catch (e) {
    throw new UserError(`cannot open log file '${args.logFile}' (-D): ${(e as Error).message}`);
  }
  let open = true;
  return {
    logger: new Logger(items, (line) => open && writeAll(fd, line + '\n')),
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
