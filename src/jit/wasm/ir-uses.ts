// Which temps an IR op reads and defines, and which ops may write their result straight into a
// guest register local: the facts the region compiler's liveness and forwarding work from.
import type { Op as IROp, RmArg, Temp } from '../ir.js';

/** Temps an op reads. */
export function uses(op: IROp): Temp[] {
  switch (op.op) {
    case 'bin': return [op.a, op.b];
    case 'un': case 'wrap': case 'extend': case 'sext': case 'fclass': return [op.a];
    case 'select': return [op.cond, op.a, op.b];
    case 'set': return [op.value];
    case 'load': case 'll': return [op.addr];
    case 'store': case 'amo': case 'sc': return [op.addr, op.value];
    case 'cas': return [op.addr, op.expected, op.value];
    case 'fbin': return withRm([op.a, op.b], op.rm);
    case 'ffma': return withRm([op.a, op.b, op.c], op.rm);
    case 'fsqrt': case 'f2i': case 'i2f': case 'f2f': return withRm([op.a], op.rm);
    case 'fcmp': return op.mode === undefined ? [op.a, op.b] : [op.a, op.b, op.mode];
    case 'helper': return [...op.args];
    default: return [];
  }
}
function withRm(ts: Temp[], rm: RmArg): Temp[] {
  if ('dyn' in rm) ts.push(rm.dyn);
  return ts;
}
/** Temps an op defines. */
export function defs(op: IROp): Temp[] {
  if (!('out' in op)) return [];
  if (op.op === 'helper') return [op.out, op.out2];
  const f = 'flags' in op ? op.flags : undefined;
  return f === undefined ? [op.out] : [op.out, f];
}
/** Ops whose code reads all operands before it writes its result, once, at the end: their result
 *  may go straight into a guest register local. */
export const SINKABLE = new Set<IROp['op']>(['bin', 'un', 'wrap', 'extend', 'sext', 'select', 'load', 'get']);
