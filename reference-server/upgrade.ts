// The protocol-independent checks of an upgrade request, in the order the server applies them
// (C1, C2, C4). Each returns the HTTP refusal for the first rule the request breaks. Faults switch
// off or bend exactly one check each (reference-server/faults.ts).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Endpoint, EndpointContext, UpgradeRefusal } from './endpoint.js';

/** C4: more request headers than this get 431 (Node keeps parsing up to `maxHeadersCount`). */
export const MAX_UPGRADE_HEADERS = 100;
/** the `crash-on-header-flood` fault crashes above this many headers */
export const FLOOD_CRASH_HEADERS = 500;
/** Node's parser stops counting here; above FLOOD_CRASH_HEADERS so the fault can see a flood */
export const PARSER_MAX_HEADERS = 1000;

/** RFC 6455 §4.1: the key is the base64 of 16 random bytes, i.e. 22 base64 characters and `==`. */
const KEY_RE = /^[A-Za-z0-9+/]{22}==$/;

export type HandshakeVerdict = UpgradeRefusal | { endpoint: Endpoint | undefined; crash?: true };

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** C2: exact match against the allow-list; the origin faults bend exactly this comparison. */
function originAllowed(ctx: EndpointContext, origin: string | undefined): boolean {
  const list = ctx.options.origins;
  if (list.length === 0) return true; // no allow-list configured: no origin check
  if (origin === undefined) return !ctx.has('origin-missing-rejected'); // non-browser clients send none
  if (origin === 'null' && ctx.has('origin-null-allowed')) return true;
  if (ctx.has('origin-suffix-match')) return list.some((allowed) => origin.startsWith(allowed));
  return list.includes(origin);
}

/**
 * Checks path, method, version, key and origin. `endpoint: undefined` means "upgrade, but no
 * protocol behind it" (only under the `handshake-any-path` fault). May rewrite `req` so that `ws`
 * accepts what a fault lets through.
 */
export function checkHandshake(
  req: IncomingMessage,
  ctx: EndpointContext,
  endpoints: ReadonlyMap<string, Endpoint>,
): HandshakeVerdict {
  // C4: a header flood is refused before anything else looks at the headers
  const headerCount = req.rawHeaders.length / 2;
  if (ctx.has('crash-on-header-flood') && headerCount > FLOOD_CRASH_HEADERS) return { endpoint: undefined, crash: true };
  if (headerCount > MAX_UPGRADE_HEADERS) {
    return { status: 431, body: `431 too many request headers (at most ${MAX_UPGRADE_HEADERS})\n` };
  }

  // C1: unknown path → 4xx (404 SHOULD), never 101
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const endpoint = endpoints.get(path);
  if (!endpoint && !ctx.has('handshake-any-path')) return { status: ctx.has('handshake-wrong-path-400') ? 400 : 404 };

  // C1: non-GET → 4xx (RFC 6455 §4.1: the handshake is a GET)
  if (req.method !== 'GET') {
    if (!ctx.has('handshake-post-accepted')) return { status: 405, headers: { Allow: 'GET' } };
    req.method = 'GET'; // let ws complete what the fault lets through
  }

  // C1, RFC 6455 §4.2.2: unsupported version → 426 with the version we speak
  if (header(req, 'sec-websocket-version') !== '13') {
    return ctx.has('handshake-version-no-header')
      ? { status: 426 }
      : { status: 426, headers: { 'Sec-WebSocket-Version': '13' } };
  }

  // C1, RFC 6455 §4.2.1: `Upgrade: websocket` and a key that is base64 of 16 bytes, else a 4xx
  // ("such as 400": 400 SHOULD, another 4xx is non-strict)
  if (header(req, 'upgrade')?.toLowerCase() !== 'websocket') return { status: 400, body: 'Upgrade must be websocket\n' };
  const key = header(req, 'sec-websocket-key');
  if (key === undefined || !KEY_RE.test(key) || Buffer.from(key, 'base64').length !== 16) {
    if (!ctx.has('handshake-bad-key-accepted')) {
      const body = 'Sec-WebSocket-Key must be the base64 of 16 bytes\n';
      return ctx.has('handshake-bad-key-426')
        ? { status: 426, headers: { 'Sec-WebSocket-Version': '13' }, body }
        : { status: 400, body };
    }
    req.headers['sec-websocket-key'] = randomBytes(16).toString('base64');
  }

  // C2: origin allow-list, exact match, before the upgrade
  if (!originAllowed(ctx, header(req, 'origin'))) return { status: 403, body: '403 origin not allowed\n' };

  return { endpoint };
}
