// E2: before authentication only `auth` and `ping` are acted on (MUST); every other message is not
// acted on, gets an `error` (MUST) and no event is delivered (MUST). For a documented type the
// code SHOULD be UNAUTHORIZED; for an unknown type or text that is not JSON, UNAUTHORIZED and
// INVALID_COMMAND both conform (revision 2026-12-06). The connection stays usable.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Received } from '../../src/engine/types.js';
import {
  allChannels,
  describe,
  errorOf,
  isError,
  isEvent,
  isType,
  roundTrip,
  sendAndSettle,
  settle,
} from '../../src/protocols/evolution-client.js';

/** Messages of documented types a client might send before `auth`; none may be acted on. All harmless if they were. */
const BEFORE_AUTH: readonly Record<string, unknown>[] = [
  { type: 'subscribe', channels: allChannels() },
  { type: 'subscribe', channel: 'metrics' },
  { type: 'unsubscribe', channels: ['logs'] },
  { type: 'control', action: 'resume' },
  { type: 'get_agent', agent_id: 'wsconform-no-such-agent-017' },
  { type: 'command', cmd: 'wsconform-noop', args: {} },
];

/** E2: codes that conform for an unknown type or non-JSON text before auth. */
const EITHER = ['UNAUTHORIZED', 'INVALID_COMMAND'];

/** What shows that a documented message was acted on before auth: its own answer or an ack. */
const ACTED = (m: Received): boolean =>
  isError('AGENT_NOT_FOUND')(m) || isType('agent_update', 'subscribed', 'unsubscribed')(m);

/** How long to watch for events that must not come (within the target's auth timeout). */
const QUIET_MS = 1000;

export default defineCase({
  protocol: 'evolution',
  num: 17,
  suite: 'auth',
  rule: 'E2,E9',
  title:
    'before auth: every message but auth/ping gets an error (UNAUTHORIZED for documented types, SHOULD) and is not acted on; no event is delivered',
  faults: ['evo-unauth-allowed', 'evo-unauth-wrong-code', 'evo-invalid-command-other-code'],
  async run(ctx: CaseContext) {
    const openedAt = Date.now();
    const conn = await ctx.connect();
    // The sentinel of every step below is a ping, answered before auth too (E3): EVO-HEARTBEAT-003's.
    ctx.precondition(
      (await roundTrip(conn)).pong !== null,
      'an application ping before auth got no pong',
      'EVO-HEARTBEAT-003',
    );
    const unknown: [string, () => void][] = [
      ['non-JSON text', () => conn.sendText('wsconform: this is not JSON {')],
      ['an unknown type', () => conn.sendJson({ type: 'wsconform_unknown_type' })],
    ];
    for (const [what, send] of unknown) {
      const r = await settle(conn, send);
      ctx.require(r.pong !== null, `no pong after ${what} before auth (E2, E3)`);
      ctx.require(r.errors.length > 0, `${what} before auth got no error (E2)`);
      ctx.should(
        r.errors.some(isError(...EITHER)),
        `${what} before auth got ${r.errors.map((e) => String(errorOf(e)?.code)).join(', ')}; SHOULD be UNAUTHORIZED or INVALID_COMMAND (E2)`,
      );
    }
    for (const message of BEFORE_AUTH) {
      const r = await sendAndSettle(conn, message);
      ctx.require(
        r.pong !== null,
        `no pong after ${JSON.stringify(message)} before auth (the connection closed or stalled)`,
      );
      const acted = r.between.filter(ACTED);
      ctx.require(
        acted.length === 0,
        `${JSON.stringify(message)} was acted on before auth: ${acted.map(describe).join('; ')} (E2)`,
      );
      ctx.require(r.errors.length > 0, `${JSON.stringify(message)} before auth got no error (E2)`);
      ctx.should(
        r.errors.some(isError('UNAUTHORIZED')),
        `${JSON.stringify(message)} before auth got ${r.errors.map((e) => String(errorOf(e)?.code)).join(', ')}; SHOULD be UNAUTHORIZED (E2)`,
      );
    }
    // Watch for events, but stop before the target's auth timeout (E2) may close the connection.
    const left = openedAt + ctx.config.limits.authTimeoutMs - 300 - Date.now();
    await ctx.sleep(Math.max(0, Math.min(QUIET_MS, left)));
    const events = conn.received.filter(isEvent);
    ctx.require(
      events.length === 0,
      `an unauthenticated connection received ${events.length} event(s), first ${events[0] ? describe(events[0]) : ''} (E2)`,
    );
  },
});
