// AArch64 execution through our lifter and the tier-0 interpreter, against qemu-aarch64: each case
// of fixtures/aarch64/isa/exec-cases.s and of the generated random cases was run under qemu by
// make-exec-fixture.mjs, which recorded the registers at the trap that ends it (exec.json). Here the
// same bytes run from the same state and must end at the same trap with the same general and
// vector registers, NZCV, FPCR and FPSR. A few key results are also spelled out from the ARM ARM.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aarch64, armFpEnv } from '../src/arch/aarch64/index.js';
import { disasm } from '../src/arch/aarch64/disasm.js';
import { CF, NF, SP, VF, ZF, vhi, vlo } from '../src/arch/aarch64/regs.js';
import { FPSR_MASK } from '../src/arch/aarch64/regs.js';
import { Fpu } from '../src/jit/fpu.js';
import { compileBlock } from '../src/jit/interp/compile-block.js';
import { Exit, Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm, pageAlignUp } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';

interface CaseState {
  entry: number; signal: number; code: number; pc: number; x: string[]; v: [string, string][];
  sp: string; nzcv: string; fpsr: string; fpcr: string;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/aarch64/isa/exec.json', import.meta.url), 'utf8')) as {
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

interface Outcome { signal: number; code: number; pc: number; S: BigUint64Array; rt: Tier0Runtime }

/** Run from the case's entry until a trap or a fault. */
function run(name: string): Outcome {
  const c = fx.cases[name];
  mem.map(fx.data, fx.dataSize, Perm.R | Perm.W); // fresh zeroed data
  const rt = new Tier0Runtime(mem, aarch64.nslots, new Fpu(armFpEnv));
  const entry = fx.codeBase + c.entry;
  aarch64.initState(rt.S, entry, 0);
  rt.S[16] = BigInt(entry); // x16 = entry, as the qemu harness starts it
  rt.S[SP] = BigInt(fx.data + fx.dataSize);
  let pc = entry;
  for (let n = 0; n < 10000; n++) {
    const block = compileBlock(aarch64.lift(fetch, pc), rt);
    rt.exit = Exit.None;
    try {
      pc = block.run();
    } catch (e) {
      if (!(e instanceof GuestSignal)) throw e;
      return { signal: e.signal, code: e.code, pc: rt.faultPc, S: rt.S, rt };
    }
    const exit = rt.exit as Exit; // set by the block
    if (exit === Exit.Trap) return { signal: rt.trapSignal, code: rt.trapCode, pc, S: rt.S, rt };
    if (exit === Exit.Syscall) throw new Error(`${name}: unexpected syscall at ${pc.toString(16)}`);
  }
  throw new Error(`${name}: did not end`);
}

const hex = (v: bigint) => '0x' + v.toString(16);
/** MRS NZCV / FPCR / FPSR through the lifter, so the test reads state the way the guest would. */
function sysreg(o: Outcome, name: 'nzcv' | 'fpcr' | 'fpsr'): bigint {
  const S = o.S;
  if (name === 'nzcv') return (S[NF] << 3n) | (S[ZF] << 2n) | (S[CF] << 1n) | S[VF];
  const enc = name === 'fpcr' ? 0xd53b4400 : 0xd53b4420; // mrs x0, fpcr / fpsr
  const saved = S[0];
  const blk = compileBlock(aarch64.lift({ u16: () => 0, u32: () => enc }, 0x1000), o.rt);
  blk.run();
  const v = S[0];
  S[0] = saved;
  return v & (name === 'fpsr' ? BigInt(FPSR_MASK) : 0xffffffffn);
}

/** Our disassembly of a case, for failure messages. */
function listing(name: string): string {
  const start = fx.codeBase + fx.cases[name].entry;
  const lines: string[] = [];
  for (let a = start, i = 0; i < 400; a += 4, i++) {
    const t = disasm(fetch, a).text;
    lines.push(`${(a - start).toString(16).padStart(4)}: ${t}`);
    if (/^(brk|udf)|undefined/.test(t) && i > 0) break;
  }
  return lines.filter((l) => !/movk|movz|mov\tx17|fmov\td\d+, x17|mov\tv\d+\.d\[1\], x17|mov\tx\d+, #/.test(l)).join('\n');
}

describe('aarch64 execution matches qemu-aarch64', () => {
  for (const [name, want] of Object.entries(fx.cases)) {
    it(name, () => {
      const got = run(name);
      expect({ signal: got.signal, code: got.code, pc: got.pc - fx.codeBase }).toEqual({ signal: want.signal, code: want.code, pc: want.pc });
      const diffs: string[] = [];
      for (let i = 0; i < 31; i++) if (hex(got.S[i]) !== want.x[i]) diffs.push(`x${i}: qemu ${want.x[i]} ours ${hex(got.S[i])}`);
      if (hex(got.S[SP]) !== want.sp) diffs.push(`sp: qemu ${want.sp} ours ${hex(got.S[SP])}`);
      for (let i = 0; i < 32; i++) {
        const [lo, hi] = [hex(got.S[vlo(i)]), hex(got.S[vhi(i)])];
        if (lo !== want.v[i][0] || hi !== want.v[i][1]) diffs.push(`v${i}: qemu ${want.v[i][1]}:${want.v[i][0]} ours ${hi}:${lo}`);
      }
      for (const r of ['nzcv', 'fpcr', 'fpsr'] as const) {
        const v = hex(sysreg(got, r));
        if (v !== want[r]) diffs.push(`${r}: qemu ${want[r]} ours ${v}`);
      }
      expect(diffs, diffs.length ? listing(name) : '').toEqual([]);
    }, 60_000); // the checksum loops run thousands of instructions in the interpreter
  }
});

describe('aarch64 semantics spelled out', () => {
  const M = (1n << 64n) - 1n;
  const x = (o: Outcome, n: number) => o.S[n];

  it('divides by zero to 0 and MIN / -1 to MIN', () => {
    const o = run('divide');
    expect([x(o, 2), x(o, 3), x(o, 6), x(o, 8), x(o, 12)]).toEqual([0n, 0n, 1n << 63n, 0x80000000n, M - 2n]);
  });
  it('computes NZCV exactly (V on signed overflow, C as no-borrow)', () => {
    const o = run('flags');
    expect([x(o, 3), x(o, 5), x(o, 6), x(o, 9), x(o, 11)]).toEqual([0x9n << 28n, 0x8n << 28n, 0x6n << 28n, 0x3n << 28n, 0x7n << 28n]);
  });
  it('register 31 is sp for add/sub immediate and extended, the zero register for shifted forms', () => {
    const o = run('sp_forms');
    const top = BigInt(fx.data + fx.dataSize);
    expect([x(o, 1), x(o, 2), x(o, 4)]).toEqual([top, top - 32n, top - 12n]);
  });
  it('STXR answers 0 when stored and 1 without the monitor; CLREX drops it', () => {
    const o = run('exclusive');
    expect([x(o, 4), x(o, 5), x(o, 11)]).toEqual([0n, 1n, 1n]);
  });
  it('LDCLR clears the operand bits; CAS returns the old value', () => {
    const o = run('lse');
    expect([x(o, 4), x(o, 5), x(o, 17)]).toEqual([10n, 13n, 7n]);
  });
  it('BRK raises SIGTRAP at itself; UDF, unallocated and EL1 registers raise SIGILL', () => {
    expect(run('svc_free_brk')).toMatchObject({ signal: 5, code: 1 });
    for (const c of ['udf', 'unallocated', 'sys_unknown', 'casp_odd']) expect({ c, signal: run(c).signal }).toEqual({ c, signal: 4 });
    expect(run('segv').signal).toBe(11);
    expect(run('ldxr_misaligned').signal).toBe(7);
  });
});
