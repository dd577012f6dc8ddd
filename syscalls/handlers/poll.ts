// Waiting for file readiness — epoll, ppoll, pselect6 — and the event files threads and runtimes
// use to wake each other: eventfd2 and signalfd4. A wait that finds nothing ready blocks the
// thread (others run) and is polled again at each scheduling point until something is ready, its
// timeout passes, or a handled signal interrupts it (EINTR: these never restart).
import { Block } from '../blocking.js';
import { big, defineStruct, layout } from '../codec.js';
import { fail } from '../errors.js';
import { POLL } from '../files/description.js';
import { EPOLL, EpollFile } from '../files/epoll.js';
import { EventFd } from '../files/eventfd.js';
import { SignalFd } from '../files/signalfd.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';
import { CLOCK } from '../abi/common.js';
import { clockNow } from './time.js';
import { suspendWithMask } from './signal.js';

const NS = 1_000_000_000n;
/** struct epoll_event: not packed on the ABIs here (only x86-64 packs it). */
const EPOLL_EVENT = defineStruct('epoll_event', [['events', 'u32'], ['data', 'u64']]);
const POLLFD = defineStruct('pollfd', [['fd', 'int'], ['events', 'short'], ['revents', 'short']]);
const EPOLL_CLOEXEC_FLAGS = (p: GuestProcess) => p.abi.open.O_CLOEXEC;
const MAX_EVENTS = 0x7fffffff / 16;

function monoNow(): bigint {
  return clockNow(CLOCK.CLOCK_MONOTONIC) ?? 0n;
}

/** The optional temporary signal mask of ppoll/pselect6/epoll_pwait. */
function applySigmask(p: GuestProcess, addr: number, size: bigint): void {
  if (!addr) return;
  if (p.word(size) !== 8n) fail('EINVAL');
  suspendWithMask(p, big(p.readStruct('sigset', addr), 'sig'));
}

/** Run `check` now; if it finds nothing, block until it does or the deadline passes (then
 *  `onTimeout`'s value). */
function waitFor(deadline: bigint | null, check: () => number | null, onTimeout: () => number): number {
  const now = check();
  if (now !== null) return now;
  if (deadline !== null && deadline <= monoNow()) return onTimeout();
  throw new Block({
    deadline,
    polled: true,
    restartable: false,
    poll: (timedOut) => check() ?? (timedOut ? onTimeout() : null),
  });
}

function epollOf(p: GuestProcess, fd: bigint): EpollFile {
  const f = p.fds.get(p.int(fd));
  if (!(f instanceof EpollFile)) fail('EINVAL');
  return f;
}

function epollWait(p: GuestProcess, epfd: bigint, events: number, maxArg: bigint, deadline: bigint | null): number {
  const ep = epollOf(p, epfd);
  const max = p.int(maxArg);
  if (max <= 0 || max > MAX_EVENTS) fail('EINVAL');
  const l = layout(EPOLL_EVENT, p.model);
  p.output(events, l.size * max);
  return waitFor(deadline, () => {
    const ready = ep.collect(max);
    if (ready.length === 0) return null;
    ready.forEach(([ev, data], i) => writeEvent(p, events + i * l.size, ev, data));
    return ready.length;
  }, () => 0);
}

function writeEvent(p: GuestProcess, at: number, events: number, data: bigint): void {
  const le = p.model.endian === 'le';
  p.mem.view.setUint32(at, events >>> 0, le);
  p.mem.view.setBigUint64(at + (layout(EPOLL_EVENT, p.model).byName.get('data')?.offset ?? 8), data, le);
}

/** ppoll/pselect6's timespec timeout (null: wait forever) as a deadline. */
function timeoutDeadline(p: GuestProcess, addr: number): bigint | null {
  if (!addr) return null;
  const t = p.readStruct('timespec', addr);
  const sec = big(t, 'tv_sec');
  const nsec = big(t, 'tv_nsec');
  if (sec < 0n || nsec < 0n || nsec >= NS) fail('EINVAL');
  return monoNow() + sec * NS + nsec;
}

export const pollSyscalls: SyscallTable = {
  epoll_create1: {
    args: ['oflagbits'],
    run: (p, [flags]) => {
      const fl = p.int(flags);
      if (fl & ~EPOLL_CLOEXEC_FLAGS(p)) fail('EINVAL');
      return p.fds.install(new EpollFile(p.fds, p.abi.open.O_RDWR), (fl & EPOLL_CLOEXEC_FLAGS(p)) !== 0);
    },
  },
  epoll_ctl: {
    args: ['fd', 'int', 'fd', 'ptr'],
    run: (p, [epfd, opArg, fdArg, eventArg]) => {
      const ep = p.fds.get(p.int(epfd));
      const fd = p.int(fdArg);
      const file = p.fds.get(fd);
      if (!(ep instanceof EpollFile) || file === ep) fail('EINVAL');
      const op = p.int(opArg);
      // Regular files and directories are always ready; the kernel refuses to watch them.
      const type = file.stat().mode & 0o170000;
      if (type === 0o100000 || type === 0o040000) fail('EPERM');
      if (file instanceof EpollFile && file.get(p.int(epfd)) !== undefined) fail('ELOOP');
      const cur = ep.get(fd);
      if (op === EPOLL.CTL_DEL) {
        if (!cur) fail('ENOENT');
        ep.remove(fd);
        return 0;
      }
      const l = layout(EPOLL_EVENT, p.model);
      p.input(p.ptr(eventArg), l.size);
      const le = p.model.endian === 'le';
      const events = p.mem.view.getUint32(p.ptr(eventArg), le);
      const data = p.mem.view.getBigUint64(p.ptr(eventArg) + (l.byName.get('data')?.offset ?? 8), le);
      if (op === EPOLL.CTL_ADD) {
        if (cur) fail('EEXIST');
        ep.add(fd, file, events, data);
      } else if (op === EPOLL.CTL_MOD) {
        if (!cur) fail('ENOENT');
        if (events & EPOLL.EPOLLEXCLUSIVE) fail('EINVAL');
        ep.modify(cur, events, data);
      } else fail('EINVAL');
      return 0;
    },
  },
  epoll_pwait: {
    args: ['fd', 'ptr', 'int', 'int', 'ptr', 'omit'],
    run: (p, [epfd, events, max, timeout, sigmask, size]) => {
      const ms = p.int(timeout);
      const deadline = ms < 0 ? null : monoNow() + BigInt(ms) * 1_000_000n;
      epollOf(p, epfd);
      applySigmask(p, p.ptr(sigmask), size);
      return epollWait(p, epfd, p.ptr(events), max, deadline);
    },
  },
  epoll_pwait2: {
    args: ['fd', 'ptr', 'int', 'ptr', 'ptr', 'omit'],
    run: (p, [epfd, events, max, timeout, sigmask, size]) => {
      const deadline = timeoutDeadline(p, p.ptr(timeout));
      epollOf(p, epfd);
      applySigmask(p, p.ptr(sigmask), size);
      return epollWait(p, epfd, p.ptr(events), max, deadline);
    },
  },
  eventfd2: {
    args: ['uint', 'oflagbits'],
    run: (p, [initval, flags]) => {
      const O = p.abi.open;
      const EFD_SEMAPHORE = 1;
      const fl = p.int(flags);
      if (fl & ~(O.O_CLOEXEC | O.O_NONBLOCK | EFD_SEMAPHORE)) fail('EINVAL');
      const f = new EventFd(BigInt(p.uint(initval)), (fl & EFD_SEMAPHORE) !== 0, O.O_RDWR | (fl & O.O_NONBLOCK), p.model.endian === 'le');
      f.nonblock = (fl & O.O_NONBLOCK) !== 0;
      return p.fds.install(f, (fl & O.O_CLOEXEC) !== 0);
    },
  },
  signalfd4: {
    args: ['fd', 'ptr', 'omit', 'oflagbits'],
    run: (p, [fdArg, maskArg, size, flags]) => {
      const O = p.abi.open;
      const fl = p.int(flags);
      if (fl & ~(O.O_CLOEXEC | O.O_NONBLOCK)) fail('EINVAL');
      if (p.word(size) !== 8n) fail('EINVAL');
      const mask = big(p.readStruct('sigset', p.ptr(maskArg)), 'sig') & ~p.sig.unblockable();
      const fd = p.int(fdArg);
      if (fd !== -1) {
        const f = p.fds.get(fd);
        if (!(f instanceof SignalFd)) fail('EINVAL');
        f.mask = mask;
        return fd;
      }
      const f = new SignalFd(p, mask, O.O_RDWR | (fl & O.O_NONBLOCK));
      f.nonblock = (fl & O.O_NONBLOCK) !== 0;
      return p.fds.install(f, (fl & O.O_CLOEXEC) !== 0);
    },
  },
  ppoll: {
    args: ['ptr', 'uint', 'timespec', 'ptr', 'omit'],
    run: (p, [fdsArg, nfdsArg, timeout, sigmask, size]) => {
      const nfds = p.uint(nfdsArg);
      if (nfds > p.fds.limit) fail('EINVAL');
      const l = layout(POLLFD, p.model);
      const at = p.ptr(fdsArg);
      p.output(at, l.size * nfds);
      const deadline = timeoutDeadline(p, p.ptr(timeout));
      applySigmask(p, p.ptr(sigmask), size);
      const le = p.model.endian === 'le';
      const v = p.mem.view;
      const check = (): number | null => {
        let n = 0;
        for (let i = 0; i < nfds; i++) {
          const e = at + i * l.size;
          const fd = v.getInt32(e, le);
          let rev = 0;
          if (fd >= 0) {
            if (!p.fds.has(fd)) rev = POLL.NVAL;
            else rev = p.fds.get(fd).readiness() & (v.getUint16(e + 4, le) | POLL.ERR | POLL.HUP | POLL.NVAL);
          }
          v.setUint16(e + 6, rev, le);
          if (rev) n++;
        }
        return n > 0 ? n : null;
      };
      return waitFor(deadline, check, () => 0);
    },
  },
  pselect6: {
    args: ['int', 'ptr', 'ptr', 'ptr', 'timespec', 'ptr'],
    run: (p, [nArg, rArg, wArg, eArg, timeout, sigArg]) => {
      const n = p.int(nArg);
      if (n < 0 || n > p.fds.limit) fail('EINVAL');
      const bytes = Math.ceil(n / (p.model.wordBits)) * (p.model.wordBits / 8);
      // fd_set: bit fd of long fd / wordBits; on little-endian ABIs that is byte fd / 8.
      const sets = [p.ptr(rArg), p.ptr(wArg), p.ptr(eArg)].map((a) => (a ? p.output(a, bytes) : null));
      const want = sets.map((s) => (s ? s.slice() : null));
      for (let fd = 0; fd < n; fd++) {
        if (want.some((w) => w && w[fd >> 3] & (1 << (fd & 7))) && !p.fds.has(fd)) fail('EBADF');
      }
      const deadline = timeoutDeadline(p, p.ptr(timeout));
      // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
      const sa = p.ptr(sigArg);
      if (sa) {
        const word = p.model.wordBits / 8;
        const le = p.model.endian === 'le';
        p.input(sa, 2 * word);
        const rd = (o: number) => (word === 8 ? p.mem.view.getBigUint64(sa + o, le) : BigInt(p.mem.view.getUint32(sa + o, le)));
        applySigmask(p, p.ptr(rd(0)), rd(word));
      }
      const bits = [POLL.IN | POLL.HUP | POLL.ERR, POLL.OUT | POLL.ERR, POLL.PRI];
      const check = (): number | null => {
        let count = 0;
        const out = sets.map((s) => (s ? new Uint8Array(s.length) : null));
        for (let fd = 0; fd < n; fd++) {
          const asked = want.map((w) => w !== null && (w[fd >> 3] & (1 << (fd & 7))) !== 0);
          if (!asked.some(Boolean)) continue;
          const r = p.fds.get(fd).readiness();
          asked.forEach((a, k) => {
            if (a && r & bits[k]) {
              (out[k] as Uint8Array)[fd >> 3] |= 1 << (fd & 7);
              count++;
            }
          });
        }
        if (count === 0) return null;
        sets.forEach((s, k) => s?.set(out[k] as Uint8Array));
        return count;
      };
      return waitFor(deadline, check, () => {
        sets.forEach((s) => s?.fill(0));
        return 0;
      });
    },
  },
};
