// E4: an unknown channel name gets an `error` (MUST), INVALID_COMMAND naming the channel (SHOULD);
// the valid channels of the same message SHOULD still apply (refusing the whole message is
// non-strict, revision 2026-12-06).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { describe, errorOf, isError } from '../../src/protocols/evolution-client.js';
import { nextUpdate, watchRun } from '../../src/protocols/evolution-observe.js';
import { connectAuthed, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

const BOGUS = 'wsconform-no-such-channel';

export default defineCase({
  protocol: 'evolution',
  num: 5,
  suite: 'subscriptions',
  rule: 'E4',
  title:
    'an unknown channel gets an error (INVALID_COMMAND naming it, SHOULD); the valid channels of the message still apply (SHOULD)',
  faults: ['evo-unknown-channel-silent', 'evo-unknown-channel-drops-valid', 'evo-invalid-command-other-code'],
  shares: 'evolution-run',
  async run(ctx: CaseContext) {
    await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
    const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
    const errors = await subscribe(ctx, conn, { channels: ['evolution', BOGUS] }, { allowErrors: true });
    ctx.require(errors.length > 0, `subscribe to '${BOGUS}' got no error (E4)`);
    const invalid = errors.find(isError('INVALID_COMMAND'));
    if (
      ctx.should(
        invalid !== undefined,
        `subscribe to '${BOGUS}' got ${errors.map((e) => String(errorOf(e)?.code)).join(', ')}; SHOULD be INVALID_COMMAND (E4)`,
      )
    ) {
      const body = errorOf(invalid as NonNullable<typeof invalid>);
      ctx.should(
        JSON.stringify([body?.message, body?.details]).includes(BOGUS),
        `the INVALID_COMMAND does not name the unknown channel '${BOGUS}': ${describe(invalid as NonNullable<typeof invalid>)} (E4 SHOULD)`,
      );
    }
    // The watcher proves updates flow, so none here means the valid channel was not applied.
    const update = await nextUpdate(conn);
    ctx.should(
      update !== null,
      `after subscribe ['evolution', '${BOGUS}'] no evolution_update arrived: the whole subscribe was refused (E4: the valid channels SHOULD still apply)`,
    );
  },
});
