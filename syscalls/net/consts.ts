// Socket constants. These are the same on every Linux ABI crossrun runs (asm-generic, arm, x86);
// mips and sparc renumber SOCK_* and SOL_SOCKET/SO_* and would need their own table.
// SOCK_NONBLOCK and SOCK_CLOEXEC are the ABI's O_NONBLOCK and O_CLOEXEC.

export const AF = { AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2, AF_INET6: 10, AF_NETLINK: 16, AF_PACKET: 17 } as const;
export const SOCK = { SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_RDM: 4, SOCK_SEQPACKET: 5, SOCK_PACKET: 10 } as const;
export const SOCK_TYPE_MASK = 0xf;
export const IPPROTO = { IPPROTO_IP: 0, IPPROTO_ICMP: 1, IPPROTO_TCP: 6, IPPROTO_UDP: 17, IPPROTO_IPV6: 41, IPPROTO_RAW: 255 } as const;
export const SOL_SOCKET = 1;

export const MSG = {
  MSG_OOB: 0x1, MSG_PEEK: 0x2, MSG_DONTROUTE: 0x4, MSG_CTRUNC: 0x8, MSG_TRUNC: 0x20, MSG_DONTWAIT: 0x40,
  MSG_EOR: 0x80, MSG_WAITALL: 0x100, MSG_NOSIGNAL: 0x4000, MSG_MORE: 0x8000, MSG_WAITFORONE: 0x10000,
  MSG_CMSG_CLOEXEC: 0x40000000,
} as const;
export const SHUT = { SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2 } as const;
export const SCM_RIGHTS = 1;

/** How a socket option's value is laid out. */
export type OptKind = 'int' | 'timeval' | 'linger' | 'ucred';

/** Socket options we know: [level, optname] → name and value layout. One table drives
 *  get/setsockopt and their defaults. */
export const SOCKOPTS: ReadonlyArray<readonly [level: number, opt: number, name: string, kind: OptKind]> = [
  [SOL_SOCKET, 1, 'SO_DEBUG', 'int'], [SOL_SOCKET, 2, 'SO_REUSEADDR', 'int'], [SOL_SOCKET, 3, 'SO_TYPE', 'int'],
  [SOL_SOCKET, 4, 'SO_ERROR', 'int'], [SOL_SOCKET, 5, 'SO_DONTROUTE', 'int'], [SOL_SOCKET, 6, 'SO_BROADCAST', 'int'],
  [SOL_SOCKET, 7, 'SO_SNDBUF', 'int'], [SOL_SOCKET, 8, 'SO_RCVBUF', 'int'], [SOL_SOCKET, 9, 'SO_KEEPALIVE', 'int'],
  [SOL_SOCKET, 10, 'SO_OOBINLINE', 'int'], [SOL_SOCKET, 12, 'SO_PRIORITY', 'int'], [SOL_SOCKET, 13, 'SO_LINGER', 'linger'],
  [SOL_SOCKET, 15, 'SO_REUSEPORT', 'int'], [SOL_SOCKET, 16, 'SO_PASSCRED', 'int'], [SOL_SOCKET, 17, 'SO_PEERCRED', 'ucred'],
  [SOL_SOCKET, 18, 'SO_RCVLOWAT', 'int'], [SOL_SOCKET, 19, 'SO_SNDLOWAT', 'int'],
  [SOL_SOCKET, 20, 'SO_RCVTIMEO', 'timeval'], [SOL_SOCKET, 21, 'SO_SNDTIMEO', 'timeval'],
  [SOL_SOCKET, 30, 'SO_ACCEPTCONN', 'int'], [SOL_SOCKET, 38, 'SO_PROTOCOL', 'int'], [SOL_SOCKET, 39, 'SO_DOMAIN', 'int'],
  [IPPROTO.IPPROTO_TCP, 1, 'TCP_NODELAY', 'int'], [IPPROTO.IPPROTO_TCP, 2, 'TCP_MAXSEG', 'int'],
  [IPPROTO.IPPROTO_TCP, 4, 'TCP_KEEPIDLE', 'int'], [IPPROTO.IPPROTO_TCP, 5, 'TCP_KEEPINTVL', 'int'],
  [IPPROTO.IPPROTO_TCP, 6, 'TCP_KEEPCNT', 'int'], [IPPROTO.IPPROTO_TCP, 9, 'TCP_DEFER_ACCEPT', 'int'],
  [IPPROTO.IPPROTO_TCP, 12, 'TCP_QUICKACK', 'int'],
  [IPPROTO.IPPROTO_IP, 1, 'IP_TOS', 'int'], [IPPROTO.IPPROTO_IP, 2, 'IP_TTL', 'int'],
  [IPPROTO.IPPROTO_IPV6, 26, 'IPV6_V6ONLY', 'int'],
];

/** Values reported before a guest sets them (Linux's defaults on a typical host). */
export const SOCKOPT_DEFAULTS: Readonly<Record<string, number>> = {
  SO_SNDBUF: 16384, SO_RCVBUF: 131072, SO_RCVLOWAT: 1, SO_SNDLOWAT: 1, TCP_MAXSEG: 536, TCP_KEEPIDLE: 7200,
  TCP_KEEPINTVL: 75, TCP_KEEPCNT: 9, IP_TTL: 64,
};
