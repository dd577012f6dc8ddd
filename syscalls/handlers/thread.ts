// Threads: clone/clone3 (threads only: CLONE_VM|CLONE_THREAD and friends), exit of one thread with
// the clear-child-tid wake and the robust futex list, thread ids, scheduling calls (a single
// emulated CPU runs every thread in turn), membarrier, prctl.
import { defineStruct, layout } from '../codec.js';
import { ThreadExit } from '../blocking.js';
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';
import { GuestThread } from '../threads.js';
import { ProcessExit } from './process-info.js';
import { vforkWait } from './process.js';
import { cpuCount } from '../procfs/host-info.js';

/** include/uapi/linux/sched.h */
export const CLONE = {
  CSIGNAL: 0xff, CLONE_VM: 0x100, CLONE_FS: 0x200, CLONE_FILES: 0x400, CLONE_SIGHAND: 0x800,
  CLONE_PIDFD: 0x1000, CLONE_PTRACE: 0x2000, CLONE_VFORK: 0x4000, CLONE_PARENT: 0x8000,
  CLONE_THREAD: 0x10000, CLONE_NEWNS: 0x20000, CLONE_SYSVSEM: 0x40000, CLONE_SETTLS: 0x80000,
  CLONE_PARENT_SETTID: 0x100000, CLONE_CHILD_CLEARTID: 0x200000, CLONE_DETACHED: 0x400000,
  CLONE_UNTRACED: 0x800000, CLONE_CHILD_SETTID: 0x1000000, CLONE_NEWCGROUP: 0x2000000,
  CLONE_NEWUTS: 0x4000000, CLONE_NEWIPC: 0x8000000, CLONE_NEWUSER: 0x10000000, CLONE_NEWPID: 0x20000000,
  CLONE_NEWNET: 0x40000000, CLONE_IO: 0x80000000,
} as const;
const C = CLONE;
const NAMESPACES = C.CLONE_NEWNS | C.CLONE_NEWCGROUP | C.CLONE_NEWUTS | C.CLONE_NEWIPC | C.CLONE_NEWUSER | C.CLONE_NEWPID | C.CLONE_NEWNET;
/** What a thread shares with its creator; crossrun runs threads only in this shape. */
const THREAD = C.CLONE_VM | C.CLONE_FS | C.CLONE_FILES | C.CLONE_SIGHAND | C.CLONE_THREAD;

/** struct clone_args (clone3), version 0: the first 64 bytes. */
const CLONE_ARGS = defineStruct('clone_args', [
  ['flags', 'u64'], ['pidfd', 'u64'], ['child_tid', 'u64'], ['parent_tid', 'u64'], ['exit_signal', 'u64'],
  ['stack', 'u64'], ['stack_size', 'u64'], ['tls', 'u64'], ['set_tid', 'u64'], ['set_tid_size', 'u64'], ['cgroup', 'u64'],
]);
const CLONE_ARGS_SIZE_VER0 = 64;

const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;
const ROBUST_LIST_LIMIT = 2048;

interface CloneRequest {
  flags: number;
  stack: bigint;
  parentTid: number;
  childTid: number;
  tls: bigint;
}

function cloneThread(p: GuestProcess, r: CloneRequest): number {
  const f = r.flags;
  if (f & C.CLONE_THREAD && !(f & C.CLONE_SIGHAND)) fail('EINVAL');
  if (f & C.CLONE_SIGHAND && !(f & C.CLONE_VM)) fail('EINVAL');
  if (f & C.CLONE_NEWNS && f & C.CLONE_FS) fail('EINVAL');
  if (f & C.CLONE_PIDFD && f & (C.CLONE_THREAD | C.CLONE_PARENT_SETTID)) fail('EINVAL');
  if (f & NAMESPACES) fail('EPERM'); // an unprivileged process cannot make namespaces
  if (!(f & C.CLONE_THREAD)) return cloneProcess(p, r);
  if ((f & THREAD) !== THREAD || f & C.CLONE_VFORK) {
    p.unimp(`crossrun: clone with flags 0x${f.toString(16)}: threads must share VM, FS, FILES and SIGHAND`);
    fail('ENOSYS');
  }
  const parent = p.current;
  const t = new GuestThread(p.newTid(), parent.comm);
  t.mask = parent.mask; // the alternate stack is not inherited by a CLONE_VM child
  // The tid pointers are checked before the thread exists, so a bad one fails the call.
  if (f & C.CLONE_PARENT_SETTID) p.writeInt(r.parentTid, t.tid);
  if (f & C.CLONE_CHILD_SETTID) p.writeInt(r.childTid, t.tid);
  if (f & C.CLONE_CHILD_CLEARTID) t.clearChildTid = BigInt(r.childTid);
  p.host.spawn(t, r.stack, f & C.CLONE_SETTLS ? r.tls : null);
  p.threads.set(t.tid, t);
  return t.tid;
}

/** clone without CLONE_THREAD: a new process. Its address space is always a copy; with
 *  CLONE_VM|CLONE_VFORK (posix_spawn) the parent sleeps until the child execs or exits, and the
 *  pages the child wrote until then are copied back into the parent (as if shared). Shared fd
 *  tables (CLONE_FILES) and fs state (CLONE_FS) are copies. */
function cloneProcess(p: GuestProcess, r: CloneRequest): number {
  const f = r.flags;
  if (f & C.CLONE_VM && !(f & C.CLONE_VFORK)) {
    p.unimp(`crossrun: clone with flags 0x${f.toString(16)}: a process sharing its parent's memory is not supported`);
    fail('ENOSYS');
  }
  if (f & (C.CLONE_FILES | C.CLONE_FS | C.CLONE_PARENT)) p.unimp(`crossrun: clone flags 0x${f.toString(16)}: the child gets copies (CLONE_FILES/FS/PARENT not shared)`);
  const exitSignal = f & C.CSIGNAL;
  if (exitSignal > p.abi.nsig) fail('EINVAL');
  const vforkShared = (f & C.CLONE_VM) !== 0 && (f & C.CLONE_VFORK) !== 0;
  const child = p.host.fork?.({ exitSignal, stack: r.stack, tls: f & C.CLONE_SETTLS ? r.tls : null, vforkShared }) ?? fail('ENOSYS');
  if (f & C.CLONE_PARENT_SETTID) p.writeInt(r.parentTid, child.pid);
  if (f & C.CLONE_CHILD_SETTID) child.writeInt(r.childTid, child.pid);
  if (f & C.CLONE_CHILD_CLEARTID) child.main.clearChildTid = BigInt(r.childTid);
  if (f & C.CLONE_VFORK) vforkWait(child);
  return child.pid;
}

/** The robust futex list at thread exit: locks the thread still holds get FUTEX_OWNER_DIED and a
 *  waiter is woken (the kernel's exit_robust_list). A list that does not read back is left alone. */
function exitRobustList(p: GuestProcess, t: GuestThread): void {
  if (t.robustList === 0n) return;
  const word = p.model.wordBits / 8;
  const read = (a: number): number => {
    p.mem.read(a, word);
    const v = word === 8 ? p.mem.view.getBigUint64(a, p.model.endian === 'le') : BigInt(p.mem.view.getUint32(a, p.model.endian === 'le'));
    return Number(v);
  };
  const handle = (entry: number, offset: number): void => {
    const uaddr = entry + offset;
    if (uaddr % 4 !== 0 || !p.mem.ok(uaddr, 4, 3)) return;
    const v = p.readInt(uaddr) >>> 0;
    if ((v & FUTEX_TID_MASK) !== t.tid) return;
    p.writeInt(uaddr, ((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) | 0);
    if (v & FUTEX_WAITERS && p.futex.wake(uaddr, 1) > 0) p.host.kick();
  };
  try {
    const head = Number(t.robustList);
    const offset = Number(BigInt.asIntN(p.model.wordBits, BigInt(read(head + word))));
    const pending = read(head + 2 * word) & ~1;
    let entry = read(head) & ~1;
    for (let n = 0; entry !== head && n < ROBUST_LIST_LIMIT; n++) {
      const next = read(entry) & ~1;
      if (entry !== pending) handle(entry, offset);
      entry = next;
    }
    if (pending) handle(pending, offset);
  } catch {
    // an unreadable list: the kernel stops walking it too
  }
}

function exitThread(p: GuestProcess, status: number): never {
  const t = p.current;
  exitRobustList(p, t);
  if (t.clearChildTid) {
    const at = p.ptr(t.clearChildTid);
    try {
      p.writeInt(at, 0);
      if (p.futex.wake(at, 1) > 0) p.host.kick();
    } catch {
      // an unmapped tid pointer is ignored, as by the kernel
    }
  }
  t.exited = true;
  p.threads.delete(t.tid);
  if (t === p.main) p.mainExitStatus = status;
  // The last thread out ends the process, with the main thread's status.
  if (p.threads.size === 0) throw new ProcessExit(p.mainExitStatus);
  p.host.kick();
  throw new ThreadExit(status);
}

/** pid argument of the sched_* calls: 0 or a thread of ours. */
function checkTask(p: GuestProcess, pid: bigint): void {
  const who = p.int(pid);
  if (who < 0) fail('EINVAL');
  if (who !== 0 && !p.threads.has(who)) fail('ESRCH');
}

const SCHED = { SCHED_OTHER: 0, SCHED_FIFO: 1, SCHED_RR: 2, SCHED_BATCH: 3, SCHED_IDLE: 5, SCHED_DEADLINE: 6 } as const;
const SCHED_RESET_ON_FORK = 0x40000000;

/** include/uapi/linux/membarrier.h: every command is already satisfied, since guest threads run
 *  one at a time and a thread switch orders all memory accesses. */
const MEMBARRIER = {
  QUERY: 0, GLOBAL: 1, GLOBAL_EXPEDITED: 2, REGISTER_GLOBAL_EXPEDITED: 4, PRIVATE_EXPEDITED: 8,
  REGISTER_PRIVATE_EXPEDITED: 16, PRIVATE_EXPEDITED_SYNC_CORE: 32, REGISTER_PRIVATE_EXPEDITED_SYNC_CORE: 64,
} as const;
const MEMBARRIER_SUPPORTED = 0x7f;
const registeredBarriers = new WeakMap<GuestProcess, number>();

/** include/uapi/linux/prctl.h */
const PR = {
  PR_SET_PDEATHSIG: 1, PR_GET_PDEATHSIG: 2, PR_GET_DUMPABLE: 3, PR_SET_DUMPABLE: 4, PR_SET_NAME: 15,
  PR_GET_NAME: 16, PR_GET_SECCOMP: 21, PR_CAPBSET_READ: 23, PR_SET_TIMERSLACK: 29, PR_GET_TIMERSLACK: 30,
  PR_SET_CHILD_SUBREAPER: 36, PR_GET_CHILD_SUBREAPER: 37, PR_SET_NO_NEW_PRIVS: 38, PR_GET_NO_NEW_PRIVS: 39,
  PR_SET_THP_DISABLE: 41, PR_GET_THP_DISABLE: 42, PR_SET_VMA: 0x53564d41,
} as const;
const TASK_COMM_LEN = 16;

interface PrctlState {
  pdeathsig: number;
  dumpable: number;
  timerslack: bigint;
  subreaper: number;
  noNewPrivs: number;
  thpDisable: number;
}
const prctlStates = new WeakMap<GuestProcess, PrctlState>();
function prctlState(p: GuestProcess): PrctlState {
  let s = prctlStates.get(p);
  if (!s) prctlStates.set(p, (s = { pdeathsig: 0, dumpable: 1, timerslack: 50_000n, subreaper: 0, noNewPrivs: 0, thpDisable: 0 }));
  return s;
}

function prctl(p: GuestProcess, option: number, a2: bigint, a3: bigint): number | bigint {
  const s = prctlState(p);
  switch (option) {
    case PR.PR_SET_NAME: {
      // Up to 15 bytes, NUL-terminated or not (the kernel's strncpy_from_user of comm).
      const at = p.ptr(a2);
      const name: number[] = [];
      for (let i = 0; i < TASK_COMM_LEN - 1; i++) {
        const c = p.input(at + i, 1)[0];
        if (c === 0) break;
        name.push(c);
      }
      p.current.comm = new TextDecoder().decode(new Uint8Array(name));
      return 0;
    }
    case PR.PR_GET_NAME: {
      const out = p.output(p.ptr(a2), TASK_COMM_LEN);
      out.fill(0);
      out.set(new TextEncoder().encode(p.current.comm).subarray(0, TASK_COMM_LEN - 1));
      return 0;
    }
    case PR.PR_SET_PDEATHSIG: {
      const sig = p.int(a2);
      if (sig < 0 || sig > p.abi.nsig) fail('EINVAL');
      s.pdeathsig = sig;
      return 0;
    }
    case PR.PR_GET_PDEATHSIG:
      p.writeInt(p.ptr(a2), s.pdeathsig);
      return 0;
    case PR.PR_GET_DUMPABLE: return s.dumpable;
    case PR.PR_SET_DUMPABLE:
      if (a2 !== 0n && a2 !== 1n) fail('EINVAL');
      s.dumpable = Number(a2);
      return 0;
    case PR.PR_GET_SECCOMP: return 0;
    case PR.PR_CAPBSET_READ:
      if (p.uint(a2) > 40) fail('EINVAL');
      return p.uid === 0 ? 1 : 0;
    case PR.PR_SET_TIMERSLACK:
      s.timerslack = a2 === 0n ? 50_000n : p.word(a2);
      return 0;
    case PR.PR_GET_TIMERSLACK: return s.timerslack;
    case PR.PR_SET_CHILD_SUBREAPER:
      s.subreaper = a2 !== 0n ? 1 : 0;
      return 0;
    case PR.PR_GET_CHILD_SUBREAPER:
      p.writeInt(p.ptr(a2), s.subreaper);
      return 0;
    case PR.PR_SET_NO_NEW_PRIVS:
      if (a2 !== 1n || a3 !== 0n) fail('EINVAL');
      s.noNewPrivs = 1;
      return 0;
    case PR.PR_GET_NO_NEW_PRIVS: return s.noNewPrivs;
    case PR.PR_SET_THP_DISABLE:
      s.thpDisable = a2 !== 0n ? 1 : 0;
      return 0;
    case PR.PR_GET_THP_DISABLE: return s.thpDisable;
    case PR.PR_SET_VMA: return 0; // naming anonymous mappings: accepted, not shown in maps
    default:
      p.unimp(`crossrun: prctl option ${option} is not implemented`);
      return fail('EINVAL');
  }
}

export const threadSyscalls: SyscallTable = {
  clone: {
    // asm-generic order on riscv64 and arm64: flags, stack, parent_tid, tls, child_tid
    args: ['hex', 'ptr', 'ptr', 'ptr', 'ptr'],
    run: (p, [flags, stack, ptid, tls, ctid]) =>
      cloneThread(p, { flags: p.uint(flags), stack: p.word(stack), parentTid: p.ptr(ptid), childTid: p.ptr(ctid), tls: p.word(tls) }),
  },
  clone3: {
    args: ['ptr', 'ulong'],
    run: (p, [uargs, sizeArg]) => {
      const size = p.ptr(sizeArg);
      if (size < CLONE_ARGS_SIZE_VER0) fail('EINVAL');
      const l = layout(CLONE_ARGS, p.model);
      const at = p.ptr(uargs);
      const known = Math.min(size, l.size);
      // Fields past what we know must be zero (the kernel's E2BIG), and what we read must exist.
      if (size > l.size && p.input(at + l.size, size - l.size).some((b) => b !== 0)) fail('E2BIG');
      const raw = new Uint8Array(l.size);
      raw.set(p.input(at, known));
      const dv = new DataView(raw.buffer);
      const a = (name: string): bigint => dv.getBigUint64(l.byName.get(name)?.offset ?? 0, p.model.endian === 'le');
      const flags = a('flags');
      if (flags > 0xffffffffn) fail('EINVAL'); // CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP: not supported
      if (a('set_tid') !== 0n || a('set_tid_size') !== 0n) fail('EPERM');
      if (a('exit_signal') & ~0xffn || (a('exit_signal') !== 0n && flags & BigInt(C.CLONE_THREAD))) fail('EINVAL');
      if (flags & BigInt(C.CSIGNAL)) fail('EINVAL'); // clone3 takes the exit signal in its own field
      const stack = a('stack');
      const stackSize = a('stack_size');
      if ((stack === 0n) !== (stackSize === 0n)) fail('EINVAL');
      return cloneThread(p, {
        flags: Number(flags) | Number(a('exit_signal')), stack: stack === 0n ? 0n : stack + stackSize, parentTid: p.ptr(a('parent_tid')),
        childTid: p.ptr(a('child_tid')), tls: a('tls'),
      });
    },
  },
  exit: { args: ['int'], ret: 'noreturn', run: (p, [code]) => exitThread(p, p.int(code) & 0xff) },
  gettid: { args: [], run: (p) => p.current.tid },
  set_tid_address: {
    args: ['ptr'],
    run: (p, [tidptr]) => {
      p.current.clearChildTid = p.word(tidptr);
      return p.current.tid;
    },
  },
  set_robust_list: {
    args: ['ptr', 'ulong'],
    run: (p, [head, len]) => {
      if (p.ptr(len) !== (3 * p.model.wordBits) / 8) fail('EINVAL'); // sizeof(struct robust_list_head)
      p.current.robustList = p.word(head);
      p.current.robustListLen = p.word(len);
      return 0;
    },
  },
  get_robust_list: {
    args: ['int', 'ptr', 'ptr'],
    run: (p, [pid, headPtr, lenPtr]) => {
      const who = p.int(pid);
      const t = who === 0 ? p.current : p.threads.get(who) ?? fail('ESRCH');
      const word = p.model.wordBits / 8;
      const le = p.model.endian === 'le';
      const put = (at: number, v: bigint) => {
        p.output(at, word);
        if (word === 8) p.mem.view.setBigUint64(at, v, le);
        else p.mem.view.setUint32(at, Number(v), le);
      };
      put(p.ptr(headPtr), t.robustList);
      put(p.ptr(lenPtr), t.robustListLen || BigInt(3 * word));
      return 0;
    },
  },
  sched_yield: {
    args: [],
    run: (p) => {
      p.host.yieldSlice();
      return 0;
    },
  },
  sched_getaffinity: {
    args: ['int', 'uint', 'ptr'],
    run: (p, [pid, size, mask]) => {
      checkTask(p, pid);
      const wordBytes = p.model.wordBits / 8;
      const cpus = cpuCount();
      // The kernel's mask is nr_cpu_ids bits in whole longs; a smaller buffer is EINVAL.
      const need = Math.ceil(cpus / (8 * wordBytes)) * wordBytes;
      const n = p.uint(size);
      if (n < need || n % wordBytes) fail('EINVAL');
      const out = p.output(p.ptr(mask), need);
      out.fill(0);
      // Bit c lives in long c / wordBits whatever the byte order: on little-endian ABIs that is
      // byte c / 8; on big-endian ones the bytes of each long are reversed.
      for (let c = 0; c < cpus; c++) {
        const w = Math.floor(c / (8 * wordBytes));
        const inWord = Math.floor((c % (8 * wordBytes)) / 8);
        const byte = w * wordBytes + (p.model.endian === 'le' ? inWord : wordBytes - 1 - inWord);
        out[byte] |= 1 << (c % 8);
      }
      return need;
    },
  },
  sched_setaffinity: {
    args: ['int', 'uint', 'ptr'],
    run: (p, [pid, size, mask]) => {
      checkTask(p, pid);
      const bytes = p.input(p.ptr(mask), p.uint(size));
      // Any CPU we have will do (all threads share our one emulated CPU anyway).
      const cpus = cpuCount();
      const wordBytes = p.model.wordBits / 8;
      let any = false;
      for (let c = 0; c < cpus && !any; c++) {
        const w = Math.floor(c / (8 * wordBytes));
        const inWord = Math.floor((c % (8 * wordBytes)) / 8);
        const byte = w * wordBytes + (p.model.endian === 'le' ? inWord : wordBytes - 1 - inWord);
        any = byte < bytes.length && (bytes[byte] & (1 << (c % 8))) !== 0;
      }
      if (!any) fail('EINVAL');
      return 0;
    },
  },
  sched_getscheduler: {
    args: ['int'],
    run: (p, [pid]) => {
      checkTask(p, pid);
      return SCHED.SCHED_OTHER;
    },
  },
  sched_getparam: {
    args: ['int', 'ptr'],
    run: (p, [pid, param]) => {
      checkTask(p, pid);
      p.writeInt(p.ptr(param), 0);
      return 0;
    },
  },
  sched_setscheduler: {
    args: ['int', 'int', 'ptr'],
    run: (p, [pid, policyArg, param]) => {
      checkTask(p, pid);
      const policy = p.int(policyArg) & ~SCHED_RESET_ON_FORK;
      const prio = p.readInt(p.ptr(param));
      if (policy === SCHED.SCHED_FIFO || policy === SCHED.SCHED_RR) {
        if (prio < 1 || prio > 99) fail('EINVAL');
        fail('EPERM'); // real-time scheduling needs privileges we do not emulate
      }
      if (policy !== SCHED.SCHED_OTHER && policy !== SCHED.SCHED_BATCH && policy !== SCHED.SCHED_IDLE) fail('EINVAL');
      if (prio !== 0) fail('EINVAL');
      return 0;
    },
  },
  sched_setparam: {
    args: ['int', 'ptr'],
    run: (p, [pid, param]) => {
      checkTask(p, pid);
      if (p.readInt(p.ptr(param)) !== 0) fail('EINVAL');
      return 0;
    },
  },
  sched_get_priority_max: {
    args: ['int'],
    run: (p, [policy]) => {
      const v = p.int(policy);
      if (v === SCHED.SCHED_FIFO || v === SCHED.SCHED_RR) return 99;
      if (v === SCHED.SCHED_OTHER || v === SCHED.SCHED_BATCH || v === SCHED.SCHED_IDLE || v === SCHED.SCHED_DEADLINE) return 0;
      return fail('EINVAL');
    },
  },
  sched_get_priority_min: {
    args: ['int'],
    run: (p, [policy]) => {
      const v = p.int(policy);
      if (v === SCHED.SCHED_FIFO || v === SCHED.SCHED_RR) return 1;
      if (v === SCHED.SCHED_OTHER || v === SCHED.SCHED_BATCH || v === SCHED.SCHED_IDLE || v === SCHED.SCHED_DEADLINE) return 0;
      return fail('EINVAL');
    },
  },
  getcpu: {
    args: ['ptr', 'ptr', 'ptr'],
    run: (p, [cpu, node]) => {
      if (p.ptr(cpu)) p.writeInt(p.ptr(cpu), 0);
      if (p.ptr(node)) p.writeInt(p.ptr(node), 0);
      return 0;
    },
  },
  membarrier: {
    args: ['int', 'uint', 'int'],
    run: (p, [cmdArg, flags]) => {
      const cmd = p.int(cmdArg);
      if (p.uint(flags) !== 0) fail('EINVAL');
      const M = MEMBARRIER;
      const reg = registeredBarriers.get(p) ?? 0;
      switch (cmd) {
        case M.QUERY: return MEMBARRIER_SUPPORTED;
        case M.GLOBAL: return 0;
        case M.REGISTER_GLOBAL_EXPEDITED: case M.REGISTER_PRIVATE_EXPEDITED: case M.REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
          registeredBarriers.set(p, reg | cmd);
          return 0;
        case M.GLOBAL_EXPEDITED: return 0;
        case M.PRIVATE_EXPEDITED:
          if (!(reg & M.REGISTER_PRIVATE_EXPEDITED)) fail('EPERM');
          return 0;
        case M.PRIVATE_EXPEDITED_SYNC_CORE:
          if (!(reg & M.REGISTER_PRIVATE_EXPEDITED_SYNC_CORE)) fail('EPERM');
          return 0;
        default: return fail('EINVAL');
      }
    },
  },
  prctl: {
    args: ['int', 'hex', 'hex', 'hex', 'hex'],
    run: (p, [option, a2, a3]) => prctl(p, p.int(option), a2, a3),
  },
};

