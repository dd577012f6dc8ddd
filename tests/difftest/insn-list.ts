// The instruction list a difftest generator builds, and for each instruction the generator class
// that made it (mismatch reports name it). Shared by the ISAs' generators; each gives its encoder.

export class InsnList<I> {
  insns: I[] = [];
  origins: string[] = [];
  /** The class being generated, recorded per instruction. */
  current = '';

  constructor(private readonly encodeInsn: (name: string, args: Readonly<Record<string, number>>) => I) {}

  emit(name: string, args: Readonly<Record<string, number>> = {}): void {
    this.insns.push(this.encodeInsn(name, args));
    this.origins.push(this.current);
  }

  /** Run fn and return what it emitted, taking it out of the instruction list. */
  capture(fn: () => void): I[] {
    const start = this.insns.length;
    fn();
    this.origins.splice(start);
    return this.insns.splice(start);
  }

  /** Append instructions made by capture(). */
  append(insns: readonly I[]): void {
    for (const i of insns) {
      this.insns.push(i);
      this.origins.push(this.current);
    }
  }
}
