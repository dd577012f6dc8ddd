// The translation store's folder: made when first written, kept within bounds (the store's files
// are many small ones, one per program run, and nothing else removes them).
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bounds on the folder: past them, the files written longest ago go. */
const MAX_FILES = 256;
const MAX_FOLDER_BYTES = 256 << 20;

/** mkdir -p, one level at a time: Node 20's recursive mkdirSync never returns for some paths
 *  (under /proc, say). Throws if a level cannot be made. */
export function makeDirs(dir: string): void {
  const parent = dirname(dir);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || parent === dir) throw e;
    makeDirs(parent);
    mkdirSync(dir, { mode: 0o700 });
  }
}

/** Keep `dir`'s .blocks files within MAX_FILES and MAX_FOLDER_BYTES: drop those written longest
 *  ago. */
export function evictOld(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.blocks'));
  if (files.length <= MAX_FILES / 2) return; // (a cheap count first: most saves stop here)
  const st = files.map((f) => {
    try {
      const s = statSync(join(dir, f));
      return { f, size: s.size, mtime: s.mtimeMs };
    } catch {
      return { f, size: 0, mtime: 0 };
    }
  });
  st.sort((a, b) => b.mtime - a.mtime);
  let bytes = 0;
  for (let i = 0; i < st.length; i++) {
    bytes += st[i].size;
    if (i >= MAX_FILES || bytes > MAX_FOLDER_BYTES) {
      try {
        unlinkSync(join(dir, st[i].f));
      } catch {
        // gone already
      }
    }
  }
}
