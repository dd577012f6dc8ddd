// Lifted IR blocks shared by every machine (guest process image) of one ISA in one run: a fork
// child, or each exec of the same binary, would otherwise lift every block it runs again — the
// biggest start-up cost of a short-lived process. Entries are keyed by guest pc and keep a copy of
// the guest bytes the block was lifted from; a machine takes one only if those bytes are still in
// its own memory, on executable pages. So no invalidation crosses processes: self-modifying code,
// another binary at the same address, or an unmapped page simply miss (and the block is lifted
// anew). The IR is pure data; each machine still makes its own CompiledBlock (bound to its own
// runtime) from it — jit/interp/compile-block.ts shares the generated JS factory per IR block.
import type { IRBlock } from '../jit/ir.js';
import type { AddressSpace } from '../mem/address-space.js';

/** Variants kept per pc (different binaries at one address, code that changed). */
const VARIANTS = 4;
/** Past this many blocks the cache starts over: a bound on memory for runs of many programs or
 *  guests that generate code (a block's IR is a few KiB). A busybox pipeline of 10 applets lifts
 *  ~5 000. */
const MAX_ENTRIES = 50_000;

interface Entry {
  readonly ir: IRBlock;
  /** The guest bytes [ir.pc, ir.pc + bytes.length) the lifter read. */
  readonly bytes: Uint8Array;
}

export class TranslationCache {
  private readonly byPc = new Map<number, Entry[]>();
  private entries = 0;
  readonly stats = { hits: 0, misses: 0, stale: 0 };

  /** The IR lifted earlier at pc from the bytes `mem` holds there now, if any. */
  get(pc: number, mem: AddressSpace): IRBlock | undefined {
    const list = this.byPc.get(pc);
    if (list === undefined) {
      this.stats.misses++;
      return undefined;
    }
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (stillThere(mem, pc, e.bytes)) {
        this.stats.hits++;
        return e.ir;
      }
    }
    this.stats.stale++;
    return undefined;
  }

  /** Remember `ir`, lifted from `bytes` (what the lifter read at its pc; newest variant first). */
  put(ir: IRBlock, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.entries >= MAX_ENTRIES) {
      this.byPc.clear();
      this.entries = 0;
    }
    this.entries++;
    const list = this.byPc.get(ir.pc);
    if (list === undefined) this.byPc.set(ir.pc, [{ ir, bytes }]);
    else {
      list.unshift({ ir, bytes });
      if (list.length > VARIANTS) {
        list.length = VARIANTS;
        this.entries--;
      }
    }
  }
}

/** Whether `mem` holds `bytes` at pc, on executable pages: a block lifted from them then still
 *  holds there. */
export function stillThere(mem: AddressSpace, pc: number, bytes: Uint8Array): boolean {
  return mem.executable(pc, bytes.length) && same(mem.bytes, pc, bytes);
}

function same(mem: Uint8Array, addr: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (mem[addr + i] !== bytes[i]) return false;
  return true;
}

/** One cache per run (keyed by its scheduler, which every machine of the process tree shares)
 *  and ISA. */
const caches = new WeakMap<object, Map<object, TranslationCache>>();

export function sharedTranslations(run: object, isa: object): TranslationCache {
  let byIsa = caches.get(run);
  if (byIsa === undefined) caches.set(run, (byIsa = new Map()));
  let c = byIsa.get(isa);
  if (c === undefined) {
    const cache = (c = new TranslationCache());
    byIsa.set(isa, cache);
    if (process.env.CROSSRUN_JIT_STATS) process.on('exit', () => process.stderr.write(`crossrun: shared translations ${JSON.stringify(cache.stats)}\n`));
  }
  return c;
}
