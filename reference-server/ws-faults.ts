// Faults of the WebSocket layer shared by both endpoints (C1 accept/subprotocol, C3 control frames
// and close codes, C4 crash/stall). Without faults none of this code runs on a connection.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions as WsServerOptions, WebSocket, WebSocketServer } from 'ws';
import type { Clock } from './clock.js';
import type { ServerOptions } from './endpoint.js';
import type { FaultName } from './faults.js';

type Has = (fault: FaultName) => boolean;

/** ws's limit under the size faults: far above any limit a run tests, so the fault decides. */
const FAULT_MAX_PAYLOAD = 64 * 1024 * 1024;

/** ws settings; C1 (no subprotocol selected), C3 (1 MiB → 1009 from the frame header, 1007 on bad UTF-8). */
export function wsServerOptions(options: ServerOptions, has: Has): WsServerOptions {
  return {
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // ws decides 1009 from the length in the frame header, before buffering (C3); the two size
    // faults lift ws's limit (size-limit-after-payload then checks complete messages itself)
    maxPayload:
      has('no-size-limit') || has('size-limit-after-payload') ? FAULT_MAX_PAYLOAD : options.maxMessageBytes,
    autoPong: !has('pong-wrong-payload'),
    skipUTF8Validation: has('utf8-not-checked'),
    // C1: we know no subprotocol, so we never select one (ws would pick the first offered by default)
    handleProtocols: (offered: Set<string>) =>
      has('handshake-subprotocol-echo') ? (offered.values().next().value ?? false) : false,
  };
}

/** `handshake-wrong-accept`: ws emits 'headers' before writing the 101, so the accept can be bent there. */
export function installHandshakeFaults(wss: WebSocketServer, has: Has): void {
  if (!has('handshake-wrong-accept')) return;
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    const i = headers.findIndex((h) => h.toLowerCase().startsWith('sec-websocket-accept:'));
    // SHA-1 of the key without the RFC 6455 §4.2.2 GUID: plausible-looking and wrong
    const wrong = createHash('sha1').update(String(req.headers['sec-websocket-key'])).digest('base64');
    if (i >= 0) headers[i] = `Sec-WebSocket-Accept: ${wrong}`;
  });
}

function hasProtoKey(text: string): boolean {
  let found = false;
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor' || value === '__proto__' || value === 'constructor') {
        found = true;
      }
      return value;
    });
  } catch {
    return false;
  }
  return found;
}

/** stall-on-flood: messages on one connection within 1 s that trigger the stall */
const FLOOD_MESSAGES = 400;

/**
 * C4 faults: block the event loop on purpose, stalling every connection. Real time, not the
 * server's clock: the point is a real stall, and a manual clock could not move during it.
 */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

function hasNonStringType(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && 'type' in value && typeof value.type !== 'string';
  } catch {
    return false;
  }
}

/**
 * Is this call of ws.close the echo of a close frame the peer sent (RFC 6455 §5.5.1)? ws echoes
 * with `close()` (no status code received) or `close(code, reasonBuffer)`; it answers a protocol
 * error with `close(code)`; the server's own code always passes a string reason. So the call's
 * shape tells, without reading ws's private state.
 */
function isEcho(code: number | undefined, reason: string | Buffer | undefined): boolean {
  return code === undefined || Buffer.isBuffer(reason);
}

export interface ConnectionFaultContext {
  has: Has;
  crash: () => void;
  clock: Clock;
  maxMessageBytes: number;
}

/** Installs the per-connection faults; must run before the endpoint adds its own listeners. */
export function installConnectionFaults(ws: WebSocket, ctx: ConnectionFaultContext): void {
  const { has, crash, clock, maxMessageBytes } = ctx;
  if (has('size-limit-after-payload')) {
    // C3 SHOULD: 1009 decided only once the whole message has been read (ws buffered it), not
    // from the length in the frame header
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      if (size > maxMessageBytes) ws.close(1009, 'message too big');
    });
  }
  if (has('unsolicited-pong-closes')) {
    // the server never pings, so every pong it receives is unsolicited (RFC 6455 §5.5.3 allows them)
    ws.on('pong', () => ws.close(1002, 'unexpected pong'));
  }
  if (has('pong-wrong-payload')) {
    // autoPong is off: answer with the payload's bytes inverted (never equal to the ping's)
    ws.on('ping', (data: Buffer) => {
      const bent = data.length === 0 ? Buffer.from('x') : Buffer.from(data.map((b) => b ^ 0xff));
      ws.pong(bent);
    });
  }
  if (has('close-wrong-code') || has('close-no-echo') || has('protocol-error-wrong-code')) {
    const close = ws.close.bind(ws);
    ws.close = (code?: number, reason?: string | Buffer) => {
      let c = code;
      const echo = isEcho(code, reason);
      if (has('close-no-echo') && echo) {
        ws.terminate();
        return;
      }
      if (has('close-wrong-code') && echo) c = 1000;
      // ws calls close(1002) on a protocol error of the client
      if (has('protocol-error-wrong-code') && c === 1002) c = 1000;
      close(c, reason);
    };
  }
  if (has('crash-on-wrong-type') || has('crash-on-binary-garbage')) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // a binary message that is not even a JSON header (E11's agent_code starts with '{')
      if (isBinary) {
        if (has('crash-on-binary-garbage') && data[0] !== 0x7b) crash();
        return;
      }
      if (has('crash-on-wrong-type') && hasNonStringType(data.toString('utf8'))) crash();
    });
  }
  if (has('stall-on-flood')) {
    let windowStart = 0;
    let count = 0;
    let stalled = false;
    ws.on('message', () => {
      const now = clock.monotonic();
      if (now - windowStart > 1000) {
        windowStart = now;
        count = 0;
      }
      if (++count > FLOOD_MESSAGES && !stalled) {
        stalled = true;
        blockEventLoop(3000);
      }
    });
  }
  if (has('crash-on-proto-key') || has('stall-on-bad-json')) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const text = data.toString('utf8');
      if (has('crash-on-proto-key') && hasProtoKey(text)) crash();
      if (has('stall-on-bad-json')) {
        try {
          JSON.parse(text);
        } catch {
          blockEventLoop(3000);
        }
      }
    });
  }
}
