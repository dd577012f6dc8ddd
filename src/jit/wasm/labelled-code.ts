// A wasm function body being written with named branch targets: `block`s and `if`s opened with a
// label (or none), and branches to a label by name, their depths counted here. Also scratch
// locals per type, reused from op to op. The region emitter (region-emitter.ts) and tier 0's FP
// function (../interp/eval-fp.ts) build on it; it is the structural half of fp-native.ts's FpNativeCtx.
import { Code, Op, type VT } from './encoder.js';

/** A branch target's name; null for one nothing branches to by name (an `if`). */
export type Label = string | null;

export class LabelledCode {
  private readonly labels: Label[] = [];
  private readonly scratch = new Map<VT, number[]>();

  constructor(readonly c: Code) {}

  /** Scratch local n of type t (an op's code numbers its own from 0; the next op reuses them). */
  scratchLocal(t: VT, n = 0): number {
    let list = this.scratch.get(t);
    if (list === undefined) this.scratch.set(t, (list = []));
    while (list.length <= n) list.push(this.c.local(t));
    return list[n];
  }

  protected begin(o: Op.block | Op.loop | Op.if, label: Label, bt?: number): void {
    this.c.begin(o, bt);
    this.labels.push(label);
  }
  protected end(): void {
    this.c.end();
    this.labels.pop();
  }
  /** The branch depth of the innermost open label `label`. */
  protected depth(label: string): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error(`crossrun internal error: wasm code has no label ${label} open`);
    return this.labels.length - 1 - i;
  }
  /** Whether no label is open (a finished op's code closed all it opened). */
  protected closed(): boolean {
    return this.labels.length === 0;
  }
  blockBegin(label: string): void {
    this.begin(Op.block, label);
  }
  blockEnd(): void {
    this.end();
  }
  brTo(label: string): void {
    this.c.br(this.depth(label));
  }
  brIfTo(label: string): void {
    this.c.brIf(this.depth(label));
  }
  /** Open an `if` (anonymous label), for code that may leave via labels. */
  ifBegin(bt?: number): void {
    this.begin(Op.if, null, bt);
  }
  ifElse(): void {
    this.c.op(Op.else);
  }
  ifEnd(): void {
    this.end();
  }
}
