// E2 timers: an unauthenticated connection SHOULD be closed after the auth timeout, and a
// connection whose token expires SHOULD be closed by 35 s after `exp` (30 s leeway + 5 s); the
// close code 1008 or an application code 4000–4999 both conform (revision 2026-12-06).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { describe } from '../../src/protocols/evolution-client.js';
import { authenticate, closeCodeConforms, SEE } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

/** Slack beyond a deadline for timers and a busy harness host. */
const margin = (ms: number): number => Math.max(2000, Math.round(ms * 0.2));
/** E2: close by exp + 35 s. */
const EXPIRY_CLOSE_WITHIN_SEC = 35;
/** The token of the expiry case expires this soon, so a server with little leeway answers fast. */
const EXPIRES_IN_SEC = 2;

export default [
  defineCase({
    protocol: 'evolution',
    num: 18,
    suite: 'auth',
    rule: 'E2',
    title: 'an unauthenticated connection is closed (1008 or 4000–4999) after the auth timeout (SHOULD)',
    faults: ['evo-no-auth-timeout'],
    timeoutMs: 60_000,
    async run(ctx: CaseContext) {
      const timeout = ctx.config.limits.authTimeoutMs;
      const conn = await ctx.connect();
      const closed = await conn.closed(timeout + margin(timeout));
      if (
        !ctx.should(
          closed !== null,
          `an unauthenticated connection was still open ${timeout + margin(timeout)} ms after connecting (E2: auth timeout ${timeout} ms)`,
        )
      )
        return;
      ctx.should(
        closed !== null && closeCodeConforms(closed.code),
        `the auth timeout closed the connection with ${closed?.code}; SHOULD be 1008 or 4000–4999 (E2)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 19,
    suite: 'auth',
    rule: 'E2',
    title: 'a connection whose token expires is closed (1008 or 4000–4999) by 35 s after exp (SHOULD)',
    faults: ['evo-no-expiry-close'],
    timeoutMs: (EXPIRES_IN_SEC + EXPIRY_CLOSE_WITHIN_SEC + 8) * 1000,
    async run(ctx: CaseContext) {
      const { token, exp } = await tokensFor(ctx, caseSub(ctx.caseId)).expiringIn(EXPIRES_IN_SEC);
      const conn = await ctx.connect();
      const auth = await authenticate(conn, token);
      ctx.precondition(
        auth.ok,
        `a token valid for ${EXPIRES_IN_SEC} more seconds did not authenticate: ${auth.errors.map(describe).join('; ') || 'no answer'}`,
        SEE.authMessage,
      );
      const deadline = (exp + EXPIRY_CLOSE_WITHIN_SEC) * 1000 + 1000;
      const closed = await conn.closed(Math.max(1, deadline - Date.now()));
      if (!ctx.should(closed !== null, `the connection was still open 35 s after its token's exp (E2)`))
        return;
      ctx.should(
        closed !== null && closeCodeConforms(closed.code),
        `the expired token's connection closed with ${closed?.code}; SHOULD be 1008 or 4000–4999 (E2)`,
      );
    },
  }),
];
