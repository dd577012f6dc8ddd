// IR → WebAssembly: one region (several guest blocks) becomes one wasm function
//   (func (param $entry i32) (param $left i64) (result i32))   → the next guest pc; Slot.WHY says
//   why it returned. $left: guest instructions it may run before it leaves at a back-edge
//   (LIMIT − ICOUNT, passed on from region to region when they chain; ICOUNT is stored when it
//   returns).
//
// Shape of the function:
//   load every guest register the region touches into an i64 local
//   block $exit
//    block $fault
//     loop $S0                      ;; the region: a dispatch on $idx (the entry block, or where
//       block … block               ;;  a backward branch goes), then its items in layout order:
//         br_table $idx             ;;  blocks, and loops (spans.ts) nested the same way, each a
//       end  code(b0)               ;;  `loop` with its own small dispatch
//       end  code(b1) …             ;; forward branches are a plain br to the target's label
//   end                             ;; spill the registers the region writes, store ICOUNT/WHY,
//                                   ;;  or tail-call the next region through the jump cache
// Faults and special terminators set $npc/$why and br $exit: the locals always hold the guest
// registers' current values, so the one spill sequence at $exit is right from anywhere, and
// faults are precise. A memory access the inline check cannot prove leaves with Why.RESTART
// before anything of its instruction happened; tier 0 then runs that instruction.
import { Code, ExternKind, ModuleBuilder, Op, VT } from './encoder.js';
import { IMPORT_NAMES, IMPORTS, type ImportName } from './imports.js';
import type { Region, RegionShape } from './region.js';
import { RegionEmitter } from './region-emitter.js';
import { mulhu64Body } from './mulh64.js';
import type { FpEnv } from '../fpu-api.js';

/** CROSSRUN_JIT_NAMES=1: name each region's function r_<pc of the block it grew from>, so that a
 *  profile (node --cpu-prof) shows where guest time goes. */
const NAMES = process.env.CROSSRUN_JIT_NAMES === '1';

/** Table slots 0 … HOST_SLOTS-1 hold the host functions (IMPORT_NAMES order); regions follow. */
export const HOST_SLOTS = IMPORT_NAMES.length;

/** Functions every module defines for the compiler's own use. */
export interface Helpers {
  mulhu64: number;
  bswap32: number;
  bswap64: number;
}

export interface CompileOptions {
  /** The ISA's FP environment; null: every FP op goes to the FPU library. */
  readonly fpEnv: FpEnv | null;
  /** The host's fused multiply-add may be used (host-fma.ts). */
  readonly hwFma?: boolean;
  /** Region exits tail-call the next region through the jump cache (default); off: every exit
   *  returns to the dispatcher (which counts them for CROSSRUN_JIT_PROFILE). */
  readonly chain?: boolean;
  /** Guest memory is a shared WebAssembly.Memory (its buffer a SharedArrayBuffer). */
  readonly sharedMemory?: boolean;
  /** Flags are computed only where read (flag-quads.ts; default); false: at every set. */
  readonly lazyFlags?: boolean;
  /** FP values are held in f64 locals where that saves conversions (float-locals.ts; default);
   *  false: every value as integer bits. */
  readonly floatLocals?: boolean;
}

/** The encoded bodies of the functions every module starts with (host stubs, helpers), made by
 *  the first ModuleCompiler: they are the same bytes in every module (the same type and function
 *  indexes), and encoding them again cost ~0.3 ms a module (lua5.4: 230 modules). */
const fixedBodies: Uint8Array[] = [];

/** Builds one module holding any number of regions (exported as r0, r1, …). */
export class ModuleCompiler {
  private readonly mb = new ModuleBuilder();
  private readonly imp = {} as Record<ImportName, number>;
  private readonly helpers: Helpers;
  private readonly regionType: number;
  private nregions = 0;
  private nfixed = 0;

  constructor(private readonly opts: CompileOptions) {
    const mb = this.mb;
    mb.importMemory('rt', 'mem', 65536, 65536, opts.sharedMemory ?? false);
    mb.importTable('rt', 'table', 0);
    this.regionType = mb.type([VT.i32, VT.i64], [VT.i32]);
    // Host calls go through the shared table's first slots (HOST_SLOTS), not function imports:
    // V8 compiles a wasm-to-JS wrapper per imported signature for every module it compiles
    // (~20 here, ~0.45 ms a module, measured), which made small region modules cost ~0.5 ms.
    // A stub per host function keeps call sites as plain calls.
    IMPORT_NAMES.forEach((name, slot) => {
      const [params, results] = IMPORTS[name];
      const type = mb.type([...params], [...results]);
      this.imp[name] = this.fixed([...params], [...results], () => {
        const c = new Code(params.length);
        params.forEach((_, p) => c.get(p));
        return c.i32(slot).callIndirect(type);
      });
    });
    this.helpers = {
      mulhu64: this.fixed([VT.i64, VT.i64], [VT.i64], mulhu64Body),
      bswap32: this.fixed([VT.i32], [VT.i32], bswap32Body),
      bswap64: 0,
    };
    const bswap32 = this.helpers.bswap32;
    this.helpers.bswap64 = this.fixed([VT.i64], [VT.i64], () => bswap64Body(bswap32));
  }

  /** Declares the module's next fixed function; its body from fixedBodies, or `make`'s. */
  private fixed(params: VT[], results: VT[], make: () => Code): number {
    const f = this.mb.declare(params, results);
    const k = this.nfixed++;
    fixedBodies[k] ??= make().encode().result;
    this.mb.defineEncoded(f, fixedBodies[k]);
    return f;
  }

  /** Adds a region emitted from its IR; returns its export name and encoded body. */
  addRegion(region: Region): { name: string; body: Uint8Array } {
    const body = new RegionEmitter(region, this.imp, this.helpers, this.opts, this.regionType).emit().encode().result;
    return { name: this.addEncoded(region, body), body };
  }

  /** Adds a region as `body`, what addRegion encoded for the same region and options (in this
   *  run or an earlier one); returns its export name. */
  addEncoded(region: RegionShape, body: Uint8Array): string {
    const f = this.mb.declare([VT.i32, VT.i64], [VT.i32]);
    this.mb.defineEncoded(f, body);
    const name = `r${this.nregions++}`;
    this.mb.export(name, ExternKind.func, f);
    if (NAMES) this.mb.nameFunction(f, `r_${region.blocks[region.entry].pc.toString(16)}`);
    return name;
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.mb.toBytes();
  }
}

function bswap32Body(): Code {
  const c = new Code(1);
  // [b3 b2 b1 b0] rotl 24 = [b0 b3 b2 b1] keep bytes 3, 1; rotl 8 = [b2 b1 b0 b3] keep bytes 2, 0.
  c.get(0).i32(24).op(Op.i32_rotl).i32(0xff00ff00).op(Op.i32_and);
  c.get(0).i32(8).op(Op.i32_rotl).i32(0x00ff00ff).op(Op.i32_and);
  c.op(Op.i32_or);
  return c;
}

/** `bswap32`: the index of the module's bswap32. */
function bswap64Body(bswap32: number): Code {
  const c = new Code(1);
  c.get(0).op(Op.i32_wrap_i64).call(bswap32).op(Op.i64_extend_i32_u).i64(32).op(Op.i64_shl);
  c.get(0).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64).call(bswap32).op(Op.i64_extend_i32_u);
  c.op(Op.i64_or);
  return c;
}
