// eventfd2: a 64-bit counter (in the guest's byte order); read takes it (or 1 of it in semaphore
// mode), write adds to it.
import { fail } from '../errors.js';
import { AnonFile } from './anon.js';
import { POLL } from './description.js';

const MAX = 0xffff_ffff_ffff_fffen;

export class EventFd extends AnonFile {
  constructor(public count: bigint, private readonly semaphore: boolean, statusFlags: number, private readonly le: boolean) {
    super('[eventfd]', statusFlags);
  }
  override read(dst: Uint8Array): number {
    if (dst.length < 8) fail('EINVAL');
    if (this.count === 0n) fail('EAGAIN'); // a blocking fd waits: see io.ts
    const v = this.semaphore ? 1n : this.count;
    this.count -= v;
    new DataView(dst.buffer, dst.byteOffset, 8).setBigUint64(0, v, this.le);
    return 8;
  }
  override write(src: Uint8Array): number {
    if (src.length < 8) fail('EINVAL');
    const v = new DataView(src.buffer, src.byteOffset, 8).getBigUint64(0, this.le);
    if (v === 0xffff_ffff_ffff_ffffn) fail('EINVAL');
    if (MAX - this.count < v) fail('EAGAIN');
    this.count += v;
    this.arrived++;
    return 8;
  }
  readiness(): number {
    return (this.count > 0n ? POLL.IN : 0) | (this.count < MAX ? POLL.OUT : 0);
  }
}
