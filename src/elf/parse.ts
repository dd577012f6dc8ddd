// Parse and validate an ELF executable's header and program headers. We check everything first so
// that no input — truncated, corrupt, or not ELF at all — gives a RangeError. Sections are never
// looked at: the kernel does not need them, and stripped or hand-made executables may have none.
// The fields are read here with a DataView (not with elfy, whose start-up — it loads node:assert
// and node:util — a short run noticed).

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

  const r = new FieldReader(bytes, elfClass, endian);
  const type = r.u16(16);
  const machine = r.u16(18);
  const entry = r.word(24);
  const phoff = r.word(elfClass === 64 ? 32 : 28);
  const flags = r.u32(elfClass === 64 ? 48 : 36);
  const phentsize = r.u16(elfClass === 64 ? 54 : 42);
  const phnum = r.u16(elfClass === 64 ? 56 : 44);

  if (type !== ET.EXEC && type !== ET.DYN) {
    fail(`cannot run this kind of ELF file: ${ET_NAMES[type] ?? `e_type ${type}`}; an executable (ET_EXEC or ET_DYN) is needed`);
  }
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

  // e_phoff 0 means no table (whatever e_phnum says).
  const segments: ElfSegment[] = [];
  for (let index = 0; phoff !== 0 && index < phnum; index++) {
    const at = phoff + index * phentsize;
    segments.push(elfClass === 64
      ? {
          index, type: r.u32(at), flags: r.u32(at + 4), offset: r.word(at + 8), vaddr: r.word(at + 16),
          filesz: r.word(at + 32), memsz: r.word(at + 40), align: r.word(at + 48),
        }
      : {
          index, type: r.u32(at), flags: r.u32(at + 24), offset: r.u32(at + 4), vaddr: r.u32(at + 8),
          filesz: r.u32(at + 16), memsz: r.u32(at + 20), align: r.u32(at + 28),
        });
  }

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
    name, bytes, class: elfClass, endian, osabi: bytes[7], type, machine, flags,
    entry, phoff, phentsize, phnum, segments, loads, interp,
    execStack: stack ? (stack.flags & PF.X) !== 0 : false,
  };
}

/** Reads the header's and program headers' fields in the file's byte order; a word is 4 or 8
 *  bytes by class (64-bit values become JS numbers, as every guest address is < 2^53). */
class FieldReader {
  private readonly view: DataView;
  private readonly le: boolean;
  constructor(bytes: Uint8Array, private readonly elfClass: 32 | 64, endian: 'le' | 'be') {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.le = endian === 'le';
  }
  u16(at: number): number {
    return this.view.getUint16(at, this.le);
  }
  u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }
  word(at: number): number {
    if (this.elfClass === 32) return this.u32(at);
    const lo = this.u32(at + (this.le ? 0 : 4));
    const hi = this.u32(at + (this.le ? 4 : 0));
    return lo + hi * 0x100000000;
  }
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
