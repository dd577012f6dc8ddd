// A64 loads and stores (Arm ARM C4.1 "Loads and Stores"): every size and addressing mode of the
// general and FP/SIMD register forms, pairs, literals, exclusives, acquire/release, LSE atomics
// and the Advanced SIMD structure loads/stores.
import { op, type MemInfo } from './encode.js';
import type { Args } from './fields.js';

/** [key, size, opc, register view, store]: the general-register forms by size and opc. */
const GPR = [
  ['strb', 0, 0, 'w', true], ['ldrb', 0, 1, 'w', false], ['ldrsb.x', 0, 2, 'x', false], ['ldrsb.w', 0, 3, 'w', false],
  ['strh', 1, 0, 'w', true], ['ldrh', 1, 1, 'w', false], ['ldrsh.x', 1, 2, 'x', false], ['ldrsh.w', 1, 3, 'w', false],
  ['str.w', 2, 0, 'w', true], ['ldr.w', 2, 1, 'w', false], ['ldrsw', 2, 2, 'x', false],
  ['str.x', 3, 0, 'x', true], ['ldr.x', 3, 1, 'x', false],
] as const;

/** [key, size, opc, register view, store, log2 bytes]: the FP/SIMD register forms. */
const FPR = [
  ['str.b', 0, 0, 'b', true, 0], ['ldr.b', 0, 1, 'b', false, 0], ['str.h', 1, 0, 'h', true, 1], ['ldr.h', 1, 1, 'h', false, 1],
  ['str.s', 2, 0, 's', true, 2], ['ldr.s', 2, 1, 's', false, 2], ['str.d', 3, 0, 'd', true, 3], ['ldr.d', 3, 1, 'd', false, 3],
  ['str.q', 0, 2, 'q', true, 4], ['ldr.q', 0, 3, 'q', false, 4],
] as const;

const mnemonic = (key: string) => key.split('.')[0]!;
/** LDR → LDUR, STRB → STURB … (the unscaled-offset names). */
const unscaled = (mn: string) => mn.replace(/^(ld|st)r/, '$1ur');
/** A writeback to a base that is also the transfer register is UNPREDICTABLE. */
const wbOk = (a: Args) => a.rn === 31 || (a.rn !== a.rt && a.rn !== a.rt2);
const mem = (m: Omit<MemInfo, 'align'> & { align?: number }): MemInfo => ({ align: 1, ...m });

const forms = [
  ...GPR.map(([key, size, opc, view, store]) => ({ key, size, opc, view, store, lg: size as number, v: 0 })),
  ...FPR.map(([key, size, opc, view, store, lg]) => ({ key, size, opc, view, store, lg: lg as number, v: 1 << 26 })),
];
for (const { key, size, opc, view, store, lg, v } of forms) {
  const mn = mnemonic(key);
  const base = ((size << 30) | v | (opc << 22)) >>> 0;
  const rt = `<rt:${view}>`;
  const w = store ? [] : view === 'w' || view === 'x' ? ['rt'] : [];
  const bytes = 1 << lg;
  // unsigned offset: size 111 V 01 opc imm12 Rn Rt
  op(`${key}.uoff`, base | 0x39000000, `${mn}\t${rt}, [<rn:xsp><imm12:mo:${bytes}>]`, { writes: w, mem: mem({ bytes, mode: 'uoff', scale: bytes, store }) });
  // unscaled: size 111 V 00 opc 0 imm9 00 Rn Rt
  op(`${key}.imm9`, base | 0x38000000, `${unscaled(mn)}\t${rt}, [<rn:xsp><imm9:mo>]`, { writes: w, mem: mem({ bytes, mode: 'imm9', scale: 1, store }) });
  // post- and pre-index: … imm9 01 / 11
  op(`${key}.post`, base | 0x38000400, `${mn}\t${rt}, [<rn:xsp>]<imm9:mw>`, {
    writes: [...w, 'rn'], valid: wbOk, mem: mem({ bytes, mode: 'post', scale: 1, store }),
  });
  op(`${key}.pre`, base | 0x38000c00, `${mn}\t${rt}, [<rn:xsp><imm9:mw>]!`, {
    writes: [...w, 'rn'], valid: wbOk, mem: mem({ bytes, mode: 'pre', scale: 1, store }),
  });
  // register offset: size 111 V 00 opc 1 Rm option S 10 Rn Rt (option UXTW, LSL, SXTW, SXTX)
  op(`${key}.reg`, base | 0x38200800, `${mn}\t${rt}, [<rn:xsp>, <rm:rx><S:none><option:rext:${lg}>]`, {
    writes: w, valid: (a) => (a.option! & 2) !== 0, mem: mem({ bytes, mode: 'reg', scale: lg, store }),
  });
}

// ---- literal: opc 011 V 00 imm19 Rt
for (const [key, bits, view, bytes] of [['ldr.w', 0x18000000, 'w', 4], ['ldr.x', 0x58000000, 'x', 8], ['ldrsw', 0x98000000, 'x', 4],
  ['ldr.s', 0x1c000000, 's', 4], ['ldr.d', 0x5c000000, 'd', 8], ['ldr.q', 0x9c000000, 'q', 16]] as const)
  op(`${key}.lit`, bits, `ldr${key === 'ldrsw' ? 'sw' : ''}\t<rt:${view}>, <imm19:rel:4>`, {
    writes: view === 'w' || view === 'x' ? ['rt'] : [], mem: mem({ bytes, mode: 'lit', scale: 4, store: false }),
  });

// ---- pairs: opc 101 V 0 mode L imm7 Rt2 Rn Rt (mode 0 no-allocate, 1 post, 2 offset, 3 pre)
const PAIRS = [
  ['w', 0, 0, 'w', 4], ['x', 2, 0, 'x', 8], ['sw', 1, 0, 'x', 4], ['s', 0, 1, 's', 4], ['d', 1, 1, 'd', 8], ['q', 2, 1, 'q', 16],
] as const;
for (const [kind, opc, vbit, view, bytes] of PAIRS) {
  for (const load of [false, true]) {
    if (kind === 'sw' && !load) continue;
    const mn = kind === 'sw' ? 'ldpsw' : load ? 'ldp' : 'stp';
    const base = ((opc << 30) | (vbit << 26) | (load ? 1 << 22 : 0) | 0x28000000) >>> 0;
    const gpr = view === 'w' || view === 'x';
    const w = load && gpr ? ['rt', 'rt2'] : [];
    const regs = `<rt:${view}>, <rt2:${view}>`;
    const pairOk = (a: Args) => !load || a.rt !== a.rt2;
    const info = (mode: MemInfo['mode']) => mem({ bytes: 2 * bytes, mode, scale: bytes, store: !load });
    const name = `${mn}.${kind === 'sw' ? 'x' : kind}`;
    op(`${name}.off`, base | (2 << 23), `${mn}\t${regs}, [<rn:xsp><imm7:mo:${bytes}>]`, { writes: w, valid: pairOk, mem: info('pair') });
    op(`${name}.post`, base | (1 << 23), `${mn}\t${regs}, [<rn:xsp>]<imm7:mw:${bytes}>`, {
      writes: [...w, 'rn'], valid: (a) => pairOk(a) && wbOk(a), mem: info('pairpost'),
    });
    op(`${name}.pre`, base | (3 << 23), `${mn}\t${regs}, [<rn:xsp><imm7:mw:${bytes}>]!`, {
      writes: [...w, 'rn'], valid: (a) => pairOk(a) && wbOk(a), mem: info('pairpre'),
    });
    if (kind !== 'sw') {
      const nt = load ? 'ldnp' : 'stnp';
      op(`${nt}.${kind}`, base, `${nt}\t${regs}, [<rn:xsp><imm7:mo:${bytes}>]`, { writes: w, valid: pairOk, mem: info('pair') });
    }
  }
}

// ---- exclusives and acquire/release: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt
const SIZES = [['b', 0, 'w'], ['h', 1, 'w'], ['w', 2, 'w'], ['x', 3, 'x']] as const;
for (const [sfx, size, view] of SIZES) {
  const s = (size << 30) >>> 0;
  const bytes = 1 << size;
  const n = (mn: string) => (sfx === 'w' || sfx === 'x' ? mn : mn + sfx);
  const ex = (store: boolean) => mem({ bytes, align: bytes, mode: 'base', scale: 1, store });
  const stOk = (a: Args) => a.rs !== a.rt && (a.rs !== a.rn || a.rn === 31);
  op(`stxr.${sfx}`, s | 0x08007c00, `${n('stxr')}\t<rs:w>, <rt:${view}>, [<rn:xsp>]`, { writes: ['rs'], valid: stOk, mem: ex(true) });
  op(`stlxr.${sfx}`, s | 0x0800fc00, `${n('stlxr')}\t<rs:w>, <rt:${view}>, [<rn:xsp>]`, { writes: ['rs'], valid: stOk, mem: ex(true) });
  op(`ldxr.${sfx}`, s | 0x085f7c00, `${n('ldxr')}\t<rt:${view}>, [<rn:xsp>]`, { writes: ['rt'], mem: ex(false) });
  op(`ldaxr.${sfx}`, s | 0x085ffc00, `${n('ldaxr')}\t<rt:${view}>, [<rn:xsp>]`, { writes: ['rt'], mem: ex(false) });
  op(`stlr.${sfx}`, s | 0x089ffc00, `${n('stlr')}\t<rt:${view}>, [<rn:xsp>]`, { mem: ex(true) });
  op(`ldar.${sfx}`, s | 0x08dffc00, `${n('ldar')}\t<rt:${view}>, [<rn:xsp>]`, { writes: ['rt'], mem: ex(false) });
  // LDAPR (RCpc): size 111000 101 11111 1100 00 Rn Rt
  op(`ldapr.${sfx}`, s | 0x38bfc000, `${n('ldapr')}\t<rt:${view}>, [<rn:xsp>]`, { writes: ['rt'], mem: ex(false) });
  // LSE: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt
  const ORDER = [['', 0], ['a', 2], ['al', 3], ['l', 1]] as const;
  const LSE = ['ldadd', 'ldclr', 'ldeor', 'ldset', 'ldsmax', 'ldsmin', 'ldumax', 'ldumin'];
  for (const [ord, ar] of ORDER) {
    const at = s | (ar << 22);
    const atomic = mem({ bytes, align: bytes, mode: 'base', scale: 1, store: true });
    LSE.forEach((mn, opc) =>
      op(`${mn}${ord}.${sfx}`, at | 0x38200000 | (opc << 12), `${n(mn + ord)}\t<rs:${view}>, <rt:${view}>, [<rn:xsp>]`, { writes: ['rt'], mem: atomic }));
    op(`swp${ord}.${sfx}`, at | 0x38208000, `${n('swp' + ord)}\t<rs:${view}>, <rt:${view}>, [<rn:xsp>]`, { writes: ['rt'], mem: atomic });
    // CAS: size 001000 1 L 1 Rs o0 11111 Rn Rt (the L of CAS is bit 22, its o0 bit 15)
    const cas = s | ((ar >> 1) << 22) | ((ar & 1) << 15) | 0x08a07c00;
    op(`cas${ord}.${sfx}`, cas, `${n('cas' + ord)}\t<rs:${view}>, <rt:${view}>, [<rn:xsp>]`, { writes: ['rs'], mem: atomic });
    if (sfx === 'w' || sfx === 'x') {
      // CASP: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt, Rs and Rt even
      const casp = (((size & 1) << 30) | ((ar >> 1) << 22) | ((ar & 1) << 15) | 0x08207c00) >>> 0;
      op(`casp${ord}.${sfx}`, casp, `casp${ord}\t<rs:${view}>, <rs+1:${view}>, <rt:${view}>, <rt+1:${view}>, [<rn:xsp>]`, {
        writes: ['rs', 'rs+1'], valid: (a) => a.rs! % 2 === 0 && a.rt! % 2 === 0 && a.rs !== 30 && a.rt !== 30,
        mem: mem({ bytes: 2 * bytes, align: 2 * bytes, mode: 'base', scale: 1, store: true }),
      });
    }
  }
}
// exclusive pairs: 1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt
for (const [sfx, sz, view, bytes] of [['w', 0, 'w', 4], ['x', 1, 'x', 8]] as const) {
  const s = ((sz << 30) | 0x88200000) >>> 0;
  const ex = (store: boolean) => mem({ bytes: 2 * bytes, align: 2 * bytes, mode: 'base', scale: 1, store });
  const stOk = (a: Args) => a.rs !== a.rt && a.rs !== a.rt2 && (a.rs !== a.rn || a.rn === 31);
  op(`stxp.${sfx}`, s, `stxp\t<rs:w>, <rt:${view}>, <rt2:${view}>, [<rn:xsp>]`, { writes: ['rs'], valid: stOk, mem: ex(true) });
  op(`stlxp.${sfx}`, s | 0x8000, `stlxp\t<rs:w>, <rt:${view}>, <rt2:${view}>, [<rn:xsp>]`, { writes: ['rs'], valid: stOk, mem: ex(true) });
  op(`ldxp.${sfx}`, s | 0x005f0000, `ldxp\t<rt:${view}>, <rt2:${view}>, [<rn:xsp>]`, { writes: ['rt', 'rt2'], valid: (a) => a.rt !== a.rt2, mem: ex(false) });
  op(`ldaxp.${sfx}`, s | 0x005f8000, `ldaxp\t<rt:${view}>, <rt2:${view}>, [<rn:xsp>]`, { writes: ['rt', 'rt2'], valid: (a) => a.rt !== a.rt2, mem: ex(false) });
}
// LDAPUR/STLUR (RCpc, unscaled offset): size 011001 opc 0 imm9 00 Rn Rt
for (const [key, size, opc, view, store] of GPR) {
  const mn = mnemonic(key).replace(/^ldr/, 'ldapur').replace(/^str/, 'stlur');
  op(`${key.replace(/^ldr/, 'ldapur').replace(/^str/, 'stlur')}.imm9`, ((size << 30) | (opc << 22) | 0x19000000) >>> 0,
    `${mn}\t<rt:${view}>, [<rn:xsp><imm9:mo>]`, {
    writes: store ? [] : ['rt'], mem: mem({ bytes: 1 << size, align: 1 << size, mode: 'imm9', scale: 1, store }),
  });
}

// ---- Advanced SIMD structures. Multiple: 0 Q 0011000 L 000000 opcode size Rn Rt (post-index:
// 0 Q 0011001 L 0 Rm opcode size Rn Rt, Rm = 31 for the immediate form).
const MULTI = [['ld4', 4, 0], ['ld1', 4, 2], ['ld3', 3, 4], ['ld1', 3, 6], ['ld1', 1, 7], ['ld2', 2, 8], ['ld1', 2, 10]] as const;
for (const [ld, count, opcode] of MULTI) {
  for (const load of [true, false]) {
    const mn = load ? ld : ld.replace('ld', 'st');
    const base = ((load ? 1 << 22 : 0) | (opcode << 12) | 0x0c000000) >>> 0;
    // LD2/LD3/LD4 have no 1d arrangement.
    const ok = (a: Args) => ld === 'ld1' || !(a.ssize === 3 && a.Q === 0);
    const bytes = (a: Args) => count * (a.Q ? 16 : 8);
    const list = `<rt:vl:${count}><ssize:none><Q:none>`;
    op(`${mn}.${count}`, base, `${mn}\t${list}, [<rn:xsp>]`, { valid: ok, mem: { bytes, align: 1, mode: 'base', scale: 1, store: !load } });
    op(`${mn}.${count}.post`, base | 0x00800000, `${mn}\t${list}, [<rn:xsp>], <rm:postm:${count}>`, {
      writes: ['rn'], valid: ok, mem: { bytes, align: 1, mode: 'vpost', scale: 1, store: !load },
    });
  }
}
// Single structure: 0 Q 0011010 L R 00000 opcode S size Rn Rt (post-index: 0011011, Rm).
const LANE = [['b', 0, 'laneb', 0], ['h', 1, 'laneh', 2 << 13], ['s', 2, 'lanes', 4 << 13], ['d', 3, 'laned', (4 << 13) | 1 << 10]] as const;
for (const n of [1, 2, 3, 4]) {
  const r = n === 2 || n === 4 ? 1 << 21 : 0;
  const o0 = n === 3 || n === 4 ? 1 << 13 : 0;
  for (const load of [true, false]) {
    const mn = `${load ? 'ld' : 'st'}${n}`;
    const l = load ? 1 << 22 : 0;
    for (const [e, lg, lane, bits] of LANE) {
      const base = (0x0d000000 | l | r | o0 | bits) >>> 0;
      const bytes = n << lg;
      const text = `${mn}\t<rt:vl:${n}/${e}>[<${lane}:dec>], [<rn:xsp>]`;
      op(`${mn}.${e}`, base, text, { mem: mem({ bytes, mode: 'base', scale: 1, store: !load }) });
      op(`${mn}.${e}.post`, base | 0x00800000, `${text}, <rm:posts:${bytes}>`, { writes: ['rn'], mem: mem({ bytes, mode: 'vpost', scale: 1, store: !load }) });
    }
  }
  // Load and replicate: opcode 11 o0 0, S = 0; size is the element size.
  const rep = (0x0d40c000 | r | o0) >>> 0;
  const bytes = (a: Args) => n << a.ssize!;
  const list = `<rt:vl:${n}><ssize:none><Q:none>`;
  op(`ld${n}r`, rep, `ld${n}r\t${list}, [<rn:xsp>]`, { mem: { bytes, align: 1, mode: 'base', scale: 1, store: false } });
  op(`ld${n}r.post`, rep | 0x00800000, `ld${n}r\t${list}, [<rn:xsp>], <rm:postr:${n}>`, {
    writes: ['rn'], mem: { bytes, align: 1, mode: 'vpost', scale: 1, store: false },
  });
}
