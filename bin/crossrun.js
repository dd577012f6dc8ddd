#!/usr/bin/env node
// crossrun: run the bundled CLI, building it first if it is missing (a fresh clone before
// `npm run build`).
//
// CommonJS (bin/package.json), not an ES module: Node's ES module loader costs a few ms of
// start-up that a short run notices.
//
// Start-up is most of a short run, so the CLI is loaded from dist/crossrun.cjs through vm.Script
// with V8's code cache: the first run writes the compiled code of everything it used
// (dist/crossrun.cjs.v8cache, or ~/.cache/crossrun/ when dist/ is read-only), later runs skip
// parsing and compiling it. Each ISA front-end is a file of its own, dist/crossrun-<isa>.cjs with
// its own cache, loaded when a program for that ISA runs, and so is its lifter,
// dist/crossrun-<isa>-lift.cjs, loaded when it first lifts (scripts/build.mjs). A cache is keyed by
// node version and the bundle's size, mtime and inode, and V8 checks it again.
// CROSSRUN_NO_CODE_CACHE=1, or no dist/crossrun.cjs, imports the ES module bundle
// dist/crossrun.mjs instead (everything in one file, no code cache).
'use strict';
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const esmPath = join(dist, 'crossrun.mjs');
const cjsPath = join(dist, 'crossrun.cjs');

/** V8's setFlagsFromString. node:v8 loads Node's heap-snapshot and stream modules with it, ~2 ms
 *  of every run; the binding under it does not. process.binding('v8') is deprecated (a warning,
 *  which noDeprecation holds back for this one call): if it ever goes, node:v8 serves. Under
 *  `node --no-deprecation` noDeprecation is a read-only true, so it is only set when false.
 *  (src/host-v8-flags.ts is the bundle's copy: this one runs before the bundle is compiled.) */
function setFlagsFromString(flags) {
  const quiet = process.noDeprecation === true;
  try {
    if (!quiet) process.noDeprecation = true;
    const binding = process.binding('v8');
    if (typeof binding.setFlagsFromString === 'function') return binding.setFlagsFromString(flags);
  } catch {
    // gone: below
  } finally {
    if (!quiet) process.noDeprecation = false;
  }
  return require('node:v8').setFlagsFromString(flags);
}

/** Compiled scripts whose code cache is to be written at exit (none was usable). */
const toCache = [];

main().catch((e) => {
  process.stderr.write(`crossrun: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});

async function main() {
  if (!existsSync(esmPath) || !existsSync(cjsPath)) {
    try {
      await import('../scripts/build.mjs');
    } catch (e) {
      process.stderr.write(`crossrun: cannot build dist/crossrun.mjs (${e.message}); run npm install\n`);
      process.exit(1);
    }
  }
  // V8 optimizes a JS function once it has run ~66 KB of bytecode. A run of crossrun executes much
  // code a few thousand times only (lifting, tier 0's evaluator, syscalls) and that optimizing is
  // wasted: a budget of 1 MB cut CPU time (perf stat task-clock) by ~20 % for a static hello world
  // and 5–13 % for the bench's fib, sha256, nbody and strings (the Go fixture: unchanged). Set
  // before the bundle is compiled (the code cache depends on V8's flags).
  setFlagsFromString('--interrupt-budget=1000000');
  // The young generation starts at 1 MB and doubles when it fills; a short run allocates ~20 MB
  // (IR, translated blocks) and spent ~8 ms in five scavenges. Growing it 8× at a time halves them
  // and their copying (perf stat: ~3 ms less CPU time, ~1 MB more RSS).
  setFlagsFromString('--semi-space-growth-factor=8');
  const useCjs = process.env.CROSSRUN_NO_CODE_CACHE !== '1' && existsSync(cjsPath);
  const cli = useCjs ? loadCli() : await import(pathToFileURL(esmPath).href);
  const status = await cli.main(process.argv.slice(2));
  // At exit: a cache then holds the functions this run compiled, not only the top level. Only
  // after a run of a program (not -h or an error), which uses most of the CLI. Registered now, so
  // that it runs after the exit work the run set up (saving its translation store), and the
  // cache holds that code too. (scripts/build.mjs makes the caches with a small fixture right
  // after building, so that they are not those of whatever ran first, say a test's
  // three-instruction program: hello would then compile ~4 ms of code that is not in them at
  // every run.)
  if (useCjs) process.on('exit', () => {
    if (toCache.length > 0 && cli.ranProgram?.()) for (const c of toCache) writeCache(c);
  });
  process.exit(status);
}

/** The CLI module from dist/crossrun.cjs; its ISA front-ends load on demand through loadPart. */
function loadCli() {
  // The wasm tier sets this flag when it probes for FMA; V8 rejects a code cache made under other
  // flags, so every run sets it before compiling.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const run = compileCached(cjsPath); // (exports, require, module, __filename, __dirname, importMetaUrl, loadIsa)
  const module = { exports: {} };
  // The bundles require Node built-ins, and memfs when first used (host-require.ts's createRequire
  // is this require in the CLI bundle: scripts/build.mjs), so ours serves: createRequire() would
  // cost ~1 ms.
  run(module.exports, require, module, cjsPath, dist, pathToFileURL(esmPath).href, loadPart);
  return module.exports;
}

/** Loads dist/crossrun-<name>.cjs: an ISA front-end, or a part of one (its lifter, which the
 *  front-end requires as "crossrun-part:<isa>-lift" when it first lifts). It requires the CLI
 *  bundle's modules it shares as "crossrun-core:<source path>"; `core()` returns those the CLI
 *  bundle has. */
function loadPart(name, core) {
  const file = join(dist, `crossrun-${name}.cjs`);
  if (!existsSync(file)) throw new Error(`${file} is missing (npm run build makes it)`);
  const run = compileCached(file); // (exports, require, module, __filename, __dirname)
  let shared;
  const isaRequire = (id) => {
    if (id.startsWith('crossrun-part:')) return loadPart(id.slice('crossrun-part:'.length), core);
    if (!id.startsWith('crossrun-core:')) return require(id);
    shared ??= core();
    const m = shared[id.slice('crossrun-core:'.length)];
    if (m === undefined) throw new Error(`${file}: the CLI bundle lacks ${id} (a stale dist/: npm run build)`);
    return m;
  };
  const module = { exports: {} };
  run(module.exports, isaRequire, module, file, dist);
  return module.exports;
}

/** Compiles `file`, a function expression (scripts/build.mjs), using its code cache when there is
 *  a valid one (else noting it in toCache); returns the function. */
function compileCached(file) {
  // ASCII (scripts/build.mjs makes it so): latin1 skips UTF-8 decoding. The file is the function
  // expression itself: a wrapper added here would make a two-part string, which V8 copies whole
  // into a flat one before it looks the script up (~1 MB of fresh memory).
  const source = readFileSync(file, 'latin1');
  const st = statSync(file);
  const key = cacheKey(`crossrun-v8cache ${process.version} ${process.arch} ${st.size} ${st.mtimeMs} ${st.ino}`);
  const base = file.slice(dist.length + 1).replace(/\.cjs$/, '');
  const home = () => process.env.XDG_CACHE_HOME || join(require('node:os').homedir(), '.cache');
  const places = [`${file}.v8cache`, () => join(home(), 'crossrun', `${base}-${st.size}-${Math.floor(st.mtimeMs)}.v8cache`)];
  let cachedData = readCache(places[0], key);
  if (cachedData === undefined) {
    places[1] = places[1]();
    cachedData = readCache(places[1], key);
  }
  const script = new Script(source, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) toCache.push({ script, key, places });
  return script.runInThisContext();
}

/** A cache file's first line: `text`, padded with spaces so that the cached data after it is
 *  8-byte aligned (V8 copies cached data that is not pointer-aligned: ~0.7 MB for the CLI). */
function cacheKey(text) {
  return `${text.padEnd(((text.length + 8) & ~7) - 1, ' ')}\n`;
}

function readCache(path, key) {
  try {
    const buf = readFileSync(path);
    const head = Buffer.byteLength(key);
    return buf.length > head && buf.toString('latin1', 0, head) === key ? buf.subarray(head) : undefined;
  } catch {
    return undefined;
  }
}

/** <cache home>/crossrun and the cache home, one level at a time: Node 20's recursive mkdirSync
 *  never returns for some paths (under /proc, say). */
function makeDir(dir) {
  for (const d of [dirname(dir), dir]) {
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
  }
}

function writeCache({ script, key, places }) {
  let data;
  try {
    data = Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]);
  } catch {
    return;
  }
  for (const [i, p] of places.entries()) {
    try {
      const path = typeof p === 'function' ? p() : p;
      if (i > 0) makeDir(dirname(path));
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, path);
      return;
    } catch {
      // read-only: try the next place; none left: run without a cache
    }
  }
}
