// Whether region code may use the host's fused multiply-add (wasm relaxed SIMD's f64x2.relaxed_madd
// and f32x4.relaxed_madd):
// an exact a·b + c in one instruction, where software needs Dekker's product and a careful sum.
// Relaxed SIMD lets an engine fuse or not; we use it only after checking, in this process, that it
// does fuse (V8 emits the same vfmadd in both its compilers when the CPU has FMA3, and CPU
// features do not change within a process). Node 20's V8 has relaxed SIMD behind a flag that
// must be set before any module using it is compiled; later versions have it on by default.
import { Code, ExternKind, ModuleBuilder, Simd, VT } from './encoder.js';
import { hostRequire } from '../../host-require.js';

let probed: boolean | undefined;

/** Cases where a fused and an unfused a·b + c differ: [a, b, c, fused result]. */
const CASES: [number, number, number, number][] = [
  [1 + 2 ** -52, 1 - 2 ** -52, -1, -(2 ** -104)],
  [2 ** 27 + 1, 2 ** 27 - 1, -(2 ** 54), -1],
  [0.1, 10, -1, 5.551115123125783e-17],
];
/** The same for single precision (every value an f32). */
const CASES32: [number, number, number, number][] = [
  [1 + 2 ** -23, 1 - 2 ** -23, -1, -(2 ** -46)],
  [2 ** 12 + 1, 2 ** 12 + 1, -(2 ** 24), 2 ** 13 + 1],
];

function probeBytes(): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  const f = mb.declare([VT.f64, VT.f64, VT.f64], [VT.f64]);
  const c = new Code(3);
  c.get(0).simd(Simd.f64x2_splat).get(1).simd(Simd.f64x2_splat).get(2).simd(Simd.f64x2_splat);
  c.simd(Simd.f64x2_relaxed_madd).simd(Simd.f64x2_extract_lane, 0);
  mb.define(f, c);
  mb.export('fma', ExternKind.func, f);
  const f32 = mb.declare([VT.f32, VT.f32, VT.f32], [VT.f32]);
  const c32 = new Code(3);
  c32.get(0).simd(Simd.f32x4_splat).get(1).simd(Simd.f32x4_splat).get(2).simd(Simd.f32x4_splat);
  c32.simd(Simd.f32x4_relaxed_madd).simd(Simd.f32x4_extract_lane, 0);
  mb.define(f32, c32);
  mb.export('fma32', ExternKind.func, f32);
  return mb.toBytes();
}

export function hostFma(): boolean {
  if (probed !== undefined) return probed;
  probed = false;
  if (process.env.CROSSRUN_JIT_NO_HW_FMA === '1') return false;
  type Fma = (a: number, b: number, c: number) => number;
  const probe = () => new WebAssembly.Instance(new WebAssembly.Module(probeBytes())).exports as { fma: Fma; fma32: Fma };
  try {
    let fma;
    try {
      fma = probe(); // bin/crossrun.js set the flag at start-up
    } catch {
      // (node:v8 costs ~2 ms to load: only when the flag was not set yet)
      hostRequire<typeof import('node:v8')>('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
      fma = probe();
    }
    probed = CASES.every(([a, b, c, r]) => Object.is(fma.fma(a, b, c), r)) && CASES32.every(([a, b, c, r]) => Object.is(fma.fma32(a, b, c), r));
  } catch {
    probed = false; // no relaxed SIMD in this engine
  }
  return probed;
}
