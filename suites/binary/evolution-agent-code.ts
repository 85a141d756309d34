// E11: a client MAY send agent_code as one binary message (JSON header, 0x0A, code bytes). For an
// existing agent the server SHOULD answer agent_update (a reply of its own type is non-strict: the
// seed defines none); for an unknown agent it MUST answer AGENT_NOT_FOUND; a header that is not
// JSON gets an error (MUST), INVALID_COMMAND (SHOULD); over the size limit closes with 1009 (C3).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import {
  agentCode,
  dataOf,
  describe,
  errorOf,
  isError,
  isType,
  settle,
} from '../../src/protocols/evolution-client.js';
import { watchRun } from '../../src/protocols/evolution-observe.js';
import { connectAuthed, SEE, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

const CODE = 'def evolve(agent):\n    return agent.mutate(rate=0.15)\n';
const AGENT_SEEN_WITHIN_MS = 5000;

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'binary',
    rule: 'E11',
    title: "agent_code for an existing agent is answered with that agent's agent_update (SHOULD)",
    faults: ['evo-agent-code-own-reply'],
    shares: 'evolution-run',
    async run(ctx: CaseContext) {
      await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      await subscribe(ctx, conn, { channels: ['agents'] }, { see: SEE.subscribe });
      const seen = await conn.next(isType('agent_update'), AGENT_SEEN_WITHIN_MS);
      const agentId = seen ? dataOf(seen)['agent_id'] : undefined;
      ctx.precondition(
        typeof agentId === 'string',
        `no agent_update with an agent_id within ${AGENT_SEEN_WITHIN_MS} ms on an agents subscription, so no existing agent id is known`,
        SEE.agentSeen,
      );
      const r = await settle(conn, () =>
        conn.sendBinary(agentCode({ type: 'agent_code', agent_id: agentId }, CODE)),
      );
      ctx.require(
        r.pong !== null,
        'no pong after a binary agent_code: the connection stalled or closed (E11)',
      );
      const answer = r.between.find((m) => m.type === 'agent_update' && dataOf(m)['agent_id'] === agentId);
      if (answer) return;
      // E11/E7: the agent exists (it was seen in agent_update): AGENT_NOT_FOUND is wrong.
      const notFound = r.errors.find(isError('AGENT_NOT_FOUND'));
      ctx.require(
        notFound === undefined,
        `agent_code for '${agentId}', an agent seen in agent_update, got ${notFound ? describe(notFound) : ''} (E11)`,
      );
      const replies = r.between.filter((m) => !isType('agent_update')(m));
      ctx.should(
        false,
        `agent_code for '${agentId}' got ${replies.map(describe).join('; ') || 'no answer'}; SHOULD be its agent_update (E11)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
    suite: 'binary',
    rule: 'E11',
    title: 'agent_code for an unknown agent gets AGENT_NOT_FOUND',
    faults: ['evo-agent-code-ignored'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const header = { type: 'agent_code', agent_id: `wsconform-no-such-agent-${Date.now()}` };
      const r = await settle(conn, () => conn.sendBinary(agentCode(header, CODE)));
      ctx.require(
        r.pong !== null,
        'no pong after a binary agent_code: the connection stalled or closed (E11)',
      );
      ctx.require(
        r.errors.some(isError('AGENT_NOT_FOUND')),
        `agent_code for an unknown agent got ${r.errors.map(describe).join('; ') || 'no error'} instead of AGENT_NOT_FOUND (E11)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 3,
    suite: 'binary',
    rule: 'E11,E9',
    title:
      'a binary message whose header is not JSON gets an error (INVALID_COMMAND, SHOULD) and the connection stays open',
    faults: ['evo-agent-code-bad-header-silent', 'evo-invalid-command-other-code'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      // (The seed sender's form without the newline MAY be accepted, E11: not a bad header here.)
      const bad: [string, Uint8Array][] = [
        ['a header that is not JSON', agentCode('agent_code agent-1', CODE)],
        ['random bytes', Uint8Array.from([0xff, 0xfe, 0x00, 0x0a, 0x01, 0x02])],
      ];
      for (const [what, data] of bad) {
        const r = await settle(conn, () => conn.sendBinary(data));
        ctx.require(
          conn.isOpen && r.pong !== null,
          `a binary message with ${what} closed or stalled the connection (E9, E11)`,
        );
        ctx.require(r.errors.length > 0, `a binary message with ${what} got no error (E11)`);
        ctx.should(
          r.errors.some(isError('INVALID_COMMAND')),
          `a binary message with ${what} got ${r.errors.map((e) => String(errorOf(e)?.code)).join(', ')}; SHOULD be INVALID_COMMAND (E11)`,
        );
      }
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 4,
    suite: 'binary',
    rule: 'E11,C3',
    title: 'an agent_code message over the size limit (--max-message-size) closes the connection with 1009',
    faults: ['no-size-limit'],
    hostile: true,
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const code = Buffer.alloc(ctx.config.limits.maxMessageBytes + 1024, 0x41);
      conn.sendBinary(agentCode({ type: 'agent_code', agent_id: 'wsconform-big' }, code));
      const closed = await conn.closed(5000);
      ctx.require(
        closed !== null,
        `an agent_code of ${code.length} bytes did not close the connection within 5 s (E11, C3: 1009)`,
        'C3',
      );
      ctx.require(
        closed.code === 1009,
        `an over-size agent_code closed the connection with ${closed.code} instead of 1009 (E11, C3)`,
        'C3',
      );
    },
  }),
];
