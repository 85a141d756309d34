// E9: an unknown `type` (or JSON without a string type) and non-JSON text get an `error` (MUST),
// INVALID_COMMAND (SHOULD). A schema-invalid client message of a documented type has no effect and
// the connection stays open (MUST); it SHOULD get INVALID_COMMAND — another of the seven codes and
// silence are non-strict (revision 2026-12-06). "No effect" is judged by the events the message
// could have caused, minus what a connection that sent nothing receives meanwhile (so that a
// server leaking events to unsubscribed connections, an E4 defect, is not reported here).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn, Received } from '../../src/engine/types.js';
import {
  describe,
  errorOf,
  isError,
  isEvent,
  type Settled,
  sendAndSettle,
  settle,
} from '../../src/protocols/evolution-client.js';
import { paced } from '../../src/protocols/evolution-observe.js';
import { connectAuthed } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** Watch this long for events that an invalid message must not have caused. */
const QUIET_MS = 1500;

const codes = (r: Settled): string => r.errors.map((e) => String(errorOf(e)?.code)).join(', ');

/** One message that MUST get an error (E9), INVALID_COMMAND (SHOULD), on an open, working connection. */
async function expectError(
  ctx: CaseContext,
  conn: Conn,
  what: string,
  send: () => Promise<Settled>,
): Promise<void> {
  await paced(ctx, conn);
  const r = await send();
  ctx.require(conn.isOpen, `${what} closed the connection (E9: it stays open)`);
  ctx.require(r.pong !== null, `no pong after ${what}: the connection stalled (E9)`);
  ctx.require(r.errors.length > 0, `${what} got no error (E9)`);
  ctx.should(
    r.errors.some(isError('INVALID_COMMAND')),
    `${what} got ${codes(r)}; SHOULD be INVALID_COMMAND (E9)`,
  );
}

/**
 * E9 "no effect": events on `conn` whose type a connection that sent nothing (`baseline`) did not
 * receive in the same time.
 */
function causedEvents(conn: Conn, baseline: Conn): Received[] {
  const background = new Set(baseline.received.filter(isEvent).map((m) => m.type));
  const events = conn.received.filter((m) => isEvent(m) && !background.has(m.type));
  return events;
}

/** An authenticated connection that sends nothing: what any connection receives anyway. */
const baselineOf = (ctx: CaseContext): Promise<Conn> =>
  connectAuthed(ctx, { sub: caseSub(ctx.caseId, 'baseline') });

const UNKNOWN_TYPES: readonly unknown[] = [
  { type: 'wsconform_unknown_type' },
  { type: 'SUBSCRIBE', channels: ['metrics'] },
  { type: '', channels: ['metrics'] },
  { type: 7 },
  { channels: ['metrics'] },
  ['subscribe', 'metrics'],
  'subscribe',
  null,
];

/**
 * Schema-invalid client messages of documented types (spec/evolution/messages/client), each
 * breaking one rule the profile makes normative (C7 required fields, E4/E5/E7 types). Pings are
 * EVO-HEARTBEAT-004's (E3 lets a pong answer them).
 */
const SCHEMA_INVALID: readonly unknown[] = [
  { type: 'subscribe' },
  { type: 'subscribe', channels: 'metrics' },
  { type: 'subscribe', channels: [1, 2] },
  { type: 'subscribe', channel: 'metrics', filters: { generation_min: 'ten' } },
  { type: 'subscribe', channel: 'evolution', filters: { fitness_min: 'high' } },
  { type: 'unsubscribe' },
  { type: 'get_agent' },
  { type: 'get_agent', agent_id: 7 },
  { type: 'control' },
  { type: 'command', cmd: 'rollback' },
];

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'errors',
    rule: 'E9',
    title:
      'an unknown message type gets an error (INVALID_COMMAND, SHOULD), no effect, and the connection stays open',
    faults: ['evo-unknown-type-silent', 'evo-invalid-command-other-code'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const baseline = await baselineOf(ctx);
      for (const message of UNKNOWN_TYPES)
        await expectError(ctx, conn, `unknown type ${JSON.stringify(message)}`, () =>
          sendAndSettle(conn, message),
        );
      await ctx.sleep(QUIET_MS);
      const events = causedEvents(conn, baseline);
      ctx.require(
        events.length === 0,
        `an unknown type was acted on: ${events.length} event(s) arrived, first ${events[0] ? describe(events[0]) : ''} (E9)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
    suite: 'errors',
    rule: 'E9',
    title: 'text that is not JSON gets an error (INVALID_COMMAND, SHOULD) and the connection stays open',
    faults: ['evo-invalid-closes', 'evo-invalid-command-other-code'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      for (const text of ['wsconform: not JSON', '{"type":"subscribe","channels":["metrics"]', '']) {
        await expectError(ctx, conn, `non-JSON text ${JSON.stringify(text)}`, () =>
          settle(conn, () => conn.sendText(text)),
        );
      }
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 3,
    suite: 'errors',
    rule: 'E9,C7',
    title:
      'schema-invalid client messages have no effect and the connection stays open; INVALID_COMMAND (SHOULD; another code or silence is non-strict)',
    faults: ['evo-invalid-closes', 'evo-invalid-silent', 'evo-invalid-command-other-code'],
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      const baseline = await baselineOf(ctx);
      const silent: string[] = [];
      const otherCode: string[] = [];
      for (const message of SCHEMA_INVALID) {
        await paced(ctx, conn);
        const r = await sendAndSettle(conn, message);
        const what = JSON.stringify(message);
        ctx.require(conn.isOpen, `schema-invalid ${what} closed the connection (E9: it stays open)`);
        ctx.require(r.pong !== null, `no pong after schema-invalid ${what}: the connection stalled (E9)`);
        if (r.errors.length === 0) silent.push(what);
        else if (!r.errors.some(isError('INVALID_COMMAND'))) otherCode.push(`${what} → ${codes(r)}`);
      }
      ctx.should(silent.length === 0, `no error for ${silent.join(', ')}; SHOULD be INVALID_COMMAND (E9)`);
      ctx.should(otherCode.length === 0, `${otherCode.join('; ')}; SHOULD be INVALID_COMMAND (E9)`);
      await ctx.sleep(QUIET_MS);
      const events = causedEvents(conn, baseline);
      ctx.require(
        events.length === 0,
        `an invalid subscribe was acted on: ${events.length} event(s) arrived, first ${events[0] ? describe(events[0]) : ''} (E9)`,
      );
    },
  }),
];
