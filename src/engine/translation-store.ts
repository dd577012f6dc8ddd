// The translation store: tier 0's blocks kept on disk between runs of the same program. A short
// run spends much of its time lifting and translating blocks that run a few times each (a static
// hello world: ~700 blocks, 15–25 ms); a CI pipeline runs the same test binaries many times, and
// a later run takes its blocks from here instead.
//
// What is kept of a block is what tier 0 runs it with: the evaluator's form (ir-eval.ts: an
// Int32Array, and the few ops it runs on its slow path, as JSON), the block's pc, instruction
// count, size and terminator, whether it is a call, and the guest bytes it was lifted from. Not
// the IR: most blocks of a short run are only ever evaluated. When something does ask for the ops
// (tier 0's compiler, the wasm tier's emitter), the block is lifted then (lazy-block.ts) — from
// its recorded bytes, which are exactly what the lifter read the first time, so it is the same
// IR. Encoding the IR instead cost more at exit than lifting saves (~30 ms for hello), and
// decoding it about as much as lifting.
//
// A program's blocks mostly run from tier 0's block arena (jit/interp/eval-arena.ts, engine/README.md):
// the records copied into guest memory's runtime area as they are, run there without a lookup
// here; get() serves the blocks the engine runs itself.
//
// Correctness does not rest on the file's key: like the in-memory cache (translation-cache.ts),
// every block keeps the guest bytes it was lifted from, and is taken only if the guest's memory
// holds exactly those bytes there now, on executable pages. The key (the crossrun build, the ISA
// and a fingerprint of the program file) only picks the file likely to hold the program's blocks.
//
// One file per program, and one per shared library (libraryStore): $XDG_CACHE_HOME/crossrun/blocks/
// (default ~/.cache/…, store-folder.ts), written at exit when the run lifted blocks the file
// lacked (through a rename, so a run starting meanwhile reads the old file or the new one). The first run of a program writes a file without
// blocks (see save), the second its blocks; the third and later runs take them. Best effort: a
// missing, unwritable or corrupt store is a run without one. CROSSRUN_NO_CODE_CACHE=1 turns it off
// (and V8's code cache of crossrun itself, bin/crossrun.js).
//
// It also keeps the wasm code the region tier emitted, by the region's key (region-key.ts: its
// blocks, their guest bytes, the options): a later run that forms the same region compiles that
// code instead of emitting it again.
//
// File layout, int32 words in host byte order: MAGIC, VERSION, the key's length in bytes and the
// key (latin1, padded to a word); the block count N, N guest pcs (ascending), N + 1 word offsets
// (record i ends where i + 1 starts); the region count R, R key hashes (ascending), R + 1 word
// offsets; then the records. A block's: ninsns, size, the byte count B, the evaluator form's
// length L (0: none), start, starts, the length J of its slow part's ops, its terminator
// (store-record.ts, 5 words) and whether it is a call (1 or 0); B bytes (padded to words); L
// words; J bytes of JSON (padded): the ops and temp types of the slow part (eval-ops.ts). A
// region's: its key's length K, K words, the code's length C in bytes, C bytes.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ArchSpec } from '../arch/arch.js';
import type { ElfFile } from '../elf/parse.js';
import type { IRBlock, Terminator } from '../jit/ir.js';
import { evalCodeOf, presetEvalCode } from '../jit/interp/compile-block.js';
import { evalFormAt, lowerBound, Rec, TERMINATOR_KINDS } from '../jit/interp/eval-record.js';
import type { ArenaBlocks, ArenaSegment } from '../jit/interp/eval-arena.js';
import type { SlowPart } from '../jit/interp/eval-ops.js';
import type { AddressSpace, Region } from '../mem/address-space.js';
import { assert } from '../types.js';
import { returnSite } from '../jit/wasm/region.js';
import { evictOld, makeDirs } from './store-folder.js';
import { LazyBlock } from './lazy-block.js';
import { putTerminator, slowOpsJson, slowPart, terminatorAt, terminatorKinds, TERMINATOR_WORDS } from './store-record.js';
import { stillThere } from './translation-cache.js';

const MAGIC = 0x30545243; // "CRT0"
const VERSION = 6;
// A block record's head is jit/interp/eval-record.ts's Rec (tier 0's block arena reads records in place).
assert(Rec.CALL === Rec.TERM + TERMINATOR_WORDS && Rec.HEAD === Rec.CALL + 1 && TERMINATOR_KINDS === terminatorKinds(), 'translation store: the record does not match eval-record.ts');

/** Bounds on one file: past them a save keeps only the blocks this run used or lifted. */
const MAX_BLOCKS = 100_000;
/** A run that lifted fewer new blocks than the file's count / this (and compiled no new region)
 *  leaves the file as it is (save). */
const FEW_NEW_BLOCKS = 256;
const MAX_WORDS = (32 << 20) >> 2;

declare const __CROSSRUN_BUILD_ID__: string;

export interface StoreConfig {
  /** The folder of the store's files. */
  readonly dir: string;
  /** Identifies the code that lifts and encodes (blocks of another build are never read). */
  readonly buildId: string;
}

/** Where stores live: from the environment and the bundle's build id (none when crossrun runs
 *  from its TypeScript sources, as in tests, unless set with configureTranslationStore). */
let config: StoreConfig | null | undefined;

function defaultConfig(): StoreConfig | null {
  if (process.env.CROSSRUN_NO_CODE_CACHE === '1') return null;
  if (typeof __CROSSRUN_BUILD_ID__ !== 'string') return null;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return { dir: join(base, 'crossrun', 'blocks'), buildId: __CROSSRUN_BUILD_ID__ };
}

/** Use stores in `c.dir` (null: none); returns the previous setting (tests). */
export function configureTranslationStore(c: StoreConfig | null): StoreConfig | null {
  const old = config === undefined ? defaultConfig() : config;
  config = c;
  return old;
}

/** Open stores, saved at exit. */
const open = new Map<string, TranslationStore>();
let exitHook = false;

/** The store for a program of `arch` whose file is `elf`, or null when stores are off. */
export function storeFor(arch: ArchSpec, elf: ElfFile): TranslationStore | null {
  return openStore(arch, fingerprint(elf.bytes));
}

/** Library stores opened, by the mapping's name and load address (fingerprinting costs). */
const libraries = new Map<string, TranslationStore | null>();

/**
 * The store for the blocks of a file mapped as `region` other than the program (ld.so, a shared
 * library), or null when stores are off. The dynamic loader and the libraries land at the same
 * addresses in every program that uses them (mmap places them the same way each time), so the
 * first run of a program takes their blocks from runs of any other (a dynamically linked hello
 * world: ~1 900 blocks, nearly all in ld.so and libc). Keyed by the file's name, where it is loaded
 * and a fingerprint of its mapped bytes; the blocks are checked against memory as any are.
 */
export function libraryStore(arch: ArchSpec, region: Readonly<Region>, mem: AddressSpace): TranslationStore | null {
  const base = region.start - region.offset;
  const where = `${arch.name} ${region.name}@${base.toString(16)}`;
  let s = libraries.get(where);
  if (s === undefined) {
    s = openStore(arch, `lib ${region.name}@${base.toString(16)} ${fingerprint(mem.bytes.subarray(region.start, region.end))}`);
    libraries.set(where, s);
  }
  return s;
}

function openStore(arch: ArchSpec, identity: string): TranslationStore | null {
  if (config === undefined) config = defaultConfig();
  if (config === null) return null;
  const key = `crossrun-blocks ${config.buildId} ${arch.name} ${identity}`;
  let s = open.get(key);
  if (s === undefined) {
    s = new TranslationStore(join(config.dir, `${arch.name}-${hash32(words(latin1(key))).toString(16).padStart(8, '0')}.blocks`), key, config.dir, arch);
    open.set(key, s);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', saveAll);
    }
  }
  return s;
}

/** Write every open store that has new blocks (at exit). */
function saveAll(): void {
  for (const s of open.values()) {
    s.save();
    if (process.env.CROSSRUN_JIT_STATS) process.stderr.write(`crossrun: translation store ${JSON.stringify(s.stats)}\n`);
  }
}

/** Save and forget every open store: the next storeFor reads its file again, as a new process
 *  would (tests). */
export function closeTranslationStores(): void {
  saveAll();
  open.clear();
  libraries.clear();
}

interface Fresh {
  readonly ir: IRBlock;
  readonly bytes: Uint8Array;
}

export class TranslationStore {
  /** The arenas that run this file's blocks (one per process image that ran the program). */
  private readonly arenas: ArenaSegment[] = [];
  readonly stats = storeStats(this.arenas);
  /** The file's words, and the same as bytes (empty: no usable file). */
  private words: Int32Array = new Int32Array(0);
  private bytes: Uint8Array = new Uint8Array(0);
  private pcs: Uint32Array = new Uint32Array(0);
  /** Where each block record starts, and one more: where the last ends. */
  private offs: Int32Array = new Int32Array(0);
  /** The regions' key hashes, and their records' offsets as for blocks. */
  private hashes: Uint32Array = new Uint32Array(0);
  private roffs: Int32Array = new Int32Array(0);
  /** Blocks lifted in this run that the file lacks (or holds for other bytes). */
  private readonly fresh = new Map<number, Fresh>();
  /** Indexes of the file's blocks this run took. */
  private readonly used = new Set<number>();
  /** Region code this run emitted (by key hash), and the indexes of the file's regions it took. */
  private readonly freshRegions = new Map<number, { key: Int32Array; body: Uint8Array }[]>();
  private readonly usedRegions = new Set<number>();
  /** Whether the program's file was there (a valid one for this key, blocks or not). */
  private found = false;

  constructor(
    readonly path: string,
    private readonly key: string,
    private readonly dir: string,
    private readonly arch: ArchSpec,
  ) {
    this.read();
  }

  private read(): void {
    let buf: Buffer;
    try {
      buf = readFileSync(this.path);
    } catch {
      return;
    }
    // Int32Array views need a word-aligned offset (a file read is its own buffer; a copy if not).
    if (buf.byteOffset % 4 !== 0) buf = Buffer.from(buf);
    this.take(new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2));
  }

  /** Use `words` as the file's content if they are a valid file for this key (else keep none). */
  private take(words: Int32Array): void {
    this.words = new Int32Array(0);
    this.bytes = new Uint8Array(0);
    this.pcs = new Uint32Array(0);
    this.offs = new Int32Array(0);
    this.hashes = new Uint32Array(0);
    this.roffs = new Int32Array(0);
    this.used.clear();
    this.usedRegions.clear();
    this.found = false;
    const keyBytes = latin1(this.key);
    if (words.length < 4 || words[0] !== MAGIC || words[1] !== VERSION || words[2] !== keyBytes.length) return;
    const bytes = new Uint8Array(words.buffer, words.byteOffset, 4 * words.length);
    for (let i = 0; i < keyBytes.length; i++) if (bytes[12 + i] !== keyBytes[i]) return;
    let at = 3 + ((keyBytes.length + 3) >> 2);
    const n = words[at++];
    if (!(n >= 0 && at + 2 * n + 2 <= words.length)) return;
    const pcs = new Uint32Array(words.buffer, words.byteOffset + 4 * at, n);
    const offs = words.subarray(at + n, at + 2 * n + 1);
    at += 2 * n + 1;
    const r = words[at++];
    if (!(r >= 0 && at + 2 * r + 1 <= words.length)) return;
    const hashes = new Uint32Array(words.buffer, words.byteOffset + 4 * at, r);
    const roffs = words.subarray(at + r, at + 2 * r + 1);
    at += 2 * r + 1;
    // Records follow the index, blocks then regions, each at least its head long.
    if (offs[0] !== at || roffs[0] !== offs[n] || roffs[r] !== words.length) return;
    for (let i = 0; i < n; i++) if (offs[i] + Rec.HEAD > offs[i + 1] || (i > 0 && pcs[i] <= pcs[i - 1])) return;
    for (let i = 0; i < r; i++) if (roffs[i] + 2 > roffs[i + 1] || (i > 0 && hashes[i] < hashes[i - 1])) return;
    this.found = true;
    this.words = words;
    this.bytes = bytes;
    this.pcs = pcs;
    this.offs = offs;
    this.hashes = hashes;
    this.roffs = roffs;
  }

  /** The block the file holds for pc, if `mem` holds its bytes there now; with those bytes. */
  get(pc: number, mem: AddressSpace): Fresh | undefined {
    const i = this.find(pc);
    if (i < 0) {
      this.stats.misses++;
      return undefined;
    }
    const W = this.words;
    const o = this.offs[i];
    const n = W[o + Rec.NBYTES];
    const evalLen = W[o + Rec.EVAL_LEN];
    const at = o + evalFormAt(n);
    const bytes = this.bytes.subarray(4 * (o + Rec.HEAD), 4 * (o + Rec.HEAD) + n);
    const end = terminatorAt(W, o + Rec.TERM);
    const slow = end === null ? undefined : this.slowOf(o, end);
    if (!(n > 0 && evalLen >= 0) || end === null || slow === undefined || !stillThere(mem, pc, bytes)) {
      this.stats.stale++;
      return undefined;
    }
    const ir = new LazyBlock(pc, W[o + Rec.NINSNS], W[o + Rec.SIZE], end, W[o + Rec.CALL] === 1, this.arch, bytes, this.stats);
    if (evalLen > 0) presetEvalCode(ir, W.subarray(at, at + evalLen), W[o + Rec.START], W[o + Rec.STARTS], slow);
    this.stats.hits++;
    this.used.add(i);
    return { ir, bytes };
  }

  /** The file's block records, for tier 0's block arena (jit/interp/eval-arena.ts); null if it has none. */
  arenaBlocks(): ArenaBlocks | null {
    return this.pcs.length === 0 ? null : { pcs: this.pcs, offs: this.offs, words: this.words };
  }

  /** An arena runs the file's blocks (its count of those it took goes into stats.arena; the
   *  records it ran count as used at save). */
  addArena(a: ArenaSegment): void {
    this.arenas.push(a);
  }

  /** Block record i was used by this run (an arena ran it). */
  markUsed(i: number): void {
    this.used.add(i);
  }

  /** How many guest bytes block record i keeps. */
  bytesAt(i: number): number {
    return this.words[this.offs[i] + Rec.NBYTES];
  }

  /** The slow part of block record i's evaluator form (null: none, or unreadable). */
  slowPartAt(i: number): SlowPart | null {
    const o = this.offs[i];
    const end = terminatorAt(this.words, o + Rec.TERM);
    return (end === null ? null : this.slowOf(o, end)) ?? null;
  }

  /** The slow part of the record at word o, which ends in `end`, from its JSON: null if it has
   *  none, undefined if the JSON is not within the file or not readable. */
  private slowOf(o: number, end: Terminator): SlowPart | null | undefined {
    const W = this.words;
    const jsonLen = W[o + Rec.JSON_LEN];
    const json = 4 * (o + evalFormAt(W[o + Rec.NBYTES]) + W[o + Rec.EVAL_LEN]);
    if (!(jsonLen >= 0 && json + jsonLen <= this.bytes.length)) return undefined;
    try {
      return slowPart(jsonLen > 0 ? Buffer.from(this.bytes.buffer, this.bytes.byteOffset + json, jsonLen).toString('latin1') : null, end);
    } catch {
      return undefined;
    }
  }

  private find(pc: number): number {
    const i = lowerBound(this.pcs, pc);
    return i < this.pcs.length && this.pcs[i] === pc ? i : -1;
  }

  /** A block this run lifted from `bytes` (the file lacked it, or held it for other bytes). */
  add(ir: IRBlock, bytes: Uint8Array): void {
    this.fresh.set(ir.pc, { ir, bytes });
    this.stats.lifted++;
  }

  /** The region code kept for `key` (this run's or the file's), if any. */
  body(key: Int32Array): Uint8Array | undefined {
    const h = hash32(key);
    for (const f of this.freshRegions.get(h) ?? []) if (sameWords(f.key, key, 0)) return f.body;
    const hs = this.hashes;
    for (let j = lowerBound(hs, h); j < hs.length && hs[j] === h; j++) {
      const o = this.roffs[j];
      const k = this.words[o];
      if (k !== key.length || !sameWords(key, this.words, o + 1)) continue;
      const len = this.words[o + 1 + k];
      const start = 4 * (o + 2 + k);
      if (!(len >= 0 && start + len <= 4 * this.roffs[j + 1])) return undefined;
      this.usedRegions.add(j);
      this.stats.regions++;
      return this.bytes.subarray(start, start + len);
    }
    return undefined;
  }

  /** The keys of the regions the file holds (views into it), for region-replay.ts. */
  keys(): Int32Array[] {
    const out: Int32Array[] = [];
    const W = this.words;
    for (let j = 0; j < this.hashes.length; j++) {
      const o = this.roffs[j];
      const k = W[o];
      if (k > 0 && o + 1 + k < this.roffs[j + 1]) out.push(W.subarray(o + 1, o + 1 + k));
    }
    return out;
  }

  /** Region code this run emitted for `key`. */
  keep(key: Int32Array, body: Uint8Array): void {
    const h = hash32(key);
    const list = this.freshRegions.get(h);
    if (list === undefined) this.freshRegions.set(h, [{ key, body }]);
    else list.push({ key, body });
  }

  /** Write the file anew if this run lifted blocks: the file's blocks and the new ones (only
   *  those this run used or lifted when that would pass the file's bounds). */
  save(): void {
    if (this.fresh.size === 0 && this.freshRegions.size === 0) return;
    // A few new blocks in a big store are not worth writing it all again: it costs ~1 ms per
    // 1 000 blocks, while lifting them again costs less (~1–2 ms at most, the lifter's loading
    // mostly). Runs of a program that depend on timing start a block or two where no earlier run
    // did (a region left at another place, a signal): a Go program rewrote its 9 000-block store
    // for 4–28 new blocks at every run, the clocks fixture its 1 500-block one for 1.
    if (this.freshRegions.size === 0 && this.fresh.size < this.pcs.length / FEW_NEW_BLOCKS) return;
    try {
      // The first run of a program only notes that it ran (a file without blocks): writing its
      // blocks costs ~10 ms at exit (much of it a scavenge of the run's young objects), which a
      // program run once, as many test binaries are, never earns back. From the second run on,
      // its blocks are written.
      for (const a of this.arenas) a.noteUsed();
      if (this.found) this.write([...this.fresh.values()], [...this.freshRegions.values()].flat());
      else this.write([], []);
    } catch {
      // unwritable: run without a store
    }
  }

  // Allocates little: it runs at exit, where a scavenge of the young generation (full of the
  // run's IR) costs ~5 ms that nothing gains from.
  private write(fresh: readonly Fresh[], regions: readonly { key: Int32Array; body: Uint8Array }[]): void {
    const evals = fresh.map((f) => evalCodeOf(f.ir));
    const slows = evals.map((ev) => {
      const json = ev?.slow ? slowOpsJson(ev.slow) : null;
      return json === null ? null : latin1(json);
    });
    const all = this.pcs.length + fresh.length <= MAX_BLOCKS;
    // Block records in pc order: key = pc · 2^21 + (fresh: its index; from the file: 2^20 + its index).
    const keys = new Float64Array(fresh.length + this.pcs.length);
    let n = 0;
    let total = 0;
    for (let j = 0; j < fresh.length; j++) {
      keys[n++] = fresh[j].ir.pc * 2 ** 21 + j;
      total += evalFormAt(fresh[j].bytes.length) + (evals[j]?.code.length ?? 0) + (((slows[j]?.length ?? 0) + 3) >> 2);
    }
    for (let i = 0; i < this.pcs.length; i++) {
      if (this.fresh.has(this.pcs[i]) || !(all || this.used.has(i))) continue; // (fresh: a newer variant)
      keys[n++] = this.pcs[i] * 2 ** 21 + 2 ** 20 + i;
      total += this.offs[i + 1] - this.offs[i];
    }
    const order = keys.subarray(0, n).sort();
    // Region records in hash order, the same way.
    const rkeys = new Float64Array(regions.length + this.hashes.length);
    let r = 0;
    for (let j = 0; j < regions.length; j++) {
      rkeys[r++] = hash32(regions[j].key) * 2 ** 21 + j;
      total += 2 + regions[j].key.length + ((regions[j].body.length + 3) >> 2);
    }
    for (let i = 0; i < this.hashes.length; i++) {
      if (!(all || this.usedRegions.has(i))) continue;
      rkeys[r++] = this.hashes[i] * 2 ** 21 + 2 ** 20 + i;
      total += this.roffs[i + 1] - this.roffs[i];
    }
    const rorder = rkeys.subarray(0, r).sort();
    const keyBytes = latin1(this.key);
    const pcsAt = 3 + ((keyBytes.length + 3) >> 2) + 1;
    const offsAt = pcsAt + n;
    const hashesAt = offsAt + n + 2;
    const roffsAt = hashesAt + r;
    const head = roffsAt + r + 1;
    if (head + total > MAX_WORDS) return;
    const out = new Int32Array(head + total);
    const outBytes = new Uint8Array(out.buffer);
    out[0] = MAGIC;
    out[1] = VERSION;
    out[2] = keyBytes.length;
    outBytes.set(keyBytes, 12);
    out[pcsAt - 1] = n;
    out[hashesAt - 1] = r;
    let rec = this.section(out, order, pcsAt, offsAt, this.offs, head, (j, at) => {
      const { ir, bytes } = fresh[j];
      // The evaluator form tier 0 made; its temps hold values of the last run: harmless, each
      // is written before it is read, and constants stay as they were.
      const ev = evals[j];
      const slow = slows[j];
      out[at + Rec.NINSNS] = ir.ninsns;
      out[at + Rec.SIZE] = ir.size;
      out[at + Rec.NBYTES] = bytes.length;
      out[at + Rec.EVAL_LEN] = ev?.code.length ?? 0;
      out[at + Rec.START] = ev?.start ?? 0;
      out[at + Rec.STARTS] = ev?.starts ?? 0;
      out[at + Rec.JSON_LEN] = slow?.length ?? 0;
      putTerminator(out, at + Rec.TERM, ir.end);
      out[at + Rec.CALL] = returnSite(ir) !== null ? 1 : 0;
      outBytes.set(bytes, 4 * (at + Rec.HEAD));
      at += evalFormAt(bytes.length);
      if (ev != null) {
        out.set(ev.code, at);
        at += ev.code.length;
      }
      if (slow != null) {
        outBytes.set(slow, 4 * at);
        at += (slow.length + 3) >> 2;
      }
      return at;
    });
    rec = this.section(out, rorder, hashesAt, roffsAt, this.roffs, rec, (j, at) => {
      const { key, body } = regions[j];
      out[at] = key.length;
      out.set(key, at + 1);
      out[at + 1 + key.length] = body.length;
      outBytes.set(body, 4 * (at + 2 + key.length));
      return at + 2 + key.length + ((body.length + 3) >> 2);
    });
    assert(rec === out.length, 'translation store: records do not fill the file');
    makeDirs(this.dir);
    const existed = this.found;
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, outBytes, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.stats.saved = n;
    this.fresh.clear();
    this.freshRegions.clear();
    this.take(out); // what a later run in this process reads (the library API runs several)
    if (!existed) evictOld(this.dir);
  }

  /** Writes one section's records in `order` (sort keys: id · 2^21 + the fresh record's index, or
   *  2^20 + the file's): ids and start offsets into the index at idAt and offAt, records from
   *  `rec` on (the file's copied as they are, via `old` offsets; fresh ones by `fresh`, which
   *  returns where its record ends). Returns where the section ends. */
  private section(out: Int32Array, order: Float64Array, idAt: number, offAt: number, old: Int32Array, rec: number, fresh: (j: number, at: number) => number): number {
    for (let k = 0; k < order.length; k++) {
      const key = order[k];
      const j = key % 2 ** 21;
      out[idAt + k] = Math.floor(key / 2 ** 21) | 0;
      out[offAt + k] = rec;
      if (j < 2 ** 20) {
        rec = fresh(j, rec);
        continue;
      }
      const i = j - 2 ** 20;
      out.set(this.words.subarray(old[i], old[i + 1]), rec);
      rec += old[i + 1] - old[i];
    }
    out[offAt + order.length] = rec;
    return rec;
  }
}

/** A store's counters. hits, misses and stale: lookups; arena: blocks tier 0's block arenas took
 *  from the file (jit/interp/eval-arena.ts: run there, not looked up); lifted: blocks new to the file;
 *  relifted: blocks whose IR was asked for and lifted again (stored ones, and new ones lifted
 *  straight into the evaluator's form: engine/machine.ts); saved: blocks in the file written at
 *  exit; regions: region code taken from the file. */
function storeStats(arenas: readonly { readonly taken: number }[]) {
  return {
    hits: 0,
    misses: 0,
    stale: 0,
    get arena(): number {
      return arenas.reduce((n, a) => n + a.taken, 0);
    },
    lifted: 0,
    relifted: 0,
    saved: 0,
    regions: 0,
  };
}

/** A cheap fingerprint of a program file (or of a library's mapped bytes): its size and a hash of
 *  its first 4 KiB (the headers) and of 64 spans of 64 bytes spread over the rest. Files that
 *  collide only share a store file: blocks are checked byte by byte anyway. */
function fingerprint(b: Uint8Array): string {
  const sample = new Uint8Array(8192);
  sample.set(b.subarray(0, 4096));
  if (b.length > 4096) {
    const step = Math.floor((b.length - 4096) / 64);
    for (let i = 0; i < 64; i++) sample.set(b.subarray(4096 + i * step, 4096 + i * step + 64), 4096 + 64 * i);
  }
  return `${b.length}-${hash32(new Int32Array(sample.buffer)).toString(16)}`;
}

/** FNV-1a over words (32 bits). */
function hash32(w: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w[i], 0x01000193);
  return h >>> 0;
}

function latin1(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Whether b holds a's words from index `at` on. */
function sameWords(a: Int32Array, b: Int32Array, at: number): boolean {
  if (at + a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/** The bytes as words (zero-padded to a whole word). */
function words(b: Uint8Array): Int32Array {
  const w = new Int32Array((b.length + 3) >> 2);
  new Uint8Array(w.buffer).set(b);
  return w;
}
