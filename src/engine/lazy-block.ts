// A block whose IR ops are lifted only when something asks for them: one a run takes from the
// translation store, or one it lifted straight into tier 0's evaluator form (jit/interp/eval-builder.ts).
// Most blocks are only ever evaluated; the ops are wanted when tier 0 compiles a block or a wasm
// region takes it.
import type { ArchSpec, CodeFetch } from '../arch/arch.js';
import type { IntTy, IRBlock, Op, Terminator } from '../jit/ir.js';
import { GuestSignal, Sig } from '../signals.js';
import { assert } from '../types.js';

/** A block whose ops are not at hand: one from the store, or one this run lifted straight into
 *  tier 0's evaluator form (jit/interp/eval-builder.ts). pc, ninsns, size, its terminator and whether
 *  it is a call are known; the rest is lifted from the recorded bytes when first asked for (the
 *  same IR the first lift made: same bytes, same pc). */
export class LazyBlock implements IRBlock {
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
      assert(ir.ninsns === this.ninsns && ir.size === this.size, 'a block lifts differently from its first lift');
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
