// Our own A64 instruction encoder for the differential tester. Each opcode is a fixed match word
// plus a syntax template in objdump's spelling (`objdump -M no-aliases`); the template's
// placeholders name the operand fields, so one table drives encoding, the text we expect objdump
// to print (checked by `--validate-encoder`), and the generator's view of each instruction.
//
// A placeholder is <field:view> or <field:view:param>; <field+k:view> prints (field + k) mod 32
// (consecutive registers of a list or pair). A field is a raw bit field of the word (signed where
// the architecture sign-extends it); a view turns its value into text and may read other fields
// (an extend reads its amount, an arrangement reads Q). Independent of src/arch/aarch64 on
// purpose: a shared table would hide shared mistakes.
import { FIELDS, type Args } from './fields.js';
import { VIEWS } from './views.js';

export type { Args } from './fields.js';

/** What an access does to memory, for the generator's bookkeeping and the invariant test. */
export interface MemInfo {
  /** Bytes accessed (a pair: both registers); for vector structures it depends on the operands. */
  bytes: number | ((a: Args) => number);
  /** Alignment the access needs (exclusives and atomics must be aligned; others need none). */
  align: number;
  /** How the address is formed. */
  mode: 'base' | 'uoff' | 'imm9' | 'pre' | 'post' | 'reg' | 'pair' | 'pairpre' | 'pairpost' | 'lit' | 'vpost';
  /** Scale of the immediate (uoff, pairs) or of the register index (reg). */
  scale: number;
  store: boolean;
}

export interface OpDef {
  /** Unique key, e.g. 'adds.x.imm'. */
  readonly name: string;
  readonly match: number;
  readonly syntax: string;
  /** Operand fields named by the syntax, in order of first use. */
  readonly fields: readonly string[];
  /** Combinations the architecture allows (unallocated or UNPREDICTABLE ones are refused). */
  readonly valid?: (a: Args) => boolean;
  /** General registers the instruction writes, as field names (with '+1' for the pair's second). */
  readonly writes: readonly string[];
  readonly mem?: MemInfo;
}

export interface Insn {
  op: OpDef;
  args: Args;
  word: number;
  len: 4;
}

export interface OpOptions {
  valid?: (a: Args) => boolean;
  writes?: readonly string[];
  mem?: MemInfo;
}

const PLACEHOLDER = /<([a-z0-9_]+)(\+\d)?:([a-z0-9_]+)(?::([^>]+))?>/gi;

export const OPCODES = new Map<string, OpDef>();

/** Declare an opcode. */
export function op(name: string, match: number, syntax: string, o: OpOptions = {}): OpDef {
  if (OPCODES.has(name)) throw new Error(`encode-aarch64: duplicate opcode ${name}`);
  const fields: string[] = [];
  let used = 0;
  for (const m of syntax.matchAll(PLACEHOLDER)) {
    const key = m[1]!;
    const f = FIELDS[key];
    if (!f) throw new Error(`encode-aarch64: ${name}: unknown field ${key}`);
    if (!VIEWS[m[3]!]) throw new Error(`encode-aarch64: ${name}: unknown view ${m[3]}`);
    if (fields.includes(key)) continue;
    if ((used & f.mask) !== 0 || (match & f.mask) !== 0) throw new Error(`encode-aarch64: ${name}: field ${key} overlaps`);
    used |= f.mask;
    fields.push(key);
  }
  const def: OpDef = { name, match: match >>> 0, syntax, fields, writes: o.writes ?? [], ...(o.valid ? { valid: o.valid } : {}), ...(o.mem ? { mem: o.mem } : {}) };
  OPCODES.set(name, def);
  return def;
}

/** Encode an instruction; throws on a missing or unencodable operand. */
export function encode(name: string, args: Args): Insn {
  const def = OPCODES.get(name);
  if (!def) throw new Error(`encode-aarch64: unknown opcode ${name}`);
  let word = def.match;
  const clean: Args = {};
  for (const key of def.fields) {
    const v = args[key];
    const f = FIELDS[key]!;
    if (v === undefined) throw new Error(`encode-aarch64: ${name}: missing ${key}`);
    if (!Number.isInteger(v) || v < f.min || v > f.max || (f.ok && !f.ok(v)))
      throw new Error(`encode-aarch64: ${name}: ${key}=${v} is not encodable`);
    word |= f.bits(v);
    clean[key] = v;
  }
  for (const key of Object.keys(args)) if (!def.fields.includes(key)) throw new Error(`encode-aarch64: ${name} has no operand ${key}`);
  if (def.valid && !def.valid(clean)) throw new Error(`encode-aarch64: ${name} ${JSON.stringify(clean)} is not a valid combination`);
  return { op: def, args: clean, word: word >>> 0, len: 4 };
}

/** The text objdump -M no-aliases prints for the instruction at pc. */
export function asmText(insn: Insn, pc = 0): string {
  return insn.op.syntax.replace(PLACEHOLDER, (_m, key: string, plus: string | undefined, view: string, param: string | undefined) => {
    let v = insn.args[key]!;
    if (plus) v = (v + Number(plus.slice(1))) & 31;
    return VIEWS[view]!(v, insn.args, pc, param ?? '');
  });
}

/** The view each operand field is first printed with (how the generator tells a general
 *  register from a vector register, an sp-capable field from a zero-register one). */
export function fieldViews(def: OpDef): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of def.syntax.matchAll(PLACEHOLDER)) if (!(m[1]! in out) && !m[2]) out[m[1]!] = m[3]!;
  return out;
}

/** Random operands for an opcode that satisfy its constraints (for the encoder check). */
export function sampleArgs(def: OpDef, u32: () => number): Args {
  for (let tries = 0; tries < 10000; tries++) {
    const a: Args = {};
    for (const key of def.fields) {
      const f = FIELDS[key]!;
      let v: number;
      do v = f.min + Math.floor((u32() / 0x100000000) * (f.max - f.min + 1));
      while (f.ok && !f.ok(v));
      a[key] = v;
    }
    if (!def.valid || def.valid(a)) return a;
  }
  throw new Error(`encode-aarch64: cannot sample operands for ${def.name}`);
}

export function toBytes(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * 4);
  const dv = new DataView(out.buffer);
  insns.forEach((insn, i) => dv.setUint32(4 * i, insn.word, true));
  return out;
}
