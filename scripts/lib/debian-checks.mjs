// What the checks against Debian programs share (scripts/debian-arm64-check.mjs,
// scripts/busybox-check.mjs, scripts/busybox-build.mjs) and the bench's real programs
// (bench/real-programs.mjs): running a setup command, fetching Debian packages of a foreign
// architecture into a folder, naming work folders, reporting a difference.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Run a command to completion; its stdout, or an error with its stderr. */
export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout;
}

/** dpkg --add-architecture arm64 (once) and apt-get update: as root. */
export function enableArm64() {
  if (!sh('dpkg', ['--print-foreign-architectures']).split('\n').includes('arm64')) sh('dpkg', ['--add-architecture', 'arm64']);
  sh('apt-get', ['update', '-q']);
}

/** apt-get download the packages (names without :arch) for `arch` into `debs`, and dpkg -x each
 *  into `dest`. */
export function fetchDebs(pkgs, arch, debs, dest) {
  mkdirSync(debs, { recursive: true });
  mkdirSync(dest, { recursive: true });
  // apt's sandbox user cannot write here; the download then runs as root, which is fine.
  sh('apt-get', ['download', '-q', ...pkgs.map((p) => `${p}:${arch}`)], { cwd: debs });
  for (const f of readdirSync(debs)) sh('dpkg', ['-x', join(debs, f), dest]);
}

/** The packages named plus the library packages (lib*, zlib*) in their Depends/Pre-Depends
 *  closure, for `arch`: what a program needs beside itself to run from a -L sysroot. */
export function withLibraries(pkgs, arch) {
  const out = sh('apt-cache', ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts',
    '--no-breaks', '--no-replaces', '--no-enhances', ...pkgs.map((p) => `${p}:${arch}`)]);
  const native = sh('dpkg', ['--print-architecture']).trim();
  const found = new Set();
  for (const line of out.split('\n')) {
    // the closure's packages are the unindented lines; "<virtual>" ones have no files
    if (line === '' || line.startsWith(' ') || line.startsWith('<')) continue;
    const [name, a = native] = line.split(':');
    if (a === arch && (pkgs.includes(name) || /^(lib|zlib)/.test(name))) found.add(name);
  }
  return [...found].sort();
}

/** Fetch arm64 programs and their libraries into a sysroot, as root: enableArm64, then the
 *  packages of withLibraries downloaded into a scratch folder beside `dest` and dpkg -x'd into
 *  `dest`. Returns the package names. */
export function fetchArm64Programs(pkgs, dest) {
  enableArm64();
  const all = withLibraries(pkgs, 'arm64');
  const debs = `${dest}.debs-${process.pid}`;
  try {
    fetchDebs(all, 'arm64', debs, dest);
  } finally {
    rmSync(debs, { recursive: true, force: true });
  }
  return all;
}

/** A name as a folder name. */
export const slug = (s) => s.replace(/[^A-Za-z0-9.]+/g, '-');

/** Where two transcripts first differ, as "line N: got …, want …" ('' when equal). */
export function firstDifference(got, want) {
  const lg = got.split('\n');
  const lw = want.split('\n');
  for (let i = 0; i < Math.max(lg.length, lw.length); i++) {
    if (lg[i] !== lw[i]) return `line ${i + 1}: got ${JSON.stringify((lg[i] ?? '<end>').slice(0, 70))}, want ${JSON.stringify((lw[i] ?? '<end>').slice(0, 70))}`;
  }
  return '';
}
