// How the AArch64 front-end shapes blocks and IR: block ends, terminators for SVC/BRK/IC IVAU/
// unallocated words, fetch faults, NZCV as four separate 0/1 slots, and the ArchSpec facts the
// engine and the syscall layer rely on.
import { describe, expect, it } from 'vitest';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { HWCAP } from '../src/arch/aarch64/hwcap.js';
import { MAX_BLOCK_INSNS } from '../src/arch/aarch64/lift.js';
import { CF, EXCL_ADDR, NF, SP, VF, ZF } from '../src/arch/aarch64/regs.js';
import { GuestSignal } from '../src/signals.js';

/** A fetch over a word list at 0x1000; anything else faults like unmapped memory. */
function words(ws: number[]) {
  return {
    u16: () => 0,
    u32(a: number): number {
      const i = (a - 0x1000) / 4;
      if (i < 0 || i >= ws.length) throw new GuestSignal(11, 1, a);
      return ws[i] >>> 0;
    },
  };
}
const NOP = 0xd503201f;

describe('aarch64 block lifting', () => {
  it('ends a block at a branch, with the branch targets resolved', () => {
    const blk = aarch64.lift(words([0x91000420, 0x54000081]), 0x1000); // add x0, x1, #1; b.ne .+16
    expect(blk.ninsns).toBe(2);
    expect(blk.end).toMatchObject({ op: 'branch', taken: 0x1014, fall: 0x1008 });
  });
  it('SVC ends the block in a syscall that continues after it; BRK traps at itself', () => {
    expect(aarch64.lift(words([NOP, 0xd4000001]), 0x1000).end).toEqual({ op: 'syscall', next: 0x1008 });
    expect(aarch64.lift(words([0xd4207d00]), 0x1000).end).toMatchObject({ op: 'trap', signal: 5, pc: 0x1000 });
  });
  it('IC IVAU ends the block with a code flush; unallocated words trap SIGILL at themselves', () => {
    expect(aarch64.lift(words([0xd50b7520]), 0x1000).end).toEqual({ op: 'flushCode', next: 0x1004 });
    expect(aarch64.lift(words([NOP, 0x12c00000]), 0x1000).end).toMatchObject({ op: 'trap', signal: 4, pc: 0x1004, addr: 0x1004 });
  });
  it('stops before an instruction that cannot be fetched, and after MAX_BLOCK_INSNS', () => {
    const short = aarch64.lift(words([NOP, NOP]), 0x1000);
    expect([short.ninsns, short.end]).toEqual([2, { op: 'goto', pc: 0x1008 }]);
    expect(() => aarch64.lift(words([]), 0x1000)).toThrow(GuestSignal);
    const long = aarch64.lift(words(new Array(100).fill(NOP)), 0x1000);
    expect(long.ninsns).toBe(MAX_BLOCK_INSNS);
  });
  it('keeps N, Z, C and V in four slots written as 0/1 i32 values by plain IR ops', () => {
    const blk = aarch64.lift(words([0xab020020]), 0x1000); // adds x0, x1, x2
    const sets = blk.ops.filter((o) => o.op === 'set').map((o) => (o.op === 'set' ? [o.slot, o.ty] : []));
    expect(sets).toEqual(expect.arrayContaining([[NF, 'i32'], [ZF, 'i32'], [CF, 'i32'], [VF, 'i32'], [0, 'i64']]));
    expect(blk.ops.every((o) => ['mark', 'get', 'set', 'bin', 'const', 'select', 'un'].includes(o.op))).toBe(true);
    // A flag-free add writes no flag slot.
    const plain = aarch64.lift(words([0x8b020020]), 0x1000); // add x0, x1, x2
    expect(plain.ops.some((o) => o.op === 'set' && [NF, ZF, CF, VF].includes(o.slot))).toBe(false);
  });
});

describe('aarch64 ArchSpec', () => {
  it('is EM_AARCH64, 64-bit little-endian, with the asm-generic arm64 syscall ABI', () => {
    expect([aarch64.elfMachine, aarch64.elfClass, aarch64.endian, aarch64.unameMachine]).toEqual([183, 64, 'le', 'aarch64']);
    expect(aarch64.syscallAbi).toMatchObject({ nrSlot: 8, argSlots: [0, 1, 2, 3, 4, 5], retSlot: 0, wordBits: 64 });
    expect(aarch64.spSlot).toBe(SP);
    expect(aarch64.slotNames.length).toBe(aarch64.nslots);
  });
  it('advertises FP, ASIMD and the LSE atomics, and not CPUID', () => {
    expect(HWCAP & 0x103n).toBe(0x103n); // FP | ASIMD | ATOMICS
    expect(HWCAP & (1n << 11n)).toBe(0n); // HWCAP_CPUID
    expect(aarch64.hwcap).toBe(HWCAP);
  });
  it('starts with every register zero and no exclusive monitor', () => {
    const s = new BigUint64Array(aarch64.nslots).fill(7n);
    aarch64.initState(s, 0x1000, 0x2000);
    expect([s[0], s[SP], s[NF], s[EXCL_ADDR]]).toEqual([0n, 0n, 0n, (1n << 64n) - 1n]);
  });
});
