// Signals sent to the crossrun process itself (Ctrl-C, kill from a shell, a terminal resize) go
// to the guest process, as if sent to it by the kernel from outside: a Node listener queues the
// signal and kicks the scheduler, which delivers it at the guest's next safe point. The run loop
// turns the event loop between slices so these listeners get to run.
import { constants } from 'node:os';
import type { GuestProcess } from '../../syscalls/process.js';
import { SI } from '../../syscalls/siginfo.js';
import { signalProcess } from '../../syscalls/children.js';
import type { SignalName } from '../../syscalls/abi/types.js';

/** Forwarded host signals. SIGTSTP and SIGCONT too, so Ctrl-Z stops the guest the guest's way
 *  (its handler, or the default stop, which stops us). */
const FORWARDED: readonly SignalName[] = [
  'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGTSTP', 'SIGCONT', 'SIGALRM',
];

/** What a terminal sends to its foreground process group: these reach every guest process in the
 *  first process's group (a shell's running command too), the others the first process only. */
const TERMINAL: readonly SignalName[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP', 'SIGWINCH'];

/** Install the listeners; returns the function that removes them. */
export function forwardHostSignals(p: GuestProcess): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  for (const name of FORWARDED) {
    if (!(name in constants.signals)) continue;
    const signo = p.abi.signals[name];
    const group = TERMINAL.includes(name);
    const listener = () => {
      const targets = group ? p.kernel.group(p.pgid) : [p];
      for (const q of targets.length > 0 ? targets : [p]) signalProcess(q, { signo, code: SI.SI_USER, kind: 'kill', pid: 0, uid: p.uid });
    };
    try {
      process.on(name as NodeJS.Signals, listener);
      installed.push([name as NodeJS.Signals, listener]);
    } catch {
      // a signal this host cannot catch
    }
  }
  return () => {
    for (const [name, listener] of installed) process.removeListener(name, listener);
  };
}
