// E7: get_agent {agent_id} → agent_update for that agent to the asking connection (subscribed to
// `agents` or not), or `error` AGENT_NOT_FOUND with details.agent_id.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import {
  dataOf,
  describe,
  errorOf,
  isError,
  isType,
  sendAndSettle,
} from '../../src/protocols/evolution-client.js';
import { watchRun } from '../../src/protocols/evolution-observe.js';
import { connectAuthed, SEE, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** How long to wait for an agent_update that tells us an existing agent id. */
const AGENT_SEEN_WITHIN_MS = 5000;

export default [
  defineCase({
    protocol: 'evolution',
    num: 11,
    suite: 'subscriptions',
    rule: 'E7',
    title: 'get_agent of an existing agent is answered with its agent_update, without an agents subscription',
    faults: ['evo-get-agent-no-reply'],
    shares: 'evolution-run',
    async run(ctx: CaseContext) {
      await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
      const spotter = await connectAuthed(ctx, { sub: caseSub(ctx.caseId, 'agents') });
      await subscribe(ctx, spotter, { channels: ['agents'] }, { see: SEE.subscribe });
      const seen = await spotter.next(isType('agent_update'), AGENT_SEEN_WITHIN_MS);
      const agentId = seen ? dataOf(seen)['agent_id'] : undefined;
      ctx.precondition(
        typeof agentId === 'string',
        `no agent_update with an agent_id within ${AGENT_SEEN_WITHIN_MS} ms on an agents subscription, so no existing agent id is known`,
        SEE.agentSeen,
      );
      const asker = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const r = await sendAndSettle(asker, { type: 'get_agent', agent_id: agentId });
      ctx.require(r.pong !== null, 'no pong after get_agent: the connection stalled or closed');
      const answer = r.between.find((m) => m.type === 'agent_update' && dataOf(m)['agent_id'] === agentId);
      ctx.require(
        answer !== undefined,
        `get_agent '${agentId}' (an agent seen in agent_update) got ${r.between.map(describe).join('; ') || 'nothing'} instead of its agent_update (E7)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 12,
    suite: 'subscriptions',
    rule: 'E7',
    title: 'get_agent of an unknown agent gets AGENT_NOT_FOUND with details.agent_id',
    faults: ['evo-get-agent-wrong-code'],
    async run(ctx: CaseContext) {
      const agentId = `wsconform-no-such-agent-${Date.now()}`;
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const r = await sendAndSettle(conn, { type: 'get_agent', agent_id: agentId });
      ctx.require(r.pong !== null, 'no pong after get_agent: the connection stalled or closed');
      const err = r.errors.find(isError('AGENT_NOT_FOUND'));
      ctx.require(
        err !== undefined,
        `get_agent of an unknown agent got ${r.errors.map(describe).join('; ') || 'no error'} instead of AGENT_NOT_FOUND (E7)`,
      );
      const details = errorOf(err)?.details as Record<string, unknown> | undefined;
      ctx.require(
        details?.['agent_id'] === agentId,
        `AGENT_NOT_FOUND carries no details.agent_id '${agentId}': ${describe(err)} (E7)`,
      );
    },
  }),
];
