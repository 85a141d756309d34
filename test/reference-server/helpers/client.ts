// A recording WebSocket client for the reference-server tests. Every text message it receives is
// validated against the protocol's server schemas (C5); `useSchemaCheck()` fails a test that saw
// a violation.
import { afterEach, beforeAll, expect } from 'vitest';
import WebSocket from 'ws';
import type { Protocol, Violation } from '../../../src/engine/types.js';
import { validateServerMessage } from '../../../src/schema/index.js';

export interface Msg {
  type: string;
  [key: string]: unknown;
}

export interface OpenOptions {
  headers?: Record<string, string>;
  origin?: string;
  protocols?: string[];
  timeoutMs?: number;
  /** skip schema validation (fault tests that expect broken messages) */
  validate?: boolean;
}

const seen: { url: string; violation: Violation; message: unknown }[] = [];

/** Registers an afterEach that fails the test if any received message broke its schema. */
export function useSchemaCheck(): void {
  // compile the validators up front: compiling on the first message would block the event loop
  // (the server runs in this process) in the middle of a timed test
  beforeAll(() => {
    validateServerMessage('evolution', { type: 'pong', timestamp: 0 });
    validateServerMessage('atheria', { type: 'notification', payload: { status: 'info', message: '' } });
  });
  afterEach(() => {
    const found = seen.splice(0);
    expect(found, 'server messages must validate against spec/ (C5)').toEqual([]);
  });
}

function protocolOf(url: string): Protocol {
  return new URL(url).pathname === '/ws' ? 'atheria' : 'evolution';
}

export class Client {
  readonly messages: Msg[] = [];
  readonly binary: Buffer[] = [];
  private consumed = new Set<number>();
  private waiters = new Set<() => void>();
  private closeInfo: { code: number; reason: string } | undefined;

  private constructor(
    readonly ws: WebSocket,
    url: string,
    validate: boolean,
  ) {
    const protocol = protocolOf(url);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.binary.push(data);
      else {
        const json = JSON.parse(data.toString()) as Msg;
        if (validate) {
          for (const violation of validateServerMessage(protocol, json))
            seen.push({ url, violation, message: json });
        }
        this.messages.push(json);
      }
      this.wake();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  static open(url: string, opts: OpenOptions = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts.protocols ?? [], {
        headers: opts.headers,
        origin: opts.origin,
        handshakeTimeout: opts.timeoutMs ?? 3000,
        perMessageDeflate: false,
      });
      const client = new Client(ws, url, opts.validate ?? true);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  sendBinary(data: Buffer): void {
    this.ws.send(data, { binary: true });
  }

  private take(pred: (m: Msg) => boolean): Msg | undefined {
    for (let i = 0; i < this.messages.length; i++) {
      const m = this.messages[i];
      if (m && !this.consumed.has(i) && pred(m)) {
        this.consumed.add(i);
        return m;
      }
    }
    return undefined;
  }

  /** the first not yet taken message matching `pred` (a type name or predicate), or undefined on timeout */
  maybeNext(pred: string | ((m: Msg) => boolean), timeoutMs = 2000): Promise<Msg | undefined> {
    const match = typeof pred === 'string' ? (m: Msg) => m.type === pred : pred;
    return new Promise((resolve) => {
      const check = () => {
        const m = this.take(match);
        if (m || this.closeInfo) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(this.take(match));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** marks everything received so far as taken: later `next` calls see only newer messages */
  skip(): void {
    for (let i = 0; i < this.messages.length; i++) this.consumed.add(i);
  }

  /** like maybeNext, but a timeout throws with what was received */
  async next(pred: string | ((m: Msg) => boolean), timeoutMs = 2000): Promise<Msg> {
    const m = await this.maybeNext(pred, timeoutMs);
    if (!m) {
      const got = this.messages.slice(-5).map((x) => JSON.stringify(x).slice(0, 200));
      throw new Error(
        `no matching message within ${timeoutMs} ms (closed: ${JSON.stringify(this.closeInfo)}); last: ${got.join(' | ')}`,
      );
    }
    return m;
  }

  /** an error message with this code */
  error(code: string, timeoutMs = 2000): Promise<Msg> {
    return this.next(
      (m) => m.type === 'error' && (m['error'] as { code?: string } | undefined)?.code === code,
      timeoutMs,
    );
  }

  /** messages matching `pred` that arrive within `ms` (also takes them) */
  async collect(ms: number, pred: string | ((m: Msg) => boolean) = () => true): Promise<Msg[]> {
    const match = typeof pred === 'string' ? (m: Msg) => m.type === pred : pred;
    const start = this.messages.length;
    await new Promise((r) => setTimeout(r, ms));
    const out: Msg[] = [];
    for (let i = start; i < this.messages.length; i++) {
      const m = this.messages[i];
      if (m && !this.consumed.has(i) && match(m)) {
        this.consumed.add(i);
        out.push(m);
      }
    }
    return out;
  }

  /** takes every message received so far that is not yet taken and matches `pred` */
  takeAll(pred: string | ((m: Msg) => boolean)): Msg[] {
    const out: Msg[] = [];
    for (let m = this.take(typeof pred === 'string' ? (x) => x.type === pred : pred); m; ) {
      out.push(m);
      m = this.take(typeof pred === 'string' ? (x) => x.type === pred : pred);
    }
    return out;
  }

  /** close code and reason if the connection has closed by now */
  get closedWith(): { code: number; reason: string } | undefined {
    return this.closeInfo;
  }

  /**
   * Resolves when a WebSocket ping sent now has been answered, or the connection has closed: the
   * server answers the ping after its (synchronous) handlers of every earlier message and its
   * timers that already fired, so all they sent has arrived. Lets a test see that something did
   * NOT happen without waiting out a timeout.
   */
  sync(timeoutMs = 2000): Promise<void> {
    return this.settle(timeoutMs, (done) => {
      const payload = Buffer.from(`sync-${++this.syncs}`);
      const onPong = (data: Buffer) => {
        if (data.equals(payload)) done();
      };
      this.ws.on('pong', onPong);
      if (this.isOpen) this.ws.ping(payload);
      return () => this.ws.off('pong', onPong);
    });
  }

  /**
   * Like sync, with an application ping (E3): its pong waits behind an async handler of an earlier
   * message (an auth token check, E2 order), which a WebSocket ping does not.
   */
  syncApp(timeoutMs = 2000): Promise<void> {
    const timestamp = Date.now() + ++this.syncs / 1000;
    return this.settle(timeoutMs, (done) => {
      const check = () => {
        if (this.messages.some((m) => m.type === 'pong' && m['timestamp'] === timestamp)) done();
      };
      this.waiters.add(check);
      if (this.isOpen) this.send({ type: 'ping', timestamp });
      return () => this.waiters.delete(check);
    });
  }

  private syncs = 0;

  private settle(timeoutMs: number, start: (done: () => void) => () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      let stop = () => {};
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(onClose);
        stop();
        if (error) reject(error);
        else resolve();
      };
      const onClose = () => {
        if (this.closeInfo) finish();
      };
      const timer = setTimeout(() => finish(new Error(`no answer to a sync within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.add(onClose);
      stop = start(() => finish());
      onClose();
    });
  }

  /** close code and reason once closed, or undefined on timeout */
  closed(timeoutMs = 2000): Promise<{ code: number; reason: string } | undefined> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.closeInfo) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(this.closeInfo);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.terminate();
  }
}

/** HTTP status of an upgrade attempt (101 when it succeeded; the connection is then closed) */
export function upgradeStatus(
  url: string,
  opts: OpenOptions = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; protocol?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? [], {
      headers: opts.headers,
      origin: opts.origin,
      handshakeTimeout: opts.timeoutMs ?? 3000,
    });
    ws.on('error', () => {});
    ws.once('upgrade', (res) => {
      resolve({ status: 101, headers: res.headers });
    });
    ws.once('open', () => ws.terminate());
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

/** a connection that is authenticated by an auth message (waits for auth_ok) */
export async function authed(url: string, jwt: string, opts: OpenOptions = {}): Promise<Client> {
  const c = await Client.open(url, opts);
  c.send({ type: 'auth', token: jwt });
  await c.next('auth_ok');
  return c;
}
