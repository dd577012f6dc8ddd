#!/usr/bin/env node
// The CI check of the gdbstub with a real gdb: one scripted `gdb-multiarch -batch` session against
// fixtures/<isa>/gdbtarget under crossrun -g, the same session under qemu-<isa> -g, and the two
// transcripts must agree — except the parts qemu-user cannot do (watchpoints, FP registers), which
// run under crossrun only and must print what the SESSION's expectations say.
//
//   node scripts/gdb-check.mjs [--isa riscv64|aarch64]... [--no-qemu] [--keep]
//
// Needs gdb-multiarch and qemu-user (apt-get install gdb-multiarch qemu-user); builds the CLI
// bundle first. Exit status 0 when every ISA agrees; the transcripts and a diff otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT_MS = 120_000;

/** The session. `only: 'crossrun'` blocks are left out for qemu; `expect` are patterns the
 *  crossrun transcript of that block must contain, in order; `regs`: it lists ALL_REGS. */
const SESSION = [
  {
    cmds: [
      'break main', 'continue', 'info registers pc', 'bt',
      'next', 'next', 'next', 'step', 'bt', 'finish',
      'print local', 'print p', 'print values', 'print origin', 'x/s greeting',
      'break f if n == 3', 'continue', 'print n', 'delete',
      'call f(3)', 'print counter',
    ],
  },
  {
    only: 'crossrun',
    cmds: ['watch counter', 'continue', 'continue', 'delete', 'info all-registers', 'print $pc'],
    expect: [
      /Hardware watchpoint \d+: counter/,
      /Old value = 6\s+New value = 9\s+f \(n=3\)/,
      /Old value = 9\s+New value = 13\s+f \(n=4\)/,
      /\npc\s+0x[0-9a-f]+/,
      /\$\d+ = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <f\+\d+>/,
    ],
    regs: true,
  },
  { cmds: ['continue'] },
];
/** Per ISA: registers `info all-registers` must list in the crossrun-only block. */
const ALL_REGS = { riscv64: [/^ft0\s/m, /^fa1\s/m, /^fflags\s/m, /^frm\s/m, /^fcsr\s/m], aarch64: [/^v0\s/m, /^fpsr\s/m, /^fpcr\s/m, /^cpsr\s/m] };

const args = process.argv.slice(2);
const isas = args.flatMap((a, i) => (args[i - 1] === '--isa' ? [a] : []));
const withQemu = !args.includes('--no-qemu');
const keep = args.includes('--keep');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Children still running: an emulator waiting for a gdb that never came must not outlive us. */
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Run a command; resolves to { code, out, err } (never rejects on a non-zero exit). */
function exec(cmd, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: root, ...opts });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (e) => {
      children.delete(child);
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

const MARK = (what) => `echo @@${what}\\n`;

function sessionFile(dir, name, forQemu) {
  const lines = ['set pagination off', 'set confirm off', 'set width 0', 'set height 0'];
  SESSION.forEach((block, i) => {
    if (block.only === 'crossrun' && forQemu) return;
    if (block.only) lines.push(MARK(`begin ${i}`));
    lines.push(...block.cmds);
    if (block.only) lines.push(MARK(`end ${i}`));
  });
  const path = join(dir, `${name}.gdb`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The gdb transcript under one emulator: [gdb result, emulator result]. */
async function session(emulator, isa, dir) {
  const port = await freePort();
  const prog = `fixtures/${isa}/gdbtarget`;
  const emu = emulator === 'crossrun'
    ? exec(process.execPath, ['bin/crossrun.js', '-g', String(port), prog])
    : exec(`qemu-${isa}`, ['-g', String(port), prog]);
  const script = sessionFile(dir, emulator, emulator !== 'crossrun');
  // gdb retries the connection until the emulator listens (tcp auto-retry, 15 s).
  const gdb = await exec('gdb-multiarch', [
    '-nx', '-batch', '-iex', 'set debuginfod enabled off', '-ex', 'directory fixtures/src/gdb',
    '-ex', `target remote 127.0.0.1:${port}`, '-x', script, prog,
  ]);
  return [gdb, await emu];
}

/** Lines that name things that differ between runs, not between emulators. */
function normalize(text) {
  return text.replace(/process \d+/g, 'process N').replace(/\r/g, '');
}

/** Split out the crossrun-only blocks: [text without them, { index: block text }]. */
function splitBlocks(text) {
  const blocks = {};
  const rest = text.replace(/@@begin (\d+)\n([\s\S]*?)@@end \1\n/g, (_, i, body) => {
    blocks[i] = body;
    return '';
  });
  return [rest, blocks];
}

async function checkIsa(isa) {
  const dir = mkdtempSync(join(tmpdir(), `gdb-check-${isa}-`));
  const problems = [];
  try {
    const [cGdb, cEmu] = await session('crossrun', isa, dir);
    const [cText, blocks] = splitBlocks(normalize(cGdb.out + cGdb.err));
    console.log(`--- ${isa}: crossrun transcript\n${normalize(cGdb.out + cGdb.err)}`);
    if (!/exited with code 07/.test(cText)) problems.push('crossrun: the program did not exit with code 7 under gdb');
    if (cEmu.code !== 7) problems.push(`crossrun exited ${cEmu.code ?? cEmu.signal} (want 7): ${cEmu.err.trim()}`);
    if (cEmu.out !== 'hello, gdb 15 100 52 origin\n') problems.push(`crossrun: guest output ${JSON.stringify(cEmu.out)}`);
    SESSION.forEach((block, i) => {
      if (!block.only) return;
      const body = blocks[i];
      if (body === undefined) return problems.push(`crossrun-only block ${i}: missing from the transcript`);
      let from = 0;
      for (const re of block.expect ?? []) {
        const m = re.exec(body.slice(from));
        if (!m) problems.push(`crossrun-only block ${i}: no ${re} (after offset ${from})`);
        else from += m.index + m[0].length;
      }
      for (const re of block.regs ? (ALL_REGS[isa] ?? []) : []) {
        if (!re.test(body)) problems.push(`crossrun-only block ${i}: info all-registers lacks ${re}`);
      }
    });
    if (withQemu) {
      const [qGdb, qEmu] = await session('qemu', isa, dir);
      const qText = normalize(qGdb.out + qGdb.err);
      if (qText !== cText) {
        const tmpA = join(dir, 'qemu.txt');
        const tmpB = join(dir, 'crossrun.txt');
        writeFileSync(tmpA, qText);
        writeFileSync(tmpB, cText);
        const d = await exec('diff', ['-u', tmpA, tmpB]);
        problems.push(`transcripts differ (qemu vs crossrun):\n${d.out}`);
      }
      if (qEmu.out !== cEmu.out) problems.push(`guest output differs: qemu ${JSON.stringify(qEmu.out)}, crossrun ${JSON.stringify(cEmu.out)}`);
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`(kept ${dir})`);
  }
  return problems;
}

// bin/crossrun.js runs dist/crossrun.mjs, built only when missing: build it from these sources.
const built = await exec(process.execPath, ['scripts/build.mjs']);
if (built.code !== 0) {
  console.log(`npm run build failed:\n${built.out}${built.err}`);
  process.exit(1);
}

let failed = false;
for (const isa of isas.length ? isas : ['riscv64']) {
  let problems;
  try {
    problems = await checkIsa(isa);
  } catch (e) {
    // a missing tool: spawn fails with ENOENT
    problems = [`${e.message}${e.code === 'ENOENT' ? ' (apt-get install gdb-multiarch qemu-user)' : ''}`];
  }
  if (problems.length) {
    failed = true;
    console.log(`FAIL ${isa}:\n  ${problems.join('\n  ')}`);
  } else console.log(`ok ${isa}: crossrun and qemu-${isa} agree${withQemu ? '' : ' (qemu skipped)'}; watchpoints and FP registers work`);
}
process.exit(failed ? 1 : 0);
