// Lazy condition flags. A front-end that keeps flags as four 0/1 slots (AArch64's N, Z, C, V:
// src/arch/aarch64/lift-util.ts) writes all four after every compare, though most are never read:
// the next compare overwrites them. Computing them costs more than the compare itself, and their
// locals stay live around every loop (a region exit must store them). So the region compiler
// recognises the four writes when they are the exact IR of a subtraction's, an addition's or a
// logical result's flags, and keeps only the operands (and which of the three it was); the flags
// are computed from those where something reads them: a read in a later block, or a region exit.
// A read in the same block after the writes uses the written values. Regions that write the four
// slots any other way are compiled as before.
import type { IRBlock, Op as IROp, Temp } from '../ir.js';

export const enum FlagKind {
  /** The flag locals hold the flags, as in memory. */
  NONE = 0,
  /** Of a - b / a + b / the result a (operands shifted left by 32 for 32-bit ones). */
  SUB = 1,
  ADD = 2,
  LOGIC = 3,
  /** The flag locals hold the flags, computed here: an exit stores them. (The three kinds
   *  above are its low two bits.) */
  DIRTY = 4,
}

export interface FlagQuad {
  readonly kind: FlagKind;
  readonly a: Temp;
  /** The second operand (SUB, ADD), else −1. */
  readonly b: Temp;
  readonly is32: boolean;
  /** The four set ops (N, Z, C, V), in block order; the first one carries the quad. */
  readonly sets: readonly IROp[];
  /** Index of the first set in its block. */
  readonly at: number;
}

export interface LazyFlags {
  /** Slots of N, Z, C, V. */
  readonly slots: readonly [number, number, number, number];
  /** Quads by their first set op; every set of the four slots in the region belongs to one. */
  readonly quads: ReadonlyMap<IROp, FlagQuad>;
  readonly setOps: ReadonlySet<IROp>;
}

type Bin = Extract<IROp, { op: 'bin' }>;

/** One block's quads, with their slots. */
function blockQuads(ir: IRBlock): { slots: number[]; quad: FlagQuad }[] {
  const ops = ir.ops;
  // (made at the first candidate: most blocks have none)
  let defs: (IROp | undefined)[] | null = null;
  const defOf = (t: Temp): IROp | undefined => {
    if (defs === null) {
      defs = new Array(ir.ntemps);
      for (const op of ops) if ('out' in op) defs[op.out] = op;
    }
    return defs[t];
  };
  const bin = (t: Temp, fn: Bin['fn']): Bin | null => {
    const d = defOf(t);
    return d?.op === 'bin' && d.fn === fn ? d : null;
  };
  const isZero = (t: Temp) => {
    const d = defOf(t);
    return d?.op === 'const' && BigInt.asUintN(64, d.value) === 0n;
  };
  const out: { slots: number[]; quad: FlagQuad }[] = [];
  const isSet32 = (o: IROp) => o.op === 'set' && o.ty === 'i32';
  for (let i = 0; i + 3 < ops.length; i++) {
    // (tested before anything is allocated: most sets start no quad)
    if (!isSet32(ops[i]) || !isSet32(ops[i + 1]) || !isSet32(ops[i + 2]) || !isSet32(ops[i + 3])) continue;
    const s = ops.slice(i, i + 4) as Extract<IROp, { op: 'set' }>[];
    const [n, z, c, v] = s.map((o) => o.value);
    const slots = s.map((o) => o.slot);
    if (new Set(slots).size !== 4) continue;
    // N = res < 0, Z = res == 0 (signed compare / eq against a zero constant)
    const dn = bin(n, 'lts');
    const dz = bin(z, 'eq');
    if (dn === null || dz === null || !isZero(dn.b) || !isZero(dz.b) || dn.a !== dz.a) continue;
    const res = dn.a;
    const is32 = ir.types[res] === 'i32';
    let quad: FlagQuad | null = null;
    if (isZero(c) && isZero(v) && ir.types[c] === 'i32' && ir.types[v] === 'i32') {
      quad = { kind: FlagKind.LOGIC, a: res, b: -1, is32, sets: s, at: i };
    } else {
      const dsub = bin(res, 'sub');
      const dadd = bin(res, 'add');
      const dv = bin(v, 'xor');
      if (dsub !== null && dv !== null) {
        // C = b <=u a; V = (a <s b) ^ N
        const dc = bin(c, 'leu');
        const x = dv.b === n ? bin(dv.a, 'lts') : null;
        if (dc !== null && dc.a === dsub.b && dc.b === dsub.a && x !== null && x.a === dsub.a && x.b === dsub.b) {
          quad = { kind: FlagKind.SUB, a: dsub.a, b: dsub.b, is32, sets: s, at: i };
        }
      } else if (dadd !== null && dv !== null) {
        // C = res <u a; V = (res <s a) ^ (b <s 0)
        const dc = bin(c, 'ltu');
        const x = bin(dv.a, 'lts');
        const y = bin(dv.b, 'lts');
        if (dc !== null && dc.a === res && dc.b === dadd.a && x !== null && x.a === res && x.b === dadd.a && y !== null && y.a === dadd.b && isZero(y.b)) {
          quad = { kind: FlagKind.ADD, a: dadd.a, b: dadd.b, is32, sets: s, at: i };
        }
      }
    }
    if (quad !== null) {
      out.push({ slots, quad });
      i += 3;
    }
  }
  return out;
}

/** The region's lazy flags, or null: no quads, quads on different slots, or another write. */
export function lazyFlags(blocks: readonly IRBlock[]): LazyFlags | null {
  let slots: number[] | null = null;
  const quads = new Map<IROp, FlagQuad>();
  const setOps = new Set<IROp>();
  for (const b of blocks) {
    for (const { slots: s, quad } of blockQuads(b)) {
      if (slots === null) slots = s;
      else if (s.some((x, k) => x !== (slots as number[])[k])) return null;
      quads.set(quad.sets[0], quad);
      for (const o of quad.sets) setOps.add(o);
    }
  }
  if (slots === null) return null;
  // Another write of a flag (a compare with carry, ccmp, msr nzcv) could first compute the
  // pending flags and then write as before, but measured slower (bench strings, aarch64: 4.33 →
  // 4.55 s): such regions keep their flags eagerly.
  const lazy = new Set(slots);
  for (const b of blocks) {
    for (const op of b.ops) if (op.op === 'set' && lazy.has(op.slot) && !setOps.has(op)) return null;
  }
  return { slots: slots as [number, number, number, number], quads, setOps };
}
