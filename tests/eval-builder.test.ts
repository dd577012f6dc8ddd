// Lifting straight into tier 0's evaluator form (src/jit/interp/eval-builder.ts) must give, word for
// word, what translating the IRBuilder's ops gives (ir-eval.ts translate): the same code, marks,
// slow part and terminator, and the call flag region formation reads from the ops. Checked on the
// code of real programs (the fixtures' executable segments) and on random instruction words, for
// both front-ends, and on the runs of whole programs through the engine.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ArchSpec, CodeFetch } from '../src/arch/arch.js';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { parseElf } from '../src/elf/parse.js';
import { EvalBuilder } from '../src/jit/interp/eval-builder.js';
import { translate } from '../src/jit/interp/ir-eval.js';
import { returnSite } from '../src/jit/wasm/region.js';
import { GuestSignal } from '../src/signals.js';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../fixtures/scripts/fixture-run.mjs';

/** A fetch over `bytes` loaded at `base`; outside them, the SIGSEGV a real fetch raises. */
function fetchOver(bytes: Uint8Array, base: number, le: boolean): CodeFetch {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const at = (a: number, n: number): number => {
    if (a < base || a + n > base + bytes.length) throw new GuestSignal(11, 1, a);
    return a - base;
  };
  return { u16: (a) => view.getUint16(at(a, 2), le), u32: (a) => view.getUint32(at(a, 4), le) };
}

/** Both ways of lifting the block at pc; the differences found, as text (none: []). */
function compare(arch: ArchSpec, fetch: CodeFetch, pc: number): string[] {
  let ir;
  try {
    ir = arch.lift(fetch, pc);
  } catch (e) {
    if (!(e instanceof GuestSignal)) throw e;
    // The first instruction cannot be fetched: the other lift must fail the same way.
    expect(() => arch.liftInto(new EvalBuilder(pc), fetch)).toThrow(GuestSignal);
    return [];
  }
  const want = translate(ir);
  if (want === null) return [`${pc.toString(16)}: translate refuses the block`];
  const b = new EvalBuilder(pc);
  arch.liftInto(b, fetch);
  const got = b.finish();
  const diffs: string[] = [];
  const same = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${pc.toString(16)} ${what}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
  };
  same('code', Array.from(got.code), Array.from(want.code));
  same('start', got.start, want.start);
  same('starts', got.starts, want.starts);
  // (ops compared without their bigints: JSON cannot hold them, and the slow ops have none)
  same('slow', got.slow, want.slow);
  same('end', got.end, ir.end);
  same('ninsns', got.ninsns, ir.ninsns);
  same('size', got.size, ir.size);
  same('isCall', got.isCall, returnSite(ir) !== null);
  return diffs;
}

const FRONTS: readonly { arch: ArchSpec; step: number; fixtures: readonly string[] }[] = [
  { arch: aarch64, step: 4, fixtures: ['hello', 'float', 'cxxthreads'] },
  { arch: riscv64, step: 2, fixtures: ['hello', 'float', 'cxxthreads'] },
];

describe.each(FRONTS)('$arch.name: EvalBuilder against translate', ({ arch, step, fixtures }) => {
  it.each(fixtures)('every 8th instruction address of %s', (name) => {
    const bytes = readFileSync(join(FIXTURES_DIR, arch.name, name));
    const elf = parseElf(bytes, name);
    const diffs: string[] = [];
    let blocks = 0;
    for (const seg of elf.loads.filter((s) => s.flags & 1)) {
      const code = bytes.subarray(seg.offset, seg.offset + seg.filesz);
      const fetch = fetchOver(code, seg.vaddr, elf.endian === 'le');
      for (let pc = seg.vaddr; pc < seg.vaddr + seg.filesz; pc += 8 * step) {
        diffs.push(...compare(arch, fetch, pc));
        blocks++;
      }
    }
    expect(blocks).toBeGreaterThan(1000);
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it('blocks of random instruction words', () => {
    // A fixed generator: the same words every run.
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const diffs: string[] = [];
    const words = new Uint8Array(4 * 16);
    const view = new DataView(words.buffer);
    for (let i = 0; i < 4000; i++) {
      for (let k = 0; k < 16; k++) view.setUint32(4 * k, next(), arch.endian === 'le');
      diffs.push(...compare(arch, fetchOver(words, 0x10000, arch.endian === 'le'), 0x10000));
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('EvalBuilder constants', () => {
  it('encodes numbers and bigints alike, modulo 2^64', () => {
    const values: (number | bigint)[] = [0, 1, -1, 0x7fffffff, 0x80000000, -0x80000000, 0xffffffff, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 60, 1n << 63n, (1n << 64n) - 1n, -(1n << 63n), 1n << 64n];
    for (const v of values) {
      const a = new EvalBuilder(0x1000);
      const t = a.const('i64', v);
      a.end({ op: 'goto', pc: 0x2000 });
      const got = a.finish();
      const b = new EvalBuilder(0x1000);
      const u = b.const('i64', BigInt(v));
      b.end({ op: 'goto', pc: 0x2000 });
      const want = b.finish();
      expect([got.code[2 * t], got.code[2 * t + 1]], String(v)).toEqual([want.code[2 * u], want.code[2 * u + 1]]);
      const m = BigInt.asUintN(64, BigInt(v));
      expect([got.code[2 * t] >>> 0, got.code[2 * t + 1] >>> 0], String(v)).toEqual([Number(m & 0xffffffffn), Number(m >> 32n)]);
    }
  });
});
