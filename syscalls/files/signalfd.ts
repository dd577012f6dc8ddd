// signalfd4: reading takes the reading thread's pending signals in the fd's mask (its own, then
// the process's) as signalfd_siginfo records.
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import { SIGNALFD_SIGINFO_SIZE, encodeSignalfdInfo } from '../siginfo.js';
import { takeSignal } from '../signal-send.js';
import { AnonFile } from './anon.js';
import { POLL } from './description.js';

export class SignalFd extends AnonFile {
  constructor(private readonly p: GuestProcess, public mask: bigint, statusFlags: number) {
    super('[signalfd]', statusFlags);
  }
  override read(dst: Uint8Array): number {
    if (dst.length < SIGNALFD_SIGINFO_SIZE) fail('EINVAL');
    const p = this.p;
    const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    let n = 0;
    while (n + SIGNALFD_SIGINFO_SIZE <= dst.length) {
      const info = takeSignal(p, p.current, ~this.mask);
      if (!info) break;
      encodeSignalfdInfo(info, p.model, view, n);
      n += SIGNALFD_SIGINFO_SIZE;
    }
    if (n === 0) fail('EAGAIN'); // a blocking fd waits: see io.ts
    return n;
  }
  readiness(): number {
    const t = this.p.current;
    return (t.pending.bits | this.p.sig.shared.bits) & this.mask ? POLL.IN : 0;
  }
}
