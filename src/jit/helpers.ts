// Pure helper functions lifters call from IR through the `helper` op (ir.ts): operations whose
// plain-IR form would be large and slow to translate (AES S-boxes, SHA rounds, 64-bit carry-less
// products). A front-end defines each once, at module load, and puts the returned id in the op;
// tier 0 calls the function directly, the wasm tier through its one `helper` import. Helpers see
// and return unsigned 64-bit bigints, and must not touch guest state.

/** At most this many i64 arguments (the wasm import always passes this many, zero-padded). */
export const MAX_HELPER_ARGS = 6;

export type HelperFn = (...args: bigint[]) => readonly [bigint, bigint];

export interface Helper {
  readonly name: string;
  readonly arity: number;
  readonly fn: HelperFn;
}

/** Every helper defined so far, by id. */
export const HELPERS: Helper[] = [];

/** Register a helper (once per name) and give its id. */
export function defineHelper(name: string, arity: number, fn: HelperFn): number {
  if (arity > MAX_HELPER_ARGS) throw new Error(`helper ${name}: more than ${MAX_HELPER_ARGS} arguments`);
  const known = HELPERS.findIndex((h) => h.name === name);
  if (known >= 0) return known;
  HELPERS.push({ name, arity, fn });
  return HELPERS.length - 1;
}
