// A block as the translation store (translation-store.ts) gives it back, and the encodings of what
// its record keeps besides plain words: the terminator (so that the region tier can form regions
// without lifting the block again) and the evaluator's slow part (its rare ops, as JSON).
import type { ArchSpec, CodeFetch } from '../arch/arch.js';
import { SLOW_ENDS, type SlowPart } from '../jit/eval-ops.js';
import type { IntTy, IRBlock, Op, Terminator } from '../jit/ir.js';
import { GuestSignal, Sig } from '../signals.js';
import { assert } from '../types.js';

/** A block whose ops are not at hand: one from the store, or one this run lifted straight into
 *  tier 0's evaluator form (jit/eval-builder.ts). pc, ninsns, size, its terminator and whether
 *  it is a call are known; the rest is lifted from the recorded bytes when first asked for (the
 *  same IR the first lift made: same bytes, same pc). */
export class StoredBlock implements IRBlock {
  private block: IRBlock | null = null;

  constructor(
    readonly pc: number,
    readonly ninsns: number,
    readonly size: number,
    readonly end: Terminator,
    readonly isCall: boolean,
    private readonly arch: ArchSpec,
    private readonly bytes: Uint8Array,
    private readonly stats: { relifted: number },
  ) {}

  private full(): IRBlock {
    if (this.block === null) {
      const { pc, bytes } = this;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      const le = this.arch.endian === 'le';
      // Past the recorded bytes is where the first lift's fetch failed (or never read).
      const at = (a: number, n: number): number => {
        if (a < pc || a + n > pc + bytes.length) throw new GuestSignal(Sig.SEGV, 0, a);
        return a - pc;
      };
      const fetch: CodeFetch = { u16: (a) => view.getUint16(at(a, 2), le), u32: (a) => view.getUint32(at(a, 4), le) };
      const ir = this.arch.lift(fetch, pc);
      this.stats.relifted++;
      assert(ir.ninsns === this.ninsns && ir.size === this.size, 'a stored block lifts differently');
      this.block = ir;
    }
    return this.block;
  }
  get ops(): Op[] {
    return this.full().ops;
  }
  get ntemps(): number {
    return this.full().ntemps;
  }
  get types(): IntTy[] {
    return this.full().types;
  }
}

/** Terminators as words (kind, then its fields, all u32). */
const TERMINATORS: readonly (readonly [Terminator['op'], readonly string[]])[] = [
  ['goto', ['pc']],
  ['jump', ['target']],
  ['branch', ['cond', 'taken', 'fall']],
  ['syscall', ['next']],
  ['trap', ['signal', 'code', 'addr', 'pc']],
  ['flushCode', ['next']],
];
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
