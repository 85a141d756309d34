// Test helper: a recording Atheria client. Every message it receives is checked as the harness
// would (C5 schemas via src/schema; A6 header/payload pairing and decoding); problems are
// collected in `violations` so that normal tests can assert there are none and fault tests can
// assert there are.
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { decode as decodeCbor } from 'cbor-x';
import WebSocket from 'ws';
import {
  ATHERIA_FRAME_PAYLOAD_REF,
  formatViolation,
  validateRef,
  validateServerMessage,
} from '../../src/schema/index.js';

export type Json = Record<string, unknown>;

export interface Received {
  at: number;
  kind: 'text' | 'binary';
  /** parsed JSON of a text message, or the decoded payload of a binary frame */
  json: Json;
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class AtheriaClient {
  readonly received: Received[] = [];
  readonly violations: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private pendingHeader: { format: unknown; size: unknown } | null = null;
  private waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => this.onMessage(data, isBinary));
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, timeoutMs = 2000): Promise<AtheriaClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      // messages may arrive right after 'open': record from the start
      const client = new AtheriaClient(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no connection to ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** `{type: "scope.command", payload}` (A2) */
  command(name: string, payload: Json = {}): void {
    this.send({ type: name, payload });
  }

  /** Index the next message will get: pass to waitFor(…, from) to ignore what came before. */
  get mark(): number {
    return this.received.length;
  }

  async waitFor(pred: (m: Received) => boolean, timeoutMs = 2000, from = 0): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.slice(from).find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** The next message of `type` (text JSON, or a binary frame counted as simulation_frame). */
  next(type: string, timeoutMs = 2000, from = this.mark): Promise<Received> {
    return this.waitFor((m) => typeOf(m) === type, timeoutMs, from);
  }

  /** The next notification after `from`. */
  async notification(from: number, timeoutMs = 2000): Promise<{ status: unknown; message: unknown }> {
    const m = await this.next('notification', timeoutMs, from);
    const p = isRecord(m.json['payload']) ? m.json['payload'] : {};
    return { status: p['status'], message: p['message'] };
  }

  private syncs = 0;

  /**
   * Resolves when a WebSocket ping sent now has been answered (or the connection has closed): the
   * server answers it after handling every earlier message and after the frames of timers that
   * already fired, so everything they sent has arrived. Proves an absence without a timeout.
   */
  sync(timeoutMs = 2000): Promise<void> {
    const payload = Buffer.from(`sync-${++this.syncs}`);
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.ws.off('pong', onPong);
        this.ws.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onPong = (data: Buffer): void => {
        if (data.equals(payload)) done();
      };
      const onClose = (): void => done();
      const timer = setTimeout(() => done(new Error(`no answer to a sync within ${timeoutMs} ms`)), timeoutMs);
      this.ws.on('pong', onPong);
      this.ws.on('close', onClose);
      if (this.ws.readyState === WebSocket.OPEN) this.ws.ping(payload);
      else if (this.ws.readyState === WebSocket.CLOSED) done();
    });
  }

  frames(from = 0): Received[] {
    return this.received.slice(from).filter((m) => typeOf(m) === 'simulation_frame');
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const at = Date.now();
    if (isBinary) this.onBinary(data, at);
    else this.onText(data.toString(), at);
    for (const w of [...this.waiters]) w();
  }

  private onText(text: string, at: number): void {
    if (this.pendingHeader)
      this.violations.push(`A6: text message between binary header and payload: ${text.slice(0, 80)}`);
    this.pendingHeader = null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.violations.push(`text message is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    for (const v of validateServerMessage('atheria', json)) this.violations.push(`C5: ${formatViolation(v)}`);
    if (!isRecord(json)) return;
    if (json['type'] === 'simulation_frame_binary')
      this.pendingHeader = { format: json['format'], size: json['size'] };
    else if (json['type'] === 'simulation_frame' && json['is_binary'] === true) {
      this.violations.push('A6 (SHOULD): legacy binary header without size');
      this.pendingHeader = { format: json['format'], size: undefined };
      return; // a header, not a frame
    }
    this.received.push({ at, kind: 'text', json });
  }

  private onBinary(data: Buffer, at: number): void {
    const header = this.pendingHeader;
    this.pendingHeader = null;
    if (!header) {
      this.violations.push('A6: binary message without a header');
      return;
    }
    if (header.size !== undefined && header.size !== data.length) {
      this.violations.push(`A6: header size ${String(header.size)} but ${data.length} bytes followed`);
    }
    let decoded: unknown;
    try {
      decoded = header.format === 'cbor' ? decodeCbor(data) : decodeMsgpack(data);
    } catch (e) {
      this.violations.push(`A6: payload does not decode as ${String(header.format)}: ${String(e)}`);
      return;
    }
    for (const v of validateRef(ATHERIA_FRAME_PAYLOAD_REF, decoded))
      this.violations.push(`A6: ${formatViolation(v)}`);
    if (isRecord(decoded)) this.received.push({ at, kind: 'binary', json: decoded });
  }
}

export function typeOf(m: Received): string {
  if (m.kind === 'binary') return 'simulation_frame';
  return typeof m.json['type'] === 'string' ? m.json['type'] : '';
}

/** payload of a text message, or the decoded binary payload */
export function payloadOf(m: Received): Json {
  if (m.kind === 'binary') return m.json;
  return isRecord(m.json['payload']) ? m.json['payload'] : {};
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
