// Types for the parts of elfy (CommonJS, untyped) that elf-parse.test.ts uses to cross-check
// src/elf/parse.ts (which reads the fields itself: loading elfy costs start-up time, see parse.ts). elfy
// maps numeric fields to names through its tables; where a table has no entry (e_machine 243,
// unknown p_type) the field is undefined.
declare module 'elfy' {
  export interface ElfyHeader {
    class: '32' | '64';
    endian: 'lsb' | 'msb';
    type: string | undefined;
    machine: string | undefined;
    entry: number;
    phoff: number;
    shoff: number;
    flags: number;
    ehsize: number;
    phentsize: number;
    phnum: number;
    shentsize: number;
    shnum: number;
    shstrndx: number;
  }
  export interface ElfyProgram {
    type: string | undefined;
    offset: number;
    vaddr: number;
    paddr: number;
    filesz: number;
    memsz: number;
    flags: Record<string, boolean>;
    align: number;
    data: Buffer;
  }
  export class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
    readUInt16(buf: Buffer, offset: number): number;
    readUInt32(buf: Buffer, offset: number): number;
  }
  const elfy: { Parser: typeof Parser; parse(buf: Buffer): unknown };
  export default elfy;
}
