// Wasm modules whose bytes are the same in every run (tier 0's evaluator, the region tier's
// trampoline and dispatcher): scripts/build.mjs makes them and the bundle carries them, base64.
// Encoding them at run time is a few ms of cold JS that every start-up (the evaluator) or every
// program that gets hot code (the other two) would pay. From the sources (tests), they are encoded
// when asked for.
import { evaluatorModuleBytes } from '../interp/eval-module.js';
import { dispatcherBytes, trampolineBytes } from './dispatcher.js';
import { IMPORTS } from './imports.js';

const MAKE = {
  evaluator: evaluatorModuleBytes,
  trampoline: () => trampolineBytes(IMPORTS),
  /** Without CROSSRUN_JIT_PROFILE's counts, for a shared memory (an AddressSpace's). */
  dispatcher: () => dispatcherBytes(false, true),
} as const;

type Name = keyof typeof MAKE;

/** Each module's bytes, base64: a string constant of its own in the bundle (scripts/build.mjs),
 *  so that taking one allocates nothing on the JS heap (one string of JSON for all three cost a
 *  parse, and its strings, at every start-up). */
declare const __CROSSRUN_WASM_EVALUATOR__: string | undefined;
declare const __CROSSRUN_WASM_TRAMPOLINE__: string | undefined;
declare const __CROSSRUN_WASM_DISPATCHER__: string | undefined;

/** The base64 the bundle carries for module `name` (none from the sources). */
function carried(name: Name): string | undefined {
  switch (name) {
    case 'evaluator':
      return typeof __CROSSRUN_WASM_EVALUATOR__ === 'string' ? __CROSSRUN_WASM_EVALUATOR__ : undefined;
    case 'trampoline':
      return typeof __CROSSRUN_WASM_TRAMPOLINE__ === 'string' ? __CROSSRUN_WASM_TRAMPOLINE__ : undefined;
    case 'dispatcher':
      return typeof __CROSSRUN_WASM_DISPATCHER__ === 'string' ? __CROSSRUN_WASM_DISPATCHER__ : undefined;
  }
}

/** The bytes of module `name`. */
export function prebuiltModule(name: Name): Uint8Array<ArrayBuffer> {
  const b64 = carried(name);
  return b64 !== undefined ? new Uint8Array(Buffer.from(b64, 'base64')) : MAKE[name]();
}

/** Every module's bytes, base64 (scripts/build.mjs). */
export function encodePrebuilt(): Record<Name, string> {
  const out: Partial<Record<Name, string>> = {};
  for (const name of Object.keys(MAKE) as Name[]) out[name] = Buffer.from(MAKE[name]()).toString('base64');
  return out as Record<Name, string>;
}
