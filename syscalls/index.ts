// The Linux personality: the engine calls Linux.syscall at each guest syscall. Handlers are shared
// across ISAs; everything per-ABI (numbers, struct layouts, errno, flag values) is data in abi/.
import { Block, ImageReplaced } from './blocking.js';
import { RaiseSignal, errnoOf } from './errors.js';
import type { LinuxOptions } from './options.js';
import { GuestProcess } from './process.js';
import type { Disposition } from './sigstate.js';
import { Strace } from './strace.js';
import { dispatchTable, type DispatchEntry } from './table.js';

export { ProcessExit } from './handlers/process-info.js';
export { GuestProcess } from './process.js';
export type { LinuxOptions } from './options.js';
export { hostVfs, memVfs, type Vfs, type VfsHandle, type VfsStat } from './vfs.js';

export class Linux {
  /** The process state (fd table, cwd, signals…), for the engine and tests. */
  readonly process: GuestProcess;
  /** When a syscall ends by throwing a GuestSignal, the value it completed with (0 for kill of
   *  self, -EPIPE for a write that raised SIGPIPE), for the result register if a handler returns. */
  lastSignalResult = 0n;
  private readonly table: Array<DispatchEntry | undefined>;
  private readonly strace: Strace;
  private readonly enosys: bigint;

  /** A first process from options, or the personality of a process that exists (a fork child,
   *  or a process whose image execve replaced). */
  constructor(opts: LinuxOptions | GuestProcess) {
    this.process = opts instanceof GuestProcess ? opts : new GuestProcess(opts);
    this.table = dispatchTable(this.process.abi);
    this.strace = new Strace(this.process);
    this.enosys = this.process.errnoValue('ENOSYS');
  }

  /** Run syscall nr with the raw argument registers. Returns the value for the result register
   *  (negative errno as two's complement 64-bit). May throw ProcessExit, or GuestSignal for a
   *  signal the syscall raises on the calling task. */
  syscall(nr: number, args: readonly bigint[]): bigint {
    const p = this.process;
    const logger = p.logger;
    const entry = this.table[nr];
    const def = entry?.def;
    const tracing = logger.on('strace');
    if (!entry || !def) {
      if (logger.on('unimp')) logger.log(`Unsupported syscall: ${nr}${entry ? ` (${entry.name})` : ''}`);
      if (tracing) {
        logger.log(entry
          ? this.strace.line(entry.name, this.strace.args(undefined, args), this.strace.result(undefined, args, this.enosys))
          : `${p.pid} Unknown syscall ${nr}`);
      }
      return this.enosys;
    }
    const argText = tracing ? this.strace.args(def, args) : '';
    if (tracing && def.ret === 'noreturn') logger.log(this.strace.line(entry.name, argText, null));
    let result: bigint;
    try {
      const r = def.run(p, args);
      result = BigInt.asUintN(64, typeof r === 'bigint' ? r : BigInt(r));
    } catch (e) {
      if (e instanceof Block) {
        // A blocking call is logged when it completes (the engine calls trace then).
        if (tracing) e.wait.trace = (r) => logger.log(this.strace.line(entry.name, argText, r === null ? '? (restarted)' : this.strace.result(def, args, r)));
        throw e;
      }
      if (e instanceof ImageReplaced) {
        if (tracing) logger.log(this.strace.line(entry.name, argText, this.strace.result(def, args, 0n)));
        throw e;
      }
      if (e instanceof RaiseSignal) {
        if (tracing) logger.log(this.strace.line(entry.name, argText, this.strace.result(def, args, e.result)));
        this.lastSignalResult = e.result;
        throw e.signal;
      }
      const code = errnoOf(e);
      if (code === null) throw e;
      result = p.errnoValue(code);
    }
    if (tracing) logger.log(this.strace.line(entry.name, argText, this.strace.result(def, args, result)));
    return result;
  }

  /** What to do with a synchronous or self-sent signal (generic numbering, as in GuestSignal). */
  signalDisposition(sig: number): Disposition {
    const s = this.process.sig;
    return s.disposition(s.fromGeneric(sig));
  }
}

