// The arithmetic of the A64 cryptographic extension (Arm ARM: AESSubBytes/AESShiftRows/
// AESMixColumns and their inverses, SHA1/SHA256 hash and schedule updates, PolynomialMult), on
// 128-bit values passed as [lo, hi] pairs of unsigned 64-bit bigints. Registered as IR helpers by
// crypto.ts. The AES S-box and the GF(2^8) product tables are derived here (multiplicative
// inverse, then the affine map), not typed in.
//
// Speed matters (OpenSSL-style code runs these in its inner loops): operands go through one
// scratch buffer viewed as 64-bit, 32-bit and 8-bit elements, so the work is on plain numbers and
// the only bigints made are the two results. The views assume a little-endian host, like
// everything that shares guest memory with typed arrays.

type V128 = readonly [bigint, bigint];

const buf = new ArrayBuffer(64);
const Q = new BigUint64Array(buf); // Q[i] = bytes 8i … 8i+7
const W = new Uint32Array(buf); // W[2i], W[2i+1]: low and high word of Q[i]
const B = new Uint8Array(buf);
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('crossrun: big-endian hosts are not supported');

/** Q[4..5] (bytes 32…47, words 8…11) is where every helper leaves its result. */
const out = (): V128 => [Q[4], Q[5]];
function outWords(w0: number, w1: number, w2: number, w3: number): V128 {
  W[8] = w0;
  W[9] = w1;
  W[10] = w2;
  W[11] = w3;
  return out();
}

// ---- AES
/** Multiply in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (table set-up only). */
function gmul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x11b : 0)) & 0xff;
    b >>= 1;
  }
  return r;
}
/** The S-boxes and GF(2^8) product tables, built on first use: building them costs ~5 ms (the
 *  inverse search runs ~30 000 gmul calls in V8's interpreter), which every aarch64 run paid at
 *  start-up when this was done at load. */
interface AesTables {
  readonly SBOX: Uint8Array;
  readonly INV_SBOX: Uint8Array;
  readonly M2: Uint8Array; readonly M3: Uint8Array; readonly M9: Uint8Array;
  readonly M11: Uint8Array; readonly M13: Uint8Array; readonly M14: Uint8Array;
}
let aesTablesBuilt: AesTables | undefined;
function aesTables(): AesTables {
  if (aesTablesBuilt) return aesTablesBuilt;
  const SBOX = new Uint8Array(256);
  const INV_SBOX = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    let inv = 0;
    if (x !== 0) for (inv = 1; gmul(x, inv) !== 1; inv++);
    const rotl = (v: number, n: number) => ((v << n) | (v >> (8 - n))) & 0xff;
    const s = inv ^ rotl(inv, 1) ^ rotl(inv, 2) ^ rotl(inv, 3) ^ rotl(inv, 4) ^ 0x63;
    SBOX[x] = s;
    INV_SBOX[s] = x;
  }
  const mulTable = (k: number) => Uint8Array.from({ length: 256 }, (_, x) => gmul(x, k));
  const [M2, M3, M9, M11, M13, M14] = [2, 3, 9, 11, 13, 14].map(mulTable);
  return (aesTablesBuilt = { SBOX, INV_SBOX, M2, M3, M9, M11, M13, M14 });
}
/** State byte i is row i % 4, column i / 4. ShiftRows moves row r left by r columns:
 *  out[r + 4c] = in[r + 4((c + r) % 4)]; the inverse moves it right. */
const SHIFT = Uint8Array.from({ length: 16 }, (_, i) => (i % 4) + 4 * (((i >> 2) + (i % 4)) % 4));
const INV_SHIFT = Uint8Array.from({ length: 16 }, (_, i) => (i % 4) + 4 * (((i >> 2) - (i % 4) + 4) % 4));

/** AESE/AESD: AddRoundKey (d ^ n), (Inv)ShiftRows, (Inv)SubBytes. */
export function aes(decrypt: boolean, dlo: bigint, dhi: bigint, nlo: bigint, nhi: bigint): V128 {
  Q[0] = dlo;
  Q[1] = dhi;
  Q[2] = nlo;
  Q[3] = nhi;
  const { SBOX, INV_SBOX } = aesTables();
  const box = decrypt ? INV_SBOX : SBOX;
  const perm = decrypt ? INV_SHIFT : SHIFT;
  for (let i = 0; i < 16; i++) {
    const j = perm[i];
    B[32 + i] = box[B[j] ^ B[16 + j]];
  }
  return out();
}
/** AESMC (MixColumns) / AESIMC (InvMixColumns). */
export function aesMix(inverse: boolean, lo: bigint, hi: bigint): V128 {
  const { M2, M3, M9, M11, M13, M14 } = aesTables();
  Q[0] = lo;
  Q[1] = hi;
  for (let c = 0; c < 16; c += 4) {
    const a0 = B[c];
    const a1 = B[c + 1];
    const a2 = B[c + 2];
    const a3 = B[c + 3];
    if (inverse) {
      B[32 + c] = M14[a0] ^ M11[a1] ^ M13[a2] ^ M9[a3];
      B[33 + c] = M9[a0] ^ M14[a1] ^ M11[a2] ^ M13[a3];
      B[34 + c] = M13[a0] ^ M9[a1] ^ M14[a2] ^ M11[a3];
      B[35 + c] = M11[a0] ^ M13[a1] ^ M9[a2] ^ M14[a3];
    } else {
      B[32 + c] = M2[a0] ^ M3[a1] ^ a2 ^ a3;
      B[33 + c] = a0 ^ M2[a1] ^ M3[a2] ^ a3;
      B[34 + c] = a0 ^ a1 ^ M2[a2] ^ M3[a3];
      B[35 + c] = M3[a0] ^ a1 ^ a2 ^ M2[a3];
    }
  }
  return out();
}

// ---- SHA-1 and SHA-256 (32-bit words as numbers; `>>> 0` keeps them unsigned)
const rol = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const ror = (x: number, n: number) => ((x >>> n) | (x << (32 - n))) >>> 0;

/** SHA1C (f 0: choose), SHA1P (1: parity), SHA1M (2: majority): four rounds on X = ABCD (d),
 *  Y = E (n's low word), with the schedule words of m. */
export function sha1Hash(f: number, dlo: bigint, dhi: bigint, e: bigint, mlo: bigint, mhi: bigint): V128 {
  Q[0] = dlo;
  Q[1] = dhi;
  Q[2] = e;
  Q[3] = mlo;
  Q[6] = mhi; // W[12..13]
  let x0 = W[0];
  let x1 = W[1];
  let x2 = W[2];
  let x3 = W[3];
  let y = W[4];
  for (let i = 0; i < 4; i++) {
    const t = f === 0 ? (x1 & x2) | (~x1 & x3) : f === 1 ? x1 ^ x2 ^ x3 : (x1 & x2) | (x1 & x3) | (x2 & x3);
    const w = i < 2 ? W[6 + i] : W[10 + i];
    y = (y + rol(x0, 5) + (t >>> 0) + w) >>> 0;
    x1 = rol(x1, 30);
    // rotate the 160-bit Y:X left by 32 bits
    const top = x3;
    x3 = x2;
    x2 = x1;
    x1 = x0;
    x0 = y;
    y = top;
  }
  return outWords(x0, x1, x2, x3);
}
/** SHA1SU0: (n<63:0> : d<127:64>) ^ d ^ m. */
export function sha1su0(dlo: bigint, dhi: bigint, nlo: bigint, _nhi: bigint, mlo: bigint, mhi: bigint): V128 {
  return [dhi ^ dlo ^ mlo, nlo ^ dhi ^ mhi];
}
/** SHA1SU1: T = d ^ (n >> 32); each word rotated left by 1, the top one also ^ ROL(T0, 2). */
export function sha1su1(dlo: bigint, dhi: bigint, nlo: bigint, nhi: bigint): V128 {
  Q[0] = dlo;
  Q[1] = dhi;
  Q[2] = nlo;
  Q[3] = nhi;
  const t0 = W[0] ^ W[5];
  const t1 = W[1] ^ W[6];
  const t2 = W[2] ^ W[7];
  const t3 = W[3];
  return outWords(rol(t0, 1), rol(t1, 1), rol(t2, 1), rol(t3, 1) ^ rol(t0, 2));
}
/** SHA256hash(X, Y, W): four rounds; part1 gives the new X (SHA256H), else Y (SHA256H2). X, Y and
 *  the schedule words are in W[0..3], W[4..7], W[12..15]. */
function sha256hash(part1: boolean): V128 {
  let x0 = W[0], x1 = W[1], x2 = W[2], x3 = W[3];
  let y0 = W[4], y1 = W[5], y2 = W[6], y3 = W[7];
  for (let e = 0; e < 4; e++) {
    const chs = (((y1 ^ y2) & y0) ^ y2) >>> 0;
    const maj = ((x0 & x1) | ((x0 | x1) & x2)) >>> 0;
    const t = (y3 + (ror(y0, 6) ^ ror(y0, 11) ^ ror(y0, 25)) + chs + W[12 + e]) >>> 0;
    const nx = (t + x3) >>> 0;
    const ny = (t + ((ror(x0, 2) ^ ror(x0, 13) ^ ror(x0, 22)) >>> 0) + maj) >>> 0;
    // rotate the 256-bit Y:X left by 32 bits: X's new top word moves into Y, Y's into X
    x3 = x2; x2 = x1; x1 = x0; x0 = ny;
    y3 = y2; y2 = y1; y1 = y0; y0 = nx;
  }
  return part1 ? outWords(x0, x1, x2, x3) : outWords(y0, y1, y2, y3);
}
export function sha256h(dlo: bigint, dhi: bigint, nlo: bigint, nhi: bigint, mlo: bigint, mhi: bigint): V128 {
  Q[0] = dlo; Q[1] = dhi; Q[2] = nlo; Q[3] = nhi; Q[6] = mlo; Q[7] = mhi;
  return sha256hash(true);
}
export function sha256h2(dlo: bigint, dhi: bigint, nlo: bigint, nhi: bigint, mlo: bigint, mhi: bigint): V128 {
  Q[0] = nlo; Q[1] = nhi; Q[2] = dlo; Q[3] = dhi; Q[6] = mlo; Q[7] = mhi;
  return sha256hash(false);
}
const sigma0 = (v: number) => (ror(v, 7) ^ ror(v, 18) ^ (v >>> 3)) >>> 0;
const sigma1 = (v: number) => (ror(v, 17) ^ ror(v, 19) ^ (v >>> 10)) >>> 0;
/** SHA256SU0: T = n<31:0> : d<127:32>; each word σ0(T) + d. */
export function sha256su0(dlo: bigint, dhi: bigint, nlo: bigint, _nhi: bigint): V128 {
  Q[0] = dlo;
  Q[1] = dhi;
  Q[2] = nlo;
  return outWords((sigma0(W[1]) + W[0]) >>> 0, (sigma0(W[2]) + W[1]) >>> 0, (sigma0(W[3]) + W[2]) >>> 0, (sigma0(W[4]) + W[3]) >>> 0);
}
/** SHA256SU1: T0 = m<31:0> : n<127:32>; the low two words from m's top two, the high two from
 *  the low two results. */
export function sha256su1(dlo: bigint, dhi: bigint, nlo: bigint, nhi: bigint, mlo: bigint, mhi: bigint): V128 {
  Q[0] = dlo; Q[1] = dhi; Q[2] = nlo; Q[3] = nhi; Q[6] = mlo; Q[7] = mhi;
  const r0 = (sigma1(W[14]) + W[0] + W[5]) >>> 0;
  const r1 = (sigma1(W[15]) + W[1] + W[6]) >>> 0;
  const r2 = (sigma1(r0) + W[2] + W[7]) >>> 0;
  const r3 = (sigma1(r1) + W[3] + W[12]) >>> 0;
  return outWords(r0, r1, r2, r3);
}

// ---- PMULL (64-bit elements): carry-less 64 × 64 → 128, from four 32 × 32 products
/** Carry-less 32 × 32 → 64 as [lo, hi] words. */
function clmul32(a: number, b: number): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 32; i++) {
    if ((b >>> i) & 1) {
      lo ^= a << i;
      if (i) hi ^= a >>> (32 - i);
    }
  }
  return [lo >>> 0, hi >>> 0];
}
export function clmul64(a: bigint, b: bigint): V128 {
  Q[0] = a;
  Q[1] = b;
  const [a0, a1, b0, b1] = [W[0], W[1], W[2], W[3]];
  const [ll, lh] = clmul32(a0, b0);
  const [ml, mh] = clmul32(a0, b1);
  const [nl, nh] = clmul32(a1, b0);
  const [hl, hh] = clmul32(a1, b1);
  return outWords(ll, (lh ^ ml ^ nl) >>> 0, (hl ^ mh ^ nh) >>> 0, hh);
}
