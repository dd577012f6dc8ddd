// The reference: qemu-user running the batch ELF from a temporary file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface QemuSpec {
  command: string;
  args: readonly string[];
}

export interface RunOutput {
  stdout: Uint8Array;
  stderr: string;
  /** Exit code, or undefined if killed by a signal. */
  status: number | undefined;
  signal?: string | number;
  /** Where a fatal signal was raised, if the runner knows. */
  pc?: number;
}

export function haveQemu(spec: QemuSpec): boolean {
  return spawnSync(spec.command, ['-version'], { encoding: 'utf8' }).status === 0;
}

/** The first line of `qemu -version`, for the corpus manifest. */
export function qemuVersion(spec: QemuSpec): string {
  return spawnSync(spec.command, ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? spec.command;
}

export function runQemu(spec: QemuSpec, elf: Uint8Array): RunOutput {
  const dir = mkdtempSync(join(tmpdir(), 'difftest-qemu-'));
  try {
    const file = join(dir, 'batch.elf');
    writeFileSync(file, elf, { mode: 0o755 });
    const r = spawnSync(spec.command, [...spec.args, file], { maxBuffer: 1 << 30, timeout: 120_000 });
    if (r.error) throw r.error;
    return {
      stdout: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length),
      stderr: r.stderr.toString('utf8'),
      status: r.status ?? undefined,
      ...(r.signal ? { signal: r.signal } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
