// What poll/epoll report for an open file: the POLL* bits it is ready for now.
import { AnonFile, POLL } from './files/anon.js';
import type { FileDescription } from './files/description.js';
import { PipeEnd } from './files/pipe.js';

export function readiness(f: FileDescription): number {
  if (f instanceof AnonFile) return f.readiness();
  if (f instanceof PipeEnd) {
    const pipe = f.pipe;
    if (f.readable) return (pipe.size > 0 ? POLL.IN | POLL.RDNORM : 0) | (pipe.writers === 0 ? POLL.HUP : 0);
    return pipe.readers > 0 ? POLL.OUT | POLL.WRNORM : POLL.ERR;
  }
  // Files, directories, terminals, sinks: never block, so always ready for what they can do.
  return (f.readable ? POLL.IN | POLL.RDNORM : 0) | (f.writable ? POLL.OUT | POLL.WRNORM : 0);
}
