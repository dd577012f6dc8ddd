// SYSTEM and MISC-MEM: ecall, ebreak, fences, and the Zicsr instructions on the CSRs a user-mode
// RV64GC program has — the FP status (fflags, frm, fcsr = frm<<5 | fflags) and the read-only
// counters. Any other CSR, or a write to a read-only one, is an illegal instruction.
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { SiCode, Sig } from '../../signals.js';
import { CSR_CYCLE, CSR_FCSR, CSR_FFLAGS, CSR_FRM, CSR_INSTRET, CSR_TIME } from './csr-names.js';
import type { LiftFn } from './insn.js';
import { c64, illegal, rx, wx } from './lift-util.js';
import { FFLAGS, FRM } from './regs.js';

export const ecall: LiftFn = (b, d) => {
  b.end({ op: 'syscall', next: d.pc + d.len });
};
export const ebreak: LiftFn = (b, d) => {
  b.end({ op: 'trap', signal: Sig.TRAP, code: SiCode.TRAP_BRKPT, addr: d.pc, pc: d.pc });
};
/** fence/fence.tso: the engine runs guest memory accesses in order; nothing to do. */
export const fence: LiftFn = () => {};
/** fence.i: code may have changed; drop translations and continue after it. */
export const fenceI: LiftFn = (b, d) => {
  b.end({ op: 'flushCode', next: d.pc + d.len });
};
/** Privileged instructions (sret, wfi, …): illegal in user mode. */
export const privileged: LiftFn = (b, d) => illegal(b, d.pc);

interface Csr {
  read(b: BlockBuilder): Temp;
  /** Absent: read-only. */
  write?(b: BlockBuilder, v: Temp): void;
}
const field = (slot: number, mask: number): Csr => ({
  read: (b) => b.get('i64', slot),
  write: (b, v) => b.set(slot, b.bin('and', v, c64(b, mask))),
});
const counter = (which: 'cycle' | 'time' | 'instret'): Csr => ({ read: (b) => b.counter(which) });

const CSRS = new Map<number, Csr>([
  [CSR_FFLAGS, field(FFLAGS, 0x1f)],
  [CSR_FRM, field(FRM, 0x7)],
  [CSR_FCSR, {
    read: (b) => b.bin('or', b.bin('shl', b.get('i64', FRM), c64(b, 5)), b.get('i64', FFLAGS)),
    write: (b, v) => {
      b.set(FFLAGS, b.bin('and', v, c64(b, 0x1f)));
      b.set(FRM, b.bin('and', b.bin('shrl', v, c64(b, 5)), c64(b, 0x7)));
    },
  }],
  [CSR_CYCLE, counter('cycle')],
  [CSR_TIME, counter('time')],
  [CSR_INSTRET, counter('instret')],
]);

/** csrrw/csrrs/csrrc and their immediate forms (the source is then the 5-bit rs1 field).
 *  csrrw always writes; csrrs/csrrc write only if rs1 (or the immediate) is nonzero, so reading a
 *  read-only counter with them is fine. csrrw with rd = x0 does not read. */
export const csr = (op: 'w' | 's' | 'c', immediate: boolean): LiftFn => (b, d) => {
  const c = CSRS.get(d.imm);
  const writes = op === 'w' || d.rs1 !== 0;
  if (c === undefined || (writes && c.write === undefined)) return illegal(b, d.pc);
  const src = immediate ? c64(b, d.rs1) : rx(b, d.rs1); // before rd is written: rd may be rs1
  const old = op !== 'w' || d.rd !== 0 ? c.read(b) : undefined;
  if (writes && c.write) {
    let v = src;
    if (old !== undefined && op === 's') v = b.bin('or', old, src);
    else if (old !== undefined && op === 'c') v = b.bin('and', old, b.bin('xor', src, c64(b, -1)));
    c.write(b, v);
  }
  if (old !== undefined) wx(b, d.rd, old);
};
