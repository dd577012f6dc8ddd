// Tier 0: runs one IR block — its first runs in the IR evaluator (ir-eval.ts), then as a JS
// function made from it (once it has run compileAfter times). i64 values are bigint here, i32 values
// numbers. The wasm region tier takes over hot code; this tier's job is correctness, quick
// translation, and counting heat.
import type { BinOp, IntTy, IRBlock, RmArg, Terminator } from '../ir.js';
import { Exit, Tier0Runtime } from './runtime.js';
import { assert } from '../../types.js';
import { newEvalId, runCode, translate, type EvalCode } from './ir-eval.js';
import type { SlowPart } from './eval-ops.js';
import { helperAt } from '../helpers.js';
import { nowMs } from '../../clock.js';

export interface CompiledBlock {
  readonly ir: IRBlock;
  /** Runs the block; returns the next guest pc. A higher tier may replace it with an entry into
   *  faster code for the same guest pc (which then keeps rt.instret right itself). */
  run: () => number;
  /** Times run (tier-1 heat). */
  heat: number;
  /** Direct successor cache for `goto`/`branch` targets (filled by the engine). */
  next0: CompiledBlock | null;
  next1: CompiledBlock | null;
}

const hex = (n: number) => '0x' + n.toString(16);
const big = (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16)}n`;

function bin64(fn: BinOp, a: string, b: string): string {
  const U = (e: string) => `BigInt.asUintN(64,${e})`;
  const I = (e: string) => `BigInt.asIntN(64,${e})`;
  switch (fn) {
    case 'add': return U(`${a}+${b}`);
    case 'sub': return U(`${a}-${b}`);
    case 'mul': return U(`${a}*${b}`);
    case 'mulhu': return `((${a}*${b})>>64n)`;
    case 'mulhs': return U(`(${I(a)}*${I(b)})>>64n`);
    case 'mulhsu': return U(`(${I(a)}*${b})>>64n`);
    case 'divu': return `(${b}===0n?0n:${a}/${b})`;
    case 'remu': return `(${b}===0n?${a}:${a}%${b})`;
    case 'divs': return `(${b}===0n?0n:${U(`${I(a)}/${I(b)}`)})`;
    case 'rems': return `(${b}===0n?${a}:${U(`${I(a)}%${I(b)}`)})`;
    case 'and': return `(${a}&${b})`;
    case 'or': return `(${a}|${b})`;
    case 'xor': return `(${a}^${b})`;
    case 'shl': return U(`${a}<<(${b}&63n)`);
    case 'shrl': return `(${a}>>(${b}&63n))`;
    case 'shra': return U(`${I(a)}>>(${b}&63n)`);
    case 'rotl': return U(`(${a}<<(${b}&63n))|(${a}>>((64n-(${b}&63n))&63n))`);
    case 'rotr': return U(`(${a}>>(${b}&63n))|(${a}<<((64n-(${b}&63n))&63n))`);
    case 'eq': return `(${a}===${b}?1:0)`;
    case 'ne': return `(${a}!==${b}?1:0)`;
    case 'ltu': return `(${a}<${b}?1:0)`;
    case 'leu': return `(${a}<=${b}?1:0)`;
    case 'lts': return `(${I(a)}<${I(b)}?1:0)`;
    case 'les': return `(${I(a)}<=${I(b)}?1:0)`;
  }
}

function bin32(fn: BinOp, a: string, b: string): string {
  const B = (e: string) => `BigInt(${e})`;
  switch (fn) {
    case 'add': return `((${a}+${b})|0)`;
    case 'sub': return `((${a}-${b})|0)`;
    case 'mul': return `Math.imul(${a},${b})`;
    case 'mulhu': return `Number((${B(`${a}>>>0`)}*${B(`${b}>>>0`)})>>32n)|0`;
    case 'mulhs': return `Number(BigInt.asIntN(32,(${B(a)}*${B(b)})>>32n))`;
    case 'mulhsu': return `Number(BigInt.asIntN(32,(${B(a)}*${B(`${b}>>>0`)})>>32n))`;
    case 'divu': return `(${b}===0?0:((${a}>>>0)/(${b}>>>0))|0)`;
    case 'remu': return `(${b}===0?${a}:((${a}>>>0)%(${b}>>>0))|0)`;
    case 'divs': return `(${b}===0?0:(${a}===-2147483648&&${b}===-1)?${a}:(${a}/${b})|0)`;
    case 'rems': return `(${b}===0?${a}:(${b}===-1)?0:(${a}%${b})|0)`;
    case 'and': return `(${a}&${b})`;
    case 'or': return `(${a}|${b})`;
    case 'xor': return `(${a}^${b})`;
    case 'shl': return `(${a}<<${b})`;
    case 'shrl': return `((${a}>>>${b})|0)`;
    case 'shra': return `(${a}>>${b})`;
    case 'rotl': return `((${a}<<${b})|(${a}>>>(32-(${b}&31))))`;
    case 'rotr': return `((${a}>>>${b})|(${a}<<(32-(${b}&31))))`;
    case 'eq': return `(${a}===${b}?1:0)`;
    case 'ne': return `(${a}!==${b}?1:0)`;
    case 'ltu': return `((${a}>>>0)<(${b}>>>0)?1:0)`;
    case 'leu': return `((${a}>>>0)<=(${b}>>>0)?1:0)`;
    case 'lts': return `(${a}<${b}?1:0)`;
    case 'les': return `(${a}<=${b}?1:0)`;
  }
}

/** JS source for one block's body. Exposed for tests and -d logs. */
export function blockSource(ir: IRBlock): string {
  const t = (n: number) => `t${n}`;
  const ty = (n: number): IntTy => ir.types[n];
  const lines: string[] = [];
  const marks: number[] = [];
  let insn = -1;
  const setIp = () => lines.push(`ip=${insn};`);
  const rm = (r: RmArg) => ('static' in r ? String(r.static) : `R.rm(${t(r.dyn)})`);
  // Convert a temp to bigint (i64 view) or number (i32 view) where an op needs it.
  const asBig = (n: number) => (ty(n) === 'i64' ? t(n) : `BigInt.asUintN(64,BigInt(${t(n)}))`);
  const fmtArg = (n: number) => t(n);
  for (const op of ir.ops) {
    switch (op.op) {
      case 'mark':
        insn++;
        marks.push(op.pc);
        break;
      case 'const':
        lines.push(`const ${t(op.out)}=${op.ty === 'i64' ? big(op.value) : String(Number(BigInt.asIntN(32, op.value)))};`);
        break;
      case 'get':
        lines.push(`const ${t(op.out)}=${op.ty === 'i64' ? `S[${op.slot}]` : `L[${op.slot * 2}]`};`);
        break;
      case 'set':
        lines.push(op.ty === 'i64' ? `S[${op.slot}]=${t(op.value)};` : `S[${op.slot}]=BigInt(${t(op.value)}>>>0);`);
        break;
      case 'bin':
        lines.push(`const ${t(op.out)}=${op.ty === 'i64' ? bin64(op.fn, t(op.a), t(op.b)) : bin32(op.fn, t(op.a), t(op.b))};`);
        break;
      case 'un': {
        const a = t(op.a);
        let e: string;
        if (op.ty === 'i32') {
          e = { clz: `Math.clz32(${a})`, ctz: `(${a}===0?32:31-Math.clz32(${a}&-${a}))`, popcnt: `R.popcnt32(${a})`, bswap: `R.bswap32(${a})` }[op.fn];
        } else {
          e = { clz: `R.clz64(${a})`, ctz: `R.ctz64(${a})`, popcnt: `R.popcnt64(${a})`, bswap: `R.bswap64(${a})` }[op.fn];
        }
        lines.push(`const ${t(op.out)}=${e};`);
        break;
      }
      case 'wrap':
        lines.push(`const ${t(op.out)}=Number(BigInt.asIntN(32,${t(op.a)}));`);
        break;
      case 'extend':
        lines.push(`const ${t(op.out)}=${op.signed ? `BigInt.asUintN(64,BigInt(${t(op.a)}))` : `BigInt(${t(op.a)}>>>0)`};`);
        break;
      case 'sext':
        lines.push(
          `const ${t(op.out)}=${
            op.ty === 'i64' ? `BigInt.asUintN(64,BigInt.asIntN(${op.bits},${t(op.a)}))` : op.bits === 32 ? t(op.a) : `((${t(op.a)}<<${32 - op.bits})>>${32 - op.bits})`
          };`,
        );
        break;
      case 'select':
        lines.push(`const ${t(op.out)}=${t(op.cond)}!==0?${t(op.a)}:${t(op.b)};`);
        break;
      case 'load': {
        setIp();
        const le = op.endian === 'le';
        const a = `R.addr(${asBig(op.addr)},${op.size},1)`;
        let e: string;
        if (op.size === 8) {
          e = `D.getBigUint64(${a},${le})`;
          if (op.ty === 'i32') e = `Number(BigInt.asIntN(32,${e}))`;
        } else {
          const get = { 1: op.signed ? 'getInt8' : 'getUint8', 2: op.signed ? 'getInt16' : 'getUint16', 4: op.signed ? 'getInt32' : 'getUint32' }[op.size];
          e = `D.${get}(${a}${op.size > 1 ? `,${le}` : ''})`;
          if (op.ty === 'i64') e = op.signed ? `BigInt.asUintN(64,BigInt(${e}))` : `BigInt(${e})`;
          else e = `(${e}|0)`;
        }
        lines.push(`const ${t(op.out)}=${e};`);
        break;
      }
      case 'store': {
        setIp();
        const le = op.endian === 'le';
        const a = `R.addr(${asBig(op.addr)},${op.size},2)`;
        const v = t(op.value);
        const vty = ty(op.value);
        if (op.size === 8) lines.push(`D.setBigUint64(${a},${asBig(op.value)},${le});`);
        else {
          const set = { 1: 'setUint8', 2: 'setUint16', 4: 'setUint32' }[op.size];
          const num = vty === 'i64' ? `Number(BigInt.asUintN(32,${v}))` : v;
          lines.push(`D.${set}(${a},${num}${op.size > 1 ? `,${le}` : ''});`);
        }
        break;
      }
      case 'amo':
      case 'cas':
      case 'll': {
        setIp();
        const le = op.endian === 'le';
        let e: string;
        if (op.op === 'amo') e = `R.amo('${op.fn}',${op.size},${asBig(op.addr)},${asBig(op.value)},${le})`;
        else if (op.op === 'cas') e = `R.cas(${op.size},${asBig(op.addr)},${asBig(op.expected)},${asBig(op.value)},${le})`;
        else e = `R.ll(${op.size},${asBig(op.addr)},${le})`;
        // old value: sign-extend 32-bit ones to the result type
        if (op.ty === 'i64') e = op.size === 4 ? `BigInt.asUintN(64,BigInt.asIntN(32,${e}))` : e;
        else e = `Number(BigInt.asIntN(32,${e}))`;
        lines.push(`const ${t(op.out)}=${e};`);
        break;
      }
      case 'sc':
        setIp();
        lines.push(`const ${t(op.out)}=R.sc(${op.size},${asBig(op.addr)},${asBig(op.value)},${op.endian === 'le'});`);
        break;
      case 'clearReservation':
        lines.push(`R.resAddr=-1;`);
        break;
      case 'fbin':
      case 'fsqrt':
      case 'ffma':
      case 'fcmp':
      case 'f2i':
      case 'i2f':
      case 'f2f': {
        setIp();
        let e: string;
        const w = (f: string) => (f === 'f32' ? '32' : '64');
        if (op.op === 'fbin') e = `F.fbin${w(op.fmt)}('${op.fn}',${fmtArg(op.a)},${fmtArg(op.b)},${rm(op.rm)})`;
        else if (op.op === 'fsqrt') e = `F.fsqrt${w(op.fmt)}(${fmtArg(op.a)},${rm(op.rm)})`;
        else if (op.op === 'ffma') e = `F.ffma${w(op.fmt)}(${t(op.a)},${t(op.b)},${t(op.c)},${rm(op.rm)})`;
        else if (op.op === 'fcmp') e = `F.fcmp${w(op.fmt)}('${op.fn}',${op.signaling},${t(op.a)},${t(op.b)}${op.mode !== undefined ? `,${t(op.mode)}` : ''})`;
        else if (op.op === 'f2i') e = `F.f2i('${op.from}',${t(op.a)},'${op.ty}',${op.signed},${rm(op.rm)})`;
        else if (op.op === 'i2f') e = `F.i2f('${op.to}',${t(op.a)},'${op.from}',${op.signed},${rm(op.rm)})`;
        else e = `F.f2f('${op.from}','${op.to}',${t(op.a)},${rm(op.rm)})`;
        lines.push(`const ${t(op.out)}=${e};`);
        if (op.flags !== undefined) lines.push(`const ${t(op.flags)}=F.flags;`);
        break;
      }
      case 'fclass':
        lines.push(`const ${t(op.out)}=F.fclass${op.fmt === 'f32' ? '32' : '64'}(${t(op.a)});`);
        break;
      case 'counter':
        lines.push(`const ${t(op.out)}=R.counter('${op.which}',${insn});`);
        break;
      case 'helper':
        lines.push(`const [${t(op.out)},${t(op.out2)}]=H(${op.id}).fn(${op.args.map(t).join(',')});`);
        break;
    }
  }
  lines.push(terminator(ir.end, t));
  const body = lines.join('\n');
  // Faults inside the block: record which instruction raised it (precise pc).
  return `let ip=0;\ntry {\n${body}\n} catch (e) { R.faultPc = PCS[ip]; throw e; }`;
}

function terminator(end: Terminator, t: (n: number) => string): string {
  switch (end.op) {
    case 'goto': return `return ${hex(end.pc)};`;
    case 'jump': return `return Number(${t(end.target)});`;
    case 'branch': return `return ${t(end.cond)}!==0?${hex(end.taken)}:${hex(end.fall)};`;
    case 'syscall': return `R.exit=${Exit.Syscall};return ${hex(end.next)};`;
    case 'trap': return `R.trap(${end.signal},${end.code},${hex(end.addr)});return ${hex(end.pc)};`;
    case 'flushCode': return `R.exit=${Exit.FlushCode};return ${hex(end.next)};`;
  }
}

/** The guest pcs of the block's instructions, in order (ip → pc for faults). */
function markPcs(ir: IRBlock): number[] {
  const pcs: number[] = [];
  for (const o of ir.ops) if (o.op === 'mark') pcs.push(o.pc);
  return pcs;
}

/** Runs of a block that tier 0 evaluates (ir-eval.ts) before making a JS function of it. The
 *  evaluator keeps i64 values as int32 pairs, while the generated code holds them as BigInt, so
 *  compiling pays only for a block run very often — and those are mostly taken over by tier 1
 *  (HOT_THRESHOLD + WARM runs) anyway. Measured CPU (perf stat task-clock, medians of 3–5):
 *  xz --version (arm64 Debian, dynamic): 100 → 484 ms, 200 → 463, 1000 → 454, 3000 → 446;
 *  Go goroutines fixture (rv64): 100 → 1472 ms, 300 → 1254, 1000 → 1174, 3000 → 1132, never → 1146;
 *  python3 -c 'print(1)' (arm64): 100 → 6.6 s, 1000 → 4.2–4.6 s, 3000 → 4.3 s, never → 4.5 s.
 *  Under --jit=interp a loop run millions of times still runs faster compiled (rv64 bench fib:
 *  1000 → 10.1 s, never → 11.9 s). $CROSSRUN_T0_COMPILE_AFTER overrides (0: compile at once, as
 *  before the evaluator existed; tests use it to check both paths). */
const envAfter = Number(process.env.CROSSRUN_T0_COMPILE_AFTER);
let compileAfter = Number.isInteger(envAfter) && envAfter >= 0 ? envAfter : 3000;

/** Set how many runs a block is evaluated before it is compiled (tests, tuning); returns the old value. */
export function setTier0CompileAfter(n: number): number {
  const old = compileAfter;
  compileAfter = n;
  return old;
}

/** Whether tier 0 evaluates a new block before it compiles it (else it compiles it at once). */
export function evaluatesFirst(): boolean {
  return compileAfter !== 0;
}

/** Counters for CROSSRUN_JIT_STATS. */
export const tier0Stats = { blocks: 0, compiled: 0, compileMs: 0 };

type Factory = (R: Tier0Runtime, S: BigUint64Array, L: Int32Array, D: DataView, F: unknown, PCS: readonly number[], H: typeof helperAt) => () => number;

/** What tier 0 keeps per IR block for every runtime (machine) that runs it — a fork child, another
 *  exec of the binary: blocks lifted once are shared (engine/translation-cache.ts). The generated
 *  JS depends on the IR only, so each runtime binds its own state to the one factory (and V8
 *  compiles the block's code once); runs are counted over all runtimes, so code that was warm in
 *  the parent is compiled, not walked again, in each child. */
interface PerIr {
  /** Guest pc of each instruction (ip → pc for faults), for the compiled function (made then). */
  pcs: readonly number[] | null;
  /** The block in the evaluator's form: made at its first evaluated run; null if it cannot be
   *  evaluated (or has not been translated yet while `evaluable`). */
  code: EvalCode | null;
  evaluable: boolean;
  runs: number;
  factory: Factory | null;
}
const perIr = new WeakMap<IRBlock, PerIr>();

function perIrOf(ir: IRBlock): PerIr {
  let p = perIr.get(ir);
  if (p === undefined) {
    p = { pcs: null, code: null, evaluable: true, runs: 0, factory: null };
    perIr.set(ir, p);
  }
  return p;
}

function pcsOf(ir: IRBlock, p: PerIr): readonly number[] {
  if (p.pcs === null) {
    const pcs = markPcs(ir);
    assert(pcs.length === ir.ninsns || ir.ninsns === 0, 'mark count does not match ninsns');
    if (pcs.length === 0) pcs.push(ir.pc);
    p.pcs = pcs;
  }
  return p.pcs;
}

/** The block's JS function (made with new Function: V8 compiles it like any other code). */
function compileRun(ir: IRBlock, rt: Tier0Runtime, p: PerIr): () => number {
  if (p.factory === null) {
    const t0 = nowMs();
    const src = blockSource(ir);
    p.factory = new Function('R', 'S', 'L', 'D', 'F', 'PCS', 'H', `return function block_${ir.pc.toString(16)}(){\n${src}\n};`) as Factory;
    tier0Stats.compiled++;
    tier0Stats.compileMs += nowMs() - t0;
  }
  return p.factory(rt, rt.S, rt.lo, rt.dv, rt.fpu, pcsOf(ir, p), helperAt);
}

/** Give tier 0 the evaluator's form of `ir`, made otherwise (by the lift, eval-builder.ts, or by
 *  an earlier run, kept by the translation store), so that it need not translate — nor read the
 *  ops of — the block. */
export function presetEvalCode(ir: IRBlock, code: Int32Array, start: number, starts: number, slow: SlowPart | null): void {
  const p = perIrOf(ir);
  if (p.code === null && p.factory === null) p.code = { id: newEvalId(), ir, code, start, starts, slow };
}

/** The evaluator's form tier 0 made of `ir`, if it has it. */
export function evalCodeOf(ir: IRBlock): EvalCode | null {
  return perIr.get(ir)?.code ?? null;
}

export function compileBlock(ir: IRBlock, rt: Tier0Runtime): CompiledBlock {
  const p = perIrOf(ir);
  tier0Stats.blocks++;
  const after = compileAfter;
  if (after !== 0 && p.factory === null && p.evaluable && p.code === null) {
    p.code = translate(ir);
    p.evaluable = p.code !== null;
  }
  // Compiled already (for another runtime): binding it costs less than evaluating.
  if (after === 0 || p.factory !== null || p.code === null) return { ir, run: compileRun(ir, rt, p), heat: 0, next0: null, next1: null };
  // Cold start: evaluate; after `after` runs (of any runtime), compile. A higher tier may have
  // wrapped or replaced blk.run meanwhile (it keeps calling the function it found): so this
  // function stays valid and delegates, and blk.run is only swapped while it is still this function.
  const blk: CompiledBlock = { ir, run: () => 0, heat: 0, next0: null, next1: null };
  let fn: (() => number) | null = null;
  const code = p.code;
  const run = (): number => {
    if (fn !== null) return fn();
    if (++p.runs <= after) return runCode(code, rt);
    fn = compileRun(ir, rt, p);
    // (p.code stays: the translation store writes it, and a later run's block arena runs it)
    if (blk.run === run) blk.run = fn;
    return fn();
  };
  blk.run = run;
  return blk;
}
