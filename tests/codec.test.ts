import { describe, expect, test } from 'vitest';
import { big, decode, defineStruct, encode, layout, num, offsetOf, sub, type DataModel } from '../syscalls/codec.js';
import {
  DIRENT64, FLOCK_GENERIC, RUSAGE, SIGACTION_GENERIC, SIGACTION_RESTORER, STAT64_GENERIC, STAT_GENERIC, STATX,
  SYSINFO, TERMIOS_GENERIC, TIMESPEC, UTSNAME,
} from '../syscalls/structs.js';

const LE64: DataModel = { wordBits: 64, endian: 'le' };
const BE64: DataModel = { wordBits: 64, endian: 'be' };
const LE32: DataModel = { wordBits: 32, endian: 'le' };
const BE32: DataModel = { wordBits: 32, endian: 'be' };

function offsets(decl: Parameters<typeof layout>[0], m: DataModel, names: string[]): Record<string, number> {
  const l = layout(decl, m);
  return Object.fromEntries(names.map((n) => [n, offsetOf(l, n)]));
}

describe('layout resolution', () => {
  test('asm-generic 64-bit struct stat is 128 bytes with the kernel offsets', () => {
    for (const m of [LE64, BE64]) {
      expect(layout(STAT_GENERIC, m).size).toBe(128);
      expect(offsets(STAT_GENERIC, m, ['st_dev', 'st_ino', 'st_mode', 'st_nlink', 'st_uid', 'st_gid', 'st_rdev', 'st_size', 'st_blksize', 'st_blocks', 'st_atime', 'st_atime_nsec', 'st_mtime', 'st_ctime', 'st_ctime_nsec', '__unused5'])).toEqual({
        st_dev: 0, st_ino: 8, st_mode: 16, st_nlink: 20, st_uid: 24, st_gid: 28, st_rdev: 32, st_size: 48,
        st_blksize: 56, st_blocks: 64, st_atime: 72, st_atime_nsec: 80, st_mtime: 88, st_ctime: 104,
        st_ctime_nsec: 112, __unused5: 124,
      });
    }
  });

  test('32-bit asm-generic struct stat (longs of 4 bytes) and stat64 (104 bytes)', () => {
    expect(layout(STAT_GENERIC, LE32).size).toBe(80);
    expect(offsets(STAT_GENERIC, BE32, ['st_rdev', 'st_size', 'st_blksize', 'st_blocks', 'st_atime', 'st_ctime_nsec'])).toEqual({
      st_rdev: 24, st_size: 32, st_blksize: 36, st_blocks: 44, st_atime: 48, st_ctime_nsec: 68,
    });
    expect(layout(STAT64_GENERIC, LE32).size).toBe(104);
    expect(offsets(STAT64_GENERIC, LE32, ['st_rdev', 'st_size', 'st_blksize', 'st_blocks', 'st_atime', 'st_mtime', 'st_ctime'])).toEqual({
      st_rdev: 32, st_size: 48, st_blksize: 56, st_blocks: 64, st_atime: 72, st_mtime: 80, st_ctime: 88,
    });
  });

  test('statx is 256 bytes on every data model, timestamps nested', () => {
    for (const m of [LE64, BE64, LE32, BE32, { ...LE32, i64Align: 4 as const }]) {
      const l = layout(STATX, m);
      expect(l.size).toBe(256);
      expect(offsets(STATX, m, ['stx_mode', 'stx_ino', 'stx_atime', 'stx_btime', 'stx_mtime', 'stx_rdev_major', 'stx_mnt_id'])).toEqual({
        stx_mode: 28, stx_ino: 32, stx_atime: 64, stx_btime: 80, stx_mtime: 112, stx_rdev_major: 128, stx_mnt_id: 144,
      });
    }
  });

  test('word-size dependent structs: sysinfo, rusage, timespec, flock, sigaction', () => {
    expect(layout(SYSINFO, LE64).size).toBe(112);
    expect(offsets(SYSINFO, LE64, ['procs', 'totalhigh', 'mem_unit'])).toEqual({ procs: 80, totalhigh: 88, mem_unit: 104 });
    expect(layout(SYSINFO, LE32).size).toBe(64); // _f[8] pads the 32-bit struct to 64 bytes
    expect(offsets(SYSINFO, LE32, ['procs', 'totalhigh', 'mem_unit', '_f'])).toEqual({ procs: 40, totalhigh: 44, mem_unit: 52, _f: 56 });
    expect(layout(RUSAGE, LE64).size).toBe(144);
    expect(offsetOf(layout(RUSAGE, LE64), 'ru_maxrss')).toBe(32);
    expect(layout(RUSAGE, LE32).size).toBe(72);
    expect(layout(TIMESPEC, LE64).size).toBe(16);
    expect(layout(TIMESPEC, BE32).size).toBe(8);
    expect(offsets(FLOCK_GENERIC, LE64, ['l_start', 'l_len', 'l_pid'])).toEqual({ l_start: 8, l_len: 16, l_pid: 24 });
    expect(layout(FLOCK_GENERIC, LE64).size).toBe(32);
    expect(layout(FLOCK_GENERIC, LE32).size).toBe(16);
    expect(layout(SIGACTION_GENERIC, LE64).size).toBe(24);
    expect(layout(SIGACTION_RESTORER, LE64).size).toBe(32);
    expect(layout(SIGACTION_RESTORER, LE32).size).toBe(20); // sigset: two 4-byte words, 4-aligned
    expect(layout(TERMIOS_GENERIC, BE64).size).toBe(36);
    expect(offsetOf(layout(DIRENT64, LE64), 'd_name')).toBe(19);
  });

  test('64-bit integers align to 8, or to 4 where the ABI says so (i386)', () => {
    const S = defineStruct('s', [['a', 'int'], ['b', 'i64']]);
    expect(offsets(S, LE32, ['b'])).toEqual({ b: 8 });
    expect(layout(S, LE32).size).toBe(16);
    expect(offsets(S, { ...LE32, i64Align: 4 }, ['b'])).toEqual({ b: 4 });
    expect(layout(S, { ...LE32, i64Align: 4 }).size).toBe(12);
  });
});

describe('encode / decode', () => {
  const stat = {
    st_dev: 0x801n, st_ino: 123456789n, st_mode: 0o100644, st_nlink: 1, st_uid: 1000, st_gid: 100,
    st_size: 0x1_0000_0002n, st_blksize: 4096, st_blocks: 8, st_atime: 1_700_000_000, st_atime_nsec: 5,
    st_mtime: -1, st_ctime: 7,
  };

  test('little-endian 64-bit: bytes land at the kernel offsets', () => {
    const buf = new Uint8Array(200).fill(0xee);
    const dv = new DataView(buf.buffer);
    const l = layout(STAT_GENERIC, LE64);
    encode(l, dv, 8, stat);
    expect(dv.getBigUint64(8 + 48, true)).toBe(0x1_0000_0002n);
    expect(dv.getUint32(8 + 16, true)).toBe(0o100644);
    expect(dv.getInt32(8 + 56, true)).toBe(4096);
    expect(dv.getBigInt64(8 + 72, true)).toBe(1_700_000_000n);
    expect(dv.getBigInt64(8 + 88, true)).toBe(-1n);
    expect(dv.getUint32(8 + 60, true)).toBe(0); // padding is written as zero
    expect(buf[7]).toBe(0xee); // nothing outside the struct
    expect(buf[8 + 128]).toBe(0xee);
    const back = decode(l, dv, 8);
    expect(big(back, 'st_size')).toBe(0x1_0000_0002n);
    expect(big(back, 'st_mtime')).toBe(-1n); // long: sign-extended
    expect(big(back, 'st_atime_nsec')).toBe(5n);
    expect(num(back, 'st_uid')).toBe(1000);
  });

  test('big-endian 64-bit: same offsets, bytes reversed', () => {
    const buf = new Uint8Array(128);
    const dv = new DataView(buf.buffer);
    const l = layout(STAT_GENERIC, BE64);
    encode(l, dv, 0, stat);
    expect([...buf.subarray(48, 56)]).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    expect(dv.getUint32(16, false)).toBe(0o100644);
    expect(big(decode(l, dv, 0), 'st_ino')).toBe(123456789n);
    expect(big(decode(l, dv, 0), 'st_mtime')).toBe(-1n);
  });

  test('32-bit: longs truncate to 4 bytes and sign-extend back; unsigned stays unsigned', () => {
    for (const m of [LE32, BE32]) {
      const le = m.endian === 'le';
      const buf = new Uint8Array(80);
      const dv = new DataView(buf.buffer);
      const l = layout(STAT_GENERIC, m);
      encode(l, dv, 0, { st_size: 0x12345678, st_mtime: -2, st_dev: 0xffffffffn });
      expect(dv.getUint32(32, le)).toBe(0x12345678);
      const back = decode(l, dv, 0);
      expect(big(back, 'st_mtime')).toBe(-2n);
      expect(big(back, 'st_dev')).toBe(0xffffffffn);
    }
  });

  test('sigset is 64 signals: one u64 on 64-bit, two words (low word first) on 32-bit', () => {
    const mask = 0x8000_0002_0000_0001n;
    const cases: Array<[DataModel, number[]]> = [
      [LE64, [1, 0, 0, 0, 2, 0, 0, 0x80]],
      [BE64, [0x80, 0, 0, 2, 0, 0, 0, 1]],
      [LE32, [1, 0, 0, 0, 2, 0, 0, 0x80]],
      [BE32, [0, 0, 0, 1, 0x80, 0, 0, 2]],
    ];
    for (const [m, bytes] of cases) {
      const l = layout(SIGACTION_GENERIC, m);
      const buf = new Uint8Array(l.size);
      const dv = new DataView(buf.buffer);
      encode(l, dv, 0, { sa_handler: 0x1234, sa_flags: 4, sa_mask: mask });
      const at = offsetOf(l, 'sa_mask');
      expect([...buf.subarray(at, at + 8)]).toEqual(bytes);
      expect(big(decode(l, dv, 0), 'sa_mask')).toBe(mask);
      expect(big(decode(l, dv, 0), 'sa_handler')).toBe(0x1234n);
    }
  });

  test('char arrays: strings zero-padded and truncated; arrays of scalars; nested structs', () => {
    const l = layout(UTSNAME, LE64);
    expect(l.size).toBe(390);
    const buf = new Uint8Array(l.size).fill(0xff);
    const dv = new DataView(buf.buffer);
    encode(l, dv, 0, { sysname: 'Linux', machine: 'x'.repeat(100) });
    expect(Buffer.from(buf.subarray(0, 6)).toString('latin1')).toBe('Linux\0');
    expect(buf[64]).toBe(0);
    expect(buf[65]).toBe(0); // nodename: zeroed
    expect(buf.subarray(260, 325).every((b) => b === 0x78)).toBe(true); // machine: truncated to 65
    const out = decode(l, dv, 0);
    expect(Buffer.from(out.sysname as Uint8Array).subarray(0, 5).toString()).toBe('Linux');

    const si = layout(SYSINFO, BE32);
    const sbuf = new DataView(new ArrayBuffer(si.size));
    encode(si, sbuf, 0, { loads: [1, 2, 3], procs: 9 });
    expect([sbuf.getUint32(4, false), sbuf.getUint32(8, false), sbuf.getUint32(12, false)]).toEqual([1, 2, 3]);
    expect(decode(si, sbuf, 0).loads).toEqual([1n, 2n, 3n]);
    expect(sbuf.getUint16(40, false)).toBe(9);

    const sx = layout(STATX, BE64);
    const xbuf = new DataView(new ArrayBuffer(sx.size));
    encode(sx, xbuf, 0, { stx_mtime: { tv_sec: -5, tv_nsec: 999 } });
    expect(xbuf.getBigInt64(112, false)).toBe(-5n);
    expect(xbuf.getUint32(120, false)).toBe(999);
    expect(big(sub(decode(sx, xbuf, 0), 'stx_mtime'), 'tv_sec')).toBe(-5n);
  });

  test('unknown fields are a declaration bug, not silently dropped', () => {
    const l = layout(TIMESPEC, LE64);
    expect(() => encode(l, new DataView(new ArrayBuffer(16)), 0, { tv_usec: 1 })).toThrow(/no field/);
  });
});
