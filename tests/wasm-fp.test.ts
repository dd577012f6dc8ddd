// The wasm tier's FP ops (native fast paths plus the library fallback) against the FPU library
// itself, bit for bit and flag for flag: the recorded qemu vectors' operands plus generated ones
// (hard rounding cases, the underflow/overflow edges, specials, integer boundaries), every
// rounding mode static and dynamic, both FP environments, and both ways flags are used (returned,
// or accrued into a register that may already hold NX, where the tier skips the NX check).
//
// One region per configuration loops over a table of cases in guest memory:
//   case i at DATA + 64·i: a, b, c, rm (dynamic modes), accrued-flags start value | out: result, flags
// The same loop runs in tier 0's wasm evaluator too, whose FP ops have the same fast paths
// (eval-fp.ts) and fall back to the library through the JS handlers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import { Fpu } from '../src/jit/fpu.js';
import type { FpEnv } from '../src/jit/fpu-api.js';
import type { FloatFmt, IntTy, IRBlock, RmArg, Temp } from '../src/jit/ir.js';
import { Perm } from '../src/mem/address-space.js';
import { Rng } from './rng.js';
import { ARM, RISCV, randArgs, randEdgeArgs, randFinite, randForInt } from './fpu/harness.js';
import { S32, S64, type FormatSpec } from './fpu/oracle.js';
import { Side } from './wasm-harness.js';
import { hostFma } from '../src/jit/wasm/host-fma.js';
import { AddressSpace } from '../src/mem/address-space.js';
import { Tier0Runtime } from '../src/jit/interp/runtime.js';
import { evalBlock } from '../src/jit/interp/ir-eval.js';
import { wasmEvaluator } from '../src/jit/interp/eval-wasm.js';
import { GuestSignal } from '../src/signals.js';

const DATA = 0x100000;
const CASE = 64;
const MAX_CASES = 1024;
const WINDOWS = [{ start: DATA, len: CASE * MAX_CASES, prot: Perm.R | Perm.W }];
const LOOP = 0x10000;

type Spec =
  | { op: 'fbin'; fn: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'minnum' | 'maxnum'; fmt: FloatFmt }
  | { op: 'fsqrt'; fmt: FloatFmt }
  | { op: 'ffma'; fmt: FloatFmt }
  | { op: 'fcmp'; fn: 'eq' | 'lt' | 'le' | 'unord'; signaling: boolean; fmt: FloatFmt }
  | { op: 'f2i'; from: FloatFmt; ty: IntTy; signed: boolean }
  | { op: 'i2f'; to: FloatFmt; from: IntTy; signed: boolean }
  | { op: 'f2f'; from: FloatFmt; to: FloatFmt };

interface Case {
  args: bigint[];
  rm: number;
  acc: number;
}

const width = (t: FloatFmt | IntTy): 4 | 8 => (t === 'f32' || t === 'i32' ? 4 : 8);
const ity = (t: FloatFmt | IntTy): IntTy => (width(t) === 4 ? 'i32' : 'i64');
const argTypes = (s: Spec): (FloatFmt | IntTy)[] =>
  s.op === 'f2i' ? [s.from] : s.op === 'i2f' ? [s.from] : s.op === 'f2f' ? [s.from] : s.op === 'fsqrt' ? [s.fmt] : s.op === 'ffma' ? [s.fmt, s.fmt, s.fmt] : [s.fmt, s.fmt];
const resultType = (s: Spec): FloatFmt | IntTy => (s.op === 'fcmp' ? 'i32' : s.op === 'f2i' ? s.ty : s.op === 'i2f' ? s.to : s.op === 'f2f' ? s.to : s.fmt);
const hasRm = (s: Spec) => s.op !== 'fcmp' && !(s.op === 'fbin' && (s.fn === 'min' || s.fn === 'max' || s.fn === 'minnum' || s.fn === 'maxnum'));

/** The looping block: slot 0 walks the table, slot 1 accrues flags when `accrue`. */
function loopBlock(s: Spec, rm: 'dyn' | number, accrue: boolean): IRBlock {
  const b = new IRBuilder(LOOP);
  b.mark(LOOP, 4);
  const p = b.get('i64', 0);
  const at = (off: number) => b.bin('add', p, b.const('i64', BigInt(off)));
  const args = argTypes(s).map((t, i) => b.load(ity(t), width(t), false, at(8 * i)));
  const rmArg: RmArg = rm === 'dyn' ? { dyn: b.load('i32', 4, false, at(24)) } : { static: rm };
  if (accrue) b.set(1, b.load('i64', 8, false, at(32)));
  let r: Temp;
  let f: Temp | undefined;
  switch (s.op) {
    case 'fbin': [r, f] = b.fbin(s.fn, s.fmt, args[0], args[1], hasRm(s) ? rmArg : { static: 0 }); break;
    case 'fsqrt': [r, f] = b.fsqrt(s.fmt, args[0], rmArg); break;
    case 'ffma': [r, f] = b.ffma(s.fmt, args[0], args[1], args[2], rmArg); break;
    case 'fcmp': [r, f] = b.fcmp(s.fn, s.fmt, args[0], args[1], s.signaling); break;
    case 'f2i': [r, f] = b.f2i(s.from, s.ty, s.signed, args[0], rmArg); break;
    case 'i2f': [r, f] = b.i2f(s.to, s.signed, args[0], rmArg); break;
    case 'f2f': [r, f] = b.f2f(s.from, s.to, args[0], rmArg); break;
  }
  b.store(width(resultType(s)), at(40), r);
  if (accrue) {
    // `set 1 (or (get 1) flags)` with nothing else reading the or: the pattern the tier takes for
    // accrual (it then skips the NX test while slot 1 holds NX); the store reads the slot again
    b.set(1, b.bin('or', b.get('i32', 1), f!));
    b.store(4, at(48), b.get('i32', 1));
  } else b.store(4, at(48), f!);
  const next = at(CASE);
  b.set(0, next);
  b.end({ op: 'branch', cond: b.bin('ltu', next, b.get('i64', 2)), taken: LOOP, fall: 0x20000 });
  return b.finish();
}

/** The library's answer: result bits (unsigned, the result's width) and flags. */
function reference(fpu: Fpu, s: Spec, c: Case): { r: bigint; f: number } {
  const [a, b, cc] = c.args;
  const n32 = (x: bigint) => Number(BigInt.asIntN(32, x));
  const big = (v: number | bigint, w: 4 | 8) => BigInt.asUintN(w * 8, BigInt(v));
  const rm = c.rm;
  let r: number | bigint;
  switch (s.op) {
    case 'fbin': r = s.fmt === 'f32' ? fpu.fbin32(s.fn, n32(a), n32(b), hasRm(s) ? rm : 0) : fpu.fbin64(s.fn, a, b, hasRm(s) ? rm : 0); break;
    case 'fsqrt': r = s.fmt === 'f32' ? fpu.fsqrt32(n32(a), rm) : fpu.fsqrt64(a, rm); break;
    case 'ffma': r = s.fmt === 'f32' ? fpu.ffma32(n32(a), n32(b), n32(cc), rm) : fpu.ffma64(a, b, cc, rm); break;
    case 'fcmp': r = s.fmt === 'f32' ? fpu.fcmp32(s.fn, s.signaling, n32(a), n32(b)) : fpu.fcmp64(s.fn, s.signaling, a, b); break;
    case 'f2i': r = fpu.f2i(s.from, s.from === 'f32' ? n32(a) : a, s.ty, s.signed, rm); break;
    case 'i2f': r = fpu.i2f(s.to, s.from === 'i32' ? n32(a) : a, s.from, s.signed, rm); break;
    case 'f2f': r = fpu.f2f(s.from, s.to, s.from === 'f32' ? n32(a) : a, rm); break;
  }
  return { r: big(r, width(resultType(s))), f: fpu.flags };
}

// ---- operands

const SPECIAL32 = [0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00001n, 0x7f800001n, 0x7fa00003n, 1n, 0x80000001n, 0x007fffffn, 0x00800000n, 0x7f7fffffn, 0x3f800000n, 0xbf800000n, 0x4b000000n, 0x3f000000n];
const SPECIAL64 = [0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000001n, 0x7ff0000000000001n, 0x7ff4000000000003n, 1n, 0x000fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0x3ff0000000000000n, 0xbff0000000000000n, 0x4330000000000000n, 0x3fe0000000000000n];

function floatArg(r: Rng, f: FormatSpec, forInt: boolean): bigint {
  const k = r.below(8);
  if (k === 0) return (f.bits === 32 ? SPECIAL32 : SPECIAL64)[r.below(f.bits === 32 ? SPECIAL32.length : SPECIAL64.length)];
  if (k === 1) return f.bits === 32 ? BigInt(r.u32()) : r.u64();
  if (forInt || k === 2) return randForInt(r, f);
  return randFinite(r, f);
}
function intArg(r: Rng, t: IntTy): bigint {
  const w = t === 'i32' ? 32 : 64;
  const k = r.below(4);
  const v = k === 0 ? BigInt(r.below(100)) - 50n : k === 1 ? BigInt.asIntN(w, 1n << BigInt(r.below(w))) + BigInt(r.below(5)) - 2n : r.u64();
  return BigInt.asUintN(w, v);
}

function genCases(s: Spec, rng: Rng, n: number, rms: number[]): Case[] {
  const out: Case[] = [];
  const fmt = (t: FloatFmt | IntTy) => (t === 'f32' ? S32 : S64);
  for (let i = 0; i < n; i++) {
    let args: bigint[];
    const arith = s.op === 'fbin' && ['add', 'sub', 'mul', 'div'].includes(s.fn) ? s.fn : s.op === 'fsqrt' ? 'sqrt' : s.op === 'ffma' ? 'fma' : null;
    if (arith !== null && rng.below(3) !== 0) {
      const f = fmt((s as { fmt: FloatFmt }).fmt);
      args = (arith === 'mul' || arith === 'div' || arith === 'fma') && rng.below(4) === 0 ? randEdgeArgs(rng, f, arith) : randArgs(rng, f, arith as 'add');
    } else {
      args = argTypes(s).map((t) => (t === 'i32' || t === 'i64' ? intArg(rng, t) : floatArg(rng, fmt(t), s.op === 'f2i')));
    }
    out.push({ args, rm: rms[i % rms.length], acc: rng.below(3) === 0 ? 1 : rng.below(2) === 0 ? 0 : rng.below(32) });
  }
  return out;
}

/** Cases from the recorded qemu vectors for this spec (operands and modes only). */
function vectorCases(s: Spec): Case[] {
  const name =
    s.op === 'fbin' ? `${s.fn}.${s.fmt === 'f32' ? 's' : 'd'}` : s.op === 'fsqrt' ? `sqrt.${s.fmt === 'f32' ? 's' : 'd'}` : s.op === 'ffma' ? `fma.${s.fmt === 'f32' ? 's' : 'd'}` :
    s.op === 'fcmp' ? `${s.fn}.${s.fmt === 'f32' ? 's' : 'd'}` :
    s.op === 'f2i' ? `f2i.${s.from === 'f32' ? 's' : 'd'}.${s.signed ? '' : 'u'}${s.ty === 'i32' ? 32 : 64}` :
    s.op === 'i2f' ? `i2f.${s.to === 'f32' ? 's' : 'd'}.${s.signed ? '' : 'u'}${s.from === 'i32' ? 32 : 64}` :
    `f2f.${s.to === 'f32' ? 's' : 'd'}.${s.from === 'f32' ? 's' : 'd'}`;
  const out: Case[] = [];
  for (const line of VECTORS) {
    const w = line.split(' ');
    if (w[0] !== name) continue;
    const eq = w.indexOf('=');
    out.push({ rm: Number(w[1]), args: w.slice(2, eq).map((h) => BigInt('0x' + h)), acc: 0 });
  }
  return out;
}
/** Hand-made cases the generators are unlikely to hit. */
function extraCases(s: Spec): Case[] {
  if (s.op !== 'ffma' || s.fmt !== 'f32') return [];
  // (1+2^-23)·2^-24 × (1-2^-23) + (1+2^-23): the double sum lands exactly on the f32 midpoint
  // 1+2^-23+2^-24 (2^-70 below it), where rounding the double again would go up to the even side.
  const out: Case[] = [];
  for (const sign of [0n, 0x80000000n]) {
    for (const rm of [0, 1, 2, 3, 4]) out.push({ rm, acc: 0, args: [0x33800001n ^ sign, 0x3f7ffffen, 0x3f800001n ^ sign] });
  }
  return out;
}

const VECTORS = readFileSync(new URL('./fpu/vectors-riscv64.txt', import.meta.url), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));

/** The host's fused multiply-add where this process has one, and the software paths. */
const HW = hostFma() ? [true, false] : [false];
const sides = new Map<string, Side>();
function side(env: FpEnv, hw = false): Side {
  const key = `${env.propagateNaN} ${hw}`;
  let s = sides.get(key);
  if (s === undefined) sides.set(key, (s = new Side(WINDOWS, 4, env, true, undefined, hw)));
  return s;
}

/** Tier 0's side: a memory with the case table, and its evaluator. */
const evalMem = new AddressSpace();
for (const w of WINDOWS) evalMem.map(w.start, w.len, w.prot);

/** Runs the loop in tier 0's wasm evaluator (the FPU library behind it); null when it left the
 *  loop, else why it stopped. */
function evalLoop(env: FpEnv, ir: IRBlock, fill: (mem: AddressSpace, S: BigUint64Array) => void): string | null {
  const rt = new Tier0Runtime(evalMem, 4, new Fpu(env));
  rt.evaluator = wasmEvaluator(evalMem.memory);
  expect(rt.evaluator).not.toBeNull();
  fill(evalMem, rt.S);
  let pc = LOOP;
  try {
    while (pc === LOOP) pc = evalBlock(ir, rt);
  } catch (e) {
    if (!(e instanceof GuestSignal)) throw e;
    return `stopped: fault ${e.signal}`;
  }
  return pc === 0x20000 ? null : `stopped at ${pc.toString(16)}`;
}

/** Runs the cases through the region (or tier 0's evaluator); returns mismatches as text. */
function check(env: FpEnv, s: Spec, rm: 'dyn' | number, accrue: boolean, cases: Case[], hw: boolean, tier: 'region' | 'eval' = 'region'): string[] {
  const fpu = new Fpu(env);
  const bad: string[] = [];
  for (let start = 0; start < cases.length; start += MAX_CASES) {
    const chunk = cases.slice(start, start + MAX_CASES).map((c) => ({ ...c, rm: rm === 'dyn' ? c.rm : rm }));
    const fill = (mem: AddressSpace, S: BigUint64Array) => {
      chunk.forEach((c, i) => {
        const at = DATA + CASE * i;
        c.args.forEach((v, k) => mem.view.setBigUint64(at + 8 * k, BigInt.asUintN(64, v), true));
        mem.view.setUint32(at + 24, c.rm, true);
        mem.view.setBigUint64(at + 32, BigInt(c.acc), true);
      });
      S[0] = BigInt(DATA);
      S[2] = BigInt(DATA + CASE * chunk.length);
    };
    let mem: AddressSpace;
    if (tier === 'eval') {
      const stop = evalLoop(env, loopBlock(s, rm, accrue), fill);
      if (stop !== null) {
        bad.push(stop);
        break;
      }
      mem = evalMem;
    } else {
      const sd = side(env, hw);
      sd.init(fill);
      const out = sd.run([loopBlock(s, rm, accrue)], LOOP, 10);
      if (out.how !== 'left') {
        bad.push(`stopped: ${out.how} at ${out.pc.toString(16)} ${out.signal ?? ''}`);
        break;
      }
      mem = sd.mem;
    }
    chunk.forEach((c, i) => {
      const at = DATA + CASE * i;
      const w = width(resultType(s));
      const got = w === 4 ? BigInt(mem.view.getUint32(at + 40, true)) : mem.view.getBigUint64(at + 40, true);
      const gotF = mem.view.getUint32(at + 48, true);
      const want = reference(fpu, s, c);
      const wantF = accrue ? (want.f | c.acc) >>> 0 : want.f;
      if (got !== want.r || gotF !== wantF) {
        bad.push(`${c.args.map((x) => x.toString(16)).join(' ')} rm ${c.rm} acc ${c.acc}: got ${got.toString(16)} /${gotF}, library ${want.r.toString(16)} /${wantF}`);
      }
    });
  }
  return bad.slice(0, 10);
}

const SPECS: Spec[] = [];
for (const fmt of ['f32', 'f64'] as const) {
  for (const fn of ['add', 'sub', 'mul', 'div', 'min', 'max', 'minnum', 'maxnum'] as const) SPECS.push({ op: 'fbin', fn, fmt });
  SPECS.push({ op: 'fsqrt', fmt }, { op: 'ffma', fmt });
  for (const fn of ['eq', 'lt', 'le', 'unord'] as const) for (const signaling of [false, true]) SPECS.push({ op: 'fcmp', fn, signaling, fmt });
}
for (const a of ['f32', 'f64'] as const) {
  for (const t of ['i32', 'i64'] as const) {
    for (const signed of [true, false]) {
      SPECS.push({ op: 'f2i', from: a, ty: t, signed }, { op: 'i2f', to: a, from: t, signed });
    }
  }
}
SPECS.push({ op: 'f2f', from: 'f32', to: 'f64' }, { op: 'f2f', from: 'f64', to: 'f32' });

const label = (s: Spec) => Object.values(s).join(' ');

describe('wasm tier FP ops are bit-exact with the FPU library', () => {
  for (const s of SPECS) {
    it(label(s), () => {
      const rng = new Rng(label(s).length * 7919 + SPECS.indexOf(s));
      const bad: string[] = [];
      for (const env of [RISCV, ARM]) {
        for (const hw of HW) {
          const all = [...vectorCases(s), ...extraCases(s), ...genCases(s, rng, 600, [0, 1, 2, 3, 4])];
          // dynamic modes (the vectors' own and the generated ones), flags returned and accrued
          bad.push(...check(env, s, 'dyn', false, all, hw));
          bad.push(...check(env, s, 'dyn', true, all, hw));
          // static modes
          if (hasRm(s)) for (const rm of [0, 1, 4]) bad.push(...check(env, s, rm, rm === 0, genCases(s, rng, 200, [rm]), hw));
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it("tier 0's evaluator: every op, both environments, dynamic and static modes, flags returned and accrued", () => {
    const rng = new Rng(4099);
    const bad: string[] = [];
    for (const s of SPECS) {
      for (const env of [RISCV, ARM]) {
        const all = [...vectorCases(s), ...extraCases(s), ...genCases(s, rng, 300, [0, 1, 2, 3, 4])];
        bad.push(...check(env, s, 'dyn', false, all, false, 'eval').map((b) => `${label(s)}: ${b}`));
        bad.push(...check(env, s, 'dyn', true, all, false, 'eval').map((b) => `${label(s)}: ${b}`));
        if (hasRm(s)) for (const rm of [0, 1]) bad.push(...check(env, s, rm, rm === 0, genCases(s, rng, 100, [rm]), false, 'eval').map((b) => `${label(s)}: ${b}`));
      }
    }
    expect(bad).toEqual([]);
  });

  it('an invalid dynamic rounding mode is SIGILL at the instruction, even where the result is exact', () => {
    for (const s of [SPECS.find((x) => x.op === 'i2f')!, SPECS.find((x) => x.op === 'fbin' && x.fn === 'add')!, SPECS.find((x) => x.op === 'f2f')!]) {
      const sd = side(RISCV);
      sd.init((mem, S) => {
        mem.view.setUint32(DATA + 24, 5, true);
        S[0] = BigInt(DATA);
        S[2] = BigInt(DATA + CASE);
      });
      const out = sd.run([loopBlock(s, 'dyn', false)], LOOP, 10);
      expect([out.how, out.pc, out.signal]).toEqual(['fault', LOOP, [4, 1, 0]]); // the engine puts the pc in as the address
    }
  });
});
