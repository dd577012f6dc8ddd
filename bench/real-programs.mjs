// Real programs for `bench/run.mjs --arch aarch64`, beside the C kernels: Debian's arm64
// busybox-static (`busybox sha256sum`) and xz-utils (`xz`, dynamically linked, run with -L
// <sysroot>) over a deterministic text file. The binaries are not fetched here: they come from the
// caches that scripts/debian-arm64-check.mjs (apt-get download + dpkg -x into
// $CROSSRUN_CACHE/debian-arm64/arm64) and scripts/busybox-check.mjs ($CROSSRUN_CACHE/busybox/arm64)
// fill. When they are missing the entries are skipped with one line saying how to fetch them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Bump when the generator or the sizes change: the cached files are keyed by it. */
const DATA_VERSION = 1;
const TEXT_BYTES = 32 << 20; // busybox sha256sum reads it twice: ~1 s under qemu-aarch64
const XZ_C_BYTES = 1 << 20; // xz -6 on 1 MiB of text: ~1.5 s under qemu-aarch64
const XZ_D_BYTES = 8 << 20; // xz -d to 8 MiB: ~0.6 s under qemu-aarch64

/**
 * The real-program entries for aarch64: { name, prog, args, sysroot?, cwd }, or none (and one
 * note each) when their binaries are not cached. `names` limits them (--only); null means all.
 */
export function realPrograms(root, names, log) {
  const wanted = (n) => !names || names.includes(n);
  if (!['bb-sha256sum', 'xz-c', 'xz-d'].some(wanted)) return [];
  const cache = process.env.CROSSRUN_CACHE;
  const sysroot = cache ? path.join(cache, 'debian-arm64', 'arm64') : '/tmp/crossrun-arm64-sysroot/arm64';
  const bbCache = cache ? path.join(cache, 'busybox', 'arm64') : '/tmp/crossrun-busybox/arm64';
  const busybox = [path.join(sysroot, 'bin/busybox'), path.join(bbCache, 'bin/busybox')].find((f) => existsSync(f));
  const xz = path.join(sysroot, 'usr/bin/xz');
  const haveXz = existsSync(xz) && existsSync(path.join(sysroot, 'lib/ld-linux-aarch64.so.1'));

  const out = [];
  const dataDir = path.join(root, 'node_modules', '.cache', 'crossrun-bench', `data-v${DATA_VERSION}`);
  const data = () => ensureText(dataDir);
  if (wanted('bb-sha256sum')) {
    if (!busybox) log(`skipping bb-sha256sum: no arm64 busybox in ${sysroot}/bin or ${bbCache}/bin (as root: node scripts/debian-arm64-check.mjs --list fetches it)`);
    else {
      const text = data();
      out.push({ name: 'bb-sha256sum', prog: busybox, args: ['sha256sum', path.basename(text), path.basename(text)], cwd: dataDir });
    }
  }
  if (wanted('xz-c') || wanted('xz-d')) {
    if (!haveXz) log(`skipping xz-c, xz-d: no arm64 xz in ${sysroot} (as root: node scripts/debian-arm64-check.mjs --list fetches it)`);
    else {
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
  }
  return out;
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
