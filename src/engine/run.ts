// run(options): load the program, build its process, run it (and the processes it starts) to
// the end.
import { archByName, archForMachine, ARCHES } from '../arch/registry.js';
import { machineName } from '../elf/machines.js';
import { readExecutable } from '../elf/load.js';
import { parseElf } from '../elf/parse.js';
import { Logger } from '../log.js';
import type { RunOptions, RunResult } from '../index.js';
import { UserError } from '../types.js';
import { hostVfs, Linux } from '../../syscalls/index.js';
import { loadImage } from './image.js';
import { Machine } from './machine.js';
import { storeFor } from './translation-store.js';
import { posix } from 'node:path';

export async function run(opts: RunOptions): Promise<RunResult> {
  const logger = opts.logger ?? new Logger();
  const fs = opts.fs ?? hostVfs({ prefix: opts.ldPrefix });
  const path = opts.argv[0];
  if (path === undefined) throw new UserError('no program given');
  const given = opts.program;
  const elf = given !== undefined && given.path === path && opts.fs === undefined ? given.elf : parseElf(readExecutable(fs, path), path);
  const arch = opts.arch !== undefined ? archByName(opts.arch) : archForMachine(elf.machine, elf.class);
  if (arch === undefined) {
    const supported = ARCHES.map((a) => a.name).join(', ');
    const what = opts.arch !== undefined ? `unknown --arch '${opts.arch}'` : `${path}: ${machineName(elf.machine, elf.class)} programs are not supported`;
    throw new UserError(`${what}; supported: ${supported}`);
  }
  if (opts.cpu !== undefined && !arch.cpus.some((c) => c.name === opts.cpu)) {
    throw new UserError(`unknown CPU model '${opts.cpu}' for ${arch.name} (try -cpu help)`);
  }

  const exePath = posix.resolve(fs.initialCwd, path);
  const argv = [opts.argv0 ?? path, ...opts.argv.slice(1)];
  const image = loadImage({ arch, elf, fs, argv, env: opts.env, execfn: path, ldPrefix: opts.ldPrefix, stackSize: opts.stackSize });
  const { mem, rt } = image;
  const linux = new Linux({
    mem,
    abi: arch.syscallAbi,
    unameMachine: arch.unameMachine,
    cpuinfo: arch.cpuinfo,
    fs,
    stdin: opts.stdin,
    stdout: opts.stdout,
    stderr: opts.stderr,
    exePath,
    brkStart: image.brkStart,
    logger,
    argv,
    env: opts.env,
    auxv: image.auxv,
  });
  const machine = new Machine(arch, mem, rt, linux, logger);
  machine.useStore(storeFor(arch, elf));
  machine.programMap = image.mapName;
  machine.pc = image.entry;
  const { attachTier1 } = await import('../jit/wasm/tier.js'); // tier 1 (--jit), loaded lazily
  // Every process the guest starts (fork, execve) gets its own tier 1 the same way.
  machine.sched.life.configure({ attach: (m) => void attachTier1(m, opts.jit), ldPrefix: opts.ldPrefix, stackSize: opts.stackSize });
  attachTier1(machine, opts.jit);
  if (opts.gdb === undefined) return machine.run();
  if (arch.gdb === undefined) throw new UserError(`-g: debugging ${arch.name} programs is not supported yet`);
  // Loaded only for -g: a plain run does not pay for the stub.
  const { serveGdb } = await import('../gdb/server.js');
  return serveGdb(machine, opts.gdb);
}
