#!/usr/bin/env node
// Start-up benchmark: a static hello world under crossrun against `node -e 0` (the floor any
// Node program pays) and qemu-user, run interleaved N times; prints the median wall time, CPU
// time (user+sys) and peak RSS of each, and crossrun's ratios to node. The target is
// crossrun hello ≤ 1.5 × `node -e 0` (wall). On a shared machine compare the CPU column too.
//
//   node scripts/startup-bench.mjs [--runs 21] [--arch riscv64,aarch64] [--json out.json] [--baseline DIR] [--env-as-is]
//
//   --baseline DIR  also run DIR/bin/crossrun.js (another checkout, built) for before/after figures
//   --env-as-is     run every command with this environment unchanged (see below)
//
// Every command runs without NODE_EXTRA_CA_CERTS and NODE_OPTIONS unless --env-as-is: with
// NODE_EXTRA_CA_CERTS set, Node parses that certificate file at every start, before any script
// runs (a Debian bundle: ~400 M instructions, more than the rest of `node -e 0`), which inflates
// the `node -e 0` baseline and hides crossrun's own share of a start; NODE_OPTIONS could add
// anything.
//
// Uses the built bundle (npm run build). Each sample is two runs: wall time from the command run
// alone, then peak RSS from /usr/bin/time when installed and CPU time from `perf stat -e
// task-clock` when perf works (ms resolution), else from /usr/bin/time (10 ms resolution). The
// `crossrun -version` row is the CLI bundle's load alone.
//
// crossrun keeps a program's translated blocks between runs (src/engine/translation-store.ts):
// the `crossrun <arch>` rows are repeated runs (all but the first take their blocks from the
// store), the `… first run` rows start each run with an empty store, as the first run of a
// program does. Both use a scratch store folder, not ~/.cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', '21'));
const arches = opt('--arch', 'riscv64,aarch64').split(',');
const jsonOut = opt('--json', undefined);
const baseline = opt('--baseline', undefined);
const env = { ...process.env };
if (!args.includes('--env-as-is')) {
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
}

const haveTime = spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status === 0;
const havePerf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true']).status === 0;
const scratch = mkdtempSync(path.join(tmpdir(), 'crossrun-startup-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const node = process.execPath;
const cases = [{ name: 'node -e 0', cmd: [node, '-e', '0'] }];
const bins = [['crossrun', path.join(root, 'bin', 'crossrun.js')]];
if (baseline) bins.push(['baseline', path.join(path.resolve(baseline), 'bin', 'crossrun.js')]);
// Loading the CLI bundle without running a program: the rest of a run's time is the run.
for (const [name, bin] of bins) cases.push({ name: `${name} -version`, cmd: [node, bin, '-version'] });
for (const arch of arches) {
  const hello = path.join(root, 'fixtures', arch, 'hello');
  if (!existsSync(hello)) continue;
  for (const [name, bin] of bins) {
    cases.push({ name: `${name} ${arch}`, cmd: [node, bin, hello] });
    cases.push({ name: `… first run`, cmd: [node, bin, hello], fresh: true });
  }
  const qemu = `qemu-${arch}`;
  if (spawnSync(qemu, ['-version']).status === 0) cases.push({ name: `qemu ${arch}`, cmd: [qemu, hello] });
}

/** One run: wall seconds (measured here, of the command alone), CPU seconds (perf or
 *  /usr/bin/time) and peak RSS KiB (/usr/bin/time), those two from a second run under them. Wall
 *  time is not taken under them: they add ~14 ms to every run (`node -e 0` took 37 ms under
 *  them and 23 ms alone), which would understate every ratio to node. */
function once(cmd, fresh = false) {
  // Repeated runs share one store folder; a first run gets an empty one (both runs of it).
  const cache = path.join(scratch, fresh ? 'fresh-store' : 'store');
  const empty = () => fresh && rmSync(cache, { recursive: true, force: true });
  const spawn = (argv) => {
    const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, XDG_CACHE_HOME: cache } });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  };
  empty();
  const t0 = process.hrtime.bigint();
  spawn(cmd);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!haveTime && !havePerf) return { wall, cpu: null, rss: null };
  const out = path.join(scratch, 'time');
  const perfOut = path.join(scratch, 'perf');
  let full = haveTime ? ['/usr/bin/time', '-f', '%U %S %M', '-o', out, ...cmd] : cmd;
  if (havePerf) full = ['perf', 'stat', '-x,', '-e', 'task-clock', '-o', perfOut, '--', ...full];
  empty();
  spawn(full);
  let cpu = null, rss = null;
  if (haveTime) {
    const [u, s, m] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = u + s;
    rss = m;
  }
  if (havePerf) {
    const line = readFileSync(perfOut, 'utf8').split('\n').find((l) => l.includes('task-clock'));
    if (line) cpu = Number(line.split(',')[0]) / 1000; // msec
  }
  return { wall, cpu, rss };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const samples = cases.map(() => []);
once(cases[0].cmd); // warm the page cache
for (let i = 0; i < runs; i++) cases.forEach((c, k) => samples[k].push(once(c.cmd, c.fresh)));

const res = cases.map((c, k) => ({
  name: c.name,
  wall: median(samples[k].map((s) => s.wall)),
  cpu: median(samples[k].map((s) => s.cpu)),
  rssMiB: median(samples[k].map((s) => s.rss)) / 1024,
}));
const base = res[0];
const f = (x, d = 3) => (x === null ? '-' : x.toFixed(d));
console.log(`start-up: ${runs} interleaved runs, medians (node ${process.version}${args.includes('--env-as-is') ? ', environment as is' : ', without NODE_EXTRA_CA_CERTS and NODE_OPTIONS'})`);
console.log(`${'command'.padEnd(20)}${'wall s'.padStart(8)}${'cpu s'.padStart(8)}${'RSS MiB'.padStart(9)}${'wall/node'.padStart(11)}${'cpu/node'.padStart(10)}`);
for (const r of res) {
  console.log(`${r.name.padEnd(20)}${f(r.wall).padStart(8)}${f(r.cpu).padStart(8)}${f(r.rssMiB, 1).padStart(9)}` +
    `${f(r.wall / base.wall, 2).padStart(11)}${(base.cpu ? f(r.cpu / base.cpu, 2) : '-').padStart(10)}`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(res, null, 2) + '\n');
