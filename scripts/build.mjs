// Bundle the CLI and everything it reaches into dist/crossrun.mjs (one file: fast start-up, no
// module resolution at run time). Run by `npm run build`, by `npm install` (prepare), and by
// bin/crossrun.js when the bundle is missing.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/crossrun.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: 'linked',
  // CommonJS dependencies (elfy) call require() for Node built-ins; an ES module has none.
  banner: { js: "import { createRequire as __crossrunRequire } from 'node:module';\nconst require = __crossrunRequire(import.meta.url);" },
  write: false,
  logLevel: 'warning',
}).catch(() => process.exit(1)); // esbuild has printed the errors

// Write via rename so that a crossrun starting meanwhile never sees half a bundle.
for (const out of result.outputFiles) {
  mkdirSync(dirname(out.path), { recursive: true });
  const tmp = `${out.path}.${process.pid}.tmp`;
  writeFileSync(tmp, out.contents);
  renameSync(tmp, out.path);
}

// The same CLI as a CommonJS function body, dist/crossrun.cjs, which bin/crossrun.js compiles with
// vm.Script so that V8's code cache can be used (Node 20 has no code cache for ES modules):
// start-up then skips parsing and compiling the functions a run needs. import.meta.url becomes a
// parameter (the URL of dist/crossrun.mjs, so relative URLs resolve alike). Old code caches are
// removed: they belong to the previous bundle.
const cjs = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/crossrun.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: false,
  sourcemap: 'linked',
  define: { 'import.meta.url': '__crossrunImportMetaUrl' },
  write: false,
  logLevel: 'warning',
}).catch(() => process.exit(1));
for (const out of cjs.outputFiles) {
  const tmp = `${out.path}.${process.pid}.tmp`;
  writeFileSync(tmp, out.contents);
  renameSync(tmp, out.path);
}
rmSync(new URL('../dist/crossrun.cjs.v8cache', import.meta.url), { force: true });
