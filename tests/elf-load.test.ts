import { describe, expect, it } from 'vitest';
import { loadElf, loadProgram, readExecutable, type FileSource } from '../src/elf/load.js';
import { parseElf } from '../src/elf/parse.js';
import { AddressSpace, Layout } from '../src/mem/address-space.js';
import { UserError } from '../src/types.js';
import { EM_AARCH64, PT_GNU_STACK, PT_PHDR, buildElf, minimalRiscv } from './elf-helpers.js';

/** An in-memory FileSource with the Vfs's error shape. */
function files(map: Record<string, Uint8Array>, cwd = '/work'): FileSource {
  const fail = (code: string) => Object.assign(new Error(code), { code });
  return {
    initialCwd: cwd,
    exists: (p) => p in map,
    readFile: (p) => {
      if (!(p in map)) throw fail('ENOENT');
      return map[p];
    },
  };
}

function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

// One address space per scenario: each is a 4 GiB reservation.
describe('loading a static ET_EXEC program', () => {
  const mem = new AddressSpace();
  const bytes = minimalRiscv();
  const prog = loadProgram(mem, files({ '/work/prog': bytes }), 'prog');

  it('maps each PT_LOAD page-aligned with its permissions, named like /proc/self/maps', () => {
    expect(mem.list().map((r) => [r.start, r.end, r.prot, r.name, r.offset])).toEqual([
      [0x10000, 0x11000, 5, '/work/prog', 0], // text R|X
      [0x11000, 0x12000, 3, '/work/prog', 0x1000], // data R|W: the file page
      [0x12000, 0x14000, 3, '', 0], // rest of the bss: anonymous
    ]);
  });

  it('copies the file bytes, headers included, where the segments say', () => {
    expect([...mem.bytes.subarray(0x10000, 0x10004)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(mem.bytes[0x101ff]).toBe(0x13); // last byte of text
    expect(mem.bytes.subarray(0x11200, 0x11280).every((b) => b === 0xdd)).toBe(true);
  });

  it('zeroes the bss, including the tail of the last file page (not the file bytes that follow)', () => {
    // the file has 0xee bytes right after the data segment; with bss they must not show
    expect(bytes.subarray(0x1280, 0x12c0).every((b) => b === 0xee)).toBe(true);
    expect(mem.bytes.subarray(0x11280, 0x13200).every((b) => b === 0)).toBe(true);
  });

  it('shows the rest of the file page after a segment without bss, as mmap does', () => {
    // text ends at 0x10200 with no bss: the following file bytes (zeros, then data at 0x1200+) are
    // outside its page here, so the page tail is the file's zero padding
    expect(mem.bytes.subarray(0x10200, 0x11000).every((b) => b === 0)).toBe(true);
  });

  it('returns entry, AT_PHDR, brk start and the header facts', () => {
    expect(prog).toMatchObject({
      entry: 0x10100, programEntry: 0x10100, phdrAddr: 0x10040, phent: 56, phnum: 2, base: 0, loadBias: 0,
      brkStart: 0x14000, execStack: false, machine: 243, class: 64, endian: 'le', flags: 0,
    });
    expect(prog.interp).toBeUndefined();
  });
});

describe('a segment without bss keeps the file bytes after it in its last page', () => {
  it('copies the trailer into the page', () => {
    const mem = new AddressSpace();
    const bytes = buildElf({
      segments: [
        { vaddr: 0x10000, data: new Uint8Array(0x100).fill(1), coversHeaders: true },
        { vaddr: 0x20000, data: new Uint8Array(0x10).fill(2), trailer: new Uint8Array(16).fill(3), flags: 4 },
      ],
    });
    loadElf(mem, files({}), parseElf(bytes, '/p'));
    expect([...mem.bytes.subarray(0x2000f, 0x20012)]).toEqual([2, 3, 3]);
  });
});

describe('ET_DYN (PIE) main program and PT_INTERP', () => {
  const interpBytes = buildElf({
    type: 3,
    entry: 0x1000,
    segments: [
      { vaddr: 0, data: new Uint8Array(0x1100).fill(0x55), coversHeaders: true, flags: 5 },
      { vaddr: 0x3000, data: new Uint8Array(0x40).fill(0x66), memsz: 0x1800, flags: 6 },
    ],
  });
  const pie = buildElf({
    type: 3,
    entry: 0x500,
    segments: [
      { type: PT_PHDR, vaddr: 0x40, flags: 4 },
      { vaddr: 0, data: new Uint8Array(0x800), coversHeaders: true, flags: 5 },
      { vaddr: 0x2000, data: new Uint8Array(0x10), memsz: 0x20, flags: 6 },
      { type: PT_GNU_STACK, flags: 7 },
    ],
    interp: '/lib/ld-linux-riscv64-lp64d.so.1',
  });
  const mem = new AddressSpace();
  const prog = loadProgram(mem, files({ '/bin/pie': pie, '/lib/ld-linux-riscv64-lp64d.so.1': interpBytes }), '/bin/pie');

  it('puts the program at PIE_BASE and the interpreter top-down below MMAP_TOP', () => {
    expect(prog.loadBias).toBe(Layout.PIE_BASE);
    expect(prog.programEntry).toBe(Layout.PIE_BASE + 0x500);
    expect(prog.phdrAddr).toBe(Layout.PIE_BASE + 0x40);
    expect(prog.brkStart).toBe(Layout.PIE_BASE + 0x3000);
    const interpSize = 0x5000; // pages 0x0000–0x4800 rounded
    expect(prog.base).toBe(Layout.MMAP_TOP - interpSize);
    expect(prog.entry).toBe(prog.base + 0x1000);
    expect(prog.interp).toBe('/lib/ld-linux-riscv64-lp64d.so.1');
    expect(prog.execStack).toBe(true);
  });

  it('names the interpreter regions by its path and copies its bytes', () => {
    const regions = mem.list().filter((r) => r.name === '/lib/ld-linux-riscv64-lp64d.so.1');
    expect(regions.map((r) => [r.start - prog.base, r.end - prog.base, r.prot])).toEqual([
      [0, 0x2000, 5],
      [0x3000, 0x4000, 3],
    ]);
    expect(mem.bytes[prog.base + 0x10ff]).toBe(0x55);
    expect(mem.bytes[prog.base + 0x3000]).toBe(0x66);
    expect(mem.bytes[prog.base + 0x3040]).toBe(0);
  });
});

describe('interpreter problems', () => {
  const dyn = (machine?: number) =>
    buildElf({ type: 3, segments: [{ vaddr: 0, data: new Uint8Array(0x200), coversHeaders: true }], interp: '/lib/ld-linux-riscv64-lp64d.so.1', machine });

  it('missing: names the file and says how to give a sysroot', () => {
    const msg = userError(() => loadProgram(new AddressSpace(), files({ '/p': dyn() }), '/p'));
    expect(msg).toBe(
      "Could not open '/lib/ld-linux-riscv64-lp64d.so.1': No such file or directory — this is a dynamically linked RISC-V 64-bit program; pass -L <sysroot> (e.g. -L /usr/riscv64-linux-gnu) or set QEMU_LD_PREFIX",
    );
  });

  it('missing under a given -L', () => {
    const msg = userError(() => loadProgram(new AddressSpace(), files({ '/p': dyn() }), '/p', { ldPrefix: '/opt/sysroot' }));
    expect(msg).toMatch(/\/opt\/sysroot \(-L\) has no \/lib\/ld-linux-riscv64-lp64d\.so\.1/);
  });

  it('for another machine', () => {
    const other = buildElf({ type: 3, machine: EM_AARCH64, segments: [{ vaddr: 0, data: new Uint8Array(0x200), coversHeaders: true }] });
    const msg = userError(() => loadProgram(new AddressSpace(), files({ '/p': dyn(), '/lib/ld-linux-riscv64-lp64d.so.1': other }), '/p'));
    expect(msg).toMatch(/the ELF interpreter is for AArch64 little-endian, but \/p is for RISC-V 64-bit little-endian/);
  });
});

describe('files that cannot be placed or read', () => {
  it('an ET_EXEC below the lowest guest address', () => {
    const low = buildElf({ segments: [{ vaddr: 0x1000, data: new Uint8Array(0x100), coversHeaders: true }] });
    expect(userError(() => loadElf(new AddressSpace(), files({}), parseElf(low, 'low')))).toMatch(
      /^low: cannot be loaded at 0x1000–0x1100: crossrun gives programs 0x10000–0xf0000000$/,
    );
  });

  it('an ET_EXEC above 4 GiB', () => {
    const high = buildElf({ segments: [{ vaddr: 0x400000000, data: new Uint8Array(0x100), coversHeaders: true }] });
    expect(userError(() => loadElf(new AddressSpace(), files({}), parseElf(high, 'high')))).toMatch(/cannot be loaded at 0x400000000/);
  });

  it('missing program, with the errno text', () => {
    expect(userError(() => readExecutable(files({}), 'nope'))).toBe('nope: No such file or directory');
  });
});
