import { createHash, randomBytes } from 'node:crypto';

// The HTTP/1.1 side of the opening handshake (RFC 6455 §4.1, §4.2.2), for the raw connection.

/** §1.3: the GUID appended to the key before hashing. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** §4.2.2 step 5.4: the Sec-WebSocket-Accept value a server must send for `key`. */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
}

/** §4.1: a Sec-WebSocket-Key is a random 16-byte nonce, base64-encoded. */
export function newKey(): string {
  return randomBytes(16).toString('base64');
}

export interface HttpHead {
  status: number;
  /** header names lower-cased; repeated headers joined with ', ' */
  headers: Record<string, string>;
  /** the head as received, up to the blank line */
  raw: string;
  /** for the answer to a handshake() upgrade: whether a 101's Sec-WebSocket-Accept is right (§4.1) */
  acceptOk?: boolean;
}

/** Index just past the blank line that ends an HTTP head, or -1 when it has not arrived yet. */
export function headEnd(buf: Buffer): number {
  const i = buf.indexOf('\r\n\r\n');
  return i < 0 ? -1 : i + 4;
}

/** Parses a response head (status line + header lines). A garbled status line gives status 0. */
export function parseHead(raw: string): HttpHead {
  const lines = raw.split('\r\n');
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(lines[0] ?? '');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: m ? Number(m[1]) : 0, headers, raw: raw.replace(/\r\n\r\n$/, '') };
}

/**
 * A §4.1 client upgrade request. `headers` are merged over the defaults case-insensitively; a
 * header given as undefined is left out (e.g. to send no Sec-WebSocket-Key).
 */
export function upgradeRequest(opts: {
  host: string;
  path: string;
  method?: string;
  key: string;
  headers?: Record<string, string | undefined>;
}): string {
  const merged = new Map<string, [string, string | undefined]>();
  const put = (name: string, value: string | undefined) => merged.set(name.toLowerCase(), [name, value]);
  put('Host', opts.host);
  put('Upgrade', 'websocket');
  put('Connection', 'Upgrade');
  put('Sec-WebSocket-Key', opts.key);
  put('Sec-WebSocket-Version', '13');
  for (const [name, value] of Object.entries(opts.headers ?? {})) put(name, value);
  let req = `${opts.method ?? 'GET'} ${opts.path} HTTP/1.1\r\n`;
  for (const [name, value] of merged.values()) if (value !== undefined) req += `${name}: ${value}\r\n`;
  return `${req}\r\n`;
}
