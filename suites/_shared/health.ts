// C4: "no input crashes the server or stalls other connections". These checks run inside a hostile
// case, so that the case itself (not only the engine's canary after it) names what broke the server.
//
// What C4 judges is whether the server still serves: a new client completes the handshake and gets
// *a* pong. That the pong carries the ping's payload is C3's rule, checked by the heartbeat case
// (…-HEARTBEAT-100); a C4 case never fails for it (issue 9 §4: one defect, one failing rule). And a
// server that cannot serve a fresh client even before the hostile input (a broken handshake, no
// pong at all) has that defect found by the handshake or heartbeat case: the C4 case then ends
// `error` (precondition), since it cannot tell a crash from the defect the server already has.
import { randomBytes } from 'node:crypto';
import { caseId } from '../../src/engine/define-case.js';
import { GENERIC_PRECONDITIONS } from '../../src/protocols/generic.js';
import type { CaseContext, Conn, ConnectOptions } from '../../src/engine/types.js';

/** C4 canary budget: handshake plus heartbeat within 2 s. */
export const SERVE_WITHIN_MS = 2000;

/**
 * The budget of the precondition check and of the connections that carry hostile input: generous,
 * because what they need is that the server serves at all, not within C4's 2 s (a stall caused by
 * another case running at the same time must not end this one `error`).
 */
export const PRECONDITION_MS = 5000;

/** PRECONDITION_MS under the run's --timeout-scale. */
export function preconditionMs(ctx: CaseContext): number {
  return Math.round(PRECONDITION_MS * (ctx.config.timeoutScale ?? 1));
}

/** The case that checks what `serves` found missing: the handshake, or the ping/pong. */
function seeCase(ctx: CaseContext, step: 'handshake' | 'pong'): string {
  const p = ctx.target.protocol;
  // a generic target has no handshake or heartbeat suite: its ping case (GEN-FRAMING-2.1) checks both
  if (p === 'generic') return GENERIC_PRECONDITIONS.handshake;
  return step === 'handshake' ? caseId(p, 'handshake', 100) : caseId(p, 'heartbeat', 100);
}

type Served = { ok: true } | { ok: false; step: 'handshake' | 'pong'; why: string };

/** A new client completes the handshake and gets a pong (any payload) within the budget. */
async function serves(ctx: CaseContext, opts: ConnectOptions): Promise<Served> {
  const budget = opts.timeoutMs ?? SERVE_WITHIN_MS;
  const started = Date.now();
  const res = await ctx.open({ origin: ctx.config.originAllowed, ...opts, timeoutMs: budget });
  if (!res.ok) {
    const why =
      res.status === 0
        ? (res.error ?? 'no answer')
        : `HTTP ${res.status}${res.error ? `, ${res.error}` : ''}`;
    return { ok: false, step: 'handshake', why: `could not connect within ${budget} ms (${why})` };
  }
  try {
    const left = Math.max(200, budget - (Date.now() - started));
    if (await pongWithin(res.conn, left)) return { ok: true };
    return { ok: false, step: 'pong', why: `got no pong within ${budget} ms of connecting` };
  } finally {
    res.conn.close(1000);
  }
}

/**
 * Precondition of a C4 case, checked before it sends anything hostile: a fresh client is served
 * (handshake and a pong, within PRECONDITION_MS). Ends the case `error` otherwise, naming the case that checks
 * the step that failed.
 */
export async function requireServesBefore(ctx: CaseContext): Promise<void> {
  const r = await serves(ctx, { timeoutMs: preconditionMs(ctx) });
  if (!r.ok) {
    ctx.precondition(false, `before any hostile input a new client ${r.why}`, seeCase(ctx, r.step));
  }
}

/**
 * MUST (C4): after the hostile input (`after`), a new client completes the handshake and gets a
 * pong within 2 s (or `opts.timeoutMs`).
 */
export async function requireServerServes(
  ctx: CaseContext,
  after: string,
  opts: ConnectOptions = {},
): Promise<void> {
  const r = await serves(ctx, opts);
  if (!r.ok) ctx.fail(`after ${after} a new client ${r.why}`);
}

/**
 * A WebSocket ping (RFC 6455 §5.5.2) answered by a pong within `timeoutMs`, whatever its payload:
 * for C4 a pong shows the server serves; the payload echo is C3's (…-HEARTBEAT-100).
 */
export async function pongWithin(conn: Conn, timeoutMs = 1000): Promise<boolean> {
  if (!conn.isOpen) return false;
  conn.ping(randomBytes(8));
  return (await conn.nextPong(timeoutMs)) !== null;
}

/**
 * The connection that carried hostile input still answers a ping. Not itself a C4 failure (A4/E9
 * judge whether it must stay open), so it is reported as SHOULD where those rules keep it open.
 */
export async function shouldStillAnswer(ctx: CaseContext, conn: Conn, after: string): Promise<boolean> {
  return ctx.should(
    await pongWithin(conn),
    `after ${after} the connection that sent it no longer answers a ping`,
  );
}
