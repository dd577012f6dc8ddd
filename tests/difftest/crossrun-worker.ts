// Runs one batch under crossrun inside a worker thread, so the CLI can stop a run that hangs and
// still know how far it got: output chunks are posted as they are written.
import { parentPort, workerData } from 'node:worker_threads';
import { runCrossrun } from './crossrun.js';

export type WorkerMessage =
  | { type: 'out'; bytes: Uint8Array }
  | { type: 'done'; stderr: string; status?: number; signal?: string | number; pc?: number }
  | { type: 'error'; message: string };

const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const { elf } = workerData as { elf: Uint8Array };
try {
  const r = await runCrossrun(elf, (bytes) => post({ type: 'out', bytes }));
  post({
    type: 'done',
    stderr: r.stderr,
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.signal !== undefined ? { signal: r.signal } : {}),
    ...(r.pc !== undefined ? { pc: r.pc } : {}),
  });
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
