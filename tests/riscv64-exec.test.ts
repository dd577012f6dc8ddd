// RV64GC execution through our lifter and the tier-0 interpreter, against qemu-riscv64: each case of
// fixtures/riscv64/isa/exec-cases.s was run under qemu by make-exec-fixture.mjs, which recorded the
// registers at the trap that ends the case (exec.json). Here the same bytes run from the same state
// and must end at the same trap with the same integer registers, FP registers and fcsr.
// A few key results are also spelled out from the ISA manual, so the intent is visible.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { riscv64, riscvFpEnv } from '../src/arch/riscv64/index.js';
import { FFLAGS, FRM, XNAMES, FNAMES } from '../src/arch/riscv64/regs.js';
import { Fpu } from '../src/jit/fpu.js';
import { compileBlock } from '../src/jit/interp/compile-block.js';
import { Exit, Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm, pageAlignUp } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';
import { riscv64StateDiffs } from './riscv64-state-diff.js';

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

interface Outcome { signal: number; code: number; pc: number; S: BigUint64Array }

/** Run from the case's entry until a trap or a fault. */
function run(name: string): Outcome {
  const c = fx.cases[name];
  mem.map(fx.data, fx.dataSize, Perm.R | Perm.W); // fresh zeroed data
  const rt = new Tier0Runtime(mem, riscv64.nslots, new Fpu(riscvFpEnv));
  const entry = fx.codeBase + c.entry;
  riscv64.initState(rt.S, entry, 0);
  rt.S[31] = BigInt(entry); // t6 = entry, as the qemu harness starts it
  let pc = entry;
  for (let n = 0; n < 1000; n++) {
    const block = compileBlock(riscv64.lift(fetch, pc), rt);
    rt.exit = Exit.None;
    try {
      pc = block.run();
    } catch (e) {
      if (!(e instanceof GuestSignal)) throw e;
      return { signal: e.signal, code: e.code, pc: rt.faultPc, S: rt.S };
    }
    const exit = rt.exit as Exit; // set by the block
    if (exit === Exit.Trap) return { signal: rt.trapSignal, code: rt.trapCode, pc, S: rt.S };
    if (exit === Exit.Syscall) throw new Error(`${name}: unexpected syscall at ${pc.toString(16)}`);
  }
  throw new Error(`${name}: did not end`);
}

const hex = (v: bigint) => '0x' + v.toString(16);

describe('riscv64 execution matches qemu-riscv64', () => {
  for (const [name, want] of Object.entries(fx.cases)) {
    it(name, () => {
      const got = run(name);
      expect({ signal: got.signal, code: got.code, pc: got.pc - fx.codeBase }).toEqual({ signal: want.signal, code: want.code, pc: want.pc });
      expect(riscv64StateDiffs(got.S, want)).toEqual([]);
    });
  }
});

describe('riscv64 semantics spelled out', () => {
  const M = (1n << 64n) - 1n;
  const reg = (o: Outcome, r: string) => o.S[XNAMES.indexOf(r)];
  const freg = (o: Outcome, r: string) => o.S[32 + FNAMES.indexOf(r)];

  it('divides by zero and overflows as the M extension says', () => {
    const o = run('div');
    expect([reg(o, 'a0'), reg(o, 'a2'), reg(o, 'a3'), reg(o, 'a4')]).toEqual([M, M, 7n, 7n]);
    expect([reg(o, 'a5'), reg(o, 'a6')]).toEqual([1n << 63n, 0n]);
    const w = run('divw');
    expect([reg(w, 'a0'), reg(w, 'a3'), reg(w, 'a4'), reg(w, 'a5'), reg(w, 'a6')]).toEqual([0xffffffff80000000n, 0n, M, M, 0xffffffff80000000n]);
  });
  it('sign-extends *W results and keeps x0 zero', () => {
    const o = run('w_ops');
    expect([reg(o, 'a0'), reg(o, 'a3'), reg(o, 'a5'), reg(o, 't1')]).toEqual([0xffffffff80000000n, 0xfffffffffffffffen, 2n, 0x7fffffffn]);
    expect(run('int_ops').S[0]).toBe(0n);
  });
  it('jalr computes its target before writing rd and clears bit 0', () => {
    const o = run('jumps');
    const base = BigInt(fx.codeBase + fx.cases.jumps.entry);
    expect([reg(o, 'a0') - base, reg(o, 'a1'), reg(o, 'a2'), reg(o, 'a4'), reg(o, 'a5')]).toEqual([16n, 0n, 2n, 0n, 5n]);
  });
  it('LR/SC: 0 on success, 1 without a reservation; AMO.W results sign-extended', () => {
    const o = run('lrsc');
    expect([reg(o, 'a0'), reg(o, 'a3'), reg(o, 'a4'), reg(o, 'a5')]).toEqual([M, 0n, 7n, 1n]);
    expect(reg(run('amo'), 'a0')).toBe(0xfffffffffffffffen);
    expect(run('amo_misaligned').signal).toBe(7);
  });
  it('NaN-boxes singles and reads unboxed ones as the canonical NaN', () => {
    const o = run('fp_bits');
    expect(reg(o, 'a0')).toBe(0xffffffff3f800000n);
    expect(reg(o, 'a3')).toBe(0xffffffff80000000n); // fmv.x.w sign-extends
    expect(reg(o, 's2')).toBe(0xffffffff7fc00000n);
    expect(reg(o, 's3')).toBe(0x3f800000n); // transfers ignore boxing
  });
  it('fmin/fmax: -0 < +0, a single NaN operand yields the other one', () => {
    const o = run('fp_minmax');
    expect(freg(o, 'ft2')).toBe(0xffffffff80000000n);
    expect(freg(o, 'ft3')).toBe(0xffffffff00000000n);
    expect(freg(o, 'ft6')).toBe(0xffffffff3f800000n);
    expect(freg(o, 'fa0')).toBe(0xffffffff3f800000n);
    expect(reg(o, 'a5')).toBe(16n); // NV for the signalling NaN
  });
  it('float → int saturates (NaN → max) and accrues NV', () => {
    const o = run('fp_arith');
    expect([reg(o, 's7'), reg(o, 's8'), reg(o, 's9'), reg(o, 's10'), reg(o, 's11')]).toEqual([0x7fffffffn, 0n, (1n << 63n) - 1n, M, 16n]);
  });
  it('fcsr is frm << 5 | fflags; writing a counter or an unknown CSR is SIGILL', () => {
    const o = run('csr');
    expect([reg(o, 'a1'), reg(o, 'a2'), reg(o, 'a3'), reg(o, 'a6')]).toEqual([0x1fn, 7n, 0xffn, 0x5cn]);
    for (const c of ['csr_unknown', 'csr_write_counter', 'csr_set_counter', 'static_rm_bad', 'dyn_rm_bad', 'zero_halfword', 'privileged', 'shamt_w']) {
      const t = run(c);
      expect({ c, signal: t.signal, code: t.code, a0: reg(t, 'a0') }).toEqual({ c, signal: 4, code: 1, a0: 1n });
    }
  });
  it('ebreak and c.ebreak raise SIGTRAP (TRAP_BRKPT) at their own pc', () => {
    const o = run('c_ebreak');
    expect([o.signal, o.code, reg(o, 'a0')]).toEqual([5, 1, 3n]);
  });
});
