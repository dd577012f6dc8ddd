// futex(2): WAIT, WAKE, their BITSET forms, REQUEUE, CMP_REQUEUE and WAKE_OP, with the PRIVATE
// flag (every futex of ours is private to the one address space anyway) and the clock choice for
// timeouts. A waiting thread blocks (others run) until woken, timed out or interrupted. The
// priority-inheritance operations are not implemented (ENOSYS: glibc uses them only for
// PTHREAD_PRIO_INHERIT mutexes).
import { CLOCK } from '../abi/common.js';
import { Block } from '../blocking.js';
import { big } from '../codec.js';
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';
import { REALTIME_BASE, clockNow } from './time.js';

/** include/uapi/linux/futex.h */
export const FUTEX = {
  WAIT: 0, WAKE: 1, FD: 2, REQUEUE: 3, CMP_REQUEUE: 4, WAKE_OP: 5, LOCK_PI: 6, UNLOCK_PI: 7, TRYLOCK_PI: 8,
  WAIT_BITSET: 9, WAKE_BITSET: 10, WAIT_REQUEUE_PI: 11, CMP_REQUEUE_PI: 12, LOCK_PI2: 13,
  PRIVATE_FLAG: 128, CLOCK_REALTIME: 256,
} as const;
const CMD_MASK = ~(FUTEX.PRIVATE_FLAG | FUTEX.CLOCK_REALTIME);
const BITSET_MATCH_ANY = -1;

const NS = 1_000_000_000n;

/** The timespec at addr as ns; EINVAL for a malformed one. Negative seconds are allowed (an
 *  absolute time in the past times out at once). */
function readTimespec(p: GuestProcess, addr: number): bigint {
  const t = p.readStruct('timespec', addr);
  const sec = big(t, 'tv_sec');
  const nsec = big(t, 'tv_nsec');
  if (nsec < 0n || nsec >= NS) fail('EINVAL');
  return sec * NS + nsec;
}

function futexAddr(p: GuestProcess, v: bigint): number {
  const a = p.ptr(v);
  if (a % 4 !== 0) fail('EINVAL');
  return a;
}

/** The futex word, or EFAULT. */
function load(p: GuestProcess, addr: number): number {
  return p.readInt(addr);
}

function wait(p: GuestProcess, addr: number, expected: number, deadline: bigint | null, bitset: number): never {
  if (bitset === 0) fail('EINVAL');
  if (load(p, addr) !== expected) fail('EAGAIN');
  const now = clockNow(CLOCK.CLOCK_MONOTONIC) ?? 0n;
  if (deadline !== null && deadline <= now) fail('ETIMEDOUT');
  const w = p.futex.enqueue(p.current, addr, bitset);
  throw new Block({
    deadline,
    // Without a timeout an interrupted wait restarts under SA_RESTART (the kernel's
    // ERESTARTSYS); with one it fails with EINTR (the restart block is only used for signals
    // that run no handler, which never interrupt a wait here).
    restartable: deadline === null,
    poll: (timedOut) => {
      if (w.woken) return 0;
      if (!timedOut) return null;
      p.futex.remove(w);
      return fail('ETIMEDOUT');
    },
    cancel: () => p.futex.remove(w),
  });
}

function wake(p: GuestProcess, addr: number, n: number, bitset = BITSET_MATCH_ANY): number {
  if (bitset === 0) fail('EINVAL');
  const woke = p.futex.wake(addr, n, bitset);
  if (woke > 0) p.host.kick();
  return woke;
}

/** FUTEX_WAKE_OP's operation on the second word and its comparison (encoded in val3). */
function wakeOp(p: GuestProcess, uaddr: number, uaddr2: number, nWake: number, nWake2: number, val3: number): number {
  const encodedOp = (val3 >>> 28) & 0xf;
  const cmp = (val3 >>> 24) & 0xf;
  let oparg = (val3 << 8) >> 20; // bits 12..23, sign-extended
  const cmparg = (val3 << 20) >> 20; // bits 0..11, sign-extended
  if (encodedOp & 8) oparg = 1 << (oparg & 31); // FUTEX_OP_OPARG_SHIFT
  const op = encodedOp & 7;
  if (op > 4 || cmp > 5) fail('ENOSYS');
  if (uaddr2 % 4 !== 0) fail('EINVAL');
  const old = load(p, uaddr2);
  const next = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op] | 0;
  p.writeInt(uaddr2, next);
  let woke = p.futex.wake(uaddr, nWake);
  const hit = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp];
  if (hit) woke += p.futex.wake(uaddr2, nWake2);
  if (woke > 0) p.host.kick();
  return woke;
}

function futex(p: GuestProcess, args: readonly bigint[]): number {
  const [uaddrArg, opArg, valArg, timeoutArg, uaddr2Arg, val3Arg] = args;
  const op = p.int(opArg);
  const cmd = op & CMD_MASK;
  const realtime = (op & FUTEX.CLOCK_REALTIME) !== 0;
  if (realtime && cmd !== FUTEX.WAIT && cmd !== FUTEX.WAIT_BITSET && cmd !== FUTEX.WAIT_REQUEUE_PI && cmd !== FUTEX.LOCK_PI2) fail('ENOSYS');
  const val = p.int(valArg);
  const val3 = p.int(val3Arg);
  // For the requeue and wake-op commands, the timeout argument carries a second count.
  const val2 = p.int(timeoutArg);
  switch (cmd) {
    case FUTEX.WAIT: {
      const addr = futexAddr(p, uaddrArg);
      const t = p.ptr(timeoutArg);
      // A relative timeout, measured on the monotonic clock whatever the flag.
      const deadline = t ? (clockNow(CLOCK.CLOCK_MONOTONIC) ?? 0n) + readTimespec(p, t) : null;
      return wait(p, addr, val, deadline, BITSET_MATCH_ANY);
    }
    case FUTEX.WAIT_BITSET: {
      const addr = futexAddr(p, uaddrArg);
      const t = p.ptr(timeoutArg);
      // An absolute timeout on CLOCK_MONOTONIC, or CLOCK_REALTIME with the flag.
      const deadline = t ? readTimespec(p, t) - (realtime ? REALTIME_BASE : 0n) : null;
      return wait(p, addr, val, deadline, val3);
    }
    case FUTEX.WAKE:
      return wake(p, futexAddr(p, uaddrArg), val);
    case FUTEX.WAKE_BITSET:
      return wake(p, futexAddr(p, uaddrArg), val, val3);
    case FUTEX.REQUEUE:
    case FUTEX.CMP_REQUEUE: {
      const addr = futexAddr(p, uaddrArg);
      const addr2 = futexAddr(p, uaddr2Arg);
      if (val < 0 || val2 < 0) fail('EINVAL');
      if (cmd === FUTEX.CMP_REQUEUE && load(p, addr) !== val3) fail('EAGAIN');
      const n = p.futex.requeue(addr, addr2, val, val2);
      if (n > 0) p.host.kick();
      return n;
    }
    case FUTEX.WAKE_OP:
      return wakeOp(p, futexAddr(p, uaddrArg), p.ptr(uaddr2Arg), val, val2, val3);
    default:
      p.unimp(`crossrun: futex command ${cmd} is not implemented`);
      return fail('ENOSYS');
  }
}

export const futexSyscalls: SyscallTable = {
  futex: {
    args: ['ptr', 'int', 'int', 'ptr', 'ptr', 'int'],
    run: (p, args) => futex(p, args),
  },
};
