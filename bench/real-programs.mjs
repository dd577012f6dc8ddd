// Real programs for `bench/run.mjs --arch aarch64`, beside the C kernels: Debian arm64 programs
// with a lot of code, where translation has to pay for itself. Each runs under crossrun and
// qemu-aarch64 with the same arguments and must print the same output.
//   bb-sha256sum  busybox-static's `busybox sha256sum` twice over 32 MiB of generated text
//   xz-c, xz-d    xz-utils' xz -6 -c on 1 MiB of that text, xz -d -c back to 8 MiB
//   sqlite3       sqlite3 on an in-memory database running bench/sqlite-workload.mjs's script
//                 (inserts in a transaction, indexes, joins, GROUP BY, windows, recursive CTEs)
//   lua           lua5.4 running bench/lua/bench.lua (floats, closures, strings, tables, coroutines)
// All but busybox are dynamically linked and run with -L <sysroot>. The sysroot is the one
// scripts/debian-arm64-check.mjs fills ($CROSSRUN_CACHE/debian-arm64/arm64, default
// /tmp/crossrun-arm64-sysroot/arm64); busybox may also come from scripts/busybox-check.mjs's cache.
// When a wanted program is missing and this runs as root with apt-get, its packages and their
// libraries are fetched into that sysroot (apt-get download + dpkg -x, nothing installed); otherwise,
// or with --no-fetch, the entry is skipped with one line saying how to fetch it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fetchArm64Programs } from '../scripts/lib/debian-checks.mjs';
import { SQL_VERSION, sqliteScript } from './sqlite-workload.mjs';

/** Bump when the generator or the sizes change: the cached files are keyed by it. */
const DATA_VERSION = 1;
const TEXT_BYTES = 32 << 20; // busybox sha256sum reads it twice: ~1 s under qemu-aarch64
const XZ_C_BYTES = 1 << 20; // xz -6 on 1 MiB of text: ~1.5 s under qemu-aarch64
const XZ_D_BYTES = 8 << 20; // xz -d to 8 MiB: ~0.6 s under qemu-aarch64

/** The entries' names, for --only. */
export const REAL_NAMES = ['bb-sha256sum', 'xz-c', 'xz-d', 'sqlite3', 'lua'];

/** Per program: the entries it serves, the Debian package that ships it, where it lands in the
 *  sysroot (busybox may instead be in busybox-check's cache). */
const PROGRAMS = [
  { names: ['bb-sha256sum'], pkg: 'busybox-static', file: 'bin/busybox' },
  { names: ['xz-c', 'xz-d'], pkg: 'xz-utils', file: 'usr/bin/xz' },
  { names: ['sqlite3'], pkg: 'sqlite3', file: 'usr/bin/sqlite3' },
  { names: ['lua'], pkg: 'lua5.4', file: 'usr/bin/lua5.4' },
];

/**
 * The real-program entries for aarch64: { name, prog, args, sysroot?, cwd }, or none (and one
 * note each) when their binaries are missing and cannot be fetched. `names` limits them (--only);
 * null means all. `fetch`: whether missing programs may be fetched with apt (as root).
 */
export function realPrograms(root, names, log, { fetch = true } = {}) {
  const wanted = (n) => !names || names.includes(n);
  if (!REAL_NAMES.some(wanted)) return [];
  const cache = process.env.CROSSRUN_CACHE;
  const sysroot = cache ? path.join(cache, 'debian-arm64', 'arm64') : '/tmp/crossrun-arm64-sysroot/arm64';
  const bbCache = cache ? path.join(cache, 'busybox', 'arm64') : '/tmp/crossrun-busybox/arm64';
  const ldso = path.join(sysroot, 'lib/ld-linux-aarch64.so.1');
  const find = (p) => {
    if (p.pkg === 'busybox-static') return [path.join(sysroot, p.file), path.join(bbCache, p.file)].find((f) => existsSync(f));
    const f = path.join(sysroot, p.file);
    return existsSync(f) && existsSync(ldso) ? f : undefined;
  };
  const needed = PROGRAMS.filter((p) => p.names.some(wanted));
  const missing = needed.filter((p) => !find(p));
  const canFetch = fetch && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (missing.length && canFetch) {
    const pkgs = missing.map((p) => p.pkg);
    // said at once, not with the notes: apt-get update and the downloads take a while
    console.log(`fetching Debian arm64 ${pkgs.join(', ')} and their libraries into ${sysroot} (apt-get download; --no-fetch skips)`);
    try {
      fetchArm64Programs(pkgs, sysroot);
    } catch (e) {
      log(`fetching failed: ${String(e.message).split('\n').slice(0, 3).join(' | ')}`);
    }
  }
  const how = canFetch ? 'node scripts/debian-arm64-check.mjs --list fetches it'
    : fetch ? 'as root with apt-get, this bench or node scripts/debian-arm64-check.mjs --list fetches it'
      : 'run without --no-fetch as root, or node scripts/debian-arm64-check.mjs --list';
  const bin = {};
  for (const p of needed) {
    bin[p.pkg] = find(p);
    if (!bin[p.pkg]) log(`skipping ${p.names.filter(wanted).join(', ')}: no arm64 ${p.file} (${p.pkg}) in ${sysroot}${p.pkg === 'busybox-static' ? ` or ${bbCache}` : ''} (${how})`);
  }

  const out = [];
  const dataDir = path.join(root, 'node_modules', '.cache', 'crossrun-bench', `data-v${DATA_VERSION}`);
  const data = () => ensureText(dataDir);
  const busybox = bin['busybox-static'];
  if (wanted('bb-sha256sum') && busybox) {
    const text = data();
    out.push({ name: 'bb-sha256sum', prog: busybox, args: ['sha256sum', path.basename(text), path.basename(text)], cwd: dataDir });
  }
  const xz = bin['xz-utils'];
  if (xz) {
    const text = data();
    if (wanted('xz-c')) {
      const part = prefixFile(text, XZ_C_BYTES, dataDir);
      out.push({ name: 'xz-c', prog: xz, args: ['-6', '-c', path.basename(part)], sysroot, cwd: dataDir });
    }
    if (wanted('xz-d')) {
      const packed = compressedFile(text, XZ_D_BYTES, dataDir, xz, sysroot);
      if (packed) out.push({ name: 'xz-d', prog: xz, args: ['-d', '-c', path.basename(packed)], sysroot, cwd: dataDir });
      else log('skipping xz-d: neither the host\'s xz nor qemu-aarch64 could make its input');
    }
  }
  if (bin.sqlite3) {
    const sql = ensureFile(path.join(dataDir, `sqlite-v${SQL_VERSION}.sql`), () => sqliteScript());
    // -batch: no prompts or line editing; stdin is /dev/null, the script comes from .read
    out.push({ name: 'sqlite3', prog: bin.sqlite3, args: ['-batch', ':memory:', `.read ${path.basename(sql)}`], sysroot, cwd: dataDir });
  }
  if (bin['lua5.4']) {
    out.push({ name: 'lua', prog: bin['lua5.4'], args: ['bench.lua'], sysroot, cwd: path.join(root, 'bench', 'lua') });
  }
  return out;
}

/** A generated file, written (atomically) when missing or different. */
function ensureFile(file, make) {
  const text = make();
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file + '.tmp', text);
  renameSync(file + '.tmp', file);
  return file;
}

/** TEXT_BYTES of prose-like text from a seeded generator: words built from syllables, drawn with
 *  a skew towards a common few (as in real text), lines of varying length, some numbers. It
 *  compresses about 4:1 under xz -6, like source code or logs. Made once; cached. */
function ensureText(dir) {
  const file = path.join(dir, 'text.txt');
  if (existsSync(file) && statSync(file).size === TEXT_BYTES) return file;
  mkdirSync(dir, { recursive: true });
  let s = 12345;
  // an LCG's low bits cycle quickly: use the high ones
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8;
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ra', 'tu', 'se', 'vo', 'gin', 'dar', 'pel', 'qu', 'the', 'and', 'ing', 'ion', 'st', 'er'];
  const vocab = [];
  for (let i = 0; i < 4000; i++) {
    let w = '';
    for (let j = 1 + (rnd() % 4); j > 0; j--) w += syllables[rnd() % syllables.length];
    vocab.push(w);
  }
  const buf = Buffer.alloc(TEXT_BYTES);
  let at = 0;
  while (at < TEXT_BYTES) {
    const words = [];
    for (let n = 3 + (rnd() % 12); n > 0; n--) words.push(vocab[Math.min(rnd() % 4000, rnd() % 4000)]);
    if (rnd() % 5 === 0) words.push(String(rnd() % 100000));
    at += buf.write(words.join(' ') + '\n', at, 'latin1');
  }
  writeFileSync(file + '.tmp', buf);
  renameSync(file + '.tmp', file);
  return file;
}

function prefixFile(text, bytes, dir) {
  const file = path.join(dir, `text-${bytes >> 20}m.txt`);
  if (!existsSync(file) || statSync(file).size !== bytes) writeFileSync(file, readFileSync(text).subarray(0, bytes));
  return file;
}

/** The first `bytes` of the text, xz -6 compressed, made once by the host's xz (or, without it,
 *  by the arm64 xz under qemu-aarch64); null when neither runs. */
function compressedFile(text, bytes, dir, armXz, sysroot) {
  const file = path.join(dir, `text-${bytes >> 20}m.txt.xz`);
  const src = prefixFile(text, bytes, dir);
  const stamp = `${file}.sha256`;
  const want = createHash('sha256').update(readFileSync(src)).digest('hex');
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return file;
  for (const [cmd, args] of [['xz', ['-6', '-c', src]], ['qemu-aarch64', ['-L', sysroot, armXz, '-6', '-c', src]]]) {
    const r = spawnSync(cmd, args, { maxBuffer: 1 << 30 });
    if (r.status === 0 && r.stdout.length > 0) {
      writeFileSync(file, r.stdout);
      writeFileSync(stamp, want);
      return file;
    }
  }
  return null;
}
