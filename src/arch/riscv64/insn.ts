// The shapes shared by the decode tables, the lifters and the disassembler: an instruction
// definition (one table row), a compressed form (which expands to a definition), and the decoded
// operands of one instruction.
import type { BlockBuilder } from '../../jit/builder.js';

/** Where a 32-bit encoding keeps its immediate. */
export type ImmKind = 'none' | 'I' | 'S' | 'B' | 'U' | 'J' | 'shamt6' | 'shamt5' | 'csr';

/** Emits the IR of one decoded instruction (the builder already has its `mark`). */
export type LiftFn = (b: BlockBuilder, d: Decoded) => void;

/** A way objdump prints an instruction: a mnemonic and an operand format (see disasm.ts), used when
 *  `when` holds. Lists of these are tried in order; the last has no condition. */
export interface Form {
  readonly name: string;
  readonly fmt: string;
  readonly when?: (d: Decoded) => boolean;
}

export interface InsnDef {
  /** Mnemonic of the plain (no-alias) form. */
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly imm: ImmKind;
  /** Operand format of the plain form. */
  readonly fmt: string;
  /** objdump's default aliases, tried before the plain form. */
  readonly alias?: readonly Form[];
  readonly lift: LiftFn;
  /** Has a rounding-mode field: the reserved values 5 and 6 are illegal. */
  readonly rm?: boolean;
  /** Takes .aq/.rl suffixes from bits 26/25. */
  readonly aqrl?: boolean;
  /** objdump accepts only the encodings this passes (it prints the rest as .4byte) though the
   *  hardware ignores the extra fields (fence) or the field is meaningless (exact conversions). */
  readonly strict?: (w: number) => boolean;
  /** Known to objdump, but not an instruction a user-mode program may execute (SIGILL). */
  readonly privileged?: boolean;
}

/** A compressed encoding and how it expands into a 32-bit definition. */
export interface CDef {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  /** Sets d.def and the operands. False: a reserved encoding that objdump does not know either.
   *  A reserved encoding objdump still prints sets d.reserved instead. */
  readonly expand: (h: number, d: Decoded) => boolean;
  /** How objdump prints it, in order; operands are those of the expansion. */
  readonly dis: readonly Form[];
}

/** One decoded instruction. The decoder reuses a single object: nothing on the lifting path
 *  allocates per instruction. */
export class Decoded {
  /** Null: no such instruction (illegal). */
  def: InsnDef | null = null;
  /** The compressed form it came from, or null for a 32-bit encoding. */
  cdef: CDef | null = null;
  pc = 0;
  len: 2 | 4 = 4;
  /** The encoding: 32 bits (unsigned) or 16 bits. */
  raw = 0;
  rd = 0;
  rs1 = 0;
  rs2 = 0;
  rs3 = 0;
  rm = 0;
  /** Sign-extended immediate (I/S/B/J: the value; U: the value already shifted left 12; shifts:
   *  the amount; CSR instructions: the CSR number). */
  imm = 0;
  /** A reserved encoding objdump nevertheless prints (e.g. c.addi16sp with 0): illegal to run. */
  reserved = false;
}
