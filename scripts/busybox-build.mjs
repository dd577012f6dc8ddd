#!/usr/bin/env node
// Busybox built from source, for the riscv64 half of scripts/busybox-check.mjs: Debian bookworm has
// no riscv64 port, so there is no busybox-static:riscv64 to download. One source tree, one .config,
// two static builds: riscv64 (CROSS_COMPILE=riscv64-linux-gnu-), run under crossrun, and amd64 (the
// host's gcc), run natively as the oracle. The version is the one Debian ships for arm64, so both
// halves of the check run the same busybox.
//
//   node scripts/busybox-build.mjs [--rebuild]
//
// Needs: make, bzip2, gcc, gcc-riscv64-linux-gnu and libc6-dev-riscv64-cross (Debian packages).
// The orig tarball comes from deb.debian.org (sha256 checked) into
//   $CROSSRUN_CACHE/busybox/built/   (default /tmp/crossrun-busybox/built/)
// which ends up holding riscv64/busybox, amd64/busybox, busybox.config and stamp.json; the source
// and object files are removed after a build. Skipped while the stamp matches (--rebuild forces a
// build). Nothing built is committed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '1.35.0';
const TARBALL = `busybox_${VERSION}.orig.tar.bz2`;
const URL_ = `http://deb.debian.org/debian/pool/main/b/busybox/${TARBALL}`;
const SHA256 = 'faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694';

/** Changes to `make defconfig`. STATIC for -L without a sysroot; SH_STANDALONE and PREFER_APPLETS as
 *  in Debian's busybox-static, so ash runs applets through /proc/self/exe on both ISAs. */
const CONFIG = {
  CONFIG_STATIC: 'y',
  CONFIG_FEATURE_SH_STANDALONE: 'y',
  CONFIG_FEATURE_PREFER_APPLETS: 'y',
};

/** The two builds: folder name → make variables. */
const TARGETS = {
  riscv64: { CROSS_COMPILE: 'riscv64-linux-gnu-' },
  amd64: {},
};

export function busyboxBase() {
  return process.env.CROSSRUN_CACHE ? join(process.env.CROSSRUN_CACHE, 'busybox') : '/tmp/crossrun-busybox';
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-25).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${tail}`);
  }
  return r.stdout;
}

function needTools() {
  const missing = ['make', 'bzip2', 'gcc', 'riscv64-linux-gnu-gcc']
    .filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')}: apt-get install make bzip2 gcc gcc-riscv64-linux-gnu libc6-dev-riscv64-cross`);
  }
}

async function download(file) {
  if (!existsSync(file)) {
    const res = await fetch(URL_);
    if (!res.ok) throw new Error(`${URL_}: HTTP ${res.status}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  }
  const got = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (got !== SHA256) {
    rmSync(file, { force: true });
    throw new Error(`${TARBALL}: sha256 ${got}, want ${SHA256}`);
  }
}

/** Sets each CONFIG entry in a .config text, whether it was set, unset ("# … is not set") or absent. */
function applyConfig(text) {
  let out = text;
  for (const [key, value] of Object.entries(CONFIG)) {
    const line = new RegExp(`^(# ${key} is not set|${key}=.*)$`, 'm');
    out = line.test(out) ? out.replace(line, `${key}=${value}`) : `${out}${key}=${value}\n`;
  }
  return out;
}

/** Builds both busyboxes unless the cache already holds them; returns their paths. */
/** `offline`: fail instead of building (busybox-check's --no-setup). */
export async function buildBusybox({ rebuild = false, offline = false, log = console.log, again = '--rebuild' } = {}) {
  const dir = join(busyboxBase(), 'built');
  const paths = Object.fromEntries(Object.keys(TARGETS).map((t) => [t, join(dir, t, 'busybox')]));
  const stamp = join(dir, 'stamp.json');
  const want = JSON.stringify({ version: VERSION, sha256: SHA256, config: CONFIG, targets: TARGETS });
  const ready = existsSync(stamp) && readFileSync(stamp, 'utf8') === want && Object.values(paths).every((p) => existsSync(p));
  if (ready && !rebuild) {
    log(`using the busybox ${VERSION} builds in ${dir} (${again} builds again)`);
    return paths;
  }
  if (offline) throw new Error(`no busybox ${VERSION} builds in ${dir} and building is not allowed`);
  needTools();
  const t0 = Date.now();
  rmSync(stamp, { force: true });
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, TARBALL);
  await download(tarball);
  const work = join(dir, 'tmp');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  run('tar', ['xjf', tarball, '-C', work]);
  const src = join(work, `busybox-${VERSION}`);
  // The configuration is made once, in the source tree, and copied to each build folder (O=).
  run('make', ['-C', src, 'defconfig']);
  writeFileSync(join(src, '.config'), applyConfig(readFileSync(join(src, '.config'), 'utf8')));
  run('sh', ['-c', 'yes "" | make oldconfig'], { cwd: src });
  const config = readFileSync(join(src, '.config'), 'utf8');
  for (const [key, value] of Object.entries(CONFIG)) {
    if (!config.includes(`\n${key}=${value}\n`)) throw new Error(`${key}=${value} did not survive make oldconfig`);
  }
  writeFileSync(join(dir, 'busybox.config'), config);
  // Out-of-tree builds need a clean source tree; the configured one is kept as busybox.config.
  run('make', ['-C', src, 'mrproper']);
  for (const [target, vars] of Object.entries(TARGETS)) {
    const t1 = Date.now();
    const out = join(work, `build-${target}`);
    mkdirSync(out, { recursive: true });
    copyFileSync(join(dir, 'busybox.config'), join(out, '.config'));
    const varArgs = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    run('sh', ['-c', `yes "" | make -C "${src}" O="${out}" ${varArgs.join(' ')} oldconfig`]);
    run('make', ['-C', out, '-j2', ...varArgs]);
    mkdirSync(join(dir, target), { recursive: true });
    copyFileSync(join(out, 'busybox'), paths[target]);
    log(`built busybox ${VERSION} for ${target} in ${((Date.now() - t1) / 1000).toFixed(0)}s`);
  }
  rmSync(work, { recursive: true, force: true });
  writeFileSync(stamp, want);
  log(`busybox ${VERSION} builds ready in ${dir} after ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return paths;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildBusybox({ rebuild: process.argv.includes('--rebuild') }).then(
    (paths) => { for (const [t, p] of Object.entries(paths)) console.log(`${t}: ${p}`); },
    (e) => { console.error(`busybox-build: ${e.message}`); process.exit(2); },
  );
}
