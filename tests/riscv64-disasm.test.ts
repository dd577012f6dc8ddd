// The RV64GC disassembler against GNU objdump: every encoding recorded in the committed fixture
// (fixtures/riscv64/isa/objdump.txt, made by make-objdump-fixture.mjs) must print exactly as objdump
// printed it. The fixture holds every instruction form with edge operands, pseudo-random words of
// every major opcode and every compressed slot, and all 4096 CSR numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode16, decode32, Decoded } from '../src/arch/riscv64/decode.js';
import { formatDecoded } from '../src/arch/riscv64/disasm.js';
import { riscv64 } from '../src/arch/riscv64/index.js';

interface Rec { section: string; addr: number; hex: string; text: string }

function loadFixture(): Rec[] {
  const recs: Rec[] = [];
  let section = '';
  for (const line of readFileSync(new URL('../fixtures/riscv64/isa/objdump.txt', import.meta.url), 'utf8').split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    if (line === '' || line.startsWith('#')) continue;
    const [addr, hex, text] = line.split('\t', 3).concat(['']);
    recs.push({ section, addr: parseInt(addr, 16), hex, text: line.split('\t').slice(2).join('\t') || text });
  }
  return recs;
}

function disasmHex(hex: string, pc: number): string {
  const d = new Decoded();
  d.pc = pc;
  if (hex.length === 4) decode16(parseInt(hex, 16), d);
  else decode32(parseInt(hex, 16), d);
  return formatDecoded(d);
}

const recs = loadFixture();

describe('riscv64 disassembler matches objdump', () => {
  for (const section of [...new Set(recs.map((r) => r.section))]) {
    it(`section ${section}`, () => {
      const mine = recs.filter((r) => r.section === section);
      expect(mine.length).toBeGreaterThan(100);
      const bad = mine
        .map((r) => ({ ...r, got: disasmHex(r.hex, r.addr) }))
        .filter((r) => r.got !== r.text)
        .map((r) => `${r.hex}: objdump "${r.text}" ours "${r.got}"`);
      expect(bad.slice(0, 40), `${bad.length} mismatches`).toEqual([]);
    });
  }

  it('covers every instruction row and compressed form', async () => {
    const { TABLE32 } = await import('../src/arch/riscv64/table32.js');
    const { TABLE16 } = await import('../src/arch/riscv64/table16.js');
    const seen32 = new Set<string>();
    const seen16 = new Set<string>();
    for (const r of recs.filter((x) => x.section === 'forms')) {
      const d = new Decoded();
      if (r.hex.length === 4) {
        decode16(parseInt(r.hex, 16), d);
        if (d.cdef) seen16.add(d.cdef.name);
      } else {
        decode32(parseInt(r.hex, 16), d);
        if (d.def) seen32.add(d.def.name);
      }
    }
    expect(TABLE32.map((r) => r.name).filter((n) => !seen32.has(n))).toEqual([]);
    expect(TABLE16.map((r) => r.name).filter((n) => !seen16.has(n))).toEqual([]);
  });

  it('ArchSpec.disasm fetches and reports the length', () => {
    const bytes = new Map<number, number>([[0x1000, 0x0513], [0x1002, 0x0015], [0x1004, 0x8082]]);
    const fetch = { u16: (a: number) => bytes.get(a)!, u32: () => { throw new Error('unused'); } };
    expect(riscv64.disasm(fetch, 0x1000)).toEqual({ text: 'add\ta0,a0,1', len: 4 });
    expect(riscv64.disasm(fetch, 0x1004)).toEqual({ text: 'ret', len: 2 });
  });
});
