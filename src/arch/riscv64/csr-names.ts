// CSR numbers: the few a user-mode RV64GC program may touch, and the standard names of all of them
// for disassembly (privileged spec, with the AIA, Smstateen, Sstc, Sscofpmf, debug, vector and Zkr
// CSRs). The disassembler prints a name when it has one, else the number in hex.

export const CSR_FFLAGS = 0x001;
export const CSR_FRM = 0x002;
export const CSR_FCSR = 0x003;
export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;

/** [first number, names…]: consecutive CSRs. A name with "#" stands for a run: "pmpcfg#0-15". */
const GROUPS: ReadonlyArray<readonly [number, ...string[]]> = [
  [0x001, 'fflags', 'frm', 'fcsr'],
  [0x008, 'vstart', 'vxsat', 'vxrm'], [0x00f, 'vcsr'], [0x015, 'seed'],
  // supervisor
  [0x100, 'sstatus'], [0x104, 'sie', 'stvec', 'scounteren'], [0x10a, 'senvcfg'],
  [0x10c, 'sstateen#0-3'], [0x114, 'sieh'],
  [0x140, 'sscratch', 'sepc', 'scause', 'stval', 'sip'], [0x14d, 'stimecmp'], [0x150, 'siselect', 'sireg'],
  [0x154, 'siph'], [0x15c, 'stopei', 'stimecmph'], [0x180, 'satp'],
  // virtual supervisor
  [0x200, 'vsstatus'], [0x204, 'vsie', 'vstvec'], [0x214, 'vsieh'],
  [0x240, 'vsscratch', 'vsepc', 'vscause', 'vstval', 'vsip'], [0x24d, 'vstimecmp'], [0x250, 'vsiselect', 'vsireg'],
  [0x254, 'vsiph'], [0x25c, 'vstopei', 'vstimecmph'], [0x280, 'vsatp'],
  // machine
  [0x300, 'mstatus', 'misa', 'medeleg', 'mideleg', 'mie', 'mtvec', 'mcounteren'], [0x308, 'mvien', 'mvip', 'menvcfg'],
  [0x30c, 'mstateen#0-3'], [0x310, 'mstatush'], [0x313, 'midelegh', 'mieh'], [0x318, 'mvienh', 'mviph', 'menvcfgh'],
  [0x31c, 'mstateen#0-3h'], [0x320, 'mcountinhibit'], [0x323, 'mhpmevent#3-31'],
  [0x340, 'mscratch', 'mepc', 'mcause', 'mtval', 'mip'], [0x34a, 'mtinst', 'mtval2'], [0x350, 'miselect', 'mireg'],
  [0x354, 'miph'], [0x35c, 'mtopei'], [0x3a0, 'pmpcfg#0-15'], [0x3b0, 'pmpaddr#0-63'],
  [0x5a8, 'scontext'],
  // hypervisor
  [0x600, 'hstatus'], [0x602, 'hedeleg', 'hideleg', 'hie', 'htimedelta', 'hcounteren', 'hgeie', 'hvien', 'hvictl', 'henvcfg'],
  [0x60c, 'hstateen#0-3'], [0x613, 'hidelegh'], [0x615, 'htimedeltah'], [0x618, 'hvienh'], [0x61a, 'henvcfgh'],
  [0x61c, 'hstateen#0-3h'], [0x643, 'htval', 'hip', 'hvip', 'hviprio1', 'hviprio2'], [0x64a, 'htinst'],
  [0x655, 'hviph', 'hviprio1h', 'hviprio2h'], [0x680, 'hgatp'], [0x6a8, 'hcontext'],
  [0x723, 'mhpmevent#3-31h'], [0x747, 'mseccfg'], [0x757, 'mseccfgh'],
  // debug
  [0x7a0, 'tselect', 'tdata1', 'tdata2', 'tdata3', 'tinfo', 'tcontrol'], [0x7a8, 'mcontext'], [0x7aa, 'mscontext'],
  [0x7b0, 'dcsr', 'dpc', 'dscratch0', 'dscratch1'],
  // counters
  [0xb00, 'mcycle'], [0xb02, 'minstret', 'mhpmcounter#3-31'], [0xb80, 'mcycleh'], [0xb82, 'minstreth', 'mhpmcounter#3-31h'],
  [0xc00, 'cycle', 'time', 'instret', 'hpmcounter#3-31', 'vl', 'vtype', 'vlenb'],
  [0xc80, 'cycleh', 'timeh', 'instreth', 'hpmcounter#3-31h'],
  [0xda0, 'scountovf'], [0xdb0, 'stopi'], [0xe12, 'hgeip'], [0xeb0, 'vstopi'],
  [0xf11, 'mvendorid', 'marchid', 'mimpid', 'mhartid', 'mconfigptr'], [0xfb0, 'mtopi'],
];

function buildNames(): Map<number, string> {
  const m = new Map<number, string>();
  for (const [first, ...names] of GROUPS) {
    let n = first;
    for (const name of names) {
      const run = /^(\w+)#(\d+)-(\d+)(\w*)$/.exec(name);
      if (!run) {
        m.set(n++, name);
        continue;
      }
      for (let i = Number(run[2]); i <= Number(run[3]); i++) m.set(n++, `${run[1]}${i}${run[4]}`);
    }
  }
  return m;
}

export const CSR_NAMES: ReadonlyMap<number, string> = buildNames();

/** A CSR operand as objdump prints it. */
export function csrName(csr: number): string {
  return CSR_NAMES.get(csr) ?? `0x${csr.toString(16)}`;
}
