// The on-disk translation store (src/engine/translation-store.ts): a later run of a program takes
// tier 0's blocks from the file an earlier run wrote, and only where the guest's memory holds the
// very bytes they were lifted from, on executable pages. Whole programs must behave exactly as
// without it, under both tiers; a stale, corrupt or unwritable store is a run without one.
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { useScratchStores } from './scratch-stores.js';
import type { CodeFetch } from '../src/arch/arch.js';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { archForMachine } from '../src/arch/registry.js';
import { riscv64 } from '../src/arch/riscv64/index.js';
import { parseElf, type ElfFile } from '../src/elf/parse.js';
import { closeTranslationStores, configureTranslationStore, storeFor } from '../src/engine/translation-store.js';
import type { FpuOps } from '../src/jit/fpu-api.js';
import { compileBlock, evalCodeOf, setTier0CompileAfter, tier0Stats } from '../src/jit/interp/compile-block.js';
import { Exit, Tier0Runtime } from '../src/jit/interp/runtime.js';
import { AddressSpace, Perm } from '../src/mem/address-space.js';
import { keyHolds, regionKey, shapeOfKey } from '../src/jit/wasm/region-key.js';
import { returnSite, successors } from '../src/jit/wasm/region.js';
import { run } from '../src/index.js';
import { memVfs } from '../syscalls/vfs.js';
import {
  FIXTURES_DIR, compareResult, fixturePath, loadExpected, loadManifest, stdinBytes, type ManifestEntry,
} from '../fixtures/scripts/fixture-run.mjs';

const dir = useScratchStores('crossrun-store-');

function storeOf(path: string) {
  const elf = parseElf(readFileSync(path), path);
  const arch = archForMachine(elf.machine, elf.class);
  if (arch === undefined) throw new Error(`${path}: no ISA`);
  const s = storeFor(arch, elf);
  if (s === null) throw new Error('stores are off');
  return s;
}

async function runAt(path: string, argv0: string, args: string[], env: string[], stdin: Uint8Array, jit: 'interp' | 'wasm') {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const vol = new Volume();
  vol.mkdirSync('/tmp', { recursive: true });
  vol.writeFileSync(argv0, readFileSync(path), { mode: 0o755 });
  const r = await run({
    argv: [argv0, ...args], argv0, env, stdin, jit, fs: memVfs(vol),
    stdout: (b) => void out.push(Buffer.from(b)),
    stderr: (b) => void err.push(Buffer.from(b)),
  });
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode: r.signal === undefined ? r.exitCode : null, signal: r.signal ?? null };
}

/** Runs `path` three times as three processes would (the store saved and read again in
 *  between): the first run only notes the program, the second stores its blocks, the third takes
 *  them from the store. Returns the last two results and their stats. */
async function thrice(path: string, run1: () => ReturnType<typeof runAt>) {
  rmSync(storeOf(path).path, { force: true }); // an earlier test's
  closeTranslationStores();
  /** One run, then its store's stats once saved (as at exit). */
  const once = async () => {
    const result = await run1();
    const store = storeOf(path);
    closeTranslationStores();
    return { result, stats: { ...store.stats } };
  };
  const noted = await once();
  expect(noted.stats.saved).toBe(0);
  const { result: first, stats: s1 } = await once();
  const { result: second, stats: s2 } = await once();
  return { first, second, s1, s2 };
}

const DETERMINISTIC = ['hello', 'malloc', 'float', 'intmath', 'setjmp', 'crash-segv'];
const OTHERS = ['signals', 'threads', 'stdin'];
/** Those that run long enough for the wasm tier to compile regions. */
const HOT = ['malloc', 'float', 'intmath'];

describe('whole programs with the store (riscv64 fixtures, recorded results)', () => {
  const entries = loadManifest().entries.filter((e) => e.flavour === 'static' && [...DETERMINISTIC, ...OTHERS].includes(e.case));
  it('has the cases', () => expect(entries.length).toBe(DETERMINISTIC.length + OTHERS.length));
  for (const jit of ['interp', 'wasm'] as const) {
    for (const e of entries) {
      it(`${e.name} --jit=${jit}`, async () => {
        const path = fixturePath(e.binary);
        const go = () => runAt(path, e.argv0, e.args, e.env, stdinBytes(e as ManifestEntry), jit);
        const { first, second, s1, s2 } = await thrice(path, go);
        expect(compareResult(loadExpected(e), first)).toEqual([]);
        expect(compareResult(loadExpected(e), second)).toEqual([]);
        expect(s1.lifted).toBeGreaterThan(100);
        expect(s1.saved).toBe(s1.lifted);
        // Taken by the block arena, or looked up (blocks it hands to the engine: both).
        expect(s2.arena).toBeGreaterThan(100);
        if (DETERMINISTIC.includes(e.case)) {
          // Same path through the code: every block from the store, none lifted again (with the
          // wasm tier, a few run only inside regions formed from the store at once: tier 0 never
          // asks for them).
          expect(s2.lifted).toBe(0);
          if (jit === 'interp') expect(s2.hits + s2.arena).toBeGreaterThanOrEqual(s1.lifted);
          else expect(s2.hits + s2.arena).toBeGreaterThan(0.9 * s1.lifted);
        }
        // Programs with hot code: the wasm tier's region code comes from the store too (fewer
        // regions than were made: a region grown by its jump targets is taken for the first form).
        if (jit === 'wasm' && HOT.includes(e.case)) expect(s2.regions).toBeGreaterThan(2);
        if (jit === 'interp') expect(s2.regions).toBe(0);
      }, 60_000);
    }
  }
});

describe('whole programs with the store (aarch64 fixtures)', () => {
  for (const name of ['hello', 'float', 'intmath']) {
    it(`${name}`, async () => {
      const path = join(FIXTURES_DIR, 'aarch64', name);
      const go = () => runAt(path, '/prog', [], [], new Uint8Array(0), 'interp');
      const { first, second, s2 } = await thrice(path, go);
      const expected = readFileSync(join(FIXTURES_DIR, 'aarch64', 'expected', `${name}.static.stdout`));
      expect(first.stdout.equals(expected)).toBe(true);
      expect(second).toEqual(first);
      expect(s2.lifted).toBe(0);
      expect(s2.arena).toBeGreaterThan(100);
    }, 60_000);
  }
});

// ---- the store itself, on a three-instruction block

const PC = 0x10000;
// addi a0,a0,1; addi a0,a0,2; jal x0,+8 (ends the block)
const CODE = [0x00150513, 0x00250513, 0x0080006f];
const A0 = 10;

function space(): AddressSpace {
  const mem = new AddressSpace();
  mem.map(PC, 0x1000, Perm.R | Perm.W | Perm.X);
  CODE.forEach((w, i) => mem.view.setUint32(PC + 4 * i, w, true));
  return mem;
}
const fetchOf = (mem: AddressSpace): CodeFetch => ({
  u16: (a) => (mem.check(a, 2, Perm.X), mem.view.getUint16(a, true)),
  u32: (a) => (mem.check(a, 4, Perm.X), mem.view.getUint32(a, true)),
});
/** A program file the store is keyed by (only its bytes matter). */
function exe(tag: number): ElfFile {
  const bytes = new Uint8Array(8192);
  new DataView(bytes.buffer).setUint32(0, tag);
  return { bytes } as unknown as ElfFile;
}

/** What two runs of program `tag` leave: the first notes the program, the second stores the
 *  block at PC (lifted from `mem`). */
function stored(tag: number, mem = space()) {
  closeTranslationStores();
  liftInto(storeFor(riscv64, exe(tag)), mem);
  closeTranslationStores();
  expect(storeFor(riscv64, exe(tag))?.get(PC, mem)).toBeUndefined(); // a file without blocks
  const ir = liftInto(storeFor(riscv64, exe(tag)), mem);
  closeTranslationStores();
  return ir;
}

/** Lifts the block at PC, runs it once (tier 0 makes its evaluator form), and hands it to `store`. */
function liftInto(store: ReturnType<typeof storeFor>, mem: AddressSpace) {
  const ir = riscv64.lift(fetchOf(mem), PC);
  const rt = new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps);
  compileBlock(ir, rt).run();
  store?.add(ir, mem.bytes.slice(PC, PC + ir.size));
  return ir;
}

describe('translation store', () => {
  it('a block comes back for the same bytes: same IR (lifted when asked), same evaluation', () => {
    const mem = space();
    const ir = stored(1, mem);
    const store = storeFor(riscv64, exe(1));
    const got = store?.get(PC, mem);
    expect(got).toBeDefined();
    expect(got!.ir.pc).toBe(PC);
    expect(got!.ir.ninsns).toBe(3);
    // the evaluator form came from the file: no IR needed to run it
    expect(evalCodeOf(got!.ir)).not.toBeNull();
    const rt = new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps);
    rt.S[A0] = 5n;
    expect(compileBlock(got!.ir, rt).run()).toBe(PC + 8 + 8);
    expect(rt.S[A0]).toBe(8n);
    // what region forming reads: from the record, not a lift
    expect(got!.ir.end).toEqual(ir.end);
    expect(got!.ir.isCall).toBe(false);
    expect(store?.stats.relifted).toBe(0);
    // the ops, lifted from the recorded bytes on first use, are the first lift's
    expect(got!.ir.ops).toEqual(ir.ops);
    expect(got!.ir.end).toEqual(ir.end);
    expect(got!.ir.types).toEqual(ir.types);
    expect(store?.stats).toMatchObject({ hits: 1, stale: 0, relifted: 1 });
  });

  it('a block tier 0 ran often enough to compile (a hot one) is stored with its evaluator form', () => {
    // (it had none once compiled: later runs' arenas could not run the hottest blocks)
    const mem = space();
    closeTranslationStores();
    liftInto(storeFor(riscv64, exe(11)), mem);
    closeTranslationStores();
    const old = setTier0CompileAfter(2);
    try {
      const ir = riscv64.lift(fetchOf(mem), PC);
      const blk = compileBlock(ir, new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps));
      const compiled = tier0Stats.compiled;
      for (let i = 0; i < 4; i++) blk.run();
      expect(tier0Stats.compiled).toBe(compiled + 1);
      storeFor(riscv64, exe(11))?.add(ir, mem.bytes.slice(PC, PC + ir.size));
      closeTranslationStores();
    } finally {
      setTier0CompileAfter(old);
    }
    const got = storeFor(riscv64, exe(11))?.get(PC, mem);
    expect(got).toBeDefined();
    expect(evalCodeOf(got!.ir)).not.toBeNull();
  });

  it('a block with a rare op and a syscall runs from the store without its IR', () => {
    const mem = space();
    mem.view.setUint32(PC, 0xc00025f3, true); // rdcycle a1 (a counter: the evaluator's slow path)
    mem.view.setUint32(PC + 4, 0x00000073, true); // ecall
    stored(7, mem);
    const store = storeFor(riscv64, exe(7));
    const got = store?.get(PC, mem);
    const rt = new Tier0Runtime(mem, riscv64.nslots, {} as FpuOps);
    rt.instret = 1000;
    expect(compileBlock(got!.ir, rt).run()).toBe(PC + 8);
    expect(rt.exit).toBe(Exit.Syscall);
    expect(rt.S[11]).toBeGreaterThan(0n);
    expect(store?.stats).toMatchObject({ hits: 1, relifted: 0 });
  });

  it('other bytes at the pc, or a page that is no longer executable: stale, never used', () => {
    stored(2);
    const store = storeFor(riscv64, exe(2));
    const changed = space();
    changed.view.setUint32(PC + 4, 0x00350513, true); // addi a0,a0,3
    expect(store?.get(PC, changed)).toBeUndefined();
    const noExec = space();
    noExec.protect(PC, 0x1000, Perm.R);
    expect(store?.get(PC, noExec)).toBeUndefined();
    expect(store?.stats).toMatchObject({ hits: 0, stale: 2 });
    // a byte past what the lifter read does not matter
    const after = space();
    after.view.setUint32(PC + 12, 0xffffffff, true);
    expect(store?.get(PC, after)).toBeDefined();
  });

  it('another program, another build or another ISA reads none of it', () => {
    stored(3);
    expect(storeFor(riscv64, exe(4))?.get(PC, space())).toBeUndefined();
    expect(storeFor(aarch64, exe(3))?.get(PC, space())).toBeUndefined();
    const old = configureTranslationStore({ dir, buildId: 'another' });
    try {
      expect(storeFor(riscv64, exe(3))?.get(PC, space())).toBeUndefined();
    } finally {
      configureTranslationStore(old);
    }
    expect(storeFor(riscv64, exe(3))?.get(PC, space())).toBeDefined();
  });

  it('a run with few new blocks (against the file) leaves the file; a run with more writes them', () => {
    // copies of the block 16 bytes apart: 700 blocks
    const mem = new AddressSpace();
    mem.map(PC, 0x3000, Perm.R | Perm.X);
    for (let k = 0; k < 700; k++) CODE.forEach((w, i) => mem.view.setUint32(PC + 16 * k + 4 * i, w, true));
    const at = (k: number) => PC + 16 * k;
    const lift = (ks: number[]) => {
      const store = storeFor(riscv64, exe(12));
      for (const k of ks) store?.add(riscv64.lift(fetchOf(mem), at(k)), mem.bytes.slice(at(k), at(k) + 12));
      closeTranslationStores();
    };
    closeTranslationStores();
    lift([0]); // noted
    lift([...Array(600).keys()]);
    const file = storeFor(riscv64, exe(12))?.path as string;
    closeTranslationStores();
    const size = statSync(file).size;
    lift([600, 601]); // 2 < 600 / 256
    expect(statSync(file).size).toBe(size);
    expect(storeFor(riscv64, exe(12))?.get(at(600), mem)).toBeUndefined();
    closeTranslationStores();
    lift([600, 601, 602]);
    expect(statSync(file).size).toBeGreaterThan(size);
    expect(storeFor(riscv64, exe(12))?.get(at(602), mem)).toBeDefined();
    closeTranslationStores();
  });

  it('a truncated or garbled file is no store; the next saves replace it', () => {
    stored(5);
    const file = storeFor(riscv64, exe(5))?.path as string;
    closeTranslationStores();
    for (const spoil of [() => truncateSync(file, 40), () => writeFileSync(file, Buffer.alloc(4096, 0xa5)), () => truncateSync(file, 0)]) {
      spoil();
      expect(storeFor(riscv64, exe(5))?.get(PC, space())).toBeUndefined();
      stored(5);
      expect(storeFor(riscv64, exe(5))?.get(PC, space())).toBeDefined();
      closeTranslationStores();
    }
  });

  it('an unwritable folder: runs without saving, no error', () => {
    closeTranslationStores();
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const old = configureTranslationStore({ dir: join(blocker, 'blocks'), buildId: 'test' });
    try {
      liftInto(storeFor(riscv64, exe(6)), space());
      expect(() => closeTranslationStores()).not.toThrow();
      expect(storeFor(riscv64, exe(6))?.get(PC, space())).toBeUndefined();
    } finally {
      closeTranslationStores();
      configureTranslationStore(old);
    }
  });

  it('the folder keeps at most 256 files', () => {
    closeTranslationStores();
    const small = join(dir, 'many');
    const old = configureTranslationStore({ dir: small, buildId: 'test' });
    try {
      for (let i = 0; i < 300; i++) {
        liftInto(storeFor(riscv64, exe(1000 + i)), space());
        closeTranslationStores();
      }
      const n = readdirSync(small).length;
      expect(n).toBeGreaterThan(128);
      expect(n).toBeLessThanOrEqual(256);
    } finally {
      configureTranslationStore(old);
    }
  });

  it('keeps region code by key: the same key finds it in a later run, another key does not', () => {
    const key = Int32Array.from([1, 2, 3, 0x10000, 42]);
    const body = Uint8Array.from([9, 8, 7, 6, 5]);
    for (const run of [1, 2]) {
      if (run === 2) expect(storeFor(riscv64, exe(8))?.body(key)).toBeUndefined(); // a file without regions
      storeFor(riscv64, exe(8))?.keep(key, body);
      expect(storeFor(riscv64, exe(8))?.body(key)).toEqual(body); // this run's
      closeTranslationStores();
    }
    const store = storeFor(riscv64, exe(8));
    expect(store?.body(key)).toEqual(body);
    expect(store?.body(Int32Array.from([1, 2, 3, 0x10000, 43]))).toBeUndefined();
    expect(store?.body(Int32Array.from([1, 2, 3, 0x10000]))).toBeUndefined();
    expect(store?.stats.regions).toBe(1);
    // blocks and regions live side by side in the file
    store?.add(riscv64.lift(fetchOf(space()), PC), space().bytes.slice(PC, PC + 12));
    closeTranslationStores();
    expect(storeFor(riscv64, exe(8))?.body(key)).toEqual(body);
    expect(storeFor(riscv64, exe(8))?.get(PC, space())).toBeDefined();
  });

  it('a region key changes with any guest byte, block, target or option', () => {
    const mem = space();
    const ir = riscv64.lift(fetchOf(mem), PC);
    const region = { blocks: [ir], entry: 0 };
    const o = { fpEnv: null, hwFma: true, chain: true, sharedMemory: false, lazyFlags: true };
    const k = regionKey(region, mem.bytes, o);
    expect(regionKey(region, mem.bytes, o)).toEqual(k);
    const other = space();
    other.view.setUint32(PC + 4, 0x00350513, true);
    expect(regionKey(region, other.bytes, o)).not.toEqual(k);
    expect(regionKey(region, mem.bytes, { ...o, hwFma: false })).not.toEqual(k);
    expect(regionKey({ ...region, jumpTargets: new Map([[PC, [PC + 0x40]]]) }, mem.bytes, o)).not.toEqual(k);
    // a region that counts its indirect exits has other code
    const learning = regionKey({ ...region, learns: true }, mem.bytes, o);
    expect(learning).not.toEqual(k);
    expect(shapeOfKey(learning)?.learns).toBe(true);
    expect(shapeOfKey(k)?.learns).toBeUndefined();
    expect(keyHolds(learning, mem.bytes, o)).toBe(true);
    expect(keyHolds(learning, mem.bytes, { ...o, hwFma: false })).toBe(false);
    // bytes past the block do not count
    other.view.setUint32(PC + 4, 0x00250513, true);
    other.view.setUint32(PC + 12, 0xffffffff, true);
    expect(regionKey(region, other.bytes, o)).toEqual(k);
  });

  it('a region key gives its shape back, and holds while its bytes and options do', () => {
    const mem = space();
    mem.view.setUint32(PC + 8, 0x0000006f, true); // jal zero, 0: a block of its own at PC + 8
    const a = riscv64.lift(fetchOf(mem), PC);
    const region = { blocks: [a], entry: 0, jumpTargets: new Map([[PC, [0x8000_1000, PC + 0x40]]]) };
    const o = { fpEnv: null, hwFma: true, chain: true, sharedMemory: false, lazyFlags: true };
    const k = regionKey(region, mem.bytes, o);
    const shape = shapeOfKey(k);
    expect(shape).toEqual({ blocks: [{ pc: PC, ninsns: a.ninsns, size: a.size }], entry: 0, jumpTargets: new Map([[PC, [0x8000_1000, PC + 0x40]]]) });
    expect(regionKey(shape ?? region, mem.bytes, o)).toEqual(k);
    expect(keyHolds(k, mem.bytes, o)).toBe(true);
    expect(keyHolds(k, mem.bytes, { ...o, hwFma: false })).toBe(false);
    const other = space();
    other.view.setUint32(PC + 4, 0x00350513, true);
    expect(keyHolds(k, other.bytes, o)).toBe(false);
    // a key cut short, or of another format, is no shape
    expect(shapeOfKey(k.subarray(0, k.length - 1))).toBeNull();
    expect(keyHolds(k.subarray(0, k.length - 1), mem.bytes, o)).toBe(false);
    expect(shapeOfKey(Int32Array.from([...k].map((w, i) => (i === 0 ? w + 1 : w))))).toBeNull();
  });

  it("lists the region keys a file holds, not this run's", () => {
    const key = Int32Array.from([1, 2, 3, 0x20000, 42]);
    rmSync(storeFor(riscv64, exe(10))?.path ?? '', { force: true });
    closeTranslationStores();
    storeFor(riscv64, exe(10))?.keep(Int32Array.from([7]), Uint8Array.from([1])); // a first run: not written
    closeTranslationStores();
    storeFor(riscv64, exe(10))?.keep(key, Uint8Array.from([1, 2]));
    expect(storeFor(riscv64, exe(10))?.keys()).toEqual([]);
    closeTranslationStores();
    expect(storeFor(riscv64, exe(10))?.keys()).toEqual([key]);
  });

  it('a call block is known as one from the record (region forming lifts nothing)', () => {
    const mem = space();
    mem.view.setUint32(PC + 8, 0x008000ef, true); // jal ra,+8: a call, returning to PC + 12
    const ir = stored(9, mem);
    expect(returnSite(ir)).toBe(PC + 12);
    const store = storeFor(riscv64, exe(9));
    const got = store?.get(PC, mem);
    expect(got!.ir.isCall).toBe(true);
    expect(returnSite(got!.ir)).toBe(PC + 12);
    expect(successors(got!.ir)).toEqual(successors(ir));
    expect(store?.stats.relifted).toBe(0);
  });
});
