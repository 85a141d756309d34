// E2: both ways of authenticating MUST work, and messages are handled in order even where the
// token check is asynchronous (the seed's own client sends auth and subscribe back to back).
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import { allChannels, describe, isError, mark, roundTrip } from '../../src/protocols/evolution-client.js';
import { bearer, probeAuth, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

export default [
  defineCase({
    id: 'EVO-AUTH-001',
    protocol: 'evolution',
    suite: 'auth',
    rule: 'E2',
    title: 'a valid HS256 token in Authorization: Bearer authenticates the connection',
    faults: ['evo-header-auth-ignored'],
    async run(ctx: CaseContext) {
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect(bearer(token));
      const probe = await probeAuth(conn);
      ctx.require(
        probe.state === 'authenticated',
        `with a valid bearer token, get_agent was answered ${probe.answer.map(describe).join('; ') || 'with nothing'} instead of AGENT_NOT_FOUND (E2, E7)`,
      );
      await subscribe(ctx, conn, { channels: allChannels() });
    },
  }),
  defineCase({
    id: 'EVO-AUTH-002',
    protocol: 'evolution',
    suite: 'auth',
    rule: 'E2',
    title: 'auth message then subscribe and get_agent sent back to back: both are handled as authenticated',
    faults: ['evo-auth-out-of-order'],
    async run(ctx: CaseContext) {
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect();
      const at = mark(conn);
      // One tick, no waiting in between: exactly what the seed's JavaScript client does.
      conn.sendJson({ type: 'auth', token });
      conn.sendJson({ type: 'subscribe', channels: allChannels() });
      conn.sendJson({ type: 'get_agent', agent_id: 'wsconform-no-such-agent-002' });
      const rt = await roundTrip(conn, at);
      ctx.require(rt.pong !== null, 'no pong after auth + subscribe + get_agent + ping (E2, E3)');
      const errors = rt.between.filter(isError());
      ctx.require(
        !errors.some(isError('UNAUTHORIZED', 'AUTH_FAILED')),
        `a message sent right after a valid auth message was refused: ${errors.map(describe).join('; ')} (E2: in-order processing)`,
      );
      ctx.require(
        errors.some(isError('AGENT_NOT_FOUND')),
        `get_agent of an unknown agent right after auth got ${errors.map(describe).join('; ') || 'no answer'} instead of AGENT_NOT_FOUND (E2, E7)`,
      );
      ctx.require(errors.length === 1, `unexpected errors: ${errors.map(describe).join('; ')} (E2, E4)`);
    },
  }),
];
