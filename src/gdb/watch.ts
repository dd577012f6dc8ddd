// Watchpoints (Z2 write, Z3 read, Z4 access). Pages that hold a watched byte are trapped in the
// address space (their fast-path R/W bits cleared), so every guest load and store there reaches
// Tier0Runtime's slow path, which calls our hook; accesses elsewhere cost nothing extra.
import { WatchHit } from '../engine/machine.js';
import type { Tier0Runtime } from '../jit/interp/runtime.js';
import { PAGE_SHIFT, Perm, type AddressSpace } from '../mem/address-space.js';

export type WatchType = WatchHit['type'];

interface Watch {
  readonly type: WatchType;
  readonly addr: number;
  readonly len: number;
}

/** Which accesses each type catches (Perm bits of the access). */
const CATCHES: Readonly<Record<WatchType, number>> = { write: Perm.W, read: Perm.R, access: Perm.R | Perm.W };

export class Watchpoints {
  private list: Watch[] = [];
  private pages = new Set<number>();

  constructor(
    private readonly mem: AddressSpace,
    private readonly rt: Tier0Runtime,
    /** Report after the access instead of before (the ISA's watchpoints fire after it). */
    private readonly after: boolean,
  ) {}

  get size(): number {
    return this.list.length;
  }

  add(type: WatchType, addr: number, len: number): boolean {
    if (len <= 0 || addr < 0 || addr + len > 2 ** 32) return false;
    if (!this.list.some((w) => w.type === type && w.addr === addr && w.len === len)) this.list.push({ type, addr, len });
    this.update();
    return true;
  }

  remove(type: WatchType, addr: number, len: number): void {
    this.list = this.list.filter((w) => !(w.type === type && w.addr === addr && w.len === len));
    this.update();
  }

  clear(): void {
    this.list = [];
    this.update();
  }

  /** The hook: throws WatchHit for an access that a watchpoint catches. */
  private check = (addr: number, size: number, need: number): void => {
    for (const w of this.list) {
      if ((CATCHES[w.type] & need) !== 0 && addr < w.addr + w.len && w.addr < addr + size) {
        throw new WatchHit(Math.max(addr, w.addr), w.type, this.after);
      }
    }
  };

  /** Trap exactly the pages that hold watched bytes; hook in while there are any. */
  private update(): void {
    const want = new Set<number>();
    for (const w of this.list) {
      for (let p = w.addr >>> PAGE_SHIFT; p <= (w.addr + w.len - 1) >>> PAGE_SHIFT; p++) want.add(p);
    }
    for (const p of this.pages) if (!want.has(p)) this.mem.trapAccess(p, false);
    for (const p of want) if (!this.pages.has(p)) this.mem.trapAccess(p, true);
    this.pages = want;
    this.rt.watch = this.list.length > 0 ? this.check : null;
  }
}
