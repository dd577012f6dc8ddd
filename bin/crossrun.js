#!/usr/bin/env node
// crossrun: run the bundled CLI (dist/crossrun.mjs), building it first if it is missing (a fresh
// clone before `npm run build`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/crossrun.mjs', import.meta.url);
if (!existsSync(bundle)) {
  try {
    await import('../scripts/build.mjs');
  } catch (e) {
    process.stderr.write(`crossrun: cannot build dist/crossrun.mjs (${e.message}); run npm install\n`);
    process.exit(1);
  }
}
const { main } = await import(bundle.href);
process.exit(await main(process.argv.slice(2)));
