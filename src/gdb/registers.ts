// The register file as gdb's g/G/p/P packets carry it: registers in regnum order, each in the
// target's byte order, read from and written to the CPU state slots and the pc.
import type { ArchGdb, GdbRegAccess, GdbRegister } from '../arch/arch.js';

const isSlots = (at: GdbRegister['at']): at is readonly number[] => Array.isArray(at);
const isAccess = (at: GdbRegister['at']): at is GdbRegAccess => typeof at === 'object' && !Array.isArray(at);

export interface RegState {
  readonly S: BigUint64Array;
  pc: number;
}

export class RegisterFile {
  readonly regs: readonly GdbRegister[];
  /** Bytes of the whole g packet (before hex). */
  readonly totalBytes: number;

  constructor(gdb: ArchGdb, private readonly le: boolean) {
    this.regs = gdb.features.flatMap((f) => f.regs);
    this.totalBytes = this.regs.reduce((n, r) => n + r.bitsize / 8, 0);
  }

  get count(): number {
    return this.regs.length;
  }

  value(n: number, st: RegState): bigint {
    const r = this.regs[n];
    const at = r.at;
    let v: bigint;
    if (at === 'pc') v = BigInt(st.pc);
    else if (typeof at === 'number') v = st.S[at];
    else if (isSlots(at)) v = at.reduceRight((acc, slot) => (acc << 64n) | st.S[slot], 0n);
    else if (isAccess(at)) v = at.get(st.S);
    else throw new TypeError('bad register location');
    return BigInt.asUintN(r.bitsize, v);
  }

  setValue(n: number, st: RegState, v: bigint): void {
    const r = this.regs[n];
    if (r.readonly) return;
    const at = r.at;
    v = BigInt.asUintN(r.bitsize, v);
    if (at === 'pc') st.pc = Number(v & 0xffffffffffffn);
    else if (typeof at === 'number') {
      // a narrower register replaces the low bits of its slot (fflags, frm: the rest is zero anyway)
      const keep = r.bitsize >= 64 ? 0n : st.S[at] & ~((1n << BigInt(r.bitsize)) - 1n);
      st.S[at] = keep | v;
    } else if (isSlots(at)) {
      at.forEach((slot, i) => (st.S[slot] = (v >> BigInt(64 * i)) & 0xffffffffffffffffn));
    } else if (isAccess(at)) at.set(st.S, v);
  }

  /** One register as target-order bytes. */
  read(n: number, st: RegState): Buffer {
    return toBytes(this.value(n, st), this.regs[n].bitsize / 8, this.le);
  }
  write(n: number, st: RegState, bytes: Uint8Array): void {
    this.setValue(n, st, fromBytes(bytes, this.le));
  }

  readAll(st: RegState): Buffer {
    return Buffer.concat(this.regs.map((_, n) => this.read(n, st)));
  }
  /** Write registers from the start of a g-packet image; a shorter image leaves the rest. */
  writeAll(st: RegState, bytes: Uint8Array): void {
    let off = 0;
    for (let n = 0; n < this.regs.length; n++) {
      const len = this.regs[n].bitsize / 8;
      if (off + len > bytes.length) break;
      this.write(n, st, bytes.subarray(off, off + len));
      off += len;
    }
  }
}

export function toBytes(v: bigint, len: number, le: boolean): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) {
    b[le ? i : len - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

export function fromBytes(bytes: Uint8Array, le: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[le ? bytes.length - 1 - i : i]);
  return v;
}
