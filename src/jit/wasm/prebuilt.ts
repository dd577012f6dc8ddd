// Wasm modules whose bytes are the same in every run (tier 0's evaluator, the region tier's
// trampoline and dispatcher): scripts/build.mjs makes them and the bundle carries them, base64.
// Encoding them at run time is a few ms of cold JS that every start-up (the evaluator) or every
// program that gets hot code (the other two) would pay. From the sources (tests), they are encoded
// when asked for.
import { evaluatorModuleBytes } from '../eval-module.js';
import { dispatcherBytes, trampolineBytes } from './dispatcher.js';
import { IMPORTS } from './imports.js';

const MAKE = {
  evaluator: evaluatorModuleBytes,
  trampoline: () => trampolineBytes(IMPORTS),
  /** Without CROSSRUN_JIT_PROFILE's counts, for a shared memory (an AddressSpace's). */
  dispatcher: () => dispatcherBytes(false, true),
} as const;

type Name = keyof typeof MAKE;

/** encodePrebuilt's result as JSON. */
declare const __CROSSRUN_PREBUILT_WASM__: string | undefined;
let carried: Record<Name, string> | undefined;

/** The bytes of module `name`. */
export function prebuiltModule(name: Name): Uint8Array<ArrayBuffer> {
  if (typeof __CROSSRUN_PREBUILT_WASM__ === 'string') {
    carried ??= JSON.parse(__CROSSRUN_PREBUILT_WASM__) as Record<Name, string>;
    return new Uint8Array(Buffer.from(carried[name], 'base64'));
  }
  return MAKE[name]();
}

/** Every module's bytes, base64 (scripts/build.mjs). */
export function encodePrebuilt(): Record<Name, string> {
  const out: Partial<Record<Name, string>> = {};
  for (const name of Object.keys(MAKE) as Name[]) out[name] = Buffer.from(MAKE[name]()).toString('base64');
  return out as Record<Name, string>;
}
