// Thread syscalls through the syscall layer, with a recording stand-in for the engine: clone's
// flag rules and tid pointers, clone3, exit of one thread (clear_child_tid zeroed and woken, the
// robust list marked OWNER_DIED) versus the last one, tids, prctl names, membarrier, scheduling
// calls.
import { describe, expect, it } from 'vitest';
import { Block, ThreadExit } from '../syscalls/blocking.js';
import { ProcessExit } from '../syscalls/index.js';
import type { GuestThread, TaskHost } from '../syscalls/threads.js';
import { PID, errno, harness, type Harness, thrown } from './syscalls-harness.js';

const THREAD = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000; // VM FS FILES SIGHAND THREAD
const SETTLS = 0x80000, PARENT_SETTID = 0x100000, CHILD_CLEARTID = 0x200000, CHILD_SETTID = 0x1000000;

function withHost(h: Harness): Array<{ t: GuestThread; stack: bigint; tls: bigint | null }> {
  const spawned: Array<{ t: GuestThread; stack: bigint; tls: bigint | null }> = [];
  const host: TaskHost = {
    spawn: (t, stack, tls) => void spawned.push({ t, stack, tls }),
    kick: () => {},
    yieldSlice: () => {},
    stackPointer: () => 0n,
  };
  h.linux.process.host = host;
  return spawned;
}

describe('clone', () => {
  it('starts a thread with the tid pointers, TLS and stack it was given', () => {
    const h = harness();
    const spawned = withHost(h);
    const ptid = h.alloc(4);
    const ctid = h.alloc(4);
    const tid = h.call('clone', THREAD | SETTLS | PARENT_SETTID | CHILD_CLEARTID | CHILD_SETTID, 0x5000_0000, ptid, 0x1234, ctid);
    expect(tid).toBeGreaterThan(PID);
    expect([h.mem.view.getInt32(ptid, true), h.mem.view.getInt32(ctid, true)]).toEqual([tid, tid]);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]).toMatchObject({ stack: 0x5000_0000n, tls: 0x1234n });
    expect(spawned[0].t.tid).toBe(tid);
    expect(spawned[0].t.clearChildTid).toBe(BigInt(ctid));
    expect(h.linux.process.threads.get(tid)).toBe(spawned[0].t);
  });

  it('enforces the flag rules; a process needs an engine that forks (ENOSYS without); shared-memory processes are not supported', () => {
    const h = harness();
    withHost(h);
    expect(h.call('clone', 0x10000 | 0x100, 0, 0, 0, 0)).toBe(errno('EINVAL')); // THREAD without SIGHAND
    expect(h.call('clone', 0x800, 0, 0, 0, 0)).toBe(errno('EINVAL')); // SIGHAND without VM
    expect(h.call('clone', 17 /* SIGCHLD: fork */, 0, 0, 0, 0)).toBe(errno('ENOSYS')); // this host cannot fork
    expect(h.call('clone', 0x100 | 17 /* CLONE_VM without VFORK or THREAD */, 0, 0, 0, 0)).toBe(errno('ENOSYS'));
    expect(h.log.some((l) => l.includes("sharing its parent's memory"))).toBe(true);
    expect(h.call('clone', THREAD | 0x20000000 /* NEWPID */, 0, 0, 0, 0)).toBe(errno('EPERM'));
  });

  it('clone3 takes struct clone_args: stack + size, tls, tids; rejects what it does not know', () => {
    const h = harness();
    const spawned = withHost(h);
    const args = h.alloc(88);
    const v = h.mem.view;
    const ctid = h.alloc(4);
    v.setBigUint64(args, BigInt(THREAD | SETTLS | CHILD_SETTID), true);
    v.setBigUint64(args + 16, BigInt(ctid), true); // child_tid
    v.setBigUint64(args + 40, 0x4000_0000n, true); // stack
    v.setBigUint64(args + 48, 0x1_0000n, true); // stack_size
    v.setBigUint64(args + 56, 0x99n, true); // tls
    const tid = h.call('clone3', args, 88);
    expect(spawned[0]).toMatchObject({ stack: 0x4001_0000n, tls: 0x99n });
    expect(h.mem.view.getInt32(ctid, true)).toBe(tid);
    expect(h.call('clone3', args, 32)).toBe(errno('EINVAL'));
    v.setBigUint64(args + 48, 0n, true); // stack without a size
    expect(h.call('clone3', args, 88)).toBe(errno('EINVAL'));
  });
});

describe('thread exit', () => {
  it('exit of one thread zeroes and wakes clear_child_tid and marks its robust futexes; the last one ends the process', () => {
    const h = harness();
    withHost(h);
    const p = h.linux.process;
    const ctid = h.alloc(4);
    const tid = h.call('clone', THREAD | CHILD_SETTID | CHILD_CLEARTID, 0, 0, 0, ctid);
    // the main thread waits for the child to exit, as pthread_join does
    let join: Block | undefined;
    try {
      h.sys('futex', ctid, 0, tid, 0);
    } catch (e) {
      join = e as Block;
    }
    expect(join).toBeInstanceOf(Block);
    // the child holds a robust mutex
    const child = p.threads.get(tid) as GuestThread;
    const head = h.alloc(24);
    const lockEntry = h.alloc(16);
    const v = h.mem.view;
    v.setBigUint64(head, BigInt(lockEntry), true); // head.list.next → entry
    v.setBigInt64(head + 8, 8n, true); // futex_offset: the lock word is 8 bytes into the entry
    v.setBigUint64(lockEntry, BigInt(head), true); // entry.next → head (end)
    v.setInt32(lockEntry + 8, tid | 0x80000000, true); // owned by the child, with waiters
    p.current = child;
    expect(h.call('set_robust_list', head, 24)).toBe(0);
    expect(h.call('gettid')).toBe(tid);
    const e = thrown(() => h.sys('exit', 3));
    expect(e).toBeInstanceOf(ThreadExit);
    expect(v.getInt32(ctid, true)).toBe(0);
    expect(join?.wait.poll(false)).toBe(0); // woken
    expect(v.getUint32(lockEntry + 8, true)).toBe(0xc0000000); // FUTEX_WAITERS | FUTEX_OWNER_DIED
    expect(p.threads.has(tid)).toBe(false);
    p.current = p.main;
    expect((thrown(() => h.sys('exit', 5)) as ProcessExit).code).toBe(5);
  });
});

describe('thread identity and scheduling', () => {
  it('prctl names the calling thread (15 bytes kept); unknown options are EINVAL', () => {
    const h = harness();
    expect(h.call('prctl', 15 /* PR_SET_NAME */, h.str('a-very-long-thread-name'))).toBe(0);
    const out = h.alloc(16);
    expect(h.call('prctl', 16 /* PR_GET_NAME */, out)).toBe(0);
    expect(h.text(out, 16)).toBe('a-very-long-thr\0');
    expect(h.call('prctl', 4 /* SET_DUMPABLE */, 0)).toBe(0);
    expect(h.call('prctl', 3 /* GET_DUMPABLE */)).toBe(0);
    expect(h.call('prctl', 999)).toBe(errno('EINVAL'));
  });

  it('membarrier: QUERY lists the commands; private expedited needs registering first', () => {
    const h = harness();
    expect(h.call('membarrier', 0, 0, 0)).toBe(0x7f);
    expect(h.call('membarrier', 8, 0, 0)).toBe(errno('EPERM'));
    expect(h.call('membarrier', 16, 0, 0)).toBe(0);
    expect(h.call('membarrier', 8, 0, 0)).toBe(0);
    expect(h.call('membarrier', 1, 1, 0)).toBe(errno('EINVAL'));
  });

  it('sched_*: policies and priorities of a normal process; affinity over our CPUs', () => {
    const h = harness();
    expect(h.call('sched_getscheduler', 0)).toBe(0);
    expect(h.call('sched_get_priority_max', 1)).toBe(99);
    expect(h.call('sched_get_priority_min', 0)).toBe(0);
    expect(h.call('sched_get_priority_max', 42)).toBe(errno('EINVAL'));
    const param = h.alloc(4);
    h.mem.view.setInt32(param, 10, true);
    expect(h.call('sched_setscheduler', 0, 1, param)).toBe(errno('EPERM'));
    expect(h.call('sched_getscheduler', PID + 77)).toBe(errno('ESRCH'));
    const mask = h.alloc(128);
    const n = h.call('sched_getaffinity', 0, 128, mask);
    expect(n).toBeGreaterThan(0);
    expect(h.read(mask, 1)[0] & 1).toBe(1);
    expect(h.call('sched_setaffinity', 0, n, mask)).toBe(0);
    expect(h.call('sched_setaffinity', 0, n, h.alloc(n))).toBe(errno('EINVAL')); // no CPU at all
    expect(h.call('sched_yield')).toBe(0);
  });
});
