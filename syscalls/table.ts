// All shared syscall definitions by name, and the per-ABI dispatch table built from them: the
// ABI's number → name list joined with the definitions. Names the ABI has but no definition
// covers are unimplemented (-ENOSYS).
import type { LinuxAbi } from './abi/types.js';
import { fdctlSyscalls } from './handlers/fdctl.js';
import { fsSyscalls } from './handlers/fs.js';
import { futexSyscalls } from './handlers/futex.js';
import { ioSyscalls } from './handlers/io.js';
import { mmSyscalls } from './handlers/mm.js';
import { netSyscalls } from './handlers/net.js';
import { pollSyscalls } from './handlers/poll.js';
import { processSyscalls } from './handlers/process-info.js';
import { processTreeSyscalls } from './handlers/process.js';
import { signalSyscalls } from './handlers/signal.js';
import { statfsSyscalls } from './handlers/statfs.js';
import { threadSyscalls } from './handlers/thread.js';
import { timeSyscalls } from './handlers/time.js';
import { timerSyscalls } from './handlers/timer.js';
import { xattrSyscalls } from './handlers/xattr.js';
import type { SyscallDef, SyscallTable } from './syscall-def.js';
import { assert } from '../src/types.js';

const GROUPS: readonly SyscallTable[] = [
  ioSyscalls, fdctlSyscalls, fsSyscalls, mmSyscalls, timeSyscalls, processSyscalls, signalSyscalls,
  threadSyscalls, futexSyscalls, timerSyscalls, pollSyscalls, xattrSyscalls, statfsSyscalls,
  netSyscalls,
  processTreeSyscalls,
];

/** Every definition by name. A Map, not one object spread from the groups: spreading ~300
 *  properties into an object cost ~1 ms of every start (V8 adds them one map transition at a
 *  time, in its interpreter; 0.7–0.9 ms against 0.1 ms for a Map in a benchmark of that shape). */
export const SYSCALLS: ReadonlyMap<string, SyscallDef> = byName(GROUPS);

function byName(groups: readonly SyscallTable[]): Map<string, SyscallDef> {
  const defs = new Map<string, SyscallDef>();
  for (const g of groups) {
    for (const name of Object.keys(g)) {
      assert(!defs.has(name), `syscall ${name} is defined twice`);
      defs.set(name, g[name]);
    }
  }
  return defs;
}

export interface DispatchEntry {
  readonly nr: number;
  readonly name: string;
  /** Absent: known to the ABI, not implemented. */
  readonly def?: SyscallDef;
}

/** Indexed by syscall number. */
export function dispatchTable(abi: LinuxAbi): Array<DispatchEntry | undefined> {
  const table: Array<DispatchEntry | undefined> = [];
  for (const [nr, name] of abi.syscalls) table[nr] = { nr, name, def: SYSCALLS.get(name) };
  return table;
}
