// C4: "no input crashes the server or stalls other connections". These checks run inside a hostile
// case, so that the case itself (not only the engine's canary after it) names what broke the server.
import { randomBytes } from 'node:crypto';
import type { CaseContext, Conn, ConnectOptions } from '../../src/engine/types.js';

/** C4 canary budget: handshake plus heartbeat within 2 s. */
export const SERVE_WITHIN_MS = 2000;

/**
 * MUST (C4): a new client completes the handshake and a WebSocket ping/pong within 2 s.
 * `after` names the hostile input for the reason.
 */
export async function requireServerServes(
  ctx: CaseContext,
  after: string,
  opts: ConnectOptions = {},
): Promise<void> {
  const budget = opts.timeoutMs ?? SERVE_WITHIN_MS;
  const started = Date.now();
  const res = await ctx.open({ ...opts, timeoutMs: budget });
  if (!res.ok) {
    const why = res.status === 0 ? (res.error ?? 'no answer') : `HTTP ${res.status}`;
    ctx.fail(`after ${after} a new client could not connect within ${budget} ms (${why})`);
  }
  try {
    const left = Math.max(200, budget - (Date.now() - started));
    const ok = await pingOk(res.conn, left);
    ctx.require(ok, `after ${after} a new client got no pong within ${budget} ms of connecting`);
  } finally {
    res.conn.close(1000);
  }
}

/** A WebSocket ping (RFC 6455 §5.5.2) answered by a pong with the same payload within `timeoutMs`. */
export async function pingOk(conn: Conn, timeoutMs = 1000): Promise<boolean> {
  if (!conn.isOpen) return false;
  const payload = randomBytes(8);
  conn.ping(payload);
  const pong = await conn.nextPong(timeoutMs);
  return pong?.equals(payload) === true;
}

/**
 * The connection that carried hostile input still answers a ping. Not itself a C4 failure (A4/E9
 * judge whether it must stay open), so it is reported as SHOULD where those rules keep it open.
 */
export async function shouldStillAnswer(ctx: CaseContext, conn: Conn, after: string): Promise<boolean> {
  return ctx.should(
    await pingOk(conn),
    `after ${after} the connection that sent it no longer answers a ping`,
  );
}
