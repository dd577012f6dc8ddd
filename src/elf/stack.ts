// The initial process stack, laid out as Linux's exec (copy_strings) and create_elf_tables build
// it, for any word size and byte order. From the top of the stack down:
//
//   one zero word
//   AT_EXECFN string                     ─┐
//   environment strings (env[0] lowest)   │ exec's strings
//   argument strings (argv[0] lowest)    ─┘
//   (16-byte alignment)
//   AT_PLATFORM string, if any
//   16 AT_RANDOM bytes
//   (padding so that sp ends 16-byte aligned)
//   auxv pairs … AT_NULL
//   envp[0] … NULL
//   argv[0] … NULL
//   argc                                  ← sp
//
// Linux also moves the stack top by a random amount; we keep it fixed so runs are repeatable.

import { randomFillSync } from '../host-random.js';
import type { AddressSpace } from '../mem/address-space.js';
import { Layout, PAGE_SIZE, Perm, pageAlignUp } from '../mem/address-space.js';
import type { GuestAddr } from '../types.js';
import { UserError } from '../types.js';
import { AT, CLOCK_TICKS } from './constants.js';
import type { LoadedProgram } from './load.js';

export const DEFAULT_STACK_SIZE = 8 << 20;

export type AuxvEntry = [type: number, value: bigint];

export interface StackParams {
  /** argv as the guest sees it (-0 already applied). */
  argv: readonly string[];
  /** "NAME=value" strings. */
  env: readonly string[];
  /** AT_EXECFN: the path the program was executed by. */
  execfn: string;
  program: Pick<LoadedProgram, 'phdrAddr' | 'phent' | 'phnum' | 'base' | 'programEntry' | 'execStack'>;
  wordBytes: 4 | 8;
  endian: 'le' | 'be';
  /** AT_HWCAP / AT_HWCAP2 (the latter only emitted when nonzero). */
  hwcap?: bigint;
  hwcap2?: bigint;
  /** AT_PLATFORM string (e.g. "aarch64"), for ISAs whose kernel defines one. */
  platform?: string;
  /** ISA-specific entries that Linux puts first (ARCH_DLINFO), e.g. AT_MINSIGSTKSZ. */
  archAuxv?: ReadonlyArray<AuxvEntry>;
  /** Bytes of the stack mapping (rounded up to pages); default 8 MiB. */
  stackSize?: number;
  /** The 16 AT_RANDOM bytes; default: fresh from crypto. */
  random?: Uint8Array;
  /** AT_UID, AT_EUID, AT_GID, AT_EGID; default: the host process's. */
  ids?: { uid: number; euid: number; gid: number; egid: number };
}

export interface InitialStack {
  /** The initial stack pointer (points at argc). */
  sp: GuestAddr;
  /** The auxiliary vector as written, AT_NULL included (for /proc/self/auxv and getauxval). */
  auxv: AuxvEntry[];
  argvAddr: GuestAddr;
  envpAddr: GuestAddr;
  randomAddr: GuestAddr;
  execfnAddr: GuestAddr;
  /** The "[stack]" mapping. */
  stackStart: GuestAddr;
  stackEnd: GuestAddr;
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Map the "[stack]" region and write argc, argv, envp, auxv and their strings into it. */
export function buildInitialStack(mem: AddressSpace, p: StackParams): InitialStack {
  const word = p.wordBytes;
  const size = pageAlignUp(p.stackSize ?? DEFAULT_STACK_SIZE);
  const stackEnd = Layout.STACK_TOP;
  const stackStart = stackEnd - size;
  if (size < PAGE_SIZE || stackStart < Layout.GUEST_MIN || mem.anyMapped(stackStart, size)) {
    throw new UserError(`stack size ${size} does not fit below ${'0x' + stackEnd.toString(16)} next to the program (-s)`);
  }

  // Place everything first (addresses only), then check the size, then map and write.
  const argStrings = p.argv.map(utf8);
  const envStrings = p.env.map(utf8);
  const execfn = utf8(p.execfn);
  const platform = p.platform === undefined ? undefined : utf8(p.platform);

  let at = stackEnd - word; // the zero word at the very top
  const execfnAddr = (at -= execfn.length + 1);
  const envAddrs = placeStrings(envStrings, (at -= total(envStrings)));
  const argAddrs = placeStrings(argStrings, (at -= total(argStrings)));
  const stringsBottom = at;
  at = align16(at);
  const platformAddr = platform ? (at -= platform.length + 1) : 0;
  const randomAddr = (at -= 16);

  const auxv = auxVector(p, randomAddr, execfnAddr, platformAddr);
  const words = auxv.length * 2 + (argStrings.length + 1) + (envStrings.length + 1) + 1;
  const sp = align16(at - words * word);

  // Linux refuses exec when the strings take more than a quarter of the stack limit (E2BIG).
  if (stackEnd - stringsBottom > size / 4 || sp < stackStart + PAGE_SIZE) {
    throw new UserError(
      `argument list too long: arguments and environment take ${stackEnd - stringsBottom} bytes, more than a quarter of the ${size}-byte stack (-s)`,
    );
  }

  mem.map(stackStart, size, Perm.R | Perm.W | (p.program.execStack ? Perm.X : 0), '[stack]');
  const bytes = mem.bytes;
  bytes.set(execfn, execfnAddr);
  envStrings.forEach((s, i) => bytes.set(s, envAddrs[i]));
  argStrings.forEach((s, i) => bytes.set(s, argAddrs[i]));
  if (platform) bytes.set(platform, platformAddr);
  bytes.set(p.random ?? randomFillSync(new Uint8Array(16)), randomAddr);

  const put = wordWriter(mem.view, word, p.endian);
  let w = sp;
  w = put(w, BigInt(argStrings.length));
  const argvAddr = w;
  for (const a of argAddrs) w = put(w, BigInt(a));
  w = put(w, 0n);
  const envpAddr = w;
  for (const a of envAddrs) w = put(w, BigInt(a));
  w = put(w, 0n);
  for (const [type, value] of auxv) w = put(put(w, BigInt(type)), value);

  return { sp, auxv, argvAddr, envpAddr, randomAddr, execfnAddr, stackStart, stackEnd };
}

/** Round down to 16 bytes (addresses reach 2^32: no 32-bit bitwise operators). */
function align16(addr: number): number {
  return addr - (addr % 16);
}

function total(strings: Uint8Array[]): number {
  return strings.reduce((n, s) => n + s.length + 1, 0);
}

/** Consecutive NUL-terminated strings from `base` up; returns each one's address. */
function placeStrings(strings: Uint8Array[], base: number): number[] {
  const addrs: number[] = [];
  for (const s of strings) {
    addrs.push(base);
    base += s.length + 1;
  }
  return addrs;
}

/** The entries in create_elf_tables' order. */
function auxVector(p: StackParams, randomAddr: number, execfnAddr: number, platformAddr: number): AuxvEntry[] {
  const ids = p.ids ?? hostIds();
  const prog = p.program;
  const n = (x: number): bigint => BigInt(x);
  const v: AuxvEntry[] = [...(p.archAuxv ?? [])];
  v.push(
    [AT.HWCAP, p.hwcap ?? 0n],
    [AT.PAGESZ, n(PAGE_SIZE)],
    [AT.CLKTCK, n(CLOCK_TICKS)],
    [AT.PHDR, n(prog.phdrAddr)],
    [AT.PHENT, n(prog.phent)],
    [AT.PHNUM, n(prog.phnum)],
    [AT.BASE, n(prog.base)],
    [AT.FLAGS, 0n],
    [AT.ENTRY, n(prog.programEntry)],
    [AT.UID, n(ids.uid)],
    [AT.EUID, n(ids.euid)],
    [AT.GID, n(ids.gid)],
    [AT.EGID, n(ids.egid)],
    [AT.SECURE, 0n],
    [AT.RANDOM, n(randomAddr)],
  );
  if (p.hwcap2) v.push([AT.HWCAP2, p.hwcap2]);
  v.push([AT.EXECFN, n(execfnAddr)]);
  if (p.platform !== undefined) v.push([AT.PLATFORM, n(platformAddr)]);
  v.push([AT.NULL, 0n]);
  return v;
}

function hostIds(): { uid: number; euid: number; gid: number; egid: number } {
  return {
    uid: process.getuid?.() ?? 0,
    euid: process.geteuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    egid: process.getegid?.() ?? 0,
  };
}

/** Returns put(addr, value) → next address, for the ABI's word size and byte order. */
function wordWriter(view: DataView, word: 4 | 8, endian: 'le' | 'be'): (addr: number, value: bigint) => number {
  const le = endian === 'le';
  return word === 8
    ? (addr, value) => (view.setBigUint64(addr, BigInt.asUintN(64, value), le), addr + 8)
    : (addr, value) => (view.setUint32(addr, Number(BigInt.asUintN(32, value)), le), addr + 4);
}
