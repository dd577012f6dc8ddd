// The A64 difftest encoder against encodings GNU as (binutils 2.40, -march=armv8.4-a) produces for
// the text our table prints, so a mistake in the encoder fails here without binutils at test time.
// (`node scripts/difftest.mjs --isa aarch64 --validate-encoder` checks every opcode against objdump.)
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { decodeBitMask, FIELDS } from './fields.js';
import { OPCODES, asmText, encode, sampleArgs, toBytes } from './opcodes.js';

// [opcode, operands, word as GNU as encodes the text, text as objdump -M no-aliases prints it]
const KNOWN: ReadonlyArray<readonly [string, Record<string, number>, number, string]> = [
  ['adds.x.imm', {rd: 0, rn: 31, imm12: 4095, sh: 1}, 0xb17fffe0, 'adds\tx0, sp, #0xfff, lsl #12'],
  ['sub.w.imm', {rd: 31, rn: 3, imm12: 16, sh: 0}, 0x5100407f, 'sub\twsp, w3, #0x10'],
  ['and.x.imm', {rd: 1, rn: 2, bimm: 7687}, 0x92781c41, 'and\tx1, x2, #0xff00'],
  ['ands.w.imm', {rd: 3, rn: 4, bimmw: 2}, 0x72000883, 'ands\tw3, w4, #0x7'],
  ['movk.x', {rd: 5, imm16: 4660, hw: 3}, 0xf2e24685, 'movk\tx5, #0x1234, lsl #48'],
  ['movn.w', {rd: 6, imm16: 0, hww: 1}, 0x12a00006, 'movn\tw6, #0x0, lsl #16'],
  ['ubfm.x', {rd: 0, rn: 1, immr: 61, imms: 60}, 0xd37df020, 'ubfm\tx0, x1, #61, #60'],
  ['sbfm.w', {rd: 7, rn: 8, immrw: 31, immsw: 0}, 0x131f0107, 'sbfm\tw7, w8, #31, #0'],
  ['extr.x', {rd: 0, rn: 1, rm: 2, imm6: 13}, 0x93c23420, 'extr\tx0, x1, x2, #13'],
  ['eon.x.reg', {rd: 9, rn: 10, rm: 11, imm6: 63, stype: 3}, 0xcaebfd49, 'eon\tx9, x10, x11, ror #63'],
  ['subs.w.reg', {rd: 31, rn: 1, rm: 2, imm6w: 31, stype: 2}, 0x6b827c3f, 'subs\twzr, w1, w2, asr #31'],
  ['add.x.ext', {rd: 31, rn: 2, rm: 3, option: 6, imm3: 2}, 0x8b23c85f, 'add\tsp, x2, w3, sxtw #2'],
  ['adds.x.ext', {rd: 4, rn: 31, rm: 5, option: 3, imm3: 0}, 0xab2563e4, 'adds\tx4, sp, x5'],
  ['add.w.ext', {rd: 0, rn: 31, rm: 1, option: 2, imm3: 1}, 0x0b2147e0, 'add\tw0, wsp, w1, lsl #1'],
  ['sbcs.x', {rd: 1, rn: 2, rm: 3}, 0xfa030041, 'sbcs\tx1, x2, x3'],
  ['ccmp.x.imm', {rn: 1, imm5: 31, nzcv: 4, cond: 1}, 0xfa5f1824, 'ccmp\tx1, #0x1f, #0x4, ne'],
  ['ccmn.w.reg', {rn: 1, rm: 2, nzcv: 15, cond: 2}, 0x3a42202f, 'ccmn\tw1, w2, #0xf, cs'],
  ['csneg.x', {rd: 0, rn: 1, rm: 2, cond: 13}, 0xda82d420, 'csneg\tx0, x1, x2, le'],
  ['rorv.w', {rd: 0, rn: 1, rm: 2}, 0x1ac22c20, 'rorv\tw0, w1, w2'],
  ['rev32.x', {rd: 0, rn: 1}, 0xdac00820, 'rev32\tx0, x1'],
  ['cls.w', {rd: 0, rn: 1}, 0x5ac01420, 'cls\tw0, w1'],
  ['umsubl', {rd: 0, rn: 1, rm: 2, ra: 3}, 0x9ba28c20, 'umsubl\tx0, w1, w2, x3'],
  ['smulh', {rd: 0, rn: 1, rm: 2}, 0x9b427c20, 'smulh\tx0, x1, x2'],
  ['msr.fpcr', {rt: 3}, 0xd51b4403, 'msr\tfpcr, x3'],
  ['mrs.nzcv', {rt: 4}, 0xd53b4204, 'mrs\tx4, nzcv'],
  ['ldrsw.uoff', {rt: 0, rn: 28, imm12: 5}, 0xb9801780, 'ldrsw\tx0, [x28, #20]'],
  ['strh.imm9', {rt: 1, rn: 31, imm9: -256}, 0x781003e1, 'sturh\tw1, [sp, #-256]'],
  ['ldr.q.pre', {rt: 2, rn: 3, imm9: 255}, 0x3ccffc62, 'ldr\tq2, [x3, #255]!'],
  ['str.x.post', {rt: 4, rn: 5, imm9: -8}, 0xf81f84a4, 'str\tx4, [x5], #-8'],
  ['ldrsh.w.reg', {rt: 0, rn: 28, rm: 1, option: 6, S: 1}, 0x78e1db80, 'ldrsh\tw0, [x28, w1, sxtw #1]'],
  ['ldr.d.reg', {rt: 0, rn: 28, rm: 1, option: 3, S: 1}, 0xfc617b80, 'ldr\td0, [x28, x1, lsl #3]'],
  ['ldrb.reg', {rt: 0, rn: 28, rm: 1, option: 7, S: 0}, 0x3861eb80, 'ldrb\tw0, [x28, x1, sxtx]'],
  ['ldp.q.pre', {rt: 0, rt2: 1, rn: 31, imm7: -4}, 0xadfe07e0, 'ldp\tq0, q1, [sp, #-64]!'],
  ['ldpsw.x.post', {rt: 0, rt2: 1, rn: 2, imm7: 63}, 0x68df8440, 'ldpsw\tx0, x1, [x2], #252'],
  ['stnp.s', {rt: 0, rt2: 1, rn: 2, imm7: -64}, 0x2c200440, 'stnp\ts0, s1, [x2, #-256]'],
  ['ldaxp.x', {rt: 0, rt2: 1, rn: 2}, 0xc87f8440, 'ldaxp\tx0, x1, [x2]'],
  ['stlxr.h', {rs: 3, rt: 0, rn: 2}, 0x4803fc40, 'stlxrh\tw3, w0, [x2]'],
  ['ldapr.w', {rt: 0, rn: 31}, 0xb8bfc3e0, 'ldapr\tw0, [sp]'],
  ['ldapursb.x.imm9', {rt: 0, rn: 1, imm9: -5}, 0x199fb020, 'ldapursb\tx0, [x1, #-5]'],
  ['ldumaxal.b', {rs: 0, rt: 1, rn: 2}, 0x38e06041, 'ldumaxalb\tw0, w1, [x2]'],
  ['swpl.x', {rs: 0, rt: 1, rn: 2}, 0xf8608041, 'swpl\tx0, x1, [x2]'],
  ['casa.w', {rs: 0, rt: 1, rn: 31}, 0x88e07fe1, 'casa\tw0, w1, [sp]'],
  ['caspl.x', {rs: 4, rt: 6, rn: 1}, 0x4824fc26, 'caspl\tx4, x5, x6, x7, [x1]'],
  ['ld3.3.post', {rt: 0, ssize: 2, Q: 1, rn: 28, rm: 31}, 0x4cdf4b80, 'ld3\t{v0.4s-v2.4s}, [x28], #48'],
  ['ld4.4', {rt: 30, ssize: 0, Q: 0, rn: 1}, 0x0c40003e, 'ld4\t{v30.8b, v31.8b, v0.8b, v1.8b}, [x1]'],
  ['st2.h.post', {rt: 0, laneh: 7, rn: 2, rm: 3}, 0x4da35840, 'st2\t{v0.h, v1.h}[7], [x2], x3'],
  ['ld4r.post', {rt: 0, ssize: 3, Q: 1, rn: 2, rm: 31}, 0x4dffec40, 'ld4r\t{v0.2d-v3.2d}, [x2], #32'],
  ['fnmsub.d', {rd: 0, rn: 1, rm: 2, ra: 3}, 0x1f628c20, 'fnmsub\td0, d1, d2, d3'],
  ['frinta.s', {rd: 0, rn: 1}, 0x1e264020, 'frinta\ts0, s1'],
  ['fcvt.h.d', {rd: 0, rn: 1}, 0x1e63c020, 'fcvt\th0, d1'],
  ['fccmpe.d', {rn: 0, rm: 1, nzcv: 3, cond: 11}, 0x1e61b413, 'fccmpe\td0, d1, #0x3, lt'],
  ['fcmpe.s.zero', {rn: 0}, 0x1e202018, 'fcmpe\ts0, #0.0'],
  ['fmov.d.imm', {rd: 0, fimm: 120}, 0x1e6f1000, 'fmov\td0, #1.500000000000000000e+00'],
  ['fcvtau.w.d', {rd: 0, rn: 1}, 0x1e650020, 'fcvtau\tw0, d1'],
  ['ucvtf.s.x.fix', {rd: 0, rn: 1, scale: 0}, 0x9e030020, 'ucvtf\ts0, x1, #64'],
  ['fcvtzs.w.s.fix', {rd: 0, rn: 1, scale: 32}, 0x1e188020, 'fcvtzs\tw0, s1, #32'],
  ['fmov.v1.x', {rd: 0, rn: 1}, 0x9eaf0020, 'fmov\tv0.d[1], x1'],
  ['sqrshl.v', {rd: 0, rn: 1, rm: 2, size: 3, Q: 1}, 0x4ee25c20, 'sqrshl\tv0.2d, v1.2d, v2.2d'],
  ['bif.v', {rd: 0, rn: 1, rm: 2, Q: 0}, 0x2ee21c20, 'bif\tv0.8b, v1.8b, v2.8b'],
  ['frsqrts.v', {rd: 0, rn: 1, rm: 2, sz: 1, Q: 1}, 0x4ee2fc20, 'frsqrts\tv0.2d, v1.2d, v2.2d'],
  ['fmulx.sc', {rd: 0, rn: 1, rm: 2, sz: 0}, 0x5e22dc20, 'fmulx\ts0, s1, s2'],
  ['umlsl.v', {rd: 0, rn: 1, rm: 2, size: 2, Q: 1}, 0x6ea2a020, 'umlsl2\tv0.2d, v1.4s, v2.4s'],
  ['raddhn.v', {rd: 0, rn: 1, rm: 2, size: 0, Q: 1}, 0x6e224020, 'raddhn2\tv0.16b, v1.8h, v2.8h'],
  ['sqdmlal.sc', {rd: 0, rn: 1, rm: 2, size: 1}, 0x5e629020, 'sqdmlal\ts0, h1, h2'],
  ['uadalp.v', {rd: 0, rn: 1, size: 2, Q: 0}, 0x2ea06820, 'uadalp\tv0.1d, v1.2s'],
  ['sqxtun.v', {rd: 0, rn: 1, size: 1, Q: 1}, 0x6e612820, 'sqxtun2\tv0.8h, v1.4s'],
  ['fcvtxn.v', {rd: 0, rn: 1, Q: 1}, 0x6e616820, 'fcvtxn2\tv0.4s, v1.2d'],
  ['fcvtl.v', {rd: 0, rn: 1, sz: 0, Q: 1}, 0x4e217820, 'fcvtl2\tv0.4s, v1.8h'],
  ['frecpe.sc', {rd: 0, rn: 1, sz: 1}, 0x5ee1d820, 'frecpe\td0, d1'],
  ['fcmlez.v', {rd: 0, rn: 1, sz: 0, Q: 1}, 0x6ea0d820, 'fcmle\tv0.4s, v1.4s, #0.0'],
  ['uaddlv.v', {rd: 0, rn: 1, size: 1, Q: 1}, 0x6e703820, 'uaddlv\ts0, v1.8h'],
  ['fminnmv.v', {rd: 0, rn: 1}, 0x6eb0c820, 'fminnmv\ts0, v1.4s'],
  ['ins.elem', {rd: 0, rn: 1, imm5: 20, imm4: 8}, 0x6e144420, 'ins\tv0.s[2], v1.s[2]'],
  ['smov.x', {rd: 0, rn: 1, imm5: 12}, 0x4e0c2c20, 'smov\tx0, v1.s[1]'],
  ['movi.v.msl', {rd: 0, imm8: 171, cmm: 1, Q: 1}, 0x4f05d560, 'movi\tv0.4s, #0xab, msl #16'],
  ['mvni.v.s', {rd: 0, imm8: 18, cms: 3, Q: 0}, 0x2f006640, 'mvni\tv0.2s, #0x12, lsl #24'],
  ['movi.v.2d', {rd: 0, imm8: 165}, 0x6f05e4a0, 'movi\tv0.2d, #0xff00ff0000ff00ff'],
  ['sqrshrun.v.imm', {rd: 0, rn: 1, immhb: 17, Q: 1}, 0x6f118c20, 'sqrshrun2\tv0.8h, v1.4s, #15'],
  ['ushll.v.imm', {rd: 0, rn: 1, immhb: 47, Q: 0}, 0x2f2fa420, 'ushll\tv0.2d, v1.2s, #15'],
  ['sri.sc.imm', {rd: 0, rn: 1, immhb: 64}, 0x7f404420, 'sri\td0, d1, #64'],
  ['fcvtzu.v.imm', {rd: 0, rn: 1, immhb: 127, Q: 1}, 0x6f7ffc20, 'fcvtzu\tv0.2d, v1.2d, #1'],
  ['sqdmlsl.v.elh', {rd: 0, rn: 1, rm4: 15, idxh: 7, Q: 1}, 0x4f7f7820, 'sqdmlsl2\tv0.4s, v1.8h, v15.h[7]'],
  ['fmla.sc.eld', {rd: 0, rn: 1, rm: 31, idxd: 1}, 0x5fdf1820, 'fmla\td0, d1, v31.d[1]'],
  ['trn2.v', {rd: 0, rn: 1, rm: 2, size: 3, Q: 1}, 0x4ec26820, 'trn2\tv0.2d, v1.2d, v2.2d'],
  ['ext.v', {rd: 0, rn: 1, rm: 2, Q: 1, ext4: 15}, 0x6e027820, 'ext\tv0.16b, v1.16b, v2.16b, #15'],
  ['tbx.4', {rd: 0, rn: 30, rm: 2, Q: 1}, 0x4e0273c0, 'tbx\tv0.16b, {v30.16b, v31.16b, v0.16b, v1.16b}, v2.16b'],
];

describe('A64 encoder', () => {
  it.each(KNOWN)('%s %j encodes as GNU as does', (name, args, word, text) => {
    const insn = encode(name, args);
    expect(insn.word.toString(16).padStart(8, '0')).toBe(word.toString(16).padStart(8, '0'));
    expect(asmText(insn)).toBe(text);
  });

  it('prints pc-relative targets from the instruction address', () => {
    expect(asmText(encode('b.cond', { bcond: 1, imm19: 2 }), 0x10000)).toBe('b.ne\t0x10008');
    expect(asmText(encode('tbz.x', { rt: 3, tbit: 40, imm14: -2 }), 0x10008)).toBe('tbz\tx3, #40, 0x10000');
    expect(asmText(encode('adrp', { rd: 0, adr: 3 }), 0x10018)).toBe('adrp\tx0, 0x13000');
    expect(asmText(encode('ldr.q.lit', { rt: 0, imm19: -2 }), 0x10020)).toBe('ldr\tq0, 0x10018');
  });

  it('decodes logical immediates like DecodeBitMasks and refuses reserved ones', () => {
    expect(decodeBitMask(0x1e07, 64)).toBe(0xff00n); // N=1 immr=56 imms=7: eight ones rotated
    expect(decodeBitMask(0x0000, 32)).toBe(1n); // one 32-bit element with a single one
    expect(decodeBitMask(0x003c, 32)).toBe(0x55555555n); // 2-bit elements '01'
    expect(decodeBitMask(0x0fc0 | 0x3c, 32)).toBeUndefined(); // a rotation beyond the element
    expect(decodeBitMask(0x003f, 64)).toBeUndefined(); // imms all ones for the element size
    expect(decodeBitMask(0x1000, 32)).toBeUndefined(); // N = 1 in a 32-bit form
  });

  it('rejects operands the instruction cannot encode', () => {
    expect(() => encode('add.x.imm', { rd: 1, rn: 2, imm12: 4096, sh: 0 })).toThrow(/imm12/);
    expect(() => encode('add.x.imm', { rd: 1, rn: 2, imm12: 1 })).toThrow(/missing sh/);
    expect(() => encode('ldp.x.off', { rt: 1, rt2: 1, rn: 2, imm7: 0 })).toThrow(/valid/); // LDP Rt = Rt2
    expect(() => encode('ldr.x.pre', { rt: 2, rn: 2, imm9: 8 })).toThrow(/valid/); // writeback to Rt
    expect(() => encode('casp.x', { rs: 1, rt: 2, rn: 3 })).toThrow(/valid/); // odd pair
    expect(() => encode('and.w.imm', { rd: 0, rn: 1, bimmw: 0x3f })).toThrow(/bimmw/);
    expect(() => encode('add.v', { rd: 0, rn: 1, rm: 2, size: 3, Q: 0 })).toThrow(/valid/); // 1d
    expect(() => encode('add.v', { rd: 0, rn: 1, rm: 2, size: 0, Q: 0, imm6: 1 })).toThrow(/no operand imm6/);
  });

  it('samples only encodable operands for every opcode, and every field fits its bits', () => {
    const rng = new Rng(5);
    for (const def of OPCODES.values()) {
      let fields = 0;
      for (const key of def.fields) {
        const f = FIELDS[key]!;
        expect(fields & f.mask, `${def.name}: ${key} overlaps`).toBe(0);
        fields |= f.mask;
        expect(f.bits(f.max) & ~f.mask, `${def.name}: ${key}`).toBe(0);
      }
      for (let i = 0; i < 20; i++) {
        const insn = encode(def.name, sampleArgs(def, () => rng.u32()));
        expect((insn.word & ~fields) >>> 0, def.name).toBe(def.match);
      }
    }
    expect(OPCODES.size).toBeGreaterThan(1000);
  });

  it('declares the general registers each opcode writes (the generator keeps x28 and sp out of them)', () => {
    let checked = 0;
    for (const def of OPCODES.values()) {
      const m = /^\S+\t<(rd|rt):(x|w|xsp|wsp)>/.exec(def.syntax);
      if (!m) continue;
      // A first rd is a result; a first rt is one for loads and MRS (stores, CBZ, TBZ read it).
      const dest = m[1] === 'rd' || (def.mem ? !def.mem.store : def.name.startsWith('mrs'));
      expect(def.writes.includes(m[1]!), def.name).toBe(dest);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
    // Writeback forms name their base.
    for (const def of OPCODES.values()) if (/\.(pre|post)$/.test(def.name)) expect(def.writes, def.name).toContain('rn');
  });

  it('writes instructions little-endian', () => {
    const bytes = toBytes([encode('movz.x', { rd: 0, imm16: 0x1234, hw: 1 }), encode('svc', { imm16: 0 })]);
    expect([...bytes]).toEqual([0x80, 0x46, 0xa2, 0xd2, 0x01, 0x00, 0x00, 0xd4]);
  });
});
