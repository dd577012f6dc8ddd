import { it } from 'vitest';
import { FORMATS, Prng, randEdgeArgs, expectArith } from './fpu/harness.js';
it('stats', () => {
  for (const f of FORMATS) for (const op of ['mul','div','fma'] as const) {
    const r = new Prng(f.bits * 1000 + 7);
    const c = { ties: 0, tinyDiff: 0, uf:0, of:0, n: 0 };
    for (let i = 0; i < 600; i++) {
      const args = randEdgeArgs(r, f, op);
      const a = expectArith(f, op, 0, args, true), b = expectArith(f, op, 4, args, true), t = expectArith(f, op, 0, args, false);
      c.n++; if (a.bits !== b.bits) c.ties++; if (a.flags !== t.flags) c.tinyDiff++; if (a.flags&2) c.uf++; if (a.flags&4) c.of++;
    }
    console.log(f.bits, op, JSON.stringify(c));
  }
});
