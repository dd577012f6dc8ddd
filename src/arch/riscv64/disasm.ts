// Disassembly as GNU objdump prints it with its default aliases ("li a0,5", "ret", "j 1f0"), from
// the same tables the lifter uses. Branch targets print as bare hex addresses, like objdump's
// before its " <symbol+off>" suffix.
//
// Operand format letters: d s t = rd rs1 rs2 (integer), D S T R = rd rs1 rs2 rs3 (FP), j = the
// immediate in decimal, u = the U immediate (0x…, upper 20 bits), > = shift amount (0x…), p = pc-
// relative target, E = CSR name, Z = the 5-bit CSR immediate (rs1 field), m = ",rm" unless dynamic,
// P Q = fence predecessor/successor sets. Anything else is literal.
import { csrName } from './csr-names.js';
import type { Decoded, Form } from './insn.js';
import { FNAMES, XNAMES } from './regs.js';

const RM_NAMES = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown', ''];

function fenceSet(bits: number): string {
  if (bits === 0) return 'unknown';
  let s = '';
  if (bits & 8) s += 'i';
  if (bits & 4) s += 'o';
  if (bits & 2) s += 'r';
  if (bits & 1) s += 'w';
  return s;
}

function hex64(v: number): string {
  return v >= 0 ? v.toString(16) : BigInt.asUintN(64, BigInt(v)).toString(16);
}

function operands(fmt: string, d: Decoded): string {
  let out = '';
  for (const ch of fmt) {
    switch (ch) {
      case 'd': out += XNAMES[d.rd]; break;
      case 's': out += XNAMES[d.rs1]; break;
      case 't': out += XNAMES[d.rs2]; break;
      case 'D': out += FNAMES[d.rd]; break;
      case 'S': out += FNAMES[d.rs1]; break;
      case 'T': out += FNAMES[d.rs2]; break;
      case 'R': out += FNAMES[d.rs3]; break;
      case 'j': out += String(d.imm); break;
      case 'u': out += '0x' + ((d.imm >>> 12) & 0xfffff).toString(16); break;
      case '>': out += '0x' + d.imm.toString(16); break;
      case 'p': out += hex64(d.pc + d.imm); break;
      case 'E': out += csrName(d.imm); break;
      case 'Z': out += String(d.rs1); break;
      case 'm': if (d.rm !== 7) out += ',' + RM_NAMES[d.rm]; break;
      case 'P': out += fenceSet((d.raw >>> 24) & 15); break;
      case 'Q': out += fenceSet((d.raw >>> 20) & 15); break;
      default: out += ch;
    }
  }
  return out;
}

function pick(forms: readonly Form[] | undefined, d: Decoded): Form | undefined {
  if (forms) for (const f of forms) if (!f.when || f.when(d)) return f;
  return undefined;
}

const AQRL = ['', '.rl', '.aq', '.aqrl'];

/** The text of a decoded instruction ("mnemonic\toperands"). */
export function formatDecoded(d: Decoded): string {
  const def = d.def;
  if (d.len === 2) {
    if (d.raw === 0) return 'unimp'; // c.addi4spn x8, sp, 0: reserved, the canonical illegal halfword
    if (def === null || d.cdef === null) return `.2byte\t0x${d.raw.toString(16)}`;
    const f = pick(d.cdef.dis, d)!;
    return join(f.name, operands(f.fmt, d));
  }
  if (def === null || (def.strict && !def.strict(d.raw))) return `.4byte\t0x${d.raw.toString(16)}`;
  const f = pick(def.alias, d) ?? def;
  const name = def.aqrl && f === def ? def.name + AQRL[(d.raw >>> 25) & 3] : f.name;
  return join(name, operands(f.fmt, d));
}

function join(name: string, ops: string): string {
  return ops === '' ? name : `${name}\t${ops}`;
}
