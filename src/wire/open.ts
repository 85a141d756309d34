import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { ConnectOptions, OpenResult } from '../engine/types.js';
import { type InboundChecker, WsConn } from './conn.js';
import { type Transcript, truncateText } from './transcript.js';

// The opening handshake (RFC 6455 §4.1) through `ws`, turned into an OpenResult that never throws:
// a refusal (§4.1: "If the status code received from the server is not 101, the client handles the
// response per HTTP procedures") keeps its status, headers and body for the case to judge; a TCP
// failure or a timeout is status 0 with the error text.

export interface OpenDeps {
  transcript: Transcript;
  connId: number;
  /** null to skip schema validation (ConnectOptions.skipValidation) */
  checker: InboundChecker | null;
  /** the run's --max-message-size: the receive limit is derived from it (receiveLimit) */
  maxMessageBytes: number;
}

/** The smallest receive limit: a server may send larger messages than it accepts (an Atheria 256×256 frame is about 1 MB). */
export const RECEIVE_FLOOR_BYTES = 16 * 1024 * 1024;

/**
 * The largest message the recorded client keeps (issue 12 §2: memory bounded whatever the server
 * sends; ws's own default is 100 MiB): the run's --max-message-size, but never below
 * RECEIVE_FLOOR_BYTES. A larger message makes ws close 1009 (RFC 6455 §7.4.1), noted in the
 * transcript by WsConn.
 */
export function receiveLimit(maxMessageBytes: number): number {
  return Math.max(maxMessageBytes, RECEIVE_FLOOR_BYTES);
}

export type WsOpenResult =
  | { ok: true; conn: WsConn; status: 101; headers: Record<string, string | string[] | undefined> }
  | Extract<OpenResult, { ok: false }>;

/** Longest refusal body kept. */
const MAX_BODY_BYTES = 64 * 1024;
/** How long to wait for a refusal body after its head. */
const BODY_WAIT_MS = 1000;

/** The URL to upgrade: the target with `path` (path + query) instead of its own, when given. */
export function resolveUrl(target: string, path?: string): string {
  return path === undefined ? target : new URL(path, target).href;
}

export function openWs(target: string, opts: ConnectOptions, deps: OpenDeps): Promise<WsOpenResult> {
  const url = resolveUrl(target, opts.path);
  const timeoutMs = opts.timeoutMs ?? 2000;
  const { transcript, connId } = deps;
  transcript.add('out', 'http', describeRequest(url, opts), connId);

  return new Promise((resolve) => {
    let settled = false;
    let upgrade: IncomingMessage | undefined;
    const finish = (r: WsOpenResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      transcript.add('in', 'http', describeResult(r), connId);
      resolve(r);
    };
    const refused = (
      status: number,
      headers: WsOpenResult['headers'],
      body: string,
      error?: string,
    ): WsOpenResult => {
      const r: WsOpenResult = { ok: false, status, headers, body };
      if (error !== undefined) r.error = error;
      return r;
    };

    const ws = new WebSocket(url, opts.protocols ?? [], {
      headers: opts.headers,
      origin: opts.origin,
      handshakeTimeout: timeoutMs,
      // Extensions would change the frames on the wire (§9); the harness speaks plain frames.
      perMessageDeflate: false,
      followRedirects: false,
      maxPayload: receiveLimit(deps.maxMessageBytes),
    });
    // A safety net beside ws's own handshake timeout, which only counts idle time.
    const timer = setTimeout(() => {
      ws.terminate();
      finish(refused(0, {}, '', `handshake timed out after ${timeoutMs} ms`));
    }, timeoutMs + 500);

    ws.on('upgrade', (res) => {
      upgrade = res;
    });
    ws.on('error', (err) => {
      // After a 101, ws still rejects a wrong Sec-WebSocket-Accept or an unoffered subprotocol
      // (§4.1 steps 4 and 6): report the 101 and the reason.
      if (upgrade) finish(refused(upgrade.statusCode ?? 101, upgrade.headers, '', err.message));
      else finish(refused(0, {}, '', err.message));
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        clearTimeout(bodyTimer);
        ws.terminate();
        finish(refused(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8')));
      };
      const bodyTimer = setTimeout(done, BODY_WAIT_MS);
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
        size += chunk.length;
      });
      res.on('end', done);
      res.on('error', done);
    });
    ws.once('open', () => {
      // Built synchronously in 'open', before any message event, so nothing is missed.
      const conn = new WsConn(ws, connId, transcript, deps.checker);
      if (settled) {
        conn.terminate();
        return;
      }
      finish({ ok: true, conn, status: 101, headers: upgrade?.headers ?? {} });
    });
  });
}

function describeRequest(url: string, opts: ConnectOptions): string {
  const u = new URL(url);
  const parts: string[] = [];
  if (opts.origin !== undefined) parts.push(`Origin: ${opts.origin}`);
  if (opts.protocols?.length) parts.push(`Sec-WebSocket-Protocol: ${opts.protocols.join(', ')}`);
  for (const [k, v] of Object.entries(opts.headers ?? {})) parts.push(`${k}: ${truncateText(v, 80)}`);
  return `GET ${u.pathname}${u.search} HTTP/1.1${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

function describeResult(r: WsOpenResult): string {
  if (r.ok) {
    const proto = r.headers['sec-websocket-protocol'];
    return `101 Switching Protocols${proto ? ` (Sec-WebSocket-Protocol: ${String(proto)})` : ''}`;
  }
  if (r.status === 0) return `no HTTP answer: ${r.error ?? 'unknown error'}`;
  const detail = r.error ? ` — ${r.error}` : r.body ? `: ${truncateText(r.body, 200)}` : '';
  return `${r.status}${detail}`;
}
