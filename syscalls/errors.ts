// Syscall failures travel as exceptions carrying an errno *name*; the dispatcher turns the name
// into the guest ABI's number. Host errors from node:fs and memfs already carry `.code` names.
import { GuestSignal } from '../src/signals.js';
import { ERRNO_ALIASES, ERRNO_MESSAGE, type ErrnoName } from './abi/errno.js';

/** A syscall fails with this errno. Not an Error: errors are ordinary results here. */
export class SyscallError {
  constructor(readonly code: ErrnoName) {}
}

export function fail(code: ErrnoName): never {
  throw new SyscallError(code);
}

/** A signal the syscall raises on the calling task (kill of self, SIGPIPE). The syscall itself
 *  completed with `result`; the dispatcher logs it, then throws the GuestSignal to the engine. */
export class RaiseSignal {
  constructor(readonly signal: GuestSignal, readonly result: bigint) {}
}

function isErrnoName(code: string): code is ErrnoName {
  return ERRNO_MESSAGE.has(code);
}

/** The errno name for something thrown while serving a syscall, or null if it is not a syscall
 *  failure (a crossrun bug, which must propagate). Guest-memory faults inside a syscall are EFAULT. */
export function errnoOf(e: unknown): ErrnoName | null {
  if (e instanceof SyscallError) return e.code;
  if (e instanceof GuestSignal) return 'EFAULT';
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    const code = e.code;
    if (isErrnoName(code)) return code;
    const alias = ERRNO_ALIASES[code];
    if (alias) return alias;
    if (code === 'ERR_FS_EISDIR') return 'EISDIR';
    if (/^E[A-Z0-9]+$/.test(code)) return 'EIO'; // a host errno the guest ABI does not name
  }
  return null;
}

export { ERRNO_MESSAGE, type ErrnoName };
