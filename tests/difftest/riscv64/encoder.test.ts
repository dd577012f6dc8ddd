// The difftest encoder against encodings produced by GNU as (binutils 2.40) for the same text,
// so a mistake in the encoder fails here without needing binutils at test time.
import { describe, expect, it } from 'vitest';
import { OPCODES, asmText, encode, operandNames, sampleField, toBytes } from './encode.js';
import { Rng } from '../../rng.js';

// [opcode, operands, word as GNU as encodes it, text as objdump -M no-aliases,numeric prints it]
const KNOWN: ReadonlyArray<readonly [string, Record<string, number>, number, string]> = [
  ['add', { rd: 10, rs1: 11, rs2: 12 }, 0x00c58533, 'add\tx10,x11,x12'],
  ['fadd.d', { frd: 0, frs1: 1, frs2: 2, rm: 0 }, 0x02208053, 'fadd.d\tf0,f1,f2,rne'],
  ['fadd.d', { frd: 0, frs1: 1, frs2: 2, rm: 7 }, 0x0220f053, 'fadd.d\tf0,f1,f2'],
  ['fadd.s', { frd: 0, frs1: 1, frs2: 2, rm: 4 }, 0x0020c053, 'fadd.s\tf0,f1,f2,rmm'],
  ['fmadd.d', { frd: 10, frs1: 11, frs2: 12, frs3: 13, rm: 1 }, 0x6ac59543, 'fmadd.d\tf10,f11,f12,f13,rtz'],
  ['fcvt.d.w', { frd: 10, rs1: 10, rm: 0 }, 0xd2050553, 'fcvt.d.w\tf10,x10'],
  ['fcvt.w.d', { rd: 10, frs1: 10, rm: 3 }, 0xc2053553, 'fcvt.w.d\tx10,f10,rup'],
  ['fsqrt.s', { frd: 10, frs1: 11, rm: 2 }, 0x5805a553, 'fsqrt.s\tf10,f11,rdn'],
  ['amoadd.w', { rd: 10, rs2: 11, rs1: 12, aqrl: 3 }, 0x06b6252f, 'amoadd.w.aqrl\tx10,x11,(x12)'],
  ['lr.d', { rd: 10, rs1: 12, aqrl: 2 }, 0x1406352f, 'lr.d.aq\tx10,(x12)'],
  ['sc.d', { rd: 10, rs2: 11, rs1: 12, aqrl: 1 }, 0x1ab6352f, 'sc.d.rl\tx10,x11,(x12)'],
  ['csrrw', { rd: 10, csr: 3, rs1: 11 }, 0x00359573, 'csrrw\tx10,fcsr,x11'],
  ['csrrsi', { rd: 10, csr: 2, zimm: 3 }, 0x0021e573, 'csrrsi\tx10,frm,3'],
  ['csrrs', { rd: 10, csr: 1, rs1: 0 }, 0x00102573, 'csrrs\tx10,fflags,x0'],
  ['c.addi4spn', { crdp: 9, c_addi4spn_imm: 16 }, 0x0804, 'c.addi4spn\tx9,x2,16'],
  ['c.ld', { crdp: 10, c_ld_imm: 8, crs1p: 8 }, 0x6408, 'c.ld\tx10,8(x8)'],
  ['c.fsd', { cfrs2p: 10, c_ld_imm: 16, crs1p: 15 }, 0xab88, 'c.fsd\tf10,16(x15)'],
  ['c.addi16sp', { c_addi16sp_imm: -64 }, 0x7139, 'c.addi16sp\tx2,-64'],
  ['c.lui', { crd_lui: 10, c_lui_imm: 31 }, 0x657d, 'c.lui\tx10,0x1f'],
  ['c.lui', { crd_lui: 10, c_lui_imm: -32 }, 0x7501, 'c.lui\tx10,0xfffe0'],
  ['c.srai', { crs1p: 10, c_shamt: 3 }, 0x850d, 'c.srai\tx10,0x3'],
  ['c.andi', { crs1p: 10, c_imm6: -3 }, 0x9975, 'c.andi\tx10,-3'],
  ['c.subw', { crs1p: 10, crs2p: 11 }, 0x9d0d, 'c.subw\tx10,x11'],
  ['c.ldsp', { crd: 10, c_ldsp_imm: 8 }, 0x6522, 'c.ldsp\tx10,8(x2)'],
  ['c.fsdsp', { cfrs2: 10, c_sdsp_imm: 24 }, 0xac2a, 'c.fsdsp\tf10,24(x2)'],
  ['c.mv', { crd: 10, crs2: 11 }, 0x852e, 'c.mv\tx10,x11'],
  ['c.add', { crd: 10, crs2: 11 }, 0x952e, 'c.add\tx10,x11'],
  ['c.li', { crd: 10, c_imm6: -5 }, 0x556d, 'c.li\tx10,-5'],
  ['c.slli', { crd: 10, c_shamt: 63 }, 0x157e, 'c.slli\tx10,0x3f'],
  ['auipc', { rd: 10, uimm20: 0x12345 }, 0x12345517, 'auipc\tx10,0x12345'],
  ['sraiw', { rd: 10, rs1: 10, shamt5: 31 }, 0x41f5551b, 'sraiw\tx10,x10,0x1f'],
  ['fmv.x.w', { rd: 10, frs1: 10 }, 0xe0050553, 'fmv.x.w\tx10,f10'],
  ['fclass.d', { rd: 10, frs1: 10 }, 0xe2051553, 'fclass.d\tx10,f10'],
  ['fsgnjx.s', { frd: 10, frs1: 11, frs2: 12 }, 0x20c5a553, 'fsgnjx.s\tf10,f11,f12'],
  ['fle.d', { rd: 10, frs1: 11, frs2: 12 }, 0xa2c58553, 'fle.d\tx10,f11,f12'],
  ['fcvt.s.d', { frd: 10, frs1: 11, rm: 1 }, 0x40159553, 'fcvt.s.d\tf10,f11,rtz'],
  ['fcvt.d.s', { frd: 10, frs1: 11, rm: 0 }, 0x42058553, 'fcvt.d.s\tf10,f11'],
  ['ld', { rd: 10, rs1: 8, imm12: -256 }, 0xf0043503, 'ld\tx10,-256(x8)'],
  ['fsw', { frs2: 10, rs1: 8, simm12: 12 }, 0x00a42627, 'fsw\tf10,12(x8)'],
  ['addi', { rd: 0, rs1: 1, imm12: 5 }, 0x00508013, 'addi\tx0,x1,5'],
];

describe('RV64GC encoder', () => {
  it.each(KNOWN)('%s %j encodes as GNU as does', (name, args, word, text) => {
    const insn = encode(name, args);
    expect(insn.word.toString(16)).toBe(word.toString(16));
    expect(insn.len).toBe(word > 0xffff ? 4 : 2);
    expect(asmText(insn)).toBe(text);
  });

  it('prints branch targets relative to the pc', () => {
    expect(asmText(encode('beq', { rs1: 1, rs2: 2, boff: 8 }), 0x1000)).toBe('beq\tx1,x2,0x1008');
    expect(asmText(encode('c.bnez', { crs1p: 9, cboff: 6 }), 0x1002)).toBe('c.bnez\tx9,0x1008');
  });

  it('rejects operands the instruction cannot encode', () => {
    expect(() => encode('addi', { rd: 1, rs1: 2, imm12: 2048 })).toThrow(/imm12/);
    expect(() => encode('c.ld', { crdp: 7, c_ld_imm: 0, crs1p: 8 })).toThrow(/crdp/);
    expect(() => encode('c.ld', { crdp: 9, c_ld_imm: 4, crs1p: 8 })).toThrow(/c_ld_imm/);
    expect(() => encode('c.lui', { crd_lui: 2, c_lui_imm: 1 })).toThrow(/crd_lui/);
    expect(() => encode('c.addi16sp', { c_addi16sp_imm: 0 })).toThrow();
    expect(() => encode('fadd.s', { frd: 1, frs1: 2, frs2: 3, rm: 5 })).toThrow(/rm/);
    expect(() => encode('add', { rd: 1, rs1: 2 })).toThrow(/rs2/);
  });

  it('samples only encodable operands for every opcode', () => {
    const rng = new Rng(5);
    for (const op of OPCODES.values()) {
      for (let i = 0; i < 50; i++) {
        const args: Record<string, number> = {};
        for (const key of operandNames(op)) args[key] = sampleField(key, () => rng.u32());
        const insn = encode(op.name, args);
        // 16-bit encodings never use the 32-bit quadrant; 32-bit ones always do.
        expect((insn.word & 3) === 3, op.name).toBe(op.len === 4);
      }
    }
  });

  it('writes instructions little-endian', () => {
    const bytes = toBytes([encode('c.mv', { crd: 10, crs2: 11 }), encode('add', { rd: 10, rs1: 11, rs2: 12 })]);
    expect([...bytes]).toEqual([0x2e, 0x85, 0x33, 0x85, 0xc5, 0x00]);
  });
});
