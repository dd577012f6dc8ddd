// The socket syscalls driven directly (tests/syscalls-harness.ts: riscv64 ABI): argument and
// struct handling, errors, options, AF_UNIX pairs, host TCP/UDP through the host I/O worker, and
// -strace lines in qemu's format.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Block } from '../syscalls/blocking.js';
import { HostFdFile } from '../syscalls/files/stdio.js';
import { bytesToIpv6, ipv6ToBytes } from '../syscalls/net/sockaddr.js';
import { errno, harness, type Harness } from './syscalls-harness.js';

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOL_SOCKET = 1;
const POLLIN = 1;
const POLLOUT = 4;

function sin(h: Harness, host: string, port: number): number {
  const b = new Uint8Array(16);
  b[0] = AF_INET;
  b[2] = port >> 8;
  b[3] = port & 0xff;
  b.set(host.split('.').map(Number), 4);
  return h.bytes(b);
}
function sin6(h: Harness, host: string, port: number): number {
  const b = new Uint8Array(28);
  b[0] = AF_INET6;
  b[2] = port >> 8;
  b[3] = port & 0xff;
  b.set(ipv6ToBytes(host), 8);
  return h.bytes(b);
}
/** getsockname → [family, port, address bytes]. */
function name(h: Harness, fd: number, call = 'getsockname'): [number, number, Uint8Array] {
  const at = h.alloc(28);
  const len = h.alloc(4);
  h.mem.view.setInt32(len, 28, true);
  expect(h.call(call, fd, at, len)).toBe(0);
  const fam = h.mem.view.getUint16(at, true);
  const port = (h.mem.bytes[at + 2] << 8) | h.mem.bytes[at + 3];
  return [fam, port, fam === AF_INET ? h.read(at + 4, 4) : h.read(at + 8, 16)];
}
/** Retry a nonblocking call until the worker has delivered what it waits for. */
async function until(f: () => number, ms = 5000): Promise<number> {
  const end = Date.now() + ms;
  for (;;) {
    const r = f();
    if (r !== errno('EAGAIN') && r !== errno('EINPROGRESS')) return r;
    if (Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 5));
  }
}

describe('socket arguments and options', () => {
  it('rejects unknown families, types and flags the way Linux does', () => {
    const h = harness();
    expect(h.call('socket', 16, SOCK_DGRAM, 0)).toBe(errno('EAFNOSUPPORT'));
    expect(h.call('socket', AF_INET, SOCK_STREAM | 0x100000, 0)).toBe(errno('EINVAL'));
    expect(h.call('socket', AF_INET, SOCK_STREAM, 17)).toBe(errno('EPROTONOSUPPORT'));
    expect(h.call('socketpair', AF_INET, SOCK_STREAM, 0, h.alloc(8))).toBe(errno('EOPNOTSUPP'));
    expect(h.call('listen', 1, 5)).toBe(errno('ENOTSOCK'));
    expect(h.call('getsockopt', 99, SOL_SOCKET, 3, h.alloc(4), h.alloc(4))).toBe(errno('EBADF'));
  });

  it('reports SO_TYPE, SO_DOMAIN, stores SO_RCVTIMEO and doubles SO_RCVBUF; unknown options fail', () => {
    const h = harness();
    const fd = h.call('socket', AF_INET, SOCK_DGRAM, 0);
    const val = h.alloc(16);
    const len = h.alloc(4);
    const get = (level: number, opt: number, room = 4): number => {
      h.mem.view.setInt32(len, room, true);
      expect(h.call('getsockopt', fd, level, opt, val, len)).toBe(0);
      return h.mem.view.getInt32(val, true);
    };
    expect(get(SOL_SOCKET, 3)).toBe(SOCK_DGRAM);
    expect(h.u32(len)).toBe(4);
    expect(get(SOL_SOCKET, 39)).toBe(AF_INET);
    expect(get(SOL_SOCKET, 38)).toBe(17);
    const four = h.alloc(4);
    h.mem.view.setInt32(four, 5000, true);
    expect(h.call('setsockopt', fd, SOL_SOCKET, 8, four, 4)).toBe(0);
    expect(get(SOL_SOCKET, 8)).toBe(10000);
    const tv = h.alloc(16);
    h.mem.view.setBigInt64(tv, 2n, true);
    h.mem.view.setBigInt64(tv + 8, 500000n, true);
    expect(h.call('setsockopt', fd, SOL_SOCKET, 20, tv, 16)).toBe(0);
    get(SOL_SOCKET, 20, 16);
    expect([h.i64(val), h.i64(val + 8)]).toEqual([2n, 500000n]);
    expect(h.call('setsockopt', fd, SOL_SOCKET, 20, tv, 8)).toBe(errno('EINVAL'));
    expect(h.call('setsockopt', fd, SOL_SOCKET, 999, four, 4)).toBe(errno('ENOPROTOOPT'));
    expect(h.call('setsockopt', fd, SOL_SOCKET, 3, four, 4)).toBe(errno('ENOPROTOOPT'));
  });

  it('converts IPv6 addresses both ways', () => {
    expect(bytesToIpv6(ipv6ToBytes('::1'))).toBe('0:0:0:0:0:0:0:1');
    expect([...ipv6ToBytes('::ffff:127.0.0.1').subarray(10)]).toEqual([0xff, 0xff, 127, 0, 0, 1]);
    expect([...ipv6ToBytes('fe80::1:2')]).toEqual([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]);
  });

  it('prints socket calls as qemu does under -strace', () => {
    const h = harness();
    const fd = h.call('socket', AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    h.call('bind', fd, sin(h, '127.0.0.1', 0), 16);
    h.call('socket', AF_UNIX, SOCK_DGRAM, 0);
    h.call('listen', fd, 8);
    expect(h.log).toEqual([
      `4242 socket(PF_INET,SOCK_STREAM|SOCK_NONBLOCK,IPPROTO_IP) = ${fd}`,
      `4242 bind(${fd},{sin_family=AF_INET,sin_port=htons(0),sin_addr=inet_addr("127.0.0.1")}, 16) = 0`,
      `4242 socket(PF_UNIX,SOCK_DGRAM,IPPROTO_IP) = ${fd + 1}`,
      `4242 listen(${fd},8) = 0`,
    ]);
    h.call('close', fd);
  });
});

describe('AF_UNIX', () => {
  it('socketpair is a two-way byte stream; a blocking read on an empty one waits', () => {
    const h = harness({ log: [] });
    const sv = h.alloc(8);
    expect(h.call('socketpair', AF_UNIX, SOCK_STREAM, 0, sv)).toBe(0);
    const [a, b] = [h.u32(sv), h.u32(sv + 4)];
    const buf = h.alloc(16);
    let blocked: Block | null = null;
    try {
      h.sys('read', a, buf, 16);
    } catch (e) {
      blocked = e instanceof Block ? e : null;
    }
    expect(blocked).not.toBeNull();
    expect(blocked?.wait.poll(false)).toBeNull();
    expect(h.call('write', b, h.str('ping'), 4)).toBe(4);
    expect(blocked?.wait.poll(false)).toBe(4);
    expect(h.text(buf, 4)).toBe('ping');
    const file = h.linux.process.fds.get(b);
    expect(file.readiness() & (POLLIN | POLLOUT)).toBe(POLLOUT);
    expect(h.call('shutdown', a, 1)).toBe(0);
    expect(file.readiness() & POLLIN).toBe(POLLIN);
    expect(h.call('read', b, buf, 16)).toBe(0);
  });

  it('SO_RCVTIMEO bounds a blocking receive: the wait has a deadline and ends in EAGAIN', () => {
    const h = harness({ log: [] });
    const sv = h.alloc(8);
    expect(h.call('socketpair', AF_UNIX, SOCK_DGRAM, 0, sv)).toBe(0);
    const tv = h.alloc(16);
    h.mem.view.setBigInt64(tv + 8, 250000n, true); // 0.25 s
    expect(h.call('setsockopt', h.u32(sv), SOL_SOCKET, 20, tv, 16)).toBe(0);
    const before = process.hrtime.bigint();
    let block: Block | null = null;
    try {
      h.sys('recvfrom', h.u32(sv), h.alloc(8), 8, 0, 0, 0);
    } catch (e) {
      block = e instanceof Block ? e : null;
    }
    const deadline = block?.wait.deadline ?? 0n;
    expect(Number(deadline - before) / 1e6).toBeGreaterThanOrEqual(250);
    expect(Number(deadline - before) / 1e6).toBeLessThan(1000);
    expect(block?.wait.poll(false)).toBeNull();
    expect(() => block?.wait.poll(true)).toThrow();
    try {
      block?.wait.poll(true);
    } catch (e) {
      expect(e).toMatchObject({ code: 'EAGAIN' });
    }
  });

  it('a named datagram socket receives from an unnamed sender, with its address', () => {
    const h = harness({ log: [] });
    const r = h.call('socket', AF_UNIX, SOCK_DGRAM, 0);
    const s = h.call('socket', AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    const addr = h.alloc(110);
    h.mem.view.setUint16(addr, AF_UNIX, true);
    h.mem.bytes.set(new TextEncoder().encode('/crossrun-unit.sock'), addr + 2);
    expect(h.call('bind', r, addr, 110)).toBe(0);
    expect(h.call('bind', s, addr, 110)).toBe(errno('EADDRINUSE'));
    expect(h.call('sendto', s, h.str('dgram'), 5, 0, addr, 110)).toBe(5);
    const buf = h.alloc(16);
    const from = h.alloc(110);
    const flen = h.alloc(4);
    h.mem.view.setInt32(flen, 110, true);
    expect(h.call('recvfrom', r, buf, 16, 0, from, flen)).toBe(5);
    expect(h.u32(flen)).toBe(2); // unnamed sender: the family only
    const shown = h.alloc(110);
    const slen = h.alloc(4);
    h.mem.view.setInt32(slen, 110, true);
    expect(h.call('getsockname', r, shown, slen)).toBe(0);
    expect([h.u32(slen), h.text(shown + 2, 20)]).toEqual([2 + 20, '/crossrun-unit.sock\0']);
    h.call('close', r);
    // The file stays after close (connect: refused; bind: in use) until it is unlinked.
    expect(h.call('sendto', s, h.str('x'), 1, 0, addr, 110)).toBe(errno('ECONNREFUSED'));
    expect(h.call('bind', s, addr, 110)).toBe(errno('EADDRINUSE'));
    expect(h.call('unlinkat', -100, h.str('/crossrun-unit.sock'), 0)).toBe(0);
    expect(h.call('sendto', s, h.str('x'), 1, 0, addr, 110)).toBe(errno('ENOENT'));
    expect(h.call('bind', s, addr, 110)).toBe(0);
  });
});

describe('host sockets through the worker', () => {
  it('bind takes a real port (EADDRINUSE for a second bind), and a Node client is accepted', async () => {
    const h = harness({ log: [] });
    const l = h.call('socket', AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    expect(h.call('bind', l, sin(h, '127.0.0.1', 0), 16)).toBe(0);
    const [fam, port, ip] = name(h, l);
    expect([fam, [...ip]]).toEqual([AF_INET, [127, 0, 0, 1]]);
    expect(port).toBeGreaterThan(0);
    const other = h.call('socket', AF_INET, SOCK_STREAM, 0);
    expect(h.call('bind', other, sin(h, '127.0.0.1', port), 16)).toBe(errno('EADDRINUSE'));
    expect(h.call('listen', l, 4)).toBe(0);
    expect(h.call('accept', l, 0, 0)).toBe(errno('EAGAIN'));
    const client = net.connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    client.on('data', (d) => got.push(d));
    const c = await until(() => h.call('accept4', l, 0, 0, SOCK_NONBLOCK));
    expect(c).toBeGreaterThan(2);
    expect(name(h, c, 'getpeername')[1]).toBe(await new Promise<number>((res) => (client.localPort ? res(client.localPort) : client.on('connect', () => res(client.localPort ?? 0)))));
    client.write('from node');
    const buf = h.alloc(64);
    expect(await until(() => h.call('read', c, buf, 64))).toBe(9);
    expect(h.text(buf, 9)).toBe('from node');
    expect(h.call('write', c, h.str('to node'), 7)).toBe(7);
    client.end();
    expect(await until(() => h.call('read', c, buf, 64))).toBe(0); // EOF
    for (const fd of [c, l, other]) h.call('close', fd);
    await new Promise((res) => client.on('close', res));
    expect(Buffer.concat(got).toString()).toBe('to node');
  });

  it('writing to a TCP peer that went away fails with EPIPE and raises SIGPIPE (not with MSG_NOSIGNAL)', async () => {
    const h = harness({ log: [] });
    const server = net.createServer((c) => c.destroy());
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const fd = h.call('socket', AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      expect(h.call('connect', fd, sin(h, '127.0.0.1', port), 16)).toBe(errno('EINPROGRESS'));
      const buf = h.alloc(16);
      expect(await until(() => h.call('read', fd, buf, 16))).toBe(0); // the peer closed: EOF
      const MSG_NOSIGNAL = 0x4000;
      const r = await until(() => {
        const n = h.call('sendto', fd, h.str('x'), 1, MSG_NOSIGNAL, 0, 0);
        return n === 1 ? errno('EAGAIN') : n; // the first writes may still be accepted
      });
      expect([errno('EPIPE'), errno('ECONNRESET')]).toContain(r); // Linux gives either, as the RST came
      const sigpipe = 13;
      const thread = h.linux.process.main;
      expect(thread.pending.has(1n << BigInt(sigpipe - 1))).toBe(false);
      expect(h.call('write', fd, h.str('x'), 1)).toBe(errno('EPIPE'));
      expect(thread.pending.has(1n << BigInt(sigpipe - 1))).toBe(true);
      h.call('close', fd);
    } finally {
      server.close();
    }
  });

  it('connect to a closed port: EINPROGRESS, then POLLERR and SO_ERROR ECONNREFUSED', async () => {
    const h = harness({ log: [] });
    const probe = net.createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((res) => probe.close(res));
    const fd = h.call('socket', AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    expect(h.call('connect', fd, sin(h, '127.0.0.1', port), 16)).toBe(errno('EINPROGRESS'));
    expect(h.call('connect', fd, sin(h, '127.0.0.1', port), 16)).toBe(errno('EALREADY'));
    const file = h.linux.process.fds.get(fd);
    await until(() => (file.readiness() === 0 ? errno('EAGAIN') : 0));
    expect(file.readiness() & 0x18).toBe(0x18); // POLLERR | POLLHUP
    const val = h.alloc(4);
    const len = h.alloc(4);
    h.mem.view.setInt32(len, 4, true);
    expect(h.call('getsockopt', fd, SOL_SOCKET, 4, val, len)).toBe(0);
    expect(h.u32(val)).toBe(-errno('ECONNREFUSED'));
    h.call('close', fd);
  });

  it('UDP over IPv6 loopback: sendto/recvfrom with the sender address; EDESTADDRREQ without one', async () => {
    const h = harness({ log: [] });
    const a = h.call('socket', AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    const b = h.call('socket', AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    expect(h.call('bind', a, sin6(h, '::1', 0), 28)).toBe(0);
    const [fam, port] = name(h, a);
    expect(fam).toBe(AF_INET6);
    expect(h.call('sendto', b, h.str('x'), 1, 0, 0, 0)).toBe(errno('EDESTADDRREQ'));
    expect(h.call('sendto', b, h.str('hello6'), 6, 0, sin6(h, '::1', port), 28)).toBe(6);
    const buf = h.alloc(16);
    const from = h.alloc(28);
    const flen = h.alloc(4);
    h.mem.view.setInt32(flen, 28, true);
    expect(await until(() => h.call('recvfrom', a, buf, 16, 0, from, flen))).toBe(6);
    expect(h.text(buf, 6)).toBe('hello6');
    expect(h.u32(flen)).toBe(28);
    expect((h.mem.bytes[from + 2] << 8) | h.mem.bytes[from + 3]).toBe(name(h, b)[1]);
    expect([...h.read(from + 8, 16)]).toEqual([...ipv6ToBytes('::1')]);
    h.call('close', a);
    h.call('close', b);
  });
});

describe('host fds that may block', () => {
  it('a FIFO: poll sees data without blocking, a read waits only its task and takes only what was asked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrun-fifo-'));
    const fifo = path.join(dir, 'f');
    execFileSync('mkfifo', [fifo]);
    const rd = fs.openSync(fifo, fs.constants.O_RDWR); // O_RDWR: opening does not wait for a writer
    const wr = fs.openSync(fifo, fs.constants.O_WRONLY);
    try {
      const f = new HostFdFile(rd, '/dev/stdin', true, false, 0);
      expect(f.readiness() & POLLIN).toBe(0);
      fs.writeSync(wr, 'hello');
      // The worker (asked by the first poll) or the poll itself reads one byte to know.
      await until(() => ((f.readiness() & POLLIN) === 0 ? errno('EAGAIN') : 0));
      expect(f.readiness() & POLLIN).toBe(POLLIN);
      const dst = new Uint8Array(3);
      expect(f.read(dst)).toBe(3); // that byte, then the rest of the request from the fd
      expect(Buffer.from(dst).toString()).toBe('hel');
      expect(f.read(dst)).toBe(2);
      // Empty now: a blocking read waits (Block) while the worker watches the fd.
      let block: Block | null = null;
      try {
        f.read(dst);
      } catch (e) {
        block = e instanceof Block ? e : null;
      }
      expect(block).not.toBeNull();
      expect(block?.wait.polled).toBe(true);
      fs.writeSync(wr, 'abcdef');
      const n = await until(() => (block?.wait.poll(false) as number | null) ?? errno('EAGAIN'));
      expect(n).toBe(3);
      expect(Buffer.from(dst).toString()).toBe('abc');
      // Nothing beyond the 3 bytes asked for was taken from the FIFO.
      const rest = Buffer.alloc(16);
      expect(fs.readSync(rd, rest)).toBe(3);
      expect(rest.subarray(0, 3).toString()).toBe('def');
      f.release();
    } finally {
      fs.closeSync(wr);
      fs.closeSync(rd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
