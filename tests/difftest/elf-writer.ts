// A minimal static ELF64 little-endian executable writer: program headers for the loader, and a
// section table (.text, .data, .shstrtab) only so objdump and gdb can read the file.

export const EM_RISCV = 243;
/** e_flags for an RV64GC program: RVC code, double-float ABI. */
export const EF_RISCV_RVC_DOUBLE = 0x1 | 0x4;

const PAGE = 0x1000;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;

const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

export interface ElfImage {
  machine: number;
  flags: number;
  entry: number;
  /** Loaded at `vaddr` (a multiple of the page size), read+execute. */
  text: { vaddr: number; bytes: Uint8Array };
  /** Loaded at `vaddr` (a multiple of the page size), read+write. */
  data: { vaddr: number; bytes: Uint8Array };
}

/** Where the code of an image whose text segment starts at textBase begins (after the headers,
 *  which share the first page with the code so the file stays small). */
export function textStart(textBase: number): number {
  return textBase + align(EHDR_SIZE + 2 * PHDR_SIZE, 16);
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * Lay out: [ELF header][2 program headers][code] … page-aligned [data] [.shstrtab] [section headers].
 * The text segment maps file offset 0 (headers included) at text.vaddr - (code offset).
 */
export function writeElf64(img: ElfImage): Uint8Array {
  const codeOff = align(EHDR_SIZE + 2 * PHDR_SIZE, 16);
  const segBase = img.text.vaddr - codeOff;
  if (segBase % PAGE !== 0) throw new Error('elf-writer: text must start at textStart(page-aligned base)');
  if (img.data.vaddr % PAGE !== 0) throw new Error('elf-writer: data vaddr must be page-aligned');
  const textEnd = codeOff + img.text.bytes.length;
  const dataOff = align(textEnd, PAGE);
  if (img.data.vaddr < segBase + dataOff) throw new Error('elf-writer: data overlaps text');
  const shstr = new TextEncoder().encode('\0.text\0.data\0.shstrtab\0');
  const shstrOff = dataOff + img.data.bytes.length;
  const shOff = align(shstrOff + shstr.length, 8);
  const total = shOff + 4 * SHDR_SIZE;

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, true);
  const u32 = (o: number, v: number) => dv.setUint32(o, v, true);
  const u64 = (o: number, v: number) => dv.setBigUint64(o, BigInt(v), true);

  // e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV.
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  u16(16, 2); // ET_EXEC
  u16(18, img.machine);
  u32(20, 1);
  u64(24, img.entry);
  u64(32, EHDR_SIZE); // e_phoff
  u64(40, shOff);
  u32(48, img.flags);
  u16(52, EHDR_SIZE);
  u16(54, PHDR_SIZE);
  u16(56, 2);
  u16(58, SHDR_SIZE);
  u16(60, 4);
  u16(62, 3); // e_shstrndx

  const phdr = (i: number, flags: number, off: number, vaddr: number, size: number) => {
    const p = EHDR_SIZE + i * PHDR_SIZE;
    u32(p, 1); // PT_LOAD
    u32(p + 4, flags);
    u64(p + 8, off);
    u64(p + 16, vaddr);
    u64(p + 24, vaddr); // p_paddr
    u64(p + 32, size);
    u64(p + 40, size);
    u64(p + 48, PAGE);
  };
  phdr(0, PF_R | PF_X, 0, segBase, textEnd);
  phdr(1, PF_R | PF_W, dataOff, img.data.vaddr, img.data.bytes.length);

  out.set(img.text.bytes, codeOff);
  out.set(img.data.bytes, dataOff);
  out.set(shstr, shstrOff);

  const shdr = (i: number, name: number, type: number, flags: number, addr: number, off: number, size: number) => {
    const p = shOff + i * SHDR_SIZE;
    u32(p, name);
    u32(p + 4, type);
    u64(p + 8, flags);
    u64(p + 16, addr);
    u64(p + 24, off);
    u64(p + 32, size);
    u64(p + 48, type === SHT_STRTAB ? 1 : 16); // sh_addralign
  };
  shdr(1, 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, img.text.vaddr, codeOff, img.text.bytes.length);
  shdr(2, 7, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, img.data.vaddr, dataOff, img.data.bytes.length);
  shdr(3, 13, SHT_STRTAB, 0, 0, shstrOff, shstr.length);
  return out;
}
