// The per-ISA signal frames (src/arch/*/signal-frame.ts): the kernel's layout at exact offsets
// (glibc's ucontext_t agrees: uc_mcontext at 176, riscv __fpregs at +256, aarch64 pc at +264 and
// __reserved at +288; frames of 1088 and 4688 bytes), the registers a handler starts with, and
// rt_sigreturn restoring everything — including registers the handler changed.
import { describe, expect, it } from 'vitest';
import type { SignalFrameIn } from '../src/arch/arch.js';
import { aarch64Signals } from '../src/arch/aarch64/signal-frame.js';
import { riscv64Signals } from '../src/arch/riscv64/signal-frame.js';

const MEM = 0x20000;
const TOP = 0x1f008; // not 16-aligned: the frame must be
const info = new Uint8Array(128).map((_, k) => k + 1);

function frameIn(S: BigUint64Array, view: DataView, over: Partial<SignalFrameIn> = {}): SignalFrameIn {
  return {
    S, pc: 0x12344, view, writable: () => true, stackTop: TOP, signal: 10, siginfo: info, handler: 0x5000,
    saSiginfo: true, returnTo: 0x7000, mask: 0x8000_0000_0000_0201n, altStack: { sp: 0x9000n, flags: 2, size: 0n },
    faultAddr: 0xdead0, ...over,
  };
}

describe('riscv64 signal frame', () => {
  const spec = riscv64Signals;

  it('lays out siginfo, ucontext and the d-extension state where the kernel does', () => {
    const view = new DataView(new ArrayBuffer(MEM));
    const S = new BigUint64Array(66).map((_, k) => BigInt(0x1000 + k));
    S[65] = 3n; // frm
    S[64] = 0x15n; // fflags
    expect(spec.setupFrame(frameIn(S, view))).toBe(0x5000);
    const frame = (TOP - 1088) & ~15;
    expect(Number(S[2])).toBe(frame); // sp
    expect([S[10], S[11], S[12], S[1]]).toEqual([10n, BigInt(frame), BigInt(frame + 128), 0x7000n]); // a0 a1 a2 ra
    expect(new Uint8Array(view.buffer, frame, 128)).toEqual(info);
    const uc = frame + 128;
    expect(view.getBigUint64(uc + 16, true)).toBe(0x9000n); // uc_stack.ss_sp
    expect(view.getInt32(uc + 24, true)).toBe(2); // ss_flags
    expect(view.getBigUint64(uc + 40, true)).toBe(0x8000_0000_0000_0201n); // uc_sigmask
    const mc = uc + 176;
    expect(view.getBigUint64(mc, true)).toBe(0x12344n); // sc_regs.pc
    expect(view.getBigUint64(mc + 8 * 8, true)).toBe(0x1008n); // s0 (x8)
    expect(view.getBigUint64(mc + 256 + 8 * 5, true)).toBe(0x1000n + 32n + 5n); // f5
    expect(view.getUint32(mc + 256 + 256, true)).toBe((3 << 5) | 0x15); // fcsr
  });

  it('rt_sigreturn restores every register, the pc and mask the handler may have edited', () => {
    const view = new DataView(new ArrayBuffer(MEM));
    const S = new BigUint64Array(66).map((_, k) => BigInt(0x1000 + k));
    const saved = S.slice();
    spec.setupFrame(frameIn(S, view));
    const frame = Number(S[2]);
    view.setBigUint64(frame + 128 + 176, 0x12348n, true); // the handler skips an instruction
    S.fill(0xeeeen); // the handler clobbers everything, then returns with sp back at the frame
    S[2] = BigInt(frame);
    const out = spec.restoreFrame(S, view, () => true);
    expect(out).toEqual({ pc: 0x12348, mask: 0x8000_0000_0000_0201n, altStack: { sp: 0x9000n, flags: 2, size: 0n } });
    saved[64] &= 0x1fn;
    saved[65] &= 7n;
    expect([...S.slice(1)]).toEqual([...saved.slice(1)]);
    expect(spec.restoreFrame(S, view, () => false)).toBeNull();
  });

  it('a frame that cannot be written is refused', () => {
    const view = new DataView(new ArrayBuffer(MEM));
    const S = new BigUint64Array(66);
    expect(spec.setupFrame(frameIn(S, view, { writable: () => false }))).toBeNull();
  });
});

describe('aarch64 signal frame', () => {
  const spec = aarch64Signals;
  const SP = 31, FP = 29, LR = 30, V0 = 32, NF = 96, FPCR = 100, FPSR = 101, FPFLAGS = 102, FPRM = 103;

  function regs(): BigUint64Array {
    const S = new BigUint64Array(108).map((_, k) => BigInt(0x2000 + k));
    S[NF] = 1n;
    S[97] = 0n;
    S[98] = 1n;
    S[99] = 0n;
    S[FPCR] = BigInt(3 << 22); // RMode RZ
    S[FPSR] = 0x08000000n; // QC
    S[FPFLAGS] = 0x11n; // NV and NX
    S[FPRM] = 1n;
    return S;
  }

  it('lays out the frame, the fpsimd record, the terminator and the frame record', () => {
    const view = new DataView(new ArrayBuffer(MEM));
    const S = regs();
    const oldFp = S[FP];
    const oldLr = S[LR];
    expect(spec.setupFrame(frameIn(S, view))).toBe(0x5000);
    const record = (TOP - 16) & ~15;
    const frame = record - 4688;
    expect([Number(S[SP]), Number(S[FP]), S[LR], S[0], S[1], S[2]]).toEqual([frame, record, 0x7000n, 10n, BigInt(frame), BigInt(frame + 128)]);
    expect([view.getBigUint64(record, true), view.getBigUint64(record + 8, true)]).toEqual([oldFp, oldLr]);
    const sc = frame + 128 + 176;
    expect(view.getBigUint64(sc, true)).toBe(0xdead0n); // fault_address
    expect(view.getBigUint64(sc + 8 + 8 * 3, true)).toBe(0x2003n); // x3
    expect(view.getBigUint64(sc + 256, true)).toBe(0x2000n + 31n); // sp as it was
    expect(view.getBigUint64(sc + 264, true)).toBe(0x12344n); // pc
    expect(view.getBigUint64(sc + 272, true)).toBe(0xa0000000n); // pstate: N and C
    const fp = sc + 288;
    expect([view.getUint32(fp, true), view.getUint32(fp + 4, true)]).toEqual([0x46508001, 528]);
    expect(view.getUint32(fp + 8, true)).toBe(0x08000000 | 0x11); // fpsr: QC, IOC (NV), IXC (NX)
    expect(view.getUint32(fp + 12, true)).toBe(3 << 22); // fpcr
    expect(view.getBigUint64(fp + 16 + 16 * 2 + 8, true)).toBe(0x2000n + BigInt(V0 + 5)); // v2.hi
    expect([view.getUint32(fp + 528, true), view.getUint32(fp + 532, true)]).toEqual([0, 0]); // terminator
  });

  it('without SA_SIGINFO, x1 and x2 keep their values', () => {
    const view = new DataView(new ArrayBuffer(MEM));
    const S = regs();
    spec.setupFrame(frameIn(S, view, { saSiginfo: false }));
    expect([S[1], S[2]]).toEqual([0x2001n, 0x2002n]);
  });

  it('rt_sigreturn restores registers, flags, FP state; refuses a frame without its fpsimd record', () => {
    const view = new DataView(new ArrayBuffer(MEM));
    const S = regs();
    const saved = S.slice();
    spec.setupFrame(frameIn(S, view));
    const frame = Number(S[SP]);
    S.fill(0x7777n);
    S[SP] = BigInt(frame);
    const out = spec.restoreFrame(S, view, () => true);
    expect(out?.pc).toBe(0x12344);
    expect(out?.mask).toBe(0x8000_0000_0000_0201n);
    for (let k = 0; k <= 104; k++) if (k < 105 && k !== 104) expect([k, S[k]]).toEqual([k, saved[k]]);
    // a frame whose first record is unknown
    spec.setupFrame(frameIn(S, view));
    view.setUint32(Number(S[SP]) + 128 + 176 + 288, 0x12345678, true);
    expect(spec.restoreFrame(S, view, () => true)).toBeNull();
    // sp must be 16-aligned at rt_sigreturn
    S[SP] = BigInt(frame + 8);
    expect(spec.restoreFrame(S, view, () => true)).toBeNull();
  });

  it('a context switch clears the exclusive monitor', () => {
    const S = regs();
    spec.clearExclusive?.(S);
    expect(S[105]).toBe((1n << 64n) - 1n);
  });
});
