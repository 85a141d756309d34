import type { Conn, Received } from '../engine/types.js';

// Waiting on a connection by position in `conn.received` rather than through `conn.next`: a case
// often needs "the first notification after I sent X", and positions make that exact no matter
// which other helper consumed what. Every wait has a timeout and ends early when the connection
// closes. Waiting does not claim a message (conn.claim): a schema violation (C5) of an answer is
// the run-wide result's and that of the cases whose rule it is (they declare `validates`), so one
// defect does not fail every case that happened to read the message (issue 9 §4).

const POLL_MS = 4;

export interface Found {
  index: number;
  message: Received;
}

/** Position to pass as `from`: everything received after this call. */
export function mark(conn: Conn): number {
  return conn.received.length;
}

/** The first message at index ≥ `from` that matches `pred`, without waiting. */
export function findFrom(conn: Conn, from: number, pred: (m: Received) => boolean): Found | null {
  const list = conn.received;
  for (let i = from; i < list.length; i++) {
    const m = list[i];
    if (m !== undefined && pred(m)) return { index: i, message: m };
  }
  return null;
}

/**
 * The first message at index ≥ `from` matching `pred`, waiting up to `timeoutMs`; null on timeout
 * or when the connection closes before one arrives.
 */
export async function waitFor(
  conn: Conn,
  from: number,
  pred: (m: Received) => boolean,
  timeoutMs: number,
): Promise<Found | null> {
  const deadline = performance.now() + timeoutMs;
  let scanned = from;
  for (;;) {
    const hit = findFrom(conn, scanned, pred);
    if (hit) return hit;
    scanned = Math.max(scanned, conn.received.length);
    if (!conn.isOpen || performance.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline - performance.now())));
  }
}

/** Resolves after `ms`, or as soon as the connection is closed. */
export async function idle(conn: Conn, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (conn.isOpen && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(20, deadline - performance.now())));
  }
}

/** A plain object (not an array), for narrowing parsed JSON. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `json.payload` of a text message when it is an object. */
export function payloadOf(m: Received): Record<string, unknown> | undefined {
  if (!isRecord(m.json)) return undefined;
  const p = m.json['payload'];
  return isRecord(p) ? p : undefined;
}

export type NotificationStatus = 'info' | 'success' | 'warning' | 'error';

/** A7: a `notification` message, optionally of one of `statuses`. */
export function isNotification(m: Received, statuses?: readonly string[]): boolean {
  if (m.type !== 'notification') return false;
  if (!statuses) return true;
  const status = payloadOf(m)?.['status'];
  return typeof status === 'string' && statuses.includes(status);
}

/** The notification's `payload.message`, '' when absent. */
export function notificationMessage(m: Received): string {
  const msg = payloadOf(m)?.['message'];
  return typeof msg === 'string' ? msg : '';
}

export function notificationStatus(m: Received): string {
  const s = payloadOf(m)?.['status'];
  return typeof s === 'string' ? s : '';
}

/** One-line summary of a message for reasons. */
export function describe(m: Received | undefined | null): string {
  if (!m) return 'nothing';
  if (m.kind === 'binary') return `a binary message of ${m.data?.length ?? 0} bytes`;
  const text = m.text ?? '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
