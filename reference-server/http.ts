// Plain HTTP of the reference server: refusing an upgrade on the raw socket, /healthz, /metrics,
// and answers to requests that are not upgrades.
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from './clock.js';
import type { UpgradeRefusal } from './endpoint.js';
import type { ServerMetrics } from './metrics.js';

/**
 * Answers a refused upgrade on the raw socket and closes it (the 'upgrade' event hands us the socket
 * before any HTTP response object exists). `Connection: close` because the socket is not reused.
 */
export function refuse(socket: Duplex, refusal: UpgradeRefusal): void {
  if (socket.destroyed) return;
  const body = refusal.body ?? `${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\n`;
  const lines = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  for (const [name, value] of Object.entries(refusal.headers ?? {})) lines.push(`${name}: ${value}`);
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export interface HttpInfo {
  metrics: ServerMetrics;
  wsPaths: ReadonlySet<string>;
  clock: Clock;
  /** clock.monotonic() at start */
  startedAt: number;
}

/** GET /healthz, GET /metrics; a WebSocket path without an upgrade gets 426 (RFC 6455 §4.2.2). */
export function handleRequest(info: HttpInfo, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/healthz' && isRead) {
    const body = JSON.stringify({
      status: 'ok',
      uptimeSeconds: Math.round((info.clock.monotonic() - info.startedAt) / 1000),
      connections: info.metrics.connectionsOpen,
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body);
  } else if (path === '/metrics' && isRead) {
    res
      .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(info.metrics.toPrometheus());
  } else if (info.wsPaths.has(path)) {
    res
      .writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13' })
      .end('426 Upgrade Required: this path speaks WebSocket\n');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 Not Found\n');
  }
}

/**
 * Node's parser errors (C4: header floods → 431, half-open handshakes → 408 after headersTimeout):
 * answer when the socket can still carry an answer, then drop it.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  refuse(socket, { status });
}
