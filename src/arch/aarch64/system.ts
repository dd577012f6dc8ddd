// Exception generation (SVC, BRK, HVC/SMC/HLT/UDF), hints, barriers, the SYS cache operations
// (DC ZVA, DC CVAU/CIVAC…, IC IVAU) and MRS/MSR on the system registers EL0 may touch.
import type { BlockBuilder } from '../../jit/builder.js';
import type { Temp } from '../../jit/ir.js';
import { FpFlag, FpMode } from '../../jit/ir.js';
import { SiCode, Sig } from '../../signals.js';
import { bits } from './bits.js';
import { X, imm, imm2, ins } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c32, c64, illegal, rz, wz } from './lift-util.js';
import { CF, CNTFRQ, EXCL_ADDR, FPCR, FPCR_MASK, FPFLAGS, FPMODE, FPRM, FPSR, FPSR_MASK, NF, TPIDR, VF, ZF } from './regs.js';

/** DCZID_EL0: DC ZVA zeroes 2^BS words; BS = 4 → 64 bytes. */
export const DCZID = 4;
export const ZVA_BYTES = 4 << DCZID;
/** CTR_EL0 as Linux hands it to EL0: 64-byte cache lines (IminLine = DminLine = 4), no IDC/DIC. */
export const CTR = 0x8444c004;

// ---- exceptions
function svc(b: BlockBuilder, d: Decoded): void {
  b.end({ op: 'syscall', next: d.pc + 4 });
}
function brk(b: BlockBuilder, d: Decoded): void {
  b.end({ op: 'trap', signal: Sig.TRAP, code: SiCode.TRAP_BRKPT, addr: d.pc, pc: d.pc });
}
const sigill = (b: BlockBuilder, d: Decoded): void => illegal(b, d.pc);
const imm16 = (d: Decoded) => imm(bits(d.raw, 20, 5));

// ---- hints and barriers
const HINTS: Record<number, string> = {
  0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 5: 'sevl', 7: 'xpaclri', 8: 'pacia1716', 10: 'pacib1716',
  12: 'autia1716', 14: 'autib1716', 16: 'esb', 17: 'psb\tcsync', 18: 'tsb\tcsync', 20: 'csdb', 22: 'clearbhb', 24: 'paciaz', 25: 'paciasp',
  26: 'pacibz', 27: 'pacibsp', 28: 'autiaz', 29: 'autiasp', 30: 'autibz', 31: 'autibsp', 32: 'bti', 34: 'bti\tc', 36: 'bti\tj', 38: 'bti\tjc',
};
/** Every hint is a NOP here: no pointer authentication is advertised, so PAC hints do nothing;
 *  BTI is not enforced; WFE/WFI/YIELD just continue. */
const nop = (): void => {};
const disHint = (d: Decoded) => HINTS[bits(d.raw, 11, 5)] ?? ins('hint', imm(bits(d.raw, 11, 5)));

const BARRIER_OPTS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'nsh', 6: 'nshst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};
const crm = (d: Decoded) => bits(d.raw, 11, 8);
function disBarrier(d: Decoded, name: string): string {
  const o = BARRIER_OPTS[crm(d)];
  return ins(name, o ?? imm2(crm(d)));
}
/** CLREX: drop both exclusive monitors. */
function clrex(b: BlockBuilder): void {
  b.clearReservation();
  b.set(EXCL_ADDR, c64(b, -1));
}

// ---- SYS: cache maintenance by address
function dcZva(b: BlockBuilder, d: Decoded): void {
  const base = b.bin('and', rz(b, d.rd, 1), c64(b, -ZVA_BYTES));
  const zero = c64(b, 0);
  for (let i = 0; i < ZVA_BYTES; i += 8) b.store(8, i === 0 ? base : b.bin('add', base, c64(b, i)), zero);
}
/** IC IVAU: translated code may be stale; drop translations and continue after it. */
function icIvau(b: BlockBuilder, d: Decoded): void {
  b.end({ op: 'flushCode', next: d.pc + 4 });
}
/** DC CVAU/CVAC/CIVAC/CVAP: memory is coherent here; nothing to do (but the address must not fault
 *  on hardware only for unmapped pages, which we do not check — harmless for user programs). */
const SYS_OPS: Record<number, [string, (b: BlockBuilder, d: Decoded) => void]> = {
  // key: op1 << 11 | CRn << 7 | CRm << 3 | op2
  [(3 << 11) | (7 << 7) | (4 << 3) | 1]: ['dc\tzva', dcZva],
  [(3 << 11) | (7 << 7) | (5 << 3) | 1]: ['ic\tivau', icIvau],
  [(3 << 11) | (7 << 7) | (11 << 3) | 1]: ['dc\tcvau', nop],
  [(3 << 11) | (7 << 7) | (10 << 3) | 1]: ['dc\tcvac', nop],
  [(3 << 11) | (7 << 7) | (14 << 3) | 1]: ['dc\tcivac', nop],
  [(3 << 11) | (7 << 7) | (12 << 3) | 1]: ['dc\tcvap', nop],
};
const sysKey = (w: number) => bits(w, 18, 5);

// ---- MRS/MSR (register)
interface SysReg {
  readonly name: string;
  read?(b: BlockBuilder): Temp;
  write?(b: BlockBuilder, v: Temp): void;
}
const sreg = (op0: number, op1: number, crn: number, crm_: number, op2: number) => (op0 << 14) | (op1 << 11) | (crn << 7) | (crm_ << 3) | op2;
const constant = (name: string, v: number): SysReg => ({ name, read: (b) => c64(b, v) });
const flag = (b: BlockBuilder, slot: number, shift: number) => b.bin('shl', b.get('i64', slot), c64(b, shift));
/** FpFlag bits (NX UF OF DZ NV = 1 2 4 8 16) ↔ FPSR (IOC DZC OFC UFC IXC = bits 0 … 4): reversed. */
function rev5(b: BlockBuilder, v: Temp): Temp {
  let r = c64(b, 0);
  for (let i = 0; i < 5; i++) {
    const bitI = b.bin('and', b.bin('shrl', v, c64(b, i)), c64(b, 1));
    r = b.bin('or', r, b.bin('shl', bitI, c64(b, 4 - i)));
  }
  return r;
}

const SYSREGS = new Map<number, SysReg>([
  [sreg(3, 3, 4, 2, 0), {
    name: 'nzcv',
    read: (b) => b.bin('or', b.bin('or', flag(b, NF, 31), flag(b, ZF, 30)), b.bin('or', flag(b, CF, 29), flag(b, VF, 28))),
    write: (b, v) => {
      const f = (shift: number) => b.wrap(b.bin('and', b.bin('shrl', v, c64(b, shift)), c64(b, 1)));
      b.set(NF, f(31));
      b.set(ZF, f(30));
      b.set(CF, f(29));
      b.set(VF, f(28));
    },
  }],
  [sreg(3, 3, 4, 4, 0), {
    name: 'fpcr',
    read: (b) => b.get('i64', FPCR),
    write: (b, v) => {
      const fpcr = b.bin('and', v, c64(b, FPCR_MASK));
      b.set(FPCR, fpcr);
      // RMode RN, RP, RM, RZ (0…3) → Rm RNE 0, RUP 3, RDN 2, RTZ 1: (4 - r) & 3.
      const r = b.wrap(b.bin('shrl', fpcr, c64(b, 22)));
      // FZ (bit 24) → FpMode.FZ (8), DN (bit 25) → FpMode.DN (16): both shifted right by 21.
      const m = b.bin('and', b.wrap(b.bin('shrl', fpcr, c64(b, 21))), c32(b, FpMode.FZ | FpMode.DN));
      b.set(FPMODE, m);
      b.set(FPRM, b.bin('or', m, b.bin('and', b.bin('sub', c32(b, 4), b.bin('and', r, c32(b, 3))), c32(b, 3))));
    },
  }],
  [sreg(3, 3, 4, 4, 1), {
    name: 'fpsr',
    // IDC (bit 7) is FpFlag.ID (bit 5) in FPFLAGS.
    read: (b) => {
      const f = b.get('i64', FPFLAGS);
      const idc = b.bin('shl', b.bin('and', f, c64(b, FpFlag.ID)), c64(b, 2));
      return b.bin('or', b.bin('or', b.get('i64', FPSR), rev5(b, f)), idc);
    },
    write: (b, v) => {
      const fpsr = b.bin('and', v, c64(b, FPSR_MASK));
      b.set(FPSR, b.bin('and', fpsr, c64(b, ~0x9f)));
      b.set(FPFLAGS, b.bin('or', rev5(b, fpsr), b.bin('and', b.bin('shrl', fpsr, c64(b, 2)), c64(b, FpFlag.ID))));
    },
  }],
  [sreg(3, 3, 13, 0, 2), { name: 'tpidr_el0', read: (b) => b.get('i64', TPIDR), write: (b, v) => b.set(TPIDR, v) }],
  [sreg(3, 3, 13, 0, 3), constant('tpidrro_el0', 0)],
  [sreg(3, 3, 0, 0, 1), constant('ctr_el0', CTR)],
  [sreg(3, 3, 0, 0, 7), constant('dczid_el0', DCZID)],
  [sreg(3, 3, 14, 0, 0), constant('cntfrq_el0', CNTFRQ)],
  [sreg(3, 3, 14, 0, 2), { name: 'cntvct_el0', read: (b) => b.counter('time') }],
]);
const regKey = (w: number) => bits(w, 20, 5);
function sysRegName(w: number): string {
  const r = SYSREGS.get(regKey(w));
  if (r) return r.name;
  return `s${bits(w, 20, 19)}_${bits(w, 18, 16)}_c${bits(w, 15, 12)}_c${bits(w, 11, 8)}_${bits(w, 7, 5)}`;
}
function mrs(b: BlockBuilder, d: Decoded): void {
  const r = SYSREGS.get(regKey(d.raw));
  if (!r?.read) return illegal(b, d.pc);
  wz(b, d.rd, r.read(b));
}
function msr(b: BlockBuilder, d: Decoded): void {
  const r = SYSREGS.get(regKey(d.raw));
  if (!r?.write) return illegal(b, d.pc);
  r.write(b, rz(b, d.rd, 1));
}

export const SYSTEM: InsnDef[] = [
  row('svc', '11010100 000xxxxx xxxxxxxx xxx00001', svc, (d) => ins('svc', imm16(d))),
  row('hvc', '11010100 000xxxxx xxxxxxxx xxx00010', sigill, (d) => ins('hvc', imm16(d))),
  row('smc', '11010100 000xxxxx xxxxxxxx xxx00011', sigill, (d) => ins('smc', imm16(d))),
  row('brk', '11010100 001xxxxx xxxxxxxx xxx00000', brk, (d) => ins('brk', imm16(d))),
  row('hlt', '11010100 010xxxxx xxxxxxxx xxx00000', sigill, (d) => ins('hlt', imm16(d))),
  row('udf', '00000000 00000000 xxxxxxxx xxxxxxxx', sigill, (d) => ins('udf', '#' + String(d.raw & 0xffff))),
  row('hint', '11010101 00000011 0010xxxx xxx11111', nop, disHint),
  row('clrex', '11010101 00000011 0011xxxx 01011111', clrex, (d) => (crm(d) === 15 ? 'clrex' : ins('clrex', imm(crm(d))))),
  row('dsb', '11010101 00000011 0011xxxx 10011111', nop, (d) =>
    crm(d) === 0 ? 'ssbb' : crm(d) === 4 ? 'pssbb' : disBarrier(d, 'dsb')),
  row('dmb', '11010101 00000011 0011xxxx 10111111', nop, (d) => disBarrier(d, 'dmb')),
  // ISB: code changes are already caught by IC IVAU, munmap and mprotect; nothing more to do.
  row('isb', '11010101 00000011 0011xxxx 11011111', nop, (d) => (crm(d) === 15 ? 'isb' : ins('isb', imm(crm(d))))),
  row('sys', '11010101 00001xxx xxxxxxxx xxxxxxxx', (b, d) => {
    const op = SYS_OPS[sysKey(d.raw)];
    if (op === undefined) return illegal(b, d.pc);
    op[1](b, d);
  }, (d) => {
    const op = SYS_OPS[sysKey(d.raw)];
    if (op) return `${op[0]}, ${X(d.rd)}`;
    const fields = [`#${bits(d.raw, 18, 16)}`, `C${bits(d.raw, 15, 12)}`, `C${bits(d.raw, 11, 8)}`, `#${bits(d.raw, 7, 5)}`];
    return ins('sys', ...fields, ...(d.rd === 31 ? [] : [X(d.rd)]));
  }),
  row('msr', '11010101 0001xxxx xxxxxxxx xxxxxxxx', msr, (d) => ins('msr', sysRegName(d.raw), X(d.rd))),
  row('mrs', '11010101 0011xxxx xxxxxxxx xxxxxxxx', mrs, (d) => ins('mrs', X(d.rd), sysRegName(d.raw))),
];
