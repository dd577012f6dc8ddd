// binutils as an independent oracle: disassembly for mismatch reports, and a check that every
// opcode in our encoder decodes to the mnemonic and operands we meant. Optional at run time: the
// committed vitest tests never call this.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCODES, asmText, encode, operandNames, sampleField, toBytes, type Insn } from './encode-riscv64.js';
import { Rng } from './rng.js';

const OBJDUMP = process.env.RISCV_OBJDUMP ?? 'riscv64-linux-gnu-objdump';

export function haveObjdump(): boolean {
  const r = spawnSync(OBJDUMP, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export interface DisasmLine {
  addr: number;
  /** The hex encoding as objdump prints it. */
  hex: string;
  text: string;
}

/** Disassemble raw RV64GC bytes placed at vma, with objdump's raw mnemonics and numeric registers. */
export function objdumpRaw(bytes: Uint8Array, vma: number): DisasmLine[] {
  const dir = mkdtempSync(join(tmpdir(), 'difftest-objdump-'));
  try {
    const file = join(dir, 'code.bin');
    writeFileSync(file, bytes);
    const r = spawnSync(
      OBJDUMP,
      ['-D', '-b', 'binary', '-m', 'riscv:rv64', '-M', 'no-aliases,numeric', `--adjust-vma=0x${vma.toString(16)}`, file],
      { encoding: 'utf8', maxBuffer: 256 << 20 },
    );
    if (r.status !== 0) throw new Error(`${OBJDUMP} failed: ${r.stderr}`);
    const out: DisasmLine[] = [];
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+([0-9a-f]+)\s+(.*?)\s*$/.exec(line);
      // Drop objdump's "# address" comments on accesses through registers it has tracked.
      const text = m?.[3]!.replace(/\s+#.*$/, '').replace(/\s+/, '\t');
      if (m) out.push({ addr: parseInt(m[1]!, 16), hex: m[2]!, text: text! });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EncoderMismatch {
  name: string;
  word: number;
  expected: string;
  objdump: string;
}

/** Encode `perOp` random instances of every opcode and compare objdump's reading with ours. */
export function validateEncoder(seed: number, perOp: number): { checked: number; mismatches: EncoderMismatch[] } {
  const rng = new Rng(seed);
  const insns: Insn[] = [];
  for (const op of OPCODES.values()) {
    for (let i = 0; i < perOp; i++) {
      const args: Record<string, number> = {};
      for (const key of operandNames(op)) args[key] = sampleField(key, () => rng.u32());
      if (op.aqrl) args.aqrl = rng.below(4);
      if (op.exact) args.rm = 0;
      insns.push(encode(op.name, args));
    }
  }
  const vma = 0x10000;
  const lines = objdumpRaw(toBytes(insns), vma);
  const byAddr = new Map(lines.map((l) => [l.addr, l]));
  const mismatches: EncoderMismatch[] = [];
  let pc = vma;
  for (const insn of insns) {
    const expected = asmText(insn, pc);
    const got = byAddr.get(pc)?.text ?? '(nothing at this address)';
    if (got !== expected) mismatches.push({ name: insn.op.name, word: insn.word, expected, objdump: got });
    pc += insn.len;
  }
  return { checked: insns.length, mismatches };
}
