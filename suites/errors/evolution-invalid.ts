// E9: unknown `type`, non-JSON text and schema-invalid client messages get `error`
// INVALID_COMMAND; the connection stays open (MUST) and the message has no effect.
import { type CaseContext, type Conn, defineCase } from '../../src/engine/types.js';
import {
  describe,
  isError,
  isEvent,
  type Settled,
  sendAndSettle,
  settle,
} from '../../src/protocols/evolution-client.js';
import { paced } from '../../src/protocols/evolution-observe.js';
import { connectAuthed } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** Watch this long for events that an invalid subscribe must not have caused. */
const QUIET_MS = 1500;

/** One message that must get INVALID_COMMAND on an open, still working connection. */
async function expectInvalid(
  ctx: CaseContext,
  conn: Conn,
  what: string,
  send: () => Promise<Settled>,
): Promise<void> {
  await paced(ctx, conn);
  const r = await send();
  ctx.require(conn.isOpen, `${what} closed the connection (E9: it stays open)`);
  ctx.require(r.pong !== null, `no pong after ${what}: the connection stalled (E9)`);
  ctx.require(
    r.errors.some(isError('INVALID_COMMAND')),
    `${what} got ${r.errors.map(describe).join('; ') || 'no error'} instead of INVALID_COMMAND (E9)`,
  );
}

const UNKNOWN_TYPES: readonly unknown[] = [
  { type: 'wsconform_unknown_type' },
  { type: 'SUBSCRIBE', channels: ['metrics'] },
  { type: '', channels: ['metrics'] },
];

/** Schema-invalid client messages (spec/evolution/messages/client), each breaking one rule. */
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
  { type: 'ping' },
  { type: 'ping', timestamp: 'now' },
  { type: 7 },
  { channels: ['metrics'] },
  ['subscribe', 'metrics'],
  'subscribe',
  null,
];

export default [
  defineCase({
    id: 'EVO-ERRORS-001',
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E9',
    title: 'an unknown message type gets INVALID_COMMAND and the connection stays open',
    faults: ['evo-unknown-type-silent'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      for (const message of UNKNOWN_TYPES)
        await expectInvalid(ctx, conn, `unknown type ${JSON.stringify(message)}`, () =>
          sendAndSettle(conn, message),
        );
      await ctx.sleep(QUIET_MS);
      const events = conn.received.filter(isEvent);
      ctx.require(
        events.length === 0,
        `an unknown type was acted on: ${events.length} event(s) arrived, first ${events[0] ? describe(events[0]) : ''} (E9)`,
      );
    },
  }),
  defineCase({
    id: 'EVO-ERRORS-002',
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E9',
    title: 'text that is not JSON gets INVALID_COMMAND and the connection stays open',
    faults: ['evo-invalid-closes'],
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      for (const text of ['wsconform: not JSON', '{"type":"subscribe","channels":["metrics"]', '']) {
        await expectInvalid(ctx, conn, `non-JSON text ${JSON.stringify(text)}`, () =>
          settle(conn, () => conn.sendText(text)),
        );
      }
    },
  }),
  defineCase({
    id: 'EVO-ERRORS-003',
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E9,C7',
    title: 'schema-invalid client messages get INVALID_COMMAND, stay open and have no effect',
    faults: ['evo-invalid-closes'],
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      for (const message of SCHEMA_INVALID)
        await expectInvalid(ctx, conn, `schema-invalid ${JSON.stringify(message)}`, () =>
          sendAndSettle(conn, message),
        );
      await ctx.sleep(QUIET_MS);
      const events = conn.received.filter(isEvent);
      ctx.require(
        events.length === 0,
        `an invalid subscribe was acted on: ${events.length} event(s) arrived, first ${events[0] ? describe(events[0]) : ''} (E9)`,
      );
    },
  }),
];
