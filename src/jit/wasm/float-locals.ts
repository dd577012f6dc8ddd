// Which values of a region live in f64 locals rather than as i64 bits. The IR carries FP values
// as integer bits; a region that kept them so would convert every FP op's operands and result
// (f64.reinterpret_i64 / i64.reinterpret_f64: a move between the host's integer and vector
// registers, ~3 cycles each way), and V8 does not fold a pair of those, not even back to back.
// On a chain of dependent FP ops (n-body's) that doubles the latency of each op.
//
// A temp is kept as an f64 when its op makes one (an f64 FP result, an 8-byte load, a read of a
// float register) and every use takes one (an f64 FP operand, an 8-byte store, a write to a float
// register). A guest register is a float register when every read of it in the region is such a
// temp and every write is of a value made as an f64. Anything else reading or writing them gets
// the bits through a conversion (region-emitter.ts push/def), so the choice is never wrong, only
// slower where it guessed badly.
import type { IRBlock, Op as IROp, Temp } from '../ir.js';
import { uses } from './ir-uses.js';

export interface FloatPlan {
  /** Guest state slots held in f64 locals. */
  readonly regs: ReadonlySet<number>;
  /** Per block, per temp: 1 if it is held in an f64 local. */
  readonly temps: ReadonlyMap<IRBlock, Uint8Array>;
}

const SIGN = 1n << 63n;

/** An integer op on an f64's bits that is an FP sign op: x xor SIGN (neg) or x and ¬SIGN (abs),
 *  f64.neg and f64.abs exactly (wasm's are bit operations, NaNs included). `konst`: the block's
 *  constants by temp. */
export function signOp(op: IROp, konst: readonly (bigint | undefined)[]): { x: Temp; fn: 'neg' | 'abs' } | null {
  if (op.op !== 'bin' || op.ty !== 'i64' || (op.fn !== 'xor' && op.fn !== 'and')) return null;
  const mask = op.fn === 'xor' ? SIGN : SIGN - 1n;
  const is = (t: Temp) => konst[t] !== undefined && BigInt.asUintN(64, konst[t] as bigint) === mask;
  const x = is(op.b) ? op.a : is(op.a) ? op.b : -1;
  return x < 0 ? null : { x, fn: op.fn === 'xor' ? 'neg' : 'abs' };
}

/** Does `op` make an f64 (given the float registers)? */
function makesF64(op: IROp, regs: ReadonlySet<number>, konst: readonly (bigint | undefined)[]): boolean {
  switch (op.op) {
    case 'bin':
      return signOp(op, konst) !== null;
    case 'fbin':
      return op.fmt === 'f64' && (op.fn === 'add' || op.fn === 'sub' || op.fn === 'mul' || op.fn === 'div');
    case 'fsqrt':
    case 'ffma':
      return op.fmt === 'f64';
    case 'i2f':
    case 'f2f':
      return op.to === 'f64';
    case 'load':
      return op.ty === 'i64' && op.size === 8 && op.endian === 'le';
    case 'get':
      return op.ty === 'i64' && regs.has(op.slot);
    default:
      return false;
  }
}

/** The temps `op` reads as an f64 (with repeats, as `uses` lists them). */
function f64Uses(op: IROp, regs: ReadonlySet<number>, konst: readonly (bigint | undefined)[]): Temp[] {
  switch (op.op) {
    case 'bin': {
      const s = signOp(op, konst);
      return s === null ? [] : [s.x];
    }
    case 'fbin':
      return makesF64(op, regs, konst) ? [op.a, op.b] : [];
    case 'ffma':
      return op.fmt === 'f64' ? [op.a, op.b, op.c] : [];
    case 'fsqrt':
      return op.fmt === 'f64' ? [op.a] : [];
    case 'fcmp':
      return op.fmt === 'f64' ? [op.a, op.b] : [];
    case 'f2i':
    case 'f2f':
      return op.from === 'f64' ? [op.a] : [];
    case 'store':
      return op.size === 8 && op.endian === 'le' && op.value !== op.addr ? [op.value] : [];
    case 'set':
      return op.ty === 'i64' && regs.has(op.slot) ? [op.value] : [];
    default:
      return [];
  }
}

/** What the plan needs of a block, whatever the float registers are. */
interface BlockFacts {
  readonly b: IRBlock;
  readonly konst: (bigint | undefined)[];
  /** Uses of each temp, the terminator's included. */
  readonly all: Int32Array;
  /** The op defining each temp. */
  readonly defOf: (IROp | undefined)[];
}

function blockFacts(b: IRBlock): BlockFacts {
  const all = new Int32Array(b.ntemps);
  const defOf: (IROp | undefined)[] = new Array(b.ntemps);
  for (const op of b.ops) {
    for (const t of uses(op)) all[t]++;
    if ('out' in op) defOf[op.out] = op;
  }
  // the terminator reads integers only
  const e = b.end;
  if (e.op === 'jump') all[e.target]++;
  else if (e.op === 'branch') all[e.cond]++;
  return { b, konst: constants(b), all, defOf };
}

/** The block's temps that are f64s, given the float registers. */
function floatTemps(f: BlockFacts, regs: ReadonlySet<number>): Uint8Array {
  const n = f.b.ntemps;
  const asF64 = new Int32Array(n);
  for (const op of f.b.ops) for (const t of f64Uses(op, regs, f.konst)) asF64[t]++;
  const out = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const d = f.defOf[t];
    out[t] = d !== undefined && f.all[t] === asF64[t] && makesF64(d, regs, f.konst) ? 1 : 0;
  }
  return out;
}

/** An FP op on f64 values: a region without one keeps everything as bits. */
function takesF64(op: IROp): boolean {
  switch (op.op) {
    case 'fbin':
    case 'fsqrt':
    case 'ffma':
    case 'fcmp':
      return op.fmt === 'f64';
    case 'f2i':
      return op.from === 'f64';
    case 'i2f':
      return op.to === 'f64';
    case 'f2f':
      return op.from === 'f64' || op.to === 'f64';
    default:
      return false;
  }
}

/** The region's float registers and temps. `never`: slots that must stay i64 (lazy flags). */
export function floatPlan(blocks: readonly IRBlock[], never: ReadonlySet<number>): FloatPlan {
  if (!blocks.some((b) => b.ops.some(takesF64))) return noFloats(blocks);
  // Start from every register the region reads or writes, then drop those some access rules out
  // until none changes (dropping one can rule out others: a move between two).
  const regs = new Set<number>();
  for (const b of blocks) for (const op of b.ops) if ((op.op === 'set' || op.op === 'get') && !never.has(op.slot)) regs.add(op.slot);
  const facts = blocks.map(blockFacts);
  let temps: Uint8Array[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    temps = facts.map((f) => floatTemps(f, regs));
    facts.forEach((f, k) => {
      const ft = temps[k];
      for (const op of f.b.ops) {
        if ((op.op !== 'get' && op.op !== 'set') || !regs.has(op.slot)) continue;
        const def = op.op === 'set' ? f.defOf[op.value] : undefined;
        const ok = op.ty === 'i64' && (op.op === 'get' ? ft[op.out] === 1 : def !== undefined && makesF64(def, regs, f.konst));
        if (!ok) {
          regs.delete(op.slot);
          changed = true;
        }
      }
    });
  }
  return { regs, temps: new Map(blocks.map((b, k) => [b, temps[k]])) };
}

/** No float values: every register and temp as bits. */
export function noFloats(blocks: readonly IRBlock[]): FloatPlan {
  return { regs: new Set(), temps: new Map(blocks.map((b) => [b, new Uint8Array(b.ntemps)])) };
}

/** The block's constants by temp. */
export function constants(b: IRBlock): (bigint | undefined)[] {
  const k: (bigint | undefined)[] = new Array(b.ntemps);
  for (const op of b.ops) if (op.op === 'const') k[op.out] = op.value;
  return k;
}
