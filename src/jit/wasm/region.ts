// Region formation: from a hot block, the guest blocks reachable through direct control flow (and
// the return sites of calls made inside), up to a size limit. The region is compiled into one wasm
// function; every block in it can be entered (br_table), branches between its blocks stay inside.
import type { IRBlock, Op } from '../ir.js';
import { MAX_REGION_BLOCKS } from './layout.js';

/** What a region's layout needs of a block (an IRBlock has it). */
export interface BlockShape {
  readonly pc: number;
  readonly ninsns: number;
  readonly size: number;
}

/** A region's layout: enough to key it (region-key.ts) and to register its blocks, not to emit it. */
export interface RegionShape<B extends BlockShape = BlockShape> {
  /** Blocks in layout order (ascending pc, so that most branches go forward). */
  readonly blocks: readonly B[];
  /** Index in `blocks` of the block the region was formed from. */
  readonly entry: number;
  /** Targets seen for blocks that end in an indirect jump (by block pc), likeliest first: the
   *  region includes them and tests for them before leaving. */
  readonly jumpTargets?: ReadonlyMap<number, readonly number[]>;
  /** The region counts the indirect jumps that leave it, by target, for the tier to form it
   *  again with the frequent targets in it (tier.ts learn). Regions that will not be formed
   *  again leave the counting out (a few loads and stores per exit). */
  readonly learns?: boolean;
}

/** Guest instructions in a region. */
export function regionInsns(region: RegionShape): number {
  return region.blocks.reduce((n, b) => n + b.ninsns, 0);
}

/** A region formed this run: its blocks' IR, for the emitter. */
export type Region = RegionShape<IRBlock>;

export interface RegionLimits {
  maxBlocks: number;
  maxInsns: number;
}

export const DEFAULT_LIMITS: RegionLimits = { maxBlocks: 32, maxInsns: 600 };

/** The pc a call in this block returns to: the block sets some register to the address just past
 *  itself (a link register) and leaves by a jump. ISA-neutral: that is what a call is. */
export function returnSite(ir: IRBlock): number | null {
  if (ir.end.op !== 'goto' && ir.end.op !== 'jump') return null;
  const end = ir.pc + ir.size;
  if (ir.isCall !== undefined) return ir.isCall ? end : null;
  const consts = new Map<number, bigint>();
  for (const op of ir.ops as Op[]) {
    if (op.op === 'const' && op.ty === 'i64') consts.set(op.out, op.value);
    else if (op.op === 'set' && op.ty === 'i64' && consts.get(op.value) === BigInt(end)) return end;
  }
  return null;
}

/** Static successors of a block (and targets seen for its indirect jump), likeliest first. */
export function successors(ir: IRBlock, jumpTargets?: ReadonlyMap<number, readonly number[]>): number[] {
  const out: number[] = [];
  const e = ir.end;
  switch (e.op) {
    case 'goto': out.push(e.pc); break;
    case 'branch': out.push(e.taken, e.fall); break;
    case 'syscall': out.push(e.next); break;
    default: break;
  }
  if (e.op === 'jump') out.push(...(jumpTargets?.get(ir.pc) ?? []));
  const ret = returnSite(ir);
  if (ret !== null) out.push(ret);
  return out;
}

/**
 * Breadth-first from `pc` over direct successors. `lift` returns null for a pc that cannot be
 * translated (not executable): the region then just exits there.
 */
export function formRegion(
  pc: number,
  lift: (pc: number) => IRBlock | null,
  limits: RegionLimits = DEFAULT_LIMITS,
  jumpTargets?: ReadonlyMap<number, readonly number[]>,
): Region | null {
  const first = lift(pc);
  if (first === null) return null;
  const found = new Map<number, IRBlock>([[pc, first]]);
  const queue: IRBlock[] = [first];
  let insns = first.ninsns;
  const maxBlocks = Math.min(limits.maxBlocks, MAX_REGION_BLOCKS);
  for (let qi = 0; qi < queue.length && found.size < maxBlocks; qi++) {
    for (const s of successors(queue[qi], jumpTargets)) {
      if (found.has(s) || found.size >= maxBlocks) continue;
      const ir = lift(s);
      if (ir === null || ir.ninsns === 0) continue;
      if (insns + ir.ninsns > limits.maxInsns) continue;
      insns += ir.ninsns;
      found.set(s, ir);
      queue.push(ir);
    }
  }
  const blocks = [...found.values()].sort((a, b) => a.pc - b.pc);
  return { blocks, entry: blocks.indexOf(first), jumpTargets };
}
