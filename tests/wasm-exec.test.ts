// RV64GC execution through the wasm region tier, against the states qemu-riscv64 recorded
// (fixtures/riscv64/isa/exec.json, as in riscv64-exec.test.ts): each case's code, from its entry,
// is formed into regions of every block reachable (the eager test mode) and run the way the
// engine runs hot code; it must end at the same trap or fault with the same registers and fcsr.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { riscv64, riscvFpEnv } from '../src/arch/riscv64/index.js';
import { FFLAGS, FNAMES, FRM, XNAMES } from '../src/arch/riscv64/regs.js';
import { Fpu } from '../src/jit/fpu.js';
import { compileBlock } from '../src/jit/interp/compile-block.js';
import { Exit, Tier0Runtime } from '../src/jit/interp/runtime.js';
import { formRegion } from '../src/jit/wasm/region.js';
import { Tier1 } from '../src/jit/wasm/tier.js';
import { Logger } from '../src/log.js';
import { AddressSpace, Perm, pageAlignUp } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';
import { riscv64StateDiffs } from './riscv64-state-diff.js';
import { noSliceEnd } from './wasm-harness.js';

interface CaseState { entry: number; signal: number; code: number; pc: number; x: string[]; f: string[]; fcsr: number }
const fx = JSON.parse(readFileSync(new URL('../fixtures/riscv64/isa/exec.json', import.meta.url), 'utf8')) as {
  codeBase: number; data: number; dataSize: number; labels: Record<string, number>; code: string; cases: Record<string, CaseState>;
};

const mem = new AddressSpace();
const code = Buffer.from(fx.code, 'hex');
const codeLen = pageAlignUp(code.length);
mem.map(fx.codeBase, codeLen, Perm.R | Perm.W | Perm.X);
mem.write(fx.codeBase, code);
mem.protect(fx.codeBase, codeLen, Perm.R | Perm.X);
const fetch = {
  u16(a: number): number {
    mem.check(a, 2, Perm.X);
    return mem.view.getUint16(a, true);
  },
  u32(a: number): number {
    mem.check(a, 4, Perm.X);
    return mem.view.getUint32(a, true);
  },
};
const rt = new Tier0Runtime(mem, riscv64.nslots, new Fpu(riscvFpEnv));
// (markCode: called for replayed regions only, and this host keeps no region code to replay)
const tier = new Tier1({ arch: riscv64, mem, rt, fetch, logger: new Logger(), tier1: null, markCode: () => {} });
const lift = (pc: number) => {
  try {
    return riscv64.lift(fetch, pc);
  } catch (e) {
    if (e instanceof GuestSignal) return null;
    throw e;
  }
};

interface Outcome { signal: number; code: number; pc: number; S: BigUint64Array }

function run(name: string): Outcome {
  const c = fx.cases[name];
  mem.map(fx.data, fx.dataSize, Perm.R | Perm.W);
  tier.onFlush();
  noSliceEnd(mem);
  rt.S.fill(0n);
  rt.exit = Exit.None;
  const entry = fx.codeBase + c.entry;
  riscv64.initState(rt.S, entry, 0);
  rt.S[31] = BigInt(entry);
  let pc = entry;
  for (let n = 0; n < 1000; n++) {
    // Region code where there is some, tier 0 elsewhere (after a restarted instruction).
    let loc = tier.locate(pc);
    if (loc === undefined) {
      const region = formRegion(pc, lift);
      if (region !== null) loc = tier.compileRegion(region).get(pc);
    }
    const block = riscv64.lift(fetch, pc);
    const run = loc === undefined ? compileBlock(block, rt).run : () => tier.runAt(loc, block.ninsns);
    try {
      pc = run();
    } catch (e) {
      if (!(e instanceof GuestSignal)) throw e;
      return { signal: e.signal, code: e.code, pc: rt.faultPc, S: rt.S };
    }
    rt.instret += block.ninsns;
    const exit = rt.exit as Exit;
    rt.exit = Exit.None;
    if (exit === Exit.Trap) return { signal: rt.trapSignal, code: rt.trapCode, pc, S: rt.S };
    if (exit === Exit.Syscall) throw new Error(`${name}: unexpected syscall at ${pc.toString(16)}`);
  }
  throw new Error(`${name}: did not end`);
}

const hex = (v: bigint) => '0x' + v.toString(16);

describe('riscv64 execution in the wasm tier matches qemu-riscv64', () => {
  for (const [name, want] of Object.entries(fx.cases)) {
    it(name, () => {
      const got = run(name);
      expect({ signal: got.signal, code: got.code, pc: got.pc - fx.codeBase }).toEqual({ signal: want.signal, code: want.code, pc: want.pc });
      expect(riscv64StateDiffs(got.S, want)).toEqual([]);
    });
  }
  it('ran in the region tier', () => {
    expect(tier.stats.regions).toBeGreaterThan(Object.keys(fx.cases).length / 2);
  });
});
