// Runs the same IR blocks under tier 0 (compileBlock, driven the way the engine drives it) and
// under the wasm region tier (all blocks compiled as one region), each in its own address space
// with identical contents, and reports what each left behind, for the wasm-* tests to compare.
import { riscv64 } from '../src/arch/riscv64/index.js';
import type { ArchSpec } from '../src/arch/arch.js';
import { Fpu } from '../src/jit/fpu.js';
import type { FpEnv } from '../src/jit/fpu-api.js';
import { compileBlock } from '../src/jit/interp/compile-block.js';
import type { IRBlock } from '../src/jit/ir.js';
import { Exit, Tier0Runtime } from '../src/jit/interp/runtime.js';
import { Tier1 } from '../src/jit/wasm/tier.js';
import { SCHED_PREEMPT, SCHED_SLICE_END } from '../src/jit/wasm/layout.js';
import { Logger } from '../src/log.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';

export interface Outcome {
  /** Where it stopped: the pc it would continue at, or the faulting instruction's pc. */
  pc: number;
  how: 'left' | 'syscall' | 'trap' | 'flush' | 'fault' | 'steps';
  /** Trap or fault: signal, code, address. */
  signal?: [number, number, number];
  instret: number;
  S: string[];
  /** Bytes of the memory windows the test compares. */
  mem: string;
}

export interface Window {
  start: number;
  len: number;
  prot: number;
}

/** The memory the random-op tests use: 2 read-write pages at DATA, a read-only page at RO, and
 *  nothing mapped at RO + 0x1000. */
export const DATA = 0x20000;
export const RO = 0x22000;
export const WINDOWS: Window[] = [
  { start: DATA, len: 0x2000, prot: Perm.R | Perm.W },
  { start: RO, len: 0x1000, prot: Perm.R },
];

/** One engine-like side: an address space, a runtime, and (for tier 1) the region tier. */
export class Side {
  readonly mem = new AddressSpace();
  readonly rt: Tier0Runtime;
  readonly tier: Tier1 | null;

  /** The blocks being run: the tier lifts the rest of one from them (Why.RESTART). */
  private blocks: readonly IRBlock[] = [];

  constructor(readonly windows: readonly Window[], nslots: number, env: FpEnv, wasm: boolean, arch: ArchSpec = riscv64, hwFma?: boolean) {
    for (const w of windows) this.mem.map(w.start, w.len, Perm.R | Perm.W);
    this.rt = new Tier0Runtime(this.mem, nslots, new Fpu(env));
    const mem = this.mem;
    const host = {
      arch: { ...arch, fpEnv: env, lift: (_f: unknown, pc: number, max?: number) => restOf(this.blocks, pc, max) },
      mem,
      rt: this.rt,
      fetch: {
        u16: (a: number) => (mem.check(a, 2, Perm.X), mem.view.getUint16(a, true)),
        u32: (a: number) => (mem.check(a, 4, Perm.X), mem.view.getUint32(a, true)),
      },
      logger: new Logger(),
      tier1: null,
      // (called for replayed regions only, and this host keeps no region code to replay)
      markCode: () => {},
    };
    this.tier = wasm ? new Tier1(host, { hwFma }) : null;
  }

  /** Fresh state: zeroed windows, registers and runtime fields, no translations; then contents
   *  and permissions (after writing, so read-only windows can be filled). */
  init(fill: (mem: AddressSpace, S: BigUint64Array) => void): void {
    for (const w of this.windows) this.mem.map(w.start, w.len, Perm.R | Perm.W);
    const rt = this.rt;
    rt.S.fill(0n);
    rt.instret = 0;
    rt.exit = Exit.None;
    rt.resAddr = -1;
    this.tier?.onFlush();
    noSliceEnd(this.mem);
    fill(this.mem, this.rt.S); // may set a slice end of its own
    for (const w of this.windows) if (w.prot !== (Perm.R | Perm.W)) this.mem.protect(w.start, w.len, w.prot);
  }

  /** Run from entry until control leaves the blocks, a special exit, a fault, or maxSteps runs. */
  run(blocks: readonly IRBlock[], entry: number, maxSteps = 10_000): Outcome {
    const rt = this.rt;
    this.blocks = blocks;
    const byPc = new Map<number, { ir: IRBlock; run: () => number }>();
    if (this.tier === null) {
      for (const b of blocks) byPc.set(b.pc, compileBlock(b, rt));
    } else {
      const locs = this.tier.compileRegion({ blocks: [...blocks].sort((a, b) => a.pc - b.pc), entry: 0 });
      for (const b of blocks) {
        const loc = locs.get(b.pc)!;
        const tier = this.tier;
        byPc.set(b.pc, { ir: b, run: () => tier.runAt(loc, b.ninsns) });
      }
    }
    let pc = entry;
    let how: Outcome['how'] = 'steps';
    let signal: Outcome['signal'];
    for (let step = 0; step < maxSteps; step++) {
      let blk = byPc.get(pc);
      if (blk === undefined) {
        // inside a block (after a restarted instruction): tier 0 from there, as the engine would
        const rest = sliceFrom(blocks, pc);
        if (rest === null) {
          how = 'left';
          break;
        }
        blk = compileBlock(rest, rt);
      }
      try {
        pc = blk.run();
      } catch (e) {
        if (!(e instanceof GuestSignal)) throw e;
        how = 'fault';
        pc = rt.faultPc;
        signal = [e.signal, e.code, e.addr];
        break;
      }
      rt.instret += blk.ir.ninsns;
      const exit = rt.exit as Exit;
      rt.exit = Exit.None;
      if (exit === Exit.Syscall) how = 'syscall';
      else if (exit === Exit.FlushCode) how = 'flush';
      else if (exit === Exit.Trap) {
        how = 'trap';
        signal = [rt.trapSignal, rt.trapCode, rt.trapAddr];
      }
      if (exit !== Exit.None) break;
    }
    const mem = this.windows.map((w) => Buffer.from(this.mem.bytes.subarray(w.start, w.start + w.len)).toString('hex')).join('|');
    return { pc, how, signal, instret: rt.instret, S: [...rt.S].map((v) => v.toString(16)), mem };
  }
}

/** What the engine's scheduler does before a slice, for a slice that never ends. */
export function noSliceEnd(mem: AddressSpace): void {
  mem.view.setBigUint64(SCHED_SLICE_END, 1n << 62n, true);
  mem.view.setUint32(SCHED_PREEMPT, 0, true);
}

/** The rest of a block from the instruction at pc, which the tier asks for by its length. */
function restOf(blocks: readonly IRBlock[], pc: number, max?: number): IRBlock {
  const r = sliceFrom(blocks, pc);
  if (r === null) throw new Error(`no instruction at ${pc.toString(16)}`);
  if (max !== undefined && max !== r.ninsns) throw new Error(`harness: ${max} instructions asked for at ${pc.toString(16)}, the block has ${r.ninsns} from there`);
  return r;
}

/** The rest of a block from the instruction at pc (null if pc is no instruction of theirs). */
export function sliceFrom(blocks: readonly IRBlock[], pc: number): IRBlock | null {
  for (const b of blocks) {
    const i = b.ops.findIndex((o) => o.op === 'mark' && o.pc === pc);
    if (i < 0) continue;
    const ops = b.ops.slice(i);
    const ninsns = ops.filter((o) => o.op === 'mark').length;
    return { ...b, pc, ops, ninsns, size: b.pc + b.size - pc };
  }
  return null;
}

/** Sides are reused (a 4 GiB address space each) per configuration. */
const sides = new Map<string, [Side, Side]>();

/** Runs blocks under both tiers from the same initial state. */
export function runBoth(
  blocks: readonly IRBlock[],
  entry: number,
  opts: { windows: readonly Window[]; nslots: number; env: FpEnv; fill: (mem: AddressSpace, S: BigUint64Array) => void; maxSteps?: number },
): { t0: Outcome; t1: Outcome; tier: Tier1 } {
  const key = JSON.stringify([opts.windows, opts.nslots, opts.env.propagateNaN]);
  let pair = sides.get(key);
  if (pair === undefined) {
    pair = [new Side(opts.windows, opts.nslots, opts.env, false), new Side(opts.windows, opts.nslots, opts.env, true)];
    sides.set(key, pair);
  }
  const [a, b] = pair;
  a.init(opts.fill);
  b.init(opts.fill);
  return { t0: a.run(blocks, entry, opts.maxSteps), t1: b.run(blocks, entry, opts.maxSteps), tier: b.tier! };
}
