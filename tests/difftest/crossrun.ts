// The system under test: crossrun's library API, with the batch ELF in an in-memory volume.
import { run } from '../../src/index.js';
import { memVfs } from '../../syscalls/vfs.js';
import type { RunOutput } from './qemu.js';

const PROG = '/difftest.elf';

// A looped sequence (--repeat 100) must reach tier 1: form regions after the engine's hot mark
// plus 32 runs, from the first instruction on (the defaults wait for longer-running programs).
process.env.CROSSRUN_JIT_WARM ??= '32';
process.env.CROSSRUN_JIT_START ??= '0';

/** Run the ELF; `onStdout` sees each chunk as it is written (for progress when a run hangs). */
export async function runCrossrun(elf: Uint8Array, onStdout?: (bytes: Uint8Array) => void): Promise<RunOutput> {
  const out: Uint8Array[] = [];
  let stderr = '';
  const decoder = new TextDecoder();
  const result = await run({
    argv: [PROG],
    env: [],
    fs: memVfs({ [PROG]: elf }),
    stdin: new Uint8Array(0),
    stdout: (bytes: Uint8Array) => {
      // The sinks get views of guest memory that the guest reuses: copy them.
      const copy = bytes.slice();
      out.push(copy);
      onStdout?.(copy);
    },
    stderr: (bytes: Uint8Array) => void (stderr += decoder.decode(bytes)),
  });
  const stdout = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
  let p = 0;
  for (const b of out) {
    stdout.set(b, p);
    p += b.length;
  }
  return {
    stdout,
    stderr,
    status: result.signal === undefined ? result.exitCode : undefined,
    ...(result.signal !== undefined ? { signal: result.signal } : {}),
    ...(result.pc !== undefined ? { pc: result.pc } : {}),
  };
}
