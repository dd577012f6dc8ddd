// Bundle the CLI and everything it reaches into dist/ (no module resolution at run time). Run by
// `npm run build`, by `npm install` (prepare), and by bin/crossrun.js when the bundle is missing.
//
//   dist/crossrun.mjs         the whole CLI as one ES module (CROSSRUN_NO_CODE_CACHE=1, or no .cjs)
//   dist/crossrun.cjs         the CLI without the ISA front-ends, as a CommonJS module wrapped in
//                             the function expression bin/crossrun.js compiles
//   dist/crossrun-<isa>.cjs   one ISA front-end (src/arch/<isa>/), loaded on first use
//   dist/crossrun-<isa>-lift.cjs  its lifter and disassembler, loaded at the first lift (a run
//                             whose blocks all come from the translation store never does)
//
// bin/crossrun.js compiles the .cjs files with vm.Script so that V8's code cache can be used (Node
// 20 has no code cache for ES modules): start-up then skips parsing and compiling the functions a
// run needs. Each file has its own cache, so a riscv64 run neither loads nor deserializes the
// aarch64 front-end (~12 ms of CPU time when it did).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A hash of every source file: the translation store (src/engine/translation-store.ts) reads
 *  only blocks that a build of the same sources lifted and encoded. */
function buildId() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) h.update(`${rel}\0`).update(readFileSync(join(root, rel))).update('\0');
    }
  };
  walk('src');
  walk('syscalls');
  return h.digest('hex').slice(0, 16);
}
const fail = () => process.exit(1); // esbuild has printed the errors
/** What every build here shares. */
const base = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', write: false, logLevel: 'warning' };

/** Wasm modules that are the same in every run (src/jit/wasm/prebuilt.ts): made here and carried
 *  in the bundle, not encoded at each start-up (a few ms of cold JS). Each as a string define of
 *  its own, __CROSSRUN_WASM_<NAME>__ (esbuild injects an object define as a module of its own,
 *  initialised from every module). */
async function prebuiltWasm() {
  const r = await build({ ...base, entryPoints: ['src/jit/wasm/prebuilt.ts'], outfile: 'prebuilt.mjs', format: 'esm' }).catch(fail);
  const m = await import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`);
  return m.encodePrebuilt();
}

const define = { __CROSSRUN_BUILD_ID__: JSON.stringify(buildId()) };
for (const [name, b64] of Object.entries(await prebuiltWasm())) define[`__CROSSRUN_WASM_${name.toUpperCase()}__`] = JSON.stringify(b64);

const common = {
  ...base,
  minify: false,
  charset: 'ascii', // (esbuild's default) non-ASCII characters in code become escapes
  sourcemap: 'linked',
  define,
};

/** The parameters of a .cjs file's function (bin/crossrun.js passes them): the CLI's, and a
 *  front-end's or its part's. */
const CLI_PARAMS = 'exports, require, module, __filename, __dirname, __crossrunImportMetaUrl, __crossrunLoadIsa';
const PART_PARAMS = 'exports, require, module, __filename, __dirname';

/** Write via rename so that a crossrun starting meanwhile never sees half a bundle. A .cjs file is
 *  written as a function expression with `params` (its code on the first line's end: source map
 *  lines stay right), which bin/crossrun.js compiles as it is. */
function writeOutputs(outputFiles, params = PART_PARAMS) {
  for (const out of outputFiles) {
    mkdirSync(dirname(out.path), { recursive: true });
    const tmp = `${out.path}.${process.pid}.tmp`;
    writeFileSync(tmp, out.path.endsWith('.cjs') ? `(function (${params}) {${asciiOnly(out.text)}\n})` : out.contents);
    renameSync(tmp, out.path);
  }
}

/** The .cjs files are pure ASCII, so that bin/crossrun.js reads them as latin1 (~2 ms less than
 *  decoding UTF-8 for a run). esbuild escapes every non-ASCII character in code (charset ascii);
 *  what is left is in comments, and becomes '?' (one per UTF-16 unit: source map columns stay right). */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, '?');
}

const esm = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/crossrun.mjs',
  format: 'esm',
  // CommonJS dependencies (yargs-parser) call require() for Node built-ins; an ES module has none.
  banner: { js: "import { createRequire as __crossrunRequire } from 'node:module';\nconst require = __crossrunRequire(import.meta.url);" },
}).catch(fail);
writeOutputs(esm.outputFiles);

// The ISA front-ends: every src/arch/<isa>/ with an index.ts (the registry's entries).
const archDir = join(root, 'src', 'arch');
const isas = readdirSync(archDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(archDir, d.name, 'index.ts')))
  .map((d) => d.name);

/** Modules outside src/arch/<isa>/ (the IR builder, jit helpers, signals…) are not copied into a
 *  front-end's bundle: it requires them as "crossrun-core:<path>" and the loader hands it the CLI
 *  bundle's own instances (one IRBuilder class, one helper table). */
const CORE = 'crossrun-core:';
function coreModules(isaDir) {
  return {
    name: 'crossrun-core-modules',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        let abs = resolve(args.resolveDir, args.path);
        if (abs.startsWith(isaDir + sep)) return undefined;
        if (abs.endsWith('.js') && existsSync(abs.slice(0, -3) + '.ts')) abs = abs.slice(0, -3) + '.ts';
        return { path: CORE + relative(root, abs).split(sep).join('/'), external: true };
      });
    },
  };
}

/** A module whose exports are getters for those of `exports`: the first use evaluates `load`
 *  (JS source) for the real module. */
function lazyModule(comment, exports, load) {
  const getters = exports.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`).join('\n');
  return `// ${comment}\nlet real;\nfunction load() {\n  return real ??= ${load};\n}\n${getters}\n`;
}

/** Builds `entry` into dist/crossrun-<name>.cjs; returns its export names and the core modules it
 *  requires. */
async function buildPart(name, entry, plugins) {
  const [probe, cjs] = await Promise.all([
    // The export names (a CommonJS build's metafile does not list them).
    build({ ...common, sourcemap: false, entryPoints: [entry], outfile: `dist/${name}.probe.mjs`, format: 'esm', metafile: true, plugins }),
    build({ ...common, entryPoints: [entry], outfile: `dist/crossrun-${name}.cjs`, format: 'cjs', metafile: true, plugins }),
  ]).catch(fail);
  const exports = Object.values(probe.metafile.outputs).find((o) => o.entryPoint)?.exports ?? [];
  const out = Object.values(cjs.metafile.outputs).find((o) => o.entryPoint);
  const core = out.imports.filter((i) => i.external && i.path.startsWith(CORE)).map((i) => i.path.slice(CORE.length));
  writeOutputs(cjs.outputFiles);
  return { exports, core };
}

/** Builds one front-end; returns its export names and the core modules it and its lifter require.
 *  Its lifter (src/arch/<isa>/lifter.ts, when there is one: the decoder and instruction tables) is
 *  a file of its own, dist/crossrun-<isa>-lift.cjs: index.ts's `import * as lifter from
 *  './lifter.js'` becomes a module of getters that require "crossrun-part:<isa>-lift" (loaded by
 *  bin/crossrun.js) at the first use. */
async function buildFront(isa) {
  const isaDir = join(archDir, isa);
  const hasLifter = existsSync(join(isaDir, 'lifter.ts'));
  const lifter = hasLifter ? await buildPart(`${isa}-lift`, `src/arch/${isa}/lifter.ts`, [coreModules(isaDir)]) : null;
  const lazyLifter = {
    name: 'crossrun-lazy-lifter',
    setup(b) {
      b.onResolve({ filter: /^\.\/lifter\.js$/ }, (args) => {
        if (lifter === null || args.importer !== join(isaDir, 'index.ts')) return undefined;
        return { path: isa, namespace: 'crossrun-lifter' };
      });
      b.onResolve({ filter: /^crossrun-part:/ }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /.*/, namespace: 'crossrun-lifter' }, () => ({
        loader: 'js',
        contents: lazyModule(`The ${isa} lifter, dist/crossrun-${isa}-lift.cjs, loaded on first use.`, lifter.exports, `require(${JSON.stringify(`crossrun-part:${isa}-lift`)})`),
      }));
    },
  };
  const front = await buildPart(isa, `src/arch/${isa}/index.ts`, [lazyLifter, coreModules(isaDir)]);
  return [isa, { exports: front.exports, core: [...new Set([...front.core, ...(lifter?.core ?? [])])] }];
}
const fronts = new Map(await Promise.all(isas.map(buildFront))); // isa → { exports, core }

/** In the CLI bundle, registry.ts's `import * as front from './<isa>/index.js'` becomes a module
 *  whose exports are getters: the first use asks bin/crossrun.js (__crossrunLoadIsa) to load
 *  dist/crossrun-<isa>.cjs, passing the core modules that file requires. */
const lazyFronts = {
  name: 'crossrun-lazy-fronts',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\/index\.js$/ }, (args) => {
      const isa = args.path.split('/')[1];
      if (args.importer !== join(archDir, 'registry.ts') || !fronts.has(isa)) return undefined;
      return { path: isa, namespace: 'crossrun-isa' };
    });
    b.onLoad({ filter: /.*/, namespace: 'crossrun-isa' }, (args) => {
      const { exports, core } = fronts.get(args.path);
      const requires = core.map((p) => `    ${JSON.stringify(p)}: require(${JSON.stringify('./' + p)}),`).join('\n');
      return {
        resolveDir: root,
        loader: 'js',
        contents: lazyModule(`The ${args.path} front-end, dist/crossrun-${args.path}.cjs, loaded on first use.`, exports, `__crossrunLoadIsa(${JSON.stringify(args.path)}, () => ({\n${requires}\n  }))`),
      };
    });
  },
};

/** In the CLI bundle, node:module (host-require.ts's createRequire) is the require that
 *  bin/crossrun.js passes in: loading node:module costs ~1 ms of start-up. */
const cjsModuleShim = {
  name: 'crossrun-cjs-module-shim',
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, () => ({ path: 'node:module', namespace: 'crossrun-module-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'crossrun-module-shim' }, () => ({
      loader: 'js',
      contents: '// bin/crossrun.js\'s require: it resolves from the package, as createRequire(import.meta.url) would.\nexports.createRequire = () => require;\n',
    }));
  },
};

// The CLI as a CommonJS function body. import.meta.url becomes a parameter (the URL of
// dist/crossrun.mjs, so relative URLs resolve alike), and so does the front-end loader.
const cjs = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/crossrun.cjs',
  format: 'cjs',
  define: { ...define, 'import.meta.url': '__crossrunImportMetaUrl' },
  plugins: [lazyFronts, cjsModuleShim],
}).catch(fail);
writeOutputs(cjs.outputFiles, CLI_PARAMS);

// Old code caches belong to the previous bundles.
for (const name of readdirSync(join(root, 'dist'))) {
  if (name.endsWith('.v8cache')) rmSync(join(root, 'dist', name), { force: true });
}

// Make the code caches now, each with a run of a small fixture (when the fixtures are here): a
// cache holds what the run that wrote it compiled, and if that were whatever ran first — a test's
// three-instruction program — every later hello would compile ~4 ms of code that is not in it.
// intmath prints like hello and gets hot loops, so the caches also hold the wasm tier's code,
// which every program that runs hot code would otherwise compile (riscv64 fib: ~8 ms; hello
// does not pay for the bigger cache, 677 KB against 569 KB).
// Best effort: without the fixtures (or if a run fails) the first real run writes the caches.
// (Their translation stores go to a scratch folder: building leaves nothing in ~/.cache.)
const scratch = mkdtempSync(join(tmpdir(), 'crossrun-build-'));
for (const isa of isas) {
  const program = join(root, 'fixtures', isa, 'intmath');
  if (!existsSync(program)) continue;
  spawnSync(process.execPath, [join(root, 'bin', 'crossrun.js'), program], { stdio: 'ignore', timeout: 30_000, env: { ...process.env, XDG_CACHE_HOME: scratch } });
}
rmSync(scratch, { recursive: true, force: true });
