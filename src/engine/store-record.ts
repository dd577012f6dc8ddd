// What a translation store record (translation-store.ts) keeps besides plain words, encoded: the
// terminator (so that the region tier can form regions without lifting the block again) and the
// evaluator's slow part (its rare ops, as JSON).
import { SLOW_ENDS, type SlowPart } from '../jit/interp/eval-ops.js';
import type { IntTy, IRBlock, Op, Terminator } from '../jit/ir.js';

/** Terminators as words (kind, then its fields, all u32). */
const TERMINATORS: readonly (readonly [Terminator['op'], readonly string[]])[] = [
  ['goto', ['pc']],
  ['jump', ['target']],
  ['branch', ['cond', 'taken', 'fall']],
  ['syscall', ['next']],
  ['trap', ['signal', 'code', 'addr', 'pc']],
  ['flushCode', ['next']],
];
/** How many kinds of terminator a record may hold (0 … n − 1). */
export function terminatorKinds(): number {
  return TERMINATORS.length;
}

/** Words a terminator takes. */
export const TERMINATOR_WORDS = 5;

/** Writes t at out[at…at+4]: its kind and fields, or kind -1 if a field is not a u32 (lifters
 *  make none such; the record is then not used). */
export function putTerminator(out: Int32Array, at: number, t: Terminator): void {
  out[at] = -1;
  const k = TERMINATORS.findIndex(([op]) => op === t.op);
  if (k < 0) return;
  const fields = TERMINATORS[k][1];
  for (let i = 0; i < fields.length; i++) {
    const v = (t as unknown as Record<string, unknown>)[fields[i]];
    if (typeof v !== 'number' || v >>> 0 !== v) return;
    out[at + 1 + i] = v | 0;
  }
  out[at] = k;
}

/** The terminator putTerminator wrote at W[at…], or null. */
export function terminatorAt(W: Int32Array, at: number): Terminator | null {
  const k = W[at];
  if (!(k >= 0 && k < TERMINATORS.length)) return null;
  const [op, fields] = TERMINATORS[k];
  const t: Record<string, unknown> = { op };
  // (an index loop: this runs for every block a run takes from the store, in V8's interpreter)
  for (let i = 0; i < fields.length; i++) t[fields[i]] = W[at + 1 + i] >>> 0;
  return t as unknown as Terminator;
}

/** The slow part's ops and temp types as JSON (its terminator is the block's: kept as words); null
 *  if it has no ops. The ops hold no bigint; the types are a string of 0 (i32) and 1 (i64). */
export function slowOpsJson(s: SlowPart): string | null {
  if (s.ops.length === 0) return null;
  return JSON.stringify({ ops: s.ops, types: s.types.map((t) => (t === 'i64' ? '1' : '0')).join('') });
}

/** The slow part of a block that ends in `end`, from slowOpsJson's text (null: it had no ops). */
export function slowPart(json: string | null, end: Terminator): SlowPart | null {
  const slowEnd = SLOW_ENDS.has(end.op) ? end : null;
  if (json === null) return slowEnd === null ? null : { ops: [], types: [], end: slowEnd };
  const j = JSON.parse(json) as { ops: Op[]; types: string };
  const types: IntTy[] = [];
  for (let i = 0; i < j.types.length; i++) types.push(j.types.charCodeAt(i) === 49 ? 'i64' : 'i32');
  return { ops: j.ops, types, end: slowEnd };
}
