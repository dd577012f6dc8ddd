// Load an ELF executable (and its interpreter, if it names one) into guest memory the way Linux's
// load_elf_binary does: each PT_LOAD mapped page-aligned with its own permissions, file bytes
// copied, bss zeroed; ET_DYN programs placed at Layout.PIE_BASE, the interpreter top-down in the
// mmap area. The result is what the initial stack (auxv) and the engine need.

import { posix } from 'node:path';
import type { AddressSpace } from '../mem/address-space.js';
import { Layout, PAGE_SIZE, pageAlignDown, pageAlignUp } from '../mem/address-space.js';
import type { GuestAddr } from '../types.js';
import { UserError } from '../types.js';
import { ET, PF, PT } from './constants.js';
import { machineName, sysrootHint } from './machines.js';
import { errorCode, openErrorText } from './open-errors.js';
import type { ElfFile, ElfSegment } from './parse.js';
import { ElfError, parseElf } from './parse.js';

/** What the loader needs of the guest filesystem (syscalls/vfs.ts's Vfs has these). Errors carry
 *  a `.code` such as 'ENOENT'. */
export interface FileSource {
  readFile(path: string): Uint8Array;
  exists(path: string): boolean;
  /** Relative paths are taken from here (default: the host's cwd). */
  readonly initialCwd?: string;
}

/** The absolute, normalized path a Vfs wants. */
function absolute(fs: FileSource, path: string): string {
  return posix.resolve(fs.initialCwd ?? process.cwd(), path);
}

export interface LoadOptions {
  /** Region name for the main program in /proc/self/maps; default: the path made absolute. */
  mapName?: string;
  /** The -L prefix in effect, only to word the "interpreter not found" message. */
  ldPrefix?: string;
}

export interface LoadedProgram {
  /** Where execution starts: the interpreter's entry if there is one, else the program's. */
  entry: GuestAddr;
  /** The program's own entry point (AT_ENTRY). */
  programEntry: GuestAddr;
  /** The name the program's segments are mapped under (/proc/self/maps). */
  mapName: string;
  /** Address of the program headers in memory (AT_PHDR), their size and count. */
  phdrAddr: GuestAddr;
  phent: number;
  phnum: number;
  /** Load bias of the interpreter (AT_BASE), 0 without one. */
  base: GuestAddr;
  /** Load bias of the program itself (0 for ET_EXEC). */
  loadBias: number;
  /** Page-aligned end of the program's highest segment: where the brk heap starts. */
  brkStart: GuestAddr;
  /** The program asked for an executable stack (PT_GNU_STACK with PF_X). */
  execStack: boolean;
  machine: number;
  class: 32 | 64;
  endian: 'le' | 'be';
  /** e_flags of the program (ABI flags such as RISC-V's float ABI). */
  flags: number;
  /** PT_INTERP path, if any. */
  interp?: string;
}

const hex = (n: number): string => '0x' + n.toString(16);

/** Read a file for exec through the guest filesystem; failures become one-line UserErrors. */
export function readExecutable(fs: FileSource, path: string): Uint8Array {
  try {
    return fs.readFile(absolute(fs, path));
  } catch (e) {
    const text = openErrorText(e);
    if (text === undefined) throw e;
    throw new UserError(`${path}: ${text}`);
  }
}

/** Read, parse and load the program at `path` (and its interpreter). */
export function loadProgram(mem: AddressSpace, fs: FileSource, path: string, opts: LoadOptions = {}): LoadedProgram {
  return loadElf(mem, fs, parseElf(readExecutable(fs, path), path), opts);
}

/** Load an already parsed program (and its interpreter, read through `fs`). */
export function loadElf(mem: AddressSpace, fs: FileSource, elf: ElfFile, opts: LoadOptions = {}): LoadedProgram {
  const mapName = opts.mapName ?? absolute(fs, elf.name);
  const main = loadImage(mem, elf, elf.type === ET.DYN ? pieBias(elf) : 0, mapName);

  let entry = elf.entry + main.bias;
  let base = 0;
  if (elf.interp !== undefined) {
    const interp = readInterpreter(fs, elf, opts.ldPrefix);
    const loaded = loadImage(mem, interp, interp.type === ET.DYN ? interpBias(mem, interp) : 0, elf.interp);
    entry = interp.entry + loaded.bias;
    base = loaded.bias;
  }

  return {
    entry,
    programEntry: elf.entry + main.bias,
    mapName,
    phdrAddr: phdrAddress(elf) + main.bias,
    phent: elf.phentsize,
    phnum: elf.phnum,
    base,
    loadBias: main.bias,
    brkStart: pageAlignUp(main.end),
    execStack: elf.execStack,
    machine: elf.machine,
    class: elf.class,
    endian: elf.endian,
    flags: elf.flags,
    interp: elf.interp,
  };
}

function readInterpreter(fs: FileSource, elf: ElfFile, ldPrefix: string | undefined): ElfFile {
  const path = elf.interp as string;
  let bytes: Uint8Array;
  try {
    bytes = fs.readFile(absolute(fs, path));
  } catch (e) {
    const text = openErrorText(e);
    if (text === undefined) throw e;
    let hint = '';
    if (errorCode(e) === 'ENOENT') {
      const arch = machineName(elf.machine, elf.class);
      const example = sysrootHint(elf.machine, elf.class, elf.endian);
      hint = ldPrefix
        ? ` — this is a dynamically linked ${arch} program and ${ldPrefix} (-L) has no ${path}; point -L at the target's sysroot`
        : ` — this is a dynamically linked ${arch} program; pass -L <sysroot>${example ? ` (e.g. -L ${example})` : ''} or set QEMU_LD_PREFIX`;
    }
    throw new UserError(`Could not open '${path}': ${text}${hint}`);
  }
  const interp = parseElf(bytes, path);
  if (interp.machine !== elf.machine || interp.class !== elf.class || interp.endian !== elf.endian) {
    const describe = (f: ElfFile) => `${machineName(f.machine, f.class)} ${f.endian === 'le' ? 'little' : 'big'}-endian`;
    throw new ElfError(`${path}: the ELF interpreter is for ${describe(interp)}, but ${elf.name} is for ${describe(elf)}`);
  }
  return interp;
}

/** ET_DYN main program: at PIE_BASE, keeping the segments' alignment (as Linux does at ELF_ET_DYN_BASE). */
function pieBias(elf: ElfFile): number {
  const align = maxAlign(elf.loads);
  return Math.floor((Layout.PIE_BASE - pageAlignDown(elf.loads[0].vaddr)) / align) * align;
}

/** ET_DYN interpreter: the highest free gap of the mmap area that holds the whole image. */
function interpBias(mem: AddressSpace, elf: ElfFile): number {
  const first = pageAlignDown(elf.loads[0].vaddr);
  const last = elf.loads[elf.loads.length - 1];
  const size = pageAlignUp(last.vaddr + last.memsz) - first;
  const at = mem.findFree(size, Layout.MMAP_TOP, maxAlign(elf.loads));
  if (at === null) throw new ElfError(`${elf.name}: no room in the guest address space for its ${hex(size)} bytes`);
  return at - first;
}

/** Largest power-of-two p_align of the PT_LOADs, at least a page, capped where the layout ends. */
function maxAlign(loads: ElfSegment[]): number {
  let align = PAGE_SIZE;
  for (const s of loads) {
    if (s.align > align && (s.align & (s.align - 1)) === 0) align = s.align;
  }
  return Math.min(align, Layout.PIE_BASE);
}

/** AT_PHDR before relocation: where the PT_LOAD covering e_phoff puts the table (Linux's rule),
 *  else PT_PHDR's address, else 0. */
function phdrAddress(elf: ElfFile): number {
  for (const s of elf.loads) {
    if (s.offset <= elf.phoff && elf.phoff < s.offset + s.filesz) return elf.phoff - s.offset + s.vaddr;
  }
  return elf.segments.find((s) => s.type === PT.PHDR)?.vaddr ?? 0;
}

/** PF_* (R=4, W=2, X=1) to PROT_* (R=1, W=2, X=4). */
function protOf(flags: number): number {
  return (flags & PF.R ? 1 : 0) | (flags & PF.W ? 2 : 0) | (flags & PF.X ? 4 : 0);
}

/** Map every PT_LOAD of `elf` at `bias`; returns the bias and the end of the highest segment. */
function loadImage(mem: AddressSpace, elf: ElfFile, bias: number, name: string): { bias: number; end: number } {
  const lo = elf.loads[0].vaddr + bias;
  const top = elf.loads.reduce((m, s) => Math.max(m, s.vaddr + s.memsz), 0) + bias;
  if (pageAlignDown(lo) < Layout.GUEST_MIN || pageAlignUp(top) > Layout.MMAP_TOP) {
    throw new ElfError(
      `${elf.name}: cannot be loaded at ${hex(lo)}–${hex(top)}: crossrun gives programs ${hex(Layout.GUEST_MIN)}–${hex(Layout.MMAP_TOP)}`,
    );
  }
  const file = elf.bytes;
  for (const s of elf.loads) {
    if (s.memsz === 0) continue;
    const start = s.vaddr + bias;
    const pageStart = pageAlignDown(start);
    const head = start - pageStart;
    const fileEnd = start + s.filesz;
    const fileMapEnd = s.filesz > 0 ? pageAlignUp(fileEnd) : pageStart;
    const mapEnd = pageAlignUp(start + s.memsz);
    const prot = protOf(s.flags);
    if (fileMapEnd > pageStart) {
      mem.map(pageStart, fileMapEnd - pageStart, prot, name, Math.max(0, s.offset - head));
      // The file's page shows whole, as with mmap: bytes before the segment in its first page, and
      // after it in its last page — unless bss follows, which starts zeroed (Linux's padzero).
      const copyEnd = s.memsz > s.filesz ? fileEnd : fileMapEnd;
      const srcStart = s.offset - head;
      const skip = srcStart < 0 ? -srcStart : 0;
      const src = file.subarray(srcStart + skip, Math.min(file.length, srcStart + (copyEnd - pageStart)));
      mem.bytes.set(src, pageStart + skip); // privileged write: segments may be read-only
      mem.markDirty(pageStart, fileMapEnd);
    }
    // bss pages past the file's last page are anonymous memory, as in /proc/self/maps.
    if (mapEnd > fileMapEnd) mem.map(fileMapEnd, mapEnd - fileMapEnd, prot, '', 0);
  }
  return { bias, end: top };
}
