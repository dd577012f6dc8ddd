// AArch64 signal frames as Linux builds them (arch/arm64/kernel/signal.c):
//
//   struct rt_sigframe { siginfo_t info;            // 0, 128 bytes
//                        struct ucontext uc; }      // 128
//   struct ucontext    { unsigned long uc_flags;    // +0
//                        struct ucontext *uc_link;  // +8
//                        stack_t uc_stack;          // +16 (24 bytes)
//                        sigset_t uc_sigmask;       // +40
//                        __u8 __unused[120];
//                        struct sigcontext uc_mcontext; } // +176 (16-aligned)
//   struct sigcontext  { __u64 fault_address;       // +0
//                        __u64 regs[31];            // +8
//                        __u64 sp, pc, pstate;      // +256, +264, +272
//                        __u8 __reserved[4096]; }   // +288, 16-aligned: context records
//
// The records in __reserved are { u32 magic; u32 size; … } in sequence: fpsimd_context (magic
// 0x46508001, 528 bytes: fpsr, fpcr, then v0 … v31 as 128-bit little-endian values), then the
// terminator (magic 0, size 0). (The kernel adds an esr_context after a data abort; crossrun does
// not model ESR, so it leaves that optional record out.) Frame: 4688 bytes. Above it the kernel
// puts a frame record {fp, lr} so unwinders can walk through the handler; x29 points at it.
// The handler gets x0 = signal, x1 = &info and x2 = &uc (SA_SIGINFO only), sp = frame,
// x30 = SA_RESTORER's restorer or the sigreturn trampoline (the kernel's vDSO has one; crossrun
// maps the same two instructions).
import type { ArchSignals, SignalFrameIn, SignalFrameOut } from '../arch.js';
import { CF, EXCL_ADDR, FP, FPCR, LR, NF, SP, TPIDR, V0, VF, ZF } from './regs.js';
import { readFpsr, writeFpcr, writeFpsr } from './fp-status.js';

const UC = 128;
const UC_STACK = UC + 16;
const UC_SIGMASK = UC + 40;
const SC = UC + 176;
const SC_FAULT = SC;
const SC_REGS = SC + 8;
const SC_SP = SC + 256;
const SC_PC = SC + 264;
const SC_PSTATE = SC + 272;
const RESERVED = SC + 288;
const RESERVED_SIZE = 4096;
const FRAME_SIZE = RESERVED + RESERVED_SIZE; // 4688, a multiple of 16
const FPSIMD_MAGIC = 0x46508001;
const FPSIMD_SIZE = 528;
const ESR_MAGIC = 0x45535201;
const FRAME_RECORD = 16;

/** mov x8, #139 (rt_sigreturn); svc #0 */
const TRAMPOLINE = new Uint8Array(new Uint32Array([0xd2801168, 0xd4000001]).buffer);

function setupFrame(f: SignalFrameIn): number | null {
  const below = f.stackTop - FRAME_RECORD;
  const record = below - (below % 16); // not & ~15: addresses reach 2^32
  const frame = record - FRAME_SIZE;
  if (frame < 0 || !f.writable(frame, FRAME_SIZE + FRAME_RECORD)) return null;
  const v = f.view;
  const S = f.S;
  new Uint8Array(v.buffer, frame, FRAME_SIZE).fill(0);
  if (f.saSiginfo) new Uint8Array(v.buffer, frame, 128).set(f.siginfo.subarray(0, 128));
  v.setBigUint64(frame + UC_STACK, f.altStack.sp, true);
  v.setInt32(frame + UC_STACK + 8, f.altStack.flags, true);
  v.setBigUint64(frame + UC_STACK + 16, f.altStack.size, true);
  v.setBigUint64(frame + UC_SIGMASK, f.mask, true);
  v.setBigUint64(frame + SC_FAULT, BigInt(f.faultAddr ?? 0), true);
  for (let i = 0; i < 31; i++) v.setBigUint64(frame + SC_REGS + 8 * i, S[i], true);
  v.setBigUint64(frame + SC_SP, S[SP], true);
  v.setBigUint64(frame + SC_PC, BigInt(f.pc), true);
  const nzcv = (Number(S[NF] & 1n) << 31) | (Number(S[ZF] & 1n) << 30) | (Number(S[CF] & 1n) << 29) | (Number(S[VF] & 1n) << 28);
  v.setBigUint64(frame + SC_PSTATE, BigInt(nzcv >>> 0), true);
  const fp = frame + RESERVED;
  v.setUint32(fp, FPSIMD_MAGIC, true);
  v.setUint32(fp + 4, FPSIMD_SIZE, true);
  v.setUint32(fp + 8, readFpsr(S), true);
  v.setUint32(fp + 12, Number(S[FPCR]) >>> 0, true);
  for (let i = 0; i < 64; i++) v.setBigUint64(fp + 16 + 8 * i, S[V0 + i], true);
  // the terminator record after it is already zero
  v.setBigUint64(record, S[FP], true);
  v.setBigUint64(record + 8, S[LR], true);
  S[0] = BigInt(f.signal);
  if (f.saSiginfo) {
    S[1] = BigInt(frame);
    S[2] = BigInt(frame + UC);
  }
  S[SP] = BigInt(frame);
  S[FP] = BigInt(record);
  S[LR] = BigInt(f.returnTo);
  return f.handler;
}

function restoreFrame(S: BigUint64Array, v: DataView, readable: (addr: number, len: number) => boolean): SignalFrameOut | null {
  const sp = S[SP];
  if (sp > 0xffffffffn || (sp & 15n) !== 0n) return null;
  const frame = Number(sp);
  if (!readable(frame, FRAME_SIZE)) return null;
  // The records first: a frame without its FP/SIMD record is refused before anything changes.
  let fpsimd = -1;
  for (let at = frame + RESERVED; at + 8 <= frame + FRAME_SIZE; ) {
    const magic = v.getUint32(at, true);
    const size = v.getUint32(at + 4, true);
    if (magic === 0) break;
    if (magic === FPSIMD_MAGIC && size === FPSIMD_SIZE) fpsimd = at;
    else if (magic !== ESR_MAGIC) return null; // SVE, ZA, extra_context…: not something we wrote
    if (size < 8 || size % 16 !== 0) return null;
    at += size;
  }
  if (fpsimd < 0) return null;
  for (let i = 0; i < 31; i++) S[i] = v.getBigUint64(frame + SC_REGS + 8 * i, true);
  S[SP] = v.getBigUint64(frame + SC_SP, true);
  const pstate = Number(v.getBigUint64(frame + SC_PSTATE, true) & 0xffffffffn);
  S[NF] = BigInt((pstate >>> 31) & 1);
  S[ZF] = BigInt((pstate >>> 30) & 1);
  S[CF] = BigInt((pstate >>> 29) & 1);
  S[VF] = BigInt((pstate >>> 28) & 1);
  writeFpsr(S, v.getUint32(fpsimd + 8, true));
  writeFpcr(S, v.getUint32(fpsimd + 12, true));
  for (let i = 0; i < 64; i++) S[V0 + i] = v.getBigUint64(fpsimd + 16 + 8 * i, true);
  return {
    pc: Number(v.getBigUint64(frame + SC_PC, true)),
    mask: v.getBigUint64(frame + UC_SIGMASK, true),
    altStack: {
      sp: v.getBigUint64(frame + UC_STACK, true),
      flags: v.getInt32(frame + UC_STACK + 8, true),
      size: v.getBigUint64(frame + UC_STACK + 16, true),
    },
  };
}

export const aarch64Signals: ArchSignals = {
  syscallInsnLen: 4, // svc #0
  tlsSlot: TPIDR,
  trampoline: TRAMPOLINE,
  frameSize: FRAME_SIZE + FRAME_RECORD + 16,
  clearExclusive(S: BigUint64Array): void {
    S[EXCL_ADDR] = (1n << 64n) - 1n;
  },
  setupFrame,
  restoreFrame,
};
