// Socket syscalls. The files (files/socket*.ts) do the work; here are argument and struct
// handling (sockaddr, msghdr, mmsghdr, options), blocking, and SIGPIPE.
import { SiCode } from '../../src/signals.js';
import { big, decode, encode, layout } from '../codec.js';
import { errnoOf, fail, type ErrnoName } from '../errors.js';
import type { FileDescription } from '../files/description.js';
import { SocketFile, blocking, dropRights, holdRights, type Received } from '../files/socket.js';
import { TcpSocket } from '../files/socket-tcp.js';
import { UdpSocket } from '../files/socket-udp.js';
import { UnixDgramSocket, UnixStreamSocket, UnixSocket } from '../files/socket-unix.js';
import { AT } from '../abi/common.js';
import { AF, MSG, SCM_RIGHTS, SOCK, SOCKOPTS, SOL_SOCKET, SOCKOPT_DEFAULTS, SOCK_TYPE_MASK, type OptKind } from '../net/consts.js';
import { readSockAddr, writeSockAddr, type SockAddr } from '../net/sockaddr.js';
import type { GuestProcess } from '../process.js';
import { CMSGHDR, LINGER, MMSGHDR, MSGHDR, TIMEVAL, UCRED } from '../structs.js';
import type { SyscallTable } from '../syscall-def.js';

const NS_PER_US = 1000n;
const UIO_MAXIOV = 1024;

/** An AF_UNIX path as the registry knows it: resolved against the cwd (abstract names as they are).
 *  `mustExist`: connect/sendto to a path with nothing there is ENOENT. */
function unixKey(p: GuestProcess, sa: SockAddr, mustExist: boolean): SockAddr {
  if (sa.family !== 'unix' || sa.path === '' || sa.path.startsWith('\0')) return sa;
  const path = p.resolve(AT.AT_FDCWD, sa.path);
  if (mustExist && !p.vfs.exists(path)) fail('ENOENT');
  return { family: 'unix', path };
}

/** bind() of an AF_UNIX path creates the file, as Linux does: a second bind to the path fails with
 *  EADDRINUSE until it is unlinked, even after the socket closed. (It is a plain empty file here;
 *  the socket itself lives in crossrun's registry.) */
function bindUnixPath(p: GuestProcess, s: UnixSocket, sa: SockAddr): void {
  const key = unixKey(p, sa, false);
  if (key.family === 'unix' && !key.path.startsWith('\0') && key.path !== '') {
    try {
      p.vfs.open(key.path, { read: false, write: true, create: true, exclusive: true, mode: 0o777 & ~p.umask }).close();
    } catch (e) {
      fail(errnoOf(e) === 'EEXIST' ? 'EADDRINUSE' : errnoOf(e) ?? 'EIO');
    }
  }
  s.bind(key);
  if (sa.family === 'unix') s.shownName = sa.path;
}

function sockOf(p: GuestProcess, fd: bigint): SocketFile {
  const f = p.fds.get(p.int(fd));
  if (!(f instanceof SocketFile)) fail('ENOTSOCK');
  return f;
}

/** SOCK_NONBLOCK / SOCK_CLOEXEC from a type or accept4 flags (EINVAL for anything else). */
function sockFlags(p: GuestProcess, flags: number): { nonblock: boolean; cloexec: boolean } {
  const O = p.abi.open;
  if (flags & ~(O.O_NONBLOCK | O.O_CLOEXEC)) fail('EINVAL');
  return { nonblock: (flags & O.O_NONBLOCK) !== 0, cloexec: (flags & O.O_CLOEXEC) !== 0 };
}

function install(p: GuestProcess, s: SocketFile, f: { nonblock: boolean; cloexec: boolean }): number {
  s.nonblock = f.nonblock;
  s.statusFlags = p.abi.open.O_RDWR | (f.nonblock ? p.abi.open.O_NONBLOCK : 0);
  return p.fds.install(s, f.cloexec);
}

function newSocket(p: GuestProcess, domain: number, type: number, protocol: number): SocketFile {
  const base = type & SOCK_TYPE_MASK;
  const flags = p.abi.open.O_RDWR;
  if (domain === AF.AF_UNIX) {
    if (protocol !== 0) fail('EPROTONOSUPPORT');
    if (base === SOCK.SOCK_STREAM || base === SOCK.SOCK_SEQPACKET) return new UnixStreamSocket(flags, base);
    if (base === SOCK.SOCK_DGRAM) return new UnixDgramSocket(flags);
    return fail('ESOCKTNOSUPPORT');
  }
  if (domain === AF.AF_INET || domain === AF.AF_INET6) {
    if (base === SOCK.SOCK_STREAM && (protocol === 0 || protocol === 6)) return new TcpSocket(domain, flags);
    if (base === SOCK.SOCK_DGRAM && (protocol === 0 || protocol === 17)) return new UdpSocket(domain, flags);
    if (base === SOCK.SOCK_RAW) return fail('EPERM');
    return fail('EPROTONOSUPPORT');
  }
  return fail('EAFNOSUPPORT');
}

/** Send, raising SIGPIPE for EPIPE unless MSG_NOSIGNAL. `rights` (SCM_RIGHTS) travel with the
 *  data: their in-flight references go to the receiver, or are dropped if the send fails. */
function sendOn(p: GuestProcess, s: SocketFile, data: Uint8Array, flags: number, to: SockAddr | null, rights?: FileDescription[]): number {
  try {
    return blocking(s, (flags & MSG.MSG_DONTWAIT) !== 0, s.sndTimeoNs, () => {
      if (rights) holdRights(rights);
      try {
        return s.send(data, to, rights);
      } catch (e) {
        dropRights(rights);
        throw e;
      }
    });
  } catch (e) {
    if (errnoOf(e) === 'EPIPE' && !(flags & MSG.MSG_NOSIGNAL)) p.raise(p.abi.signals.SIGPIPE, SiCode.SI_USER);
    throw e;
  }
}

/** Receive into dst; `done` stores the results (sender address, lengths) once data came. */
function recvOn(s: SocketFile, dst: Uint8Array, flags: number, done: (r: Received) => number): number {
  const peek = (flags & MSG.MSG_PEEK) !== 0;
  const dontWait = (flags & MSG.MSG_DONTWAIT) !== 0;
  if (!(flags & MSG.MSG_WAITALL) || peek || s.type !== SOCK.SOCK_STREAM || dst.length === 0) {
    return blocking(s, dontWait, s.rcvTimeoNs, () => done(s.recv(dst, { peek })));
  }
  // MSG_WAITALL: keep receiving until the buffer is full, the stream ends or an error comes
  // (what arrived so far is the result then). A signal restarting the call loses nothing already
  // copied only if the handler does not restart it; a restart starts over.
  let got = 0;
  const finish = () => done({ n: got, full: got, from: null });
  return blocking(s, dontWait, s.rcvTimeoNs, () => {
    for (;;) {
      let r: Received;
      try {
        r = s.recv(dst.subarray(got), {});
        dropRights(r.rights);
      } catch (e) {
        if (got > 0 && (errnoOf(e) !== 'EAGAIN' || dontWait || s.nonblock)) return finish();
        throw e;
      }
      got += r.n;
      if (r.n === 0 || got === dst.length) return finish();
    }
  });
}

function iovecs(p: GuestProcess, at: number, count: number): Array<[number, number]> {
  if (count < 0 || count > UIO_MAXIOV) fail('EMSGSIZE');
  const l = p.layout('iovec');
  p.input(at, l.size * count);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const v = decode(l, p.mem.view, at + i * l.size);
    out.push([Number(big(v, 'iov_base')), Number(big(v, 'iov_len'))]);
  }
  return out;
}

interface Msg {
  readonly at: number;
  readonly name: number;
  readonly namelen: number;
  readonly iov: Array<[number, number]>;
  readonly control: number;
  readonly controllen: number;
}

/** Control messages: a cmsghdr, then its data at the header size rounded up to the word. */
function cmsgGeometry(p: GuestProcess): { hdr: number; align: (n: number) => number } {
  const word = p.model.wordBits / 8;
  const align = (n: number) => Math.ceil(n / word) * word;
  return { hdr: align(layout(CMSGHDR, p.model).size), align };
}

/** The files a sendmsg passes with SCM_RIGHTS (other control messages are ignored). */
function readRights(p: GuestProcess, s: SocketFile, m: Msg): FileDescription[] | undefined {
  if (!m.control || m.controllen === 0) return undefined;
  const l = layout(CMSGHDR, p.model);
  const { hdr, align } = cmsgGeometry(p);
  p.input(m.control, m.controllen);
  const files: FileDescription[] = [];
  for (let off = 0; off + l.size <= m.controllen;) {
    const c = decode(l, p.mem.view, m.control + off);
    const len = Number(big(c, 'cmsg_len'));
    if (len < l.size || off + len > m.controllen) fail('EINVAL');
    if (Number(big(c, 'cmsg_level')) === SOL_SOCKET && Number(big(c, 'cmsg_type')) === SCM_RIGHTS) {
      if (!s.passesRights()) fail('EINVAL');
      for (let at = hdr; at + 4 <= len; at += 4) files.push(p.fds.get(p.readInt(m.control + off + at)));
    }
    off += align(len);
  }
  return files.length ? files : undefined;
}

/** Install received files as fds and describe them in msg_control; returns msg_controllen and
 *  whether some did not fit (MSG_CTRUNC: those are closed). */
function writeRights(p: GuestProcess, m: Msg, files: readonly FileDescription[] | undefined, cloexec: boolean): { len: number; truncated: boolean } {
  if (!files?.length) return { len: 0, truncated: false };
  const { hdr, align } = cmsgGeometry(p);
  const fit = m.control ? Math.max(0, Math.min(files.length, Math.floor((m.controllen - hdr) / 4))) : 0;
  const fds: number[] = [];
  for (const f of files.slice(0, fit)) {
    try {
      fds.push(p.fds.install(f, cloexec));
    } catch {
      break; // EMFILE: the rest are dropped, as Linux truncates
    }
  }
  dropRights(files);
  if (fds.length === 0) return { len: 0, truncated: true };
  const l = layout(CMSGHDR, p.model);
  p.output(m.control, hdr + 4 * fds.length);
  encode(l, p.mem.view, m.control, { cmsg_len: hdr + 4 * fds.length, cmsg_level: SOL_SOCKET, cmsg_type: SCM_RIGHTS });
  fds.forEach((fd, i) => p.writeInt(m.control + hdr + 4 * i, fd));
  return { len: Math.min(m.controllen, align(hdr + 4 * fds.length)), truncated: fds.length < files.length };
}

function readMsg(p: GuestProcess, at: number): Msg {
  const l = layout(MSGHDR, p.model);
  p.input(at, l.size);
  const m = decode(l, p.mem.view, at);
  return {
    at, name: Number(big(m, 'msg_name')), namelen: Number(big(m, 'msg_namelen')),
    iov: iovecs(p, Number(big(m, 'msg_iov')), Number(big(m, 'msg_iovlen'))),
    control: Number(big(m, 'msg_control')), controllen: Number(big(m, 'msg_controllen')),
  };
}

function gather(p: GuestProcess, iov: Array<[number, number]>): Uint8Array {
  const parts = iov.map(([b, n]) => p.input(b, n));
  const out = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

function scatter(p: GuestProcess, iov: Array<[number, number]>, src: Uint8Array): void {
  let o = 0;
  for (const [b, n] of iov) {
    if (o >= src.length) break;
    const k = Math.min(n, src.length - o);
    p.output(b, k).set(src.subarray(o, o + k));
    o += k;
  }
}

function sendMsg(p: GuestProcess, s: SocketFile, msgAt: number, flags: number): number {
  const m = readMsg(p, msgAt);
  const to = m.name ? unixKey(p, readSockAddr(p, m.name, m.namelen), true) : null;
  return sendOn(p, s, gather(p, m.iov), flags, to, readRights(p, s, m));
}

function recvMsg(p: GuestProcess, s: SocketFile, msgAt: number, flags: number): number {
  const m = readMsg(p, msgAt);
  for (const [b, n] of m.iov) p.output(b, n); // EFAULT before anything is consumed
  const buf = new Uint8Array(m.iov.reduce((t, [, n]) => t + n, 0));
  const l = layout(MSGHDR, p.model);
  return recvOn(s, buf, flags, (r) => {
    scatter(p, m.iov, buf.subarray(0, r.n));
    const le = p.model.endian === 'le';
    const v = p.mem.view;
    const off = (f: string) => msgAt + (l.byName.get(f)?.offset ?? 0);
    if (m.name && r.from) {
      const lenAt = off('msg_namelen');
      writeSockAddr(p, m.name, lenAt, r.from);
    } else if (m.name) v.setUint32(off('msg_namelen'), 0, le);
    // SCM_RIGHTS is the only control message produced.
    const ctl = writeRights(p, m, r.rights, (flags & MSG.MSG_CMSG_CLOEXEC) !== 0);
    if (l.wordBits === 64) v.setBigUint64(off('msg_controllen'), BigInt(ctl.len), le);
    else v.setUint32(off('msg_controllen'), ctl.len, le);
    const trunc = r.full > r.n && s.type !== SOCK.SOCK_STREAM ? MSG.MSG_TRUNC : 0;
    // Linux starts msg_flags from the call's MSG_CMSG_CLOEXEC.
    v.setInt32(off('msg_flags'), (flags & MSG.MSG_CMSG_CLOEXEC) | trunc | (ctl.truncated ? MSG.MSG_CTRUNC : 0), le);
    return (flags & MSG.MSG_TRUNC) && s.type !== SOCK.SOCK_STREAM ? r.full : r.n;
  });
}

function optRow(level: number, opt: number): { name: string; kind: OptKind } {
  for (const [l, o, name, kind] of SOCKOPTS) if (l === level && o === opt) return { name, kind };
  return fail('ENOPROTOOPT');
}

function errnoNumber(p: GuestProcess, e: ErrnoName | null): number {
  return e === null ? 0 : p.errnoNumber(e);
}

function getOpt(p: GuestProcess, s: SocketFile, name: string): number {
  switch (name) {
    case 'SO_TYPE': return s.type;
    case 'SO_DOMAIN': return s.domain;
    case 'SO_PROTOCOL': return s.protocol;
    case 'SO_ERROR': return errnoNumber(p, s.takeError());
    case 'SO_ACCEPTCONN': return s.listening() ? 1 : 0;
    default: return s.options.get(name) ?? SOCKOPT_DEFAULTS[name] ?? 0;
  }
}

/** sendmmsg/recvmmsg: `one` for each mmsghdr of the vector, its byte count into msg_len; only
 *  the first may block (the rest get MSG_DONTWAIT); an error after the first ends the batch. */
function eachMmsg(p: GuestProcess, vec: bigint, vlen: bigint, one: (at: number, more: number) => number): number {
  const l = layout(MMSGHDR, p.model);
  const lenOff = l.byName.get('msg_len')?.offset ?? 0;
  const n = Math.min(p.uint(vlen), UIO_MAXIOV);
  let done = 0;
  for (; done < n; done++) {
    const at = p.ptr(vec) + done * l.size;
    let count: number;
    try {
      count = one(at, done > 0 ? MSG.MSG_DONTWAIT : 0);
    } catch (e) {
      if (done > 0 && errnoOf(e) !== null) break;
      throw e;
    }
    p.output(at + lenOff, 4);
    p.mem.view.setUint32(at + lenOff, count, p.model.endian === 'le');
  }
  return done;
}

export const netSyscalls: SyscallTable = {
  socket: {
    args: ['sockdomain', 'socktype', 'sockproto'],
    run: (p, [domain, type, protocol]) => {
      const t = p.int(type);
      const f = sockFlags(p, t & ~SOCK_TYPE_MASK);
      return install(p, newSocket(p, p.int(domain), t, p.int(protocol)), f);
    },
  },
  socketpair: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [domain, type, protocol, sv]) => {
      const t = p.int(type);
      const f = sockFlags(p, t & ~SOCK_TYPE_MASK);
      const d = p.int(domain);
      if (d !== AF.AF_UNIX) fail(d === AF.AF_INET || d === AF.AF_INET6 ? 'EOPNOTSUPP' : 'EAFNOSUPPORT');
      if (p.int(protocol) !== 0) fail('EPROTONOSUPPORT');
      const base = t & SOCK_TYPE_MASK;
      const flags = p.abi.open.O_RDWR;
      let pair: [SocketFile, SocketFile];
      if (base === SOCK.SOCK_STREAM || base === SOCK.SOCK_SEQPACKET) pair = UnixStreamSocket.pair(flags, base);
      else if (base === SOCK.SOCK_DGRAM) pair = UnixDgramSocket.pair(flags);
      else return fail('ESOCKTNOSUPPORT');
      const at = p.ptr(sv);
      p.output(at, 8);
      const a = install(p, pair[0], f);
      let b: number;
      try {
        b = install(p, pair[1], f);
      } catch (e) {
        p.fds.close(a);
        throw e;
      }
      p.writeInt(at, a);
      p.writeInt(at + 4, b);
      return 0;
    },
  },
  bind: {
    args: ['fd', 'sockaddr', 'socklen'],
    run: (p, [fd, addr, len]) => {
      const s = sockOf(p, fd);
      const sa = readSockAddr(p, p.ptr(addr), p.int(len));
      if (s instanceof UnixSocket) bindUnixPath(p, s, sa);
      else s.bind(sa);
      return 0;
    },
  },
  listen: {
    args: ['fd', 'int'],
    run: (p, [fd, backlog]) => (sockOf(p, fd).listen(p.int(backlog)), 0),
  },
  accept: {
    args: ['fd', 'ptr', 'ptr'],
    run: (p, [fd, addr, lenp]) => accept(p, fd, addr, lenp, 0),
  },
  accept4: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, addr, lenp, flags]) => accept(p, fd, addr, lenp, p.int(flags)),
  },
  connect: {
    args: ['fd', 'xptr', 'int'],
    run: (p, [fd, addr, len]) => {
      const s = sockOf(p, fd);
      const sa = unixKey(p, readSockAddr(p, p.ptr(addr), p.int(len)), true);
      if (s.connect(sa)) return 0;
      const check = (): number => {
        const r = s.connectDone();
        if (r === null) fail('EAGAIN');
        if (r !== 'ok') fail(r);
        return 0;
      };
      if (s.nonblock) {
        // Loopback connects often finish at once; Linux still says EINPROGRESS then.
        fail('EINPROGRESS');
      }
      return blocking(s, false, 0n, check);
    },
  },
  getsockname: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, addr, lenp]) => {
      const s = sockOf(p, fd);
      writeSockAddr(p, p.ptr(addr) || fail('EFAULT'), p.ptr(lenp), s.localName());
      return 0;
    },
  },
  getpeername: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, addr, lenp]) => {
      const s = sockOf(p, fd);
      writeSockAddr(p, p.ptr(addr) || fail('EFAULT'), p.ptr(lenp), s.peerName());
      return 0;
    },
  },
  sendto: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, buf, len, flags, addr, alen]) => {
      const s = sockOf(p, fd);
      const to = p.ptr(addr) ? unixKey(p, readSockAddr(p, p.ptr(addr), p.int(alen)), true) : null;
      return sendOn(p, s, p.input(p.ptr(buf), p.ptr(len)), p.int(flags), s.type === SOCK.SOCK_STREAM ? null : to);
    },
  },
  recvfrom: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, buf, len, flags, addr, alenp]) => {
      const s = sockOf(p, fd);
      const fl = p.int(flags);
      const dst = p.output(p.ptr(buf), p.ptr(len));
      return recvOn(s, dst, fl, (r) => {
        dropRights(r.rights); // only recvmsg can take files; recv closes them
        if (p.ptr(addr) && r.from) writeSockAddr(p, p.ptr(addr), p.ptr(alenp), r.from);
        else if (p.ptr(addr)) p.writeInt(p.ptr(alenp), 0);
        return fl & MSG.MSG_TRUNC && s.type !== SOCK.SOCK_STREAM ? r.full : r.n;
      });
    },
  },
  sendmsg: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, msg, flags]) => sendMsg(p, sockOf(p, fd), p.ptr(msg), p.int(flags)),
  },
  recvmsg: {
    args: ['fd', 'xptr', 'hex'],
    run: (p, [fd, msg, flags]) => recvMsg(p, sockOf(p, fd), p.ptr(msg), p.int(flags)),
  },
  sendmmsg: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, vec, vlen, flags]) => eachMmsg(p, vec, vlen, (at, more) => sendMsg(p, sockOf(p, fd), at, p.int(flags) | more)),
  },
  recvmmsg: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    // Only the first message may wait (all of them without MSG_WAITFORONE: not modelled).
    run: (p, [fd, vec, vlen, flags]) => eachMmsg(p, vec, vlen, (at, more) => recvMsg(p, sockOf(p, fd), at, p.int(flags) | more)),
  },
  shutdown: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, how]) => (sockOf(p, fd).shutdown(p.int(how)), 0),
  },
  getsockopt: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, level, opt, val, lenp]) => {
      const s = sockOf(p, fd);
      const { name, kind } = optRow(p.int(level), p.int(opt));
      const room = p.readInt(p.ptr(lenp));
      if (room < 0) fail('EINVAL');
      let bytes: Uint8Array;
      const enc = (decl: typeof TIMEVAL, v: Parameters<typeof encode>[3]): Uint8Array => {
        const lay = layout(decl, p.model);
        const b = new Uint8Array(lay.size);
        encode(lay, new DataView(b.buffer), 0, v);
        return b;
      };
      if (kind === 'timeval') {
        const ns = name === 'SO_RCVTIMEO' ? s.rcvTimeoNs : s.sndTimeoNs;
        bytes = enc(TIMEVAL, { tv_sec: ns / 1_000_000_000n, tv_usec: (ns % 1_000_000_000n) / NS_PER_US });
      } else if (kind === 'linger') {
        bytes = enc(LINGER, { l_onoff: s.options.get('SO_LINGER') ?? 0, l_linger: s.options.get('SO_LINGER_TIME') ?? 0 });
      } else if (kind === 'ucred') {
        bytes = enc(UCRED, { pid: p.pid, uid: p.uid, gid: p.gid });
      } else {
        bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setInt32(0, getOpt(p, s, name), p.model.endian === 'le');
      }
      const n = Math.min(room, bytes.length);
      p.output(p.ptr(val), n).set(bytes.subarray(0, n));
      p.writeInt(p.ptr(lenp), n);
      return 0;
    },
  },
  setsockopt: {
    args: ['long', 'long', 'long', 'long', 'long', 'long'],
    run: (p, [fd, level, opt, val, lenArg]) => {
      const s = sockOf(p, fd);
      const { name, kind } = optRow(p.int(level), p.int(opt));
      const len = p.int(lenArg);
      const at = p.ptr(val);
      const le = p.model.endian === 'le';
      if (kind === 'timeval') {
        const lay = layout(TIMEVAL, p.model);
        if (len < lay.size) fail('EINVAL');
        p.input(at, lay.size);
        const t = decode(lay, p.mem.view, at);
        const usec = big(t, 'tv_usec');
        if (usec < 0n || usec >= 1_000_000n) fail('EDOM');
        const sec = big(t, 'tv_sec');
        const ns = sec < 0n ? 0n : sec * 1_000_000_000n + usec * NS_PER_US;
        if (name === 'SO_RCVTIMEO') s.rcvTimeoNs = ns;
        else s.sndTimeoNs = ns;
        return 0;
      }
      if (kind === 'linger') {
        const lay = layout(LINGER, p.model);
        if (len < lay.size) fail('EINVAL');
        p.input(at, lay.size);
        const l = decode(lay, p.mem.view, at);
        s.options.set('SO_LINGER', Number(big(l, 'l_onoff')) ? 1 : 0);
        s.options.set('SO_LINGER_TIME', Number(big(l, 'l_linger')));
        return 0;
      }
      if (kind !== 'int' || ['SO_TYPE', 'SO_ERROR', 'SO_DOMAIN', 'SO_PROTOCOL', 'SO_ACCEPTCONN'].includes(name)) fail('ENOPROTOOPT');
      if (len < 4) fail('EINVAL');
      p.input(at, 4);
      let v = p.mem.view.getInt32(at, le);
      if (name === 'SO_RCVBUF' || name === 'SO_SNDBUF') v = Math.max(v, 1152) * 2; // Linux doubles it for bookkeeping
      else if (!['SO_PRIORITY', 'SO_RCVLOWAT', 'SO_SNDLOWAT', 'TCP_MAXSEG', 'TCP_KEEPIDLE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT', 'IP_TTL', 'IP_TOS', 'TCP_DEFER_ACCEPT'].includes(name)) v = v ? 1 : 0;
      s.options.set(name, v);
      s.optionChanged(name, v);
      return 0;
    },
  },
};

function accept(p: GuestProcess, fd: bigint, addr: bigint, lenp: bigint, flags: number): number {
  const s = sockOf(p, fd);
  const f = sockFlags(p, flags);
  if (!s.listening()) fail('EINVAL');
  if (p.ptr(addr)) p.readInt(p.ptr(lenp)); // EFAULT up front
  return blocking(s, false, s.rcvTimeoNs, () => {
    const c = s.accept();
    const nfd = install(p, c, f);
    if (p.ptr(addr)) writeSockAddr(p, p.ptr(addr), p.ptr(lenp), c.peerName());
    return nfd;
  });
}
