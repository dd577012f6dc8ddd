#!/usr/bin/env node
// Differential random-instruction test of crossrun against qemu-user, for RV64GC (default) and
// AArch64 (--isa aarch64); see tests/difftest/.
// Node 20 cannot run TypeScript, so this bundles the tester with esbuild first. The crossrun
// engine is bundled separately: modes that need only qemu or objdump work even when it does not
// build. Run with --help for the options.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'node_modules', '.cache', 'crossrun-difftest');

async function bundle(name, entry) {
  await build({
    entryPoints: { [name]: join(root, entry) },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    // As in scripts/build.mjs: bundled CommonJS dependencies (yargs-parser) call require().
    banner: { js: "import { createRequire as __difftestRequire } from 'node:module';\nconst require = __difftestRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return pathToFileURL(join(outdir, `${name}.js`)).href;
}

const { main } = await import(await bundle('cli', 'tests/difftest/cli.ts'));
const deps = {
  log: (line) => console.log(line),
  async buildCrossrunWorker() {
    try {
      return new URL(await bundle('crossrun-worker', 'tests/difftest/crossrun-worker.ts'));
    } catch (e) {
      throw new Error(`difftest: cannot build the crossrun engine:\n${e.message}`);
    }
  },
};

try {
  process.exitCode = await main(process.argv.slice(2), deps);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
