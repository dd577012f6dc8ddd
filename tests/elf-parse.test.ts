import elfy from 'elfy';
import { describe, expect, it } from 'vitest';
import { ElfError, parseElf } from '../src/elf/parse.js';
import { UserError } from '../src/types.js';
import { EM_MIPS, EM_RISCV, PT_GNU_STACK, buildElf, minimalRiscv, patchPhdr } from './elf-helpers.js';

// 64-bit program header field offsets
const P_OFFSET = 8;
const P_VADDR = 16;
const P_FILESZ = 32;
const P_MEMSZ = 40;

function parseError(bytes: Uint8Array): string {
  try {
    parseElf(bytes, './prog');
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    expect(e).toBeInstanceOf(UserError); // the CLI prints these as one line
    const msg = (e as Error).message;
    expect(msg).not.toMatch(/\n/);
    return msg;
  }
  throw new Error('parseElf accepted the file');
}

describe('parseElf: good files', () => {
  it('reads a minimal static RISC-V ELF64 (numbers straight from the header)', () => {
    const elf = parseElf(minimalRiscv(), './prog');
    expect(elf.class).toBe(64);
    expect(elf.endian).toBe('le');
    expect(elf.machine).toBe(EM_RISCV); // elfy has no name for 243; we read the number
    expect(elf.type).toBe(2);
    expect(elf.entry).toBe(0x10100);
    expect(elf.phnum).toBe(2);
    expect(elf.loads.map((s) => [s.vaddr, s.flags, s.filesz, s.memsz])).toEqual([
      [0x10000, 5, 0x200, 0x200],
      [0x11200, 6, 0x80, 0x2000],
    ]);
    expect(elf.interp).toBeUndefined();
    expect(elf.execStack).toBe(false);
  });

  it('loads a file without section headers (elfy.parse alone cannot)', () => {
    const bytes = minimalRiscv();
    const dv = new DataView(bytes.buffer);
    expect(dv.getBigUint64(40, true)).toBe(0n); // e_shoff
    expect(dv.getUint16(60, true)).toBe(0); // e_shnum
    expect(() => elfy.parse(Buffer.from(bytes))).toThrow();
    expect(parseElf(bytes, 'p').loads).toHaveLength(2);
  });

  it('ignores a broken section header table', () => {
    const bytes = minimalRiscv({ junkSections: true });
    expect(() => elfy.parse(Buffer.from(bytes))).toThrow();
    expect(parseElf(bytes, 'p').loads).toHaveLength(2);
  });

  it('reads a 32-bit big-endian file', () => {
    const bytes = buildElf({
      class: 32, endian: 'be', machine: EM_MIPS, type: 3, entry: 0x400,
      flags: 0x70001007,
      segments: [{ vaddr: 0, data: new Uint8Array(0x500), coversHeaders: true, flags: 5 }, { vaddr: 0x11000, data: new Uint8Array(16), memsz: 0x100, flags: 6 }],
      interp: '/lib/ld.so.1',
    });
    const elf = parseElf(bytes, 'p');
    expect([elf.class, elf.endian, elf.machine, elf.type, elf.entry, elf.flags]).toEqual([32, 'be', EM_MIPS, 3, 0x400, 0x70001007]);
    expect(elf.loads.map((s) => [s.vaddr, s.memsz, s.flags])).toEqual([[0, 0x500, 5], [0x11000, 0x100, 6]]);
    expect(elf.interp).toBe('/lib/ld.so.1');
  });

  it('records PT_GNU_STACK asking for an executable stack', () => {
    const withX = minimalRiscv({ segments: [{ vaddr: 0x10000, data: new Uint8Array(0x100), coversHeaders: true }, { type: PT_GNU_STACK, flags: 7 }] });
    expect(parseElf(withX, 'p').execStack).toBe(true);
    const withoutX = minimalRiscv({ segments: [{ vaddr: 0x10000, data: new Uint8Array(0x100), coversHeaders: true }, { type: PT_GNU_STACK, flags: 6 }] });
    expect(parseElf(withoutX, 'p').execStack).toBe(false);
  });
});

describe('parseElf: bad input gives one clear line', () => {
  const good = minimalRiscv();

  it('empty file', () => {
    expect(parseError(new Uint8Array(0))).toBe('./prog is not an ELF file (it is empty)');
  });
  it('not ELF', () => {
    expect(parseError(Buffer.from('hello world, this is text\n'))).toBe('./prog is not an ELF file');
  });
  it('a script', () => {
    expect(parseError(Buffer.from('#!/bin/sh\necho hi\n'))).toMatch(/^\.\/prog is not an ELF file \(it is a script, "#!\/bin\/sh"/);
  });
  it('truncated inside the magic or the ident', () => {
    expect(parseError(good.slice(0, 3))).toMatch(/is not an ELF file \(it is truncated\)/);
    expect(parseError(good.slice(0, 10))).toMatch(/truncated ELF header \(10 bytes\)/);
  });
  it('short header', () => {
    expect(parseError(good.slice(0, 40))).toMatch(/truncated ELF header \(40 bytes, a 64-bit header has 64\)/);
  });
  it('bad class byte', () => {
    const b = good.slice();
    b[4] = 7;
    expect(parseError(b)).toMatch(/bad class byte 7/);
  });
  it('bad data (byte order) byte', () => {
    const b = good.slice();
    b[5] = 0;
    expect(parseError(b)).toMatch(/bad byte-order byte 0/);
  });
  it('not ET_EXEC or ET_DYN', () => {
    const rel = good.slice();
    rel[16] = 1;
    expect(parseError(rel)).toMatch(/ET_REL \(a relocatable object file, not linked\)/);
    const core = good.slice();
    core[16] = 4;
    expect(parseError(core)).toMatch(/ET_CORE/);
    const odd = good.slice();
    odd[16] = 0x42;
    expect(parseError(odd)).toMatch(/e_type 66/);
  });
  it('no program headers', () => {
    const b = good.slice();
    b[56] = 0;
    expect(parseError(b)).toMatch(/no program headers/);
  });
  it('wrong program header entry size', () => {
    const b = good.slice();
    b[54] = 40;
    expect(parseError(b)).toMatch(/e_phentsize\) is 40, expected 56/);
  });
  it('phoff beyond the file', () => {
    const b = good.slice();
    new DataView(b.buffer).setBigUint64(32, BigInt(b.length + 100), true);
    expect(parseError(b)).toMatch(/^\.\/prog: truncated ELF file: the program headers \(2 at offset 0x[0-9a-f]+\) end past the end of the file/);
  });
  it('phnum beyond the file', () => {
    const b = good.slice(0, 64 + 56 * 2);
    b[56] = 3;
    expect(parseError(b)).toMatch(/the program headers \(3 at offset 0x40\) end past the end/);
  });
  it('file cut short inside a segment', () => {
    expect(parseError(good.slice(0, 0x1240))).toMatch(/truncated ELF file: segment 1 \(PT_LOAD at 0x11200\) needs file bytes up to 0x1280, but the file has only 0x1240/);
  });
  it('segment offset + filesz beyond the file', () => {
    expect(parseError(patchPhdr(good, 1, P_OFFSET, 0x100000))).toMatch(/segment 1 .* needs file bytes up to 0x100080/);
    expect(parseError(patchPhdr(good, 0, P_FILESZ, 0x7fffffff))).toMatch(/segment 0 \(PT_LOAD at 0x10000\) needs file bytes/);
  });
  it('memsz smaller than filesz', () => {
    expect(parseError(patchPhdr(good, 1, P_MEMSZ, 0x10))).toMatch(/segment 1 \(PT_LOAD at 0x11200\) is smaller in memory \(0x10\) than in the file \(0x80\)/);
  });
  it('PT_LOADs going backwards or overlapping', () => {
    expect(parseError(patchPhdr(good, 1, P_VADDR, 0x10100))).toMatch(/segment 1 \(PT_LOAD at 0x10100\) starts below the end of segment 0 \(0x10200\)/);
    expect(parseError(patchPhdr(good, 1, P_VADDR, 0x1000))).toMatch(/must be in ascending order/);
  });
  it('no PT_LOAD at all', () => {
    const b = buildElf({ segments: [{ type: PT_GNU_STACK, flags: 6 }] });
    expect(parseError(b)).toMatch(/no loadable \(PT_LOAD\) segments/);
  });
  it('interpreter path not NUL-terminated or outside the file', () => {
    const base = minimalRiscv({ interp: '/lib/ld.so' });
    // The PT_INTERP entry is the third program header; cut its NUL off.
    expect(parseError(patchPhdr(base, 2, P_FILESZ, '/lib/ld.so'.length))).toMatch(/PT_INTERP\) is not NUL-terminated/);
    expect(parseError(patchPhdr(base, 2, P_OFFSET, 0x7ffff000))).toMatch(/PT_INTERP\) lies past the end of the file/);
  });
});
