// What the RISC-V front-end needs only to lift or disassemble: the decoder and its instruction
// tables. A bundle of its own (scripts/build.mjs), loaded at the first lift: a run whose blocks all
// come from the translation store never loads it.
import type { CodeFetch } from '../arch.js';
import { Decoded, fetchDecode } from './decode.js';
import { formatDecoded } from './disasm.js';

export { liftBlock, liftBlockInto } from './lift.js';

const dis = new Decoded();

export function disasm(fetch: CodeFetch, pc: number): { text: string; len: number } {
  fetchDecode(fetch, pc, dis);
  return { text: formatDecoded(dis), len: dis.len };
}
