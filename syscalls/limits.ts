// Resource limits a fresh process starts with (typical Linux defaults), by name; the ABI table
// gives the numbers.
import type { RlimitName } from './abi/types.js';

export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

export const DEFAULT_RLIMITS: Readonly<Record<RlimitName, readonly [cur: bigint, max: bigint]>> = {
  RLIMIT_CPU: [RLIM_INFINITY, RLIM_INFINITY],
  RLIMIT_FSIZE: [RLIM_INFINITY, RLIM_INFINITY],
  RLIMIT_DATA: [RLIM_INFINITY, RLIM_INFINITY],
  RLIMIT_STACK: [8n << 20n, RLIM_INFINITY],
  RLIMIT_CORE: [0n, RLIM_INFINITY],
  RLIMIT_RSS: [RLIM_INFINITY, RLIM_INFINITY],
  RLIMIT_NPROC: [63_000n, 63_000n],
  RLIMIT_NOFILE: [1024n, 524_288n],
  RLIMIT_MEMLOCK: [8n << 20n, 8n << 20n],
  RLIMIT_AS: [RLIM_INFINITY, RLIM_INFINITY],
  RLIMIT_LOCKS: [RLIM_INFINITY, RLIM_INFINITY],
  RLIMIT_SIGPENDING: [63_000n, 63_000n],
  RLIMIT_MSGQUEUE: [819_200n, 819_200n],
  RLIMIT_NICE: [0n, 0n],
  RLIMIT_RTPRIO: [0n, 0n],
  RLIMIT_RTTIME: [RLIM_INFINITY, RLIM_INFINITY],
};
