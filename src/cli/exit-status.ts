// How a guest's death by signal ends crossrun: a one-line message as qemu-user prints, then the
// same signal for our own process, so the parent sees what it would see of a native run (a shell
// prints "Segmentation fault" and $? is 128+n).

import { constants } from 'node:os';
import type { RunResult } from '../index.js';
import { SIGNAL_NAMES } from '../signals.js';

/** Signals whose default action dumps core (signal(7)). */
const CORE_SIGNALS = new Set([3, 4, 5, 6, 7, 8, 11, 24, 25, 31]);
/** Deaths a shell does not comment on either: Ctrl-C, and a reader that went away. */
const QUIET_SIGNALS = new Set([2, 13]);

/** The line to print for a guest killed by a signal, or undefined for none. */
export function signalMessage(r: RunResult): string | undefined {
  const sig = r.signal;
  if (sig === undefined || QUIET_SIGNALS.has(sig)) return undefined;
  const name = SIGNAL_NAMES[sig] ?? `signal ${sig}`;
  const core = CORE_SIGNALS.has(sig) ? ' - core dumped' : '';
  const pc = r.pc === undefined ? '' : ` (guest pc 0x${r.pc.toString(16)})`;
  return `crossrun: uncaught target signal ${sig} (${name})${core}${pc}`;
}

/** Host signal name for a Linux signal number (the guest numbers are the generic Linux ones). */
function hostSignalName(sig: number): NodeJS.Signals | undefined {
  for (const [name, n] of Object.entries(constants.signals)) if (n === sig) return name as NodeJS.Signals;
  return undefined;
}

/** Signals whose default action is not to terminate (stop, continue, ignore). */
const NOT_FATAL = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** Die by `sig` if we can. Returns if the signal did not end the process (Node ignores SIGPIPE, for
 *  one, and a stop signal would only stop us); the caller then exits with 128+sig. */
export function killSelf(sig: number): void {
  const name = hostSignalName(sig);
  if (name === undefined || NOT_FATAL.has(sig)) return;
  process.removeAllListeners(name); // back to the default action, as far as JS listeners go
  runExitWork(128 + sig);
  try {
    process.kill(process.pid, name);
  } catch {
    // fall back to the exit status
  }
}

/** A death by signal skips Node's 'exit' event, and with it the work registered there: saving the
 *  translation store (a program that always crashes, an abort() test, was lifted afresh at every
 *  run) and bin/crossrun.js's code cache. It runs now, once: the listeners are taken off. */
function runExitWork(code: number): void {
  const work = process.listeners('exit');
  process.removeAllListeners('exit');
  for (const f of work) f(code);
}
