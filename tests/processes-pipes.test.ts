// Pipes and fd tables shared across processes, below the engine: capacity and PIPE_BUF atomicity,
// a blocking write that waits with partial progress, EOF and EPIPE decided by the last holder of
// an end in any process's table (fork shares the open file descriptions).
import { describe, expect, it } from 'vitest';
import { SyscallError } from '../syscalls/errors.js';
import { FdTable } from '../syscalls/fd-table.js';
import { PIPE_BUF, PIPE_CAPACITY, PipeBuffer, PipeEnd } from '../syscalls/files/pipe.js';
import { blockOf } from './syscalls-harness.js';

function pipe(): { r: PipeEnd; w: PipeEnd } {
  const buf = new PipeBuffer();
  return { r: new PipeEnd(buf, 'r', 0), w: new PipeEnd(buf, 'w', 1) };
}

function errno(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SyscallError) return e.code;
    throw e;
  }
  return undefined;
}


describe('pipe capacity', () => {
  it('holds 64 KiB; a blocking write past it waits, keeps its progress, and finishes as readers make room', () => {
    const { r, w } = pipe();
    const data = new Uint8Array(PIPE_CAPACITY + 10_000).map((_, i) => i & 0xff);
    const b = blockOf(() => w.write(data));
    expect(w.pipe.size).toBe(PIPE_CAPACITY); // what fit went in at once
    expect(b.wait.restartable).toBe(false); // progress made: a signal ends it with the count
    expect(b.wait.interrupted?.()).toBe(PIPE_CAPACITY);
    expect(b.wait.poll(false)).toBeNull(); // still full
    const got = new Uint8Array(PIPE_CAPACITY + 10_000);
    let n = r.read(got.subarray(0, 8192));
    expect(b.wait.poll(false)).toBeNull(); // 8192 more went in; 1808 left
    n += r.read(got.subarray(n, n + 4096));
    expect(b.wait.poll(false)).toBe(data.length);
    while (n < got.length) n += r.read(got.subarray(n));
    expect(got).toEqual(data);
  });

  it('a write of at most PIPE_BUF bytes goes in whole or waits (atomic); O_NONBLOCK gets EAGAIN', () => {
    const { r, w } = pipe();
    w.write(new Uint8Array(PIPE_CAPACITY - 100));
    const b = blockOf(() => w.write(new Uint8Array(PIPE_BUF)));
    expect(w.pipe.size).toBe(PIPE_CAPACITY - 100); // nothing of it went in
    expect(b.wait.restartable).toBe(true);
    r.read(new Uint8Array(PIPE_BUF - 200));
    expect(b.wait.poll(false)).toBeNull(); // 100 + 3896 bytes free: not enough for 4096
    r.read(new Uint8Array(200));
    expect(b.wait.poll(false)).toBe(PIPE_BUF);
    w.nonblock = true;
    expect(errno(() => w.write(new Uint8Array(PIPE_BUF)))).toBe('EAGAIN');
    // a bigger nonblocking write takes what fits (100 + 1000 bytes)
    r.read(new Uint8Array(1000));
    expect(w.write(new Uint8Array(PIPE_BUF + 1))).toBe(1100);
  });

  it('the last reader going away ends a waiting write: the count so far, or EPIPE', () => {
    const { r, w } = pipe();
    const b = blockOf(() => w.write(new Uint8Array(PIPE_CAPACITY + 1)));
    r.release();
    expect(b.wait.poll(false)).toBe(PIPE_CAPACITY);
    const p2 = pipe();
    p2.w.write(new Uint8Array(PIPE_CAPACITY));
    const b2 = blockOf(() => p2.w.write(new Uint8Array(10)));
    p2.r.release();
    expect(errno(() => b2.wait.poll(false))).toBe('EPIPE');
  });
});

describe('fd tables across fork', () => {
  it('EOF when the last write end closes in any table; EPIPE when no read end is left anywhere', () => {
    const parent = new FdTable();
    const { r, w } = pipe();
    const rfd = parent.install(r, false);
    const wfd = parent.install(w, false);
    const child = parent.fork();
    expect(r.refs).toBe(2);
    parent.close(wfd);
    expect(errno(() => r.read(new Uint8Array(1)))).toBe('EAGAIN'); // the child still holds a writer
    child.close(wfd);
    expect(r.read(new Uint8Array(1))).toBe(0);
    // and the other way: writers see EPIPE once every reader is gone
    const p2 = pipe();
    const a = new FdTable();
    const rf = a.install(p2.r, false);
    a.install(p2.w, false);
    const b = a.fork();
    a.close(rf);
    expect(p2.w.write(new Uint8Array(1))).toBe(1);
    b.close(rf);
    expect(errno(() => p2.w.write(new Uint8Array(1)))).toBe('EPIPE');
    void rfd;
  });

  it('a forked table keeps fd numbers and close-on-exec flags; exec closes only the marked ones', () => {
    const t = new FdTable();
    const { r, w } = pipe();
    t.installAt(5, r, true);
    t.installAt(7, w, false);
    const c = t.fork();
    expect(c.list().map(([fd, e]) => [fd, e.cloexec])).toEqual([[5, true], [7, false]]);
    c.closeOnExec();
    expect(c.has(5)).toBe(false);
    expect(c.has(7)).toBe(true);
    expect(t.has(5)).toBe(true); // the parent's table is its own
    expect(r.refs).toBe(1);
  });
});
