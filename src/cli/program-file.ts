// Read the program to run from the host filesystem, with the checks exec makes and one-line
// errors: missing, a directory, not executable. Absolute paths are looked up under -L first, the
// same prefix rule the guest filesystem applies.

import { readFileSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { errorCode, openErrorText } from '../elf/open-errors.js';
import { UserError } from '../types.js';

export function readProgramFile(path: string, ldPrefix?: string): Uint8Array {
  const candidates = ldPrefix && path.startsWith('/') ? [posix.join(ldPrefix, path), path] : [path];
  for (const candidate of candidates) {
    let st: Stats;
    try {
      st = statSync(candidate);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw fileError(path, e);
    }
    if (st.isDirectory()) throw new UserError(`${path}: Is a directory`);
    if (!st.isFile()) throw new UserError(`${path}: Permission denied (not a regular file)`);
    // Like execve (and qemu-user): some execute bit must be set.
    if ((st.mode & 0o111) === 0) throw new UserError(`${path}: Permission denied (the file is not executable; chmod +x ${path})`);
    try {
      return readFileSync(candidate);
    } catch (e) {
      throw fileError(path, e);
    }
  }
  throw new UserError(`${path}: No such file or directory`);
}

function fileError(path: string, e: unknown): unknown {
  const text = openErrorText(e);
  return text === undefined ? e : new UserError(`${path}: ${text}`);
}
