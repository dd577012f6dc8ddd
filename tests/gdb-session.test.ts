// A debugging session on the C fixture (fixtures/riscv64/gdbtarget, glibc static, -O0 -g), driven
// packet by packet the way gdb drives it: breakpoints that never touch guest bytes and that take
// effect in code already translated, a watchpoint on a global, reading a string and an array, an
// inferior call (registers saved, pc moved, resumed, restored), and the exit status.
import { afterEach, describe, expect, it } from 'vitest';
import { connectStub, elfSymbols, finish, fixtureBytes, launch, le64, type Launched, type RspClient } from './gdb-helpers.js';

const PROG = fixtureBytes();
const SYM = elfSymbols(PROG);
const sym = (name: string): number => {
  const v = SYM.get(name);
  if (v === undefined) throw new Error(`fixture has no symbol ${name}`);
  return v;
};
const hex = (n: number) => n.toString(16);
const PC = 0x20;
const A0 = 0xa;
const RA = 0x1;

let running: Launched | null = null;
let client: RspClient | null = null;
afterEach(async () => {
  client?.close();
  if (running) await finish(running);
  running = null;
  client = null;
});

async function start(): Promise<RspClient> {
  running = await launch(PROG);
  client = await connectStub(running.socketPath);
  await client.handshake();
  return client;
}
const reg = async (c: RspClient, n: number) => Buffer.from(await c.ask(`p${hex(n)}`), 'hex').readBigUInt64LE();
const u32s = (h: string) => Array.from({ length: h.length / 8 }, (_, i) => Buffer.from(h.slice(i * 8, i * 8 + 8), 'hex').readInt32LE());

describe('a gdb session on the C fixture', () => {
  it('break at main without patching code; read a string, an array and a struct; run to the exit status', async () => {
    const c = await start();
    const main = sym('main');
    const before = await c.ask(`m${hex(main)},10`);
    expect(await c.ask(`Z0,${hex(main)},2`)).toBe('OK');
    expect(await c.ask(`m${hex(main)},10`)).toBe(before); // gdb's reads see the original code
    expect(await c.ask('vCont;c')).toMatch(/^T05thread:[^;]+;swbreak:;$/);
    expect(Number(await reg(c, PC))).toBe(main);
    const greeting = Buffer.from(await c.ask(`m${hex(sym('greeting'))},8`), 'hex').readBigUInt64LE();
    expect(Buffer.from(await c.ask(`m${greeting.toString(16)},b`), 'hex').toString('latin1')).toBe('hello, gdb\0');
    expect(u32s(await c.ask(`m${hex(sym('values'))},14`))).toEqual([1, 2, 3, 4, 5]);
    expect(u32s(await c.ask(`m${hex(sym('origin'))},8`))).toEqual([3, 4]);
    expect(await c.ask(`z0,${hex(main)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/^W07;process:/);
    expect(await running!.result).toEqual({ exitCode: 7 });
    expect(running!.stdout()).toBe('hello, gdb 15 100 52 origin\n');
  });

  it('a breakpoint set inside code that already ran takes effect at once', async () => {
    const c = await start();
    const f = sym('f');
    expect(await c.ask(`Z0,${hex(f)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/swbreak/);
    expect(await reg(c, A0)).toBe(0n); // f(0)
    const ret = Number(await reg(c, RA));
    expect(await c.ask(`z0,${hex(f)},2`)).toBe('OK');
    expect(await c.ask(`Z0,${hex(ret)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/swbreak/); // f(0) ran whole: its blocks are translated now
    expect(Number(await reg(c, PC))).toBe(ret);
    expect(await c.ask(`z0,${hex(ret)},2`)).toBe('OK');
    const mid = f + 4; // inside f's first block
    expect(await c.ask(`Z1,${hex(mid)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/^T05thread:[^;]+;hwbreak:;$/);
    expect(Number(await reg(c, PC))).toBe(mid);
    expect(await reg(c, A0)).toBe(1n); // f(1)
  });

  it('a hardware watchpoint on a global stops at the store that changes it, before it', async () => {
    const c = await start();
    const counter = sym('counter');
    const f = sym('f');
    const read = async () => Buffer.from(await c.ask(`m${hex(counter)},4`), 'hex').readInt32LE();
    // as gdb does for a watchpoint that fires before the access: step over it unwatched, compare
    const seen: Array<[number, number]> = [];
    for (;;) {
      expect(await c.ask(`Z2,${hex(counter)},4`)).toBe('OK');
      const stop = await c.ask('c');
      if (stop.startsWith('W')) break;
      expect(stop).toMatch(new RegExp(`^T05watch:${hex(counter)};thread:`));
      const pc = Number(await reg(c, PC));
      const old = await read();
      expect(await c.ask(`z2,${hex(counter)},4`)).toBe('OK');
      expect(await c.ask('s')).toMatch(/^T05/);
      seen.push([old, await read()]);
      if (seen.length <= 5) expect(pc > f && pc < sym('sum'), `store in f at 0x${hex(pc)}`).toBe(true);
    }
    // counter += n for n = 0 … 4, then main's counter = 100
    expect(seen).toEqual([[0, 0], [0, 1], [1, 3], [3, 6], [6, 10], [10, 100]]);
    expect(await running!.result).toEqual({ exitCode: 7 });
  });

  it('an inferior call: gdb saves the registers, calls f(3) with a breakpoint at the return address, restores', async () => {
    const c = await start();
    const main = sym('main');
    expect(await c.ask(`Z0,${hex(main)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/swbreak/);
    expect(await c.ask(`z0,${hex(main)},2`)).toBe('OK');
    const saved = await c.ask('g');
    const entry = sym('_start');
    const counter = sym('counter');
    expect(await c.ask(`M${hex(counter)},4:05000000`)).toBe('OK');
    expect(await c.ask(`P${hex(A0)}=${le64(3)}`)).toBe('OK');
    expect(await c.ask(`P${hex(RA)}=${le64(entry)}`)).toBe('OK');
    expect(await c.ask(`P${hex(PC)}=${le64(sym('f'))}`)).toBe('OK');
    expect(await c.ask(`Z0,${hex(entry)},2`)).toBe('OK');
    expect(await c.ask('c')).toMatch(/swbreak/);
    expect(Number(await reg(c, PC))).toBe(entry);
    expect(await reg(c, A0)).toBe(10n); // 3 * 3 + 1
    expect(await c.ask(`m${hex(counter)},4`)).toBe('08000000'); // 5 + 3
    expect(await c.ask(`z0,${hex(entry)},2`)).toBe('OK');
    expect(await c.ask('G' + saved)).toBe('OK');
    expect(Number(await reg(c, PC))).toBe(main);
    expect(await c.ask('c')).toMatch(/^W07/);
    expect(running!.stdout()).toBe('hello, gdb 15 100 52 origin\n');
  });
});
