// What poll/epoll report for an open file: the POLL* bits it is ready for now, and an arrival
// count that tells edge-triggered epoll about new data on a file that was already readable.
import { AnonFile, POLL } from './files/anon.js';
import type { FileDescription } from './files/description.js';
import { PIPE_CAPACITY, PipeEnd } from './files/pipe.js';
import { SocketFile } from './files/socket.js';
import { HostFdFile } from './files/stdio.js';

export function readiness(f: FileDescription): number {
  if (f instanceof AnonFile) return f.readiness();
  if (f instanceof SocketFile) return f.readiness();
  if (f instanceof HostFdFile) return f.readiness();
  if (f instanceof PipeEnd) {
    const pipe = f.pipe;
    if (f.readable) return (pipe.size > 0 ? POLL.IN | POLL.RDNORM : 0) | (pipe.writers === 0 ? POLL.HUP : 0);
    // As Linux: writable while not full, and POLLERR once no reader is left.
    return (pipe.size < PIPE_CAPACITY ? POLL.OUT | POLL.WRNORM : 0) | (pipe.readers > 0 ? 0 : POLL.ERR);
  }
  // Files, directories, terminals, sinks: never block, so always ready for what they can do.
  return (f.readable ? POLL.IN | POLL.RDNORM : 0) | (f.writable ? POLL.OUT | POLL.WRNORM : 0);
}

/** How many times something arrived (data, a connection, a hang-up, a timer expiry), for files
 *  that count it; 0 for others, whose edges are then only readiness changes. */
export function arrivals(f: FileDescription): number {
  if (f instanceof SocketFile || f instanceof AnonFile) return f.arrivals;
  if (f instanceof PipeEnd) return f.pipe.writes;
  return 0;
}
