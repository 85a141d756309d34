// E4: delivery of a channel stops within 500 ms of an unsubscribe (`channels: []` or `channel`),
// the other subscriptions go on, and subscribing again works.
import { type CaseContext, type Conn, defineCase } from '../../src/engine/types.js';
import { describe, isType, mark, nextSince } from '../../src/protocols/evolution-client.js';
import {
  isUpdate,
  requireUpdate,
  UNSUBSCRIBE_STOPS_MS,
  watchRun,
} from '../../src/protocols/evolution-observe.js';
import { connectAuthed, subscribe, unsubscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** How long to watch, after the 500 ms grace, for events that must not come. */
const QUIET_MS = 1500;

async function expectStopped(ctx: CaseContext, conn: Conn, body: Record<string, unknown>): Promise<void> {
  await unsubscribe(ctx, conn, body);
  // E4: in-flight deliveries within 500 ms are tolerated; the sentinel already took part of it.
  await ctx.sleep(UNSUBSCRIBE_STOPS_MS);
  const late = await conn.collect(QUIET_MS, isUpdate);
  ctx.require(
    late.length === 0,
    `${late.length} evolution_update(s) arrived more than ${UNSUBSCRIBE_STOPS_MS} ms after unsubscribe ${JSON.stringify(body)}, first ${late[0] ? describe(late[0]) : ''} (E4)`,
  );
}

export default defineCase({
  id: 'EVO-SUBSCRIPTIONS-006',
  protocol: 'evolution',
  suite: 'subscriptions',
  rule: 'E4',
  title:
    'unsubscribe (channels[] and channel forms) stops delivery within 500 ms; other channels and resubscribing still work',
  faults: ['evo-unsubscribe-ignored'],
  shares: 'evolution-run',
  timeoutMs: 20_000,
  async run(ctx: CaseContext) {
    await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
    const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
    await subscribe(ctx, conn, { channels: ['evolution', 'metrics'] });
    await requireUpdate(ctx, conn, 'after subscribing to evolution and metrics');
    const metricsBefore = conn.received.some(isType('metrics'));
    await expectStopped(ctx, conn, { channels: ['evolution'] });
    if (metricsBefore) {
      const more = await nextSince(conn, mark(conn), isType('metrics'), 3000);
      ctx.require(more !== null, 'metrics stopped although only evolution was unsubscribed (E4)');
    }
    await subscribe(ctx, conn, { channels: ['evolution'] });
    await requireUpdate(ctx, conn, 'after subscribing again');
    await expectStopped(ctx, conn, { channel: 'evolution' });
  },
});
