// Advanced SIMD structure loads and stores: LD1–LD4/ST1–ST4 of multiple structures, of a single
// lane, and LD1R–LD4R (load and replicate), each with optional post-index (immediate or register).
import type { BlockBuilder } from '../../jit/builder.js';
import type { MemSize, Temp } from '../../jit/ir.js';
import { bit, bits } from './bits.js';
import { X, XS, ins } from './dis-util.js';
import { row, type Decoded, type InsnDef } from './insn.js';
import { c64, rsp, rz, wsp } from './lift-util.js';
import { vhi, vlo } from './regs.js';
import { getLane, setLane } from './simd-perm.js';
import { type Esize, arr, getLanes, setLanes } from './vec-util.js';

const Q = (w: number) => bit(w, 30);
const L = (w: number) => bit(w, 22);
const postIndexed = (w: number) => bit(w, 23) === 1;

/** Multiple structures: opcode → (registers, structure elements). */
const MULTI: Record<number, [number, number]> = { 0: [4, 4], 2: [4, 1], 4: [3, 3], 6: [3, 1], 7: [1, 1], 8: [2, 2], 10: [2, 1] };

function regList(t: number, n: number, suffix: string): string {
  const regs = Array.from({ length: n }, (_, i) => `v${(t + i) % 32}.${suffix}`);
  if (n >= 3 && t + n - 1 < 32) return `{${regs[0]}-${regs[n - 1]}}`;
  return `{${regs.join(', ')}}`;
}
function disPost(d: Decoded, bytes: number): string {
  const base = `[${XS(d.rn)}]`;
  if (!postIndexed(d.raw)) return base;
  return d.rm === 31 ? `${base}, #${bytes}` : `${base}, ${X(d.rm)}`;
}
function writeback(b: BlockBuilder, d: Decoded, base: Temp, bytes: number): void {
  if (!postIndexed(d.raw)) return;
  wsp(b, d.rn, b.bin('add', base, d.rm === 31 ? c64(b, bytes) : rz(b, d.rm, 1)));
}

// ---- multiple structures: 0 Q 001100 P L 0 Rm opcode size Rn Rt
function multi(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const [nregs, selem] = MULTI[bits(w, 15, 12)];
  const q = Q(w);
  const es = (8 << bits(w, 11, 10)) as Esize;
  const eb = es / 8;
  const regBytes = q ? 16 : 8;
  const base = rsp(b, d.rn, 1);
  const at = (off: number) => (off === 0 ? base : b.bin('add', base, c64(b, off)));
  const load = L(w) === 1;
  if (selem === 1) {
    // LD1/ST1: registers are contiguous in memory
    if (load) {
      const vals: Temp[][] = [];
      for (let r = 0; r < nregs; r++) {
        vals.push([b.load('i64', 8, false, at(r * regBytes)), q ? b.load('i64', 8, false, at(r * regBytes + 8)) : c64(b, 0)]);
      }
      vals.forEach(([lo, hi], r) => { b.set(vlo((d.rd + r) % 32), lo); b.set(vhi((d.rd + r) % 32), hi); });
    } else {
      for (let r = 0; r < nregs; r++) {
        const t = (d.rd + r) % 32;
        b.store(8, at(r * regBytes), b.get('i64', vlo(t)));
        if (q) b.store(8, at(r * regBytes + 8), b.get('i64', vhi(t)));
      }
    }
  } else {
    const lanesPer = regBytes / eb;
    const ty = es === 64 ? 'i64' : 'i32';
    if (load) {
      const lanes: Temp[][] = Array.from({ length: selem }, () => []);
      for (let e = 0; e < lanesPer; e++) {
        for (let s = 0; s < selem; s++) lanes[s].push(b.load(ty, eb as MemSize, false, at((e * selem + s) * eb)));
      }
      lanes.forEach((l, s) => setLanes(b, (d.rd + s) % 32, l, es));
    } else {
      const lanes = Array.from({ length: selem }, (_, s) => getLanes(b, (d.rd + s) % 32, es, q));
      for (let e = 0; e < lanesPer; e++) {
        for (let s = 0; s < selem; s++) b.store(eb as MemSize, at((e * selem + s) * eb), lanes[s][e]);
      }
    }
  }
  writeback(b, d, base, nregs * regBytes);
}
function disMulti(d: Decoded): string {
  const w = d.raw;
  const [nregs, selem] = MULTI[bits(w, 15, 12)];
  const q = Q(w);
  const es = (8 << bits(w, 11, 10)) as Esize;
  const name = (L(w) ? 'ld' : 'st') + selem;
  return ins(name, regList(d.rd, nregs, arr(es, q)), disPost(d, nregs * (q ? 16 : 8)));
}
const multiReserved = (w: number) => {
  const m = MULTI[bits(w, 15, 12)];
  return m === undefined || (m[1] > 1 && bits(w, 11, 10) === 3 && Q(w) === 0) || bits(w, 21, 16) !== 0 && !postIndexed(w);
};

// ---- single structure: 0 Q 001101 P L R Rm opcode S size Rn Rt
interface Single { selem: number; es: Esize; index: number; replicate: boolean }
function singleOf(w: number): Single | null {
  const opcode = bits(w, 15, 13);
  const selem = (((opcode & 1) << 1) | bit(w, 21)) + 1;
  const s = bit(w, 12);
  const size = bits(w, 11, 10);
  const q = Q(w);
  switch (opcode >> 1) {
    case 0: return { selem, es: 8, index: (q << 3) | (s << 2) | size, replicate: false };
    case 1: return size & 1 ? null : { selem, es: 16, index: (q << 2) | (s << 1) | (size >> 1), replicate: false };
    case 2:
      if (size === 0) return { selem, es: 32, index: (q << 1) | s, replicate: false };
      if (size === 1 && s === 0) return { selem, es: 64, index: q, replicate: false };
      return null;
    default:
      return L(w) === 1 && s === 0 ? { selem, es: (8 << size) as Esize, index: 0, replicate: true } : null;
  }
}
function single(b: BlockBuilder, d: Decoded): void {
  const w = d.raw;
  const { selem, es, index, replicate } = singleOf(w)!;
  const eb = es / 8;
  const base = rsp(b, d.rn, 1);
  const at = (off: number) => (off === 0 ? base : b.bin('add', base, c64(b, off)));
  const ty = es === 64 ? 'i64' : 'i32';
  if (L(w)) {
    const vals: Temp[] = [];
    for (let s = 0; s < selem; s++) vals.push(b.load(ty, eb as MemSize, false, at(s * eb)));
    vals.forEach((v, s) => {
      const t = (d.rd + s) % 32;
      if (replicate) setLanes(b, t, new Array((Q(w) ? 128 : 64) / es).fill(v), es);
      else setLane(b, t, es, index, v);
    });
  } else {
    for (let s = 0; s < selem; s++) b.store(eb as MemSize, at(s * eb), getLane(b, (d.rd + s) % 32, es, index));
  }
  writeback(b, d, base, selem * eb);
}
function disSingle(d: Decoded): string {
  const w = d.raw;
  const { selem, es, index, replicate } = singleOf(w)!;
  const name = (L(w) ? 'ld' : 'st') + selem + (replicate ? 'r' : '');
  const ch = { 8: 'b', 16: 'h', 32: 's', 64: 'd' }[es];
  const list = replicate ? regList(d.rd, selem, arr(es, Q(w))) : `${regList(d.rd, selem, ch)}[${index}]`;
  return ins(name, list, disPost(d, selem * (es / 8)));
}
const singleReserved = (w: number) => singleOf(w) === null || (bits(w, 20, 16) !== 0 && !postIndexed(w));

export const SIMD_LDST: InsnDef[] = [
  row('ld1.multi', '0x001100 xx0xxxxx xxxxxxxx xxxxxxxx', multi, disMulti, multiReserved),
  row('ld1.single', '0x001101 xxxxxxxx xxxxxxxx xxxxxxxx', single, disSingle, singleReserved),
];
