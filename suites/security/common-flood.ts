// C4: a flood of small messages sent at once neither crashes the server nor stalls other
// connections. On Evolution the flood also trips E10's rate limit; that is judged elsewhere.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Protocol } from '../../src/engine/types.js';
import { requireServerServes, requireServesBefore } from '../_shared/health.js';
import { NON_JSON } from '../_shared/hostile.js';
import { hostileSessions } from '../_shared/sessions.js';

const FLOOD = 500;

/**
 * Small messages each asking for an answer, with one non-JSON text as floods carry junk: early, so
 * that it is processed before an E10 rate limit drops the excess (which is not acted on).
 */
const JUNK_AT = 10;
function floodMessages(protocol: Protocol): string[] {
  const out: string[] = [];
  for (let i = 0; i < FLOOD; i++) {
    if (i === JUNK_AT) out.push(NON_JSON[0] ?? 'not json');
    else if (protocol === 'evolution') out.push(`{"type":"ping","timestamp":${i}}`);
    else out.push(`{"type":"wsconform.noop","payload":{"i":${i}}}`);
  }
  return out;
}

export default defineCase({
  // any endpoint must survive a flood of small messages: also --protocol generic
  protocols: ['atheria', 'evolution', 'generic'],
  num: 106,
  suite: 'security',
  rule: 'C4',
  title: 'a flood of 500 small messages at once neither crashes the server nor stalls a new client',
  faults: ['stall-on-flood', 'stall-on-bad-json'],
  hostile: true,
  async run(ctx: CaseContext) {
    await requireServesBefore(ctx);
    const sessions = await hostileSessions(ctx);
    try {
      for (const s of sessions) for (const text of floodMessages(ctx.target.protocol)) s.conn.sendText(text);
      // The new client connects while the server still works through the flood.
      await requireServerServes(ctx, `a flood of ${FLOOD} messages`);
      for (const s of sessions) {
        const answers = await s.conn.collect(500);
        ctx.note(
          `${s.label}: ${s.conn.received.length} messages received (${answers.length} in the last 500 ms)`,
        );
      }
    } finally {
      for (const s of sessions) s.conn.close(1000);
    }
  },
});
