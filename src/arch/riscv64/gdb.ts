// RV64 as gdb sees it: gdb's org.gnu.gdb.riscv.cpu and org.gnu.gdb.riscv.fpu features, register
// names as gdb's own feature files spell them (x8 is "fp" there; gdb also accepts s0 as a name).
import type { ArchGdb, GdbRegister } from '../arch.js';
import { F0, FFLAGS, FNAMES, FRM, XNAMES } from './regs.js';

/** gdb's type per integer register (its 64bit-cpu.xml): pointers print symbolically. */
const X_TYPES: Readonly<Record<string, string>> = { ra: 'code_ptr', sp: 'data_ptr', gp: 'data_ptr', tp: 'data_ptr', fp: 'data_ptr' };

const xregs: GdbRegister[] = XNAMES.map((abi, i) => {
  const name = abi === 's0' ? 'fp' : abi;
  return { name, bitsize: 64, type: X_TYPES[name] ?? 'int', at: i, readonly: i === 0 };
});

const fregs: GdbRegister[] = FNAMES.map((name, i) => ({ name, bitsize: 64, type: 'riscv_double', group: 'float', at: F0 + i }));

/** fcsr is not a slot: frm << 5 | fflags. */
const fcsr: GdbRegister = {
  name: 'fcsr', bitsize: 32, type: 'int', group: 'float',
  at: {
    get: (S) => (S[FRM] << 5n) | S[FFLAGS],
    set: (S, v) => {
      S[FFLAGS] = v & 0x1fn;
      S[FRM] = (v >> 5n) & 7n;
    },
  },
};

export const riscv64Gdb: ArchGdb = {
  architecture: 'riscv:rv64',
  watchBeforeAccess: true, // gdb's riscv-tdep: have_nonsteppable_watchpoint
  features: [
    { name: 'org.gnu.gdb.riscv.cpu', regs: [...xregs, { name: 'pc', bitsize: 64, type: 'code_ptr', at: 'pc' }] },
    {
      name: 'org.gnu.gdb.riscv.fpu',
      types: [{ kind: 'union', id: 'riscv_double', fields: [['float', 'ieee_single'], ['double', 'ieee_double']] }],
      regs: [
        ...fregs,
        { name: 'fflags', bitsize: 32, type: 'int', group: 'float', at: FFLAGS },
        { name: 'frm', bitsize: 32, type: 'int', group: 'float', at: FRM },
        fcsr,
      ],
    },
  ],
};
