// Sessions on the Evolution endpoint: authentication (E2), subscriptions (E4), control of the
// shared run (E6). Each helper waits for the ping/pong sentinel, so its answer is complete.
import type { CaseContext, ConnectOptions, Conn, Received } from '../engine/types.js';
import {
  describe,
  isError,
  isType,
  mark,
  nextSince,
  pingTimestamp,
  sendAndSettle,
} from './evolution-client.js';
import { tokensFor } from './evolution-tokens.js';

/**
 * The cases that check what other Evolution cases take for granted (named in `error` results):
 * message auth (EVO-AUTH-002), header auth (EVO-AUTH-001), subscribing by `channels`
 * (EVO-SUBSCRIPTIONS-002), updates flowing while running (EVO-SUBSCRIPTIONS-008), agent ids seen
 * in agent_update events (EVO-SUBSCRIPTIONS-002 subscribes to `agents`).
 */
export const SEE = {
  authMessage: 'EVO-AUTH-002',
  authHeader: 'EVO-AUTH-001',
  subscribe: 'EVO-SUBSCRIPTIONS-002',
  updatesFlow: 'EVO-SUBSCRIPTIONS-008',
  agentSeen: 'EVO-SUBSCRIPTIONS-002',
} as const;

/** E2, E10: a close code that conforms where the profile asks for a close: 1008 or 4000–4999. */
export function closeCodeConforms(code: number): boolean {
  return code === 1008 || (code >= 4000 && code <= 4999);
}

export interface AuthResult {
  ok: boolean;
  /** errors received in answer to the auth message */
  errors: Received[];
  /** the optional auth_ok of the profile (E2: MAY) */
  authOk: boolean;
  /** the sentinel pong came back */
  settled: boolean;
}

/**
 * E2: authenticate by message. Success has no reply, so the sentinel confirms the server handled
 * the auth message without an error (an optional `auth_ok` is tolerated).
 */
export async function authenticate(conn: Conn, token: string, timeoutMs = 2000): Promise<AuthResult> {
  const r = await sendAndSettle(conn, { type: 'auth', token }, timeoutMs);
  return {
    ok: r.pong !== null && r.errors.length === 0 && conn.isOpen,
    errors: r.errors,
    authOk: r.between.some(isType('auth_ok')),
    settled: r.pong !== null,
  };
}

export function bearer(token: string): ConnectOptions {
  return { headers: { Authorization: `Bearer ${token}` } };
}

export interface AuthedOptions {
  via?: 'header' | 'message';
  /** the user (JWT sub); unique per case so per-user connection limits of other cases don't interfere */
  sub: string;
  /** the case times application pongs itself (E3): a slow pong is its finding, not a precondition */
  timesPongs?: boolean;
}

/**
 * A connection authenticated as `sub` with a valid token. Authentication is what the case needs,
 * not what it tests: a failure ends the case `error`, naming the auth case (section 4 of issue 9).
 */
export async function connectAuthed(ctx: CaseContext, opts: AuthedOptions): Promise<Conn> {
  const token = await tokensFor(ctx, opts.sub).valid();
  if (opts.via === 'header') return ctx.connect(bearer(token));
  const conn = await ctx.connect();
  const t0 = Date.now();
  const r = await authenticate(conn, token);
  const authMs = Date.now() - t0;
  ctx.precondition(
    r.ok,
    `a valid token in an auth message did not authenticate: ${r.errors.map(describe).join('; ') || (r.settled ? 'connection closed' : 'no pong after auth')}`,
    SEE.authMessage,
  );
  // A ping is answered before authentication too (E3): the sentinel's pong does not prove that the
  // token check has ended. A message only an authenticated connection may send does.
  const t1 = Date.now();
  const probe = await probeAuth(conn);
  const probeMs = Date.now() - t1;
  ctx.precondition(
    probe.state !== 'unauthenticated',
    `a message sent after a valid auth message was refused: ${probe.answer.map(describe).join('; ')}`,
    SEE.authMessage,
  );
  // Every wait of a case ends with the sentinel ping (E3: a pong within 1 s). Two slow pongs in a
  // row would make the case time out for a heartbeat defect: that is EVO-HEARTBEAT-001's finding.
  ctx.precondition(
    opts.timesPongs === true || Math.min(authMs, probeMs) < SLOW_PONG_MS,
    `the application pong took ${authMs} and ${probeMs} ms (E3: within 1 s), too slow for the sentinel every step of the case waits for`,
    'EVO-HEARTBEAT-001',
  );
  return conn;
}

/** A sentinel round trip slower than this (E3's 1 s and some slack), twice in a row, is a heartbeat defect. */
const SLOW_PONG_MS = 1200;

export interface SubscribeBody {
  channel?: string;
  channels?: string[];
  filters?: Record<string, unknown>;
}

export interface SubscribeOptions {
  /** errors in answer are returned, not judged (the case judges them) */
  allowErrors?: boolean;
  /**
   * The subscription is a precondition of the case, not its subject: a refusal ends the case
   * `error` naming this case (the one that checks subscribing), instead of failing it.
   */
  see?: string;
}

/** E4: subscribe and wait for the sentinel; an error in answer fails the case (see `opts`). */
export async function subscribe(
  ctx: CaseContext,
  conn: Conn,
  body: SubscribeBody,
  opts: SubscribeOptions = {},
): Promise<Received[]> {
  const r = await sendAndSettle(conn, { type: 'subscribe', ...body });
  const what = `subscribe ${JSON.stringify(body)}`;
  if (opts.see !== undefined) {
    ctx.precondition(r.pong !== null, `no pong after ${what}: the connection stalled or closed`, opts.see);
    if (!opts.allowErrors)
      ctx.precondition(r.errors.length === 0, `${what} got ${r.errors.map(describe).join('; ')}`, opts.see);
    return r.errors;
  }
  ctx.require(r.pong !== null, `no pong after ${what}: the connection stalled or closed`);
  if (!opts.allowErrors)
    ctx.require(r.errors.length === 0, `${what} got ${r.errors.map(describe).join('; ')} (E4)`, 'E4');
  return r.errors;
}

export async function unsubscribe(
  ctx: CaseContext,
  conn: Conn,
  body: { channel?: string; channels?: string[] },
): Promise<void> {
  const r = await sendAndSettle(conn, { type: 'unsubscribe', ...body });
  ctx.require(r.pong !== null, `no pong after unsubscribe ${JSON.stringify(body)}`);
  ctx.require(
    r.errors.length === 0,
    `unsubscribe ${JSON.stringify(body)} got ${r.errors.map(describe).join('; ')} (E4)`,
  );
}

/** The next `error` with `code` (already received and not consumed, or arriving), null on timeout. */
export function expectError(conn: Conn, code: string, timeoutMs = 2000): Promise<Received | null> {
  return conn.next(isError(code), timeoutMs);
}

export type ControlAction = 'start' | 'stop' | 'pause' | 'resume';

/** E6: send a control action; resolves with the errors it got. */
export async function control(
  conn: Conn,
  action: string,
  parameters?: Record<string, unknown>,
): Promise<Received[]> {
  const msg =
    parameters === undefined ? { type: 'control', action } : { type: 'control', action, parameters };
  return (await sendAndSettle(conn, msg)).errors;
}

/** An evolution_update from now on, null after `timeoutMs` (the connection subscribes to `evolution`). */
function nextUpdateOn(conn: Conn, timeoutMs: number): Promise<Received | null> {
  const at = mark(conn);
  return nextSince(conn, at, isType('evolution_update'), timeoutMs);
}

/** E6: at least one update per second while running; scheduling slack included. */
const RUNNING_SHOWS_WITHIN_MS = 1500;

/**
 * E6: put the shared run back into the running state (on an authenticated connection, which this
 * subscribes to `evolution` to see it). A command that does not fit the state changes nothing
 * (with or without an error), so `resume` first (paused → running; nothing otherwise) and, only
 * when no update follows, `start` (stopped → running): a running run is never restarted.
 */
export async function ensureRunning(conn: Conn): Promise<boolean> {
  if (!conn.isOpen) return false;
  await sendAndSettle(conn, { type: 'subscribe', channels: ['evolution'] });
  await control(conn, 'resume');
  if ((await nextUpdateOn(conn, RUNNING_SHOWS_WITHIN_MS)) !== null) return true;
  await control(conn, 'start');
  return (await nextUpdateOn(conn, RUNNING_SHOWS_WITHIN_MS)) !== null;
}

/**
 * Restore the running state on a fresh connection, whatever the case did (for `finally` blocks:
 * never throws, so it cannot mask the case's own verdict).
 */
export async function restoreRunning(ctx: CaseContext, sub: string): Promise<void> {
  try {
    const token = await tokensFor(ctx, `${sub}-restore`).valid();
    const r = await ctx.open();
    if (!r.ok) return;
    try {
      if ((await authenticate(r.conn, token)).ok) await ensureRunning(r.conn);
    } finally {
      r.conn.close(1000);
    }
  } catch {
    // best effort: the case's own verdict stands
  }
}

export type AuthState = 'authenticated' | 'unauthenticated' | 'no-answer';

/**
 * Whether the server treats `conn` as authenticated: `get_agent` of an id no target has is
 * answered `AGENT_NOT_FOUND` (E7) only after authentication and `UNAUTHORIZED` before (E2).
 */
export async function probeAuth(conn: Conn): Promise<{ state: AuthState; answer: Received[] }> {
  const r = await sendAndSettle(conn, { type: 'get_agent', agent_id: `wsconform-probe-${pingTimestamp()}` });
  const answer = r.between.filter(isType('error', 'agent_update'));
  if (answer.some(isError('UNAUTHORIZED', 'AUTH_FAILED'))) return { state: 'unauthenticated', answer };
  if (answer.some((m) => isError('AGENT_NOT_FOUND')(m) || m.type === 'agent_update'))
    return { state: 'authenticated', answer };
  return { state: 'no-answer', answer };
}
