// The gdbstub's pieces without a guest: RSP framing, signal numbering, target.xml and the
// register file layouts (riscv64, aarch64), watched pages in the address space.
import { describe, expect, it } from 'vitest';
import { aarch64Gdb } from '../src/arch/aarch64/gdb.js';
import { CF, FPCR, FPFLAGS, FPRM, FPSR, NF, NSLOTS as A64_SLOTS, VF, ZF, vhi, vlo } from '../src/arch/aarch64/regs.js';
import { riscv64Gdb } from '../src/arch/riscv64/gdb.js';
import { F0, FFLAGS, FRM, NSLOTS as RV_SLOTS } from '../src/arch/riscv64/regs.js';
import { RegisterFile } from '../src/gdb/registers.js';
import { RspDecoder, escapeBinary, framePacket, MAX_PACKET } from '../src/gdb/rsp.js';
import { parseEndpoint } from '../src/gdb/server.js';
import { gdbSignal, linuxSignal } from '../src/gdb/signals.js';
import { targetXml } from '../src/gdb/target-xml.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { GuestSignal } from '../src/signals.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('RSP framing', () => {
  it('frames with a mod-256 checksum and decodes it back', () => {
    expect(framePacket('OK').toString()).toBe('$OK#9a');
    const d = new RspDecoder();
    expect(d.push(framePacket('qSupported:swbreak+'))).toEqual([{ kind: 'packet', data: bytes('qSupported:swbreak+') }]);
  });

  it('reassembles packets split across chunks, with acks and Ctrl-C between them', () => {
    const d = new RspDecoder();
    const wire = Buffer.concat([bytes('+'), framePacket('g'), bytes('\x03-'), framePacket('m1000,4')]);
    const events = [...wire].flatMap((c) => d.push(Buffer.from([c])));
    expect(events.map((e) => e.kind)).toEqual(['ack', 'packet', 'interrupt', 'nak', 'packet']);
    expect(events[4]).toEqual({ kind: 'packet', data: bytes('m1000,4') });
  });

  it('reports a bad checksum, a non-hex checksum and an over-long packet as bad, then goes on', () => {
    const d = new RspDecoder();
    expect(d.push(bytes('$g#00'))).toEqual([{ kind: 'bad' }]);
    expect(d.push(bytes('$g#zz'))).toEqual([{ kind: 'bad' }]);
    const long = Buffer.alloc(MAX_PACKET * 2 + 10, 0x61);
    expect(d.push(framePacket(long))).toEqual([{ kind: 'bad' }]);
    expect(d.push(framePacket('?'))).toEqual([{ kind: 'packet', data: bytes('?') }]);
  });

  it('a $ inside a packet restarts it (a cut-off packet is dropped)', () => {
    const d = new RspDecoder();
    expect(d.push(Buffer.concat([bytes('$m10'), framePacket('?')]))).toEqual([{ kind: 'packet', data: bytes('?') }]);
  });

  it('escapes $ # } * in binary data, and the decoder undoes } escapes', () => {
    const data = Buffer.from([0x24, 0x23, 0x7d, 0x2a, 0x00, 0xff]);
    const esc = escapeBinary(data);
    expect([...esc]).toEqual([0x7d, 0x04, 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a, 0x00, 0xff]);
    expect(new RspDecoder().push(framePacket(Buffer.concat([bytes('X0,6:'), esc])))).toEqual([
      { kind: 'packet', data: Buffer.concat([bytes('X0,6:'), data]) },
    ]);
  });
});

describe('-g endpoints', () => {
  it('a port (loopback), host:port, [v6]:port, or a Unix socket path', () => {
    expect(parseEndpoint('1234')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 1234 });
    expect(parseEndpoint('0.0.0.0:1234')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 1234 });
    expect(parseEndpoint(':1234')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 1234 });
    expect(parseEndpoint('[::1]:1234')).toEqual({ kind: 'tcp', host: '::1', port: 1234 });
    expect(parseEndpoint('/tmp/gdb.sock')).toEqual({ kind: 'unix', path: '/tmp/gdb.sock' });
    expect(parseEndpoint('gdb.sock')).toEqual({ kind: 'unix', path: 'gdb.sock' });
    expect(() => parseEndpoint('70000')).toThrow(/bad port/);
    expect(() => parseEndpoint('')).toThrow(/no port/);
  });
});

describe('signal numbers on the wire', () => {
  it('maps the Linux signals whose gdb numbers differ, both ways', () => {
    const pairs: Array<[number, number]> = [
      [5, 5], [11, 11], [7, 10], [10, 30], [12, 31], [17, 20], [19, 17], [29, 23], [31, 12], [32, 77], [33, 45], [63, 75], [64, 78],
    ];
    for (const [linux, gdb] of pairs) {
      expect(gdbSignal(linux), `linux ${linux}`).toBe(gdb);
      expect(linuxSignal(gdb), `gdb ${gdb}`).toBe(linux);
    }
    expect(linuxSignal(7)).toBe(0); // gdb's SIGEMT: Linux has none
    expect(gdbSignal(0)).toBe(0);
  });
});

/** Registers a target.xml declares: [name, bitsize, regnum]. */
function xmlRegs(xml: string): Array<[string, number, number]> {
  return [...xml.matchAll(/<reg name="([^"]+)" bitsize="(\d+)"[^>]*regnum="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
}

describe('riscv64 register layout', () => {
  const xml = targetXml(riscv64Gdb);
  const regs = xmlRegs(xml);

  it("names gdb's features and registers, numbered as gdb numbers them", () => {
    expect(xml).toContain('<architecture>riscv:rv64</architecture>');
    expect(xml).toContain('<feature name="org.gnu.gdb.riscv.cpu">');
    expect(xml).toContain('<feature name="org.gnu.gdb.riscv.fpu">');
    expect(regs.slice(0, 3)).toEqual([['zero', 64, 0], ['ra', 64, 1], ['sp', 64, 2]]);
    expect(regs[8][0]).toBe('fp');
    expect(regs[32]).toEqual(['pc', 64, 32]);
    expect(regs[33]).toEqual(['ft0', 64, 33]);
    expect(regs.slice(65)).toEqual([['fflags', 32, 65], ['frm', 32, 66], ['fcsr', 32, 67]]);
  });

  it('reads and writes slots, the pc and fcsr (frm << 5 | fflags); x0 ignores writes', () => {
    const rf = new RegisterFile(riscv64Gdb, true);
    const st = { S: new BigUint64Array(RV_SLOTS), pc: 0x10554 };
    st.S[10] = 0x1122334455667788n;
    st.S[F0 + 1] = 0x3ff0000000000000n;
    st.S[FFLAGS] = 0x11n;
    st.S[FRM] = 2n;
    expect(rf.totalBytes).toBe(33 * 8 + 32 * 8 + 3 * 4);
    expect(rf.read(10, st).toString('hex')).toBe('8877665544332211');
    expect(rf.read(32, st).toString('hex')).toBe('5405010000000000');
    expect(rf.value(34, st)).toBe(0x3ff0000000000000n);
    expect(rf.value(67, st)).toBe(0x51n);
    rf.setValue(67, st, 0xe3n);
    expect([st.S[FFLAGS], st.S[FRM]]).toEqual([3n, 7n]);
    rf.setValue(0, st, 5n);
    expect(rf.value(0, st)).toBe(0n);
    const all = rf.readAll(st);
    expect(all.length).toBe(rf.totalBytes);
    const st2 = { S: new BigUint64Array(RV_SLOTS), pc: 0 };
    rf.writeAll(st2, all);
    expect([...st2.S]).toEqual([...st.S]);
    expect(st2.pc).toBe(0x10554);
  });
});

describe('aarch64 register layout', () => {
  const xml = targetXml(aarch64Gdb);
  const regs = xmlRegs(xml);

  it("has gdb's core and fpu features with v0 … v31 as 128-bit unions", () => {
    expect(xml).toContain('<feature name="org.gnu.gdb.aarch64.core">');
    expect(xml).toContain('<feature name="org.gnu.gdb.aarch64.fpu">');
    expect(xml).toContain('<union id="aarch64v">');
    expect(regs[31]).toEqual(['sp', 64, 31]);
    expect(regs[32]).toEqual(['pc', 64, 32]);
    expect(regs[33]).toEqual(['cpsr', 32, 33]);
    expect(regs[34]).toEqual(['v0', 128, 34]);
    expect(regs[66]).toEqual(['fpsr', 32, 66]);
    expect(regs[67]).toEqual(['fpcr', 32, 67]);
    expect(regs[68]).toEqual(['tpidr', 64, 68]);
  });

  it('packs cpsr from N Z C V, fpsr from the accrued flags, fpcr with its rounding mode', () => {
    const rf = new RegisterFile(aarch64Gdb, true);
    const st = { S: new BigUint64Array(A64_SLOTS), pc: 0x400580 };
    st.S[NF] = 1n;
    st.S[CF] = 1n;
    st.S[vlo(1)] = 0x0706050403020100n;
    st.S[vhi(1)] = 0x0f0e0d0c0b0a0908n;
    st.S[FPFLAGS] = 16n | 1n; // NV, NX → IOC (bit 0), IXC (bit 4)
    st.S[FPSR] = 1n << 27n; // QC
    expect(rf.value(33, st)).toBe(0xa0000000n);
    expect(rf.read(35, st).toString('hex')).toBe('000102030405060708090a0b0c0d0e0f');
    expect(rf.value(66, st)).toBe((1n << 27n) | 0x11n);
    rf.setValue(33, st, 0x50000000n);
    expect([st.S[NF], st.S[ZF], st.S[CF], st.S[VF]]).toEqual([0n, 1n, 0n, 1n]);
    rf.setValue(66, st, 0x6n); // DZC, OFC
    expect(st.S[FPFLAGS]).toBe(8n | 4n);
    rf.setValue(67, st, 3n << 22n); // RMode RZ
    expect([st.S[FPCR], st.S[FPRM]]).toEqual([3n << 22n, 1n]);
    rf.setValue(67, st, 1n << 22n); // RP
    expect(st.S[FPRM]).toBe(3n);
    const st2 = { S: new BigUint64Array(A64_SLOTS), pc: 0 };
    rf.writeAll(st2, rf.readAll(st));
    for (let n = 0; n < rf.count; n++) expect(rf.value(n, st2), rf.regs[n].name).toBe(rf.value(n, st));
  });
});

describe('watched pages', () => {
  it('clears the fast-path R/W bits but keeps the real permissions for checks, across protect', () => {
    const mem = new AddressSpace();
    mem.map(0x20000, 0x2000, Perm.R | Perm.W);
    mem.trapAccess(0x20, true);
    expect(mem.pageTable[0x20] & (Perm.R | Perm.W | Perm.R2 | Perm.W2)).toBe(0);
    expect(mem.perm(0x20)).toBe(Perm.R | Perm.W | Perm.MAPPED);
    expect(() => mem.check(0x20008, 8, Perm.W)).not.toThrow();
    mem.protect(0x20000, 0x2000, Perm.R);
    expect(mem.pageTable[0x20] & Perm.R).toBe(0); // still trapped
    expect(mem.pageTable[0x21] & Perm.R).toBe(Perm.R);
    expect(() => mem.check(0x20008, 8, Perm.R)).not.toThrow();
    expect(() => mem.check(0x20008, 8, Perm.W)).toThrow(GuestSignal);
    mem.trapAccess(0x20, false);
    expect(mem.pageTable[0x20]).toBe(Perm.R | Perm.MAPPED | Perm.R2); // and the next page is readable
    expect(mem.pageTable[0x21]).toBe(Perm.R | Perm.MAPPED); // the next is not mapped
  });

  it('keeps R2 / W2 (this page and the next allow it) right across map, protect, unmap and traps', () => {
    const mem = new AddressSpace();
    const pair = (p: number) => mem.pageTable[p] & (Perm.R2 | Perm.W2);
    mem.map(0x30000, 0x3000, Perm.R | Perm.W);
    expect([pair(0x2f), pair(0x30), pair(0x31), pair(0x32)]).toEqual([0, Perm.R2 | Perm.W2, Perm.R2 | Perm.W2, 0]);
    mem.protect(0x31000, 0x1000, Perm.R);
    expect([pair(0x30), pair(0x31)]).toEqual([Perm.R2, Perm.R2]);
    mem.trapAccess(0x32, true);
    expect([pair(0x31), pair(0x32)]).toEqual([0, 0]);
    mem.trapAccess(0x32, false);
    expect(pair(0x31)).toBe(Perm.R2);
    mem.unmap(0x31000, 0x1000);
    expect([pair(0x30), pair(0x31), pair(0x32)]).toEqual([0, 0, 0]);
    const child = mem.forkCopy();
    expect([child.pageTable[0x30], child.pageTable[0x32]]).toEqual([mem.pageTable[0x30], mem.pageTable[0x32]]);
  });
});
