// Guest processes as the engine makes and ends them: fork (a copy of the caller's address space
// and registers on a machine of its own), execve (a new image — any supported ISA — on a new
// machine for the same process; a host program is spawned by the host and the process waits for
// it: host-exec.ts), and the end of a process (its tasks go, the kernel side makes it a zombie;
// the first process's end ends the run and kills the rest).
import type { ArchSpec } from '../arch/arch.js';
import { archForMachine } from '../arch/registry.js';
import { isElf, parseElf, type ElfFile } from '../elf/parse.js';
import { Fpu } from '../jit/fpu.js';
import { Tier0Runtime } from '../jit/interp/runtime.js';
import type { RunResult } from '../index.js';
import type { AddressSpace } from '../mem/address-space.js';
import { Linux } from '../../syscalls/index.js';
import { AT, S_IF, S_IFMT } from '../../syscalls/abi/common.js';
import { Block, ImageReplaced } from '../../syscalls/blocking.js';
import { dumpsCore, processDied, type Death } from '../../syscalls/children.js';
import { errnoOf, fail } from '../../syscalls/errors.js';
import { markStart } from '../../syscalls/procfs/host-info.js';
import type { LinuxOptions } from '../../syscalls/options.js';
import { GuestProcess } from '../../syscalls/process.js';
import type { ExecRequest, ForkRequest } from '../../syscalls/threads.js';
import { HostChild, hostPathOf, runHostSync } from './host-exec.js';
import { loadImage } from './image.js';
import { giveSpace, takeSpace } from './memory-pool.js';
import { Machine } from './machine.js';
import { Task, type Scheduler } from './scheduler.js';
import { storeFor } from './translation-store.js';
import { nowMs } from '../clock.js';

export interface ProcessConfig {
  /** Give a new machine its tier 1 (run.ts binds the --jit mode). */
  readonly attach?: (m: Machine) => void;
  /** -L, for host programs' paths. */
  readonly ldPrefix?: string;
  readonly stackSize?: number;
}

/** Linux runs a chain of at most this many #! scripts before the program (then ELOOP: its
 *  exec_binprm gives up past depth 5). */
const MAX_SCRIPT_DEPTH = 5;
/** The part of a script's first line the kernel looks at (BINPRM_BUF_SIZE). */
const SHEBANG_MAX = 256;
/** The host's own ELF machine, for running host-native programs. */
const HOST_MACHINE: number | undefined = { x64: 62, arm64: 183, riscv64: 243 }[process.arch as string];

type ExecTarget =
  | { readonly kind: 'elf'; readonly arch: ArchSpec; readonly elf: ElfFile; readonly path: string; readonly argv: readonly string[] }
  | { readonly kind: 'host'; readonly path: string; readonly argv: readonly string[] };

/** A vfork child's tie to its waiting parent: the parent's memory and what the child started
 *  with, to copy the child's writes back (the real child shares the parent's memory). */
interface VforkShare {
  readonly parent: GuestProcess;
  readonly parentMem: AddressSpace;
  readonly snap: Map<number, Uint8Array>;
}

export class Processes {
  private config: ProcessConfig = {};
  private readonly vforkShares = new WeakMap<Machine, VforkShare>();
  /** Processes that became a host program (execve of a host-native file), while it runs. */
  private readonly hostChildren = new Map<GuestProcess, HostChild>();
  /** How long the last fork took (ms), for tests and -d. */
  lastForkMs = 0;

  constructor(private readonly sched: Scheduler, private readonly first: Machine) {}

  configure(c: ProcessConfig): void {
    this.config = c;
  }

  // ---- fork

  fork(req: ForkRequest): GuestProcess {
    const t0 = nowMs();
    const pm = this.sched.current.m;
    const p = pm.linux.process;
    const mem = pm.mem.forkCopy(takeSpace());
    const pid = p.kernel.allocId();
    const child = new GuestProcess({ ...p.opts, mem, pid }, { kernel: p.kernel, parent: p, exitSignal: req.exitSignal });
    markStart(child); // /proc/<pid>/stat's starttime
    const rt = new Tier0Runtime(mem, pm.arch.nslots, new Fpu(pm.arch.fpEnv));
    rt.instret = pm.rt.instret;
    const m = new Machine(pm.arch, mem, rt, new Linux(child), pm.logger, this.sched);
    m.store = pm.store;
    m.programMap = pm.programMap;
    m.signals.inheritFrom(pm.signals);
    if (req.vforkShared === true) this.vforkShares.set(m, { parent: p, parentMem: pm.mem, snap: mem.snapshotWritable() });
    for (const bp of pm.breakpoints) m.breakpoints.add(bp);
    if (m.breakpoints.size === 0) this.config.attach?.(m); // a debugged image stays in tier 0
    const task = new Task(child.main, m);
    const abi = pm.arch.syscallAbi;
    task.regs.set(pm.rt.S);
    task.regs[abi.retSlot] = 0n;
    if (req.stack !== 0n) task.regs[pm.arch.spSlot] = req.stack;
    if (req.tls !== null && pm.arch.signals) task.regs[pm.arch.signals.tlsSlot] = req.tls;
    pm.arch.signals?.clearExclusive?.(task.regs);
    task.pc = pm.pc;
    this.sched.addProcess(m, task);
    this.lastForkMs = nowMs() - t0;
    if (pm.logger.on('page')) pm.logger.log(`crossrun: fork ${p.pid} -> ${pid} in ${this.lastForkMs.toFixed(2)} ms`);
    return child;
  }

  // ---- execve

  exec(req: ExecRequest): never {
    const pm = this.sched.current.m;
    const p = pm.linux.process;
    const host = this.hostChildren.get(p);
    if (host !== undefined) {
      // The host program this process became has ended (its execve ran again): so does the process.
      this.hostChildren.delete(p);
      host.dispose();
      throw host.status();
    }
    const target = this.resolve(p, req.path, req.dirfd, req.flags, req.argv, 0);
    if (target.kind === 'host') return this.runHost(p, target.path, target.argv, req.env);
    const { arch, elf } = target;
    let image;
    const fresh = takeSpace();
    try {
      image = loadImage({
        arch, elf, fs: p.vfs, argv: target.argv, env: req.env, execfn: req.path, mapName: target.path,
        ldPrefix: this.config.ldPrefix, stackSize: this.config.stackSize, mem: fresh,
      });
    } catch (e) {
      giveSpace(fresh);
      // a missing or broken ELF interpreter
      return fail(errnoOf(e) ?? (String(e).includes('interpreter') ? 'ENOENT' : 'ENOEXEC'));
    }
    const opts: LinuxOptions = {
      ...p.opts, mem: image.mem, abi: arch.syscallAbi, unameMachine: arch.unameMachine, cpuinfo: arch.cpuinfo, exePath: target.path,
      brkStart: image.brkStart, argv: [...target.argv], env: [...req.env], auxv: image.auxv,
    };
    // Past here nothing fails: the old image goes (what a vfork child wrote into it first goes
    // to its parent).
    this.shareBack(pm);
    p.adoptImage(opts);
    const m = new Machine(arch, image.mem, image.rt, new Linux(p), pm.logger, this.sched);
    m.useStore(storeFor(arch, elf));
    m.programMap = image.mapName;
    m.pc = image.entry;
    this.config.attach?.(m);
    const task = new Task(p.main, m);
    task.regs.set(image.rt.S);
    task.pc = image.entry;
    this.sched.removeProcess(pm);
    this.sched.addProcess(m, task);
    this.retire(pm);
    p.vforkDone = true;
    throw new ImageReplaced();
  }

  /** What execve(path) would run: the checks and errors of the kernel's do_execve, #! scripts
   *  followed to their interpreter. */
  private resolve(p: GuestProcess, path: string, dirfd: number, flags: number, argv: readonly string[], depth: number): ExecTarget {
    let abs = p.resolve(dirfd, path, (flags & AT.AT_EMPTY_PATH) !== 0);
    if (abs === '/proc/self/exe' || abs === `/proc/${p.pid}/exe`) abs = p.opts.exePath;
    let mode: number;
    try {
      mode = p.vfs.stat(abs).mode;
    } catch (e) {
      return fail(errnoOf(e) ?? 'ENOENT');
    }
    if ((mode & S_IFMT) !== S_IF.REG || (mode & 0o111) === 0) fail('EACCES');
    let bytes: Uint8Array;
    try {
      bytes = p.vfs.readFile(abs);
    } catch (e) {
      return fail(errnoOf(e) ?? 'EACCES');
    }
    if (isElf(bytes)) {
      let elf: ElfFile;
      try {
        elf = parseElf(bytes, abs);
      } catch {
        return fail('ENOEXEC');
      }
      const arch = archForMachine(elf.machine, elf.class);
      if (arch !== undefined) return { kind: 'elf', arch, elf, path: abs, argv };
      if (elf.machine === HOST_MACHINE && elf.class === 64) return { kind: 'host', path: abs, argv };
      return fail('ENOEXEC');
    }
    if (bytes[0] === 0x23 && bytes[1] === 0x21) {
      if (depth >= MAX_SCRIPT_DEPTH) fail('ELOOP');
      const head = Buffer.from(bytes.subarray(2, SHEBANG_MAX)).toString('latin1');
      const nl = head.indexOf('\n');
      const line = (nl >= 0 ? head.slice(0, nl) : head).replace(/^[ \t]+|[ \t]+$/g, '');
      const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (m === null) return fail('ENOEXEC');
      const interp = m[1];
      const arg = m[2];
      const scriptArgv = [interp, ...(arg !== undefined && arg !== '' ? [arg] : []), path, ...argv.slice(1)];
      return this.resolve(p, interp, AT.AT_FDCWD, 0, scriptArgv, depth + 1);
    }
    return fail('ENOEXEC');
  }

  /** execve of a host-native program (host-exec.ts): the host I/O worker spawns it with the
   *  process's fds and the calling task stays blocked in execve while it runs (other threads of
   *  the process end, as at any exec; other processes run on); when it has exited and its output
   *  is delivered, execve runs again (rerun) and ends the process with its status. Without the
   *  worker it runs synchronously. */
  private runHost(p: GuestProcess, path: string, argv: readonly string[], env: readonly string[]): never {
    const prog = { path: hostPathOf(path, this.config.ldPrefix), argv, env };
    let child: HostChild;
    try {
      child = new HostChild(p, prog);
    } catch (e) {
      if (errnoOf(e) !== null) throw e;
      this.shareBack(this.sched.current.m);
      p.vforkDone = true;
      return runHostSync(p, prog); // no worker
    }
    // Past here the exec has happened.
    const pm = this.sched.current.m;
    this.shareBack(pm);
    p.vforkDone = true; // a vfork parent goes on (it may be the writer this waits for)
    this.hostChildren.set(p, child);
    const cur = this.sched.current;
    const tasks = this.sched.tasks;
    for (let k = tasks.length - 1; k >= 0; k--) {
      const t = tasks[k];
      if (t.m !== pm || t === cur) continue;
      tasks.splice(k, 1);
      t.thread.exited = true;
      p.threads.delete(t.thread.tid);
    }
    // The program has its own copies of the fds (the bridges hold what they pump); it starts with
    // every signal at its default and none blocked, so whatever the guest sends is queued here
    // and forwarded.
    p.fds.closeAll();
    p.sig.actions.clear();
    p.current.mask = 0n;
    throw new Block({
      deadline: null, polled: true, restartable: true, uninterruptible: true, rerun: true,
      poll: () => {
        child.forwardSignals(p);
        child.pump();
        return child.finished ? 0 : null;
      },
    });
  }

  // ---- the end of a process

  /** Process m ended as `r` says (an exit code or a signal). Returns the run's result when it was
   *  the first process (the others are killed then), else null. */
  ended(m: Machine, r: RunResult): RunResult | null {
    const p = m.linux.process;
    this.shareBack(m);
    this.endHost(p);
    this.sched.removeProcess(m);
    const death: Death = r.signal !== undefined
      ? { signo: p.sig.fromGeneric(r.signal), core: dumpsCore(p, p.sig.fromGeneric(r.signal)) }
      : { code: r.exitCode & 0xff };
    processDied(p, death);
    if (p.pid !== p.kernel.topPid) {
      this.retire(m);
      return null;
    }
    // The first process is gone: so is the rest of the tree (documented in the README).
    for (const o of [...this.sched.machines]) {
      this.sched.removeProcess(o);
      const q = o.linux.process;
      this.endHost(q);
      processDied(q, { signo: q.abi.signals.SIGKILL, core: false });
    }
    return r;
  }

  /** A process that became a host program ends from the guest side (the tree ends): the program
   *  is killed and its bridges let go. */
  private endHost(p: GuestProcess): void {
    const h = this.hostChildren.get(p);
    if (h === undefined) return;
    this.hostChildren.delete(p);
    h.dispose();
  }

  /** A vfork child execs or ends: the pages it wrote go into its parent's memory (once; only
   *  while the parent still has that memory). */
  private shareBack(m: Machine): void {
    const share = this.vforkShares.get(m);
    if (share === undefined) return;
    this.vforkShares.delete(m);
    if (!share.parent.zombie && share.parent.mem === share.parentMem) m.mem.writeBackChanges(share.snap, share.parentMem);
  }

  /** A machine nobody runs any more: its memory goes back to the pool (not the first machine's:
   *  the caller of run() or a debugger may still look at it). */
  private retire(m: Machine): void {
    m.retireArena();
    if (m !== this.first) giveSpace(m.mem);
  }

  /** The machine the run started with (gdb follows it only). */
  get firstMachine(): Machine {
    return this.first;
  }
}
