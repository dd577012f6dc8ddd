import { describe, expect, it } from 'vitest';
import { AT } from '../src/elf/constants.js';
import { buildInitialStack, type StackParams } from '../src/elf/stack.js';
import { AddressSpace, Layout } from '../src/mem/address-space.js';
import { UserError } from '../src/types.js';

const program = { phdrAddr: 0x10040, phent: 56, phnum: 9, base: 0xeffd0000, programEntry: 0x10550, execStack: false };
const random = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

/** Reads the stack back the way a libc's _start does: argc, argv[], envp[], auxv[]. */
function readBack(mem: AddressSpace, sp: number, word: 4 | 8, le: boolean) {
  const get = (a: number) => (word === 8 ? Number(mem.view.getBigUint64(a, le)) : mem.view.getUint32(a, le));
  let p = sp;
  const next = () => {
    const v = get(p);
    p += word;
    return v;
  };
  const argc = next();
  const argv: string[] = [];
  for (let i = 0; i < argc; i++) argv.push(mem.readCString(next()));
  const argvEnd = next();
  const env: string[] = [];
  for (let a = next(); a !== 0; a = next()) env.push(mem.readCString(a));
  const auxv = new Map<number, number>();
  const order: number[] = [];
  for (;;) {
    const type = next();
    const value = next();
    order.push(type);
    if (type === AT.NULL) break;
    auxv.set(type, value);
  }
  return { argc, argv, argvEnd, env, auxv, order, end: p };
}

function build(mem: AddressSpace, over: Partial<StackParams> = {}) {
  return buildInitialStack(mem, {
    argv: ['/bin/prog', 'one', 'zwei drei', ''],
    env: ['HOME=/root', 'LANG=C.UTF-8', 'EMPTY='],
    execfn: '/bin/prog',
    program,
    wordBytes: 8,
    endian: 'le',
    hwcap: 0x112dn,
    random,
    ids: { uid: 1000, euid: 1001, gid: 100, egid: 101 },
    ...over,
  });
}

describe('initial stack, 64-bit little-endian', () => {
  const mem = new AddressSpace();
  const st = build(mem);
  const back = readBack(mem, st.sp, 8, true);

  it('maps an R|W [stack] below STACK_TOP with the default 8 MiB', () => {
    const r = mem.list().find((x) => x.name === '[stack]');
    expect(r).toMatchObject({ start: Layout.STACK_TOP - (8 << 20), end: Layout.STACK_TOP, prot: 3 });
  });

  it('has argc, argv, envp in order with their NULLs, sp 16-byte aligned', () => {
    expect(st.sp % 16).toBe(0);
    expect(back.argc).toBe(4);
    expect(back.argv).toEqual(['/bin/prog', 'one', 'zwei drei', '']);
    expect(back.argvEnd).toBe(0);
    expect(back.env).toEqual(['HOME=/root', 'LANG=C.UTF-8', 'EMPTY=']);
    expect(st.argvAddr).toBe(st.sp + 8);
    expect(st.envpAddr).toBe(st.sp + 8 * 6);
  });

  it('has the auxv Linux gives, in create_elf_tables order', () => {
    expect(back.order).toEqual([
      AT.HWCAP, AT.PAGESZ, AT.CLKTCK, AT.PHDR, AT.PHENT, AT.PHNUM, AT.BASE, AT.FLAGS, AT.ENTRY,
      AT.UID, AT.EUID, AT.GID, AT.EGID, AT.SECURE, AT.RANDOM, AT.EXECFN, AT.NULL,
    ]);
    const a = back.auxv;
    expect([a.get(AT.PHDR), a.get(AT.PHENT), a.get(AT.PHNUM), a.get(AT.BASE), a.get(AT.ENTRY)]).toEqual([0x10040, 56, 9, 0xeffd0000, 0x10550]);
    expect([a.get(AT.PAGESZ), a.get(AT.CLKTCK), a.get(AT.FLAGS), a.get(AT.SECURE), a.get(AT.HWCAP)]).toEqual([4096, 100, 0, 0, 0x112d]);
    expect([a.get(AT.UID), a.get(AT.EUID), a.get(AT.GID), a.get(AT.EGID)]).toEqual([1000, 1001, 100, 101]);
    expect(mem.readCString(a.get(AT.EXECFN) as number)).toBe('/bin/prog');
    expect([...mem.bytes.subarray(a.get(AT.RANDOM) as number, (a.get(AT.RANDOM) as number) + 16)]).toEqual([...random]);
  });

  it('returns the same auxv it wrote', () => {
    expect(st.auxv.map(([t, v]) => [t, Number(v)])).toEqual(back.order.map((t) => [t, t === AT.NULL ? 0 : back.auxv.get(t)]));
  });

  it('lays the strings out as exec does: argv, then envp, then AT_EXECFN, then a zero word at the top', () => {
    const argv0 = Number(mem.view.getBigUint64(st.argvAddr, true));
    const env0 = Number(mem.view.getBigUint64(st.envpAddr, true));
    expect(argv0).toBeLessThan(env0);
    expect(env0).toBeLessThan(st.execfnAddr);
    // consecutive strings, nothing between them
    expect(Buffer.from(mem.bytes.subarray(argv0, Layout.STACK_TOP)).toString('latin1')).toBe(
      '/bin/prog\0one\0zwei drei\0\0HOME=/root\0LANG=C.UTF-8\0EMPTY=\0/bin/prog\0' + '\0'.repeat(8),
    );
    // the random bytes lie above the tables and below the strings
    expect(st.randomAddr).toBeGreaterThanOrEqual(back.end);
    expect(st.randomAddr + 16).toBeLessThanOrEqual(argv0);
  });
});

describe('initial stack, 32-bit big-endian, with AT_PLATFORM, AT_HWCAP2, arch entries and an exec stack', () => {
  const mem = new AddressSpace();
  const st = build(mem, {
    wordBytes: 4, endian: 'be', platform: 'v7l', hwcap2: 0x3n, archAuxv: [[AT.MINSIGSTKSZ, 0x1000n]],
    argv: ['a'], env: [], execfn: './a', program: { ...program, execStack: true }, stackSize: 64 * 1024,
  });
  const back = readBack(mem, st.sp, 4, false);

  it('reads back with 4-byte big-endian words', () => {
    expect(st.sp % 16).toBe(0);
    expect(back.argc).toBe(1);
    expect(back.argv).toEqual(['a']);
    expect(back.env).toEqual([]);
    expect(back.order[0]).toBe(AT.MINSIGSTKSZ); // ISA entries first, like ARCH_DLINFO
    expect(back.auxv.get(AT.HWCAP2)).toBe(3);
    expect(mem.readCString(back.auxv.get(AT.PLATFORM) as number)).toBe('v7l');
    expect(mem.readCString(back.auxv.get(AT.EXECFN) as number)).toBe('./a');
  });

  it('maps the requested size, executable when the ELF asked', () => {
    const r = mem.list().find((x) => x.name === '[stack]');
    expect(r).toMatchObject({ start: Layout.STACK_TOP - 0x10000, end: Layout.STACK_TOP, prot: 7 });
  });
});

describe('limits', () => {
  it('omits AT_HWCAP2 when zero', () => {
    const mem = new AddressSpace();
    const st = build(mem, { hwcap2: 0n });
    expect(st.auxv.some(([t]) => t === AT.HWCAP2)).toBe(false);
  });

  it('refuses arguments larger than a quarter of the stack (E2BIG)', () => {
    const mem = new AddressSpace();
    expect(() => build(mem, { stackSize: 64 * 1024, env: ['X=' + 'y'.repeat(20000)] })).toThrow(UserError);
    expect(() => build(mem, { stackSize: 64 * 1024, env: ['X=' + 'y'.repeat(20000)] })).toThrow(/argument list too long/);
  });
});
