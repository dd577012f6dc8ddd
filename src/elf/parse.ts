// Parse and validate an ELF executable's header and program headers. elfy reads the fields; we
// check everything first so that no input — truncated, corrupt, or not ELF at all — reaches elfy's
// asserts or a RangeError. Sections are never looked at: the kernel does not need them, and
// stripped or hand-made executables may have none.

import elfy from 'elfy';
import type { ElfyHeader } from 'elfy';
import type { GuestAddr } from '../types.js';
import { UserError } from '../types.js';
import {
  EHDR_SIZE, EI_NIDENT, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ELF_MAGIC, ET, ET_NAMES,
  INTERP_MAX, MAX_PHDRS_BYTES, PF, PHDR_SIZE, PN_XNUM, PT,
} from './constants.js';

/** Bad input: not ELF, truncated, corrupt, or a kind of ELF file that cannot be run. */
export class ElfError extends UserError {}

export interface ElfSegment {
  /** Index in the program header table, for messages. */
  index: number;
  type: number;
  /** PF_* bits (R=4, W=2, X=1). */
  flags: number;
  offset: number;
  vaddr: GuestAddr;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfFile {
  /** How messages name the file (the path as the user gave it). */
  name: string;
  bytes: Uint8Array;
  class: 32 | 64;
  endian: 'le' | 'be';
  osabi: number;
  /** ET.EXEC or ET.DYN. */
  type: number;
  machine: number;
  flags: number;
  entry: GuestAddr;
  phoff: number;
  phentsize: number;
  phnum: number;
  /** Every program header, in table order. */
  segments: ElfSegment[];
  /** The PT_LOAD entries, in table order (which validation guarantees is ascending by vaddr). */
  loads: ElfSegment[];
  /** PT_INTERP path, if the program is dynamically linked. */
  interp?: string;
  /** PT_GNU_STACK asks for an executable stack (absent PT_GNU_STACK: false). */
  execStack: boolean;
}

const hex = (n: number): string => '0x' + n.toString(16);

/** Parse `bytes` as an ELF executable or shared object; throws ElfError with a one-line reason. */
export function parseElf(bytes: Uint8Array, name: string): ElfFile {
  const fail = (what: string): never => {
    throw new ElfError(`${name}: ${what}`);
  };
  checkIdent(bytes, name);
  const elfClass = bytes[4] === ELFCLASS32 ? 32 : 64;
  const endian = bytes[5] === ELFDATA2LSB ? 'le' : 'be';
  if (bytes.length < EHDR_SIZE[elfClass]) {
    fail(`truncated ELF header (${bytes.length} bytes, a ${elfClass}-bit header has ${EHDR_SIZE[elfClass]})`);
  }

  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parser = new elfy.Parser();
  const header: ElfyHeader = parser.parseHeader(buf); // also sets the parser's byte order and word size
  // elfy gives e_type / e_machine as names from its tables (it has none for RISC-V); read numbers.
  const type = parser.readUInt16(buf, 16);
  const machine = parser.readUInt16(buf, 18);

  if (type !== ET.EXEC && type !== ET.DYN) {
    fail(`cannot run this kind of ELF file: ${ET_NAMES[type] ?? `e_type ${type}`}; an executable (ET_EXEC or ET_DYN) is needed`);
  }
  const { phoff, phnum, phentsize } = header;
  if (phnum === 0) fail('corrupt ELF file: it has no program headers');
  if (phnum === PN_XNUM) fail('corrupt ELF file: extended program header numbering (e_phnum 0xffff) is not valid in an executable');
  if (phentsize !== PHDR_SIZE[elfClass]) {
    fail(`corrupt ELF file: program header size (e_phentsize) is ${phentsize}, expected ${PHDR_SIZE[elfClass]}`);
  }
  const tableBytes = phnum * phentsize;
  if (tableBytes > MAX_PHDRS_BYTES) fail(`corrupt ELF file: ${phnum} program headers is too many`);
  if (phoff + tableBytes > bytes.length) {
    fail(`truncated ELF file: the program headers (${phnum} at offset ${hex(phoff)}) end past the end of the file (${bytes.length} bytes)`);
  }

  const segments: ElfSegment[] = parser.parsePrograms(buf, header).map((p, index) => {
    const at = phoff + index * phentsize;
    return {
      index,
      type: parser.readUInt32(buf, at), // raw: elfy's names do not cover every type
      flags: parser.readUInt32(buf, at + (elfClass === 64 ? 4 : 24)),
      offset: p.offset,
      vaddr: p.vaddr,
      filesz: p.filesz,
      memsz: p.memsz,
      align: p.align,
    };
  });

  const loads = segments.filter((s) => s.type === PT.LOAD);
  if (loads.length === 0) fail('corrupt ELF file: it has no loadable (PT_LOAD) segments');
  let prev: ElfSegment | undefined;
  for (const s of loads) {
    const what = `segment ${s.index} (PT_LOAD at ${hex(s.vaddr)})`;
    if (s.offset + s.filesz > bytes.length) {
      fail(`truncated ELF file: ${what} needs file bytes up to ${hex(s.offset + s.filesz)}, but the file has only ${hex(bytes.length)}`);
    }
    if (s.memsz < s.filesz) {
      fail(`corrupt ELF file: ${what} is smaller in memory (${hex(s.memsz)}) than in the file (${hex(s.filesz)})`);
    }
    if (prev && s.vaddr < prev.vaddr + prev.memsz) {
      fail(`corrupt ELF file: ${what} starts below the end of segment ${prev.index} (${hex(prev.vaddr + prev.memsz)}); PT_LOAD segments must be in ascending order and must not overlap`);
    }
    prev = s;
  }

  let interp: string | undefined;
  const interpSeg = segments.find((s) => s.type === PT.INTERP);
  if (interpSeg) interp = readInterp(bytes, interpSeg, fail);
  const stack = segments.find((s) => s.type === PT.GNU_STACK);

  return {
    name, bytes, class: elfClass, endian, osabi: bytes[7], type, machine, flags: header.flags,
    entry: header.entry, phoff, phentsize, phnum, segments, loads, interp,
    execStack: stack ? (stack.flags & PF.X) !== 0 : false,
  };
}

/** Is this the start of an ELF file? (For callers that want to try other formats first.) */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

function checkIdent(bytes: Uint8Array, name: string): void {
  if (!isElf(bytes)) {
    let why = '';
    if (bytes.length === 0) why = ' (it is empty)';
    else if (bytes[0] === 0x23 && bytes[1] === 0x21) {
      // "#!": binfmt_misc would hand the script to its interpreter; we cannot know that one's ISA.
      const line = Buffer.from(bytes.subarray(0, 80)).toString('latin1').split('\n')[0];
      why = ` (it is a script, "${line}"; run its interpreter under crossrun instead)`;
    } else if (ELF_MAGIC.every((b, i) => i >= bytes.length || bytes[i] === b)) why = ' (it is truncated)';
    throw new ElfError(`${name} is not an ELF file${why}`);
  }
  if (bytes.length < EI_NIDENT) throw new ElfError(`${name}: truncated ELF header (${bytes.length} bytes)`);
  if (bytes[4] !== ELFCLASS32 && bytes[4] !== ELFCLASS64) {
    throw new ElfError(`${name}: corrupt ELF file: bad class byte ${bytes[4]} (expected 1 for 32-bit or 2 for 64-bit)`);
  }
  if (bytes[5] !== ELFDATA2LSB && bytes[5] !== ELFDATA2MSB) {
    throw new ElfError(`${name}: corrupt ELF file: bad byte-order byte ${bytes[5]} (expected 1 for little-endian or 2 for big-endian)`);
  }
}

function readInterp(bytes: Uint8Array, s: ElfSegment, fail: (what: string) => never): string {
  if (s.offset + s.filesz > bytes.length) {
    fail(`truncated ELF file: the interpreter path (PT_INTERP) lies past the end of the file`);
  }
  if (s.filesz < 2 || s.filesz > INTERP_MAX) fail(`corrupt ELF file: the interpreter path (PT_INTERP) has a bad size (${s.filesz})`);
  const raw = bytes.subarray(s.offset, s.offset + s.filesz);
  if (raw[raw.length - 1] !== 0) fail('corrupt ELF file: the interpreter path (PT_INTERP) is not NUL-terminated');
  const path = Buffer.from(raw.subarray(0, raw.indexOf(0))).toString('utf8');
  if (path === '') fail('corrupt ELF file: the interpreter path (PT_INTERP) is empty');
  return path;
}
