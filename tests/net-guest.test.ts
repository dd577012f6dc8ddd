// Socket scenarios as guest programs (fixtures/net-unit/net.c, static riscv64 and aarch64 builds):
// each must print what the same C program printed when built and run natively
// (fixtures/net-unit/expected/, recorded with ./build.sh && ./native/net MODE). Guest sockets are
// real host sockets on loopback, so a Node server or client in this test talks to the guest.
import { readFileSync } from 'node:fs';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.js';

const DIR = new URL('../fixtures/net-unit/', import.meta.url).pathname;
const ARCHES = ['riscv64', 'aarch64'] as const;

interface Out {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Run the fixture; `onStdout` sees each chunk as it is written (the guest keeps running). */
async function runNet(arch: string, args: string[], onStdout?: (text: string) => void): Promise<Out> {
  let stdout = '';
  let stderr = '';
  const r = await run({
    argv: [`${DIR}${arch}/net`, ...args],
    env: [],
    stdin: new Uint8Array(0),
    stdout: (b) => {
      const t = Buffer.from(b).toString();
      stdout += t;
      onStdout?.(t);
    },
    stderr: (b) => void (stderr += Buffer.from(b).toString()),
  });
  return { stdout, stderr, exitCode: r.exitCode };
}

const expected = (mode: string) => readFileSync(`${DIR}expected/${mode}.txt`, 'utf8');

describe.each(ARCHES)('guest sockets on %s', (arch) => {
  for (const mode of ['pair', 'udp', 'nbconnect', 'epollet', 'threads', 'rights']) {
    it(`${mode} prints what the native build printed`, async () => {
      const r = await runNet(arch, [mode]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected(mode));
      expect(r.exitCode).toBe(0);
    }, 30_000);
  }

  it('a guest TCP client talks to a Node echo server', async () => {
    const seen: string[] = [];
    const server = net.createServer((c) => c.on('data', (d) => {
      seen.push(d.toString());
      c.write(d);
    }));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await runNet(arch, ['tcp-client', String(port)]);
      expect(r.stdout).toBe([
        'connected to 127.0.0.1 port-ok=1 len=16',
        'echo 18: line 0 from guest',
        'echo 18: line 1 from guest',
        'echo 18: line 2 from guest',
        'after shutdown read=0',
        '',
      ].join('\n'));
      expect(seen.join('')).toBe('line 0 from guest\nline 1 from guest\nline 2 from guest\n');
    } finally {
      server.close();
    }
  }, 30_000);

  it('a Node client talks to a guest TCP server', async () => {
    let reply = '';
    let client: Promise<void> | null = null;
    const guest = runNet(arch, ['tcp-server'], (t) => {
      const m = /port (\d+)/.exec(t);
      if (!m) return;
      client = new Promise<void>((res, rej) => {
        const c = net.connect(Number(m[1]), '127.0.0.1', () => c.end('hello from node\nsecond line\n'));
        c.on('data', (d) => void (reply += d.toString()));
        c.on('end', res);
        c.on('error', rej);
      });
    });
    const r = await guest;
    expect(client).not.toBeNull();
    await client;
    expect(r.stderr).toBe('accepted from 127.0.0.1\nserved 28 bytes\n');
    expect(r.exitCode).toBe(0);
    expect(reply).toBe('HELLO FROM NODE\nSECOND LINE\n');
  }, 30_000);

  it('a guest UDP socket exchanges datagrams with a Node socket', async () => {
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg, from) => sock.send(Buffer.concat([Buffer.from('pong:'), msg]), from.port, from.address));
    await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
    try {
      const r = await runNet(arch, ['udp', String(sock.address().port)]);
      expect(r.stdout).toBe(`udp reply pong:ping-udp from-port-ok=1\n${expected('udp')}`);
    } finally {
      sock.close();
    }
  }, 30_000);

  it('waits for a slow server without spinning: CPU time stays far below the wall time', async () => {
    const DELAY_MS = 300;
    const server = net.createServer((c) => c.on('data', (d) => setTimeout(() => c.write(d), DELAY_MS)));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const measure = async () => {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const r = await runNet(arch, ['tcp-client', String(port)]);
        const cpu = process.cpuUsage(cpu0);
        return { r, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
      };
      await measure(); // warm: translation and module loading are not what this measures
      const { r, wallMs, cpuMs } = await measure();
      expect(r.stdout).toContain('after shutdown read=0');
      expect(wallMs).toBeGreaterThanOrEqual(3 * DELAY_MS);
      // Three waits of DELAY_MS each: a busy-wait would burn about 3 * DELAY_MS of CPU.
      expect(cpuMs).toBeLessThan(1.5 * DELAY_MS);
    } finally {
      server.close();
    }
  }, 30_000);
});
