// The shapes shared by the encoding tables, the lifters and the disassembler: one table row per
// instruction (or per family of encodings that lift alike), and the decoded instruction.
import type { BlockBuilder } from '../../jit/builder.js';

/** Emits the IR of one decoded instruction (the builder already has its `mark`). */
export type LiftFn = (b: BlockBuilder, d: Decoded) => void;
/** objdump's text for it ("mnemonic\toperands"). */
export type DisFn = (d: Decoded) => string;

export interface InsnDef {
  /** Name of the row (the base mnemonic), for tests and coverage. */
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  /** True for an encoding the row's pattern matches but the architecture leaves unallocated
   *  (reserved field values); decoding goes on with the next row. */
  readonly reserved?: (w: number) => boolean;
  readonly lift: LiftFn;
  readonly dis: DisFn;
}

/** One decoded instruction. The decoder reuses a single object: nothing on the lifting path
 *  allocates per instruction. */
export class Decoded {
  /** Null: unallocated (SIGILL). */
  def: InsnDef | null = null;
  pc = 0;
  /** The encoding, unsigned. */
  raw = 0;
  get rd(): number { return this.raw & 31; }
  get rn(): number { return (this.raw >>> 5) & 31; }
  get rm(): number { return (this.raw >>> 16) & 31; }
  /** Bits 14:10: Ra of 3-source ops, Rt2 of pairs. */
  get ra(): number { return (this.raw >>> 10) & 31; }
  /** Bit 31: 64-bit operation. */
  get sf(): number { return this.raw >>> 31; }
}

/** A row from a bit pattern written most significant bit first: '0'/'1' fixed, anything else
 *  (x, letters) free; spaces and underscores are ignored. */
export function row(name: string, pattern: string, lift: LiftFn, dis: DisFn, reserved?: (w: number) => boolean): InsnDef {
  const p = pattern.replace(/[ _]/g, '');
  if (p.length !== 32) throw new Error(`aarch64 table: pattern of ${name} has ${p.length} bits`);
  let match = 0;
  let mask = 0;
  for (let i = 0; i < 32; i++) {
    const c = p[i];
    const bitv = 1 << (31 - i);
    if (c === '0' || c === '1') {
      mask |= bitv;
      if (c === '1') match |= bitv;
    }
  }
  return { name, match: match >>> 0, mask: mask >>> 0, lift, dis, reserved };
}
