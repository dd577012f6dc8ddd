import { test, expect } from 'vitest';
import { harness } from './syscalls-harness.js';
test('smoke', () => {
  const h = harness();
  const fd = h.call('openat', -100, h.str('/etc/hostname'), 0, 0);
  const b = h.alloc(64);
  const n = h.call('read', fd, b, 64);
  h.call('write', 1, b, n);
  h.call('close', fd);
  h.call('openat', -100, h.str('/nope'), 0o2000000, 0);
  h.call('getpid');
  h.sys('mmap', 0, 8192, 3, 0x22, -1, 0);
  h.sys('brk', 0);
  h.sys('io_setup');
  h.sys('clock_gettime', 1, h.alloc(16));
  console.log(h.log.join('\n'), JSON.stringify(h.stdout()));
});
