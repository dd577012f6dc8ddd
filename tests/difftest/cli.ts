// The differential tester's command line (run through scripts/difftest.mjs):
//
//   difftest [--isa riscv64|aarch64] [--seed N] [--count N] [--batch N] [--first N]   crossrun vs qemu
//   difftest --index I [--seed N]          one sequence alone (to reproduce a report)
//   difftest --directed NAME               the ISA's hand-made sequences (aarch64: bugs)
//   difftest --qemu-only ...               only check that qemu runs the batches
//   difftest --validate-encoder [--per-op N]   our encoder vs objdump
//   difftest --record DIR                  write the regression corpus (needs qemu)
//   difftest --write-elf FILE ...          also save the first batch's ELF
//   difftest --timeout S ...               give up on a crossrun batch after S seconds (300)
//   difftest --repeat N ...                run each sequence N times (hot code: higher JIT tiers)
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { aarch64 } from './aarch64/isa.js';
import { compareBatch, describeMismatch } from './compare.js';
import { buildBatch, type Batch, type DifftestIsa, type GenOptions, type Placed, type SeqCore } from './isa.js';
import { haveObjdump, objdumpRaw } from './objdump.js';
import { haveQemu, runQemu, type RunOutput } from './qemu.js';
import { recordFixtures } from './record.js';
import { riscv64 } from './riscv64/isa.js';
import { workerRunner } from './worker-runner.js';

export interface CliDeps {
  /** Build crossrun-worker.ts and give its URL (separately, so qemu-only modes work without the
   *  engine). Throws if the engine does not build. */
  buildCrossrunWorker(): Promise<URL>;
  log(line: string): void;
}

export const ISAS: Readonly<Record<string, DifftestIsa>> = { riscv64, aarch64 };

const DEFAULT_SEED = 20240601;

const OPTIONS = {
  isa: { type: 'string' },
  seed: { type: 'string' },
  count: { type: 'string' },
  batch: { type: 'string' },
  first: { type: 'string' },
  index: { type: 'string' },
  'min-len': { type: 'string' },
  'max-len': { type: 'string' },
  'max-reports': { type: 'string' },
  timeout: { type: 'string' },
  repeat: { type: 'string' },
  'qemu-only': { type: 'boolean' },
  'validate-encoder': { type: 'boolean' },
  'per-op': { type: 'string' },
  record: { type: 'string' },
  'write-elf': { type: 'string' },
  with: { type: 'string' },
  directed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function int(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} wants a non-negative integer, got ${v}`);
  return n;
}

/** Objdump's view of a sequence next to ours (ours is exact; objdump flags encoder bugs). */
export function disassembler<S extends SeqCore>(isa: DifftestIsa<S>): ((seq: Placed<S>) => string[]) | undefined {
  if (!haveObjdump(isa.objdump)) return undefined;
  return (seq) => {
    const bytes = new Uint8Array(seq.insns.reduce((n, i) => n + i.len, 0));
    let p = 0;
    for (const insn of seq.insns) {
      for (let b = 0; b < insn.len; b++) bytes[p + b] = (insn.word >>> (8 * b)) & 0xff;
      p += insn.len;
    }
    const theirs = new Map(objdumpRaw(isa.objdump, bytes, seq.pc).map((l) => [l.addr, l.text]));
    return seq.insns.map((insn, i) => {
      const pc = seq.pcs[i]!;
      const ours = isa.insnText(seq, i, pc);
      const od = theirs.get(pc);
      const hex = insn.word.toString(16).padStart(insn.len * 2, '0');
      return `${pc.toString(16)}:\t${hex}\t${od ?? ours}${od !== undefined && od !== ours ? `\t(encoder meant: ${ours})` : ''}`;
    });
  };
}

function describeRun<S extends SeqCore>(isa: DifftestIsa<S>, label: string, r: RunOutput, batch?: Batch<S>): string {
  let how = r.status !== undefined ? `exit status ${r.status}` : `signal ${String(r.signal)}`;
  if (r.pc !== undefined) {
    how += ` at pc 0x${r.pc.toString(16)}`;
    // Name the generated instruction there, if it is one (else it is in the harness).
    for (const seq of batch?.sequences ?? []) {
      const i = seq.pcs.indexOf(r.pc);
      if (i >= 0) how += ` (sequence ${seq.index}: ${isa.insnText(seq, i, r.pc).replace('\t', ' ')})`;
    }
  }
  return `${label}: ${how}, ${r.stdout.length} bytes of output${r.stderr ? `, stderr: ${r.stderr.trim().slice(0, 2000)}` : ''}`;
}

export async function main(argv: string[], deps: CliDeps): Promise<number> {
  const { values: o } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const { log } = deps;
  if (o.help) {
    log('usage: node scripts/difftest.mjs [--isa riscv64|aarch64] [--seed N] [--count N] [--batch N] [--first N] [--index I]');
    log('       [--min-len N] [--max-len N] [--max-reports N] [--timeout SECONDS] [--repeat N] [--qemu-only] [--write-elf FILE]');
    log('       [--directed NAME]   hand-made sequences instead of random ones (aarch64: bugs)');
    log('       [--with SWITCH,…]   generator switches (aarch64: fz-dn, ahp — also set FPCR.FZ/DN/AHP) or class names (crc, crypto…) to focus on');
    log('       node scripts/difftest.mjs [--isa …] --validate-encoder [--per-op N]');
    log('       node scripts/difftest.mjs [--isa …] --record DIR');
    return 0;
  }
  const isa = ISAS[o.isa ?? 'riscv64'];
  if (!isa) throw new Error(`--isa wants one of ${Object.keys(ISAS).join(', ')}, got ${o.isa}`);
  return runIsa(isa, o, deps);
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

async function runIsa<S extends SeqCore>(isa: DifftestIsa<S>, o: Values, deps: CliDeps): Promise<number> {
  const { log } = deps;
  if (o['validate-encoder']) {
    if (!haveObjdump(isa.objdump)) {
      log(`difftest: ${isa.objdump.command} is not installed`);
      return 2;
    }
    const perOp = int(o['per-op'], 200, 'per-op');
    const r = isa.validateEncoder(int(o.seed, DEFAULT_SEED, 'seed'), perOp);
    for (const m of r.mismatches.slice(0, 50))
      log(`encoder: ${m.name} 0x${m.word.toString(16)}: meant "${m.expected}", objdump says "${m.objdump}"`);
    log(`difftest encoder check (${isa.name}): ${r.checked} instructions, ${r.mismatches.length} disagree with objdump`);
    return r.mismatches.length ? 1 : 0;
  }

  if (o.record !== undefined) {
    recordFixtures(isa, o.record, log);
    return 0;
  }

  const seed = int(o.seed, DEFAULT_SEED, 'seed');
  const dflt = isa.defaultGen;
  const gen: GenOptions = {
    minLen: int(o['min-len'], dflt.minLen, 'min-len'),
    maxLen: int(o['max-len'], dflt.maxLen, 'max-len'),
    ...(o.with ? { with: o.with.split(',') } : {}),
  };
  if (gen.minLen < 1 || gen.maxLen < gen.minLen) throw new Error('need 1 <= --min-len <= --max-len');
  const maxReports = int(o['max-reports'], 10, 'max-reports');
  const repeat = int(o.repeat, 1, 'repeat');
  if (repeat < 1 || repeat > isa.maxRepeat) throw new Error(`--repeat wants 1..${isa.maxRepeat}`);

  // The batches to run: [first, first + count) in groups of --batch, or one --index alone.
  const batches: Array<() => Batch<S>> = [];
  let total: number;
  if (o.directed !== undefined) {
    const set = isa.directed?.[o.directed];
    if (!set) throw new Error(`--directed: ${isa.name} has ${Object.keys(isa.directed ?? {}).join(', ') || 'no directed sets'}`);
    batches.push(() => isa.assemble(seed, set(), repeat));
    total = set().length;
  } else if (o.index !== undefined) {
    const index = int(o.index, 0, 'index');
    batches.push(() => isa.assemble(seed, [{ index, seq: isa.sequenceFor(seed, index, gen) }], repeat));
    total = 1;
  } else {
    const first = int(o.first, 0, 'first');
    total = int(o.count, isa.defaultCount, 'count');
    const per = Math.max(1, int(o.batch, isa.defaultBatch, 'batch'));
    for (let start = first; start < first + total; start += per) {
      const n = Math.min(per, first + total - start);
      batches.push(() => buildBatch(isa, seed, start, n, gen, repeat));
    }
  }

  if (!haveQemu(isa.qemu)) {
    log(`difftest: ${isa.qemu.command} is not installed (apt-get install qemu-user)`);
    return 2;
  }
  const timeoutMs = 1000 * int(o.timeout, 300, 'timeout');
  const crossrun = o['qemu-only'] ? undefined : workerRunner(await deps.buildCrossrunWorker(), timeoutMs);
  const disasm = disassembler(isa);
  const isaFlag = isa.name === 'riscv64' ? '' : ` --isa ${isa.name}`;

  let mismatched = 0;
  let reported = 0;
  let failedRuns = 0;
  let qemuMs = 0;
  let crossrunMs = 0;
  for (const [bi, make] of batches.entries()) {
    const batch = make();
    if (bi === 0 && o['write-elf']) writeFileSync(o['write-elf'], batch.elf, { mode: 0o755 });
    const want = batch.sequences.length * isa.dumpBytes;
    let t = performance.now();
    const ref = runQemu(isa.qemu, batch.elf);
    qemuMs += performance.now() - t;
    if (ref.status !== 0 || ref.stdout.length !== want) {
      // A generator bug (the reference must always run to completion), not a crossrun one.
      log(`difftest: qemu did not run batch ${bi} cleanly; ${describeRun(isa, 'qemu', ref)}`);
      return 2;
    }
    if (!crossrun) continue;

    t = performance.now();
    const got = await crossrun(batch.elf);
    crossrunMs += performance.now() - t;
    const mismatches = compareBatch(isa, batch, ref.stdout, got.stdout);
    const runFailed = got.status !== 0 || got.stdout.length !== want;
    if (runFailed) {
      failedRuns++;
      log(`difftest: batch ${bi} (sequences ${batch.sequences[0]!.index}..): ${describeRun(isa, 'crossrun', got, batch)}`);
    }
    for (const [mi, m] of mismatches.entries()) {
      mismatched++;
      if (reported >= maxReports) continue;
      // A run that stopped reports only the first sequence it did not finish.
      if (m.missing && mi > 0 && mismatches[mi - 1]!.missing) continue;
      reported++;
      log(describeMismatch(isa, m, seed, disasm));
      log(`  reproduce: node scripts/difftest.mjs${isaFlag} --seed ${seed} --index ${m.seq.index}` +
        (gen.minLen !== dflt.minLen || gen.maxLen !== dflt.maxLen ? ` --min-len ${gen.minLen} --max-len ${gen.maxLen}` : '') +
        (o.with ? ` --with ${o.with}` : '') +
        (repeat > 1 ? ` --repeat ${repeat}` : ''));
    }
  }

  const timing = `qemu ${(qemuMs / 1000).toFixed(1)}s` + (crossrun ? `, crossrun ${(crossrunMs / 1000).toFixed(1)}s` : '');
  if (!crossrun) {
    log(`difftest (${isa.name}, qemu only): seed=${seed} sequences=${total} batches=${batches.length} all ran (${timing})`);
    return 0;
  }
  const ok = mismatched === 0 && failedRuns === 0;
  log(
    `difftest${isaFlag ? ` (${isa.name})` : ''}: ${ok ? 'PASS' : 'FAIL'} seed=${seed} sequences=${total}${repeat > 1 ? ` repeat=${repeat}` : ''} batches=${batches.length} ` +
      `mismatching=${mismatched} failed-runs=${failedRuns} (${timing})`,
  );
  return ok ? 0 : 1;
}
