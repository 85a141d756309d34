// E4: an unknown channel name gets `error` INVALID_COMMAND naming the channel; the valid channels
// of the same message still apply.
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import { describe, errorOf, isError } from '../../src/protocols/evolution-client.js';
import { requireUpdate, watchRun } from '../../src/protocols/evolution-observe.js';
import { connectAuthed, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

const BOGUS = 'wsconform-no-such-channel';

export default defineCase({
  id: 'EVO-SUBSCRIPTIONS-005',
  protocol: 'evolution',
  suite: 'subscriptions',
  rule: 'E4',
  title:
    'an unknown channel gets INVALID_COMMAND naming it, and the valid channels of the message still apply',
  faults: ['evo-unknown-channel-silent', 'evo-unknown-channel-drops-valid'],
  shares: 'evolution-run',
  async run(ctx: CaseContext) {
    await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
    const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
    const errors = await subscribe(ctx, conn, { channels: ['evolution', BOGUS] }, true);
    const invalid = errors.find(isError('INVALID_COMMAND'));
    ctx.require(
      invalid !== undefined,
      `subscribe to '${BOGUS}' got ${errors.map(describe).join('; ') || 'no error'} instead of INVALID_COMMAND (E4)`,
    );
    const body = errorOf(invalid);
    ctx.require(
      JSON.stringify([body?.message, body?.details]).includes(BOGUS),
      `the INVALID_COMMAND does not name the unknown channel '${BOGUS}': ${describe(invalid)} (E4)`,
    );
    await requireUpdate(
      ctx,
      conn,
      `after subscribe ['evolution', '${BOGUS}']: the valid channel must still apply (E4)`,
    );
  },
});
