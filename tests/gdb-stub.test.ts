// The gdbstub packet by packet, on small hand-assembled RISC-V programs run through run({ gdb }):
// handshake, registers, single-step (compressed, branch, atomics, syscall), watchpoints, signals,
// exit replies, Ctrl-C, detach and a second attach, and bad input.
import { afterEach, describe, expect, it } from 'vitest';
import { buildElf } from './elf-helpers.js';
import { connectStub, finish, freePort, launch, le64, regFromG, type Launched, type LaunchOptions, type RspClient } from './gdb-helpers.js';

// RV64 encodings
const R = { zero: 0, ra: 1, sp: 2, t0: 5, a0: 10, a1: 11, a2: 12, a3: 13, a7: 17 };
const itype = (op: number, f3: number, rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const addi = (rd: number, rs1: number, imm: number) => itype(0x13, 0, rd, rs1, imm);
const ld = (rd: number, rs1: number, imm: number) => itype(0x03, 3, rd, rs1, imm);
const sd = (rs2: number, rs1: number, imm: number) => (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | ((imm & 0x1f) << 7) | 0x23;
const lui = (rd: number, imm20: number) => (imm20 << 12) | (rd << 7) | 0x37;
const beq = (rs1: number, rs2: number, off: number) =>
  (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63;
const lrD = (rd: number, rs1: number) => (0b00010 << 27) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f;
const scD = (rd: number, rs2: number, rs1: number) => (0b00011 << 27) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f;
const ECALL = 0x73;
const J_SELF = 0x6f; // jal zero, 0
const C_ADDI_A0_1 = 0x0505; // c.addi a0, 1

const CODE = 0x11000;
const DATA = 0x12000;

/** Code as 32-bit words, with `c16` marking a 16-bit compressed instruction. */
function program(insns: Array<number | { c16: number }>): Uint8Array {
  const bytes: number[] = [];
  for (const i of insns) {
    if (typeof i === 'number') bytes.push(i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff, (i >>> 24) & 0xff);
    else bytes.push(i.c16 & 0xff, i.c16 >> 8);
  }
  return buildElf({
    entry: CODE,
    segments: [
      { vaddr: CODE, data: new Uint8Array(bytes), flags: 5 },
      { vaddr: DATA, data: new Uint8Array(16), flags: 6 },
    ],
  });
}

// The stepping program: pcs of each instruction, in order.
const STEPS = program([
  lui(R.t0, DATA >> 12), // 0x11000
  addi(R.a0, 0, 5), // 0x11004
  { c16: C_ADDI_A0_1 }, // 0x11008 (2 bytes)
  beq(R.a0, R.a0, 8), // 0x1100a → 0x11012
  addi(R.a0, 0, 99), // 0x1100e (skipped)
  sd(R.a0, R.t0, 0), // 0x11012
  ld(R.a1, R.t0, 0), // 0x11016
  lrD(R.a2, R.t0), // 0x1101a
  scD(R.a3, R.a1, R.t0), // 0x1101e
  addi(R.a7, 0, 93), // 0x11022
  ECALL, // 0x11026: exit(a0)
]);
const LOOP = program([J_SELF]);
const SEGV = program([sd(R.zero, R.zero, 0), addi(R.a7, 0, 93), ECALL]);

const PC = 32; // gdb's regnum of pc for riscv

let running: Launched | null = null;
let client: RspClient | null = null;
afterEach(async () => {
  client?.close();
  if (running) await finish(running);
  running = null;
  client = null;
});

async function start(prog: Uint8Array, opts: LaunchOptions = {}, port?: number): Promise<RspClient> {
  running = await launch(prog, opts);
  client = await connectStub(port ?? running.socketPath);
  return client;
}

const pcOf = async (c: RspClient) => Number(BigInt('0x' + Buffer.from(await c.ask(`p${PC.toString(16)}`), 'hex').reverse().toString('hex')));
const threadOf = (pid: number) => `p${pid.toString(16)}.${pid.toString(16)}`;

describe('gdbstub protocol', () => {
  it('handshake: features, no-ack mode, the initial stop before the first instruction, target.xml, threads', async () => {
    const c = await start(STEPS);
    const sup = await c.ask('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+;xmlRegisters=i386');
    for (const f of ['PacketSize=', 'qXfer:features:read+', 'qXfer:auxv:read+', 'qXfer:exec-file:read+', 'QStartNoAckMode+', 'vContSupported+', 'swbreak+', 'hwbreak+', 'multiprocess+']) {
      expect(sup).toContain(f);
    }
    expect(await c.ask('QStartNoAckMode')).toBe('OK');
    c.noAck = true;
    expect(await c.ask('vMustReplyEmpty')).toBe('');
    expect(await c.ask('Hgp0.0')).toBe('OK');
    const stop = await c.ask('?');
    expect(stop).toMatch(/^T05thread:p([0-9a-f]+)\.\1;$/);
    const pid = parseInt(/p([0-9a-f]+)\./.exec(stop)![1], 16);
    expect(await c.ask('qfThreadInfo')).toBe(`m${threadOf(pid)}`);
    expect(await c.ask('qsThreadInfo')).toBe('l');
    expect(await c.ask('qC')).toBe(`QC${threadOf(pid)}`);
    expect(await c.ask('qAttached:' + pid.toString(16))).toBe('0');
    expect(await c.ask('vCont?')).toBe('vCont;c;C;s;S');
    expect(await pcOf(c)).toBe(CODE);
    // target.xml in pieces: m… then l…
    const first = await c.ask('qXfer:features:read:target.xml:0,40');
    expect(first[0]).toBe('m');
    expect(first.slice(1)).toBe('<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n'.slice(0, 0x40));
    const whole = await c.ask('qXfer:features:read:target.xml:0,3000');
    expect(whole[0]).toBe('l');
    expect(whole).toContain('org.gnu.gdb.riscv.fpu');
    expect(await c.ask('qXfer:features:read:other.xml:0,100')).toMatch(/^E/);
    expect(await c.ask('qXfer:exec-file:read::0,100')).toBe('l/prog');
    // auxv: AT_ENTRY (9) is the entry point
    const auxv = Buffer.from((await c.ask('qXfer:auxv:read::0,1000')).slice(1), 'latin1');
    const entries = new Map<number, bigint>();
    for (let o = 0; o + 16 <= auxv.length; o += 16) entries.set(Number(auxv.readBigUInt64LE(o)), auxv.readBigUInt64LE(o + 8));
    expect(entries.get(9)).toBe(BigInt(CODE));
    expect(entries.get(0)).toBe(0n);
  });

  it('acknowledges packets until no-ack mode; asks again for a bad checksum; survives malformed packets', async () => {
    const c = await start(STEPS);
    c.sendPacket('?');
    expect(await c.nextAck()).toBe('+');
    expect((await c.reply()).toString()).toMatch(/^T05/);
    c.raw('$g#00');
    expect(await c.nextAck()).toBe('-');
    for (const bad of ['mzz,4', 'm11000', 'M11000,4:zz', 'M11000,2:001122', 'X11000,5:ab', 'P20=12', 'pffff', 'Gxyz', 'vCont;t', 'vCont;c:p99999.1', 'Z0,zz,4', 'Cqq']) {
      expect(await c.ask(bad), bad).toMatch(/^E[0-9a-f]{2}$/);
    }
    for (const unsupported of ['Jfoo', 'Z9,11000,4', 'qNoSuchThing', 'vRun;2f70726f67', 'QNonStop:1', '!']) {
      expect(await c.ask(unsupported), unsupported).toBe('');
    }
    c.raw('garbage between packets');
    expect(await c.ask('QStartNoAckMode')).toBe('OK');
    c.noAck = true;
    c.raw('$g#00'); // without acks, a bad packet gets an error reply instead of '-'
    expect((await c.reply()).toString()).toBe('E01');
    expect(await pcOf(c)).toBe(CODE);
    expect(await c.ask('?')).toMatch(/^T05/);
  });

  it('registers: g/G, p/P, x0 stays zero; memory: m, M, X with escaped bytes, errors on unmapped', async () => {
    const c = await start(STEPS);
    await c.handshake();
    const g = await c.ask('g');
    expect(g.length).toBe((33 * 8 + 32 * 8 + 3 * 4) * 2);
    expect(regFromG(g, PC)).toBe(BigInt(CODE));
    expect(await c.ask(`Pa=${le64(0x1234)}`)).toBe('OK');
    expect(await c.ask('pa')).toBe(le64(0x1234));
    expect(await c.ask(`P0=${le64(7)}`)).toBe('OK');
    expect(await c.ask('p0')).toBe(le64(0));
    // G: a whole image back, with a1 changed
    const img = Buffer.from(await c.ask('g'), 'hex');
    img.writeBigUInt64LE(0xfeedn, R.a1 * 8);
    expect(await c.ask('G' + img.toString('hex'))).toBe('OK');
    expect(await c.ask('pb')).toBe(le64(0xfeed));
    // memory: the code as loaded (little-endian words)
    expect(await c.ask(`m${CODE.toString(16)},4`)).toBe(Buffer.from([0xb7, 0x22, 0x01, 0x00]).toString('hex'));
    expect(await c.ask(`M${DATA.toString(16)},4:deadbeef`)).toBe('OK');
    expect(await c.ask(`m${DATA.toString(16)},4`)).toBe('deadbeef');
    const special = Buffer.from([0x24, 0x23, 0x7d, 0x2a]);
    const esc = Buffer.from([0x7d, 0x04, 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a]);
    expect(await c.ask(Buffer.concat([Buffer.from(`X${(DATA + 4).toString(16)},4:`), esc]))).toBe('OK');
    expect(await c.ask(`m${(DATA + 4).toString(16)},4`)).toBe(special.toString('hex'));
    expect(await c.ask(`X${DATA.toString(16)},0:`)).toBe('OK');
    // gdb may write code pages (read-only to the guest), and reads stop where the mapping ends
    expect(await c.ask(`m${(DATA + 0xffc).toString(16)},8`)).toBe('00000000');
    expect(await c.ask('m100,4')).toBe('E14');
    expect(await c.ask('M100,1:00')).toBe('E14');
    expect(await c.ask('mffffffff0,4')).toBe('E14');
  });

  it('single-step runs exactly one instruction: compressed, taken branch, store, lr/sc, ecall', async () => {
    const c = await start(STEPS);
    await c.handshake();
    const pid = parseInt(/p([0-9a-f]+)\./.exec(await c.ask('?'))![1], 16);
    const want = [0x11004, 0x11008, 0x1100a, 0x11012, 0x11016, 0x1101a, 0x1101e, 0x11022, 0x11026];
    for (const [i, pc] of want.entries()) {
      const stop = await c.ask(i % 2 === 0 ? 's' : `vCont;s:${threadOf(pid)};c`);
      expect(stop).toBe(`T05thread:${threadOf(pid)};`);
      expect(await pcOf(c)).toBe(pc);
    }
    expect(await c.ask('pa')).toBe(le64(6)); // 5 + 1: the beq skipped the addi 99
    expect(await c.ask(`m${DATA.toString(16)},8`)).toBe(le64(6));
    expect(await c.ask('pd')).toBe(le64(0)); // sc.d succeeded across steps
    // stepping the ecall runs the exit syscall
    expect(await c.ask('s')).toBe(`W06;process:${pid.toString(16)}`);
    expect(await running!.result).toEqual({ exitCode: 6 });
  });

  it('resumes at a new pc (c addr, P pc): what inferior calls need', async () => {
    const c = await start(STEPS);
    await c.handshake();
    expect(await c.ask(`P20=${le64(0x11004)}`)).toBe('OK'); // skip the lui: t0 stays 0
    expect(await c.ask(`Z0,${(0x11012).toString(16)},4`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/^T05.*swbreak:;$/);
    expect(await c.ask('p5')).toBe(le64(0));
    expect(await c.ask(`z0,${(0x11012).toString(16)},4`)).toBe('OK');
    expect(await c.ask(`c${(0x11022).toString(16)}`)).toMatch(/^W06/); // a0 is 6, sd/ld skipped
  });

  it('watchpoints stop before the access with its address: write, read, access', async () => {
    const c = await start(STEPS);
    await c.handshake();
    const data = DATA.toString(16);
    expect(await c.ask(`Z2,${data},8`)).toBe('OK');
    expect(await c.ask('c')).toMatch(new RegExp(`^T05watch:${data};thread:`));
    expect(await pcOf(c)).toBe(0x11012);
    expect(await c.ask(`m${data},8`)).toBe(le64(0)); // not written yet
    expect(await c.ask(`z2,${data},8`)).toBe('OK');
    expect(await c.ask(`Z3,${(DATA + 4).toString(16)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(new RegExp(`^T05rwatch:${(DATA + 4).toString(16)};`)); // ld reads 8 bytes from DATA
    expect(await pcOf(c)).toBe(0x11016);
    expect(await c.ask(`m${data},8`)).toBe(le64(6)); // the sd has run
    expect(await c.ask(`z3,${(DATA + 4).toString(16)},2`)).toBe('OK');
    expect(await c.ask(`Z4,${data},1`)).toBe('OK');
    // stepping the ld with the watchpoint in place stops at the access, before it, as hardware does
    expect(await c.ask('s')).toMatch(new RegExp(`^T05awatch:${data};`));
    expect(await pcOf(c)).toBe(0x11016);
    expect(await c.ask(`z4,${data},1`)).toBe('OK');
    expect(await c.ask('s')).toMatch(/^T05thread/);
    expect(await pcOf(c)).toBe(0x1101a);
    expect(await c.ask(`Z4,${data},1`)).toBe('OK');
    expect(await c.ask('c')).toMatch(new RegExp(`^T05awatch:${data};`)); // lr.d
    expect(await pcOf(c)).toBe(0x1101a);
    expect(await c.ask(`z4,${data},1`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/^W06/);
  });

  it('a fault stops with the signal in gdb numbering; continuing redoes it; passing it kills the guest', async () => {
    const c = await start(SEGV);
    await c.handshake();
    expect(await c.ask('c')).toMatch(/^T0bthread:/);
    expect(await pcOf(c)).toBe(CODE);
    expect(await c.ask('c')).toMatch(/^T0bthread:/);
    expect(await c.ask('C0b')).toMatch(/^X0b;process:/);
    expect(await running!.result).toMatchObject({ signal: 11, exitCode: 139 });
  });

  it('a signal gdb sends that the guest does not handle ends it (gdb numbers mapped to Linux ones)', async () => {
    const c = await start(LOOP);
    await c.handshake();
    expect(await c.ask('C1e')).toMatch(/^X1e;/); // gdb's SIGUSR1 (30) is Linux 10
    expect(await running!.result).toMatchObject({ signal: 10 });
  });

  it('Ctrl-C stops a running guest with SIGINT; k kills it', async () => {
    const c = await start(LOOP);
    await c.handshake();
    c.sendPacket('c');
    await new Promise((r) => setTimeout(r, 100));
    c.raw('\x03');
    expect((await c.reply()).toString()).toMatch(/^T02thread:/);
    expect(await pcOf(c)).toBe(CODE);
    c.sendPacket('k');
    expect(await running!.result).toMatchObject({ signal: 9 });
  });

  it('after a detach the guest runs on; a second gdb attaches, finds it stopped, and can kill it', async () => {
    const c = await start(LOOP);
    await c.handshake();
    expect(await c.ask(`Z0,${CODE.toString(16)},4`)).toBe('OK');
    expect(await c.ask('D')).toBe('OK'); // breakpoints go with the debugger
    c.close();
    await new Promise((r) => setTimeout(r, 100));
    const c2 = await connectStub(running!.socketPath);
    client = c2;
    await c2.handshake();
    expect(await c2.ask('?')).toMatch(/^T05thread:/);
    expect(await pcOf(c2)).toBe(CODE);
    expect(await c2.ask('vKill;1')).toBe('OK');
    expect(await running!.result).toMatchObject({ signal: 9 });
  });

  it('a dropped connection is a detach: the guest runs to its end', async () => {
    const c = await start(STEPS);
    await c.handshake();
    expect(await c.ask(`Z0,${(0x11012).toString(16)},4`)).toBe('OK');
    c.close();
    expect(await running!.result).toEqual({ exitCode: 6 });
  });

  it('listens on a TCP port (-g PORT) as well', async () => {
    const port = await freePort();
    const c = await start(STEPS, { gdb: String(port) }, port);
    await c.handshake();
    expect(await c.ask('?')).toMatch(/^T05/);
    expect(await c.ask('c')).toMatch(/^W06/);
  });

  it('one debugger at a time: a second connection is turned away', async () => {
    const c = await start(STEPS);
    await c.handshake();
    const other = await connectStub(running!.socketPath);
    await new Promise((r) => other.socket.once('close', r));
    expect(other.closed).toBe(true);
    expect(await c.ask('?')).toMatch(/^T05/);
  });

  it('vFile reads the guest filesystem: open, pread, fstat, readlink, close, errors', async () => {
    const c = await start(STEPS, { files: { '/lib.txt': 'hello from the guest fs' }, symlinks: { '/link': '/lib.txt' } });
    await c.handshake();
    const hexPath = (p: string) => Buffer.from(p).toString('hex');
    expect(await c.ask('vFile:setfs:0')).toBe('F0');
    const open = await c.ask(`vFile:open:${hexPath('/lib.txt')},0,0`);
    expect(open).toMatch(/^F[0-9a-f]+$/);
    const fd = open.slice(1);
    expect(await c.ask(`vFile:pread:${fd},5,6`)).toBe('F5;from ');
    expect(await c.ask(`vFile:pread:${fd},100,100`)).toBe('F0;');
    // The struct is binary data: bytes like '}' '#' '$' '*' (e.g. in a timestamp) arrive escaped.
    const st = unescapeBinary(Buffer.from((await c.ask(`vFile:fstat:${fd}`)).slice(4), 'latin1'));
    expect(st.length).toBe(64);
    expect(st.readBigUInt64BE(28)).toBe(23n);
    expect(await c.ask(`vFile:close:${fd}`)).toBe('F0');
    expect(await c.ask(`vFile:close:${fd}`)).toBe('F-1,9');
    expect(await c.ask(`vFile:readlink:${hexPath('/link')}`)).toBe('F8;/lib.txt');
    expect(await c.ask(`vFile:open:${hexPath('/nope')},0,0`)).toBe('F-1,2');
    expect(await c.ask(`vFile:open:${hexPath('/lib.txt')},1,0`)).toBe('F-1,d'); // no writing
    const prog = await c.ask(`vFile:open:${hexPath('/prog')},0,0`);
    expect(await c.ask(`vFile:pread:${prog.slice(1)},4,0`)).toBe('F4;\x7fELF');
  });
});

/** Undo RSP binary escaping: 0x7d followed by (byte ^ 0x20). */
function unescapeBinary(raw: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) out.push(raw[i] === 0x7d ? raw[++i] ^ 0x20 : raw[i]);
  return Buffer.from(out);
}
