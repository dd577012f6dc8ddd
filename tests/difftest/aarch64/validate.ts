// The A64 encoder against aarch64-linux-gnu-objdump: random operands for every opcode, encoded
// by us, must disassemble to exactly the text our table says (`--validate-encoder`).
import type { EncoderCheck } from '../isa.js';
import { checkWithObjdump, type ObjdumpSpec } from '../objdump.js';
import { Rng } from '../../rng.js';
import { OPCODES, asmText, encode, sampleArgs, toBytes, type Insn } from './opcodes.js';

export const OBJDUMP: ObjdumpSpec = {
  command: process.env.AARCH64_OBJDUMP ?? 'aarch64-linux-gnu-objdump',
  args: ['-m', 'aarch64', '-M', 'no-aliases'],
  // objdump's "// b.any" condition aliases and similar notes
  comment: /\s+\/\/.*$/,
};

export function validateEncoder(seed: number, perOp: number, only?: RegExp): EncoderCheck {
  const rng = new Rng(seed);
  const insns: Insn[] = [];
  for (const def of OPCODES.values()) {
    if (only && !only.test(def.name)) continue;
    for (let i = 0; i < perOp; i++) insns.push(encode(def.name, sampleArgs(def, () => rng.u32())));
  }
  const items = insns.map((insn) => ({ name: insn.op.name, word: insn.word, len: 4, text: (pc: number) => asmText(insn, pc) }));
  return checkWithObjdump(OBJDUMP, items, toBytes(insns));
}
