#!/usr/bin/env node
// Stress test for threads and signals: runs multi-threaded fixtures many times through the CLI
// (bin/crossrun.js) and checks that every run prints exactly the recorded output and exits 0,
// within a timeout (a hang fails the run). Scheduling differs from run to run (slices end at
// different points as the host's load varies, timers fire at different moments), so this catches
// races the single fixture runs may not hit.
//
// Usage: node scripts/stress-threads.mjs [--runs 100] [--jobs 2] [--timeout 60] [--jit wasm|interp]
//                                        [--only name,name | --all]
// Default: pthreads.riscv64 and goroutines.riscv64 (the C pthreads and Go fixtures); --all adds
// sigthreads.riscv64, pthreads.aarch64 and goroutines.arm64.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeGoOutput } from '../fixtures/go/go-fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fx = (...p) => path.join(root, 'fixtures', ...p);

const PROGRAMS = [
  { name: 'pthreads.riscv64', binary: fx('riscv64/pthreads'), expected: fx('riscv64/expected/pthreads.static.stdout') },
  { name: 'sigthreads.riscv64', binary: fx('riscv64/sigthreads'), expected: fx('riscv64/expected/sigthreads.static.stdout') },
  { name: 'goroutines.riscv64', binary: fx('go/riscv64/goroutines'), expected: fx('go/expected/riscv64/goroutines.stdout'), go: true },
  { name: 'pthreads.aarch64', binary: fx('aarch64/pthreads'), expected: fx('aarch64/expected/pthreads.static.stdout') },
  { name: 'goroutines.arm64', binary: fx('go/arm64/goroutines'), expected: fx('go/expected/arm64/goroutines.stdout'), go: true },
];

function option(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const runs = Number(option('runs', '100'));
const jobs = Number(option('jobs', '2'));
const timeoutMs = Number(option('timeout', '60')) * 1000;
const jit = option('jit', 'wasm');
const only = option('only', null);
const DEFAULT = ['pthreads.riscv64', 'goroutines.riscv64'];
const wanted = only ? only.split(',') : process.argv.includes('--all') ? PROGRAMS.map((p) => p.name) : DEFAULT;
const programs = PROGRAMS.filter((p) => wanted.includes(p.name));
if (programs.length === 0) {
  console.error(`stress-threads: no program matches --only ${only} (have: ${PROGRAMS.map((p) => p.name).join(', ')})`);
  process.exit(2);
}

function runOnce(prog) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin/crossrun.js'), prog.binary], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CROSSRUN_JIT: jit },
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - started });
    });
  });
}

const queue = [];
for (const prog of programs) for (let i = 0; i < runs; i++) queue.push(prog);
const stats = new Map(programs.map((p) => [p.name, { ok: 0, failed: 0, maxMs: 0, totalMs: 0 }]));
const failures = [];
let done = 0;

async function worker() {
  for (let prog = queue.shift(); prog; prog = queue.shift()) {
    const r = await runOnce(prog);
    const want = readFileSync(prog.expected);
    const got = prog.go ? normalizeGoOutput(r.stdout) : r.stdout;
    const s = stats.get(prog.name);
    s.maxMs = Math.max(s.maxMs, r.ms);
    s.totalMs += r.ms;
    const problem = r.signal === 'SIGKILL' && r.ms >= timeoutMs ? `timed out after ${timeoutMs / 1000} s`
      : r.code !== 0 ? `exit ${r.code ?? r.signal}` : !got.equals(want) ? 'output differs' : null;
    if (problem) {
      s.failed++;
      failures.push({ name: prog.name, problem, stdout: got.toString(), stderr: r.stderr.toString() });
    } else {
      s.ok++;
    }
    done++;
    if (done % 10 === 0 || problem) process.stdout.write(`${done}/${runs * programs.length} runs${problem ? ` — ${prog.name}: ${problem}` : ''}\n`);
  }
}

await Promise.all(Array.from({ length: jobs }, worker));
for (const [name, s] of stats) {
  console.log(`${name.padEnd(20)} ${s.ok} ok, ${s.failed} failed; mean ${(s.totalMs / (s.ok + s.failed) / 1000).toFixed(2)} s, max ${(s.maxMs / 1000).toFixed(2)} s`);
}
for (const f of failures.slice(0, 3)) {
  console.log(`\n--- ${f.name}: ${f.problem}\n${f.stdout.slice(-2000)}\n--- stderr\n${f.stderr.slice(-2000)}`);
}
process.exit(failures.length === 0 ? 0 : 1);
