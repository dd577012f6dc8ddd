// What the AArch64 front-end needs only to lift or disassemble: the decoder and its instruction
// tables, most of the front-end's code. A bundle of its own (scripts/build.mjs), loaded at the
// first lift: a run whose blocks all come from the translation store never loads it.
export { liftBlock, liftBlockInto } from './lift.js';
export { disasm } from './disasm.js';
