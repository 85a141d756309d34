// E1: a server MUST accept optional `id` and `timestamp` on client messages and SHOULD accept the
// fields wrapped in `data` or `payload`. What it sends unprompted (a greeting on connect, an
// acknowledgement after auth) MAY be of a type of its own (informational, revision 2026-12-06) but,
// like every server message, MUST have a string `type`.
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import {
  describe,
  errorOf,
  isError,
  isEvent,
  isType,
  sendAndSettle,
  settle,
} from '../../src/protocols/evolution-client.js';
import { authenticate, connectAuthed, SEE } from '../../src/protocols/evolution-session.js';
import { serverMessageTypes } from '../../src/schema/index.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

/** How long to listen for a greeting; well inside the embedded target's 1.5 s auth timeout. */
const GREETING_WAIT_MS = 800;

let seq = 0;
const envelope = () => ({ id: `wsconform-${++seq}`, timestamp: new Date().toISOString() });

export default [
  defineCase({
    id: 'EVO-ERRORS-005',
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E1',
    title:
      'client messages with id and timestamp are accepted; fields wrapped in data/payload are accepted (SHOULD)',
    faults: ['evo-reject-client-id'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const flat = [
        { type: 'subscribe', channels: ['metrics'], ...envelope() },
        { type: 'unsubscribe', channels: ['metrics'], ...envelope() },
        { type: 'ping', timestamp: Date.now(), id: 'wsconform-ping' },
      ];
      for (const m of flat) {
        // A ping earns its own pong before the sentinel's.
        const r = await settle(conn, () => conn.sendJson(m), 2000, m.type === 'ping' ? 1 : 0);
        ctx.require(r.pong !== null, `no pong after ${JSON.stringify(m)} (E1)`);
        ctx.require(
          r.errors.length === 0,
          `${JSON.stringify(m)} got ${r.errors.map(describe).join('; ')} (E1: id and timestamp are allowed)`,
        );
      }
      const agent = { type: 'get_agent', agent_id: 'wsconform-no-such-agent-e1', ...envelope() };
      const r = await sendAndSettle(conn, agent);
      ctx.require(
        r.errors.some(isError('AGENT_NOT_FOUND')),
        `${JSON.stringify(agent)} got ${r.errors.map(describe).join('; ') || 'no answer'} instead of AGENT_NOT_FOUND (E1, E7)`,
      );
      for (const key of ['data', 'payload']) {
        // The answer must be about the wrapped id: an AGENT_NOT_FOUND for a missing agent_id (E9
        // lets a server answer so) does not show that the wrapped field was read.
        const agentId = `wsconform-wrapped-in-${key}`;
        const w = await sendAndSettle(conn, {
          type: 'get_agent',
          ...envelope(),
          [key]: { agent_id: agentId },
        });
        const about = w.errors.find(
          (e) =>
            isError('AGENT_NOT_FOUND')(e) &&
            (JSON.stringify(errorOf(e)?.details ?? null).includes(agentId) ||
              String(errorOf(e)?.message).includes(agentId)),
        );
        ctx.should(
          about !== undefined,
          `get_agent with its fields wrapped in '${key}' got ${w.errors.map(describe).join('; ') || 'no answer'}, not AGENT_NOT_FOUND for '${agentId}' (E1 SHOULD accept)`,
        );
      }
    },
  }),
  defineCase({
    id: 'EVO-ERRORS-006',
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E1',
    title:
      'what the server sends unprompted (on connect, after auth) has a string type; a type of its own is reported (MAY)',
    faults: ['evo-greeting'],
    async run(ctx: CaseContext) {
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect();
      await ctx.sleep(GREETING_WAIT_MS);
      const onConnect = conn.received.length;
      const auth = await authenticate(conn, token);
      ctx.precondition(
        auth.ok,
        `a valid token did not authenticate: ${auth.errors.map(describe).join('; ') || 'no answer'}`,
        SEE.authMessage,
      );
      await ctx.sleep(GREETING_WAIT_MS);
      // Seed event types before a subscribe are E4's (EVO-SUBSCRIPTIONS-001), not judged here.
      const unprompted = conn.received.filter((m) => !isType('pong')(m) && !isEvent(m));
      conn.claim(...unprompted);
      const typeless = unprompted.find((m) => m.type === undefined);
      ctx.require(
        typeless === undefined,
        `the server sent ${typeless ? describe(typeless) : ''} unprompted, without a string type (E1: every server message has type)`,
      );
      const documented = new Set(serverMessageTypes('evolution'));
      const own = unprompted.filter((m) => !documented.has(m.type ?? ''));
      for (const m of own)
        ctx.inform(
          `the server sent ${m.type} ${conn.received.indexOf(m) < onConnect ? 'on connect' : 'after auth'}: ${describe(m)} (E1: a type of its own MAY be sent)`,
        );
    },
  }),
];
