// A small WebAssembly binary encoder: just what the region tier emits (one memory, one table,
// functions, imports, exports; MVP + sign-extension + multi-value opcodes). Ours rather than a
// library: the npm encoders (binaryen, wabt) are large WASM blobs that cost start-up time and
// memory, and we need ~200 lines of byte pushing, not an optimiser.

/** Value types. */
export const enum VT { i32 = 0x7f, i64 = 0x7e, f32 = 0x7d, f64 = 0x7c, funcref = 0x70 }
/** SIMD opcodes (after the 0xfd prefix) we emit: only to reach the host's fused multiply-add. */
export const enum Simd { f32x4_splat = 0x13, f64x2_splat = 0x14, f32x4_extract_lane = 0x1f, f64x2_extract_lane = 0x21, f32x4_relaxed_madd = 0x105, f64x2_relaxed_madd = 0x107 }
/** Block types: void or one value type. */
export const VOID = 0x40;

/** Opcodes we emit (the numbering is the spec's). */
export const enum Op {
  unreachable = 0x00, nop = 0x01, block = 0x02, loop = 0x03, if = 0x04, else = 0x05, end = 0x0b,
  br = 0x0c, br_if = 0x0d, br_table = 0x0e, return = 0x0f, call = 0x10, call_indirect = 0x11,
  return_call = 0x12, return_call_indirect = 0x13,
  drop = 0x1a, select = 0x1b,
  local_get = 0x20, local_set = 0x21, local_tee = 0x22, global_get = 0x23, global_set = 0x24,
  i32_load = 0x28, i64_load = 0x29, f32_load = 0x2a, f64_load = 0x2b,
  i32_load8_s = 0x2c, i32_load8_u = 0x2d, i32_load16_s = 0x2e, i32_load16_u = 0x2f,
  i64_load8_s = 0x30, i64_load8_u = 0x31, i64_load16_s = 0x32, i64_load16_u = 0x33, i64_load32_s = 0x34, i64_load32_u = 0x35,
  i32_store = 0x36, i64_store = 0x37, f32_store = 0x38, f64_store = 0x39,
  i32_store8 = 0x3a, i32_store16 = 0x3b, i64_store8 = 0x3c, i64_store16 = 0x3d, i64_store32 = 0x3e,
  i32_const = 0x41, i64_const = 0x42, f32_const = 0x43, f64_const = 0x44,
  i32_eqz = 0x45, i32_eq = 0x46, i32_ne = 0x47, i32_lt_s = 0x48, i32_lt_u = 0x49, i32_gt_s = 0x4a, i32_gt_u = 0x4b,
  i32_le_s = 0x4c, i32_le_u = 0x4d, i32_ge_s = 0x4e, i32_ge_u = 0x4f,
  i64_eqz = 0x50, i64_eq = 0x51, i64_ne = 0x52, i64_lt_s = 0x53, i64_lt_u = 0x54, i64_gt_s = 0x55, i64_gt_u = 0x56,
  i64_le_s = 0x57, i64_le_u = 0x58, i64_ge_s = 0x59, i64_ge_u = 0x5a,
  f32_eq = 0x5b, f32_ne = 0x5c, f32_lt = 0x5d, f32_gt = 0x5e, f32_le = 0x5f, f32_ge = 0x60,
  f64_eq = 0x61, f64_ne = 0x62, f64_lt = 0x63, f64_gt = 0x64, f64_le = 0x65, f64_ge = 0x66,
  i32_clz = 0x67, i32_ctz = 0x68, i32_popcnt = 0x69, i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c,
  i32_div_s = 0x6d, i32_div_u = 0x6e, i32_rem_s = 0x6f, i32_rem_u = 0x70, i32_and = 0x71, i32_or = 0x72, i32_xor = 0x73,
  i32_shl = 0x74, i32_shr_s = 0x75, i32_shr_u = 0x76, i32_rotl = 0x77, i32_rotr = 0x78,
  i64_clz = 0x79, i64_ctz = 0x7a, i64_popcnt = 0x7b, i64_add = 0x7c, i64_sub = 0x7d, i64_mul = 0x7e,
  i64_div_s = 0x7f, i64_div_u = 0x80, i64_rem_s = 0x81, i64_rem_u = 0x82, i64_and = 0x83, i64_or = 0x84, i64_xor = 0x85,
  i64_shl = 0x86, i64_shr_s = 0x87, i64_shr_u = 0x88, i64_rotl = 0x89, i64_rotr = 0x8a,
  f32_abs = 0x8b, f32_neg = 0x8c, f32_ceil = 0x8d, f32_floor = 0x8e, f32_trunc = 0x8f, f32_nearest = 0x90, f32_sqrt = 0x91,
  f32_add = 0x92, f32_sub = 0x93, f32_mul = 0x94, f32_div = 0x95, f32_min = 0x96, f32_max = 0x97, f32_copysign = 0x98,
  f64_abs = 0x99, f64_neg = 0x9a, f64_ceil = 0x9b, f64_floor = 0x9c, f64_trunc = 0x9d, f64_nearest = 0x9e, f64_sqrt = 0x9f,
  f64_add = 0xa0, f64_sub = 0xa1, f64_mul = 0xa2, f64_div = 0xa3, f64_min = 0xa4, f64_max = 0xa5, f64_copysign = 0xa6,
  i32_wrap_i64 = 0xa7, i32_trunc_f32_s = 0xa8, i32_trunc_f32_u = 0xa9, i32_trunc_f64_s = 0xaa, i32_trunc_f64_u = 0xab,
  i64_extend_i32_s = 0xac, i64_extend_i32_u = 0xad, i64_trunc_f32_s = 0xae, i64_trunc_f32_u = 0xaf,
  i64_trunc_f64_s = 0xb0, i64_trunc_f64_u = 0xb1,
  f32_convert_i32_s = 0xb2, f32_convert_i32_u = 0xb3, f32_convert_i64_s = 0xb4, f32_convert_i64_u = 0xb5, f32_demote_f64 = 0xb6,
  f64_convert_i32_s = 0xb7, f64_convert_i32_u = 0xb8, f64_convert_i64_s = 0xb9, f64_convert_i64_u = 0xba, f64_promote_f32 = 0xbb,
  i32_reinterpret_f32 = 0xbc, i64_reinterpret_f64 = 0xbd, f32_reinterpret_i32 = 0xbe, f64_reinterpret_i64 = 0xbf,
  i32_extend8_s = 0xc0, i32_extend16_s = 0xc1, i64_extend8_s = 0xc2, i64_extend16_s = 0xc3, i64_extend32_s = 0xc4,
}

/** A growable byte buffer with LEB128 writers. */
export class Bytes {
  buf: Uint8Array = new Uint8Array(256);
  len = 0;

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u8(b: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = b;
  }
  /** Unsigned LEB128 of a non-negative integer below 2^32. */
  u32(v: number): void {
    this.grow(5);
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.buf[this.len++] = b;
    } while (v !== 0);
  }
  /** Signed LEB128 of an int32 (any int32 or uint32 representation). */
  s32(v: number): void {
    this.grow(5);
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.buf[this.len++] = b;
        return;
      }
      this.buf[this.len++] = b | 0x80;
    }
  }
  /** Signed LEB128 of a 64-bit value (taken modulo 2^64). */
  s64(v: bigint): void {
    const n = Number(BigInt.asIntN(64, v));
    if (Number.isSafeInteger(n) && Math.abs(n) < 2 ** 31) return this.s32(n);
    this.grow(10);
    let x = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
        this.buf[this.len++] = b;
        return;
      }
      this.buf[this.len++] = b | 0x80;
    }
  }
  f64(v: number): void {
    this.grow(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.len, v, true);
    this.len += 8;
  }
  bytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.bytes(b);
  }
  /** A size-prefixed copy of another buffer. */
  sized(b: Bytes): void {
    this.u32(b.len);
    this.bytes(b.buf.subarray(0, b.len));
  }
  get result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Natural alignment exponent for an access of `size` bytes. */
function alignOf(size: number): number {
  return size === 8 ? 3 : size === 4 ? 2 : size === 2 ? 1 : 0;
}
const ACCESS_SIZE: Partial<Record<Op, number>> = {
  [Op.i32_load]: 4, [Op.i64_load]: 8, [Op.f32_load]: 4, [Op.f64_load]: 8,
  [Op.i32_load8_s]: 1, [Op.i32_load8_u]: 1, [Op.i32_load16_s]: 2, [Op.i32_load16_u]: 2,
  [Op.i64_load8_s]: 1, [Op.i64_load8_u]: 1, [Op.i64_load16_s]: 2, [Op.i64_load16_u]: 2,
  [Op.i64_load32_s]: 4, [Op.i64_load32_u]: 4,
  [Op.i32_store]: 4, [Op.i64_store]: 8, [Op.f32_store]: 4, [Op.f64_store]: 8,
  [Op.i32_store8]: 1, [Op.i32_store16]: 2, [Op.i64_store8]: 1, [Op.i64_store16]: 2, [Op.i64_store32]: 4,
};

/** A function body being emitted: locals are declared up front by the caller via `local()`. */
export class Code extends Bytes {
  private readonly localTypes: VT[] = [];
  constructor(readonly nparams: number) {
    super();
  }
  /** A new local of type t; returns its index. */
  local(t: VT): number {
    this.localTypes.push(t);
    return this.nparams + this.localTypes.length - 1;
  }
  op(o: Op): this {
    this.u8(o);
    return this;
  }
  get(l: number): this {
    this.u8(Op.local_get);
    this.u32(l);
    return this;
  }
  set(l: number): this {
    this.u8(Op.local_set);
    this.u32(l);
    return this;
  }
  tee(l: number): this {
    this.u8(Op.local_tee);
    this.u32(l);
    return this;
  }
  i32(v: number): this {
    this.u8(Op.i32_const);
    this.s32(v);
    return this;
  }
  i64(v: bigint | number): this {
    this.u8(Op.i64_const);
    if (typeof v === 'number' && Math.abs(v) < 2 ** 31) this.s32(v);
    else this.s64(BigInt(v));
    return this;
  }
  f64c(v: number): this {
    this.u8(Op.f64_const);
    this.f64(v);
    return this;
  }
  /** A load or store with natural alignment (the hint only; wasm allows any) and a constant offset. */
  mem(o: Op, offset = 0): this {
    this.u8(o);
    this.u32(alignOf(ACCESS_SIZE[o] ?? 1));
    this.u32(offset >>> 0);
    return this;
  }
  /** block / loop / if with a void or single-value result. */
  begin(o: Op.block | Op.loop | Op.if, bt: number = VOID): this {
    this.u8(o);
    this.u8(bt);
    return this;
  }
  end(): this {
    this.u8(Op.end);
    return this;
  }
  br(depth: number): this {
    this.u8(Op.br);
    this.u32(depth);
    return this;
  }
  brIf(depth: number): this {
    this.u8(Op.br_if);
    this.u32(depth);
    return this;
  }
  brTable(depths: readonly number[], dflt: number): this {
    this.u8(Op.br_table);
    this.u32(depths.length);
    for (const d of depths) this.u32(d);
    this.u32(dflt);
    return this;
  }
  call(f: number): this {
    this.u8(Op.call);
    this.u32(f);
    return this;
  }
  callIndirect(type: number, table = 0): this {
    this.u8(Op.call_indirect);
    this.u32(type);
    this.u32(table);
    return this;
  }
  returnCallIndirect(type: number, table = 0): this {
    this.u8(Op.return_call_indirect);
    this.u32(type);
    this.u32(table);
    return this;
  }
  /** A SIMD-prefixed (0xfd) instruction, with a lane index where it takes one. */
  simd(op: number, lane?: number): this {
    this.u8(0xfd);
    this.u32(op);
    if (lane !== undefined) this.u8(lane);
    return this;
  }
  /** The function's code entry: local declarations (run-length grouped) + body + end. */
  encode(): Bytes {
    const out = new Bytes();
    const groups: [number, VT][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    out.u32(groups.length);
    for (const [n, t] of groups) {
      out.u32(n);
      out.u8(t);
    }
    out.bytes(this.result);
    out.u8(Op.end);
    const entry = new Bytes();
    entry.sized(out);
    return entry;
  }
}

export const enum ExternKind { func = 0, table = 1, memory = 2, global = 3 }

interface FuncType { params: VT[]; results: VT[] }

/** Builds one module: types (deduplicated), imports, functions, a table/memory import, exports. */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports = new Bytes();
  private nimports = 0;
  private nfuncImports = 0;
  private readonly funcTypes: number[] = [];
  private readonly bodies: Bytes[] = [];
  private readonly exports: { name: string; kind: ExternKind; index: number }[] = [];
  private readonly funcNames: { index: number; name: string }[] = [];

  type(params: VT[], results: VT[]): number {
    const key = params.join(',') + '>' + results.join(',');
    let i = this.typeKeys.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push({ params, results });
      this.typeKeys.set(key, i);
    }
    return i;
  }
  /** Imports must all come before the first defined function. */
  importFunc(module: string, name: string, params: VT[], results: VT[]): number {
    if (this.funcTypes.length > 0) throw new Error('wasm encoder: imports after functions');
    const t = this.type(params, results);
    this.importHead(module, name, ExternKind.func);
    this.imports.u32(t);
    return this.nfuncImports++;
  }
  /** A memory import; `shared` for a SharedArrayBuffer-backed memory (limits flag 3: the
   *  import must say so or instantiation fails). */
  importMemory(module: string, name: string, minPages: number, maxPages: number, shared = false): void {
    this.importHead(module, name, ExternKind.memory);
    this.imports.u8(shared ? 3 : 1);
    this.imports.u32(minPages);
    this.imports.u32(maxPages);
  }
  importTable(module: string, name: string, min: number): void {
    this.importHead(module, name, ExternKind.table);
    this.imports.u8(VT.funcref);
    this.imports.u8(0);
    this.imports.u32(min);
  }
  private importHead(module: string, name: string, kind: ExternKind): void {
    this.imports.name(module);
    this.imports.name(name);
    this.imports.u8(kind);
    this.nimports++;
  }
  /** Declare a function (its index, for calls); give its body later with `define`. */
  declare(params: VT[], results: VT[]): number {
    this.funcTypes.push(this.type(params, results));
    this.bodies.push(new Bytes());
    return this.nfuncImports + this.funcTypes.length - 1;
  }
  define(index: number, code: Code): void {
    this.bodies[index - this.nfuncImports] = code.encode();
  }
  /** Give a function's body already encoded (Code.encode().result, of this run or an earlier
   *  one): kept as it is, not copied. */
  defineEncoded(index: number, body: Uint8Array): void {
    const b = new Bytes();
    b.buf = body;
    b.len = body.length;
    this.bodies[index - this.nfuncImports] = b;
  }
  export(name: string, kind: ExternKind, index: number): void {
    this.exports.push({ name, kind, index });
  }
  /** Name a function in the module's "name" section (what V8's profiler shows). */
  nameFunction(index: number, name: string): void {
    this.funcNames.push({ index, name });
  }

  toBytes(): Uint8Array<ArrayBuffer> {
    const out = new Bytes();
    out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const section = (id: number, body: Bytes) => {
      out.u8(id);
      out.sized(body);
    };
    const types = new Bytes();
    types.u32(this.types.length);
    for (const t of this.types) {
      types.u8(0x60);
      types.u32(t.params.length);
      for (const p of t.params) types.u8(p);
      types.u32(t.results.length);
      for (const r of t.results) types.u8(r);
    }
    section(1, types);
    if (this.nimports > 0) {
      const imports = new Bytes();
      imports.u32(this.nimports);
      imports.bytes(this.imports.result);
      section(2, imports);
    }
    const funcs = new Bytes();
    funcs.u32(this.funcTypes.length);
    for (const t of this.funcTypes) funcs.u32(t);
    section(3, funcs);
    const exports = new Bytes();
    exports.u32(this.exports.length);
    for (const e of this.exports) {
      exports.name(e.name);
      exports.u8(e.kind);
      exports.u32(e.index);
    }
    section(7, exports);
    const code = new Bytes();
    code.u32(this.bodies.length);
    for (const b of this.bodies) code.bytes(b.result);
    section(10, code);
    if (this.funcNames.length > 0) {
      const names = new Bytes();
      names.u32(this.funcNames.length);
      for (const f of this.funcNames) {
        names.u32(f.index);
        names.name(f.name);
      }
      const custom = new Bytes();
      custom.name('name');
      custom.u8(1); // function names
      custom.sized(names);
      section(0, custom);
    }
    return new Uint8Array(out.result);
  }
}
