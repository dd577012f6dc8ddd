// Build small ELF images byte by byte for the loader and CLI tests (no toolchain at test time).

export interface SegSpec {
  type?: number; // default PT_LOAD
  flags?: number; // PF_* (R=4, W=2, X=1); default R|X
  vaddr?: number;
  data?: Uint8Array; // file bytes (filesz = data.length)
  memsz?: number; // default data.length
  align?: number;
  /** Force p_offset (otherwise: a fresh page of the file, congruent with vaddr). */
  offset?: number;
  /** Force p_filesz (to make corrupt files). */
  filesz?: number;
  /** Bytes placed in the file right after the segment's data (to see what leaks into its page). */
  trailer?: Uint8Array;
  /** This segment maps the file from offset 0 (ELF header and program headers included). */
  coversHeaders?: boolean;
}

export interface ElfSpec {
  class?: 32 | 64;
  endian?: 'le' | 'be';
  type?: number; // default ET_EXEC
  machine?: number; // default 243 (RISC-V)
  flags?: number;
  entry?: number;
  segments: SegSpec[];
  /** Path for a PT_INTERP segment (added after the loads). */
  interp?: string;
  /** Add a section header table whose string-table index points at nothing useful. */
  junkSections?: boolean;
}

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_GNU_STACK = 0x6474e551;
export const EM_RISCV = 243;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_MIPS = 8;

const PAGE = 4096;

export function buildElf(spec: ElfSpec): Uint8Array {
  const c64 = (spec.class ?? 64) === 64;
  const le = (spec.endian ?? 'le') === 'le';
  const ehsize = c64 ? 64 : 52;
  const phentsize = c64 ? 56 : 32;
  const segs: SegSpec[] = [...spec.segments];
  if (spec.interp !== undefined) {
    segs.push({ type: PT_INTERP, flags: 4, data: new Uint8Array([...Buffer.from(spec.interp), 0]), vaddr: 0 });
  }
  const phoff = ehsize;
  let end = phoff + segs.length * phentsize;
  const cover = segs.find((s) => s.coversHeaders);
  if (cover) end = Math.max(end, cover.data?.length ?? 0);

  // Place segment data.
  const placed = segs.map((s) => {
    const data = s.data ?? new Uint8Array(0);
    const vaddr = s.vaddr ?? 0;
    let offset: number;
    if (s.offset !== undefined) offset = s.offset;
    else if (s.coversHeaders) offset = 0;
    else if ((s.type ?? PT_LOAD) !== PT_LOAD) offset = end; // non-load: anywhere
    else offset = Math.ceil(end / PAGE) * PAGE + (vaddr % PAGE);
    if (!s.coversHeaders && s.offset === undefined) end = Math.max(end, offset + data.length + (s.trailer?.length ?? 0));
    return { s, data, vaddr, offset };
  });

  let shoff = 0;
  const shnum = spec.junkSections ? 2 : 0;
  const shentsize = c64 ? 64 : 40;
  if (spec.junkSections) {
    shoff = Math.ceil(end / 8) * 8;
    end = shoff + shnum * shentsize;
  }
  const buf = new Uint8Array(end);
  const dv = new DataView(buf.buffer);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, le);
  const u32 = (o: number, v: number) => dv.setUint32(o, v, le);
  const word = (o: number, v: number) => (c64 ? dv.setBigUint64(o, BigInt(v), le) : dv.setUint32(o, v, le));

  // Data first: a header-covering segment's bytes go under the headers written next.
  for (const p of placed) {
    if (p.s.coversHeaders) buf.set(p.data.subarray(ehsize + segs.length * phentsize), ehsize + segs.length * phentsize);
    else if (p.offset + p.data.length <= buf.length) {
      buf.set(p.data, p.offset);
      if (p.s.trailer) buf.set(p.s.trailer, p.offset + p.data.length);
    }
  }

  buf.set([0x7f, 0x45, 0x4c, 0x46, c64 ? 2 : 1, le ? 1 : 2, 1, 0]);
  u16(16, spec.type ?? 2);
  u16(18, spec.machine ?? EM_RISCV);
  u32(20, 1);
  word(24, spec.entry ?? placed[0]?.vaddr ?? 0);
  if (c64) {
    dv.setBigUint64(32, BigInt(phoff), le);
    dv.setBigUint64(40, BigInt(shoff), le);
    u32(48, spec.flags ?? 0);
    u16(52, ehsize);
    u16(54, phentsize);
    u16(56, segs.length);
    u16(58, spec.junkSections ? shentsize : 0);
    u16(60, shnum);
    u16(62, spec.junkSections ? 7 : 0); // e_shstrndx beyond shnum: elfy's resolveBody gives up
  } else {
    u32(28, phoff);
    u32(32, shoff);
    u32(36, spec.flags ?? 0);
    u16(40, ehsize);
    u16(42, phentsize);
    u16(44, segs.length);
    u16(46, spec.junkSections ? shentsize : 0);
    u16(48, shnum);
    u16(50, spec.junkSections ? 7 : 0);
  }

  placed.forEach((p, i) => {
    const o = phoff + i * phentsize;
    const s = p.s;
    const filesz = s.filesz ?? p.data.length;
    const memsz = s.memsz ?? p.data.length;
    const flags = s.flags ?? 5;
    const align = s.align ?? ((s.type ?? PT_LOAD) === PT_LOAD ? PAGE : 1);
    u32(o, s.type ?? PT_LOAD);
    if (c64) {
      u32(o + 4, flags);
      word(o + 8, p.offset);
      word(o + 16, p.vaddr);
      word(o + 24, p.vaddr);
      word(o + 32, filesz);
      word(o + 40, memsz);
      word(o + 48, align);
    } else {
      u32(o + 4, p.offset);
      u32(o + 8, p.vaddr);
      u32(o + 12, p.vaddr);
      u32(o + 16, filesz);
      u32(o + 20, memsz);
      u32(o + 24, flags);
      u32(o + 28, align);
    }
  });
  return buf;
}

/** A plausible static RISC-V program: text (R|X) covering the headers, data+bss (R|W). */
export function minimalRiscv(opts: Partial<ElfSpec> = {}): Uint8Array {
  const text = new Uint8Array(0x200).fill(0x13); // filler; the loader does not look at code
  return buildElf({
    entry: 0x10100,
    segments: [
      { vaddr: 0x10000, data: text, flags: 5, coversHeaders: true },
      { vaddr: 0x11200, data: new Uint8Array(0x80).fill(0xdd), memsz: 0x2000, flags: 6, trailer: new Uint8Array(64).fill(0xee) },
    ],
    ...opts,
  });
}

/** Writes into a 32-bit field of program header `index` (byte offset `field` inside it). */
export function patchPhdr(elf: Uint8Array, index: number, field: number, value: number, width: 4 | 8 = 8): Uint8Array {
  const out = elf.slice();
  const dv = new DataView(out.buffer);
  const c64 = out[4] === 2;
  const le = out[5] === 1;
  const phoff = c64 ? Number(dv.getBigUint64(32, le)) : dv.getUint32(28, le);
  const o = phoff + index * (c64 ? 56 : 32) + field;
  if (width === 8) dv.setBigUint64(o, BigInt(value), le);
  else dv.setUint32(o, value, le);
  return out;
}
