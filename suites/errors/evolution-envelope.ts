// E1: a server MUST accept optional `id` and `timestamp` on client messages and SHOULD accept the
// fields wrapped in `data` or `payload`. What it sends unprompted (a greeting on connect, an
// acknowledgement after auth) MAY be of a type of its own (informational, revision 2026-12-06) but,
// like every server message, MUST have a string `type`.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Received } from '../../src/engine/types.js';
import {
  describe,
  errorOf,
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
/** The error codes of some answers, in order, for comparing two answers. */
const codes = (errors: readonly Received[]): string => errors.map((e) => String(errorOf(e)?.code)).join(',');

export default [
  defineCase({
    protocol: 'evolution',
    num: 5,
    suite: 'errors',
    rule: 'E1',
    title:
      'client messages with id and timestamp are accepted; fields wrapped in data/payload are accepted (SHOULD)',
    faults: ['evo-reject-client-id'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      // Each message is sent plain, then with id and timestamp: the envelope must change nothing
      // (E1 MUST accept). Comparing with the plain answer keeps other rules' defects (a wrong code
      // for an unknown agent, E7) out of this case.
      const messages: Record<string, unknown>[] = [
        { type: 'subscribe', channels: ['metrics'] },
        { type: 'unsubscribe', channels: ['metrics'] },
        { type: 'get_agent', agent_id: 'wsconform-no-such-agent-e1' },
      ];
      for (const m of messages) {
        const plain = await sendAndSettle(conn, m);
        ctx.precondition(plain.pong !== null, `no pong after ${JSON.stringify(m)}`, 'EVO-HEARTBEAT-001');
        const withEnvelope = { ...m, ...envelope() };
        const r = await sendAndSettle(conn, withEnvelope);
        ctx.require(r.pong !== null, `no pong after ${JSON.stringify(withEnvelope)} (E1)`);
        ctx.require(
          codes(r.errors) === codes(plain.errors),
          `${JSON.stringify(withEnvelope)} got ${r.errors.map(describe).join('; ') || 'no error'}, but without id and timestamp ${plain.errors.map(describe).join('; ') || 'no error'} (E1: id and timestamp are allowed)`,
        );
      }
      // A ping with an id earns its own pong before the sentinel's.
      const ping = { type: 'ping', timestamp: Date.now(), id: 'wsconform-ping' };
      const p = await settle(conn, () => conn.sendJson(ping), 2000, 1);
      ctx.require(
        p.pong !== null && p.errors.length === 0,
        `${JSON.stringify(ping)} got ${p.errors.map(describe).join('; ') || 'no pong'} (E1: an id is allowed)`,
      );
      for (const key of ['data', 'payload']) {
        // The answer must be the one the flat message gets, about the wrapped id: an answer for a
        // missing agent_id (E9 lets a server answer AGENT_NOT_FOUND) does not show that it was read.
        const agentId = `wsconform-wrapped-in-${key}`;
        const flat = await sendAndSettle(conn, { type: 'get_agent', agent_id: agentId });
        const w = await sendAndSettle(conn, {
          type: 'get_agent',
          ...envelope(),
          [key]: { agent_id: agentId },
        });
        const about = (r: Received[]) =>
          r.filter((e) =>
            JSON.stringify([errorOf(e)?.details ?? null, errorOf(e)?.message]).includes(agentId),
          );
        ctx.should(
          w.errors.length > 0 && codes(about(w.errors)) === codes(flat.errors),
          `get_agent with its fields wrapped in '${key}' got ${w.errors.map(describe).join('; ') || 'no answer'}, not what the flat form gets for '${agentId}' (${flat.errors.map(describe).join('; ') || 'no error'}) (E1 SHOULD accept)`,
        );
      }
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 6,
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
