// Setting V8's flags while crossrun runs. node:v8 costs ~2 ms to load (it loads Node's heap
// snapshot and stream modules); the binding under it does not. process.binding is deprecated (a
// warning, which noDeprecation holds back for the call; under `node --no-deprecation` it is a
// read-only true, so it is only set when false): if it ever goes, node:v8 serves.
// bin/crossrun.js has its own copy, which runs before the bundle is compiled.
import { hostRequire } from './host-require.js';

interface V8Binding {
  setFlagsFromString?: (flags: string) => void;
}

export function setV8Flags(flags: string): void {
  const quiet = process.noDeprecation === true;
  try {
    if (!quiet) process.noDeprecation = true;
    const binding = (process as unknown as { binding(name: string): V8Binding }).binding('v8');
    if (typeof binding.setFlagsFromString === 'function') return binding.setFlagsFromString(flags);
  } catch {
    // gone: below
  } finally {
    if (!quiet) process.noDeprecation = false;
  }
  hostRequire<typeof import('node:v8')>('node:v8').setFlagsFromString(flags);
}

/** V8's --wasm-tiering-budget, its default from V8 10 to 13 (Node 18 to 24). */
const DEFAULT_TIERING_BUDGET = 1_800_000;
const v8Major = Number(process.versions.v8.split('.')[0]);

/**
 * Compiles `bytes` to a module whose functions V8 optimises (tiers up from Liftoff to TurboFan)
 * only after `factor` times V8's usual amount of work. V8 gives a module the budget the flag has
 * when the module is made, so the flag is raised for this compile only and put back: the region
 * tier's modules keep the default. On a V8 without the flag (outside versions 10–13) the module is
 * compiled as usual rather than risk V8 printing "unknown flag" on stderr.
 */
export function compileWithTieringBudget(bytes: Uint8Array<ArrayBuffer>, factor: number): WebAssembly.Module {
  if (!(v8Major >= 10 && v8Major <= 13)) return new WebAssembly.Module(bytes);
  setV8Flags(`--wasm-tiering-budget=${Math.round(DEFAULT_TIERING_BUDGET * factor)}`);
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setV8Flags(`--wasm-tiering-budget=${DEFAULT_TIERING_BUDGET}`);
  }
}
