// What a region's wasm code is a function of, as int32 words: a later run that forms the same
// region from the same guest bytes can take the code an earlier run emitted (the translation
// store keeps it; emitting is most of compiling a region). Equal keys give equal code:
//   - the compile options that change the code;
//   - the region's shape: its blocks in layout order (pc, instruction count, size) and the entry;
//   - each block's guest bytes: its IR is the lifter's function of its pc and those bytes (a
//     block ends before an instruction it could not fetch; the same bytes give the same end);
//   - the indirect-jump targets the region tests for, per block.
// The crossrun build and the ISA (the FP environment, CompileOptions.fpEnv) are the store file's
// own key.
import type { CompileOptions } from './compile.js';
import type { Region } from './region.js';

const FORMAT = 1;

export function regionKey(region: Region, guest: Uint8Array, o: CompileOptions): Int32Array {
  // (each option as the emitter reads it, defaults included)
  const flags = (o.hwFma === true ? 1 : 0) | (o.chain !== false ? 2 : 0) | (o.sharedMemory === true ? 4 : 0) | (o.lazyFlags !== false ? 8 : 0) | (o.floatLocals !== false ? 16 : 0);
  const words: number[] = [FORMAT, flags, region.entry, region.blocks.length];
  for (const b of region.blocks) {
    words.push(b.pc | 0, b.ninsns, b.size);
    for (let i = 0; i < b.size; i += 4) {
      const a = b.pc + i;
      words.push(guest[a] | (i + 1 < b.size ? guest[a + 1] << 8 : 0) | (i + 2 < b.size ? guest[a + 2] << 16 : 0) | (i + 3 < b.size ? guest[a + 3] << 24 : 0));
    }
    const targets = region.jumpTargets?.get(b.pc) ?? [];
    words.push(targets.length);
    for (const t of targets) words.push(t | 0);
  }
  return Int32Array.from(words);
}
