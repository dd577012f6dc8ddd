// What a region's wasm code is a function of, as int32 words: a later run that forms the same
// region from the same guest bytes can take the code an earlier run emitted (the translation
// store keeps it; emitting is most of compiling a region). Equal keys give equal code:
//   - the compile options that change the code;
//   - the region's shape: its blocks in layout order (pc, instruction count, size) and the entry;
//   - each block's guest bytes: its IR is the lifter's function of its pc and those bytes (a
//     block ends before an instruction it could not fetch; the same bytes give the same end);
//   - the indirect-jump targets the region tests for, per block, and whether it counts the
//     indirect jumps that leave it (RegionShape.learns).
// The crossrun build and the ISA (the FP environment, CompileOptions.fpEnv) are the store file's
// own key. A key also gives back the region's shape (shapeOfKey): a later run can form the regions
// of an earlier one without waiting for its blocks to warm up (region-replay.ts).
import type { CompileOptions } from './compile.js';
import type { BlockShape, RegionShape } from './region.js';

const FORMAT = 2;
/** In the options word: RegionShape.learns. */
const LEARNS = 1 << 30;

export function regionKey(region: RegionShape, guest: Uint8Array, o: CompileOptions): Int32Array {
  const words: number[] = [FORMAT, flagsOf(o) | (region.learns === true ? LEARNS : 0), region.entry, region.blocks.length];
  for (const b of region.blocks) {
    words.push(b.pc | 0, b.ninsns, b.size);
    for (let i = 0; i < b.size; i += 4) words.push(guestWord(guest, b.pc, i, b.size));
    const targets = region.jumpTargets?.get(b.pc) ?? [];
    words.push(targets.length);
    for (const t of targets) words.push(t | 0);
  }
  return Int32Array.from(words);
}

/** (each option as the emitter reads it, defaults included) */
function flagsOf(o: CompileOptions): number {
  return (o.hwFma === true ? 1 : 0) | (o.chain !== false ? 2 : 0) | (o.sharedMemory === true ? 4 : 0) | (o.lazyFlags !== false ? 8 : 0) | (o.floatLocals !== false ? 16 : 0);
}

/** The block's bytes i … i + 3 (those inside it) as one little-endian word. */
function guestWord(guest: Uint8Array, pc: number, i: number, size: number): number {
  const a = pc + i;
  return guest[a] | (i + 1 < size ? guest[a + 1] << 8 : 0) | (i + 2 < size ? guest[a + 2] << 16 : 0) | (i + 3 < size ? guest[a + 3] << 24 : 0);
}

/** Calls `block` for each block of a well-formed key, with the index of its first byte word and
 *  of its target count; false for a key of another format or a malformed one. */
function walkKey(key: Int32Array, block: (pc: number, ninsns: number, size: number, bytesAt: number, targetsAt: number) => void): boolean {
  if (key.length < 4 || key[0] !== FORMAT) return false;
  const n = key[3];
  let at = 4;
  for (let k = 0; k < n; k++) {
    if (at + 3 > key.length) return false;
    const size = key[at + 2];
    if (size <= 0) return false;
    const targetsAt = at + 3 + ((size + 3) >>> 2);
    if (targetsAt >= key.length) return false;
    const nt = key[targetsAt];
    if (nt < 0 || targetsAt + 1 + nt > key.length) return false;
    block(key[at] >>> 0, key[at + 1], size, at + 3, targetsAt);
    at = targetsAt + 1 + nt;
  }
  return at === key.length && key[2] >= 0 && key[2] < n;
}

/** The shape a key was made from (its blocks, entry and jump targets), or null for a key of
 *  another format or a malformed one. */
export function shapeOfKey(key: Int32Array): RegionShape | null {
  const blocks: BlockShape[] = [];
  const jumpTargets = new Map<number, number[]>();
  const ok = walkKey(key, (pc, ninsns, size, _bytesAt, targetsAt) => {
    blocks.push({ pc, ninsns, size });
    const nt = key[targetsAt];
    if (nt > 0) jumpTargets.set(pc, Array.from(key.subarray(targetsAt + 1, targetsAt + 1 + nt), (t) => t >>> 0));
  });
  if (!ok) return null;
  return (key[1] & LEARNS) !== 0 ? { blocks, entry: key[2], jumpTargets, learns: true } : { blocks, entry: key[2], jumpTargets };
}

/** Whether regionKey would make `key` again from its shape with these guest bytes and options:
 *  the code kept for it is the code for the region now (no allocation: tried per hot block). */
export function keyHolds(key: Int32Array, guest: Uint8Array, o: CompileOptions): boolean {
  if (key.length < 4 || (key[1] & ~LEARNS) !== flagsOf(o)) return false;
  let same = true;
  const ok = walkKey(key, (pc, _ninsns, size, bytesAt) => {
    for (let i = 0; same && i < size; i += 4) same = key[bytesAt + (i >>> 2)] === guestWord(guest, pc, i, size);
  });
  return ok && same;
}
