// Regions of earlier runs, formed again as soon as one of their blocks is hot. A region forms
// after its first block has run WARM more times in tier 0 than the engine's hot threshold, then
// waits for its batch; a program run again would form the same regions after the same wait,
// though the translation store holds their code (sqlite3: 2.1 million of tier 0's 2.4 million
// evaluated block runs were of blocks that ended up in regions; taking the kept regions at once,
// runs alternated with CROSSRUN_JIT_REPLAY=0: sqlite3 5.9–6.1 → 4.6–5.1 s, lua5.4 3.4–4.5 →
// 3.2–3.3 s, xz -d 1.1–1.4 → 1.0–1.1 s). The store's region keys
// (region-key.ts) give their shapes back; a kept region is taken when all its blocks are on
// executable pages and their bytes are those it was made from (the key holds).
import type { AddressSpace } from '../../mem/address-space.js';
import type { CompileOptions } from './compile.js';
import type { RegionShape } from './region.js';
import { keyHolds, shapeOfKey } from './region-key.js';

/** Where region code of earlier runs is kept (the translation store). */
export interface RegionBodies {
  body(key: Int32Array): Uint8Array | undefined;
  keep(key: Int32Array, body: Uint8Array): void;
  /** The keys of the code kept from earlier runs. */
  keys(): readonly Int32Array[];
}

export interface KeptRegion {
  readonly shape: RegionShape;
  readonly body: Uint8Array;
}

interface Candidate {
  readonly key: Int32Array;
  readonly shape: RegionShape;
}

export class KeptRegions {
  /** The kept regions by the pcs of their blocks, likeliest first (made at the first lookup). */
  private byPc: Map<number, Candidate[]> | null = null;
  /** Regions taken already (a later block of theirs must not take them again). */
  private readonly taken = new Set<Int32Array>();

  constructor(
    private readonly bodies: RegionBodies,
    private readonly mem: AddressSpace,
    private readonly opts: () => CompileOptions,
  ) {}

  /** Whether take(pc) would find a region now. */
  has(pc: number): boolean {
    return this.find(pc) !== undefined;
  }

  /** A kept region holding pc that this run has not taken, whose blocks' bytes are as they were. */
  take(pc: number): KeptRegion | null {
    const c = this.find(pc);
    const body = c === undefined ? undefined : this.bodies.body(c.key);
    if (c === undefined || body === undefined) return null;
    this.taken.add(c.key);
    return { shape: c.shape, body };
  }

  /** Translations were dropped: every kept region may be taken again. */
  reset(): void {
    this.taken.clear();
  }

  private find(pc: number): Candidate | undefined {
    return this.index().get(pc)?.find((c) => !this.taken.has(c.key) && c.shape.blocks.every((b) => this.mem.executable(b.pc, b.size)) && keyHolds(c.key, this.mem.bytes, this.opts()));
  }

  private index(): Map<number, Candidate[]> {
    if (this.byPc !== null) return this.byPc;
    const byPc = new Map<number, Candidate[]>();
    for (const key of this.bodies.keys()) {
      const shape = shapeOfKey(key);
      if (shape === null) continue;
      for (const b of shape.blocks) {
        const list = byPc.get(b.pc);
        if (list === undefined) byPc.set(b.pc, [{ key, shape }]);
        else list.push({ key, shape });
      }
    }
    // A region grown by the indirect-jump targets it learned is the later form of one without
    // them; among equals, the bigger one.
    for (const list of byPc.values()) if (list.length > 1) list.sort((a, b) => rank(b.shape) - rank(a.shape));
    this.byPc = byPc;
    return byPc;
  }
}

function rank(s: RegionShape): number {
  let targets = 0;
  for (const t of s.jumpTargets?.values() ?? []) targets += t.length;
  return targets * 1024 + s.blocks.length;
}
