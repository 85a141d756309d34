// Client-side building blocks of the Evolution cases: message predicates, positions in a
// connection's received messages, the ping/pong sentinel, channels. Every wait has a timeout.
import type { Conn, Received } from '../engine/types.js';
import { loadManifest } from '../schema/manifest.js';

export interface ErrorBody {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** E9: the `error` object of an `error` message, undefined for anything else. */
export function errorOf(m: Received): ErrorBody | undefined {
  if (m.type !== 'error' || !isObject(m.json)) return undefined;
  const body = m.json['error'];
  return isObject(body) ? body : {};
}

export const isType =
  (...types: string[]) =>
  (m: Received): boolean =>
    m.type !== undefined && types.includes(m.type);

/** An `error` message, with one of `codes` when given. */
export const isError =
  (...codes: string[]) =>
  (m: Received): boolean => {
    const body = errorOf(m);
    return body !== undefined && (codes.length === 0 || codes.includes(String(body.code)));
  };

/** The `data` object of an event, {} when absent. */
export function dataOf(m: Received): Record<string, unknown> {
  if (!isObject(m.json)) return {};
  const data = m.json['data'];
  return isObject(data) ? data : {};
}

export function describe(m: Received): string {
  return m.text !== undefined ? m.text.slice(0, 200) : `<binary ${m.data?.length ?? 0} bytes>`;
}

/** Position in `conn.received`; messages at or after it arrived later. */
export const mark = (conn: Conn): number => conn.received.length;
export const indexOf = (conn: Conn, m: Received): number => conn.received.indexOf(m);
/** Messages received since `at` (a `mark`), matching `pred`. */
export function since(conn: Conn, at: number, pred: (m: Received) => boolean = () => true): Received[] {
  return conn.received.slice(at).filter(pred);
}
/** The next message at or after `at` matching `pred`, null on timeout or close. */
export function nextSince(
  conn: Conn,
  at: number,
  pred: (m: Received) => boolean,
  timeoutMs: number,
): Promise<Received | null> {
  const seen = conn.received.slice(at).find(pred);
  if (seen) return Promise.resolve(seen);
  return conn.next((m) => pred(m) && indexOf(conn, m) >= at, timeoutMs);
}

let lastPing = 0;
/** A ping timestamp (ms since the epoch) unique within this process, so pongs can be told apart. */
export function pingTimestamp(): number {
  lastPing = Math.max(Date.now(), lastPing + 1);
  return lastPing;
}

export interface RoundTrip {
  /** the pong, null if none came in time */
  pong: Received | null;
  /** everything received between the message(s) sent and the pong (or the timeout) */
  between: Received[];
}

/**
 * The sentinel: send an application ping (E3) and wait for the next pong. The server handles a
 * connection's messages in order (E2), so whatever it answers to the messages sent before the
 * ping has arrived when the pong does. `at` is the mark taken before those messages were sent.
 */
export async function roundTrip(
  conn: Conn,
  at = mark(conn),
  timeoutMs = 2000,
  extraPongs = 0,
): Promise<RoundTrip> {
  conn.sendJson({ type: 'ping', timestamp: pingTimestamp() });
  // `extraPongs`: pongs the messages before the sentinel earn themselves (they were pings).
  let pong: Received | null = null;
  let from = at;
  for (let k = 0; k <= extraPongs; k++) {
    pong = await nextSince(conn, from, isType('pong'), timeoutMs);
    if (pong === null) break;
    from = indexOf(conn, pong) + 1;
  }
  const end = pong ? indexOf(conn, pong) : conn.received.length;
  return { pong, between: conn.received.slice(at, end) };
}

export type Settled = RoundTrip & { errors: Received[] };

/** Run `send` (which sends one or more messages), then the sentinel; resolves with the errors they got. */
export async function settle(
  conn: Conn,
  send: () => void,
  timeoutMs = 2000,
  extraPongs = 0,
): Promise<Settled> {
  const at = mark(conn);
  send();
  const rt = await roundTrip(conn, at, timeoutMs, extraPongs);
  return { ...rt, errors: rt.between.filter(isError()) };
}

/** Send `message`, then the sentinel; resolves with the errors the message got. */
export function sendAndSettle(conn: Conn, message: unknown, timeoutMs = 2000): Promise<Settled> {
  return settle(conn, () => conn.sendJson(message), timeoutMs);
}

/** E9: an error text must not carry a stack trace. */
export function looksLikeStack(text: string): boolean {
  return (
    /\n\s+at\s+\S+/.test(text) ||
    /\bat\s+\S+\s+\((?:file:|node:|\/)[^)]*:\d+:\d+\)/.test(text) ||
    /node:internal/.test(text)
  );
}

/** Every channel of the protocol (E4). */
export function allChannels(): string[] {
  return Object.keys(loadManifest('evolution').channels);
}

/** The event types a set of channels carries (E4). */
export function typesOf(channels: Iterable<string>): Set<string> {
  const map = loadManifest('evolution').channels;
  const out = new Set<string>();
  for (const c of channels) for (const t of map[c] ?? []) out.add(t);
  return out;
}

/** Every event type (the union over all channels). */
export function eventTypes(): Set<string> {
  return typesOf(allChannels());
}

export const isEvent = (m: Received): boolean => m.type !== undefined && eventTypes().has(m.type);

/** E11: a binary agent_code message: UTF-8 JSON header, a newline byte (0x0A), the code bytes. */
export function agentCode(header: unknown, code: string | Uint8Array): Uint8Array {
  const head = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const body = typeof code === 'string' ? Buffer.from(code, 'utf8') : Buffer.from(code);
  return Buffer.concat([head, Buffer.from([0x0a]), body]);
}
