// Disassembly as GNU objdump prints A64 (its default aliases, "// eq = none"-style comments),
// from the same tables the lifter uses. Branch targets are bare hex, as objdump prints them before
// its " <symbol+off>" suffix; unallocated words print as objdump's ".inst … ; undefined".
import type { CodeFetch } from '../arch.js';
import { inst } from './dis-util.js';
import { Decoded, decode, fetchDecode } from './decode.js';

export function formatDecoded(d: Decoded): string {
  return d.def === null ? inst(d.raw) : d.def.dis(d);
}

/** The text of the word w at pc. */
export function disasmWord(w: number, pc: number): string {
  const d = new Decoded();
  d.pc = pc;
  decode(w, d);
  return formatDecoded(d);
}

const dis = new Decoded();
export function disasm(fetch: CodeFetch, pc: number): { text: string; len: number } {
  fetchDecode(fetch, pc, dis);
  return { text: formatDecoded(dis), len: 4 };
}
