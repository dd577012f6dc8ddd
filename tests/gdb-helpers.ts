// For the gdbstub tests: a small RSP client (what gdb does on the wire, packet by packet), a
// reader for an ELF's symbol table (so tests find main, f, counter… in the committed fixture
// whatever the toolchain placed them at), and a launcher for run({ gdb }) on a Unix socket.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Volume } from 'memfs';
import type { RunResult } from '../src/index.js';

export const FIXTURE = new URL('../fixtures/riscv64/gdbtarget', import.meta.url).pathname;

/** name → address of every defined symbol of an ELF64 little-endian file. */
export function elfSymbols(bytes: Uint8Array): Map<string, number> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const sec = (i: number) => {
    const o = shoff + i * shentsize;
    return { type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)), link: b.readUInt32LE(o + 0x28) };
  };
  const out = new Map<string, number>();
  for (let i = 0; i < shnum; i++) {
    const s = sec(i);
    if (s.type !== 2) continue; // SHT_SYMTAB
    const str = sec(s.link);
    for (let o = s.offset; o < s.offset + s.size; o += 24) {
      const nameOff = b.readUInt32LE(o);
      const shndx = b.readUInt16LE(o + 6);
      if (nameOff === 0 || shndx === 0) continue;
      const end = b.indexOf(0, str.offset + nameOff);
      out.set(b.toString('latin1', str.offset + nameOff, end), Number(b.readBigUInt64LE(o + 8)));
    }
  }
  return out;
}

const checksum = (body: Buffer) => body.reduce((s, c) => (s + c) & 0xff, 0).toString(16).padStart(2, '0');

/** Speaks RSP to the stub. Replies come back as Buffers, in order. */
export class RspClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  /** Acks (+/-) the stub sent, in order. */
  readonly acks: string[] = [];
  noAck = false;
  closed = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wakeAll();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wakeAll();
    });
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Write bytes as they are (bad checksums, garbage, Ctrl-C). */
  raw(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Frame and send a packet (payload given raw: callers escape binary themselves). */
  sendPacket(payload: string | Buffer): void {
    const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
    this.raw(Buffer.concat([Buffer.from('$'), body, Buffer.from('#' + checksum(body))]));
  }

  /** The next packet from the stub (acks before it are recorded in `acks`); acks it. */
  async reply(timeoutMs = 20_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // skip acks
      while (this.buf.length > 0 && (this.buf[0] === 0x2b || this.buf[0] === 0x2d)) {
        this.acks.push(String.fromCharCode(this.buf[0]));
        this.buf = this.buf.subarray(1);
      }
      const start = this.buf.indexOf(0x24);
      const hash = start < 0 ? -1 : this.buf.indexOf(0x23, start);
      if (hash >= 0 && this.buf.length >= hash + 3) {
        const body = this.buf.subarray(start + 1, hash);
        const cs = this.buf.toString('latin1', hash + 1, hash + 3);
        this.buf = this.buf.subarray(hash + 3);
        if (cs !== checksum(body)) throw new Error(`bad checksum from the stub: ${body.toString('latin1')}`);
        if (!this.noAck) this.raw('+');
        return Buffer.from(body);
      }
      if (this.closed) throw new Error('connection closed while waiting for a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms (have ${JSON.stringify(this.buf.toString('latin1'))})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Send a packet and return its reply as text. */
  async ask(payload: string | Buffer): Promise<string> {
    this.sendPacket(payload);
    return (await this.reply()).toString('latin1');
  }

  /** The next ack byte the stub sends ('+' or '-'). */
  async nextAck(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.acks.length === 0) {
      if (this.buf.length > 0 && (this.buf[0] === 0x2b || this.buf[0] === 0x2d)) {
        this.acks.push(String.fromCharCode(this.buf[0]));
        this.buf = this.buf.subarray(1);
        break;
      }
      if (Date.now() > deadline) throw new Error('no ack');
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.acks.shift() as string;
  }

  /** qSupported + QStartNoAckMode, as gdb opens a session. */
  async handshake(): Promise<string> {
    const sup = await this.ask('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+');
    expectOk(await this.ask('QStartNoAckMode'));
    this.noAck = true;
    return sup;
  }

  close(): void {
    this.socket.destroy();
  }
}

function expectOk(r: string): void {
  if (r !== 'OK') throw new Error(`expected OK, got ${r}`);
}

/** Connect to a Unix socket path or a 127.0.0.1 port, retrying until the stub listens. */
export async function connectStub(where: string | number, timeoutMs = 20_000): Promise<RspClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const s = await new Promise<Socket>((resolve, reject) => {
        const sock = typeof where === 'number' ? connect(where, '127.0.0.1') : connect(where);
        sock.once('connect', () => resolve(sock));
        sock.once('error', reject);
      });
      return new RspClient(s);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export interface Launched {
  result: Promise<RunResult>;
  /** Has the run ended? */
  settled(): boolean;
  stdout: () => string;
  socketPath: string;
  cleanup(): void;
}

export interface LaunchOptions {
  /** Extra files and symlinks in the guest's in-memory filesystem. */
  files?: Record<string, string | Uint8Array>;
  symlinks?: Record<string, string>;
  /** The -g value; default: a Unix socket in a fresh directory (socketPath). */
  gdb?: string;
}

/** run() a program (bytes, placed at /prog in an in-memory filesystem) under -g. */
export async function launch(program: Uint8Array, opts: LaunchOptions = {}): Promise<Launched> {
  const { run } = await import('../src/index.js');
  const { memVfs } = await import('../syscalls/vfs.js');
  const dir = mkdtempSync(join(tmpdir(), 'crossrun-gdb-'));
  const socketPath = join(dir, 'gdb.sock');
  const vol = new Volume();
  vol.mkdirSync('/tmp', { recursive: true });
  vol.writeFileSync('/prog', program, { mode: 0o755 });
  for (const [p, data] of Object.entries(opts.files ?? {})) vol.writeFileSync(p, data);
  for (const [p, target] of Object.entries(opts.symlinks ?? {})) vol.symlinkSync(target, p);
  const out: Buffer[] = [];
  const result = run({
    argv: ['/prog'],
    env: [],
    fs: memVfs(vol),
    stdout: (b) => void out.push(Buffer.from(b)),
    stderr: (b) => void out.push(Buffer.from(b)),
    gdb: opts.gdb ?? socketPath,
  });
  let settled = false;
  result.then(
    () => (settled = true),
    () => (settled = true), // observed by the test; never an unhandled rejection meanwhile
  );
  return { result, settled: () => settled, stdout: () => Buffer.concat(out).toString(), socketPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function fixtureBytes(): Uint8Array {
  return readFileSync(FIXTURE);
}

/** Make sure a launched guest ends (a fresh connection kills it if it still runs), then clean up. */
export async function finish(l: Launched): Promise<void> {
  for (let tries = 0; !l.settled() && tries < 50; tries++) {
    try {
      const c = await connectStub(l.socketPath, 200);
      c.sendPacket('k'); // turned away if the last gdb's close is not seen yet: try again
      await new Promise((r) => setTimeout(r, 50));
      c.close();
    } catch {
      // it ended meanwhile
    }
  }
  await l.result.catch(() => undefined);
  l.cleanup();
}

/** Little-endian 64-bit register value from a hex register image at byte offset `reg * 8`. */
export function regFromG(g: string, reg: number): bigint {
  return Buffer.from(g.slice(reg * 16, reg * 16 + 16), 'hex').readBigUInt64LE();
}
export const le64 = (v: bigint | number): string => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b.toString('hex');
};
