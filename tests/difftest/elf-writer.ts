// A minimal static ELF executable writer (ELFCLASS32 or ELFCLASS64, either byte order): program
// headers for the loader, and a section table (.text, .data, .shstrtab) only so objdump and gdb
// can read the file.

export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
/** e_flags for an RV64GC program: RVC code, double-float ABI. */
export const EF_RISCV_RVC_DOUBLE = 0x1 | 0x4;

const PAGE = 0x1000;

const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

export interface ElfImage {
  /** ELFCLASS32 or ELFCLASS64 (default 64). */
  class?: 32 | 64;
  /** Byte order (default little-endian). */
  bigEndian?: boolean;
  machine: number;
  flags: number;
  entry: number;
  /** Loaded at `vaddr` (text: textStart(page-aligned base)), read+execute. */
  text: { vaddr: number; bytes: Uint8Array };
  /** Loaded at `vaddr` (a multiple of the page size), read+write. */
  data: { vaddr: number; bytes: Uint8Array };
}

/** Header sizes per class: ELF header, program header, section header. */
const SIZES = { 32: { ehdr: 52, phdr: 32, shdr: 40 }, 64: { ehdr: 64, phdr: 56, shdr: 64 } } as const;

/** Where the code of an image whose text segment starts at textBase begins (after the headers,
 *  which share the first page with the code so the file stays small). */
export function textStart(textBase: number, elfClass: 32 | 64 = 64): number {
  return textBase + align(SIZES[elfClass].ehdr + 2 * SIZES[elfClass].phdr, 16);
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * Lay out: [ELF header][2 program headers][code] … page-aligned [data] [.shstrtab] [section headers].
 * The text segment maps file offset 0 (headers included) at text.vaddr - (code offset).
 */
export function writeElf(img: ElfImage): Uint8Array {
  const cls = img.class ?? 64;
  const le = !img.bigEndian;
  const sz = SIZES[cls];
  const codeOff = align(sz.ehdr + 2 * sz.phdr, 16);
  const segBase = img.text.vaddr - codeOff;
  if (segBase % PAGE !== 0) throw new Error('elf-writer: text must start at textStart(page-aligned base)');
  if (img.data.vaddr % PAGE !== 0) throw new Error('elf-writer: data vaddr must be page-aligned');
  const textEnd = codeOff + img.text.bytes.length;
  const dataOff = align(textEnd, PAGE);
  if (img.data.vaddr < segBase + dataOff) throw new Error('elf-writer: data overlaps text');
  const shstr = new TextEncoder().encode('\0.text\0.data\0.shstrtab\0');
  const shstrOff = dataOff + img.data.bytes.length;
  const shOff = align(shstrOff + shstr.length, cls === 64 ? 8 : 4);
  const total = shOff + 4 * sz.shdr;

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, le);
  const u32 = (o: number, v: number) => dv.setUint32(o, v, le);
  /** An address-sized field (Elf32_Addr/Off/Word or Elf64_Addr/Off/Xword); returns its end. */
  const word = (o: number, v: number) => {
    if (cls === 64) dv.setBigUint64(o, BigInt(v), le);
    else u32(o, v);
    return o + (cls === 64 ? 8 : 4);
  };

  // e_ident: magic, class, data encoding, EV_CURRENT, ELFOSABI_SYSV.
  out.set([0x7f, 0x45, 0x4c, 0x46, cls === 64 ? 2 : 1, le ? 1 : 2, 1, 0], 0);
  u16(16, 2); // ET_EXEC
  u16(18, img.machine);
  u32(20, 1);
  let p = word(24, img.entry);
  p = word(p, sz.ehdr); // e_phoff
  p = word(p, shOff);
  u32(p, img.flags);
  u16(p + 4, sz.ehdr);
  u16(p + 6, sz.phdr);
  u16(p + 8, 2);
  u16(p + 10, sz.shdr);
  u16(p + 12, 4);
  u16(p + 14, 3); // e_shstrndx

  const phdr = (i: number, flags: number, off: number, vaddr: number, size: number) => {
    const q = sz.ehdr + i * sz.phdr;
    u32(q, 1); // PT_LOAD
    if (cls === 64) {
      u32(q + 4, flags);
      let r = word(q + 8, off);
      r = word(r, vaddr);
      r = word(r, vaddr); // p_paddr
      r = word(r, size);
      r = word(r, size);
      word(r, PAGE);
    } else {
      let r = word(q + 4, off);
      r = word(r, vaddr);
      r = word(r, vaddr);
      r = word(r, size);
      r = word(r, size);
      u32(r, flags);
      u32(r + 4, PAGE);
    }
  };
  phdr(0, PF_R | PF_X, 0, segBase, textEnd);
  phdr(1, PF_R | PF_W, dataOff, img.data.vaddr, img.data.bytes.length);

  out.set(img.text.bytes, codeOff);
  out.set(img.data.bytes, dataOff);
  out.set(shstr, shstrOff);

  const shdr = (i: number, name: number, type: number, flags: number, addr: number, off: number, size: number) => {
    const q = shOff + i * sz.shdr;
    u32(q, name);
    u32(q + 4, type);
    let r = word(q + 8, flags);
    r = word(r, addr);
    r = word(r, off);
    r = word(r, size);
    r += 8; // sh_link, sh_info
    word(r, type === SHT_STRTAB ? 1 : 16); // sh_addralign
  };
  shdr(1, 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, img.text.vaddr, codeOff, img.text.bytes.length);
  shdr(2, 7, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, img.data.vaddr, dataOff, img.data.bytes.length);
  shdr(3, 13, SHT_STRTAB, 0, 0, shstrOff, shstr.length);
  return out;
}
