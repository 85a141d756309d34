// E2: both ways of authenticating MUST work, and messages are handled in order even where the
// token check is asynchronous (the seed's own client sends auth and subscribe back to back).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import {
  allChannels,
  describe,
  isError,
  mark,
  roundTrip,
  sendAndSettle,
} from '../../src/protocols/evolution-client.js';
import { bearer, probeAuth } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'auth',
    rule: 'E2',
    title: 'a valid HS256 token in Authorization: Bearer authenticates the connection',
    faults: ['evo-header-auth-ignored'],
    async run(ctx: CaseContext) {
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect(bearer(token));
      // Proof of authentication: requests only an authenticated connection may make are served
      // (E2). get_agent's answer code is E7's; only a refusal as unauthenticated is judged here.
      const probe = await probeAuth(conn);
      ctx.require(
        probe.state !== 'unauthenticated',
        `with a valid bearer token, get_agent was refused: ${probe.answer.map(describe).join('; ')} (E2)`,
      );
      const r = await sendAndSettle(conn, { type: 'subscribe', channels: allChannels() });
      ctx.require(r.pong !== null, 'no pong after subscribe: the connection closed or stalled (E2)');
      ctx.require(
        r.errors.length === 0,
        `with a valid bearer token, subscribe got ${r.errors.map(describe).join('; ')} (E2)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
    suite: 'auth',
    rule: 'E2',
    title: 'auth message then subscribe sent back to back: the subscribe is handled as authenticated',
    faults: ['evo-auth-out-of-order'],
    async run(ctx: CaseContext) {
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect();
      const at = mark(conn);
      // One tick, no waiting in between: exactly what the seed's JavaScript client does.
      conn.sendJson({ type: 'auth', token });
      conn.sendJson({ type: 'subscribe', channels: allChannels() });
      const rt = await roundTrip(conn, at);
      ctx.require(rt.pong !== null, 'no pong after auth + subscribe + ping (E2, E3)');
      const errors = rt.between.filter(isError());
      ctx.require(
        !errors.some(isError('UNAUTHORIZED', 'AUTH_FAILED')),
        `a subscribe sent right after a valid auth message was refused: ${errors.map(describe).join('; ')} (E2: in-order processing)`,
      );
      ctx.require(
        errors.length === 0,
        `auth + subscribe sent back to back got ${errors.map(describe).join('; ')} (E2)`,
      );
    },
  }),
];
