// Raw TCP for what a WebSocket library will not send: hand-written upgrade requests (C1, C4) and
// hand-built frames (C3, RFC 6455 §5.2).
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

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

  /** the next frame from the server (unmasked, RFC 6455 §5.1) */
  frame(timeoutMs = 2000): Promise<Frame | undefined> {
    return this.until(() => {
      const b = this.buf;
      if (b.length < 2) return undefined;
      let len = (b[1] ?? 0) & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return undefined;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return undefined;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b.length < off + len) return undefined;
      const frame = {
        fin: ((b[0] ?? 0) & 0x80) !== 0,
        opcode: (b[0] ?? 0) & 0x0f,
        payload: b.subarray(off, off + len),
      };
      this.buf = b.subarray(off + len);
      return frame;
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

/** a client frame (masked unless `mask: false`), RFC 6455 §5.2 */
export function frame(opts: {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  rsv?: number;
  mask?: boolean;
  /** a length for the header other than the payload's */
  length?: number;
}): Buffer {
  const payload =
    typeof opts.payload === 'string' ? Buffer.from(opts.payload) : (opts.payload ?? Buffer.alloc(0));
  const len = opts.length ?? payload.length;
  const mask = opts.mask ?? true;
  const head: number[] = [((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opts.opcode];
  const m = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126) head.push(m | len);
  else if (len < 65536) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(len);
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (key[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

/** a raw socket that completed the upgrade on `path` */
export async function rawWebSocket(port: number, path: string): Promise<RawSocket> {
  const raw = await RawSocket.connect(port);
  raw.write(upgradeRequest(path));
  const head = await raw.head();
  if (head?.status !== 101) throw new Error(`upgrade failed: ${head?.status}`);
  return raw;
}
