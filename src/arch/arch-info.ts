// The part of an ArchSpec that is plain data: enough to pick a front-end for an ELF file, list
// --arch and -cpu choices, and check them, without loading the front-end's code (each ISA's
// src/arch/<isa>/info.ts; its index.ts spreads it into the full ArchSpec).
import type { ArchSpec } from './arch.js';

export type ArchInfo = Pick<ArchSpec, 'name' | 'elfMachine' | 'elfClass' | 'endian' | 'cpus' | 'unameMachine'>;
