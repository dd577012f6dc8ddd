#!/usr/bin/env node
// crossrun: run the bundled CLI, building it first if it is missing (a fresh clone before
// `npm run build`).
//
// Start-up is most of a short run, so the CLI is loaded from dist/crossrun.cjs through vm.Script
// with V8's code cache: the first run writes the compiled code of everything it used
// (dist/crossrun.cjs.v8cache, or ~/.cache/crossrun/ when dist/ is read-only), later runs skip
// parsing and compiling it. The cache is keyed by node version and the bundle's size and mtime,
// and V8 checks it again. CROSSRUN_NO_CODE_CACHE=1 turns it off; without dist/crossrun.cjs the
// ES module bundle dist/crossrun.mjs is imported as before.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

const esm = new URL('../dist/crossrun.mjs', import.meta.url);
const cjsPath = fileURLToPath(new URL('../dist/crossrun.cjs', import.meta.url));
if (!existsSync(esm) || !existsSync(cjsPath)) {
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
const cli = process.env.CROSSRUN_NO_CODE_CACHE === '1' || !existsSync(cjsPath) ? await import(esm.href) : loadCached();
process.exit(await cli.main(process.argv.slice(2)));

/** The CLI module from dist/crossrun.cjs, compiled with the code cache when there is a valid one;
 *  writes one at exit when there was none. */
function loadCached() {
  // The wasm tier sets this flag when it probes for FMA; V8 rejects a code cache made under other
  // flags, so every run sets it before compiling.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const st = statSync(cjsPath);
  const key = `crossrun-v8cache ${process.version} ${process.arch} ${st.size} ${st.mtimeMs} ${st.ino}\n`;
  const places = [`${cjsPath}.v8cache`, join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'crossrun', `crossrun-${st.size}-${Math.floor(st.mtimeMs)}.v8cache`)];
  let cachedData;
  for (const p of places) {
    cachedData = readCache(p, key);
    if (cachedData) break;
  }
  const source = readFileSync(cjsPath, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __crossrunImportMetaUrl) {${source}\n})`, {
    filename: cjsPath,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(cjsPath), module, cjsPath, dirname(cjsPath), esm.href);
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit: the cache then holds the functions this run compiled, not only the top level.
    // Only after a run of a program (not -h or an error), which uses most of the CLI.
    process.on('exit', () => {
      if (module.exports.ranProgram?.()) writeCache(places, key, script);
    });
  }
  return module.exports;
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

function writeCache(places, key, script) {
  let data;
  try {
    data = Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]);
  } catch {
    return;
  }
  for (const [i, p] of places.entries()) {
    try {
      if (i > 0) mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
      const tmp = `${p}.${process.pid}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, p);
      return;
    } catch {
      // read-only: try the next place; none left: run without a cache
    }
  }
}
