// The difftest ELF writer's output read back by crossrun's own ELF parser.
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/elf/parse.js';
import { EF_RISCV_RVC_DOUBLE, EM_AARCH64, EM_RISCV, textStart, writeElf } from './elf-writer.js';

describe('difftest ELF writer', () => {
  it('writes a static RX code + RW data executable', () => {
    const code = Uint8Array.from([0x13, 0, 0, 0, 0x73, 0, 0, 0]);
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const entry = textStart(0x10000);
    const bytes = writeElf({
      machine: EM_RISCV,
      flags: EF_RISCV_RVC_DOUBLE,
      entry,
      text: { vaddr: entry, bytes: code },
      data: { vaddr: 0x20000, bytes: data },
    });
    const elf = parseElf(bytes, 'test.elf');
    expect(elf.class).toBe(64);
    expect(elf.endian).toBe('le');
    expect(elf.machine).toBe(EM_RISCV);
    expect(elf.entry).toBe(entry);
    expect(elf.interp).toBeUndefined();
    expect(elf.loads.map((s) => [s.flags, s.vaddr % 0x1000 === s.offset % 0x1000])).toEqual([
      [5, true],
      [6, true],
    ]);
    const [text, rw] = elf.loads;
    expect(text!.vaddr).toBe(0x10000);
    expect([...bytes.subarray(text!.offset + entry - 0x10000, text!.offset + entry - 0x10000 + 8)]).toEqual([...code]);
    expect(rw!.vaddr).toBe(0x20000);
    expect(rw!.filesz).toBe(100);
    expect([...bytes.subarray(rw!.offset, rw!.offset + 100)]).toEqual([...data]);
  });

  it('writes ELFCLASS32 and big-endian images with the same layout', () => {
    const code = Uint8Array.from([1, 2, 3, 4]);
    const data = Uint8Array.from({ length: 40 }, (_, i) => 255 - i);
    for (const [cls, bigEndian] of [[32, false], [32, true], [64, true]] as const) {
      const entry = textStart(0x400000, cls);
      const bytes = writeElf({
        class: cls,
        bigEndian,
        machine: EM_AARCH64,
        flags: 0x5000200,
        entry,
        text: { vaddr: entry, bytes: code },
        data: { vaddr: 0x500000, bytes: data },
      });
      const elf = parseElf(bytes, 'test.elf');
      expect([elf.class, elf.endian, elf.machine, elf.flags, elf.entry]).toEqual([cls, bigEndian ? 'be' : 'le', EM_AARCH64, 0x5000200, entry]);
      expect(elf.loads.map((s) => [s.flags, s.vaddr, s.filesz])).toEqual([
        [5, 0x400000, entry - 0x400000 + 4],
        [6, 0x500000, 40],
      ]);
      const [text, rw] = elf.loads;
      expect([...bytes.subarray(text!.offset + entry - 0x400000, text!.offset + entry - 0x400000 + 4)]).toEqual([...code]);
      expect([...bytes.subarray(rw!.offset, rw!.offset + 40)]).toEqual([...data]);
    }
    // The 32-bit headers are smaller, so code starts earlier in the page.
    expect(textStart(0x10000, 32)).toBeLessThan(textStart(0x10000, 64));
  });

  it('refuses overlapping or unaligned segments', () => {
    const img = (dataVaddr: number) => ({
      machine: EM_RISCV,
      flags: 0,
      entry: textStart(0x10000),
      text: { vaddr: textStart(0x10000), bytes: new Uint8Array(0x2000) },
      data: { vaddr: dataVaddr, bytes: new Uint8Array(8) },
    });
    expect(() => writeElf(img(0x11000))).toThrow(/overlaps/);
    expect(() => writeElf(img(0x20010))).toThrow(/page-aligned/);
  });
});
