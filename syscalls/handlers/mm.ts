// Memory management: brk, mmap (anonymous and private file mappings, copied in), munmap,
// mprotect, mremap, madvise. Placement is crossrun's (all below 4 GiB, see AddressSpace Layout).
import { isAnonymous, Layout, PAGE_MASK, Perm, pageAlignUp } from '../../src/mem/address-space.js';
import { MADV, MREMAP, PROT } from '../abi/common.js';
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import type { SyscallTable } from '../syscall-def.js';

const RW = Perm.R | Perm.W;

/** A length the 4 GiB space could hold, page aligned; ENOMEM otherwise. */
function pages(len: number): number {
  const n = pageAlignUp(len);
  if (n > Layout.RUNTIME_BASE) fail('ENOMEM');
  return n;
}
function inGuest(addr: number, len: number): boolean {
  return addr >= Layout.GUEST_MIN && addr + len <= Layout.RUNTIME_BASE;
}

function brk(p: GuestProcess, want: number): number {
  if (want === 0 || want < p.brkStart) return p.brk;
  const oldTop = pageAlignUp(p.brk);
  const newTop = pageAlignUp(want);
  if (newTop > oldTop) {
    // Grows only into free space: never over another mapping (the kernel fails the same way).
    if (newTop > Layout.MMAP_TOP || p.mem.anyMapped(oldTop, newTop - oldTop)) return p.brk;
    p.mem.map(oldTop, newTop - oldTop, RW, '[heap]');
  } else if (newTop < oldTop) {
    p.mem.unmap(newTop, oldTop - newTop);
  }
  return (p.brk = want);
}

function mmap(p: GuestProcess, addr: number, len: number, prot: number, flags: number, fd: number, off: bigint): number {
  const M = p.abi.mmap;
  if (len === 0) fail('EINVAL');
  if (off & BigInt(PAGE_MASK) || off < 0n) fail('EINVAL');
  const type = flags & M.MAP_TYPE;
  if (type !== M.MAP_SHARED && type !== M.MAP_PRIVATE && type !== M.MAP_SHARED_VALIDATE) fail('EINVAL');
  const size = pages(len);
  const offset = Number(off);

  const file = flags & M.MAP_ANONYMOUS ? null : p.fds.get(fd);
  const h = file?.handle() ?? null;
  if (file) {
    if (!h || file.isDirectory()) fail('ENODEV');
    if (!file.readable) fail('EACCES');
    if (type !== M.MAP_PRIVATE && prot & PROT.PROT_WRITE) {
      if (!file.writable) fail('EACCES');
      p.unimp(`crossrun: MAP_SHARED writable mapping of ${file.path}: writes stay in memory, the file is not updated`);
    }
  }

  let at: number;
  if (flags & (M.MAP_FIXED | M.MAP_FIXED_NOREPLACE)) {
    if (addr & PAGE_MASK) fail('EINVAL');
    if (addr < Layout.GUEST_MIN) fail('EPERM');
    if (!inGuest(addr, size)) fail('ENOMEM');
    if (!(flags & M.MAP_FIXED) && p.mem.anyMapped(addr, size)) fail('EEXIST');
    at = addr;
  } else {
    const hint = addr & ~PAGE_MASK;
    at = hint && inGuest(hint, size) && !p.mem.anyMapped(hint, size) ? hint : (p.mem.findFree(size) ?? fail('ENOMEM'));
  }

  p.mem.map(at, size, prot & 7, file ? file.path : '', file ? offset : 0);
  if (h) {
    // Copy the file's bytes in place; past EOF the pages stay zero.
    const dst = p.mem.bytes.subarray(at, at + len);
    try {
      for (let done = 0; done < len; ) {
        const n = h.pread(dst.subarray(done), offset + done);
        if (n === 0) break;
        done += n;
      }
    } catch (e) {
      p.mem.unmap(at, size);
      throw e;
    }
  }
  return at;
}

function mremap(p: GuestProcess, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  const { MREMAP_MAYMOVE: MAYMOVE, MREMAP_FIXED: FIXED, MREMAP_DONTUNMAP: DONTUNMAP } = MREMAP;
  if (old & PAGE_MASK || flags & ~(MAYMOVE | FIXED | DONTUNMAP)) fail('EINVAL');
  if (flags & FIXED && !(flags & MAYMOVE)) fail('EINVAL');
  if (flags & DONTUNMAP && (!(flags & MAYMOVE) || oldLen !== newLen)) fail('EINVAL');
  const oldSize = pages(oldLen);
  const newSize = pages(newLen);
  if (newSize === 0 || oldSize === 0) fail('EINVAL'); // old_len 0 duplicates shared mappings only
  if (!p.mem.isMapped(old, oldSize)) fail('EFAULT');
  const r = { ...(p.mem.regionAt(old) ?? fail('EFAULT')) }; // (a copy: the maps below change the regions)
  const offset = r.offset + (old - r.start);

  const moveTo = (to: number): number => {
    p.mem.map(to, newSize, r.prot, r.name, offset);
    p.mem.bytes.copyWithin(to, old, old + Math.min(oldSize, newSize));
    p.mem.markDirty(to, to + Math.min(oldSize, newSize)); // the new mapping may be PROT_NONE
    if (flags & DONTUNMAP) p.mem.map(old, oldSize, r.prot, r.name, offset); // left mapped, emptied
    else p.mem.unmap(old, oldSize);
    return to;
  };

  if (flags & FIXED) {
    if (newAddr & PAGE_MASK) fail('EINVAL');
    if (newAddr < old + oldSize && old < newAddr + newSize) fail('EINVAL');
    if (!inGuest(newAddr, newSize)) fail('ENOMEM');
    return moveTo(newAddr);
  }
  if (newSize <= oldSize && !(flags & DONTUNMAP)) {
    if (newSize < oldSize) p.mem.unmap(old + newSize, oldSize - newSize);
    return old;
  }
  const tail = old + oldSize;
  const extra = newSize - oldSize;
  if (!(flags & DONTUNMAP) && inGuest(tail, extra) && !p.mem.anyMapped(tail, extra)) {
    p.mem.map(tail, extra, r.prot, r.name, offset + oldSize);
    return old;
  }
  if (!(flags & MAYMOVE)) fail('ENOMEM');
  return moveTo(p.mem.findFree(newSize) ?? fail('ENOMEM'));
}

function madvise(p: GuestProcess, addr: number, len: number, advice: number): number {
  if (addr & PAGE_MASK) fail('EINVAL');
  if (!Object.values(MADV).includes(advice as (typeof MADV)[keyof typeof MADV])) fail('EINVAL');
  const size = pages(len);
  if (size === 0) return 0;
  if (!p.mem.isMapped(addr, size)) fail('ENOMEM');
  if (advice === MADV.MADV_DONTNEED) {
    // Private anonymous pages read back as zero. (A private file mapping would read the file
    // again; its copy-in is not kept, so those pages are left as they are.)
    for (const r of p.mem.list()) {
      const s = Math.max(r.start, addr);
      const e = Math.min(r.end, addr + size);
      if (s >= e) continue;
      if (isAnonymous(r)) p.mem.discard(s, e);
      else p.unimp(`crossrun: madvise(MADV_DONTNEED) on a file mapping of ${r.name}: contents kept`);
    }
  }
  return 0;
}

export const mmSyscalls: SyscallTable = {
  brk: { args: ['ptr'], ret: 'ptr', run: (p, [addr]) => brk(p, p.ptr(addr)) },
  mmap: {
    args: ['ptr', 'ulong', 'prot', 'mapflags', 'fd', 'long'],
    ret: 'ptr',
    run: (p, [addr, len, prot, flags, fd, off]) => mmap(p, p.ptr(addr), p.ptr(len), p.int(prot), p.int(flags), p.int(fd), p.sword(off)),
  },
  munmap: {
    args: ['ptr', 'ulong'],
    run: (p, [addr, len]) => {
      const a = p.ptr(addr);
      const n = p.ptr(len);
      if (a & PAGE_MASK || n === 0 || a + n > Layout.RUNTIME_BASE) fail('EINVAL');
      p.mem.unmap(a, pageAlignUp(n));
      return 0;
    },
  },
  mprotect: {
    args: ['ptr', 'ulong', 'prot'],
    run: (p, [addr, len, prot]) => {
      const a = p.ptr(addr);
      const pr = p.int(prot);
      if (a & PAGE_MASK || pr & ~(7 | PROT.PROT_SEM | PROT.PROT_GROWSDOWN | PROT.PROT_GROWSUP)) fail('EINVAL');
      const size = pages(p.ptr(len));
      if (size === 0) return 0;
      if (a + size > Layout.RUNTIME_BASE || !p.mem.protect(a, size, pr & 7)) fail('ENOMEM');
      return 0;
    },
  },
  mremap: {
    args: ['ptr', 'ulong', 'ulong', 'mremapflags', 'ptr'],
    ret: 'ptr',
    run: (p, [old, oldLen, newLen, flags, newAddr]) => mremap(p, p.ptr(old), p.ptr(oldLen), p.ptr(newLen), p.int(flags), p.ptr(newAddr)),
  },
  madvise: {
    args: ['ptr', 'ulong', 'madvice'],
    run: (p, [addr, len, advice]) => madvise(p, p.ptr(addr), p.ptr(len), p.int(advice)),
  },
  msync: {
    args: ['ptr', 'ulong', 'int'],
    run: (p, [addr, len]) => {
      if (p.ptr(addr) & PAGE_MASK) fail('EINVAL');
      if (!p.mem.isMapped(p.ptr(addr), pages(p.ptr(len)))) fail('ENOMEM');
      return 0;
    },
  },
  // One process, no swap: locking pages changes nothing observable.
  mlock: { args: ['ptr', 'ulong'], run: () => 0 },
  munlock: { args: ['ptr', 'ulong'], run: () => 0 },
  mlockall: { args: ['int'], run: () => 0 },
  munlockall: { args: [], run: () => 0 },
  riscv_flush_icache: {
    args: ['ptr', 'ptr', 'ulong'],
    run: (p, [start, end, flags]) => {
      if (p.word(flags) & ~1n) fail('EINVAL');
      const s = p.ptr(start);
      const e = p.ptr(end);
      p.mem.onCodeChange(s < e ? s : 0, s < e ? e : Layout.RUNTIME_BASE);
      return 0;
    },
  },
};
