// The guest process tree: fixtures/procs-unit/procs.c (built static for riscv64 and aarch64 by
// fixtures/procs-unit/build.sh, which records the expected output by running the same source
// natively) forks, execs, waits, pipes, signals and groups processes inside crossrun. Its output
// carries no pids, so it must match the native run byte for byte.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { Machine, type DebugStop } from '../src/engine/machine.js';
import { loadImage } from '../src/engine/image.js';
import { readExecutable } from '../src/elf/load.js';
import { parseElf } from '../src/elf/parse.js';
import { hostVfs, Linux } from '../syscalls/index.js';
import { Logger, type LogItem } from '../src/log.js';

const DIR = resolve('fixtures/procs-unit');
const ARCHES = ['riscv64', 'aarch64'] as const;
const TIMEOUT_MS = 60_000;
const tmp = mkdtempSync(join(tmpdir(), 'crossrun-procs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ran {
  stdout: string;
  exitCode: number;
  signal?: number;
  log: string[];
}

async function procs(arch: string, args: string[], items: LogItem[] = [], jit: 'interp' | 'wasm' = 'wasm'): Promise<Ran> {
  const out: Buffer[] = [];
  const log: string[] = [];
  const r = await run({
    argv: [join(DIR, `procs.${arch}`), ...args], env: [], jit, stdin: new Uint8Array(0),
    stdout: (b) => void out.push(Buffer.from(b)),
    stderr: (b) => void out.push(Buffer.from(b)),
    logger: new Logger(new Set(items), (l) => void log.push(l)),
  });
  return { stdout: Buffer.concat(out).toString(), exitCode: r.exitCode, signal: r.signal, log };
}

const expected = (name: string): string => readFileSync(join(DIR, 'expected', `${name}.txt`), 'utf8');

describe.each(ARCHES)('process tree on %s', (arch) => {
  for (const c of ['fork-status', 'pipes', 'sigchld', 'groups']) {
    it(`${c}: as the native build prints`, async () => {
      const r = await procs(arch, [c]);
      expect(r.stdout).toBe(expected(c));
      expect(r.exitCode).toBe(0);
    }, TIMEOUT_MS);
  }

  it('exec of itself (/proc/self/exe) with args and env, exec errors, close-on-exec, vfork, posix_spawn', async () => {
    const dir = mkdtempSync(join(tmp, `${arch}-exec-`));
    const r = await procs(arch, ['exec-self', dir]);
    expect(r.stdout).toBe(expected('exec-self'));
  }, TIMEOUT_MS);

  it('#! scripts chain up to 5 deep; a 6th level is ELOOP', async () => {
    const dir = mkdtempSync(join(tmp, `${arch}-chain-`));
    writeFileSync(join(dir, 's1'), `#!${join(DIR, `procs.${arch}`)} echo-args\n`);
    for (let i = 2; i <= 6; i++) writeFileSync(join(dir, `s${i}`), `#!${join(dir, `s${i - 1}`)}\n`);
    for (let i = 1; i <= 6; i++) chmodSync(join(dir, `s${i}`), 0o755);
    for (const n of [5, 6]) expect((await procs(arch, ['exec-script', join(dir, `s${n}`)])).stdout).toBe(expected(`exec-chain${n}`));
  }, TIMEOUT_MS);

  for (const interp of ARCHES) {
    it(`exec of a #! script whose interpreter is the ${interp} build`, async () => {
      const script = join(tmp, `${arch}-via-${interp}.sh`);
      writeFileSync(script, `#!${join(DIR, `procs.${interp}`)} echo-args\n`);
      chmodSync(script, 0o755);
      const r = await procs(arch, ['exec-script', script]);
      // The script's basename differs from the recorded one ("script").
      expect(r.stdout).toBe(expected('exec-script').replace('arg1=script', `arg1=${arch}-via-${interp}.sh`));
    }, TIMEOUT_MS);
  }
});

describe('process tree: engine', () => {
  // A host-native program (here the host's /bin/sh running a script) is spawned by the host; the
  // guest's stdout is a byte sink here, so its output is collected and written into it.
  const hostShell = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch) && existsSync('/bin/sh');
  it.skipIf(!hostShell)('execve of a host program: run by the host, its status is the process status', async () => {
    const script = join(tmp, 'host.sh');
    writeFileSync(script, '#!/bin/sh\necho "host $1 $2"\nexit 3\n');
    chmodSync(script, 0o755);
    const r = await procs('riscv64', ['exec-script', script]);
    expect(r.stdout).toBe('host x1 x2\nscript child: exited 3\n');
  }, TIMEOUT_MS);

  it.skipIf(!hostShell)('system() and popen() in both directions through the host /bin/sh', async () => {
    for (const arch of ARCHES) expect((await procs(arch, ['shell'])).stdout).toBe(expected('shell'));
  }, TIMEOUT_MS);

  it("crossrun's status is the first process's", async () => {
    expect((await procs('riscv64', ['exit', '42'])).exitCode).toBe(42);
  });

  it('-strace lines carry the calling process pid; each fork is logged with its cost', async () => {
    const r = await procs('riscv64', ['fork-status'], ['strace', 'page'], 'interp');
    const top = Number(/^(\d+) /.exec(r.log[0])?.[1]);
    const children = r.log.flatMap((l) => {
      const m = new RegExp(`^${top} clone\\(.*\\) = (\\d+)$`).exec(l);
      return m ? [Number(m[1])] : [];
    });
    expect(children.length).toBe(9); // the forks fork-status makes
    expect(new Set(children).size).toBe(9);
    expect(children.every((c) => c !== top)).toBe(true);
    // the child that exits 3 says so under its own pid
    expect(children.some((c) => r.log.includes(`${c} exit_group(3)`))).toBe(true);
    expect(r.log.some((l) => l.startsWith(`${top} wait4(`))).toBe(true);
    expect(r.log.filter((l) => /^crossrun: fork \d+ -> \d+ in [\d.]+ ms$/.test(l)).length).toBe(9);
  }, TIMEOUT_MS);

  it('a debugged run (gdb) follows the first process; the children it forks run undebugged', () => {
    const path = join(DIR, 'procs.aarch64');
    const fs = hostVfs();
    const elf = parseElf(readExecutable(fs, path), path);
    const argv = [path, 'fork-status'];
    const image = loadImage({ arch: aarch64, elf, fs, argv, env: [], execfn: path });
    const out: Buffer[] = [];
    const linux = new Linux({
      mem: image.mem, abi: aarch64.syscallAbi, unameMachine: aarch64.unameMachine, fs, exePath: path, brkStart: image.brkStart,
      logger: new Logger(), argv, env: [], auxv: image.auxv, stdout: (b) => void out.push(Buffer.from(b)), stderr: () => {},
    });
    const m = new Machine(aarch64, image.mem, image.rt, linux, new Logger());
    m.pc = image.entry;
    let stop: DebugStop;
    do stop = m.debugRun(false, 2000);
    while (stop.kind === 'budget');
    expect(stop).toEqual({ kind: 'exited', result: { exitCode: 0 } });
    expect(Buffer.concat(out).toString()).toBe(expected('fork-status'));
  }, TIMEOUT_MS);
});
