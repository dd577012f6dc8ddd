// The A64 cryptographic extension and the IR `helper` op it lifts to: the helpers' arithmetic
// against published answers (FIPS-197 S-box and MixColumns examples, a SHA-1/SHA-256 block
// computed the way ARM's intrinsics code does, checked against node:crypto, a carry-less product),
// and helper calls through tier 0 and the wasm tier on the same IR. (Bit exactness against
// qemu-aarch64 is the difftest's job: class `crypto`, corpus batch seed-6-extensions.)
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../src/jit/builder.js';
import { defineHelper, HELPERS } from '../src/jit/helpers.js';
import { aes, aesMix, clmul64, sha1Hash, sha1su0, sha1su1, sha256h, sha256h2, sha256su0, sha256su1 } from '../src/arch/aarch64/crypto-impl.js';
import { decode, Decoded } from '../src/arch/aarch64/decode.js';
import { HWCAP, HWCAP2 } from '../src/arch/aarch64/hwcap.js';
import { aarch64Cpuinfo } from '../src/arch/aarch64/cpuinfo.js';
import { RISCV } from './fpu/harness.js';
import { runBoth } from './wasm-harness.js';

type V = readonly [bigint, bigint];
const v128 = (bytes: number[]): V => {
  let lo = 0n;
  let hi = 0n;
  for (let i = 7; i >= 0; i--) {
    lo = (lo << 8n) | BigInt(bytes[i]);
    hi = (hi << 8n) | BigInt(bytes[i + 8]);
  }
  return [lo, hi];
};
const toBytes = ([lo, hi]: V) => [...Array(16)].map((_, i) => Number(((i < 8 ? lo : hi) >> BigInt(8 * (i % 8))) & 0xffn));
const fromWords = (w: number[]): V => [BigInt(w[0] >>> 0) | (BigInt(w[1] >>> 0) << 32n), BigInt(w[2] >>> 0) | (BigInt(w[3] >>> 0) << 32n)];
const words = ([lo, hi]: V) => [lo & 0xffffffffn, lo >> 32n, hi & 0xffffffffn, hi >> 32n].map(Number);
const add4 = (a: V, b: V) => fromWords(words(a).map((x, i) => (x + words(b)[i]) >>> 0));

describe('AES', () => {
  it('AESE with a zero key is ShiftRows then SubBytes (FIPS-197 S-box entries)', () => {
    // all bytes equal: ShiftRows changes nothing
    expect(toBytes(aes(false, ...v128(Array(16).fill(0x53)), 0n, 0n))).toEqual(Array(16).fill(0xed));
    expect(toBytes(aes(false, ...v128(Array(16).fill(0x00)), 0n, 0n))).toEqual(Array(16).fill(0x63));
    // AESD undoes it
    const x = v128([...Array(16)].map((_, i) => (i * 37 + 11) & 0xff));
    expect(aes(true, ...aes(false, ...x, 0n, 0n), 0n, 0n)).toEqual(x);
  });
  it('ShiftRows moves row r left by r columns (state bytes column-major)', () => {
    const id = [...Array(16)].map((_, i) => i);
    const inv = [...Array(256)].map((_, s) => toBytes(aes(false, ...v128(Array(16).fill(s)), 0n, 0n))[0]);
    const out = toBytes(aes(false, ...v128(id), 0n, 0n)).map((s) => inv.indexOf(s));
    expect(out).toEqual([0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11]);
  });
  it('AESMC mixes columns (the FIPS-197 / Wikipedia examples) and AESIMC inverts it', () => {
    const col = [0xdb, 0x13, 0x53, 0x45, 0xf2, 0x0a, 0x22, 0x5c, 0x01, 0x01, 0x01, 0x01, 0xd4, 0xd4, 0xd4, 0xd5];
    expect(toBytes(aesMix(false, ...v128(col)))).toEqual([0x8e, 0x4d, 0xa1, 0xbc, 0x9f, 0xdc, 0x58, 0x9d, 0x01, 0x01, 0x01, 0x01, 0xd5, 0xd5, 0xd7, 0xd6]);
    expect(aesMix(true, ...aesMix(false, ...v128(col)))).toEqual(v128(col));
  });
});

/** One 64-byte block's big-endian words as four vectors. */
function blockWords(msg: Buffer): V[] {
  const w = [...Array(16)].map((_, i) => msg.readUInt32BE(4 * i));
  return [0, 1, 2, 3].map((i) => fromWords(w.slice(4 * i, 4 * i + 4)));
}
function padded(text: string): Buffer {
  const b = Buffer.alloc(64);
  b.write(text, 'latin1');
  b[text.length] = 0x80;
  b.writeUInt32BE(text.length * 8, 60);
  return b;
}

describe('SHA-256 and SHA-1 as ARM code composes the instructions', () => {
  it('SHA256H/H2/SU0/SU1 give the SHA-256 of "abc"', () => {
    const K = [
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
      0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
      0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    const init: V[] = [fromWords([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a]), fromWords([0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])];
    let [s0, s1] = init;
    const msg = blockWords(padded('abc'));
    for (let i = 0; i < 16; i++) {
      const wk = add4(msg[i % 4], fromWords(K.slice(4 * i, 4 * i + 4)));
      const abcd = s0;
      s0 = sha256h(...s0, ...s1, ...wk);
      s1 = sha256h2(...s1, ...abcd, ...wk);
      if (i < 12) msg[i % 4] = sha256su1(...sha256su0(...msg[i % 4], ...msg[(i + 1) % 4]), ...msg[(i + 2) % 4], ...msg[(i + 3) % 4]);
    }
    const digest = [...words(add4(s0, init[0])), ...words(add4(s1, init[1]))].map((w) => w.toString(16).padStart(8, '0')).join('');
    expect(digest).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('SHA1C/P/M/H/SU0/SU1 give the SHA-1 of "abc"', () => {
    const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
    const h0 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    const e0 = 0xc3d2e1f0;
    let abcd = fromWords(h0);
    let e = BigInt(e0);
    const msg = blockWords(padded('abc'));
    for (let i = 0; i < 20; i++) {
      const wk = add4(msg[i % 4], fromWords(Array(4).fill(K[Math.floor(i / 5)])));
      const eNext = BigInt(((Number(abcd[0] & 0xffffffffn) << 30) | (Number(abcd[0] & 0xffffffffn) >>> 2)) >>> 0);
      const f = i < 5 ? 0 : i < 10 || i >= 15 ? 1 : 2; // choose, parity, majority, parity
      abcd = sha1Hash(f, ...abcd, e, ...wk);
      e = eNext; // SHA1H of the old A
      if (i < 16) msg[i % 4] = sha1su1(...sha1su0(...msg[i % 4], ...msg[(i + 1) % 4], ...msg[(i + 2) % 4]), ...msg[(i + 3) % 4]);
    }
    const out = [...words(add4(abcd, fromWords(h0))), (Number(e) + e0) >>> 0];
    expect(out.map((w) => w.toString(16).padStart(8, '0')).join('')).toBe(createHash('sha1').update('abc').digest('hex'));
  });
});

describe('PMULL (64-bit)', () => {
  it('is a carry-less product', () => {
    expect(clmul64(3n, 3n)).toEqual([5n, 0n]);
    expect(clmul64(1n << 63n, 1n << 63n)).toEqual([0n, 1n << 62n]);
    expect(clmul64((1n << 64n) - 1n, (1n << 64n) - 1n)).toEqual([0x5555555555555555n, 0x5555555555555555n]);
  });
});

describe('the IR helper op', () => {
  const swapAdd = defineHelper('test.swap-add', 3, (a, b, c) => [(b + c) & ((1n << 64n) - 1n), a ^ c]); // results in [0, 2^64)
  it('defineHelper gives one id per name', () => {
    expect(defineHelper('test.swap-add', 3, () => [0n, 0n])).toBe(swapAdd);
    expect(HELPERS[swapAdd].name).toBe('test.swap-add');
  });
  it('runs the same in tier 0 and the wasm tier', () => {
    const b = new IRBuilder(0x10000);
    b.mark(0x10000, 4);
    const [r0, r1] = b.helper(swapAdd, [b.get('i64', 0), b.get('i64', 1), b.get('i64', 2)]);
    b.set(3, r0);
    b.set(4, r1);
    const [p0, p1] = b.helper(HELPERS.findIndex((h) => h.name === 'aarch64.pmull64'), [r0, b.get('i64', 2)]);
    b.set(5, p0);
    b.set(6, p1);
    b.end({ op: 'goto', pc: 0x10004 });
    const blk = b.finish();
    const { t0, t1 } = runBoth([blk], 0x10000, {
      windows: [],
      nslots: 8,
      env: RISCV,
      fill: (_m, S) => {
        S[0] = 0x8000000000000001n;
        S[1] = 0xfffffffffffffff0n;
        S[2] = 0x123456789abcdef0n;
      },
    });
    expect(t1).toEqual(t0);
    const sum = (0xfffffffffffffff0n + 0x123456789abcdef0n) & ((1n << 64n) - 1n);
    const [lo, hi] = clmul64(sum, 0x123456789abcdef0n);
    expect(t0.S.slice(3, 7)).toEqual([sum, 0x8000000000000001n ^ 0x123456789abcdef0n, lo, hi].map((v) => v.toString(16)));
  });
});

describe('decoding and HWCAP', () => {
  it('decodes every new class, and leaves reserved neighbours unallocated', () => {
    const d = new Decoded();
    const name = (w: number) => (decode(w, d), d.def?.name ?? null);
    expect(name(0x4e284820)).toBe('aes'); // aese v0.16b, v1.16b
    expect(name(0x5e020020)).toBe('sha3'); // sha1c q0, s1, v2.4s
    expect(name(0x5e007020)).toBe(null); // sha3 opcode 111
    expect(name(0x5e283820)).toBe(null); // sha2 opcode 00011
    expect(name(0x0ee2e020)).toBe('pmull64');
    expect(name(0x1e7e0020)).toBe('fjcvtzs');
    expect(name(0x1e284020)).toBe('frint32');
    expect(name(0x4e829420)).toBe('simd.same.extra'); // sdot v0.4s, v1.16b, v2.16b
    expect(name(0x0e029420)).toBe(null); // sdot with size 00
    expect(name(0x2ec28420)).toBe(null); // sqrdmlah with size 11
    expect(name(0xce020c20)).toBe('eor3'); // eor3 v0.16b, v1.16b, v2.16b, v3.16b
    expect(name(0xce49306d)).toBe(null); // sm3ss1 (FEAT_SM3: not implemented)
    expect(name(0xcec08420)).toBe(null); // sm4e
    expect(name(0xce628c20)).toBe('sha512.3'); // rax1 v0.2d, v1.2d, v2.2d
    expect(name(0xce62c020)).toBe(null); // sm3partw1
    expect(name(0xd500401f)).toBe('cfinv');
    expect(name(0xd500407f)).toBe(null); // MSR (immediate) op2 3 of that group
    expect(name(0xd50330ff)).toBe('sb');
    expect(name(0xba018422)).toBe('rmif');
    expect(name(0xba018432)).toBe(null); // rmif with o2 = 1
    expect(name(0x3a004bed)).toBe('setf');
  });
  it('advertises the features it implements', () => {
    expect(HWCAP).toBe(0x2c33b1fbn);
    expect(HWCAP2).toBe((1n << 7n) | (1n << 8n) | (1n << 13n));
    const features = aarch64Cpuinfo(1, HWCAP, HWCAP2).split('\n').find((l) => l.startsWith('Features'));
    expect(features).toBe('Features\t: fp asimd aes pmull sha1 sha2 crc32 atomics asimdrdm jscvt lrcpc dcpop sha3 asimddp sha512 ilrcpc flagm sb flagm2 frint i8mm');
  });
});
