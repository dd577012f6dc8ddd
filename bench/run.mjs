#!/usr/bin/env node
// The benchmark: CPU-bound riscv64 programs (fixtures/src/bench/*.c, built static into
// fixtures/riscv64/bench/ by fixtures/build.sh) run under crossrun (the built bundle, through
// bin/crossrun.js) and, when installed, under qemu-riscv64, interleaved, several times each.
// Prints the median wall time of each, the ratio crossrun/qemu, crossrun's peak RSS, and the
// geometric mean of the ratios; checks that both produced the same output.
//
//   node bench/run.mjs [--runs 3] [--only sieve,fib] [--timeout 300] [--reps N] [--no-qemu] [--json out.json]
//                      [--jit wasm|interp] [--arch riscv64|aarch64] [--no-fetch] [--no-startup]
//
//   --runs N      runs of each program under each emulator (median reported)
//   --only a,b    just these programs
//   --timeout S   seconds one run may take; a slower one is killed and reported as "timeout"
//   --reps N      passed to every program as argv[1]: its repeat count (default: sized for ~1 s under qemu)
//   --no-qemu     crossrun only
//   --json FILE   also write the results as JSON
//   --jit MODE    crossrun's tiers (CROSSRUN_JIT): wasm (its default) or interp (tier 0 only)
//   --arch ISA    riscv64 (default), or aarch64: the same sources built with aarch64-linux-gnu-gcc
//                 (-O2 -static, cached under node_modules/.cache/crossrun-bench) against qemu-aarch64,
//                 plus real Debian arm64 programs with a lot of code (bench/real-programs.mjs), each
//                 ~1 s under qemu: busybox sha256sum (bb-sha256sum), xz -6 -c (xz-c) and xz -d -c
//                 (xz-d) over generated text, sqlite3 on a generated SQL script (sqlite3), lua5.4 on
//                 bench/lua/bench.lua (lua). Missing ones are fetched with apt-get into the
//                 debian-arm64 sysroot when run as root, else skipped with a line saying how to get them
//   --no-fetch    never fetch the real programs: skip the missing ones
//   --no-startup  skip the start-up lines at the end (scripts/startup-bench.mjs: hello world
//                 against `node -e 0` and qemu, 7 interleaved runs)
// `npm run bench` builds the bundle first. Exit status 1 if a program's outputs differ or crossrun fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_NAMES, realPrograms } from './real-programs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const crossrunBin = path.join(root, 'bin', 'crossrun.js');
const rssWrapper = path.join(root, 'bench', 'rss-wrapper.mjs');

const COLS = [['program', 13], ['crossrun s', 11], ['qemu s', 9], ['ratio', 8], ['RSS MiB', 8], ['output', 10]];
let headerDone = false;

const opts = parseArgs(process.argv.slice(2));
const QEMU = `qemu-${opts.arch}`;
const benchDir = opts.arch === 'riscv64' ? path.join(root, 'fixtures', 'riscv64', 'bench') : buildBench(opts.arch);
const scratch = mkdtempSync(path.join(tmpdir(), 'crossrun-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const haveQemu = opts.qemu && spawnSync(QEMU, ['-version']).status === 0;
const haveTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

// Each entry: { name, prog, args, sysroot? (crossrun/qemu -L), cwd? }. --reps reaches the C kernels only.
const skipped = [];
const programs = [
  ...readdirSync(benchDir)
    .filter((f) => statSync(path.join(benchDir, f)).isFile())
    .filter((f) => !opts.only || opts.only.includes(f))
    .sort()
    .map((name) => ({ name, prog: path.join(benchDir, name), args: opts.reps ? [String(opts.reps)] : [] })),
  ...(opts.arch === 'aarch64' ? realPrograms(root, opts.only, (msg) => skipped.push(msg), { fetch: opts.fetch }) : []),
];
if (opts.only) {
  for (const name of opts.only) {
    const known = programs.some((p) => p.name === name) || (opts.arch === 'aarch64' && REAL_NAMES.includes(name));
    if (!known) die(`no benchmark named ${name} in ${benchDir}`);
  }
}
if (programs.length === 0 && skipped.length) {
  // only real programs were asked for and they are not cached: nothing to time, not a failure
  for (const msg of skipped) console.log(msg);
  process.exit(0);
}
if (programs.length === 0) die(`no benchmarks in ${benchDir} (run fixtures/build.sh)`);

console.log(`crossrun bench: ${programs.length} ${opts.arch} program(s), ${opts.runs} run(s) each, timeout ${opts.timeout} s` +
  `${opts.reps ? `, reps ${opts.reps}` : ''}${opts.jit ? `, --jit ${opts.jit}` : ''}`);
console.log(`host: ${cpus()[0]?.model ?? '?'} x${cpus().length}, node ${process.version}` +
  (haveQemu ? `, ${spawnSync(QEMU, ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0]}` : `, no ${QEMU}`));
console.log(`peak RSS via ${haveTime ? '/usr/bin/time -f %M' : 'process.resourceUsage() in a wrapper'}`);
for (const msg of skipped) console.log(msg);
console.log('');

const results = [];
for (const { name, prog, args, sysroot, cwd } of programs) {
  const lib = sysroot ? ['-L', sysroot] : [];
  const r = { name, crossrun: [], qemu: [], rssKiB: [], timeout: false, error: null, mismatch: null, crossrunOut: null, qemuOut: null };
  for (let i = 0; i < opts.runs; i++) {
    // Interleaved: crossrun then qemu, so load changes on the machine hit both alike.
    if (!r.timeout && !r.error) {
      const c = await runCrossrun([...lib, prog, ...args], cwd);
      if (c.timedOut) r.timeout = true;
      else if (c.code !== 0) r.error = `exit ${c.code}${c.signal ? ` (${c.signal})` : ''}: ${c.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      else {
        r.crossrun.push(c.seconds);
        if (c.rssKiB !== null) r.rssKiB.push(c.rssKiB);
        r.crossrunOut ??= c.stdout;
      }
    }
    if (haveQemu) {
      const q = await runTimed([QEMU, ...lib, prog, ...args], opts.timeout, process.env, cwd);
      if (!q.timedOut && q.code === 0) {
        r.qemu.push(q.seconds);
        r.qemuOut ??= q.stdout;
      }
    }
  }
  if (r.crossrunOut !== null && r.qemuOut !== null && r.crossrunOut !== r.qemuOut) r.mismatch = firstDifference(r.qemuOut, r.crossrunOut);
  results.push(r);
  printRow(r);
}

printSummary(results);
if (opts.startup) {
  console.log('');
  const s = spawnSync(process.execPath, [path.join(root, 'scripts', 'startup-bench.mjs'), '--runs', '7', '--arch', opts.arch], { encoding: 'utf8' });
  process.stdout.write(s.status === 0 ? s.stdout : `start-up bench failed: ${s.stderr}`);
}
if (opts.json) {
  writeFileSync(opts.json, JSON.stringify(results.map(({ crossrunOut, qemuOut, ...rest }) => ({
    ...rest, crossrunMedian: median(rest.crossrun), qemuMedian: median(rest.qemu),
  })), null, 2) + '\n');
}
process.exit(results.some((r) => r.mismatch || r.error) ? 1 : 0);

// ---------------------------------------------------------------------------------------------

async function runCrossrun(argv, cwd) {
  const rssFile = path.join(scratch, `rss-${process.pid}-${Date.now()}`);
  const cmd = haveTime
    ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, process.execPath, crossrunBin, ...argv]
    : [process.execPath, rssWrapper, rssFile, crossrunBin, ...argv];
  const r = await runTimed(cmd, opts.timeout, opts.jit ? { ...process.env, CROSSRUN_JIT: opts.jit } : process.env, cwd);
  let rssKiB = null;
  try {
    // /usr/bin/time writes a "Command exited with non-zero status" line first when it fails.
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
    const v = Number(lines[lines.length - 1]);
    if (Number.isFinite(v) && v > 0) rssKiB = v;
  } catch {
    // killed by timeout or by a signal: no RSS recorded
  }
  return { ...r, rssKiB };
}

/** Runs a command with stdin closed, capturing output; kills its whole process group on timeout.
 *  Binary or large output (xz's) comes back as its length and digest, which is what gets compared. */
function runTimed(cmd, timeoutSec, env = process.env, cwd = undefined) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env, cwd });
    const out = [], err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutSec * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, signal: null, stdout: '', stderr: String(e.message), seconds: 0, timedOut: false });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ code, signal, stdout: outputText(Buffer.concat(out)), stderr: Buffer.concat(err).toString('utf8'), seconds, timedOut });
    });
  });
}

function outputText(buf) {
  if (buf.length <= 1 << 20 && isUtf8(buf)) return buf.toString('utf8');
  return `${buf.length} bytes, sha256 ${createHash('sha256').update(buf).digest('hex')}\n`;
}

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function printRow(r) {
  if (!headerDone) {
    console.log(COLS.map(([h, w]) => h.padEnd(w)).join(' '));
    console.log(COLS.map(([, w]) => '-'.repeat(w)).join(' '));
    headerDone = true;
  }
  const c = median(r.crossrun), q = median(r.qemu);
  const cs = r.timeout ? 'timeout' : r.error ? 'error' : c === null ? '-' : c.toFixed(3);
  const qs = q === null ? '-' : q.toFixed(3);
  const ratio = c !== null && q !== null && !r.timeout && !r.error ? (c / q).toFixed(2) : '-';
  const rss = r.rssKiB.length ? (Math.max(...r.rssKiB) / 1024).toFixed(1) : '-';
  const output = r.mismatch ? 'MISMATCH' : r.crossrunOut !== null && r.qemuOut !== null ? 'same' : '-';
  console.log([r.name, cs, qs, ratio, rss, output].map((v, i) => String(v).padEnd(COLS[i][1])).join(' '));
}

function printSummary(rs) {
  const ratios = rs
    .filter((r) => !r.timeout && !r.error && median(r.crossrun) !== null && median(r.qemu) !== null)
    .map((r) => median(r.crossrun) / median(r.qemu));
  console.log('');
  if (ratios.length) {
    const geo = Math.exp(ratios.reduce((s, x) => s + Math.log(x), 0) / ratios.length);
    console.log(`geometric mean of crossrun/qemu over ${ratios.length} program(s): ${geo.toFixed(2)}`);
  } else console.log('geometric mean: - (no program has both a crossrun and a qemu time)');
  const timeouts = rs.filter((r) => r.timeout).map((r) => r.name);
  if (timeouts.length) console.log(`timed out under crossrun (> ${opts.timeout} s): ${timeouts.join(', ')}`);
  for (const r of rs) if (r.error) console.log(`crossrun failed on ${r.name}: ${r.error}`);
  for (const r of rs) if (r.mismatch) console.log(`output of ${r.name} differs from qemu's: ${r.mismatch}`);
}

function firstDifference(expected, actual) {
  const a = expected.split('\n'), b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return `line ${i + 1}: qemu ${JSON.stringify(a[i] ?? null)}, crossrun ${JSON.stringify(b[i] ?? null)}`;
  return 'differs';
}

function parseArgs(argv) {
  const o = { runs: 3, only: null, timeout: 300, reps: null, qemu: true, json: null, jit: null, arch: 'riscv64', startup: true, fetch: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) die(`${a} needs a value`);
      return v;
    };
    const int = (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) die(`${a}: expected a positive integer, got ${v}`);
      return n;
    };
    if (a === '--runs') o.runs = int(val());
    else if (a === '--only') o.only = val().split(',').filter(Boolean);
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--reps') o.reps = int(val());
    else if (a === '--no-qemu') o.qemu = false;
    else if (a === '--json') o.json = val();
    else if (a === '--jit') o.jit = val();
    else if (a === '--arch') o.arch = val();
    else if (a === '--no-startup') o.startup = false;
    else if (a === '--no-fetch') o.fetch = false;
    else if (a === '--help' || a === '-h') {
      // the header comment: the lines after the #! line up to the first that is not a comment
      const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
      console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else die(`unknown option ${a} (try --help)`);
  }
  if (!(o.timeout > 0)) die('--timeout: expected a positive number of seconds');
  if (o.jit !== null && !['wasm', 'interp', 'off'].includes(o.jit)) die(`--jit: wasm, interp or off, not ${o.jit}`);
  if (!['riscv64', 'aarch64'].includes(o.arch)) die(`--arch: riscv64 or aarch64, not ${o.arch}`);
  return o;
}

/** The benchmark sources built for another ISA (static, like fixtures/build.sh does for riscv64),
 *  once per source change, into a cache directory; returns that directory. */
function buildBench(arch) {
  const cc = `${arch}-linux-gnu-gcc`;
  if (spawnSync(cc, ['--version']).status !== 0) die(`${cc} is not installed (needed for --arch ${arch})`);
  const srcDir = path.join(root, 'fixtures', 'src', 'bench');
  const out = path.join(root, 'node_modules', '.cache', 'crossrun-bench', arch);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(srcDir).filter((x) => x.endsWith('.c'))) {
    const src = path.join(srcDir, f);
    const bin = path.join(out, f.slice(0, -2));
    const newest = Math.max(statSync(src).mtimeMs, statSync(path.join(srcDir, 'bench.h')).mtimeMs);
    if (existsSync(bin) && statSync(bin).mtimeMs >= newest) continue;
    const r = spawnSync(cc, ['-O2', '-s', '-static', '-std=gnu11', '-fno-ident', src, '-o', bin, '-lm'], { encoding: 'utf8' });
    if (r.status !== 0) die(`${cc} failed on ${f}:\n${r.stderr}`);
  }
  return out;
}

function die(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}
