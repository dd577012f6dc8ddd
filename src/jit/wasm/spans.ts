// Loop structure of a region: which blocks (in layout order) form loops, nested, so that the
// compiler gives each loop its own wasm `loop`. See buildSpans.
import type { IRBlock } from '../ir.js';

/** A loop in the region's layout: blocks first…last, with nested spans. The root spans all. */
export interface Span {
  id: number;
  first: number;
  last: number;
  parent: Span | null;
  items: ({ kind: 'block'; k: number } | { kind: 'span'; span: Span })[];
  /** Block index → index of the item holding it (for first…last). */
  itemOf: number[];
  /** Needs a dispatch on $idx at its top (more than one item). */
  dispatch: boolean;
}

/**
 * Loop spans from the region's backward edges (j → k, k ≤ j, in layout order): each gives [k, j];
 * overlapping ones merge until they nest. Loops then get their own wasm `loop`, so a back-edge is
 * a branch to its loop's top, not through one dispatch for the whole region (V8 allocates
 * registers far better around small loops than around one big merge point).
 */
export function buildSpans(blocks: readonly IRBlock[], index: Map<number, number>): { root: Span; spanOf: Span[] } {
  const n = blocks.length;
  let ranges: [number, number][] = [];
  blocks.forEach((b, j) => {
    const e = b.end;
    const targets = e.op === 'goto' ? [e.pc] : e.op === 'branch' ? [e.taken, e.fall] : [];
    for (const t of targets) {
      const k = index.get(t);
      if (k !== undefined && k <= j) ranges.push([k, j]);
    }
  });
  // merge until laminar (any two are disjoint or nested)
  for (let changed = true; changed; ) {
    changed = false;
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const out: [number, number][] = [];
    for (const r of ranges) {
      const o = out.find((x) => (x[0] < r[0] && r[0] <= x[1] && x[1] < r[1]) || (r[0] < x[0] && x[0] <= r[1] && r[1] < x[1]));
      if (o !== undefined) {
        o[0] = Math.min(o[0], r[0]);
        o[1] = Math.max(o[1], r[1]);
        changed = true;
      } else if (!out.some((x) => x[0] === r[0] && x[1] === r[1])) out.push([r[0], r[1]]);
    }
    ranges = out;
  }
  ranges = ranges.filter((r) => !(r[0] === 0 && r[1] === n - 1));
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let id = 0;
  const mk = (first: number, last: number, parent: Span | null): Span => ({ id: id++, first, last, parent, items: [], itemOf: [], dispatch: false });
  const root = mk(0, n - 1, null);
  const spanOf: Span[] = new Array(n).fill(root);
  // nest: ranges sorted by start, outer first
  const stack: Span[] = [root];
  for (const [f, l] of ranges) {
    while (!(stack[stack.length - 1].first <= f && l <= stack[stack.length - 1].last)) stack.pop();
    const sp = mk(f, l, stack[stack.length - 1]);
    for (let k = f; k <= l; k++) spanOf[k] = sp;
    stack.push(sp);
  }
  // items: each span's direct blocks and child spans, in order
  const fill = (sp: Span) => {
    for (let k = sp.first; k <= sp.last; ) {
      let c = spanOf[k];
      if (c === sp) {
        sp.itemOf[k] = sp.items.length;
        sp.items.push({ kind: 'block', k });
        k++;
        continue;
      }
      while (c.parent !== sp) c = c.parent as Span;
      for (let x = c.first; x <= c.last; x++) sp.itemOf[x] = sp.items.length;
      sp.items.push({ kind: 'span', span: c });
      fill(c);
      k = c.last + 1;
    }
    sp.dispatch = sp.parent === null || sp.items.length > 1;
  };
  fill(root);
  return { root, spanOf };
}
