// Words the scheduler keeps in guest memory's runtime area (never visible to the guest), so that
// compiled code can see them without a call: the contract with the region tier (src/jit/wasm).
// See src/engine/README.md.
import { SCHED_PREEMPT, SCHED_SLICE_END } from '../jit/wasm/layout.js';

/** One page just below the region tier's own area (the last CPU-state page, which the engine does
 *  not use: tasks share the live state area and keep copies while switched out); the addresses
 *  are the tier's (src/jit/wasm/layout.ts), which reads them from compiled code. */
export const SCHED_BASE = SCHED_SLICE_END;

export const SchedSlot = {
  /** i64: the value of the running task's instruction count (Tier0Runtime.instret, tier 1's
   *  ICOUNT) at which its slice ends. Compiled code should return to the engine (Why.NONE, at a
   *  region back-edge or exit) once its count reaches it. */
  SLICE_END: SCHED_SLICE_END,
  /** i32: nonzero asks compiled code to return to the engine at the next back-edge or region exit
   *  whatever the count (a signal is pending for the running thread, another task must run). The
   *  engine sets it before running guest code and clears it when it takes control back. */
  PREEMPT: SCHED_PREEMPT,
} as const;

/** Writes the slice words before a slice runs. */
export class SchedArea {
  private readonly i32: Int32Array;

  constructor(buffer: ArrayBufferLike) {
    this.i32 = new Int32Array(buffer, SCHED_BASE, 4);
  }

  startSlice(end: number): void {
    this.i32[0] = end % 2 ** 32 | 0;
    this.i32[1] = Math.floor(end / 2 ** 32);
    this.i32[2] = 0;
  }

  /** Ask the running code to stop at its next safe point. */
  preempt(): void {
    this.i32[2] = 1;
  }
}
