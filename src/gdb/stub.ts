// The protocol side of one gdb connection: acknowledgements, packet dispatch, replies. What the
// guest does (resume, stop, exit) is the RunControl's business (server.ts); this file only turns
// packets into calls on the Debuggee and the RunControl, and stops into stop replies.
import type { RunResult } from '../index.js';
import type { GuestSignal } from '../signals.js';
import type { Debuggee } from './debuggee.js';
import { RspDecoder, escapeBinary, framePacket } from './rsp.js';
import { gdbSignal, linuxSignal } from './signals.js';
import { targetXml } from './target-xml.js';
import type { WatchType } from './watch.js';

/** Why the guest is stopped (what `?` and a resume's stop reply report). */
export type Stop =
  /** SIGTRAP: the initial stop, an attach, a finished single-step, or a breakpoint at breakAt. */
  | { readonly kind: 'trap'; readonly breakAt?: number }
  | { readonly kind: 'watch'; readonly type: WatchType; readonly addr: number }
  /** A guest signal (Linux number), not delivered yet (`pending`), or an interrupt. */
  | { readonly kind: 'signal'; readonly signal: number; readonly pending: GuestSignal | null; readonly synchronous: boolean }
  | { readonly kind: 'exited'; readonly result: RunResult };

/** What a connection can ask of the run (implemented by the server). */
export interface RunControl {
  readonly lastStop: Stop;
  /** Resume the guest, single-stepping or not, first delivering signal (Linux number; 0: none). */
  resume(step: boolean, signal: number): void;
  /** Stop a running guest as soon as possible (Ctrl-C). */
  interrupt(): void;
  kill(): void;
  /** gdb lets go: breakpoints and watchpoints go away and the guest runs on. */
  detach(): void;
}

/** Largest payload we take and send (hex); gdb sizes its m/M/X and qXfer requests by it. */
export const PACKET_SIZE = 0x4000;
const MAX_MEM_READ = (PACKET_SIZE - 32) >> 1;

const WATCH_KEY: Readonly<Record<WatchType, string>> = { write: 'watch', read: 'rwatch', access: 'awatch' };
const Z_TYPES: ReadonlyArray<'sw' | 'hw' | WatchType> = ['sw', 'hw', 'write', 'read', 'access'];

const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
/** A hex number field, or NaN. */
function hexNum(s: string | undefined): number {
  return s !== undefined && /^[0-9a-fA-F]{1,16}$/.test(s) ? Number(BigInt('0x' + s)) : NaN;
}
function hexBytes(s: string): Buffer | null {
  return HEX_RE.test(s) ? Buffer.from(s, 'hex') : null;
}
/** "addr,len" → [addr, len], or null. */
function addrLen(s: string): [number, number] | null {
  const [a, l, ...rest] = s.split(',');
  const addr = hexNum(a);
  const len = hexNum(l);
  return rest.length === 0 && Number.isFinite(addr) && Number.isFinite(len) ? [addr, len] : null;
}

type Reply = string | Buffer | null;

export class GdbStub {
  private readonly decoder = new RspDecoder();
  private noAck = false;
  /** gdb's qSupported features that change what we send. */
  private multiprocess = false;
  private swbreak = false;
  private hwbreak = false;
  /** A resume is under way: the next stop gets a stop reply; packets wait until then. */
  private awaitingStop = false;
  /** The stop awaited is not one gdb asked for (an attach): no stop reply, gdb asks with `?`. */
  private silentStop = false;
  private readonly queued: Buffer[] = [];
  private lastSent: Buffer | null = null;
  private xml: string | null = null;
  closed = false;

  constructor(
    private readonly dbg: Debuggee,
    private readonly ctl: RunControl,
    private readonly write: (bytes: Buffer) => void,
  ) {}

  /** Bytes from gdb. */
  receive(chunk: Uint8Array): void {
    for (const ev of this.decoder.push(chunk)) {
      if (this.closed) return;
      switch (ev.kind) {
        case 'interrupt':
          if (this.awaitingStop) this.ctl.interrupt();
          break;
        case 'nak':
          if (!this.noAck && this.lastSent) this.write(this.lastSent);
          break;
        case 'bad':
          // Ask again; without acks there is no asking again, so answer with an error.
          if (this.noAck) this.send('E01');
          else this.write(Buffer.from('-'));
          break;
        case 'packet':
          if (!this.noAck) this.write(Buffer.from('+'));
          if (this.awaitingStop) this.queued.push(ev.data);
          else this.handle(ev.data);
          break;
        case 'ack':
          break;
      }
    }
  }

  /** Hold gdb's packets until the running guest stops (gdb connected to a running guest). */
  holdUntilStopped(): void {
    this.awaitingStop = true;
    this.silentStop = true;
  }

  /** The guest stopped or ended. Replies if gdb is waiting for it. */
  stopped(stop: Stop): void {
    if (!this.awaitingStop || this.closed) return;
    this.awaitingStop = false;
    if (!this.silentStop) this.send(this.stopReply(stop));
    this.silentStop = false;
    while (!this.awaitingStop && !this.closed && this.queued.length > 0) this.handle(this.queued.shift() as Buffer);
  }

  private send(reply: string | Buffer): void {
    const pkt = framePacket(reply);
    this.lastSent = pkt;
    this.write(pkt);
  }

  private handle(data: Buffer): void {
    let reply: Reply;
    try {
      reply = this.dispatch(data.toString('latin1'), data);
    } catch {
      reply = 'E01'; // a bug or a request the guest state cannot answer: never kill the stub
    }
    if (reply !== null) this.send(reply);
  }

  private dispatch(p: string, raw: Buffer): Reply {
    const dbg = this.dbg;
    switch (p[0]) {
      case '?':
        return this.stopReply(this.ctl.lastStop);
      case 'g':
        return dbg.regs.readAll(dbg).toString('hex');
      case 'G': {
        const b = hexBytes(p.slice(1));
        if (!b) return 'E01';
        dbg.regs.writeAll(dbg, b);
        return 'OK';
      }
      case 'p': {
        const n = hexNum(p.slice(1));
        return n >= 0 && n < dbg.regs.count ? dbg.regs.read(n, dbg).toString('hex') : 'E01';
      }
      case 'P': {
        const [ns, vs] = p.slice(1).split('=');
        const n = hexNum(ns);
        const b = hexBytes(vs ?? '');
        if (!(n >= 0 && n < dbg.regs.count) || !b || b.length !== dbg.regs.regs[n].bitsize / 8) return 'E01';
        dbg.regs.write(n, dbg, b);
        return 'OK';
      }
      case 'm': {
        const al = addrLen(p.slice(1));
        if (!al) return 'E01';
        const data = dbg.readMemory(al[0], Math.min(al[1], MAX_MEM_READ));
        return data.length > 0 || al[1] === 0 ? data.toString('hex') : 'E14';
      }
      case 'M': {
        const colon = p.indexOf(':');
        const al = colon < 0 ? null : addrLen(p.slice(1, colon));
        const b = colon < 0 ? null : hexBytes(p.slice(colon + 1));
        if (!al || !b || b.length !== al[1]) return 'E01';
        return dbg.writeMemory(al[0], b) ? 'OK' : 'E14';
      }
      case 'X': {
        const colon = raw.indexOf(0x3a);
        const al = colon < 0 ? null : addrLen(p.slice(1, colon));
        if (!al || raw.length - colon - 1 !== al[1]) return 'E01';
        return dbg.writeMemory(al[0], raw.subarray(colon + 1)) ? 'OK' : 'E14';
      }
      case 'c':
      case 's':
      case 'C':
      case 'S':
        return this.resumePacket(p);
      case 'v':
        return this.vPacket(p);
      case 'H':
        return this.isUs(p.slice(2)) ? 'OK' : 'E01';
      case 'T':
        return this.isUs(p.slice(1)) ? 'OK' : 'E01';
      case 'q':
        return this.query(p);
      case 'Q':
        if (p === 'QStartNoAckMode') {
          this.send('OK'); // still acknowledged by gdb; from now on, nothing is
          this.noAck = true;
          return null;
        }
        return '';
      case 'Z':
      case 'z':
        return this.zPacket(p);
      case 'D':
        this.send('OK');
        this.ctl.detach();
        return null;
      case 'k':
        this.ctl.kill();
        return null;
      default:
        return '';
    }
  }

  private query(p: string): Reply {
    if (p.startsWith('qSupported')) {
      const theirs = new Set(p.slice('qSupported:'.length).split(';'));
      this.multiprocess = theirs.has('multiprocess+');
      this.swbreak = theirs.has('swbreak+');
      this.hwbreak = theirs.has('hwbreak+');
      return [
        `PacketSize=${PACKET_SIZE.toString(16)}`, 'QStartNoAckMode+', 'qXfer:features:read+', 'qXfer:auxv:read+',
        'qXfer:exec-file:read+', 'vContSupported+', 'swbreak+', 'hwbreak+', 'multiprocess+',
      ].join(';');
    }
    if (p.startsWith('qXfer:')) return this.xfer(p);
    switch (p) {
      case 'qfThreadInfo':
        return 'm' + this.threadId();
      case 'qsThreadInfo':
        return 'l';
      case 'qC':
        return 'QC' + this.threadId();
      case 'qSymbol::':
        return 'OK';
    }
    // We started the process (as gdbserver does): gdb's quit kills it, detach lets it run on.
    if (p === 'qAttached' || p.startsWith('qAttached:')) return '0';
    return '';
  }

  private xfer(p: string): Reply {
    const m = /^qXfer:([\w-]+):read:([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
    if (!m) return 'E01';
    const [, object, annex, offHex, lenHex] = m;
    let data: Buffer;
    if (object === 'features') {
      if (annex !== 'target.xml') return 'E00';
      this.xml ??= targetXml(this.dbg.gdb);
      data = Buffer.from(this.xml);
    } else if (object === 'auxv') {
      data = this.dbg.auxv();
    } else if (object === 'exec-file') {
      if (annex !== '' && hexNum(annex) !== this.dbg.pid) return 'E01';
      data = Buffer.from(this.dbg.exePath);
    } else return '';
    const off = hexNum(offHex);
    const len = Math.min(hexNum(lenHex), MAX_MEM_READ);
    const chunk = data.subarray(off, off + len);
    return Buffer.concat([Buffer.from(off + len >= data.length ? 'l' : 'm'), escapeBinary(chunk)]);
  }

  private vPacket(p: string): Reply {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      // The first action that applies to our (only) thread decides.
      for (const item of p.slice(6).split(';')) {
        const [action, thread] = item.split(':');
        if (!this.isUs(thread)) continue;
        if (!/^[cCsS]/.test(action)) return 'E01'; // t, r: not offered in vCont?
        return this.resume(action[0].toLowerCase() === 's', action.length > 1 ? hexNum(action.slice(1)) : 0);
      }
      return 'E01';
    }
    if (p.startsWith('vFile:')) return this.dbg.io.handle(p.slice(6));
    if (p.startsWith('vKill')) {
      this.send('OK');
      this.ctl.kill();
      return null;
    }
    return ''; // vMustReplyEmpty, vRun, vAttach, vCtrlC…
  }

  /** c [addr], s [addr], C sig[;addr], S sig[;addr]. */
  private resumePacket(p: string): Reply {
    const withSig = p[0] === 'C' || p[0] === 'S';
    const [first, second] = p.slice(1).split(';');
    const sig = withSig ? hexNum(first) : 0;
    const addr = withSig ? second : first;
    if (Number.isNaN(sig)) return 'E01';
    if (addr !== undefined && addr !== '') {
      const a = hexNum(addr);
      if (Number.isNaN(a)) return 'E01';
      this.dbg.pc = a;
    }
    return this.resume(p[0] === 's' || p[0] === 'S', sig);
  }

  private resume(step: boolean, gdbSig: number): Reply {
    if (Number.isNaN(gdbSig)) return 'E01';
    this.awaitingStop = true;
    this.ctl.resume(step, linuxSignal(gdbSig));
    return null;
  }

  private zPacket(p: string): Reply {
    const on = p[0] === 'Z';
    const [typeStr, addrStr, kindStr] = p.slice(1).split(';')[0].split(',');
    const type = Z_TYPES[hexNum(typeStr)];
    const addr = hexNum(addrStr);
    const kind = hexNum(kindStr);
    if (type === undefined) return '';
    if (Number.isNaN(addr) || Number.isNaN(kind)) return 'E01';
    if (type === 'sw' || type === 'hw') {
      this.dbg.setBreakpoint(type, addr, on);
      return 'OK';
    }
    if (!on) {
      this.dbg.watch.remove(type, addr, kind);
      return 'OK';
    }
    return this.dbg.watch.add(type, addr, kind) ? 'OK' : 'E01';
  }

  // ---- threads: one, whose id is the pid

  private threadId(): string {
    const id = this.dbg.pid.toString(16);
    return this.multiprocess ? `p${id}.${id}` : id;
  }

  /** Does a thread-id (`p<pid>.<tid>`, `<tid>`, -1 all, 0 any) name our thread? */
  private isUs(id: string | undefined): boolean {
    if (id === undefined || id === '') return true;
    let pid = '';
    let tid = id;
    if (id.startsWith('p')) {
      const dot = id.indexOf('.');
      pid = dot < 0 ? id.slice(1) : id.slice(1, dot);
      tid = dot < 0 ? '-1' : id.slice(dot + 1);
    }
    const ok = (x: string) => x === '' || x === '-1' || x === '0' || hexNum(x) === this.dbg.pid;
    return ok(pid) && ok(tid);
  }

  private stopReply(s: Stop): string {
    const thread = `thread:${this.threadId()};`;
    switch (s.kind) {
      case 'exited': {
        const proc = this.multiprocess ? `;process:${this.dbg.pid.toString(16)}` : '';
        const r = s.result;
        return r.signal !== undefined ? `X${hex2(gdbSignal(r.signal))}${proc}` : `W${hex2(r.exitCode)}${proc}`;
      }
      case 'signal':
        return `T${hex2(gdbSignal(s.signal))}${thread}`;
      case 'watch':
        return `T05${WATCH_KEY[s.type]}:${s.addr.toString(16)};${thread}`;
      case 'trap': {
        const kind = s.breakAt === undefined ? undefined : this.dbg.breakKind(s.breakAt);
        const why = kind === 'sw' && this.swbreak ? 'swbreak:;' : kind === 'hw' && this.hwbreak ? 'hwbreak:;' : '';
        return `T05${thread}${why}`;
      }
    }
  }
}
