// run(options): load the program, build its process, run it to the end.
import { archByName, archForMachine, ARCHES } from '../arch/registry.js';
import { machineName } from '../elf/machines.js';
import { loadElf, readExecutable } from '../elf/load.js';
import { parseElf } from '../elf/parse.js';
import { buildInitialStack } from '../elf/stack.js';
import { Fpu } from '../jit/fpu.js';
import { Tier0Runtime } from '../jit/runtime.js';
import { Logger } from '../log.js';
import { AddressSpace } from '../mem/address-space.js';
import type { RunOptions, RunResult } from '../index.js';
import { UserError } from '../types.js';
import { hostVfs, Linux } from '../../syscalls/index.js';
import { Machine } from './machine.js';
import { posix } from 'node:path';

export async function run(opts: RunOptions): Promise<RunResult> {
  const logger = opts.logger ?? new Logger();
  const fs = opts.fs ?? hostVfs({ prefix: opts.ldPrefix });
  const path = opts.argv[0];
  if (path === undefined) throw new UserError('no program given');
  const elf = parseElf(readExecutable(fs, path), path);
  const arch = opts.arch !== undefined ? archByName(opts.arch) : archForMachine(elf.machine, elf.class);
  if (arch === undefined) {
    const supported = ARCHES.map((a) => a.name).join(', ');
    const what = opts.arch !== undefined ? `unknown --arch '${opts.arch}'` : `${path}: ${machineName(elf.machine, elf.class)} programs are not supported`;
    throw new UserError(`${what}; supported: ${supported}`);
  }
  if (opts.cpu !== undefined && !arch.cpus.some((c) => c.name === opts.cpu)) {
    throw new UserError(`unknown CPU model '${opts.cpu}' for ${arch.name} (try -cpu help)`);
  }

  const mem = new AddressSpace();
  const exePath = posix.resolve(fs.initialCwd, path);
  const program = loadElf(mem, fs, elf, { ldPrefix: opts.ldPrefix });
  const argv = [opts.argv0 ?? path, ...opts.argv.slice(1)];
  const stack = buildInitialStack(mem, {
    argv,
    env: opts.env,
    execfn: path,
    program,
    wordBytes: arch.elfClass === 64 ? 8 : 4,
    endian: arch.endian,
    hwcap: arch.hwcap,
    hwcap2: arch.hwcap2,
    stackSize: opts.stackSize,
  });

  const rt = new Tier0Runtime(mem, arch.nslots, new Fpu(arch.fpEnv));
  arch.initState(rt.S, program.entry, stack.sp);
  rt.S[arch.spSlot] = BigInt(stack.sp);
  const linux = new Linux({
    mem,
    abi: arch.syscallAbi,
    unameMachine: arch.unameMachine,
    fs,
    stdin: opts.stdin,
    stdout: opts.stdout,
    stderr: opts.stderr,
    exePath,
    brkStart: program.brkStart,
    logger,
    argv,
    env: opts.env,
    auxv: stack.auxv,
  });
  const machine = new Machine(arch, mem, rt, linux, logger);
  machine.pc = program.entry;
  (await import('../jit/wasm/tier.js')).attachTier1(machine, opts.jit); // tier 1 (--jit), loaded lazily
  if (opts.gdb === undefined) return machine.run();
  if (arch.gdb === undefined) throw new UserError(`-g: debugging ${arch.name} programs is not supported yet`);
  // Loaded only for -g: a plain run does not pay for the stub.
  const { serveGdb } = await import('../gdb/server.js');
  return serveGdb(machine, opts.gdb);
}
