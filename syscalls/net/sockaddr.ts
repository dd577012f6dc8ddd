// Socket addresses between guest memory (struct sockaddr_in/in6/un, network byte order) and the
// forms the socket files use: host strings and ports for IP, paths for AF_UNIX.
import { decode, encode, layout, type StructDecl } from '../codec.js';
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import { SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR_UN } from '../structs.js';
import { AF } from './consts.js';

export type SockAddr =
  | { readonly family: 'inet'; readonly host: string; readonly port: number }
  | { readonly family: 'inet6'; readonly host: string; readonly port: number; readonly scope: number }
  /** path '' is an unnamed socket; a leading NUL is Linux's abstract namespace. */
  | { readonly family: 'unix'; readonly path: string }
  | { readonly family: 'unspec' };

const SUN_PATH_OFFSET = 2;

export function ipv4ToBytes(host: string): Uint8Array {
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !(n >= 0 && n <= 255))) fail('EINVAL');
  return Uint8Array.from(parts);
}

export function ipv6ToBytes(host: string): Uint8Array {
  const out = new Uint8Array(16);
  // An embedded IPv4 tail (::ffff:127.0.0.1) becomes its two 16-bit words.
  const h = host.replace(/%.*$/, '').replace(/(\d+\.\d+\.\d+\.\d+)$/, (v4) => {
    const b = ipv4ToBytes(v4);
    return `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  });
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((x) => parseInt(x, 16)));
  const gap = h.indexOf('::');
  const a = words(gap < 0 ? h : h.slice(0, gap));
  const b = gap < 0 ? [] : words(h.slice(gap + 2));
  const all = [...a, ...new Array<number>(Math.max(0, 8 - a.length - b.length)).fill(0), ...b];
  if (all.length !== 8 || all.some((w) => !(w >= 0 && w <= 0xffff))) fail('EINVAL');
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

export function bytesToIpv6(b: Uint8Array): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] << 8) | b[i + 1]).toString(16));
  return words.join(':');
}

function familyOf(p: GuestProcess, addr: number): number {
  p.input(addr, 2);
  return p.mem.view.getUint16(addr, p.model.endian === 'le');
}

/** The address a guest passed (bind, connect, sendto). */
export function readSockAddr(p: GuestProcess, addr: number, len: number): SockAddr {
  if (len < 2 || len > 128) fail('EINVAL');
  const fam = familyOf(p, addr);
  const view = (decl: StructDecl) => {
    const l = layout(decl, p.model);
    if (len < l.size && decl !== SOCKADDR_UN) fail('EINVAL');
    const buf = new Uint8Array(l.size);
    buf.set(p.input(addr, Math.min(len, l.size)));
    return decode(l, new DataView(buf.buffer), 0);
  };
  if (fam === AF.AF_INET) {
    const s = view(SOCKADDR_IN);
    const port = s.sin_port as Uint8Array;
    return { family: 'inet', host: [...(s.sin_addr as Uint8Array)].join('.'), port: (port[0] << 8) | port[1] };
  }
  if (fam === AF.AF_INET6) {
    const s = view(SOCKADDR_IN6);
    const port = s.sin6_port as Uint8Array;
    return { family: 'inet6', host: bytesToIpv6(s.sin6_addr as Uint8Array), port: (port[0] << 8) | port[1], scope: Number(s.sin6_scope_id) };
  }
  if (fam === AF.AF_UNIX) {
    const raw = p.input(addr + SUN_PATH_OFFSET, len - SUN_PATH_OFFSET);
    if (raw.length === 0) return { family: 'unix', path: '' };
    const abstract = raw[0] === 0;
    const end = abstract ? raw.length : raw.indexOf(0) < 0 ? raw.length : raw.indexOf(0);
    return { family: 'unix', path: new TextDecoder().decode(raw.slice(0, end)) }; // a copy: TextDecoder rejects shared memory
  }
  if (fam === AF.AF_UNSPEC) return { family: 'unspec' };
  return fail('EAFNOSUPPORT');
}

/** The bytes of struct sockaddr_* for `sa`. */
export function encodeSockAddr(p: GuestProcess, sa: SockAddr): Uint8Array {
  const put = (decl: StructDecl, value: Parameters<typeof encode>[3], size?: number): Uint8Array => {
    const l = layout(decl, p.model);
    const buf = new Uint8Array(l.size);
    encode(l, new DataView(buf.buffer), 0, value);
    return size === undefined ? buf : buf.subarray(0, size);
  };
  const portBytes = (port: number) => Uint8Array.of(port >> 8, port & 0xff);
  switch (sa.family) {
    case 'inet':
      return put(SOCKADDR_IN, { sin_family: AF.AF_INET, sin_port: portBytes(sa.port), sin_addr: ipv4ToBytes(sa.host) });
    case 'inet6':
      return put(SOCKADDR_IN6, { sin6_family: AF.AF_INET6, sin6_port: portBytes(sa.port), sin6_addr: ipv6ToBytes(sa.host), sin6_scope_id: sa.scope });
    case 'unix': {
      const path = new TextEncoder().encode(sa.path);
      // Linux reports family + path + NUL for a named socket, the bare family for an unnamed one.
      const size = sa.path === '' ? SUN_PATH_OFFSET : SUN_PATH_OFFSET + path.length + (path[0] === 0 ? 0 : 1);
      return put(SOCKADDR_UN, { sun_family: AF.AF_UNIX, sun_path: path }, Math.min(size, 110));
    }
    case 'unspec':
      return put(SOCKADDR_IN, { sin_family: AF.AF_UNSPEC }, 2);
  }
}

/** Store an address the way getsockname/accept/recvfrom do: at most *lenPtr bytes, and the full
 *  length into *lenPtr. Nothing happens when addr is NULL. */
export function writeSockAddr(p: GuestProcess, addr: number, lenPtr: number, sa: SockAddr): void {
  if (!addr) return;
  const room = p.readInt(lenPtr);
  if (room < 0) fail('EINVAL');
  const bytes = encodeSockAddr(p, sa);
  p.output(addr, Math.min(room, bytes.length)).set(bytes.subarray(0, room));
  p.writeInt(lenPtr, bytes.length);
}

/** A readable form for strace, in qemu's notation. */
export function formatSockAddr(sa: SockAddr): string {
  switch (sa.family) {
    case 'inet': return `{sin_family=AF_INET,sin_port=htons(${sa.port}),sin_addr=inet_addr("${sa.host}")}`;
    case 'inet6': return `{sin6_family=AF_INET6,sin6_port=htons(${sa.port}),sin6_addr=${sa.host}}`;
    case 'unix': return `{sun_family=AF_UNIX,sun_path="${sa.path.replace(/\0/g, '\\0')}"}`;
    case 'unspec': return '{sa_family=AF_UNSPEC}';
  }
}
