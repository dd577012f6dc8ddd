// RISC-V signal frames as Linux builds them (arch/riscv/kernel/signal.c), for RV64GC without the
// vector extension:
//
//   struct rt_sigframe { siginfo_t info;            // 0, 128 bytes
//                        struct ucontext uc; }      // 128
//   struct ucontext    { unsigned long uc_flags;    // +0
//                        struct ucontext *uc_link;  // +8
//                        stack_t uc_stack;          // +16 (ss_sp, ss_flags, ss_size: 24 bytes)
//                        sigset_t uc_sigmask;       // +40
//                        __u8 __unused[120];        // room for a bigger sigset_t
//                        struct sigcontext uc_mcontext; } // +176 (16-aligned)
//   struct sigcontext  { unsigned long sc_regs[32]; // pc, x1 … x31
//                        union __riscv_fp_state sc_fpregs; } // +256: f0 … f31 (64 bits each), fcsr
//
// The fp union is 528 bytes (its Q variant), 16-aligned; the kernel leaves an END extension header
// (zeros) at its end, which the zero-filled frame already holds. Frame: 1088 bytes, 16-aligned.
// The handler gets a0 = signal, a1 = &info, a2 = &uc (with or without SA_SIGINFO), sp = frame and ra = the sigreturn
// trampoline (the kernel uses its vDSO's; crossrun maps the same two instructions).
import type { ArchSignals, SignalFrameIn, SignalFrameOut } from '../arch.js';
import { A0, F0, FFLAGS, FRM, RA, SP } from './regs.js';

const UC = 128;
const UC_STACK = UC + 16;
const UC_SIGMASK = UC + 40;
const MCONTEXT = UC + 176;
const FPREGS = MCONTEXT + 256;
const FCSR = FPREGS + 256;
const FRAME_SIZE = 1088;
const TP = 4;

/** li a7, 139 (rt_sigreturn); ecall */
const TRAMPOLINE = new Uint8Array(new Uint32Array([0x08b00893, 0x00000073]).buffer);

function setupFrame(f: SignalFrameIn): number | null {
  const below = f.stackTop - FRAME_SIZE;
  const frame = below - (below % 16); // not & ~15: addresses reach 2^32
  if (frame < 0 || !f.writable(frame, FRAME_SIZE)) return null;
  const v = f.view;
  const S = f.S;
  new Uint8Array(v.buffer, frame, FRAME_SIZE).fill(0);
  new Uint8Array(v.buffer, frame, 128).set(f.siginfo.subarray(0, 128));
  v.setBigUint64(frame + UC_STACK, f.altStack.sp, true);
  v.setInt32(frame + UC_STACK + 8, f.altStack.flags, true);
  v.setBigUint64(frame + UC_STACK + 16, f.altStack.size, true);
  v.setBigUint64(frame + UC_SIGMASK, f.mask, true);
  const mc = frame + MCONTEXT;
  v.setBigUint64(mc, BigInt(f.pc), true);
  for (let i = 1; i < 32; i++) v.setBigUint64(mc + 8 * i, S[i], true);
  for (let i = 0; i < 32; i++) v.setBigUint64(frame + FPREGS + 8 * i, S[F0 + i], true);
  v.setUint32(frame + FCSR, Number(((S[FRM] & 7n) << 5n) | (S[FFLAGS] & 0x1fn)), true);
  S[RA] = BigInt(f.returnTo);
  S[SP] = BigInt(frame);
  S[A0] = BigInt(f.signal);
  S[A0 + 1] = BigInt(frame);
  S[A0 + 2] = BigInt(frame + UC);
  return f.handler;
}

function restoreFrame(S: BigUint64Array, v: DataView, readable: (addr: number, len: number) => boolean): SignalFrameOut | null {
  const sp = S[SP];
  if (sp > 0xffffffffn) return null;
  const frame = Number(sp);
  if (!readable(frame, FRAME_SIZE)) return null;
  const mc = frame + MCONTEXT;
  const pc = v.getBigUint64(mc, true);
  for (let i = 1; i < 32; i++) S[i] = v.getBigUint64(mc + 8 * i, true);
  for (let i = 0; i < 32; i++) S[F0 + i] = v.getBigUint64(frame + FPREGS + 8 * i, true);
  const fcsr = v.getUint32(frame + FCSR, true);
  S[FFLAGS] = BigInt(fcsr & 0x1f);
  S[FRM] = BigInt((fcsr >>> 5) & 7);
  return {
    pc: Number(pc),
    mask: v.getBigUint64(frame + UC_SIGMASK, true),
    altStack: {
      sp: v.getBigUint64(frame + UC_STACK, true),
      flags: v.getInt32(frame + UC_STACK + 8, true),
      size: v.getBigUint64(frame + UC_STACK + 16, true),
    },
  };
}

export const riscv64Signals: ArchSignals = {
  syscallInsnLen: 4, // ecall has no compressed form
  tlsSlot: TP,
  trampoline: TRAMPOLINE,
  frameSize: FRAME_SIZE,
  setupFrame,
  restoreFrame,
};
