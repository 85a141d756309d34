// E4: delivery of a channel stops within 500 ms of an unsubscribe (`channels: []` or `channel`),
// the other subscriptions go on, and subscribing again works.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn } from '../../src/engine/types.js';
import { describe, isType, mark, nextSince } from '../../src/protocols/evolution-client.js';
import {
  isUpdate,
  requireUpdate,
  UNSUBSCRIBE_STOPS_MS,
  watchRun,
} from '../../src/protocols/evolution-observe.js';
import { connectAuthed, SEE, subscribe, unsubscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** How long to watch, after the 500 ms grace, for events that must not come. */
const QUIET_MS = 1500;
/** How long to wait for a metrics event of the subscription that stays. */
const METRICS_WITHIN_MS = 3000;

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
  protocol: 'evolution',
  num: 6,
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
    await subscribe(ctx, conn, { channels: ['evolution', 'metrics'] }, { see: SEE.subscribe });
    await requireUpdate(ctx, conn, 'after subscribing to evolution and metrics');
    const metricsBefore = conn.received.some(isType('metrics'));
    const at = mark(conn);
    await expectStopped(ctx, conn, { channels: ['evolution'] });
    // The other subscription goes on: always checked, and said so when it cannot be (no silent skip).
    const more = await nextSince(conn, at, isType('metrics'), METRICS_WITHIN_MS);
    if (more === null && metricsBefore)
      ctx.fail('metrics stopped although only evolution was unsubscribed (E4)');
    else if (more === null)
      ctx.inform(
        `no metrics event arrived before or within ${METRICS_WITHIN_MS} ms after unsubscribing evolution, so "the other subscriptions go on" could not be checked`,
      );
    await subscribe(ctx, conn, { channels: ['evolution'] });
    await requireUpdate(ctx, conn, 'after subscribing again');
    await expectStopped(ctx, conn, { channel: 'evolution' });
  },
});
