// The -d / -D log: qemu's item names, one sink. Engine and syscall layer write through it.

export type LogItem = 'in_asm' | 'exec' | 'unimp' | 'strace' | 'int' | 'page' | 'guest_errors';
export const LOG_ITEMS: ReadonlyArray<{ name: LogItem; help: string }> = [
  { name: 'in_asm', help: 'show target assembly code for each compiled TB' },
  { name: 'exec', help: 'show trace before each executed TB' },
  { name: 'int', help: 'show interrupts/exceptions (guest signals)' },
  { name: 'page', help: 'dump pages at beginning of user mode emulation' },
  { name: 'guest_errors', help: 'log when the guest OS does something invalid' },
  { name: 'unimp', help: 'log unimplemented functionality' },
  { name: 'strace', help: 'log every user-mode syscall, its input, and its result' },
];

export class Logger {
  constructor(
    readonly items: ReadonlySet<LogItem> = new Set(),
    /** Receives whole lines without the trailing newline. Default: stderr. */
    private readonly sink: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  ) {}
  on(item: LogItem): boolean {
    return this.items.has(item);
  }
  log(line: string): void {
    this.sink(line);
  }
}
