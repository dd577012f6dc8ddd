import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchSpec } from '../src/arch/arch.js';
import { main, type CliDeps, type CliIo } from '../src/cli/main.js';
import type { RunOptions, RunResult } from '../src/index.js';
import { LOG_ITEMS } from '../src/log.js';
import { UserError } from '../src/types.js';
import { EM_X86_64, buildElf, minimalRiscv } from './elf-helpers.js';

const fakeArch = {
  name: 'riscv64', elfMachine: 243, elfClass: 64, endian: 'le',
  cpus: [{ name: 'rv64', description: 'generic RV64GC' }, { name: 'sifive-u54', description: 'SiFive U54' }],
} as unknown as ArchSpec;
const otherArch = { name: 'toy32', elfMachine: 9999, elfClass: 32, endian: 'be', cpus: [{ name: 't1', description: 'toy' }] } as unknown as ArchSpec;

const dir = mkdtempSync(join(tmpdir(), 'crossrun-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, bytes: Uint8Array | string, mode = 0o755): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  chmodSync(p, mode);
  return p;
}
const prog = file('prog', minimalRiscv());

interface Session {
  code: number;
  out: string;
  err: string;
  runs: RunOptions[];
  killed: number[];
}

async function cli(argv: string[], opts: { env?: Record<string, string>; result?: RunResult | ((o: RunOptions) => RunResult) } = {}): Promise<Session> {
  const s: Session = { code: -1, out: '', err: '', runs: [], killed: [] };
  const io: CliIo = {
    out: (t) => void (s.out += t),
    err: (t) => void (s.err += t),
    env: opts.env ?? { PATH: '/usr/bin', HOME: '/home/u' },
    killSelf: (sig) => void s.killed.push(sig),
  };
  const deps: CliDeps = {
    registry: async () => ({
      ARCHES: [fakeArch, otherArch],
      archForMachine: (m: number, c: 32 | 64) => [fakeArch, otherArch].find((a) => a.elfMachine === m && a.elfClass === c),
    }),
    run: (o) => {
      s.runs.push(o);
      const r = opts.result ?? { exitCode: 0 };
      return typeof r === 'function' ? r(o) : r;
    },
  };
  s.code = await main(argv, io, deps);
  return s;
}

/** Failures: exactly one line on stderr, "crossrun: …", status 1, nothing run. */
function expectOneLineError(s: Session, pattern: RegExp): void {
  expect(s.code).toBe(1);
  expect(s.err).toMatch(/^crossrun: [^\n]+\n$/);
  expect(s.err).toMatch(pattern);
  expect(s.runs).toHaveLength(0);
}

describe('informational options', () => {
  it('-h: usage in qemu layout, exit 0', async () => {
    const s = await cli(['-h']);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/^usage: crossrun \[options\] program \[arguments\.\.\.\]\n/);
    expect(s.out).toMatch(/^Argument {13}Env-variable {6}Description$/m);
    expect(s.out).toMatch(/^-L path {14}QEMU_LD_PREFIX {4}\S/m);
    expect(s.out).toMatch(/^-strace {14}QEMU_STRACE/m);
    expect(s.out).toMatch(/^--arch name/m);
    expect(s.out).toMatch(/QEMU_STACK_SIZE = 8388608 byte/);
    expect(s.err).toBe('');
  });

  it('-version', async () => {
    const s = await cli(['-version']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(s).toMatchObject({ code: 0, out: `crossrun version ${pkg.version} (qemu-user compatible)\n` });
  });

  it('-d help lists the log items', async () => {
    const s = await cli(['-d', 'help']);
    expect(s.code).toBe(0);
    const lines = s.out.trim().split('\n');
    expect(lines[0]).toBe('Log items (comma separated):');
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(LOG_ITEMS.map((i) => i.name));
  });

  it('-cpu help lists each ISA’s models, the first as default', async () => {
    const s = await cli(['-cpu', 'help']);
    expect(s.code).toBe(0);
    expect(s.out).toBe(
      'Available CPUs for riscv64:\n  rv64        generic RV64GC (default)\n  sifive-u54  SiFive U54\nAvailable CPUs for toy32:\n  t1  toy (default)\n',
    );
    expect((await cli(['--arch', 'toy32', '-cpu', 'help'])).out).toBe('Available CPUs for toy32:\n  t1  toy (default)\n');
  });
});

describe('running a program', () => {
  it('passes argv, env (host env with -E/-U), -L, -0, -s, -cpu, -g and the log to run()', async () => {
    const s = await cli(['-L', '/sr', '-E', 'A=1', '-U', 'HOME', '-0', 'zero', '-s', '64k', '-cpu', 'sifive-u54', '-g', '1234', '-strace', prog, '-x', '--', 'y'], {
      result: { exitCode: 7 },
    });
    expect(s.code).toBe(7);
    expect(s.err).toBe('');
    expect(s.runs).toHaveLength(1);
    const o = s.runs[0];
    expect(o).toMatchObject({
      argv: [prog, '-x', '--', 'y'], argv0: 'zero', env: ['PATH=/usr/bin', 'A=1'], ldPrefix: '/sr', arch: 'riscv64',
      cpu: 'sifive-u54', stackSize: 65536, gdb: '1234',
    });
    expect([...(o.logger?.items ?? [])]).toEqual(['strace']);
  });

  it('no log sink without -d/-strace/-D', async () => {
    const s = await cli([prog]);
    expect(s.runs[0].logger).toBeUndefined();
  });

  it('-D writes the log to a file', async () => {
    const log = join(dir, 'log.txt');
    writeFileSync(log, 'old contents\n');
    const s = await cli(['-d', 'unimp', '-D', log, prog], {
      result: (o) => {
        o.logger?.log('hello log');
        return { exitCode: 0 };
      },
    });
    expect(s).toMatchObject({ code: 0, err: '' });
    expect(readFileSync(log, 'utf8')).toBe('hello log\n');
  });

  it('an unexpected exception is an internal error line, not a stack trace', async () => {
    const s = await cli([prog], {
      result: () => {
        throw new Error('boom');
      },
    });
    expect(s).toMatchObject({ code: 1, err: 'crossrun: internal error: boom (a crossrun bug; CROSSRUN_DEBUG=1 shows where)\n' });
  });

  it('--arch forces the ISA', async () => {
    const s = await cli(['--arch', 'toy32', prog]);
    expect(s.runs[0].arch).toBe('toy32');
  });

  it('a guest killed by a signal: qemu-style line, then our own death by that signal', async () => {
    const s = await cli([prog], { result: { exitCode: 139, signal: 11, pc: 0x10234 } });
    expect(s.err).toBe('crossrun: uncaught target signal 11 (Segmentation fault) - core dumped (guest pc 0x10234)\n');
    expect(s.killed).toEqual([11]);
    expect(s.code).toBe(139); // if the signal did not end us
  });

  it('SIGPIPE and SIGINT deaths are silent, as in a shell', async () => {
    const s = await cli([prog], { result: { exitCode: 141, signal: 13 } });
    expect(s).toMatchObject({ err: '', killed: [13], code: 141 });
  });

  it('a UserError from the engine is one line (e.g. the interpreter is missing)', async () => {
    const s = await cli([prog], {
      result: () => {
        throw new UserError("Could not open '/lib/ld.so': No such file or directory — pass -L <sysroot>");
      },
    });
    expect(s).toMatchObject({ code: 1, err: "crossrun: Could not open '/lib/ld.so': No such file or directory — pass -L <sysroot>\n" });
  });
});

describe('errors are one line and exit status 1', () => {
  it('no program', async () => {
    expectOneLineError(await cli([]), /no program specified \(usage: crossrun \[options\] PROGRAM \[ARGS\.\.\.\]/);
  });
  it('unknown option', async () => {
    expectOneLineError(await cli(['-bogus', prog]), /^crossrun: unknown option 'bogus'/);
  });
  it('missing option argument', async () => {
    expectOneLineError(await cli(['-cpu']), /^crossrun: missing argument for option 'cpu'\n$/);
  });
  it('missing program file', async () => {
    expectOneLineError(await cli([join(dir, 'nope')]), /nope: No such file or directory\n$/);
  });
  it('a directory', async () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    expectOneLineError(await cli([join(dir, 'sub')]), /sub: Is a directory/);
  });
  it('not executable', async () => {
    const p = file('noexec', minimalRiscv(), 0o644);
    expectOneLineError(await cli([p]), /noexec: Permission denied \(the file is not executable; chmod \+x /);
  });
  it('not an ELF file', async () => {
    const p = file('text', 'just some text\n');
    expectOneLineError(await cli([p]), /text is not an ELF file\n$/);
  });
  it('truncated ELF', async () => {
    const p = file('trunc', minimalRiscv().slice(0, 0x1240));
    expectOneLineError(await cli([p]), /trunc: truncated ELF file: segment 1/);
  });
  it('unsupported ISA: named, with the supported list', async () => {
    const p = file('x86', buildElf({ machine: EM_X86_64, segments: [{ vaddr: 0x400000, data: new Uint8Array(0x100), coversHeaders: true }] }));
    expectOneLineError(await cli([p]), /x86: unsupported ISA x86-64 \(64-bit little-endian, e_machine 62\); crossrun runs: riscv64, toy32\n$/);
  });
  it('unknown CPU model for the ISA', async () => {
    expectOneLineError(await cli(['-cpu', 'cortex-a53', prog]), /unable to find CPU model 'cortex-a53' for riscv64 \(crossrun -cpu help lists them\)/);
  });
  it('unknown --arch', async () => {
    expectOneLineError(await cli(['--arch', 'vax', prog]), /unknown architecture 'vax' for --arch \(supported: riscv64, toy32\)/);
  });
  it('bad -s', async () => {
    expectOneLineError(await cli(['-s', '10x', prog]), /invalid size '10x' for -s/);
  });
  it('an unwritable -D file', async () => {
    expectOneLineError(await cli(['-D', join(dir, 'no/such/dir/log'), prog]), /cannot open log file .*\(-D\)/);
  });
});
