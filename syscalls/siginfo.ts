// siginfo_t: what a queued signal carries, and its encodings — the guest ABI's siginfo_t (a header
// and a union whose member depends on how the signal was sent) and signalfd's fixed
// signalfd_siginfo. Declared once as data, laid out by the codec per ABI.
import { decode, defineStruct, encode, layout, type DataModel, type StructDecl } from './codec.js';

/** si_code values (include/uapi/asm-generic/siginfo.h) beyond the engine's own (src/signals.ts). */
export const SI = {
  SI_USER: 0, SI_KERNEL: 0x80, SI_QUEUE: -1, SI_TIMER: -2, SI_MESGQ: -3, SI_ASYNCIO: -4, SI_SIGIO: -5,
  SI_TKILL: -6,
} as const;

/** Which member of the kernel's siginfo union a signal fills. */
export type SigInfoKind = 'kill' | 'rt' | 'timer' | 'fault' | 'chld' | 'poll' | 'sys';

export interface SigInfo {
  /** Guest signal number. */
  readonly signo: number;
  readonly code: number;
  readonly kind: SigInfoKind;
  readonly errno?: number;
  readonly pid?: number;
  readonly uid?: number;
  /** sigval (rt, timer). */
  readonly value?: bigint;
  /** fault: the address. */
  readonly addr?: number;
  /** timer: the kernel's timer id; the overrun is read from the timer when the signal is taken. */
  readonly timerId?: number;
  overrun?: number;
  readonly status?: number;
  readonly fd?: number;
  readonly band?: number;
  /** rt_sigqueueinfo: the caller's own 128 bytes, handed on as they are (signo and all). */
  readonly raw?: Uint8Array;
}

export const SIGINFO_SIZE = 128;

const HEAD: ReadonlyArray<readonly [string, 'int']> = [['si_signo', 'int'], ['si_errno', 'int'], ['si_code', 'int']];
// Each member ends in (or holds) a pointer-sized field, so it gets the union's alignment: the
// union starts at 16 on 64-bit ABIs and at 12 on 32-bit ones, as in the C header.
const MEMBERS: Readonly<Record<SigInfoKind, StructDecl>> = {
  kill: defineStruct('siginfo_kill', [['si_pid', 'int'], ['si_uid', 'uint'], ['_align', 'ptr']]),
  rt: defineStruct('siginfo_rt', [['si_pid', 'int'], ['si_uid', 'uint'], ['si_value', 'ptr']]),
  timer: defineStruct('siginfo_timer', [['si_tid', 'int'], ['si_overrun', 'int'], ['si_value', 'ptr']]),
  fault: defineStruct('siginfo_fault', [['si_addr', 'ptr']]),
  chld: defineStruct('siginfo_chld', [['si_pid', 'int'], ['si_uid', 'uint'], ['si_status', 'int'], ['si_utime', 'long'], ['si_stime', 'long']]),
  poll: defineStruct('siginfo_poll', [['si_band', 'long'], ['si_fd', 'int']]),
  sys: defineStruct('siginfo_sys', [['si_call_addr', 'ptr'], ['si_syscall', 'int'], ['si_arch', 'uint']]),
};
const SIGINFO: Readonly<Record<SigInfoKind, StructDecl>> = Object.fromEntries(
  (Object.keys(MEMBERS) as SigInfoKind[]).map((k) => [k, defineStruct(`siginfo_${k}_t`, [...HEAD, ['_sifields', MEMBERS[k]]])]),
) as Record<SigInfoKind, StructDecl>;

/** The guest's siginfo_t for `info` (SIGINFO_SIZE bytes). */
export function encodeSigInfo(info: SigInfo, m: DataModel): Uint8Array {
  const out = new Uint8Array(SIGINFO_SIZE);
  if (info.raw) {
    out.set(info.raw.subarray(0, SIGINFO_SIZE));
    return out;
  }
  const l = layout(SIGINFO[info.kind], m);
  const fields: Record<string, number | bigint> = {};
  switch (info.kind) {
    case 'kill': Object.assign(fields, { si_pid: info.pid ?? 0, si_uid: info.uid ?? 0 }); break;
    case 'rt': Object.assign(fields, { si_pid: info.pid ?? 0, si_uid: info.uid ?? 0, si_value: info.value ?? 0n }); break;
    case 'timer': Object.assign(fields, { si_tid: info.timerId ?? 0, si_overrun: info.overrun ?? 0, si_value: info.value ?? 0n }); break;
    case 'fault': Object.assign(fields, { si_addr: info.addr ?? 0 }); break;
    case 'chld': Object.assign(fields, { si_pid: info.pid ?? 0, si_uid: info.uid ?? 0, si_status: info.status ?? 0 }); break;
    case 'poll': Object.assign(fields, { si_band: info.band ?? 0, si_fd: info.fd ?? 0 }); break;
    case 'sys': break;
  }
  encode(l, new DataView(out.buffer), 0, { si_signo: info.signo, si_errno: info.errno ?? 0, si_code: info.code, _sifields: fields });
  return out;
}

/** A siginfo_t the guest passed in (rt_sigqueueinfo), read as the rt member for signalfd. */
export function decodeQueuedSigInfo(raw: Uint8Array, m: DataModel): { pid: number; uid: number; value: bigint; code: number } {
  const v = decode(layout(SIGINFO.rt, m), new DataView(raw.buffer, raw.byteOffset, raw.byteLength), 0);
  const u = v._sifields as Record<string, bigint>;
  return { pid: Number(u.si_pid), uid: Number(u.si_uid), value: u.si_value, code: Number(v.si_code as bigint) };
}

/** struct signalfd_siginfo (include/uapi/linux/signalfd.h): the same on every ABI, 128 bytes. */
const SIGNALFD_SIGINFO = defineStruct('signalfd_siginfo', [
  ['ssi_signo', 'u32'], ['ssi_errno', 'i32'], ['ssi_code', 'i32'], ['ssi_pid', 'u32'], ['ssi_uid', 'u32'],
  ['ssi_fd', 'i32'], ['ssi_tid', 'u32'], ['ssi_band', 'u32'], ['ssi_overrun', 'u32'], ['ssi_trapno', 'u32'],
  ['ssi_status', 'i32'], ['ssi_int', 'i32'], ['ssi_ptr', 'u64'], ['ssi_utime', 'u64'], ['ssi_stime', 'u64'],
  ['ssi_addr', 'u64'], ['ssi_addr_lsb', 'u16'], ['__pad2', 'u16'], ['ssi_syscall', 'i32'], ['ssi_call_addr', 'u64'],
  ['ssi_arch', 'u32'], ['__pad', 'u8[28]'],
]);
export const SIGNALFD_SIGINFO_SIZE = 128;

export function encodeSignalfdInfo(info: SigInfo, m: DataModel, dst: DataView, at: number): void {
  const l = layout(SIGNALFD_SIGINFO, m);
  let { pid, uid, value, code } = { pid: info.pid ?? 0, uid: info.uid ?? 0, value: info.value ?? 0n, code: info.code };
  if (info.raw) ({ pid, uid, value, code } = decodeQueuedSigInfo(info.raw, m));
  encode(l, dst, at, {
    ssi_signo: info.signo, ssi_errno: info.errno ?? 0, ssi_code: code, ssi_pid: pid, ssi_uid: uid,
    ssi_fd: info.fd ?? 0, ssi_tid: info.timerId ?? 0, ssi_band: info.band ?? 0, ssi_overrun: info.overrun ?? 0,
    ssi_status: info.status ?? 0, ssi_int: Number(BigInt.asIntN(32, value)), ssi_ptr: value, ssi_addr: info.addr ?? 0,
  });
}
