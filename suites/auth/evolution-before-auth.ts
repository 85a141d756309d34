// E2: before authentication only `auth` and `ping` are accepted; every other JSON message, known
// type or not, gets `error` UNAUTHORIZED and is not acted on, and no event is delivered. Text
// that is not JSON gets INVALID_COMMAND (E9). The connection stays usable.
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import {
  allChannels,
  describe,
  isError,
  isEvent,
  sendAndSettle,
  settle,
} from '../../src/protocols/evolution-client.js';

/** Messages a client might send before `auth`; none may be acted on. All harmless if they were. */
const BEFORE_AUTH: readonly Record<string, unknown>[] = [
  { type: 'subscribe', channels: allChannels() },
  { type: 'subscribe', channel: 'metrics' },
  { type: 'unsubscribe', channels: ['logs'] },
  { type: 'control', action: 'resume' },
  { type: 'get_agent', agent_id: 'wsconform-no-such-agent-017' },
  { type: 'command', cmd: 'wsconform-noop', args: {} },
  { type: 'wsconform_unknown_type' },
];

/** How long to watch for events that must not come (within the target's auth timeout). */
const QUIET_MS = 1000;

export default defineCase({
  id: 'EVO-AUTH-017',
  protocol: 'evolution',
  suite: 'auth',
  rule: 'E2,E9',
  title:
    'before auth: every message but auth/ping gets UNAUTHORIZED, non-JSON gets INVALID_COMMAND, no event is delivered',
  faults: ['evo-unauth-allowed'],
  async run(ctx: CaseContext) {
    const openedAt = Date.now();
    const conn = await ctx.connect();
    const bad = await settle(conn, () => conn.sendText('wsconform: this is not JSON {'));
    ctx.require(bad.pong !== null, 'no pong after non-JSON text before auth (E2, E3)');
    ctx.require(
      bad.errors.some(isError('INVALID_COMMAND')),
      `non-JSON text before auth got ${bad.errors.map(describe).join('; ') || 'no error'} instead of INVALID_COMMAND (E2, E9)`,
    );
    for (const message of BEFORE_AUTH) {
      const r = await sendAndSettle(conn, message);
      ctx.require(
        r.pong !== null,
        `no pong after ${JSON.stringify(message)} before auth (the connection closed or stalled)`,
      );
      ctx.require(
        r.errors.some(isError('UNAUTHORIZED')),
        `${JSON.stringify(message)} before auth got ${r.errors.map(describe).join('; ') || 'no error'} instead of UNAUTHORIZED (E2)`,
      );
      const acted = r.between.filter(
        (m) => isError('AGENT_NOT_FOUND', 'INVALID_COMMAND')(m) || m.type === 'subscribed',
      );
      ctx.require(
        acted.length === 0,
        `${JSON.stringify(message)} was acted on before auth: ${acted.map(describe).join('; ')} (E2)`,
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
