// E3: {"type":"ping","timestamp":<ms>} → {"type":"pong","timestamp":<same ms>} within 1 s,
// authenticated or not. A numeric timestamp is a MUST; echoing the ping's is a SHOULD.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import {
  describe,
  isError,
  isType,
  mark,
  nextSince,
  pingTimestamp,
} from '../../src/protocols/evolution-client.js';
import type { Conn, Received } from '../../src/engine/types.js';
import { connectAuthed } from '../../src/protocols/evolution-session.js';
import { errorOf, roundTrip } from '../../src/protocols/evolution-client.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** E3: pong within 1 s. */
const PONG_WITHIN_MS = 1000;
const PINGS = 3;

/**
 * One ping; resolves with what answered it (a pong or an error) and the timestamp sent. The
 * timestamp lies an hour back, so that a pong carrying the server's own time cannot match it.
 */
async function ping(conn: Conn): Promise<{ sent: number; answer: Received | null }> {
  const at = mark(conn);
  const sent = pingTimestamp() - 3_600_000;
  conn.sendJson({ type: 'ping', timestamp: sent });
  return {
    sent,
    answer: await nextSince(conn, at, (m) => isType('pong')(m) || isError()(m), PONG_WITHIN_MS),
  };
}

const pongTimestamp = (m: Received): unknown => (m.json as { timestamp?: unknown }).timestamp;

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'heartbeat',
    rule: 'E3',
    title: 'an application ping gets a pong with a numeric timestamp within 1 s',
    faults: ['evo-pong-late'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId), timesPongs: true });
      for (let i = 0; i < PINGS; i++) {
        const { answer } = await ping(conn);
        ctx.require(answer !== null, `ping ${i + 1} got no pong within ${PONG_WITHIN_MS} ms (E3)`);
        ctx.require(
          answer.type === 'pong',
          `ping ${i + 1} was answered ${describe(answer)} instead of pong (E3)`,
        );
        const ts = pongTimestamp(answer);
        ctx.require(
          typeof ts === 'number' && Number.isFinite(ts),
          `pong timestamp ${JSON.stringify(ts)} is not a number (E3)`,
        );
      }
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
    suite: 'heartbeat',
    rule: 'E3',
    title: "the pong echoes the ping's timestamp (SHOULD)",
    faults: ['evo-pong-server-time'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId), timesPongs: true });
      const { sent, answer } = await ping(conn);
      ctx.require(
        answer !== null && answer.type === 'pong',
        `the ping got no pong within ${PONG_WITHIN_MS} ms (E3)`,
      );
      const ts = pongTimestamp(answer);
      ctx.should(
        ts === sent,
        `the pong carries timestamp ${JSON.stringify(ts)}, not the ping's ${sent} (E3 SHOULD echo)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 3,
    suite: 'heartbeat',
    rule: 'E3,E2',
    title: 'a ping before authentication gets a pong within 1 s, not UNAUTHORIZED',
    faults: ['evo-ping-needs-auth'],
    async run(ctx: CaseContext) {
      const conn = await ctx.connect();
      const { answer } = await ping(conn);
      ctx.require(answer !== null, `an unauthenticated ping got no pong within ${PONG_WITHIN_MS} ms (E3)`);
      ctx.require(
        answer.type === 'pong',
        `an unauthenticated ping was answered ${describe(answer)} instead of pong (E2, E3)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 4,
    suite: 'heartbeat',
    rule: 'E3,E9',
    title:
      'a ping with a missing or non-numeric timestamp gets INVALID_COMMAND (SHOULD; a pong is non-strict) and the connection stays open',
    faults: ['evo-ping-bad-timestamp-pong', 'evo-invalid-silent', 'evo-invalid-command-other-code'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId), timesPongs: true });
      for (const bad of [{ type: 'ping' }, { type: 'ping', timestamp: 'now' }]) {
        const at = mark(conn);
        conn.sendJson(bad);
        // E3: answered within 1 s if at all; what came in that second is the answer.
        const answer = await nextSince(conn, at, (m) => isType('pong')(m) || isError()(m), PONG_WITHIN_MS);
        // E9: the connection stays open and working (MUST).
        const rt = await roundTrip(conn);
        ctx.require(
          conn.isOpen && rt.pong !== null,
          `after ${JSON.stringify(bad)} the connection closed or stalled (E9: it stays open)`,
          'E9',
        );
        if (answer === null) {
          // silence to a schema-invalid message is E9's SHOULD (E3 judges only pongs)
          ctx.should(
            false,
            `${JSON.stringify(bad)} got no answer; SHOULD get INVALID_COMMAND (E9: silence is non-strict)`,
            'E9',
          );
        } else if (answer.type === 'pong') {
          // E3: a pong to a bad ping is non-strict, and its timestamp is not judged.
          ctx.should(
            false,
            `${JSON.stringify(bad)} got a pong (${describe(answer)}); SHOULD get INVALID_COMMAND (E3)`,
          );
        } else {
          ctx.should(
            isError('INVALID_COMMAND')(answer),
            `${JSON.stringify(bad)} got ${String(errorOf(answer)?.code)}; SHOULD be INVALID_COMMAND (E3, E9)`,
          );
        }
      }
    },
  }),
];
