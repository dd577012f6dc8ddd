// Whether region code may use the host's fused multiply-add (wasm relaxed SIMD's f64x2.relaxed_madd
// and f32x4.relaxed_madd): an exact a·b + c in one instruction, where software needs Dekker's
// product and a careful sum.
// Relaxed SIMD lets an engine fuse or not; we use it only after checking, in this process, that it
// does fuse (V8 emits the same vfmadd in both its compilers when the CPU has FMA3, and CPU
// features do not change within a process). Node 20's V8 has relaxed SIMD behind a flag that
// must be set before any module using it is compiled; later versions have it on by default.
import { Code, ExternKind, ModuleBuilder, Simd, VT } from './encoder.js';
import { setV8Flags } from '../../host-v8-flags.js';

let probed: boolean | undefined;

/** The relaxed-SIMD fused multiply-add per format: a scalar is splatted, the lanes fused, lane 0
 *  read. Region code (fp-native.ts) and the probe below emit it from here. */
export const FUSED: Record<'f32' | 'f64', { vt: VT; splat: Simd; madd: Simd; lane: Simd }> = {
  f32: { vt: VT.f32, splat: Simd.f32x4_splat, madd: Simd.f32x4_relaxed_madd, lane: Simd.f32x4_extract_lane },
  f64: { vt: VT.f64, splat: Simd.f64x2_splat, madd: Simd.f64x2_relaxed_madd, lane: Simd.f64x2_extract_lane },
};

/** Cases where a fused and an unfused a·b + c differ, per format: [a, b, c, fused result]
 *  (every f32 case's values are f32s). */
const CASES: Record<keyof typeof FUSED, [number, number, number, number][]> = {
  f64: [
    [1 + 2 ** -52, 1 - 2 ** -52, -1, -(2 ** -104)],
    [2 ** 27 + 1, 2 ** 27 - 1, -(2 ** 54), -1],
    [0.1, 10, -1, 5.551115123125783e-17],
  ],
  f32: [
    [1 + 2 ** -23, 1 - 2 ** -23, -1, -(2 ** -46)],
    [2 ** 12 + 1, 2 ** 12 + 1, -(2 ** 24), 2 ** 13 + 1],
  ],
};
const FORMATS = ['f64', 'f32'] as const;

/** A module exporting each format's fused a·b + c under its format's name. */
function probeBytes(): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  for (const fmt of FORMATS) {
    const { vt, splat, madd, lane } = FUSED[fmt];
    const f = mb.declare([vt, vt, vt], [vt]);
    const c = new Code(3);
    c.get(0).simd(splat).get(1).simd(splat).get(2).simd(splat).simd(madd).simd(lane, 0);
    mb.define(f, c);
    mb.export(fmt, ExternKind.func, f);
  }
  return mb.toBytes();
}

export function hostFma(): boolean {
  if (probed !== undefined) return probed;
  probed = false;
  if (process.env.CROSSRUN_JIT_NO_HW_FMA === '1') return false;
  type Fma = (a: number, b: number, c: number) => number;
  const probe = () => new WebAssembly.Instance(new WebAssembly.Module(probeBytes())).exports as Record<keyof typeof FUSED, Fma>;
  try {
    let fma;
    try {
      fma = probe(); // bin/crossrun.js set the flag at start-up
    } catch {
      setV8Flags('--experimental-wasm-relaxed-simd');
      fma = probe();
    }
    probed = FORMATS.every((fmt) => CASES[fmt].every(([a, b, c, r]) => Object.is(fma[fmt](a, b, c), r)));
  } catch {
    probed = false; // no relaxed SIMD in this engine
  }
  return probed;
}
