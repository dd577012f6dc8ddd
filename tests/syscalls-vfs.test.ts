// The Vfs backends directly: qemu's -L prefix rule on the host, memfs construction, the calls the
// ELF loader uses, and error codes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Volume } from 'memfs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hostVfs, memVfs } from '../syscalls/index.js';
import { errno, harness } from './syscalls-harness.js';

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
}

describe('hostVfs with a prefix (-L)', () => {
  let prefix: string;
  let outside: string;
  beforeEach(() => {
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrun-prefix-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrun-outside-'));
    fs.mkdirSync(path.join(prefix, 'lib'));
    fs.writeFileSync(path.join(prefix, 'lib/ld.so'), 'INTERP');
    fs.mkdirSync(path.join(prefix, outside), { recursive: true });
    fs.writeFileSync(path.join(prefix, outside, 'both.txt'), 'from prefix');
    fs.writeFileSync(path.join(outside, 'both.txt'), 'from host');
    fs.writeFileSync(path.join(outside, 'host-only.txt'), 'host only');
  });
  afterEach(() => {
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('an absolute path that exists under the prefix is taken from there, else from the host', () => {
    const v = hostVfs({ prefix });
    expect(new TextDecoder().decode(v.readFile('/lib/ld.so'))).toBe('INTERP');
    expect(v.exists('/lib/ld.so')).toBe(true);
    expect(new TextDecoder().decode(v.readFile(`${outside}/both.txt`))).toBe('from prefix');
    expect(new TextDecoder().decode(v.readFile(`${outside}/host-only.txt`))).toBe('host only');
    expect(codeOf(() => v.readFile('/lib/nope.so'))).toBe('ENOENT');
    // A file created at a path the prefix lacks lands on the host path.
    const h = v.open(`${outside}/created.txt`, { read: false, write: true, create: true, mode: 0o644 });
    h.pwrite(new TextEncoder().encode('new'), 0);
    h.close();
    expect(fs.readFileSync(path.join(outside, 'created.txt'), 'utf8')).toBe('new');
    expect(fs.existsSync(path.join(prefix, outside, 'created.txt'))).toBe(false);
  });

  test('without a prefix (or "/"), paths are the host paths', () => {
    for (const v of [hostVfs(), hostVfs({ prefix: '/' })]) {
      expect(new TextDecoder().decode(v.readFile(`${outside}/both.txt`))).toBe('from host');
      expect(v.exists('/lib/ld.so') === fs.existsSync('/lib/ld.so')).toBe(true);
    }
    expect(hostVfs().initialCwd).toBe(process.cwd());
  });
});

describe('memVfs', () => {
  test('from a JSON map with text and bytes', () => {
    const v = memVfs({ '/bin/prog': new Uint8Array([0x7f, 0x45, 0x4c, 0x46]), '/etc/motd': 'hi' });
    expect([...v.readFile('/bin/prog')]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(v.exists('/etc/motd')).toBe(true);
    expect(v.exists('/etc/nope')).toBe(false);
    expect(v.readdir('/').map((e) => e.name).sort()).toEqual(['bin', 'etc']);
    expect(v.initialCwd).toBe('/');
    expect(codeOf(() => v.stat('/nope'))).toBe('ENOENT');
    expect(codeOf(() => v.readdir('/etc/motd'))).toBe('ENOTDIR');
    expect(v.exists('/dev/null')).toBe(true); // served by crossrun, not the volume
    expect(codeOf(() => v.open('/dev/tty', { read: true, write: true }))).toBe('ENXIO');
  });

  test('from an existing Volume, shared with the caller', () => {
    const vol = Volume.fromJSON({ '/a.txt': 'A' });
    const v = memVfs(vol);
    const h = harness({ vfs: v });
    const fd = h.call('openat', -100, h.str('/b.txt'), 0o101, 0o600);
    h.call('write', fd, h.str('B'), 1);
    expect(vol.readFileSync('/b.txt', 'utf8')).toBe('B');
    expect(h.call('openat', -100, h.str('/a.txt'), 0, 0)).toBeGreaterThan(2);
    expect(h.call('openat', -100, h.str('/c.txt'), 0, 0)).toBe(errno('ENOENT'));
  });

  test('an empty volume has a root directory', () => {
    const v = memVfs();
    expect(v.readdir('/')).toEqual([]);
    v.mkdir('/tmp', 0o777);
    expect(v.exists('/tmp')).toBe(true);
  });
});
