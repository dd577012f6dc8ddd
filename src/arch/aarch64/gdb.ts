// AArch64 as gdb sees it: gdb's org.gnu.gdb.aarch64.core (x0…x30, sp, pc, cpsr) and
// org.gnu.gdb.aarch64.fpu (v0…v31 as vector unions, fpsr, fpcr) features, numbered as gdb numbers
// them natively (v0 = 34, fpsr = 66, fpcr = 67), and org.gnu.gdb.aarch64.tls (tpidr, for gdb's
// thread-local variables). cpsr, fpsr and fpcr are packed from the slots the lifters keep them in
// (regs.ts).
//
// To plug it in, the front-end's ArchSpec (index.ts) sets `gdb: aarch64Gdb`.
import type { ArchGdb, GdbRegAccess, GdbRegister, GdbType } from '../arch.js';
import { CF, FPCR, NF, SP, TPIDR, VF, ZF, vhi, vlo } from './regs.js';
import { readFpsr, writeFpcr, writeFpsr } from './fp-status.js';

/** N Z C V are one slot each (0/1); PSTATE's other bits read as zero at EL0. */
const NZCV: ReadonlyArray<readonly [slot: number, bit: bigint]> = [[NF, 31n], [ZF, 30n], [CF, 29n], [VF, 28n]];
const cpsr: GdbRegAccess = {
  get: (S) => NZCV.reduce((v, [slot, bit]) => v | ((S[slot] & 1n) << bit), 0n),
  set: (S, v) => {
    for (const [slot, bit] of NZCV) S[slot] = (v >> bit) & 1n;
  },
};

const fpsr: GdbRegAccess = {
  get: (S) => BigInt(readFpsr(S)),
  set: (S, v) => writeFpsr(S, Number(v & 0xffffffffn)),
};
const fpcr: GdbRegAccess = {
  get: (S) => S[FPCR],
  set: (S, v) => writeFpcr(S, Number(v & 0xffffffffn)),
};

const vector = (id: string, type: string, count: number): GdbType => ({ kind: 'vector', id, type, count });
const union = (id: string, fields: Array<[string, string]>): GdbType => ({ kind: 'union', id, fields });
/** gdb's aarch64v: v0 can be printed as .d .s .h .b .q lanes, each as f (float), u or s. */
const FPU_TYPES: GdbType[] = [
  vector('v2d', 'ieee_double', 2), vector('v2u', 'uint64', 2), vector('v2i', 'int64', 2),
  vector('v4f', 'ieee_single', 4), vector('v4u', 'uint32', 4), vector('v4i', 'int32', 4),
  vector('v8f', 'ieee_half', 8), vector('v8u', 'uint16', 8), vector('v8i', 'int16', 8),
  vector('v16u', 'uint8', 16), vector('v16i', 'int8', 16),
  vector('v1u', 'uint128', 1), vector('v1i', 'int128', 1),
  union('vnd', [['f', 'v2d'], ['u', 'v2u'], ['s', 'v2i']]),
  union('vns', [['f', 'v4f'], ['u', 'v4u'], ['s', 'v4i']]),
  union('vnh', [['f', 'v8f'], ['u', 'v8u'], ['s', 'v8i']]),
  union('vnb', [['u', 'v16u'], ['s', 'v16i']]),
  union('vnq', [['u', 'v1u'], ['s', 'v1i']]),
  union('aarch64v', [['d', 'vnd'], ['s', 'vns'], ['h', 'vnh'], ['b', 'vnb'], ['q', 'vnq']]),
  {
    kind: 'flags', id: 'fpsr_flags', size: 4,
    fields: [['IOC', 0, 0], ['DZC', 1, 1], ['OFC', 2, 2], ['UFC', 3, 3], ['IXC', 4, 4], ['IDC', 7, 7], ['QC', 27, 27]],
  },
  {
    kind: 'flags', id: 'fpcr_flags', size: 4,
    fields: [['FZ16', 19, 19], ['RMode', 22, 23], ['FZ', 24, 24], ['DN', 25, 25], ['AHP', 26, 26]],
  },
];
const CORE_TYPES: GdbType[] = [
  { kind: 'flags', id: 'cpsr_flags', size: 4, fields: [['V', 28, 28], ['C', 29, 29], ['Z', 30, 30], ['N', 31, 31]] },
];

const xregs: GdbRegister[] = Array.from({ length: 31 }, (_, i) => ({ name: `x${i}`, bitsize: 64, type: 'int', at: i }));
const vregs: GdbRegister[] = Array.from({ length: 32 }, (_, i) => ({
  name: `v${i}`, bitsize: 128, type: 'aarch64v', group: 'vector', at: [vlo(i), vhi(i)],
}));

export const aarch64Gdb: ArchGdb = {
  architecture: 'aarch64',
  watchBeforeAccess: true, // gdb's aarch64-tdep: have_nonsteppable_watchpoint
  features: [
    {
      name: 'org.gnu.gdb.aarch64.core',
      types: CORE_TYPES,
      regs: [
        ...xregs,
        { name: 'sp', bitsize: 64, type: 'data_ptr', at: SP },
        { name: 'pc', bitsize: 64, type: 'code_ptr', at: 'pc' },
        { name: 'cpsr', bitsize: 32, type: 'cpsr_flags', at: cpsr },
      ],
    },
    {
      name: 'org.gnu.gdb.aarch64.fpu',
      types: FPU_TYPES,
      regs: [
        ...vregs,
        { name: 'fpsr', bitsize: 32, type: 'fpsr_flags', group: 'float', at: fpsr },
        { name: 'fpcr', bitsize: 32, type: 'fpcr_flags', group: 'float', at: fpcr },
      ],
    },
    { name: 'org.gnu.gdb.aarch64.tls', regs: [{ name: 'tpidr', bitsize: 64, type: 'data_ptr', group: 'system', at: TPIDR }] },
  ],
};
