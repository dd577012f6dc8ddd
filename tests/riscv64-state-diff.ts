// Compare a final riscv64 CPU state with one qemu-riscv64 recorded (fixtures/riscv64/isa/exec.json):
// one line per register that differs. Shared by the tier-0 and wasm-tier execution tests.
import { FFLAGS, FNAMES, FRM, XNAMES } from '../src/arch/riscv64/regs.js';

export interface RecordedState {
  x: string[];
  f: string[];
  fcsr: number;
}

const hex = (v: bigint) => '0x' + v.toString(16);

export function riscv64StateDiffs(S: BigUint64Array, want: RecordedState): string[] {
  const diffs: string[] = [];
  for (let i = 1; i < 32; i++) if (hex(S[i]) !== want.x[i]) diffs.push(`${XNAMES[i]}: qemu ${want.x[i]} ours ${hex(S[i])}`);
  for (let i = 0; i < 32; i++) if (hex(S[32 + i]) !== want.f[i]) diffs.push(`${FNAMES[i]}: qemu ${want.f[i]} ours ${hex(S[32 + i])}`);
  const fcsr = Number((S[FRM] << 5n) | S[FFLAGS]);
  if (fcsr !== want.fcsr) diffs.push(`fcsr: qemu 0x${want.fcsr.toString(16)} ours 0x${fcsr.toString(16)}`);
  return diffs;
}
