import type { RawData, WebSocket } from 'ws';
import type { CloseInfo, Conn, InboundChecker, Received, Violation } from '../engine/types.js';
import { summarizeBinary, summarizePayload, type Transcript, truncateText } from './transcript.js';

// A recorded client connection over `ws` (masked frames as RFC 6455 §5.3 requires of clients).
// Every message is recorded in the case's transcript and run through the protocol's inbound
// checker (profile C5); every wait has a timeout and cleans up its timer, and the socket's
// listeners are attached once, here, so waits never add listeners.

export type { InboundChecker };

/** Default wait for next() / nextPong() / closed(). */
export const DEFAULT_WAIT_MS = 2000;

interface Waiter {
  /** returns true when the waiter is satisfied (and so removed) */
  message?(m: Received, index: number): boolean;
  pong?(payload: Buffer): boolean;
  closed(info: CloseInfo): void;
}

export class WsConn implements Conn {
  readonly received: Received[] = [];
  readonly violations: Violation[] = [];
  private readonly consumed: boolean[] = [];
  /** messages the case claimed: their violations are the case's findings */
  private readonly claimed = new Set<Received>();
  private readonly waiters = new Set<Waiter>();
  private closeInfo: CloseInfo | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly id: number,
    private readonly transcript: Transcript,
    private readonly checker: InboundChecker | null,
  ) {
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(toBuffer(data), isBinary));
    ws.on('ping', (payload: Buffer) => {
      this.record('in', 'ping', summarizePayload(payload));
      // ws answers pings itself (§5.5.2); record the automatic pong too.
      this.record('out', 'pong', summarizePayload(payload));
    });
    ws.on('pong', (payload: Buffer) => {
      this.record('in', 'pong', summarizePayload(payload));
      for (const w of [...this.waiters]) if (w.pong?.(payload)) this.waiters.delete(w);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeInfo = { code, reason: reason.toString('utf8') };
      this.record('in', 'close', `${code}${reason.length ? ` ${reason.toString('utf8')}` : ''}`);
      for (const w of [...this.waiters]) w.closed(this.closeInfo);
      this.waiters.clear();
    });
    // Always listen: a protocol error from the server (e.g. invalid UTF-8, §8.1) is an event to
    // record, not an exception that kills the harness.
    ws.on('error', (err: Error & { code?: string }) =>
      this.transcript.note(
        err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? `the server sent a message over the harness's receive limit (${err.message}): not kept; the harness closed the connection 1009`
          : `connection error: ${err.message}`,
        this.id,
      ),
    );
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** whether received messages are schema-checked (false with ConnectOptions.skipValidation) */
  get checked(): boolean {
    return this.checker !== null;
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  private record(dir: 'in' | 'out', kind: 'text' | 'binary' | 'ping' | 'pong' | 'close', data: string) {
    this.transcript.add(dir, kind, data, this.id);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const m: Received = { t: this.transcript.now(), kind: isBinary ? 'binary' : 'text' };
    if (isBinary) {
      m.data = data;
      this.record('in', 'binary', summarizeBinary(data));
    } else {
      m.text = data.toString('utf8');
      this.record('in', 'text', truncateText(m.text));
      try {
        m.json = JSON.parse(m.text);
      } catch {
        // not JSON: json stays undefined
      }
      const type = (m.json as { type?: unknown } | null | undefined)?.type;
      if (typeof type === 'string') m.type = type;
    }
    const index = this.received.length;
    if (this.checker) this.check(m, index);
    this.received.push(m);
    this.consumed.push(false);
    for (const w of [...this.waiters]) if (w.message?.(m, index)) this.waiters.delete(w);
  }

  private check(m: Received, index: number): void {
    let found: Violation[];
    try {
      found = this.checker?.inbound(m) ?? [];
    } catch (err) {
      found = [
        {
          messageType: m.type ?? (m.kind === 'binary' ? '(binary)' : '(unknown)'),
          instancePath: '',
          schemaPath: '',
          message: `the inbound checker threw: ${(err as Error).message}`,
        },
      ];
    }
    for (const v of found) {
      v.index = index;
      v.example ??= m.kind === 'binary' ? summarizeBinary(m.data ?? Buffer.alloc(0)) : truncateText(m.text ?? '', 300);
      this.violations.push(v);
    }
  }

  claim(...messages: readonly Received[]): void {
    for (const m of messages) this.claimed.add(m);
  }

  /** whether the case claimed the message at this index */
  wasClaimed(index: number): boolean {
    const m = this.received[index];
    return m !== undefined && this.claimed.has(m);
  }

  private send(kind: 'text' | 'binary', data: string | Uint8Array, shown: string): void {
    this.record('out', kind, this.isOpen ? shown : `${shown} (not sent: connection not open)`);
    if (this.checker?.outbound && this.isOpen) {
      let json: unknown;
      if (typeof data === 'string') {
        try {
          json = JSON.parse(data);
        } catch {
          // not JSON
        }
      }
      this.checker.outbound(json, this.transcript.now(), kind);
    }
    // The callback swallows write errors (the error listener records them).
    this.ws.send(data, { binary: kind === 'binary' }, () => {});
  }

  sendJson(value: unknown): void {
    this.sendText(JSON.stringify(value));
  }

  sendText(text: string): void {
    this.send('text', text, truncateText(text));
  }

  sendBinary(data: Uint8Array): void {
    this.send('binary', data, summarizeBinary(data));
  }

  ping(payload: Buffer = Buffer.alloc(0)): void {
    this.record('out', 'ping', summarizePayload(payload));
    if (this.isOpen) this.ws.ping(payload, true, () => {});
  }

  close(code?: number, reason?: string): void {
    this.record('out', 'close', `${code ?? ''}${reason ? ` ${reason}` : ''}`.trim());
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  /** A wait that ends with `onTimeout()` / the close value unless a waiter callback settles it first. */
  private wait<T>(
    timeoutMs: number,
    make: (settle: (v: T) => boolean) => Omit<Waiter, 'closed'>,
    onClose: (info: CloseInfo) => T,
    onTimeout: () => T,
  ): Promise<T> {
    return new Promise<T>((resolve) => {
      let done = false;
      const settle = (v: T): boolean => {
        if (done) return true;
        done = true;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(v);
        return true;
      };
      const waiter: Waiter = { ...make(settle), closed: (info) => settle(onClose(info)) };
      const timer = setTimeout(() => settle(onTimeout()), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  next(pred: (m: Received) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<Received | null> {
    for (let i = 0; i < this.received.length; i++) {
      const m = this.received[i];
      if (m && !this.consumed[i] && pred(m)) {
        this.consumed[i] = true;
        return Promise.resolve(m);
      }
    }
    if (this.closeInfo) return Promise.resolve(null);
    return this.wait<Received | null>(
      timeoutMs,
      (settle) => ({
        message: (m, index) => {
          if (this.consumed[index] || !pred(m)) return false;
          this.consumed[index] = true;
          return settle(m);
        },
      }),
      () => null,
      () => null,
    );
  }

  collect(ms: number, pred: (m: Received) => boolean = () => true): Promise<Received[]> {
    const got: Received[] = [];
    if (this.closeInfo) return Promise.resolve(got);
    return this.wait<Received[]>(
      ms,
      () => ({
        message: (m) => {
          if (pred(m)) got.push(m);
          return false;
        },
      }),
      () => got,
      () => got,
    );
  }

  nextPong(timeoutMs = DEFAULT_WAIT_MS): Promise<Buffer | null> {
    if (this.closeInfo) return Promise.resolve(null);
    return this.wait<Buffer | null>(
      timeoutMs,
      (settle) => ({ pong: (p) => settle(p) }),
      () => null,
      () => null,
    );
  }

  closed(timeoutMs = DEFAULT_WAIT_MS): Promise<CloseInfo | null> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return this.wait<CloseInfo | null>(
      timeoutMs,
      () => ({}),
      (info) => info,
      () => null,
    );
  }

  /** Ends the connection at the end of its case: a close handshake, else a hard drop. */
  async shutdown(timeoutMs = 1000): Promise<void> {
    if (this.closeInfo) return;
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    if (!(await this.closed(timeoutMs))) this.ws.terminate();
  }

  /** Number of pending waits (for tests: nothing may be left behind). */
  get pendingWaits(): number {
    return this.waiters.size;
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
