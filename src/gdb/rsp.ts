// GDB Remote Serial Protocol framing: `$payload#cs` packets, `+`/`-` acknowledgements and the
// interrupt byte 0x03. Pure byte handling; what packets mean is stub.ts's business.

/** What arrives from gdb, in order. */
export type RspEvent =
  /** A packet with a good checksum; `data` is the payload with `}` escapes undone. */
  | { readonly kind: 'packet'; readonly data: Buffer }
  /** A packet whose checksum did not match (or that was too long): ask for it again. */
  | { readonly kind: 'bad' }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' }
  | { readonly kind: 'interrupt' };

const DOLLAR = 0x24;
const HASH = 0x23;
const ESC = 0x7d; // '}'
const STAR = 0x2a;

/** Longest payload we accept; gdb keeps within the PacketSize we announce. */
export const MAX_PACKET = 0x4000;

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Splits the incoming byte stream into events, across chunk boundaries. */
export class RspDecoder {
  private state: 'idle' | 'body' | 'cs1' | 'cs2' = 'idle';
  private body: number[] = [];
  private sum = 0;
  private cs = 0;
  private tooLong = false;

  push(chunk: Uint8Array): RspEvent[] {
    const out: RspEvent[] = [];
    for (const c of chunk) {
      switch (this.state) {
        case 'idle':
          if (c === DOLLAR) this.start();
          else if (c === 0x2b) out.push({ kind: 'ack' });
          else if (c === 0x2d) out.push({ kind: 'nak' });
          else if (c === 0x03) out.push({ kind: 'interrupt' });
          // anything else between packets is line noise: ignored, as gdbserver does
          break;
        case 'body':
          if (c === HASH) this.state = 'cs1';
          else if (c === DOLLAR) this.start(); // a new packet start: the previous one was cut off
          else {
            this.sum = (this.sum + c) & 0xff;
            if (this.body.length < MAX_PACKET * 2) this.body.push(c);
            else this.tooLong = true;
          }
          break;
        case 'cs1': {
          const d = hexDigit(c);
          this.cs = d << 4;
          this.state = d < 0 ? 'idle' : 'cs2';
          if (d < 0) out.push({ kind: 'bad' });
          break;
        }
        case 'cs2': {
          const d = hexDigit(c);
          this.state = 'idle';
          if (d < 0 || (this.cs | d) !== this.sum || this.tooLong) out.push({ kind: 'bad' });
          else out.push({ kind: 'packet', data: unescape(this.body) });
          break;
        }
      }
    }
    return out;
  }

  private start(): void {
    this.state = 'body';
    this.body = [];
    this.sum = 0;
    this.tooLong = false;
  }
}

/** Undo `}` escapes (the byte after `}` is xor 0x20). */
function unescape(raw: number[]): Buffer {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    out[n++] = c === ESC && i + 1 < raw.length ? raw[++i] ^ 0x20 : c;
  }
  return out.subarray(0, n);
}

/** Escape binary data for a reply (qXfer, vFile): `$ # } *` become `}` and the byte xor 0x20. */
export function escapeBinary(data: Uint8Array): Buffer {
  let extra = 0;
  for (const c of data) if (c === DOLLAR || c === HASH || c === ESC || c === STAR) extra++;
  if (extra === 0) return Buffer.from(data);
  const out = Buffer.allocUnsafe(data.length + extra);
  let n = 0;
  for (const c of data) {
    if (c === DOLLAR || c === HASH || c === ESC || c === STAR) {
      out[n++] = ESC;
      out[n++] = c ^ 0x20;
    } else out[n++] = c;
  }
  return out;
}

/** Frame a payload: `$payload#cs`. Binary parts must be escaped already (escapeBinary). */
export function framePacket(payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  let sum = 0;
  for (const c of body) sum = (sum + c) & 0xff;
  return Buffer.concat([Buffer.from('$'), body, Buffer.from('#' + sum.toString(16).padStart(2, '0'))]);
}
