// C5/E12: every event type of every channel, plus error and pong, is received and validated
// against spec/evolution (E12 ranges: metrics >= 0, fitness in [0,1], severities, levels, codes).
// E1 SHOULD: every server message carries a string `id` unique per connection and an ISO
// `timestamp` (pong: the numeric one of E3).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn, Received } from '../../src/engine/types.js';
import { allChannels, eventTypes, sendAndSettle } from '../../src/protocols/evolution-client.js';
import { watchRun } from '../../src/protocols/evolution-observe.js';
import { connectAuthed, control, SEE, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** How long to wait for every event type (alerts are the rarest). */
const ALL_TYPES_WITHIN_MS = 8000;
const POLL_MS = 200;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A connection subscribed to every channel, with error and pong provoked, watched until every type arrived. */
async function watchEverything(ctx: CaseContext): Promise<{ conn: Conn; missing: string[] }> {
  const { conn: watcher } = await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
  const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
  await subscribe(ctx, conn, { channels: allChannels() }, { see: SEE.subscribe });
  await control(watcher, 'resume'); // a control action, for the control channel's log (E4)
  await sendAndSettle(conn, { type: 'get_agent', agent_id: 'wsconform-no-such-agent' }); // error + pong
  const want = new Set([...eventTypes(), 'error', 'pong']);
  const deadline = Date.now() + ALL_TYPES_WITHIN_MS;
  const missing = () => [...want].filter((t) => !conn.received.some((m) => m.type === t));
  while (missing().length && Date.now() < deadline && conn.isOpen) await ctx.sleep(POLL_MS);
  return { conn, missing: missing() };
}

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'schema',
    rule: 'C5,E12,E1',
    title:
      'every event type of every channel, error and pong are valid against the schemas (E12 ranges included)',
    faults: [
      'evo-metrics-negative',
      'evo-alert-bad-severity',
      'evo-fitness-out-of-range',
      'evo-timestamp-number',
      'evo-error-bad-code',
    ],
    shares: 'evolution-run',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const { conn, missing } = await watchEverything(ctx);
      const v = conn.violations[0];
      ctx.require(
        v === undefined,
        `${conn.violations.length} schema violation(s); first: ${v?.messageType} ${v?.instancePath} ${v?.message} (C5)`,
      );
      ctx.require(conn.received.length > 0, 'nothing was received to validate');
      if (missing.length)
        ctx.inform(`not seen within ${ALL_TYPES_WITHIN_MS} ms, so not validated: ${missing.join(', ')}`);
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
    suite: 'schema',
    rule: 'E1',
    title: 'every server message has a string id unique per connection and an ISO 8601 timestamp (SHOULD)',
    faults: ['evo-no-envelope-id'],
    shares: 'evolution-run',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const { conn } = await watchEverything(ctx);
      const envelope = (m: Received) => (m.json ?? {}) as { id?: unknown; timestamp?: unknown };
      const noId = conn.received.filter((m) => typeof envelope(m).id !== 'string');
      ctx.should(
        noId.length === 0,
        `${noId.length} of ${conn.received.length} messages have no string id, e.g. a ${noId[0]?.type} (E1 SHOULD)`,
      );
      const ids = conn.received.map((m) => envelope(m).id).filter((id) => typeof id === 'string');
      const dup = ids.find((id, i) => ids.indexOf(id) !== i);
      ctx.should(
        dup === undefined,
        `the id ${JSON.stringify(dup)} was used twice on one connection (E1 SHOULD: unique)`,
      );
      const noTime = conn.received.filter(
        (m) => m.type !== 'pong' && !ISO.test(String(envelope(m).timestamp ?? '')),
      );
      ctx.should(
        noTime.length === 0,
        `${noTime.length} messages have no ISO 8601 timestamp, e.g. a ${noTime[0]?.type} (E1 SHOULD)`,
      );
    },
  }),
];
