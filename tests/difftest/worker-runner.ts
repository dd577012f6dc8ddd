// The CLI side of crossrun-worker.ts: one worker per batch, killed after a time limit.
import { Worker } from 'node:worker_threads';
import type { WorkerMessage } from './crossrun-worker.js';
import type { RunOutput } from './qemu.js';

/** A runner that executes the bundled crossrun-worker at `workerUrl`. */
export function workerRunner(workerUrl: URL, timeoutMs: number): (elf: Uint8Array) => Promise<RunOutput> {
  return (elf) =>
    new Promise((resolve) => {
      const chunks: Uint8Array[] = [];
      const stdout = () => Buffer.concat(chunks);
      const worker = new Worker(workerUrl, { workerData: { elf }, stdout: false, stderr: false });
      let settled = false;
      const settle = (r: Omit<RunOutput, 'stdout'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        const out = stdout();
        resolve({ ...r, stdout: new Uint8Array(out.buffer, out.byteOffset, out.length) });
      };
      const timer = setTimeout(
        () => settle({ stderr: `crossrun did not finish within ${timeoutMs / 1000}s`, status: undefined, signal: 'timeout' }),
        timeoutMs,
      );
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'out') chunks.push(m.bytes);
        else if (m.type === 'error') settle({ stderr: `crossrun threw: ${m.message}`, status: undefined, signal: 'exception' });
        else {
          const { type: _type, ...rest } = m;
          settle({ ...rest, status: m.status });
        }
      });
      worker.on('error', (e) => settle({ stderr: `crossrun worker failed: ${e.stack ?? e.message}`, status: undefined, signal: 'exception' }));
      worker.on('exit', (code) => settle({ stderr: `crossrun worker exited with code ${code}`, status: undefined, signal: 'exit' }));
    });
}
