// One codec for every kernel structure: a struct is declared once as data (field name, C type),
// resolved per data model (word size, byte order) with natural alignment, then read and written
// through a DataView. No per-arch hand-written copies.

export type Endian = 'le' | 'be';

/** What the codec needs to know about an ABI. */
export interface DataModel {
  readonly wordBits: 32 | 64;
  readonly endian: Endian;
  /** Alignment of 64-bit integers on 32-bit ABIs: 8 for arm EABI, riscv32, mips; 4 for i386. */
  readonly i64Align?: 4 | 8;
}

/** C scalar types. `long`, `ulong`, `ptr`, `size_t`, `ssize_t` follow the word size; `sigset` is the
 *  kernel's 64-signal set, stored as an array of words (word 0 holds signals 1..wordBits). */
export type Scalar =
  | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64'
  | 'char' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint'
  | 'long' | 'ulong' | 'ptr' | 'size_t' | 'ssize_t' | 'sigset';

/** A field's type: a scalar, a fixed array of scalars (`char[65]`, `u64[12]`), a nested struct, or
 *  a choice by word size where the C header uses sizeof() arithmetic. */
export type FieldType = Scalar | `${Scalar}[${number}]` | StructDecl | { readonly w32: FieldType; readonly w64: FieldType };

export interface StructDecl {
  readonly name: string;
  readonly fields: ReadonlyArray<readonly [string, FieldType]>;
}

export function defineStruct(name: string, fields: ReadonlyArray<readonly [string, FieldType]>): StructDecl {
  return { name, fields };
}

interface ScalarInfo {
  readonly size: 1 | 2 | 4 | 8;
  readonly align: number;
  readonly signed: boolean;
  /** sigset only: stored as 64/wordBits words of wordBits each. */
  readonly sigset: boolean;
}

export type ResolvedField =
  | { readonly name: string; readonly offset: number; readonly kind: 'scalar'; readonly scalar: ScalarInfo }
  | { readonly name: string; readonly offset: number; readonly kind: 'array'; readonly scalar: ScalarInfo; readonly count: number }
  | { readonly name: string; readonly offset: number; readonly kind: 'bytes'; readonly count: number }
  | { readonly name: string; readonly offset: number; readonly kind: 'struct'; readonly layout: StructLayout };

export interface StructLayout {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly littleEndian: boolean;
  readonly wordBits: 32 | 64;
  readonly fields: readonly ResolvedField[];
  readonly byName: ReadonlyMap<string, ResolvedField>;
}

/** Values accepted when encoding; missing fields are written as zero. */
export type FieldInput = number | bigint | string | Uint8Array | ReadonlyArray<number | bigint> | StructInput;
export interface StructInput { readonly [field: string]: FieldInput | undefined }
/** Values produced when decoding: integers as bigint (signed types sign-extended), char arrays as
 *  bytes (a copy), other arrays as bigint[], nested structs as records. */
export type FieldOutput = bigint | Uint8Array | bigint[] | StructOutput;
export interface StructOutput { readonly [field: string]: FieldOutput }

function scalarInfo(t: Scalar, m: DataModel): ScalarInfo {
  const w = (m.wordBits / 8) as 4 | 8;
  const i64Align = m.wordBits === 64 ? 8 : (m.i64Align ?? 8);
  const s = (size: 1 | 2 | 4 | 8, signed: boolean): ScalarInfo => ({
    size, signed, sigset: false, align: size === 8 ? i64Align : size,
  });
  switch (t) {
    case 'u8': case 'uchar': return s(1, false);
    case 'i8': case 'char': return s(1, true);
    case 'u16': case 'ushort': return s(2, false);
    case 'i16': case 'short': return s(2, true);
    case 'u32': case 'uint': return s(4, false);
    case 'i32': case 'int': return s(4, true);
    case 'u64': return s(8, false);
    case 'i64': return s(8, true);
    case 'long': case 'ssize_t': return { size: w, align: w, signed: true, sigset: false };
    case 'ulong': case 'ptr': case 'size_t': return { size: w, align: w, signed: false, sigset: false };
    case 'sigset': return { size: 8, align: w, signed: false, sigset: true };
  }
}

const ARRAY_RE = /^([a-z0-9_]+)\[(\d+)\]$/;
const cache = new WeakMap<StructDecl, Map<string, StructLayout>>();

/** Resolve a declaration for a data model: offsets with natural alignment, size rounded up to the
 *  struct's alignment. Cached per declaration and model. */
export function layout(decl: StructDecl, m: DataModel): StructLayout {
  const key = `${m.wordBits}${m.endian}${m.i64Align ?? 8}`;
  let perDecl = cache.get(decl);
  if (!perDecl) cache.set(decl, (perDecl = new Map()));
  const hit = perDecl.get(key);
  if (hit) return hit;

  const fields: ResolvedField[] = [];
  let off = 0;
  let maxAlign = 1;
  const place = (align: number, size: number): number => {
    off = Math.ceil(off / align) * align;
    const at = off;
    off += size;
    maxAlign = Math.max(maxAlign, align);
    return at;
  };
  for (const [name, type0] of decl.fields) {
    let type = type0;
    while (typeof type === 'object' && 'w32' in type) type = m.wordBits === 32 ? type.w32 : type.w64;
    if (typeof type === 'object') {
      const sub = layout(type, m);
      fields.push({ name, kind: 'struct', layout: sub, offset: place(sub.align, sub.size) });
      continue;
    }
    const arr = ARRAY_RE.exec(type);
    if (arr) {
      const elem = arr[1] as Scalar;
      const count = Number(arr[2]);
      const info = scalarInfo(elem, m);
      if (info.size === 1 && (elem === 'char' || elem === 'uchar' || elem === 'u8' || elem === 'i8')) {
        fields.push({ name, kind: 'bytes', count, offset: place(1, count) });
      } else {
        fields.push({ name, kind: 'array', scalar: info, count, offset: place(info.align, info.size * count) });
      }
      continue;
    }
    const info = scalarInfo(type as Scalar, m);
    fields.push({ name, kind: 'scalar', scalar: info, offset: place(info.align, info.size) });
  }
  const size = Math.ceil(off / maxAlign) * maxAlign;
  const result: StructLayout = {
    name: decl.name, size, align: maxAlign, littleEndian: m.endian === 'le', wordBits: m.wordBits,
    fields, byName: new Map(fields.map((f) => [f.name, f])),
  };
  perDecl.set(key, result);
  return result;
}

export function offsetOf(l: StructLayout, field: string): number {
  const f = l.byName.get(field);
  if (!f) throw new Error(`struct ${l.name} has no field ${field}`);
  return f.offset;
}

function toBig(v: FieldInput | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  throw new TypeError(`expected an integer, got ${typeof v}`);
}

function writeScalar(dv: DataView, at: number, s: ScalarInfo, v: bigint, le: boolean, wordBits: number): void {
  if (s.sigset) {
    if (wordBits === 64) dv.setBigUint64(at, BigInt.asUintN(64, v), le);
    else {
      dv.setUint32(at, Number(v & 0xffffffffn), le);
      dv.setUint32(at + 4, Number((v >> 32n) & 0xffffffffn), le);
    }
    return;
  }
  switch (s.size) {
    case 1: dv.setUint8(at, Number(BigInt.asUintN(8, v))); break;
    case 2: dv.setUint16(at, Number(BigInt.asUintN(16, v)), le); break;
    case 4: dv.setUint32(at, Number(BigInt.asUintN(32, v)), le); break;
    case 8: dv.setBigUint64(at, BigInt.asUintN(64, v), le); break;
  }
}

function readScalar(dv: DataView, at: number, s: ScalarInfo, le: boolean, wordBits: number): bigint {
  if (s.sigset) {
    if (wordBits === 64) return dv.getBigUint64(at, le);
    return BigInt(dv.getUint32(at, le)) | (BigInt(dv.getUint32(at + 4, le)) << 32n);
  }
  switch (s.size) {
    case 1: return BigInt(s.signed ? dv.getInt8(at) : dv.getUint8(at));
    case 2: return BigInt(s.signed ? dv.getInt16(at, le) : dv.getUint16(at, le));
    case 4: return BigInt(s.signed ? dv.getInt32(at, le) : dv.getUint32(at, le));
    case 8: return s.signed ? dv.getBigInt64(at, le) : dv.getBigUint64(at, le);
  }
}

/** Write `value` as struct `l` at dv[offset]. All l.size bytes are written (absent fields and
 *  padding become zero), so no stale guest bytes leak through padding. */
export function encode(l: StructLayout, dv: DataView, offset: number, value: StructInput): void {
  new Uint8Array(dv.buffer, dv.byteOffset + offset, l.size).fill(0);
  encodeFields(l, dv, offset, value);
}

function encodeFields(l: StructLayout, dv: DataView, offset: number, value: StructInput): void {
  const le = l.littleEndian;
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const f = l.byName.get(name);
    if (!f) throw new Error(`struct ${l.name} has no field ${name}`);
    const at = offset + f.offset;
    switch (f.kind) {
      case 'scalar':
        writeScalar(dv, at, f.scalar, toBig(v), le, l.wordBits);
        break;
      case 'bytes': {
        const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : v instanceof Uint8Array ? v : null;
        if (!bytes) throw new TypeError(`${l.name}.${name}: expected a string or bytes`);
        new Uint8Array(dv.buffer, dv.byteOffset + at, f.count).set(bytes.subarray(0, f.count));
        break;
      }
      case 'array': {
        if (!Array.isArray(v)) throw new TypeError(`${l.name}.${name}: expected an array`);
        const items = v as ReadonlyArray<number | bigint>;
        for (let i = 0; i < Math.min(items.length, f.count); i++) {
          writeScalar(dv, at + i * f.scalar.size, f.scalar, toBig(items[i]), le, l.wordBits);
        }
        break;
      }
      case 'struct':
        if (typeof v !== 'object' || v instanceof Uint8Array || Array.isArray(v)) {
          throw new TypeError(`${l.name}.${name}: expected a struct`);
        }
        encodeFields(f.layout, dv, at, v as StructInput);
        break;
    }
  }
}

export function decode(l: StructLayout, dv: DataView, offset: number): StructOutput {
  const le = l.littleEndian;
  const out: Record<string, FieldOutput> = {};
  for (const f of l.fields) {
    const at = offset + f.offset;
    switch (f.kind) {
      case 'scalar': out[f.name] = readScalar(dv, at, f.scalar, le, l.wordBits); break;
      case 'bytes': out[f.name] = new Uint8Array(dv.buffer, dv.byteOffset + at, f.count).slice(); break;
      case 'array': {
        const a: bigint[] = [];
        for (let i = 0; i < f.count; i++) a.push(readScalar(dv, at + i * f.scalar.size, f.scalar, le, l.wordBits));
        out[f.name] = a;
        break;
      }
      case 'struct': out[f.name] = decode(f.layout, dv, at); break;
    }
  }
  return out;
}

/** A decoded integer field (throws if the field is not a scalar: a declaration bug). */
export function big(s: StructOutput, field: string): bigint {
  const v = s[field];
  if (typeof v !== 'bigint') throw new Error(`field ${field} is not an integer`);
  return v;
}
export function num(s: StructOutput, field: string): number {
  return Number(big(s, field));
}
export function sub(s: StructOutput, field: string): StructOutput {
  const v = s[field];
  if (typeof v !== 'object' || v instanceof Uint8Array || Array.isArray(v)) throw new Error(`field ${field} is not a struct`);
  return v;
}
