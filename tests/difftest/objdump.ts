// binutils as an independent oracle: disassembly for mismatch reports, and the check that every
// opcode in an encoder decodes to the mnemonic and operands we meant. Optional at run time: the
// committed vitest tests never call this.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncoderCheck } from './isa.js';

export interface ObjdumpSpec {
  command: string;
  /** Machine and printing options: raw mnemonics, no aliases. */
  args: readonly string[];
  /** objdump's trailing comments (tracked addresses, condition aliases), stripped before comparing. */
  comment: RegExp;
}

export function haveObjdump(spec: ObjdumpSpec): boolean {
  return spawnSync(spec.command, ['--version'], { encoding: 'utf8' }).status === 0;
}

export interface DisasmLine {
  addr: number;
  /** The hex encoding as objdump prints it. */
  hex: string;
  text: string;
}

/** Disassemble raw code bytes placed at vma. */
export function objdumpRaw(spec: ObjdumpSpec, bytes: Uint8Array, vma: number): DisasmLine[] {
  const dir = mkdtempSync(join(tmpdir(), 'difftest-objdump-'));
  try {
    const file = join(dir, 'code.bin');
    writeFileSync(file, bytes);
    const r = spawnSync(spec.command, ['-D', '-b', 'binary', ...spec.args, `--adjust-vma=0x${vma.toString(16)}`, file], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    if (r.status !== 0) throw new Error(`${spec.command} failed: ${r.stderr}`);
    const out: DisasmLine[] = [];
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+([0-9a-f]+)\s+(.*?)\s*$/.exec(line);
      const text = m?.[3]!.replace(spec.comment, '').replace(/\s+/, '\t');
      if (m) out.push({ addr: parseInt(m[1]!, 16), hex: m[2]!, text: text! });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compare objdump's text for encoded instructions (laid out from vma) with what we meant. */
export function checkWithObjdump(
  spec: ObjdumpSpec,
  insns: ReadonlyArray<{ name: string; word: number; len: number; text: (pc: number) => string }>,
  bytes: Uint8Array,
): EncoderCheck {
  const vma = 0x10000;
  const byAddr = new Map(objdumpRaw(spec, bytes, vma).map((l) => [l.addr, l]));
  const mismatches: EncoderCheck['mismatches'] = [];
  let pc = vma;
  for (const insn of insns) {
    const expected = insn.text(pc);
    const got = byAddr.get(pc)?.text ?? '(nothing at this address)';
    if (got !== expected) mismatches.push({ name: insn.name, word: insn.word, expected, objdump: got });
    pc += insn.len;
  }
  return { checked: insns.length, mismatches };
}
