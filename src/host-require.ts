// Node modules loaded when first used rather than as crossrun starts: a static import loads a
// module with the bundle, and node:worker_threads, node:child_process, node:tty, node:v8 and
// node:crypto cost 1–3 ms of start-up each. memfs (~450 KB) stays out of the CLI bundle this way
// too: esbuild does not follow a require made through createRequire.
import { createRequire } from 'node:module';

let req: NodeJS.Require | undefined;

export function hostRequire<T>(id: string): T {
  return (req ??= createRequire(import.meta.url))(id) as T;
}
