// A byte stream's receive queue: chunks in arrival order, read with or without consuming
// (MSG_PEEK).
export class ByteQueue {
  size = 0;
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes already consumed from chunks[0]

  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.size += b.length;
  }
  /** Copy up to dst.length bytes out; consume them unless peeking. */
  take(dst: Uint8Array, peek = false): number {
    let n = 0;
    let i = 0;
    let head = this.head;
    while (n < dst.length && i < this.chunks.length) {
      const c = this.chunks[i];
      const k = Math.min(dst.length - n, c.length - head);
      dst.set(c.subarray(head, head + k), n);
      n += k;
      head += k;
      if (head === c.length) {
        i++;
        head = 0;
      }
    }
    if (!peek) {
      this.chunks.splice(0, i);
      this.head = head;
      this.size -= n;
    }
    return n;
  }
}
