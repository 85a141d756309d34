import net from 'node:net';
import tls from 'node:tls';
import type { RawConn, RawFrame } from '../engine/types.js';
import { FrameParser, type ParsedFrame } from './frame-parser.js';
import { encodeFrame, type EncodeOptions, kindOfOpcode } from './frames.js';
import { acceptKey, type HttpHead, headEnd, newKey, parseHead, upgradeRequest } from './http-head.js';
import { summarizeBinary, summarizePayload, type Transcript, truncateText } from './transcript.js';

// A raw TCP (or TLS) connection to the target, for what a WebSocket library will not send:
// hand-written upgrade requests (RFC 6455 §4.1), half-open handshakes, frames with reserved bits
// or lying lengths (§5.2). Everything written and read is recorded in the case's transcript.

export interface RawOptions {
  host: string;
  port: number;
  /** the target's path, used by handshake() unless it is given another */
  path: string;
  tls?: boolean;
  transcript?: Transcript;
  /** connection number in the case's transcript */
  connId?: number;
  connectTimeoutMs?: number;
  /**
   * The largest frame payload kept (the run's --max-message-size), so that no server can make the
   * harness buffer more (issue 12 §2). A frame announcing more is read without its payload
   * (frame-parser.ts, oversize 'skip': the limit is the server's, its own frames may be larger);
   * a 64-bit length with the top bit set (§5.2) ends the reading.
   */
  maxPayload: number;
}

/** Opens the TCP connection; rejects when it cannot be opened within the timeout. */
export function openRaw(opts: RawOptions): Promise<RawConn> {
  const timeoutMs = opts.connectTimeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    const sock = opts.tls
      ? tls.connect({
          host: opts.host,
          port: opts.port,
          servername: net.isIP(opts.host) ? undefined : opts.host,
        })
      : net.connect({ host: opts.host, port: opts.port });
    const timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(new Error(`cannot open a TCP connection to ${opts.host}:${opts.port}: ${err.message}`));
    };
    sock.once('error', fail);
    sock.once(opts.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      sock.off('error', fail);
      sock.setNoDelay(true);
      resolve(new RawSocketConn(sock, opts));
    });
  });
}

/**
 * Issue 12 §2, memory bounded whatever the server sends: the longest HTTP response head read (a
 * 10,000-header response is cut here; Node's own HTTP parser stops at 16 KiB) and the unread
 * frames held before the socket is paused until a case reads them (each frame is itself bounded
 * by the parser's maxPayload).
 */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_QUEUED_FRAMES = 4096;

class RawSocketConn implements RawConn {
  /** bytes not yet read as an HTTP head; after a 101 (or the first readFrame) bytes go to `parser` */
  private buf: Buffer = Buffer.alloc(0);
  private readonly parser: FrameParser;
  /** null until the connection reads frames */
  private frames: ParsedFrame[] | null = null;
  /** payload bytes of the unread frames in `frames` */
  private queuedBytes = 0;
  private parseErrorNoted = false;
  private headOverflowNoted = false;
  private isEnded = false;
  /** callbacks re-checking their condition whenever data arrives or the socket ends */
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly sock: net.Socket,
    private readonly opts: RawOptions,
  ) {
    this.parser = new FrameParser({ maxPayload: opts.maxPayload, oversize: 'skip' });
    sock.on('data', (chunk: Buffer) => {
      if (this.frames) {
        this.queue(this.parser.push(chunk).frames);
        // backpressure, not loss: a flood of frames waits in the kernel until read
        if (this.queueFull()) sock.pause();
      } else if (this.buf.length < MAX_HEAD_BYTES) {
        this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
        // a head is complete and frames follow before the case reads it: they wait in the kernel
        if (this.buf.length >= MAX_HEAD_BYTES && headEnd(this.buf) >= 0) sock.pause();
      } else if (!this.headOverflowNoted) {
        this.headOverflowNoted = true;
        opts.transcript?.note(
          `the server sent over ${MAX_HEAD_BYTES} bytes without ending an HTTP head: the rest is not read`,
          opts.connId,
        );
      }
      this.wake();
    });
    // An error listener is always attached: a reset from the server must not crash the harness.
    sock.on('error', (err) => opts.transcript?.note(`raw socket error: ${err.message}`, opts.connId));
    sock.on('end', () => this.markEnded());
    sock.on('close', () => this.markEnded());
  }

  private queue(frames: ParsedFrame[]): void {
    for (const f of frames) {
      this.frames?.push(f);
      this.queuedBytes += f.payload.length;
    }
  }

  /** Whether the unread frames reach a bound (divided by `slack` for resuming): count or bytes. */
  private queueFull(slack = 1): boolean {
    return (
      (this.frames?.length ?? 0) >= MAX_QUEUED_FRAMES / slack ||
      this.queuedBytes >= Math.max(this.opts.maxPayload, 64 * 1024) / slack
    );
  }

  private markEnded(): void {
    this.isEnded = true;
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  private record(
    dir: 'out' | 'in',
    kind: 'http' | 'text' | 'binary' | 'ping' | 'pong' | 'close',
    data: string,
  ) {
    this.opts.transcript?.add(dir, kind, data, this.opts.connId);
  }

  /** From now on the bytes received are frames: what is buffered and what arrives goes to the parser. */
  private readFrames(): ParsedFrame[] {
    if (this.frames) return this.frames;
    this.frames = [];
    this.queue(this.parser.push(this.buf).frames);
    this.buf = Buffer.alloc(0);
    if (this.sock.isPaused() && !this.queueFull()) this.sock.resume();
    return this.frames;
  }

  /** Resolves with `take()`'s first non-null value, or null on timeout or when the socket ends. */
  private waitFor<T>(take: () => T | null, timeoutMs: number): Promise<T | null> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        const value = take();
        if (value !== null || this.isEnded) {
          clearTimeout(timer);
          this.wakers.delete(check);
          resolve(value);
        }
      };
      timer = setTimeout(() => {
        this.wakers.delete(check);
        resolve(null);
      }, timeoutMs);
      this.wakers.add(check);
      check();
    });
  }

  write(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const text = bytes.toString('utf8');
    if (/^[\x20-\x7e\r\n\t]*$/.test(text)) this.record('out', 'http', truncateText(text));
    else this.record('out', 'binary', summarizeBinary(bytes));
    if (!this.sock.destroyed) this.sock.write(bytes);
  }

  async handshake(
    opts: {
      path?: string;
      method?: string;
      headers?: Record<string, string | undefined>;
      timeoutMs?: number;
    } = {},
  ): Promise<HttpHead | null> {
    const key = newKey();
    const request = upgradeRequest({
      host: `${this.opts.host}:${this.opts.port}`,
      path: opts.path ?? this.opts.path,
      method: opts.method,
      key,
      headers: opts.headers,
    });
    this.write(request);
    const head = await this.readHttpResponse(opts.timeoutMs);
    if (head?.status === 101) {
      // §4.1 step 4: the client checks the accept value (and fails the connection if wrong)
      head.acceptOk = head.headers['sec-websocket-accept'] === acceptKey(key);
      if (!head.acceptOk)
        this.opts.transcript?.note(
          `wrong Sec-WebSocket-Accept: ${head.headers['sec-websocket-accept'] ?? '(none)'}, expected ${acceptKey(key)}`,
          this.opts.connId,
        );
    }
    return head;
  }

  async readHttpResponse(timeoutMs = 2000): Promise<HttpHead | null> {
    const read = await this.waitFor((): HttpHead | 'overflow' | null => {
      const end = headEnd(this.buf);
      // a head past MAX_HEAD_BYTES will never be read: no point waiting for its end
      if (end < 0) return this.headOverflowNoted ? 'overflow' : null;
      const raw = this.buf.subarray(0, end).toString('latin1');
      this.buf = this.buf.subarray(end);
      return parseHead(raw);
    }, timeoutMs);
    const head = read === 'overflow' ? null : read;
    // §4.1: after a 101 the server's bytes are frames (a case may write and read more heads otherwise)
    if (head?.status === 101) this.readFrames();
    this.record('in', 'http', head ? truncateText(head.raw) : '(no HTTP response)');
    return head;
  }

  sendFrame(frame: Omit<EncodeOptions, 'mask' | 'lengthEncoding'> & { mask?: boolean }): void {
    const bytes = encodeFrame({ ...frame, mask: frame.mask ?? true });
    const payload =
      typeof frame.payload === 'string' ? Buffer.from(frame.payload) : (frame.payload ?? Buffer.alloc(0));
    this.record(
      'out',
      kindOfOpcode(frame.opcode),
      `${frameLabel(frame.opcode, frame.fin ?? true, frame.rsv ?? 0, frame.mask ?? true, frame.lengthOverride ?? payload.length)} ${describe(frame.opcode, payload)}`,
    );
    if (!this.sock.destroyed) this.sock.write(bytes);
  }

  async readFrame(timeoutMs = 2000): Promise<RawFrame | null> {
    const frames = this.readFrames();
    const frame = await this.waitFor(() => {
      const next = frames.shift();
      if (next) this.queuedBytes -= next.payload.length;
      if (this.sock.isPaused() && !this.queueFull(2)) this.sock.resume();
      if (next) return next;
      const error = this.parser.error;
      if (error) {
        // The frames before the unreadable header were read; after it the stream is lost.
        if (!this.parseErrorNoted)
          this.opts.transcript?.note(`unreadable data: ${error.message}`, this.opts.connId);
        this.parseErrorNoted = true;
        this.isEnded = true;
      }
      return null;
    }, timeoutMs);
    if (frame) {
      this.record(
        'in',
        kindOfOpcode(frame.opcode),
        `${frameLabel(frame.opcode, frame.fin, frame.rsv, frame.masked, frame.length)} ${
          frame.skipped
            ? `(payload over the ${this.opts.maxPayload}-byte --max-message-size: not kept)`
            : describe(frame.opcode, frame.payload)
        }`,
      );
    }
    return frame;
  }

  async ended(timeoutMs = 2000): Promise<boolean> {
    return (await this.waitFor(() => (this.isEnded ? true : null), timeoutMs)) === true;
  }

  destroy(): void {
    this.sock.destroy();
    this.markEnded();
  }
}

function frameLabel(
  opcode: number,
  fin: boolean,
  rsv: number,
  masked: boolean,
  len: number | bigint,
): string {
  return `[op=0x${opcode.toString(16)}${fin ? ' fin' : ''}${rsv ? ` rsv=${rsv}` : ''}${masked ? ' masked' : ''} len=${len}]`;
}

function describe(opcode: number, payload: Buffer): string {
  if (opcode === 0x8 && payload.length >= 2)
    return `${payload.readUInt16BE(0)} ${payload.subarray(2).toString('utf8')}`;
  if (opcode === 0x1) return truncateText(payload.toString('utf8'));
  return summarizePayload(payload);
}
