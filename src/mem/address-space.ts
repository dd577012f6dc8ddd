// AddressSpace: the guest's memory — one linear WebAssembly.Memory of 4 GiB, guest address = offset
// (DESIGN.md). The host commits pages lazily, so the reservation costs no RSS. A page table of one
// byte per 4 KiB page holds permissions; it lives inside the same memory (in the runtime area at the
// top, never handed to the guest) so that the wasm tier can check accesses without leaving wasm.

import { GuestSignal, SiCode, Sig } from '../signals.js';
import type { GuestAddr } from '../types.js';
import { assert } from '../types.js';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

/** Page-table bits: the PROT_* values, MAPPED for a page that exists at all, and R2 / W2 for a
 *  page that allows R / W and whose next page does too: the wasm tier checks an access of 2–8
 *  bytes with one table load, whether or not it crosses into the next page. */
export const enum Perm { R = 1, W = 2, X = 4, MAPPED = 8, R2 = 16, W2 = 32 }
/** Pages in the 4 GiB space (entries of the page table). */
const NPAGES = 1 << 20;

/** Layout of the 4 GiB space. The guest owns [GUEST_MIN, RUNTIME_BASE). */
export const Layout = {
  GUEST_MIN: 0x10000, // Linux's default mmap_min_addr: page 0 … 15 stay unmapped
  RUNTIME_BASE: 0xff000000, // crossrun's own area: tier 0's block arena, CPU states, page table and scratch
  CPU_STATE: 0xffe00000, // CPU state slots of the tasks, CPU_STATE_SIZE bytes each
  CPU_STATE_SIZE: 0x1000,
  PAGE_TABLE: 0xfff00000, // 1 MiB: 2^20 pages × 1 byte
  STACK_TOP: 0xff000000, // initial stack grows down from here
  MMAP_TOP: 0xf0000000, // top-down mmap placement starts below here (stack gap above)
  PIE_BASE: 0x40000000, // where an ET_DYN main program is loaded
} as const;

export interface Region {
  start: GuestAddr;
  end: GuestAddr; // exclusive, page aligned
  prot: number; // PROT_* bits
  name: string; // "[stack]", "[heap]", a path, or "" for anonymous
  offset: number; // file offset of start, for /proc/self/maps
}

/** Anonymous memory (its contents are not a file's). */
export function isAnonymous(r: Readonly<Region>): boolean {
  return r.name === '' || r.name.startsWith('[');
}

const ZERO_CHUNK = new Uint8Array(64 * 1024);

export function pageAlignUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
export function pageAlignDown(n: number): number {
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}

export class AddressSpace {
  readonly memory: WebAssembly.Memory;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** One byte per page: Perm bits. A view into `memory` at Layout.PAGE_TABLE. */
  readonly pageTable: Uint8Array;
  /** Mapped regions, sorted by start, non-overlapping; adjacent ones may share attributes. */
  private regions: Region[] = [];
  /** Pages whose R and W bits are cleared in pageTable so that every guest access to them takes
   *  the slow path (gdb watchpoints): page number → its real permission bits. */
  private readonly trapped = new Map<number, number>();
  /** Called when pages that may hold translated code change (unmap, protect, fixed remap). */
  onCodeChange: (start: GuestAddr, end: GuestAddr) => void = () => {};
  /** One byte per 64 KiB chunk: 1 if the chunk may hold non-zero bytes. A chunk is marked when
   *  any page of it is mapped accessible or named (file contents are copied in), made accessible,
   *  or written by a privileged writer here, and stays marked after an unmap until cleared; map
   *  and reset skip the zero check of unmarked chunks. Go maps and unmaps 64 MiB PROT_NONE
   *  reservations by the hundred: checking them cost ~0.2 s. */
  private readonly dirty = new Uint8Array(2 ** 32 / ZERO_CHUNK.length);

  constructor() {
    // shared: a non-shared 4 GiB memory makes V8 run a full GC per allocation (external-memory
    // accounting), 10–20 ms of a short run; a shared one does not. TextDecoder rejects views of
    // shared memory: decode guest bytes from a copy (Buffer.from(view) copies).
    this.memory = new WebAssembly.Memory({ initial: 65536, maximum: 65536, shared: true });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
    this.pageTable = this.bytes.subarray(Layout.PAGE_TABLE, Layout.PAGE_TABLE + (1 << 20));
  }

  /** fork: a new address space with the same mappings and contents. Only mapped pages are
   *  copied, and chunks that are still zero are skipped (they stay uncommitted in the copy);
   *  the page table comes along (a debugger's trapped pages are not: the child is not watched).
   *  `into`: an empty space to fill (a recycled one, see reset). */
  forkCopy(into?: AddressSpace): AddressSpace {
    const child = into ?? new AddressSpace();
    const src = this.bytes;
    const dst = child.bytes;
    const CHUNK = ZERO_CHUNK.length;
    for (const r of this.regions) {
      for (let a = r.start; a < r.end; a += CHUNK) {
        const n = Math.min(CHUNK, r.end - a);
        const part = src.subarray(a, a + n);
        if (Buffer.compare(part, ZERO_CHUNK.subarray(0, n)) !== 0) dst.set(part, a);
      }
    }
    child.pageTable.set(this.pageTable);
    child.dirty.set(this.dirty);
    child.regions = this.regions.map((r) => ({ ...r }));
    for (const [k, v] of this.trapped) {
      child.pageTable[k] = v;
      child.pairBits(k, k + 1);
    }
    return child;
  }

  /** Copies of the writable pages that hold anything but zeros, by page number: what a vfork
   *  child starts with, to find later which pages it wrote (writeBackChanges). */
  snapshotWritable(): Map<number, Uint8Array> {
    const snap = new Map<number, Uint8Array>();
    const zero = ZERO_CHUNK.subarray(0, PAGE_SIZE);
    for (const r of this.regions) {
      if (!(r.prot & Perm.W)) continue;
      for (let a = r.start; a < r.end; a += PAGE_SIZE) {
        const page = this.bytes.subarray(a, a + PAGE_SIZE);
        if (Buffer.compare(page, zero) !== 0) snap.set(a >>> PAGE_SHIFT, page.slice());
      }
    }
    return snap;
  }

  /** The writable pages of this space that differ from `snap` (absent: zero) are copied into
   *  `target` where it maps them: a vfork child's writes, made visible to the parent whose memory
   *  the real child would have shared. Returns the number of pages copied. */
  writeBackChanges(snap: Map<number, Uint8Array>, target: AddressSpace): number {
    const zero = ZERO_CHUNK.subarray(0, PAGE_SIZE);
    let n = 0;
    for (const r of this.regions) {
      if (!(r.prot & Perm.W)) continue;
      for (let a = r.start; a < r.end; a += PAGE_SIZE) {
        const p = a >>> PAGE_SHIFT;
        const page = this.bytes.subarray(a, a + PAGE_SIZE);
        if (Buffer.compare(page, snap.get(p) ?? zero) === 0 || !(target.perm(p) & Perm.MAPPED)) continue;
        target.bytes.set(page, a);
        target.markDirty(a, a + PAGE_SIZE);
        n++;
      }
    }
    return n;
  }

  /** Back to a fresh, empty space, for reuse by another process (allocating a 4 GiB memory costs
   *  milliseconds and pressures the garbage collector): every chunk that may hold data (mapped,
   *  or unmapped and not cleared yet, see unmap) and the runtime area are zeroed (only chunks
   *  that are not zero already are written), the regions forgotten. */
  reset(): void {
    this.zero(0, Layout.RUNTIME_BASE);
    // The runtime's own area is written freely from the CPU states up; tier 0's block arena below
    // them marks what it writes (it is large and mostly untouched).
    this.markDirty(Layout.CPU_STATE, 2 ** 32);
    this.zero(Layout.RUNTIME_BASE, 2 ** 32);
    this.regions = [];
    this.trapped.clear();
    this.onCodeChange = () => {};
  }

  // ---- checks on guest accesses

  /** Throws SIGSEGV unless [addr, addr+len) is mapped with all of `need` (Perm bits). */
  check(addr: number, len: number, need: number): void {
    // Fast path: an access within one page that has the permissions (every instruction fetch,
    // most syscall buffers). `addr >>> 0 === addr`: an integer in [0, 2^32).
    if (
      len > 0 && (addr >>> 0) === addr && (addr & PAGE_MASK) + len <= PAGE_SIZE && addr < Layout.RUNTIME_BASE &&
      (this.pageTable[addr >>> PAGE_SHIFT] & need) === need
    ) return;
    if (len <= 0) return;
    if (addr < 0 || addr + len > Layout.RUNTIME_BASE || !Number.isInteger(addr)) {
      throw new GuestSignal(Sig.SEGV, SiCode.SEGV_MAPERR, addr >>> 0);
    }
    const pt = this.pageTable;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = addr >>> PAGE_SHIFT; p <= last; p++) {
      let perm = pt[p];
      if ((perm & need) !== need && (this.trapped.size === 0 || ((perm = this.perm(p)) & need) !== need)) {
        const at = Math.max(addr, p * PAGE_SIZE); // not <<: pages at 2 GiB and up would go negative
        throw new GuestSignal(Sig.SEGV, perm & Perm.MAPPED ? SiCode.SEGV_ACCERR : SiCode.SEGV_MAPERR, at);
      }
    }
  }
  /** The real permission bits of a page (pageTable may have R/W cleared for a trapped page). */
  perm(page: number): number {
    return this.trapped.get(page) ?? this.pageTable[page];
  }
  /** Whether every page of [addr, addr + len) is executable. */
  executable(addr: number, len: number): boolean {
    const pt = this.pageTable;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = addr >>> PAGE_SHIFT; p <= last; p++) {
      if ((pt[p] & Perm.X) === 0 && (this.perm(p) & Perm.X) === 0) return false;
    }
    return true;
  }
  /** Send every guest load and store on a page through the runtime's slow path (on), or stop
   *  doing so (off). Guest-visible permissions do not change. */
  trapAccess(page: number, on: boolean): void {
    const pt = this.pageTable;
    const real = this.trapped.get(page);
    if (on && real === undefined) {
      this.trapped.set(page, pt[page] & ~(Perm.R2 | Perm.W2));
      pt[page] &= ~(Perm.R | Perm.W);
    } else if (!on && real !== undefined) {
      this.trapped.delete(page);
      pt[page] = real;
    }
    this.pairBits(page, page + 1);
  }
  /** Set the permission byte of pages [first, end), keeping trapped pages trapped. */
  private setPerms(first: number, end: number, value: number): void {
    const pt = this.pageTable;
    if (this.trapped.size === 0 && end - first > 1) {
      // Every page but the last pairs with a page of the same value: one fill (a Go program maps
      // and unmaps 64 MiB by the hundred: a page-by-page pairBits cost ~13 ms of its run).
      pt.fill(value | ((value & (Perm.R | Perm.W)) << 4), first, end - 1);
      pt[end - 1] = value;
      this.pairBits(first - 1, first);
      this.pairBits(end - 1, end);
      return;
    }
    pt.fill(value, first, end);
    if (this.trapped.size !== 0) {
      for (const p of this.trapped.keys()) {
        if (p >= first && p < end) {
          this.trapped.set(p, value);
          pt[p] = value & ~(Perm.R | Perm.W);
        }
      }
    }
    this.pairBits(first, end);
  }
  /** Recompute R2 and W2 of the pages whose own or next page's bits may have changed: those
   *  of [first, end), and the one before. */
  private pairBits(first: number, end: number): void {
    const pt = this.pageTable;
    const last = Math.min(end, NPAGES - 1);
    for (let p = Math.max(first - 1, 0); p < last; p++) {
      const both = pt[p] & pt[p + 1];
      pt[p] = (pt[p] & ~(Perm.R2 | Perm.W2)) | ((both & (Perm.R | Perm.W)) << 4);
    }
    if (end >= NPAGES) pt[NPAGES - 1] &= ~(Perm.R2 | Perm.W2);
  }

  /** Like check but answers instead of throwing (for syscalls: EFAULT). */
  ok(addr: number, len: number, need: number): boolean {
    try {
      this.check(addr, len, need);
      return true;
    } catch (e) {
      if (e instanceof GuestSignal) return false;
      throw e;
    }
  }

  // ---- checked access for the syscall layer and loader (guest-visible permissions apply)

  /** A live view of guest bytes (no copy). */
  read(addr: GuestAddr, len: number): Uint8Array {
    this.check(addr, len, Perm.R);
    return this.bytes.subarray(addr, addr + len);
  }
  /** A live writable view of guest bytes (no copy). */
  writable(addr: GuestAddr, len: number): Uint8Array {
    this.check(addr, len, Perm.W);
    return this.bytes.subarray(addr, addr + len);
  }
  write(addr: GuestAddr, data: Uint8Array): void {
    this.writable(addr, data.length).set(data);
  }
  /** NUL-terminated string starting at addr, at most max bytes, as raw bytes. */
  readCStringBytes(addr: GuestAddr, max = 4096): Uint8Array {
    let end = addr;
    const limit = addr + max;
    for (;;) {
      this.check(end, 1, Perm.R);
      // scan the rest of this page without re-checking
      const pageEnd = Math.min(((end >>> PAGE_SHIFT) + 1) * PAGE_SIZE, limit);
      const i = this.bytes.subarray(end, pageEnd).indexOf(0);
      if (i >= 0) return this.bytes.subarray(addr, end + i);
      end = pageEnd;
      if (end >= limit) throw new GuestSignal(Sig.SEGV, SiCode.SEGV_MAPERR, end); // too long: callers map to ENAMETOOLONG/EFAULT
    }
  }
  readCString(addr: GuestAddr, max = 4096): string {
    return Buffer.from(this.readCStringBytes(addr, max)).toString('utf8');
  }

  // ---- mapping

  /** Current regions (copy), for /proc/self/maps and tests. */
  list(): Region[] {
    return this.regions.map((r) => ({ ...r }));
  }
  /** The region holding addr, if any (not a copy: read it, do not keep it). */
  regionAt(addr: GuestAddr): Readonly<Region> | undefined {
    const r = this.regions[this.firstEndingAfter(addr)];
    return r !== undefined && r.start <= addr ? r : undefined;
  }
  /** The index of the first region that ends after addr (regions.length: none). */
  private firstEndingAfter(addr: GuestAddr): number {
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid].end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Is every page of [addr, addr+len) mapped? */
  isMapped(addr: GuestAddr, len: number): boolean {
    return this.ok(addr, len, Perm.MAPPED);
  }
  /** Is any page of [addr, addr+len) mapped? */
  anyMapped(addr: GuestAddr, len: number): boolean {
    // (from the regions, not page by page: the Go runtime maps 64 MiB at a time)
    const r = this.regions[this.firstEndingAfter(addr)];
    return r !== undefined && r.start < addr + len;
  }

  /** Highest free, page-aligned gap of len bytes below `below` (top-down, like Linux's mmap). */
  findFree(len: number, below: number = Layout.MMAP_TOP, align = PAGE_SIZE): GuestAddr | null {
    len = pageAlignUp(len);
    let top = Math.floor(below / align) * align;
    // walk regions from the top down
    for (let i = this.regions.length - 1; i >= -1; i--) {
      const r = i >= 0 ? this.regions[i] : null;
      const floor = r ? r.end : Layout.GUEST_MIN;
      if (r && r.start >= top) continue;
      const start = Math.floor((top - len) / align) * align;
      if (start >= floor && start >= Layout.GUEST_MIN) return start;
      if (!r) return null;
      top = Math.min(top, r.start);
    }
    return null;
  }

  /** Map [addr, addr+len) with prot, replacing whatever was there; the pages read as zero.
   *  addr and len must be page aligned; the range must lie in the guest's part. */
  map(addr: GuestAddr, len: number, prot: number, name = '', offset = 0): void {
    assert((addr & PAGE_MASK) === 0 && (len & PAGE_MASK) === 0 && len > 0, 'map: unaligned');
    assert(addr >= 0 && addr + len <= Layout.RUNTIME_BASE, 'map: outside the guest area');
    if (this.anyMapped(addr, len)) this.unmap(addr, len);
    // Unmapped pages keep what they held (unmap leaves it): cleared here, where they are used again.
    this.zero(addr, addr + len);
    this.setPerms(addr >>> PAGE_SHIFT, (addr + len) >>> PAGE_SHIFT, (prot & 7) | Perm.MAPPED);
    if (prot & 7 || name !== '') this.markDirty(addr, addr + len);
    this.insertRegion({ start: addr, end: addr + len, prot: prot & 7, name, offset });
  }

  /** Unmap any pages in the range (unmapped holes are fine, as for munmap). Their bytes stay
   *  (their chunks still marked dirty) until map() or reset() clears them: nothing reads unmapped
   *  memory meanwhile, and most of it is never mapped again. (A program that frees a 64 MiB block
   *  before it exits spent ~25 ms zeroing it here.) */
  unmap(addr: GuestAddr, len: number): void {
    const end = addr + len;
    this.cutRegions(addr, end);
    this.setPerms(addr >>> PAGE_SHIFT, end >>> PAGE_SHIFT, 0);
    this.onCodeChange(addr, end);
  }

  /** Zero [start, end), writing only chunks that are not zero already: untouched host pages stay
   *  uncommitted (a large reservation that the guest never used costs no RSS to unmap). Chunks
   *  wholly zeroed are unmarked unless `keepMarks` (they stay mapped and writable). */
  private zero(start: number, end: number, keepMarks = false): void {
    const CHUNK = ZERO_CHUNK.length;
    for (let a = start; a < end; ) {
      const c = Math.floor(a / CHUNK);
      const next = Math.min((c + 1) * CHUNK, end);
      if (this.dirty[c]) {
        const part = this.bytes.subarray(a, next);
        if (Buffer.compare(part, ZERO_CHUNK.subarray(0, next - a)) !== 0) part.fill(0);
        if (!keepMarks && a === c * CHUNK && next === (c + 1) * CHUNK) this.dirty[c] = 0; // all of it is zero now
      }
      a = next;
    }
  }

  /** Mapped pages [start, end) read back as zero from now on (madvise MADV_DONTNEED), without
   *  writing the ones that are zero already: glibc gives back each exited thread's 8 MiB stack
   *  that way, and a fill of it committed and cleared all of it (~6 ms a thread). */
  discard(start: number, end: number): void {
    this.zero(start, end, true);
  }
  /** [start, end) may now hold non-zero bytes: for writers that bypass the page permissions into
   *  pages that are not accessible (the loader, gdb, mremap); accessible mappings are marked. */
  markDirty(start: number, end: number): void {
    if (end > start) this.dirty.fill(1, Math.floor(start / ZERO_CHUNK.length), Math.ceil(end / ZERO_CHUNK.length));
  }

  /** Change permissions; false if any page in the range is unmapped (mprotect's ENOMEM). */
  protect(addr: GuestAddr, len: number, prot: number): boolean {
    const end = addr + len;
    if (!this.isMapped(addr, len)) return false;
    const pieces = this.cutRegions(addr, end);
    for (const r of pieces) this.insertRegion({ ...r, prot: prot & 7 });
    if (prot & 7) this.markDirty(addr, end);
    this.setPerms(addr >>> PAGE_SHIFT, end >>> PAGE_SHIFT, (prot & 7) | Perm.MAPPED);
    this.onCodeChange(addr, end);
    return true;
  }

  /** Rename a mapped range (e.g. "[heap]") without touching contents or permissions. */
  rename(addr: GuestAddr, len: number, name: string): void {
    for (const r of this.cutRegions(addr, addr + len)) this.insertRegion({ ...r, name });
  }

  /** Remove [start, end) from the region list; returns the removed pieces (clipped). */
  private cutRegions(start: number, end: number): Region[] {
    const kept: Region[] = [];
    const removed: Region[] = [];
    for (const r of this.regions) {
      if (r.end <= start || r.start >= end) {
        kept.push(r);
        continue;
      }
      if (r.start < start) kept.push({ ...r, end: start });
      if (r.end > end) kept.push({ ...r, start: end, offset: r.offset + (end - r.start) });
      const s = Math.max(r.start, start);
      removed.push({ ...r, start: s, end: Math.min(r.end, end), offset: r.offset + (s - r.start) });
    }
    this.regions = kept;
    return removed;
  }
  private insertRegion(r: Region): void {
    let i = this.regions.findIndex((x) => x.start > r.start);
    if (i < 0) i = this.regions.length;
    this.regions.splice(i, 0, r);
  }
}
