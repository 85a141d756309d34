// Raw TCP for what a WebSocket library will not send: hand-written upgrade requests (C1, C4) and
// hand-built frames (C3, RFC 6455 §5.2).
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { FrameParser, type ParsedFrame } from '../../../src/wire/frame-parser.js';
import { encodeFrame } from '../../../src/wire/frames.js';

export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** RFC 6455 §4.2.2: base64(SHA-1(key + GUID)) */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export function upgradeRequest(
  path: string,
  headers: Record<string, string | undefined> = {},
  method = 'GET',
): string {
  const base: Record<string, string | undefined> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = Object.entries(base)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

export interface Head {
  status: number;
  headers: Record<string, string>;
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export class RawSocket {
  private buf = Buffer.alloc(0);
  /** the harness's one frame reader (src/wire/frame-parser.ts); 64 MiB covers every test frame */
  private readonly parser = new FrameParser({ maxPayload: 64 << 20 });
  private readonly frames: ParsedFrame[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawSocket(s)));
      s.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** waits until `ready()` returns a value, the socket ends, or the timeout */
  private async until<T>(ready: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = ready();
      if (v !== undefined || this.ended || Date.now() >= deadline) return v;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }

  /** the HTTP response head (status + lower-cased headers), or undefined */
  head(timeoutMs = 2000): Promise<Head | undefined> {
    return this.until(() => {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [status, ...lines] = this.buf.subarray(0, end).toString('latin1').split('\r\n');
      this.buf = this.buf.subarray(end + 4);
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      return { status: Number(status?.split(' ')[1]), headers };
    }, timeoutMs);
  }

  /** the next frame from the server (unmasked, RFC 6455 §5.1); bytes after the head are frames */
  frame(timeoutMs = 2000): Promise<Frame | undefined> {
    return this.until(() => {
      if (this.buf.length > 0) {
        for (const f of this.parser.push(this.buf).frames) this.frames.push(f);
        this.buf = Buffer.alloc(0);
      }
      return this.frames.shift();
    }, timeoutMs);
  }

  /** the close frame's code, skipping other frames; undefined if none came */
  async closeCode(timeoutMs = 2000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.frame(Math.max(1, deadline - Date.now()));
      if (!f) return undefined;
      if (f.opcode === 0x8) return f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
    }
  }

  /** true once the server has closed the TCP connection */
  async closedByServer(timeoutMs = 2000): Promise<boolean> {
    await this.until(() => (this.ended ? true : undefined), timeoutMs);
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** a client frame (masked unless `mask: false`), RFC 6455 §5.2: the harness's writer */
export function frame(opts: {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  rsv?: number;
  mask?: boolean;
  /** a length for the header other than the payload's */
  length?: number;
}): Buffer {
  return encodeFrame({
    opcode: opts.opcode,
    payload: opts.payload,
    fin: opts.fin,
    rsv: opts.rsv,
    mask: opts.mask ?? true,
    lengthOverride: opts.length,
  });
}

/** a raw socket that completed the upgrade on `path` */
export async function rawWebSocket(port: number, path: string): Promise<RawSocket> {
  const raw = await RawSocket.connect(port);
  raw.write(upgradeRequest(path));
  const head = await raw.head();
  if (head?.status !== 101) throw new Error(`upgrade failed: ${head?.status}`);
  return raw;
}
