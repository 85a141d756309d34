// E2 authentication, both ways: `Authorization: Bearer <jwt>` on the upgrade (bad → 401 before
// the upgrade), or a first `{"type":"auth","token"}` message (bad → AUTH_FAILED, then close 1008).
// E10: an authenticated connection takes a slot of its user (11th → 429 / RATE_LIMITED + 1008).
import type { IncomingMessage } from 'node:http';
import type { UpgradeRefusal } from '../endpoint.js';
import type { Evo } from './context.js';
import { verifyToken } from './jwt.js';
import { type Msg, own } from './read.js';
import type { Session } from './session.js';

/** What checkUpgrade hands to onConnection. */
export interface HeaderAuth {
  user?: string;
  exp?: number;
  /** a bad header let through by a fault: answered after the upgrade */
  failed?: string;
}

const BEARER_RE = /^Bearer +([^\s]+) *$/i;

export async function checkBearer(evo: Evo, req: IncomingMessage): Promise<UpgradeRefusal | { accept: HeaderAuth }> {
  const header = req.headers.authorization;
  if (header === undefined) return { accept: {} };
  const token = BEARER_RE.exec(header)?.[1];
  const result = token
    ? await verifyToken(token, evo.jwt)
    : { ok: false as const, reason: 'the Authorization header must be "Bearer <jwt>"' };
  if (!result.ok) {
    // evo-bad-header-silent (E2 MUST): 101 and nothing else
    if (evo.has('evo-bad-header-silent')) return { accept: {} };
    // evo-bad-header-101 (E2 SHOULD): 101, then AUTH_FAILED and 1008 instead of 401
    if (evo.has('evo-bad-header-101')) return { accept: { failed: result.reason } };
    return {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="wsconform", error="invalid_token"' },
      body: `401 ${result.reason}\n`,
    };
  }
  // evo-header-auth-ignored (E2): a valid header does not authenticate
  if (evo.has('evo-header-auth-ignored')) return { accept: {} };
  if (!evo.users.tryAcquire(result.user)) {
    evo.metrics.rateLimitRejections++;
    return { status: 429, headers: { 'Retry-After': '1' }, body: '429 too many concurrent connections for this user\n' };
  }
  // the slot is held by the TCP connection: freed when it closes, upgraded or not
  const user = result.user;
  req.socket.once('close', () => evo.users.release(user));
  return { accept: { user, exp: result.exp } };
}

/** The connection is now `user`'s (E2); events may flow once it subscribes (E4). */
export function authenticated(evo: Evo, session: Session, user: string, exp: number | undefined): void {
  session.user = user;
  session.setExpiry(exp);
  evo.hub.authenticated.add(session);
  // E2 MAY: an acknowledgement
  session.send('auth_ok', { data: { user } });
}

function failed(evo: Evo, session: Session, reason: string, token: unknown): void {
  // evo-auth-fail-silent (E2 MUST): no AUTH_FAILED
  if (!evo.has('evo-auth-fail-silent')) {
    // evo-error-echoes-token (E9): the token appears in the error
    const echo = evo.has('evo-error-echoes-token') && typeof token === 'string' ? ` (token ${token})` : '';
    session.error('AUTH_FAILED', `authentication failed: ${reason}${echo}`);
  }
  // evo-auth-fail-no-close (E2 SHOULD): the connection stays open
  if (!evo.has('evo-auth-fail-no-close')) session.close(1008, 'authentication failed');
}

/** E2: `{"type":"auth","token"}`; the caller's queue holds later messages until this resolves. */
export async function authMessage(evo: Evo, session: Session, msg: Msg): Promise<void> {
  const token = own(msg, 'token');
  const result = await verifyToken(token, evo.jwt);
  if (!session.open) return;
  if (!result.ok) {
    failed(evo, session, result.reason, token);
    return;
  }
  if (session.user !== undefined) {
    // a fresh token for the same user extends the connection's life
    if (result.user === session.user) session.setExpiry(result.exp);
    else session.error('UNAUTHORIZED', 'this connection is authenticated as another user');
    return;
  }
  if (!evo.users.tryAcquire(result.user)) {
    evo.metrics.rateLimitRejections++;
    session.error('RATE_LIMITED', `more than ${evo.options.rateConns} concurrent connections for this user`);
    session.close(1008, 'connection limit per user');
    return;
  }
  const user = result.user;
  session.ws.once('close', () => evo.users.release(user));
  authenticated(evo, session, user, result.exp);
}
