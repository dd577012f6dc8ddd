#!/usr/bin/env node
// Debian's busybox-static for arm64 running shell scripts under crossrun, each compared with the
// same busybox version built for amd64 and run natively (the oracle): stdout, stderr (unless a
// script says it varies, or the script dies by a signal) and the exit status or death signal must agree. The scripts exercise
// what a shell needs from processes (issue 6): pipelines of several applets, $(...) and backticks,
// subshells, loops, functions, redirections and here-documents, find | xargs, tar | tar, exit and
// kill statuses, & + wait, and scripts run by `sh file` and directly through their #! line.
//
//   node scripts/busybox-check.mjs [--isa arm64|riscv64|all] [--only NAME[,NAME…] | --only REGEX]
//                                  [--list] [--native] [--jobs N] [--timeout S] [--refresh]
//                                  [--no-setup] [--no-build]
//
// --native runs the amd64 busybox on both sides: it checks the scripts and this harness, not
// crossrun. --jobs: scripts side by side (default 2). --timeout: seconds per run (default 120).
//
// Setup (as root; skipped while the cache is complete): dpkg --add-architecture arm64, apt-get
// update, apt-get download busybox-static:arm64 busybox-static:amd64, dpkg -x each into
//   $CROSSRUN_CACHE/busybox/{arm64,amd64}   (default /tmp/crossrun-busybox/…)
// Nothing Debian ships is committed. For each side a root folder holds bin/busybox and a symlink
// per applet in bin/ (sh among them); the crossrun side runs with -L <arm64 root>, so /bin/sh and
// the #! line "#!/bin/sh" name the arm64 busybox. The native side cannot redirect /bin, so its
// PATH is <amd64 root>/bin and its script files start with "#!<amd64 root>/bin/sh".
// --isa riscv64: Debian bookworm has no riscv64 port (it became a release architecture with
// trixie), so there is no busybox-static:riscv64 to fetch; scripts/busybox-build.mjs builds the same
// busybox version from Debian's orig tarball instead, static, once for riscv64 (run under crossrun)
// and once for amd64 (the oracle) from one .config, into <cache>/built/ (--refresh rebuilds).
// --isa all runs the arm64 pair, then the riscv64 one.
// Each script runs in <cache>/work/<isa>/<name>.<side>/, where its output stays for a look afterwards.
// The closing line is 'busybox: N passed, N failed'; the exit status is 1 after any mismatch.
import { spawn } from 'node:child_process';
import {
  chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBusybox } from './busybox-build.mjs';
import { enableArm64, fetchDebs, firstDifference, sh, slug } from './lib/debian-checks.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const onlyArg = opt('--only');
const jobs = Number(opt('--jobs') ?? Math.min(2, cpus().length));
const timeoutMs = Number(opt('--timeout') ?? 120) * 1000;
const nativeBoth = argv.includes('--native');
const base = process.env.CROSSRUN_CACHE ? join(process.env.CROSSRUN_CACHE, 'busybox') : '/tmp/crossrun-busybox';
const DEBS = { arm64: join(base, 'arm64'), amd64: join(base, 'amd64') };
const isaArg = opt('--isa') ?? 'arm64';

/** Per guest ISA: where its pair of busyboxes comes from (prepare() returns their paths). */
const PAIRS = {
  arm64: {
    what: "Debian's busybox-static",
    prepare: async () => { setup(); return { guest: join(DEBS.arm64, 'bin/busybox'), native: join(DEBS.amd64, 'bin/busybox') }; },
  },
  riscv64: {
    what: 'busybox built from source',
    prepare: async () => {
      const built = await buildBusybox({ rebuild: argv.includes('--refresh'), offline: argv.includes('--no-setup'), again: '--refresh' });
      return { guest: built.riscv64, native: built.amd64 };
    },
  },
};
const ISAS = isaArg === 'all' ? Object.keys(PAIRS) : [isaArg];

// The ISA being checked: its work folder and its two root folders (set by checkIsa()).
let WORK = '';
let ROOTS = { guest: '', native: '' };

// ---------------------------------------------------------------------------------------------
// The scripts. `sh`: the script for sh -c; `status`: the expected exit status when not 0 (checked
// on the oracle, so a script that misbehaves natively is reported as BAD, not as crossrun's
// failure); `signal`: death by this signal expected instead; `stderr: false` when stderr varies;
// `files`: files written into the working folder first ('@SH@' in them becomes the side's sh),
// with `mode`; `run`: a command line to run instead of busybox sh -c `sh` (relative to the folder).

const SCRIPT_FILE = '#!@SH@\necho "script: $# args: $1 $2"\nfor a in "$@"; do printf "<%s>" "$a"; done; echo\nexit 5\n';

const SCRIPTS = [
  { name: 'pipeline', sh: 'seq 1 2000 | grep 7 | sort -r | head -n 5 | tr 1 X; seq 1 2000 | grep -c 3 | sed "s/^/count: /"; echo "a b c" | awk "{print \\$3, \\$1}" | rev | cut -c1-3' },
  { name: 'long pipeline', sh: 'seq 1 30000 | sed "s/0/zero/g" | grep -v 5 | tr a-z A-Z | sort | uniq | awk "{n++} END {print n}" | cat; seq 1 100000 | awk "{s+=\\$1} END {print s}"' },
  { name: 'big pipe', sh: 'head -c 8000000 /dev/zero | tr "\\0" a | md5sum; dd if=/dev/zero bs=65536 count=64 2>/dev/null | cat | cat | wc -c' },
  { name: 'command substitution', sh: 'a=$(echo hi | tr a-z A-Z); b=`expr 6 \\* 7`; echo "$a $b $(echo $(echo nested) `echo back`)"; n=$(seq 3 | wc -l); echo "lines=$n"; echo "empty=[$(true)]"' },
  { name: 'subshells', sh: 'x=1; (x=2; echo "inside $x"; exit 3); echo "status $? x=$x"; { echo grouped; echo two; } | wc -l; (cd /; pwd); echo "$( (echo deep; exit 4); echo "inner $?" )"' },
  { name: 'loops', sh: 'i=0; while [ $i -lt 5 ]; do i=$((i+1)); printf "%s," $i; done; echo; for w in a b c d; do case $w in b) continue;; d) break;; esac; echo "word $w"; done; until [ $i -eq 0 ]; do i=$((i-2)); [ $i -lt 0 ] && i=0; done; echo "i=$i"; for f in $(seq 3); do for g in x y; do printf "%s%s " $f $g; done; done; echo' },
  { name: 'functions', sh: 'f() { local v="$1"; echo "f got $v and $#"; return 7; }; f one two; echo "ret $?"; g() { f "$@" | tr a-z A-Z; }; g x y z; fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 10' },
  { name: 'redirections', sh: '{ echo out; echo err >&2; } 2>&1 | sort; echo line1 > f; echo line2 >> f; cat < f; wc -l < f; ls /nonexistent 2> e; echo "ls status $?"; sed "s/.*nonexistent.*/error text captured/" e; exec 3> g; echo via3 >&3; exec 3>&-; cat g; echo both > h 2>&1; cat h; : > f; wc -c < f' },
  { name: 'here-documents', sh: 'cat <<EOF\nsum $((1+2))\n  indented $HOME\nEOF\ncat <<\'Q\'\nno $expansion `here`\nQ\nwhile read a b; do echo "[$b|$a]"; done <<EOF\n1 one\n2 two\nEOF\ncat <<-T\n\ttabs stripped\n\tT\nwc -l <<EOF\na\nb\nc\nEOF' },
  { name: 'find | xargs', sh: 'mkdir -p t/a/b t/c; for f in t/x t/a/y t/a/b/z t/c/w; do echo "$f" > "$f"; done; find t -type f | sort | xargs cat; find t -type f | xargs -n 2 echo | wc -l; find t -type d | sort; find t -name "[yz]" -exec echo found {} \\; | sort; find t -type f -print0 | xargs -0 ls | sort | tr "\\n" " "; echo' },
  { name: 'tar | tar', sh: 'mkdir -p d/s; echo a > d/a; echo bb > d/s/b; tar cf - d | tar tf - | sort; tar cf - d | (mkdir x && cd x && tar xf - && cat d/s/b d/a); tar czf d.tgz d && tar xzf d.tgz -O d/s/b' },
  { name: 'exit 42', sh: 'echo before; exit 42; echo never', status: 42 },
  { name: 'kill -TERM $$', sh: 'echo before; kill -TERM $$; echo never', signal: 15 },
  { name: 'status 143', sh: 'sh -c \'kill -TERM $$\'; echo "status $?"; sh -c "exit 300"; echo "status $?"; sleep 5 & kill -KILL $!; wait $!; echo "killed $?"' },
  { name: '& and wait', sh: '{ (sleep 0.2; echo slow) & (echo fast; exit 3) & wait $!; echo "last $?"; wait; echo all; } | sort; false & wait $!; echo "false $?"; (exit 9) & p=$!; wait $p; echo "p $?"' },
  { name: 'sh script.sh', sh: 'sh script.sh a "b c"; echo "status $?"; sh -c \'echo "$0 $1"\' zero one', files: { 'script.sh': SCRIPT_FILE } },
  { name: '#! script', sh: 'chmod +x script.sh; ./script.sh c "d e" f; echo "direct $?"; PATH=".:$PATH" script.sh path; echo "via PATH $?"', files: { 'script.sh': SCRIPT_FILE } },
  { name: 'traps', sh: 'trap \'echo trapped EXIT\' EXIT; trap \'echo got USR1\' USR1; kill -USR1 $$; echo after; false || echo recovered; set -e; true; exit 3', status: 3 },
  { name: 'exec and status', sh: '! true; echo "not $?"; false | true; echo "pipe $?"; sh -c "exec echo replaced; echo never"; (exec sh -c "exit 6"); echo "exec $?"; command -v sh >/dev/null && echo has-sh' },
  { name: 'applets', sh: 'echo hello | md5sum; printf abc | sha256sum; printf "x\\ny\\nx\\n" | sort | uniq -c; seq 5 | paste -sd+; date -u -d @86400 +%Y-%m-%d; echo file.tar.gz | sed "s/\\.gz$//"; x=file.tar.gz; echo ${#x} ${x%.*} ${x#*.} ${x%%.*}; printf "%05.1f|%x\\n" 3.14159 255; expr length hello' },
  { name: 'read and IFS', sh: 'printf "a:b:c\\n1:2:3\\n" | while IFS=: read x y z; do echo "$z-$y-$x"; done; set -- one "two three"; echo "$#: $2"; IFS=,; set -- $(echo p,q,r); echo "$# $3"' },
];

// ---------------------------------------------------------------------------------------------
// Setup

function setup() {
  const stamp = join(base, 'stamp.json');
  const want = JSON.stringify({ packages: ['busybox-static'], v: 1 });
  const ready = existsSync(stamp) && readFileSync(stamp, 'utf8') === want;
  if (ready && !argv.includes('--refresh')) {
    console.log(`using the cached busybox in ${base} (--refresh downloads again)`);
    return;
  }
  if (argv.includes('--no-setup')) throw new Error(`no busybox in ${base} and --no-setup given`);
  const t0 = Date.now();
  enableArm64();
  for (const d of [...Object.values(DEBS), join(base, 'debs')]) rmSync(d, { recursive: true, force: true });
  for (const arch of ['arm64', 'amd64']) fetchDebs(['busybox-static'], arch, join(base, 'debs', arch), DEBS[arch]);
  rmSync(join(base, 'debs'), { recursive: true, force: true });
  writeFileSync(stamp, want);
  console.log(`busybox ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

/** A root folder: bin/busybox and bin/<applet> symlinks to it (the list comes from the amd64
 *  build `lister`, which runs here; both are the same version and configuration). */
function makeRoot(root, busybox, lister) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(busybox, join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  const applets = sh(lister, ['--list']).split('\n').filter(Boolean);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(root, 'bin', a));
  mkdirSync(join(root, 'tmp'), { recursive: true });
}

// ---------------------------------------------------------------------------------------------
// Running

const crossrun = join(repo, 'bin/crossrun.js');
const ownEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CROSSRUN_') && k !== 'CROSSRUN_CACHE'));
const baseEnv = { LC_ALL: 'C', TZ: 'UTC0', HOME: '/nonexistent', TERM: 'dumb' };

/** The command line for one side. The guest side sees /bin through -L; the native one cannot. */
function command(side, script) {
  // `run`: a program (a script file, say) and its arguments instead of busybox sh -c.
  if (side === 'guest' && !nativeBoth) {
    const unset = Object.keys(ownEnv).flatMap((k) => ['-U', k]);
    const what = script.run ?? [join(ROOTS.guest, 'bin/busybox'), 'sh', '-c', script.sh];
    return {
      cmd: process.execPath,
      args: [crossrun, ...unset, '-L', ROOTS.guest, ...what],
      env: { ...baseEnv, PATH: '/bin', ...ownEnv },
      shPath: '/bin/sh',
    };
  }
  const root = ROOTS.native;
  const [cmd, ...args] = script.run ?? [join(root, 'bin/busybox'), 'sh', '-c', script.sh];
  return { cmd, args, env: { ...baseEnv, PATH: join(root, 'bin') }, shPath: join(root, 'bin/sh') };
}

function runSide(script, side) {
  const cwd = join(WORK, `${slug(script.name)}.${side}`);
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd, { recursive: true });
  const { cmd, args, env, shPath } = command(side, script);
  for (const [f, text] of Object.entries(script.files ?? {})) {
    writeFileSync(join(cwd, f), text.replaceAll('@SH@', shPath));
    if (script.mode) chmodSync(join(cwd, f), script.mode);
  }
  return new Promise((resolve) => {
    const t0 = performance.now();
    // Its own process group, so that a timeout also ends whatever it started.
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
      const r = {
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        status: timedOut ? 'timeout' : signal ? `signal ${spawnSignalNumber(signal)}` : `exit ${code}`,
        ms: performance.now() - t0,
      };
      writeFileSync(join(cwd, '.stdout'), r.stdout);
      writeFileSync(join(cwd, '.stderr'), r.stderr);
      resolve(r);
    });
  });
}

function spawnSignalNumber(name) {
  return { SIGTERM: 15, SIGKILL: 9, SIGSEGV: 11, SIGABRT: 6, SIGINT: 2, SIGPIPE: 13, SIGUSR1: 10, SIGILL: 4, SIGBUS: 7 }[name] ?? name;
}

async function check(script) {
  const [mine, ref] = await Promise.all([runSide(script, 'guest'), runSide(script, 'native')]);
  const wantStatus = script.signal ? `signal ${script.signal}` : `exit ${script.status ?? 0}`;
  const res = { script, ms: mine.ms, refMs: ref.ms };
  if (ref.status !== wantStatus) return { ...res, result: 'BAD', note: `the native run ended with ${ref.status}, not ${wantStatus}: ${ref.stderr.slice(0, 80).trim()}` };
  const notes = [];
  if (mine.status !== ref.status) notes.push(`status: want ${ref.status}, got ${mine.status}`);
  if (mine.stdout !== ref.stdout) notes.push(`stdout ${firstDifference(mine.stdout, ref.stdout)}`);
  // After a death by signal crossrun reports it on stderr as qemu-user does; a native process cannot.
  const stderrStable = script.stderr !== false && !ref.status.startsWith('signal');
  if (stderrStable && mine.stderr !== ref.stderr) notes.push(`stderr ${firstDifference(mine.stderr, ref.stderr)}`);
  const crossrunSays = mine.stderr.match(/crossrun: .*/);
  if (notes.length && crossrunSays) notes.push(crossrunSays[0].slice(0, 100));
  return { ...res, result: notes.length ? 'FAIL' : 'ok', note: notes.join(' | ') };
}

/** Runs the scripts for one guest ISA; returns [passed, failed]. */
async function checkIsa(isa, scripts) {
  const t0 = Date.now();
  const pair = await PAIRS[isa].prepare();
  WORK = join(base, 'work', isa);
  ROOTS = { guest: join(WORK, `root-${isa}`), native: join(WORK, 'root-amd64') };
  mkdirSync(WORK, { recursive: true });
  makeRoot(ROOTS.guest, pair.guest, pair.native);
  makeRoot(ROOTS.native, pair.native, pair.native);
  console.log(nativeBoth ? `both sides native amd64 ${PAIRS[isa].what} (checks the scripts and the harness)`
    : `crossrun (${isa} ${PAIRS[isa].what}, -L ${ROOTS.guest}) against native amd64 busybox`);
  const results = new Array(scripts.length);
  let next = 0;
  const worker = async () => {
    while (next < scripts.length) {
      const i = next++;
      results[i] = await check(scripts[i]);
      const r = results[i];
      console.log(`${r.result.padEnd(4)} ${r.script.name.padEnd(22)} ${(r.ms / 1000).toFixed(1).padStart(6)}s  ${r.note}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  console.log(`\n${'script'.padEnd(24)}${'result'.padEnd(8)}${(nativeBoth ? 'native' : 'crossrun').padStart(9)}${'native'.padStart(9)}  first difference`);
  for (const r of results) {
    console.log(`${r.script.name.padEnd(24)}${r.result.padEnd(8)}${`${(r.ms / 1000).toFixed(1)}s`.padStart(9)}${`${(r.refMs / 1000).toFixed(2)}s`.padStart(9)}  ${r.note}`);
  }
  const passed = results.filter((r) => r.result === 'ok').length;
  const failed = results.length - passed;
  console.log(`\nbusybox ${isa}: ${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(0)}s); outputs in ${WORK}\n`);
  return [passed, failed];
}

async function main() {
  if (!ISAS.every((i) => PAIRS[i])) throw new Error(`--isa ${isaArg}: one of ${Object.keys(PAIRS).join(', ')} or all`);
  let scripts = SCRIPTS;
  if (onlyArg) {
    const names = new Set(onlyArg.split(','));
    const byName = SCRIPTS.filter((s) => names.has(s.name));
    scripts = byName.length ? byName : SCRIPTS.filter((s) => new RegExp(onlyArg).test(s.name));
    if (!scripts.length) throw new Error(`no script matches ${onlyArg} (--list shows them)`);
  }
  if (argv.includes('--list')) { for (const s of scripts) console.log(s.name); return 0; }
  const t0 = Date.now();
  if (!nativeBoth && !argv.includes('--no-build')) sh(process.execPath, [join(repo, 'scripts/build.mjs')]);
  let passed = 0;
  let failed = 0;
  for (const isa of ISAS) {
    const [p, f] = await checkIsa(isa, scripts);
    passed += p;
    failed += f;
  }
  console.log(`busybox: ${passed} passed, ${failed} failed (${ISAS.join(' + ')}, ${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(`busybox-check: ${e.message}`); process.exit(2); });
