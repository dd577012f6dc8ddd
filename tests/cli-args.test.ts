import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/parse-args.js';
import { applyEnvChanges, parseSize } from '../src/cli/values.js';
import { UserError } from '../src/types.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseArgs(argv, env);
function err(argv: string[], env: Record<string, string> = {}): string {
  try {
    parse(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('qemu-user option spellings', () => {
  it('parses every option with its value', () => {
    const a = parse([
      '-L', '/sysroot', '-E', 'A=1', '-U', 'B', '-0', 'argv-zero', '-s', '1M', '-strace', '-d', 'in_asm,exec',
      '-D', '/tmp/log', '-cpu', 'rv64', '--arch', 'riscv64', '-g', '1234', 'prog', 'x',
    ]);
    expect(a).toMatchObject({
      ldPrefix: '/sysroot', argv0: 'argv-zero', stackSize: 1 << 20, strace: true, logItems: ['in_asm', 'exec'],
      logFile: '/tmp/log', cpu: 'rv64', arch: 'riscv64', gdb: '1234', program: 'prog', args: ['x'],
      envChanges: [{ name: 'A', value: '1' }, { name: 'B' }], help: false, version: false, logHelp: false,
    });
  });

  it('takes double-dash spellings too, as qemu does', () => {
    expect(parse(['--L', '/s', '--strace', '--cpu', 'rv64', 'p'])).toMatchObject({ ldPrefix: '/s', strace: true, cpu: 'rv64', program: 'p' });
  });

  it('does not split single-dash long options into letters', () => {
    const a = parse(['-strace', 'p']);
    expect(a.strace).toBe(true);
    expect(a.stackSize).toBeUndefined();
  });

  it('-h, -help, -version, -d help', () => {
    expect(parse(['-h']).help).toBe(true);
    expect(parse(['-help']).help).toBe(true);
    expect(parse(['--help']).help).toBe(true);
    expect(parse(['-version']).version).toBe(true);
    expect(parse(['-d', 'help']).logHelp).toBe(true);
    expect(parse(['-cpu', 'help']).cpu).toBe('help');
  });

  it('a value may start with a dash (-0 -bash)', () => {
    expect(parse(['-0', '-bash', '/bin/bash'])).toMatchObject({ argv0: '-bash', program: '/bin/bash', args: [] });
  });

  it('the last of a repeated option wins', () => {
    expect(parse(['-L', '/a', '-L', '/b', 'p']).ldPrefix).toBe('/b');
  });
});

describe('where options end', () => {
  it('at the program: its arguments pass untouched, options and -- included', () => {
    const a = parse(['-strace', 'prog', '-L', 'x', '-strace', '--', '-h', '5', '']);
    expect(a.program).toBe('prog');
    expect(a.args).toEqual(['-L', 'x', '-strace', '--', '-h', '5', '']);
    expect(a.ldPrefix).toBeUndefined();
    expect(a.help).toBe(false);
  });

  it('at --: what follows is the program even if it looks like an option', () => {
    expect(parse(['-L', '/s', '--', '-weird-name', '-h'])).toMatchObject({ ldPrefix: '/s', program: '-weird-name', args: ['-h'], help: false });
    expect(parse(['--', 'prog', '--', 'a'])).toMatchObject({ program: 'prog', args: ['--', 'a'] });
  });

  it('no program at all', () => {
    expect(parse(['-strace']).program).toBeUndefined();
    expect(parse([]).program).toBeUndefined();
  });
});

describe('QEMU_* environment variables', () => {
  it('give the settings', () => {
    const a = parse(['p'], {
      QEMU_LD_PREFIX: '/sr', QEMU_STACK_SIZE: '0x20000', QEMU_ARGV0: 'zero', QEMU_STRACE: '', QEMU_LOG: 'unimp',
      QEMU_LOG_FILENAME: 'l.txt', QEMU_CPU: 'rv64', QEMU_GDB: '9000',
    });
    expect(a).toMatchObject({ ldPrefix: '/sr', stackSize: 0x20000, argv0: 'zero', strace: true, logItems: ['unimp'], logFile: 'l.txt', cpu: 'rv64', gdb: '9000' });
  });

  it('lose to the command line', () => {
    expect(parse(['-L', '/cmd', '-s', '2M', 'p'], { QEMU_LD_PREFIX: '/env', QEMU_STACK_SIZE: '1M' })).toMatchObject({ ldPrefix: '/cmd', stackSize: 2 << 20 });
  });

  it('-E/-U changes: variables first, then options in command-line order; the last change wins', () => {
    const a = parse(['-U', 'X', '-E', 'X=2,Y=3', '-0', '-E', '-U', 'Y', 'p'], { QEMU_SET_ENV: 'X=1', QEMU_UNSET_ENV: 'HOME' });
    // "-0 -E" is argv0 "-E", not an -E option
    expect(a.argv0).toBe('-E');
    expect(a.envChanges).toEqual([
      { name: 'X', value: '1' }, { name: 'HOME' }, { name: 'X' }, { name: 'X', value: '2' }, { name: 'Y', value: '3' }, { name: 'Y' },
    ]);
    expect(applyEnvChanges({ HOME: '/root', PATH: '/bin', Y: 'old' }, a.envChanges)).toEqual(['PATH=/bin', 'X=2']);
  });

  it('the guest gets the host environment with the changes applied', () => {
    const a = parse(['-E', 'NEW=v=w', '-U', 'GONE', 'p']);
    expect(applyEnvChanges({ KEEP: 'k', GONE: 'g' }, a.envChanges)).toEqual(['KEEP=k', 'NEW=v=w']);
  });
});

describe('errors', () => {
  it('unknown option, qemu-like', () => {
    expect(err(['-foo', 'p'])).toBe("unknown option 'foo' (crossrun -h lists the options)");
    expect(err(['-x'])).toMatch(/unknown option 'x'/);
  });
  it('qemu-user options we do not have are named as such', () => {
    expect(err(['-seed', '5', 'p'])).toBe("qemu-user's -seed option is not supported by crossrun");
    expect(err(['-singlestep', 'p'])).toBe("qemu-user's -singlestep option is not supported by crossrun");
  });
  it('missing argument', () => {
    expect(err(['-L'])).toBe("missing argument for option 'L'");
  });
  it('flag given a value', () => {
    expect(err(['-strace=1', 'p'])).toBe("option 'strace' takes no argument");
  });
  it('bad -d item', () => {
    expect(err(['-d', 'in_asm,bogus', 'p'])).toBe("unknown log item 'bogus' for -d ('-d help' lists them)");
    expect(err(['p'], { QEMU_LOG: 'nope' })).toMatch(/unknown log item 'nope'/);
  });
  it('bad -E / -U items', () => {
    expect(err(['-E', 'NOEQUALS', 'p'])).toBe("-E expects var=value, got 'NOEQUALS'");
    expect(err(['-U', 'A=1', 'p'])).toBe("-U expects a variable name, got 'A=1'");
    expect(err(['p'], { QEMU_SET_ENV: '=x' })).toMatch(/QEMU_SET_ENV expects var=value/);
  });
});

describe('sizes (-s)', () => {
  it('reads numbers as strtoul does, with k/M/G suffixes', () => {
    expect(parseSize('8388608', '-s')).toBe(8 << 20);
    expect(parseSize('0x10000', '-s')).toBe(0x10000);
    expect(parseSize('010', '-s')).toBe(8);
    expect(parseSize('512k', '-s')).toBe(512 << 10);
    expect(parseSize('512K', '-s')).toBe(512 << 10);
    expect(parseSize('16M', '-s')).toBe(16 << 20);
    expect(parseSize('1G', '-s')).toBe(1 << 30);
  });
  it('rejects zero, junk and huge sizes', () => {
    for (const bad of ['0', '', 'x', '10x', '1.5M', '-5', '08']) expect(() => parseSize(bad, '-s')).toThrow(/invalid size/);
    expect(() => parseSize('2G', '-s')).toThrow(/too large/);
  });
});
