// A2, A3, C6, C7 (property): every valid client command — generated from the schemas in either
// form, with extra fields — is accepted: no error notification, the connection stays open and
// keeps answering. fast-check with the run's seed and runs; the state is restored afterwards (A0).
import type { CaseContext } from '../../src/engine/types.js';
import { validCommands } from '../../src/protocols/atheria-arbitraries.js';
import { atheriaCase } from '../../src/protocols/atheria-case.js';
import { experimentNames } from '../../src/protocols/atheria-commands.js';
import {
  checkMessages,
  firstError,
  judgeOutcome,
  missingAnswer,
  show,
} from '../../src/protocols/atheria-property.js';
import { currentFps, withSimulation } from '../../src/protocols/atheria-state.js';
import { validateClientMessage } from '../../src/schema/index.js';

const TIME_LIMIT_MS = 20_000;

export default atheriaCase({
  num: 3,
  suite: 'schema',
  rule: 'A2,A3,C6,C7',
  title: 'generated valid commands (both forms, extra fields) are accepted without an error notification',
  faults: ['ath-inject-energy-error', 'ath-legacy-form-ignored'],
  exclusive: 'atheria-sim',
  timeoutMs: 30_000,
  async run(ctx: CaseContext) {
    // running, so that the fps to put back can be read from the frames (A0, issue 9 §6)
    await withSimulation(ctx, { running: true, liveFeed: true }, async (s) => {
      const fps = await currentFps(s);
      s.restore = { ...s.restore, viz: 'density', binary: false, ...(fps === undefined ? {} : { fps }) };
      if (fps === undefined) ctx.note('A0: the current fps could not be read, so it is not restored');
      const outcome = await checkMessages(ctx, s, {
        arbitrary: validCommands(experimentNames(s.initial)),
        message: (c) => c.message,
        applies: (c) => validateClientMessage('atheria', c.message).length === 0,
        judge: (c, replies) => {
          const err = firstError(replies);
          if (err)
            return {
              level: 'must',
              reason: `the valid ${c.type} was answered by an error notification ${err}`,
            };
          const missing = missingAnswer(c.type, replies);
          return missing ? { level: 'must', reason: `the valid ${c.type} got ${missing}` } : null;
        },
        timeLimitMs: TIME_LIMIT_MS,
      });
      const f = judgeOutcome(ctx, outcome, TIME_LIMIT_MS);
      if (!f) return;
      // a counterexample must really be valid, or the generator is at fault, not the server
      if (validateClientMessage('atheria', f.value.message).length > 0) {
        ctx.note(
          `the generator produced an invalid command ${show(f.value.message)}: not a failure of the server`,
        );
        return;
      }
      ctx.counterexample(f.value.message);
      const reason = `${f.why.reason}: ${show(f.value.message)} (after ${f.shrinks} shrinks)`;
      if (f.why.level === 'must') ctx.fail(reason);
      ctx.should(false, reason);
    });
  },
});
