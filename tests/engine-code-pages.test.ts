// Which memory changes drop translations: only those over pages that translated code came from
// (a dynamic loader maps libraries and seals RELRO between the program and itself; that must
// not throw every translation away), and every one that touches such a page.
import { describe, expect, it } from 'vitest';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { codeSpans, Machine, type HotBlockSink } from '../src/engine/machine.js';
import { closeTranslationStores, storeFor, type TranslationStore } from '../src/engine/translation-store.js';
import type { ElfFile } from '../src/elf/parse.js';
import { Fpu } from '../src/jit/fpu.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { Logger } from '../src/log.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { Linux, memVfs } from '../syscalls/index.js';
import { useScratchStores } from './scratch-stores.js';

const CODE = 0x11000;
const DATA = 0x13000;
const FAR = 0x40000;
const UNUSED = 0x50000;
const jal = (rd: number, off: number) =>
  (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
const addi = (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
const ECALL = 0x73;
const A0 = 10;
const A7 = 17;

function setup(store?: TranslationStore | null): { m: Machine; mem: AddressSpace; flushes: () => number } {
  const mem = new AddressSpace();
  mem.map(CODE, 0x1000, Perm.R | Perm.X);
  mem.map(DATA, 0x1000, Perm.R | Perm.W);
  mem.map(FAR, 0x1000, Perm.R | Perm.X);
  mem.map(UNUSED, 0x1000, Perm.R | Perm.X);
  // CODE: a0 = 7; jump to FAR: exit(a0) — translated code on two pages with others between
  [addi(A0, 0, 7), jal(0, FAR - (CODE + 4))].forEach((w, i) => mem.view.setUint32(CODE + i * 4, w >>> 0, true));
  [addi(A7, 0, 93), ECALL].forEach((w, i) => mem.view.setUint32(FAR + i * 4, w >>> 0, true));
  const rt = new Tier0Runtime(mem, riscv64.nslots, new Fpu(riscv64.fpEnv));
  const linux = new Linux({
    mem, abi: riscv64.syscallAbi, unameMachine: 'riscv64', fs: memVfs({ '/prog': 'x' }), exePath: '/prog',
    brkStart: 0x20000, logger: new Logger(), argv: ['/prog'], env: [], auxv: [], stdout: () => {}, stderr: () => {},
  });
  const m = new Machine(riscv64, mem, rt, linux, new Logger());
  let n = 0;
  const sink: HotBlockSink = { onHot: () => {}, onFlush: () => void n++ };
  m.tier1 = sink;
  m.pc = CODE;
  if (store !== undefined) {
    m.useStore(store);
    return { m, mem, flushes: () => n };
  }
  expect(m.debugRun(false, 100)).toEqual({ kind: 'exited', result: { exitCode: 7 } });
  return { m, mem, flushes: () => n };
}

describe('translations and memory changes', () => {
  it('keeps translations when pages without translated code are unmapped or re-protected', () => {
    const { mem, flushes } = setup();
    mem.protect(DATA, 0x1000, Perm.R);
    mem.unmap(DATA, 0x1000);
    mem.unmap(UNUSED, 0x1000); // executable, but nothing there was ever translated
    mem.map(0x30000, 0x2000, Perm.R | Perm.W); // a mapping between the code pages
    mem.unmap(0x30000, 0x2000);
    expect(flushes()).toBe(0);
  });

  it('drops them when a page with translated code is unmapped or re-protected, and then only once', () => {
    const { mem, flushes } = setup();
    mem.protect(CODE, 0x1000, Perm.R);
    expect(flushes()).toBe(1);
    mem.unmap(CODE, 0x1000); // nothing translated is left there
    mem.unmap(FAR, 0x1000);
    expect(flushes()).toBe(1);
  });

  it('counts a range that only overlaps the code page at one end', () => {
    const { mem, flushes } = setup();
    mem.unmap(CODE - 0x1000, 0x2000); // [0x10000, 0x12000): its last page is CODE's
    expect(flushes()).toBe(1);
  });
});

describe('the block arena and memory changes', () => {
  useScratchStores('crossrun-code-pages-');
  const elf = { bytes: new Uint8Array([7, 7, 7, 7]) } as unknown as ElfFile; // (what the store's key reads)

  it('spans blocks less than 64 KiB apart together, and no further', () => {
    expect(codeSpans([0x11000, 0x11008, 0x20000, 0x40000], () => 8)).toEqual([
      { start: 0x11000, end: 0x20008 },
      { start: 0x40000, end: 0x40008 },
    ]);
  });

  it('drops no translation for a change between stored blocks far apart, or where only the arena has blocks', async () => {
    // The first run notes the program, the second stores its blocks, the third runs them in the arena.
    for (let i = 0; i < 2; i++) {
      const { m } = setup(storeFor(riscv64, elf));
      expect(await m.run()).toEqual({ exitCode: 7 });
      closeTranslationStores();
    }
    const store = storeFor(riscv64, elf);
    const { m, mem, flushes } = setup(store);
    expect(await m.run()).toEqual({ exitCode: 7 });
    expect(store?.stats.arena).toBe(2);
    mem.map(0x30000, 0x2000, Perm.R | Perm.W); // between CODE's block and FAR's
    mem.unmap(0x30000, 0x2000);
    mem.protect(CODE, 0x1000, Perm.R); // the arena checks its records again; nothing else to drop
    expect(flushes()).toBe(0);
    closeTranslationStores();
  });
});
