// The RV64GC lifter's IR shape: block boundaries, x0 handling, terminators, and that exactly the
// encodings that are not user-mode RV64GC instructions lift to SIGILL (checked over every encoding
// of the objdump fixture, with objdump's own view of validity as the reference).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { MAX_BLOCK_INSNS } from '../src/arch/riscv64/lift.js';
import type { IRBlock } from '../src/jit/ir.js';
import { GuestSignal } from '../src/signals.js';

const PC = 0x10000;

/** Code fetch over little-endian halfwords placed at PC; anything else faults (SIGSEGV). */
function fetchOf(halfwords: number[]) {
  const u16 = (a: number) => {
    const i = (a - PC) / 2;
    if (i < 0 || i >= halfwords.length || !Number.isInteger(i)) throw new GuestSignal(11, 1, a);
    return halfwords[i];
  };
  return { u16, u32: (a: number) => (u16(a) | (u16(a + 2) << 16)) >>> 0 };
}
/** Encodings (16-bit if < 0x10000 and not a 32-bit opcode, else 32-bit) → halfwords. */
function halves(...insns: number[]): number[] {
  const out: number[] = [];
  for (const w of insns) {
    if ((w & 3) === 3) out.push(w & 0xffff, w >>> 16);
    else out.push(w);
  }
  return out;
}
const lift = (...insns: number[]): IRBlock => riscv64.lift(fetchOf(halves(...insns)), PC);
const opsOf = (b: IRBlock) => b.ops.map((o) => o.op);

describe('riscv64 lifted IR', () => {
  it('drops ALU writes to x0 but keeps loads into x0', () => {
    expect(opsOf(lift(0x00b50033))).toEqual(['mark']); // add zero,a0,a1
    expect(opsOf(lift(0x00150013))).toEqual(['mark']); // addi zero,a0,1
    const ld = lift(0x00052003); // lw zero,0(a0)
    expect(opsOf(ld)).toContain('load');
    expect(ld.ops.some((o) => o.op === 'set')).toBe(false);
  });

  it('reads x0 as a constant 0', () => {
    const b = lift(0x00000533); // add a0,zero,zero
    expect(b.ops.filter((o) => o.op === 'get')).toEqual([]);
    expect(b.ops.filter((o) => o.op === 'const').every((o) => o.op === 'const' && o.value === 0n)).toBe(true);
    expect(b.ops.at(-1)).toMatchObject({ op: 'set', slot: 10 });
  });

  it('ends blocks at ecall, ebreak, c.ebreak, fence.i and jumps', () => {
    expect(lift(0x00000073).end).toEqual({ op: 'syscall', next: PC + 4 });
    expect(lift(0x00100073).end).toEqual({ op: 'trap', signal: 5, code: 1, addr: PC, pc: PC });
    expect(lift(0x9002).end).toEqual({ op: 'trap', signal: 5, code: 1, addr: PC, pc: PC });
    expect(lift(0x0000100f).end).toEqual({ op: 'flushCode', next: PC + 4 });
    expect(lift(0x0080006f).end).toEqual({ op: 'goto', pc: PC + 8 }); // j .+8
    expect(lift(0xa001).end).toEqual({ op: 'goto', pc: PC }); // c.j .
    expect(lift(0x00008067).end.op).toBe('jump'); // ret
    const br = lift(0x00b50463); // beq a0,a1,.+8
    expect(br.end).toMatchObject({ op: 'branch', taken: PC + 8, fall: PC + 4 });
  });

  it('links pc + 2 for compressed jumps', () => {
    const b = lift(0x9502); // c.jalr a0
    const set = b.ops.find((o) => o.op === 'set');
    expect(set).toMatchObject({ slot: 1 });
    const value = b.ops.find((o) => o.op === 'const' && set?.op === 'set' && o.out === set.value);
    expect(value).toMatchObject({ value: BigInt(PC + 2) });
  });

  it('caps a block at 64 instructions and stops before an unfetchable one', () => {
    const nops = lift(...Array(100).fill(0x00000013));
    expect([nops.ninsns, nops.size, nops.end]).toEqual([MAX_BLOCK_INSNS, 4 * MAX_BLOCK_INSNS, { op: 'goto', pc: PC + 256 }]);
    const short = lift(0x00000013, 0x0001); // then nothing mapped
    expect([short.ninsns, short.size, short.end]).toEqual([2, 6, { op: 'goto', pc: PC + 6 }]);
    // a 32-bit instruction whose second half is not mapped: a later one ends the block …
    const cut = riscv64.lift(fetchOf([0x0001, 0x0513]), PC);
    expect([cut.ninsns, cut.end]).toEqual([1, { op: 'goto', pc: PC + 2 }]);
    // … the first one faults at the missing half
    let err: unknown;
    try {
      riscv64.lift(fetchOf([0x0513]), PC);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuestSignal);
    expect((err as GuestSignal).addr).toBe(PC + 2);
  });

  it('NaN-boxes fmv.w.x and flw results, reads fflags/frm for dynamic rounding', () => {
    const mv = lift(0xf0050553); // fmv.w.x fa0,a0
    expect(mv.ops.some((o) => o.op === 'const' && o.value === 0xffffffff00000000n)).toBe(true);
    expect(mv.ops.at(-1)).toMatchObject({ op: 'set', slot: 32 + 10 });
    const add = lift(0x00c5f553); // fadd.s fa0,fa1,fa2 (dyn)
    const fb = add.ops.find((o) => o.op === 'fbin');
    expect(fb).toMatchObject({ fn: 'add', fmt: 'f32' });
    expect(fb?.op === 'fbin' && 'dyn' in fb.rm).toBe(true);
    expect(add.ops.some((o) => o.op === 'set' && o.slot === 64)).toBe(true); // fflags accrue
  });
});

// ---- validity over the objdump fixture
interface Rec { hex: string; addr: number; text: string }
const recs: Rec[] = readFileSync(new URL('../fixtures/riscv64/isa/objdump.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [addr, hex, ...text] = l.split('\t');
    return { hex, addr: parseInt(addr, 16), text: text.join('\t') };
  });

const PRIVILEGED = /^(uret|sret|hret|mret|dret|wfi|sfence\.vma)\b/;
const OUR_CSRS = new Set([0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02]);

/** Whether the encoding must raise SIGILL, from objdump's text plus what user mode and RV64GC add. */
function mustTrap(r: Rec): boolean {
  const w = parseInt(r.hex, 16);
  if (r.hex.length === 8) {
    // objdump knows only the plain fence encodings; the hardware ignores fm/rs1/rd (as fence)
    if ((w & 0x707f) === 0x000f || (w & 0x707f) === 0x100f) return false;
    // exact conversions (fcvt.d.w[u], fcvt.d.s): objdump wants rm = 0; any valid rm runs
    const rm = (w >>> 12) & 7;
    const f7rs2 = w >>> 20;
    if ((w & 0x7f) === 0x53 && (f7rs2 === 0xd20 || f7rs2 === 0xd21 || f7rs2 === 0x420)) return rm === 5 || rm === 6;
    // CSR instructions: only the FP CSRs and the counters exist; counters are read-only
    const f3 = (w >>> 12) & 7;
    if ((w & 0x7f) === 0x73 && f3 !== 0 && f3 !== 4) {
      const csr = w >>> 20;
      const writes = f3 === 1 || f3 === 5 || ((w >>> 15) & 31) !== 0;
      return !OUR_CSRS.has(csr) || (writes && csr >= 0xc00);
    }
  }
  if (r.text.startsWith('.4byte') || r.text.startsWith('.2byte') || r.text === 'unimp') return true;
  if (PRIVILEGED.test(r.text)) return true;
  if (/,unknown$/.test(r.text) && !r.text.startsWith('fence')) return true; // reserved rounding mode
  if (r.hex.length === 4 && r.text === 'add\tsp,sp,0') return true; // c.addi16sp with 0: reserved
  return false;
}

describe('riscv64 undefined encodings', () => {
  it('lift to SIGILL (ILL_ILLOPC) at their pc exactly when they are not RV64GC user-mode instructions', () => {
    const bad: string[] = [];
    let traps = 0;
    for (const r of recs) {
      const w = parseInt(r.hex, 16);
      const block = riscv64.lift(fetchOf(r.hex.length === 4 ? [w] : [w & 0xffff, w >>> 16]), PC);
      const ill = block.end.op === 'trap' && block.end.signal === 4;
      if (ill) {
        traps++;
        expect(block.end).toEqual({ op: 'trap', signal: 4, code: 1, addr: PC, pc: PC });
        expect(block.ninsns).toBe(1);
      }
      if (ill !== mustTrap(r)) bad.push(`${r.hex} "${r.text}": ${ill ? 'traps' : 'runs'}`);
      // x0 is never read or written as a slot
      if (block.ops.some((o) => (o.op === 'get' || o.op === 'set') && o.slot === 0)) bad.push(`${r.hex}: touches slot 0`);
    }
    expect(bad.slice(0, 30), `${bad.length} wrong`).toEqual([]);
    expect(traps).toBeGreaterThan(1000);
  });
});
