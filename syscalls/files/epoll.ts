// An epoll instance: its interest list and the level/edge-triggered readiness scan.
import type { FdTable } from '../fd-table.js';
import { AnonFile } from './anon.js';
import { POLL, type FileDescription } from './description.js';

export const EPOLL = {
  CTL_ADD: 1, CTL_DEL: 2, CTL_MOD: 3,
  EPOLLIN: 0x1, EPOLLPRI: 0x2, EPOLLOUT: 0x4, EPOLLERR: 0x8, EPOLLHUP: 0x10, EPOLLRDNORM: 0x40,
  EPOLLRDBAND: 0x80, EPOLLWRNORM: 0x100, EPOLLWRBAND: 0x200, EPOLLMSG: 0x400, EPOLLRDHUP: 0x2000,
  EPOLLEXCLUSIVE: 1 << 28, EPOLLWAKEUP: 1 << 29, EPOLLONESHOT: 1 << 30, EPOLLET: 1 << 31,
} as const;
/** Always reported, whether asked for or not. */
const ALWAYS = EPOLL.EPOLLERR | EPOLL.EPOLLHUP;

interface Interest {
  readonly fd: number;
  readonly file: FileDescription;
  events: number;
  data: bigint;
  /** Edge-triggered: the readiness last reported (an edge is a bit that was not ready then)… */
  seen: number;
  /** …or new input since then (arrivals() changed) on a file still readable. */
  seenArrivals: number;
  disabled: boolean;
}

export class EpollFile extends AnonFile {
  private readonly interests = new Map<number, Interest>();

  constructor(private readonly fds: FdTable, statusFlags: number) {
    super('[eventpoll]', statusFlags);
  }

  get(fd: number): Interest | undefined {
    const i = this.interests.get(fd);
    // A registration lives as long as its file: if fd now refers to another file, it is gone.
    if (i && (!this.fds.has(fd) || this.fds.get(fd) !== i.file)) {
      this.interests.delete(fd);
      return undefined;
    }
    return i;
  }
  add(fd: number, file: FileDescription, events: number, data: bigint): void {
    this.interests.set(fd, { fd, file, events, data, seen: 0, seenArrivals: file.arrivals(), disabled: false });
  }
  modify(i: Interest, events: number, data: bigint): void {
    i.events = events;
    i.data = data;
    i.seen = 0;
    i.seenArrivals = i.file.arrivals();
    i.disabled = false;
  }
  remove(fd: number): void {
    this.interests.delete(fd);
  }

  /** Up to max ready events as [events, data]; consumes edges and one-shot registrations. */
  collect(max: number): Array<[number, bigint]> {
    const out: Array<[number, bigint]> = [];
    for (const fd of [...this.interests.keys()]) {
      if (out.length >= max) break;
      const i = this.get(fd);
      if (!i || i.disabled) continue;
      const ready = i.file.readiness() & (i.events | ALWAYS);
      if (i.events & EPOLL.EPOLLET) {
        const now = i.file.arrivals();
        const fresh = now !== i.seenArrivals ? ready & (POLL.IN | POLL.RDNORM | POLL.RDHUP | POLL.HUP) : 0;
        const edge = (ready & ~i.seen) | fresh;
        i.seen = ready;
        i.seenArrivals = now;
        if (!edge) continue;
      }
      if (!ready) continue;
      out.push([ready, i.data]);
      if (i.events & EPOLL.EPOLLONESHOT) i.disabled = true;
    }
    return out;
  }

  readiness(): number {
    for (const fd of [...this.interests.keys()]) {
      const i = this.get(fd);
      if (i && !i.disabled && i.file.readiness() & (i.events | ALWAYS)) return POLL.IN;
    }
    return 0;
  }
}
