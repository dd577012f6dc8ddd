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

/** How to load the code that defines a front-end's helpers, where that code is loaded on demand
 *  (the lifter's part of the bundle): a block from a translation store can call a helper in a
 *  process that has lifted nothing yet. */
const loaders: (() => void)[] = [];

/** Register a loader for helperAt (a front-end, at its module load). */
export function onHelperMiss(load: () => void): void {
  loaders.push(load);
}

/** The helper with this id, loading the parts that define helpers first if it is not defined yet
 *  (ids are given in definition order, the same in every process of a build). */
export function helperAt(id: number): Helper {
  if (HELPERS[id] === undefined) for (const load of loaders) load();
  const h = HELPERS[id];
  if (h === undefined) throw new Error(`crossrun internal error: no helper ${id}`);
  return h;
}

/** Register a helper (once per name) and give its id. */
export function defineHelper(name: string, arity: number, fn: HelperFn): number {
  if (arity > MAX_HELPER_ARGS) throw new Error(`helper ${name}: more than ${MAX_HELPER_ARGS} arguments`);
  const known = HELPERS.findIndex((h) => h.name === name);
  if (known >= 0) return known;
  HELPERS.push({ name, arity, fn });
  return HELPERS.length - 1;
}
