// Which guest registers a region loads where it is entered and stores where it leaves. Loading
// every register the region touches at each entry, and storing every one it writes at each exit,
// cost sqlite3 ~18 loads and ~17 stores per region run: its regions chain to each other every
// ~16 guest instructions. Instead, an exit stores what may have been written on the way to it,
// and an entry loads what the code from there may need: a register read before it is written, or
// stored by an exit before it is written (an exit's set is per place, not per path, so it may
// hold a register that this path has not written: it must then hold the loaded value).
import type { IRBlock, Op as IROp } from '../ir.js';

/** A set of small integers (a region's registers, densely numbered). */
export class Bits {
  constructor(readonly w: Int32Array) {}
  static empty(n: number): Bits {
    return new Bits(new Int32Array((n + 31) >>> 5));
  }
  copy(): Bits {
    return new Bits(this.w.slice());
  }
  has(i: number): boolean {
    return (this.w[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  add(i: number): void {
    this.w[i >>> 5] |= 1 << (i & 31);
  }
  /** this ∪= o; whether it grew. */
  or(o: Bits): boolean {
    let grew = false;
    for (let i = 0; i < this.w.length; i++) {
      const v = this.w[i] | o.w[i];
      if (v !== this.w[i]) {
        this.w[i] = v;
        grew = true;
      }
    }
    return grew;
  }
  /** this ∪= (a − b); whether it grew. */
  orMinus(a: Bits, b: Bits): boolean {
    let grew = false;
    for (let i = 0; i < this.w.length; i++) {
      const v = this.w[i] | (a.w[i] & ~b.w[i]);
      if (v !== this.w[i]) {
        this.w[i] = v;
        grew = true;
      }
    }
    return grew;
  }
  subsetOf(o: Bits): boolean {
    for (let i = 0; i < this.w.length; i++) if ((this.w[i] & ~o.w[i]) !== 0) return false;
    return true;
  }
  size(): number {
    let n = 0;
    for (let v of this.w) {
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }
  /** Members, ascending. */
  list(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.w.length; i++) for (let v = this.w[i]; v !== 0; v &= v - 1) out.push(i * 32 + 31 - Math.clz32(v & -v));
    return out;
  }
  key(): string {
    return this.w.join(',');
  }
}

/** Ops the region emitter compiles without any way out of the region: no exit can be between
 *  them, so no exit needs the register set at them. */
const NO_EXIT = new Set<IROp['op']>(['const', 'get', 'set', 'bin', 'un', 'wrap', 'extend', 'sext', 'select', 'mark', 'counter', 'fclass', 'clearReservation']);

export interface RegFlow {
  /** Register (a state slot) by dense number. */
  readonly slots: readonly number[];
  /** Per block: the registers to load when the region is entered there. */
  readonly liveIn: readonly Bits[];
  /** Per block, per op index (and at ops.length: its terminator): the registers an exit there
   *  stores; undefined where the op cannot leave. */
  readonly exitSets: readonly (readonly (Bits | undefined)[])[];
}

/**
 * `succ`: per block, the blocks (indices) it may go to inside the region. Every block may be
 * entered. `dynamic`: registers whose stores the exit decides at run time (lazy flags): a write
 * ends their liveness, and no exit set holds them.
 */
export function regFlow(blocks: readonly IRBlock[], succ: readonly (readonly number[])[], dynamic: ReadonlySet<number>): RegFlow {
  const id = new Map<number, number>();
  const slots: number[] = [];
  for (const b of blocks) {
    for (const op of b.ops) {
      if ((op.op === 'get' || op.op === 'set') && !id.has(op.slot)) {
        id.set(op.slot, slots.length);
        slots.push(op.slot);
      }
    }
  }
  const n = slots.length;
  const nb = blocks.length;
  // Per block: read before written (upward exposed), written, written and stored by exits.
  const ue: Bits[] = [];
  const w: Bits[] = [];
  const ws: Bits[] = [];
  for (const b of blocks) {
    const u = Bits.empty(n);
    const d = Bits.empty(n);
    const s = Bits.empty(n);
    for (const op of b.ops) {
      if (op.op === 'get') {
        const i = id.get(op.slot) as number;
        if (!d.has(i)) u.add(i);
      } else if (op.op === 'set') {
        const i = id.get(op.slot) as number;
        d.add(i);
        if (!dynamic.has(op.slot)) s.add(i);
      }
    }
    ue.push(u);
    w.push(d);
    ws.push(s);
  }
  // Forward: what may have been written before each block (from any entry; every block is
  // reachable from the one the region was formed from, so this is also what that entry gives).
  const writtenIn = blocks.map(() => Bits.empty(n));
  const out = Bits.empty(n);
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k < nb; k++) {
      out.w.set(writtenIn[k].w);
      out.or(ws[k]);
      for (const s of succ[k]) if (writtenIn[s].or(out)) changed = true;
    }
  }
  // Backward: what code from each block on needs held (its exits store writtenIn at the least).
  const liveIn = blocks.map((_, k) => {
    const l = ue[k].copy();
    l.or(writtenIn[k]);
    return l;
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = nb - 1; k >= 0; k--) {
      for (const s of succ[k]) if (liveIn[k].orMinus(liveIn[s], w[k])) changed = true;
    }
  }
  const exitSets = blocks.map((b, k) => {
    const cur = writtenIn[k].copy();
    const at: (Bits | undefined)[] = new Array(b.ops.length + 1);
    let snap: Bits | undefined;
    b.ops.forEach((op, i) => {
      if (!NO_EXIT.has(op.op)) at[i] = snap ??= cur.copy();
      if (op.op === 'set' && !dynamic.has(op.slot)) {
        const r = id.get(op.slot) as number;
        if (!cur.has(r)) {
          cur.add(r);
          snap = undefined;
        }
      }
    });
    at[b.ops.length] = snap ?? cur;
    return at;
  });
  return { slots, liveIn, exitSets };
}

/** Sets arranged so that code for one can do its own part and go on to a subset's: distinct sets,
 *  each with the largest other one that is a proper subset of it as its parent. */
export interface SetForest {
  readonly nodes: readonly { readonly bits: Bits; readonly parent: number }[];
  /** Node of each input set. */
  readonly nodeOf: readonly number[];
  /** Every node after all of its descendants: the order a nest of labels, one per node, closes
   *  in, so that each node's code can fall or branch outward to its parent's. */
  readonly order: readonly number[];
}

export function setForest(sets: readonly Bits[]): SetForest {
  const byKey = new Map<string, number>();
  const bits: Bits[] = [];
  const nodeOf = sets.map((b) => {
    const k = b.key();
    let i = byKey.get(k);
    if (i === undefined) {
      i = bits.length;
      byKey.set(k, i);
      bits.push(b);
    }
    return i;
  });
  const size = bits.map((b) => b.size());
  const bySize = bits.map((_, i) => i).sort((a, b) => size[b] - size[a]);
  const parent = bits.map((b, i) => bySize.find((j) => size[j] < size[i] && bits[j].subsetOf(b)) ?? -1);
  const children: number[][] = bits.map(() => []);
  parent.forEach((p, i) => {
    if (p >= 0) children[p].push(i);
  });
  const order: number[] = [];
  const visit = (i: number): void => {
    for (const ch of children[i]) visit(ch);
    order.push(i);
  };
  parent.forEach((p, i) => {
    if (p < 0) visit(i);
  });
  return { nodes: bits.map((b, i) => ({ bits: b, parent: parent[i] })), nodeOf, order };
}
