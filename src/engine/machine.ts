// The run loop of one guest task: find or translate the block at pc, run it, handle its exit
// (syscall, trap, code flush) and guest signals, until the process exits.
import type { ArchSpec, CodeFetch } from '../arch/arch.js';
import { compileBlock, type CompiledBlock } from '../jit/interp.js';
import { Exit, Tier0Runtime } from '../jit/runtime.js';
import type { Logger } from '../log.js';
import { Perm, type AddressSpace } from '../mem/address-space.js';
import { GuestSignal, SIGNAL_NAMES, Sig } from '../signals.js';
import type { RunResult } from '../index.js';
import { ProcessExit, type Linux } from '../../syscalls/index.js';

/** Runs of a block after which it is handed to the next tier (if one is attached). */
export const HOT_THRESHOLD = 64;

/** A higher tier (src/jit/wasm): told when a block gets hot; may replace its `run`. */
export interface HotBlockSink {
  onHot(blk: CompiledBlock): void;
  /** All translations were dropped. */
  onFlush(): void;
}

const JC_BITS = 12;
const JC_MASK = (1 << JC_BITS) - 1;

export class Machine {
  private readonly blocks = new Map<number, CompiledBlock>();
  /** Direct-mapped cache in front of `blocks`, indexed by pc. */
  private readonly jc: (CompiledBlock | undefined)[] = new Array(1 << JC_BITS);
  /** Lowest and highest guest address that any live translation covers. */
  private codeLo = Infinity;
  private codeHi = -Infinity;
  readonly fetch: CodeFetch;
  pc = 0;
  tier1: HotBlockSink | null = null;

  constructor(
    readonly arch: ArchSpec,
    readonly mem: AddressSpace,
    readonly rt: Tier0Runtime,
    readonly linux: Linux,
    readonly logger: Logger,
  ) {
    const view = mem.view;
    const le = arch.endian === 'le';
    this.fetch = {
      u16: (a) => {
        mem.check(a, 2, Perm.X);
        return view.getUint16(a, le);
      },
      u32: (a) => {
        mem.check(a, 4, Perm.X);
        return view.getUint32(a, le);
      },
    };
    mem.onCodeChange = (start, end) => {
      if (start < this.codeHi && end > this.codeLo) this.flushCode();
    };
  }

  /** Drop every translation (fence.i, IC IVAU, code pages changed). */
  flushCode(): void {
    this.blocks.clear();
    this.jc.fill(undefined);
    this.codeLo = Infinity;
    this.codeHi = -Infinity;
    this.tier1?.onFlush();
  }

  private translate(pc: number): CompiledBlock {
    const ir = this.arch.lift(this.fetch, pc);
    if (this.logger.on('in_asm')) this.logBlock(pc, ir.size);
    const blk = compileBlock(ir, this.rt);
    this.blocks.set(pc, blk);
    this.codeLo = Math.min(this.codeLo, pc);
    this.codeHi = Math.max(this.codeHi, pc + Math.max(ir.size, 1));
    return blk;
  }

  private logBlock(pc: number, size: number): void {
    const lines = ['----------------', 'IN: '];
    for (let a = pc; a < pc + size; ) {
      const { text, len } = this.arch.disasm(this.fetch, a);
      const word = len === 2 ? this.fetch.u16(a) : this.fetch.u32(a);
      const bytes = word.toString(16).padStart(len * 2, '0');
      lines.push(`0x${a.toString(16).padStart(16, '0')}:  ${bytes.padEnd(18)}${text}`);
      a += len;
    }
    this.logger.log(lines.join('\n') + '\n');
  }

  /** Run until the process exits or dies. */
  run(): RunResult {
    const rt = this.rt;
    const jc = this.jc;
    const logExec = this.logger.on('exec');
    let pc = this.pc;
    for (;;) {
      let blk = jc[(pc >>> 1) & JC_MASK];
      try {
        if (blk === undefined || blk.ir.pc !== pc) {
          blk = this.blocks.get(pc) ?? this.translate(pc);
          jc[(pc >>> 1) & JC_MASK] = blk;
        }
        if (logExec) this.logger.log(`Trace 0: 0x0 [00000000/${pc.toString(16).padStart(16, '0')}/00000000/00000000] `);
        if (++blk.heat === HOT_THRESHOLD && this.tier1 !== null) this.tier1.onHot(blk);
        pc = blk.run();
        rt.instret += blk.ir.ninsns;
        if (rt.exit !== Exit.None) {
          const exit = rt.exit;
          rt.exit = Exit.None;
          if (exit === Exit.Syscall) {
            this.pc = pc;
            this.syscall();
          } else if (exit === Exit.FlushCode) {
            this.flushCode();
          } else {
            const r = this.signal(new GuestSignal(rt.trapSignal, rt.trapCode, rt.trapAddr), pc, true);
            if (r) return r;
          }
        }
      } catch (e) {
        if (e instanceof ProcessExit) return { exitCode: e.code & 0xff };
        if (e instanceof DeathBySignal) return e.result;
        if (!(e instanceof GuestSignal)) throw e;
        // A fault inside a block (its pc recorded by the block), or at fetch of pc itself.
        const at = blk !== undefined && blk.ir.pc === pc ? rt.faultPc : pc;
        const sig = e.signal === Sig.ILL && e.addr === 0 ? new GuestSignal(e.signal, e.code, at) : (e as GuestSignal);
        const r = this.signal(sig, at, true);
        if (r) return r;
      }
    }
  }

  private syscall(): void {
    const { rt, arch } = this;
    const abi = arch.syscallAbi;
    const S = rt.S;
    const nr = Number(S[abi.nrSlot] & 0xffffffffn);
    const args = abi.argSlots.map((s) => S[s]);
    try {
      S[abi.retSlot] = this.linux.syscall(nr, args);
    } catch (e) {
      if (e instanceof GuestSignal) {
        // A signal the syscall raised on this task (kill of self, SIGPIPE): its result stands.
        S[abi.retSlot] = this.linux.lastSignalResult;
        const r = this.signal(e, this.pc, false);
        if (r) throw new DeathBySignal(r);
        return;
      }
      throw e;
    }
  }

  /** Deliver a signal at pc. Returns the run's result if the signal ends the process. */
  private signal(sig: GuestSignal, pc: number, synchronous: boolean): RunResult | null {
    const disp = this.linux.signalDisposition(sig.signal);
    if (this.logger.on('int')) this.logger.log(`crossrun: signal ${sig.signal} at pc 0x${pc.toString(16)} (addr 0x${sig.addr.toString(16)})`);
    // A synchronous fault that is ignored would re-fault forever; Linux forces the default action.
    if (disp === 'ignore' && !synchronous) return null;
    if (disp === 'handler' && this.logger.on('unimp')) {
      this.logger.log(`crossrun: guest handler for signal ${sig.signal} (${SIGNAL_NAMES[sig.signal] ?? '?'}) not supported yet; default action taken`);
    }
    return { exitCode: 128 + sig.signal, signal: sig.signal, pc };
  }
}

/** Carries a death by signal out of the syscall path. */
export class DeathBySignal {
  constructor(readonly result: RunResult) {}
}
