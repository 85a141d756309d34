// E1: a server MUST accept optional `id` and `timestamp` on client messages, SHOULD accept the
// fields wrapped in `data` or `payload`, and sends nothing unprompted (no greeting).
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import { describe, isError, isType, sendAndSettle, settle } from '../../src/protocols/evolution-client.js';
import { authenticate, connectAuthed } from '../../src/protocols/evolution-session.js';
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
        const w = await sendAndSettle(conn, {
          type: 'get_agent',
          ...envelope(),
          [key]: { agent_id: 'wsconform-no-such-agent-e1' },
        });
        ctx.should(
          w.errors.some(isError('AGENT_NOT_FOUND')),
          `get_agent with its fields wrapped in '${key}' got ${w.errors.map(describe).join('; ') || 'no answer'} (E1 SHOULD accept)`,
        );
      }
    },
  }),
  defineCase({
    id: 'EVO-ERRORS-006',
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E1',
    title: 'the server sends nothing unprompted: no greeting on connect or after auth',
    faults: ['evo-greeting'],
    async run(ctx: CaseContext) {
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect();
      await ctx.sleep(GREETING_WAIT_MS);
      ctx.require(
        conn.received.length === 0,
        `the server sent ${describe(conn.received[0] ?? { t: 0, kind: 'text' })} unprompted on connect (E1: no greeting)`,
      );
      const auth = await authenticate(conn, token);
      ctx.require(
        auth.ok,
        `a valid token did not authenticate: ${auth.errors.map(describe).join('; ')} (E2)`,
      );
      await ctx.sleep(GREETING_WAIT_MS);
      const extra = conn.received.filter((m) => !isType('pong', 'auth_ok')(m));
      ctx.require(
        extra.length === 0,
        `after auth the server sent ${extra[0] ? describe(extra[0]) : ''} unprompted (E1: no greeting)`,
      );
    },
  }),
];
