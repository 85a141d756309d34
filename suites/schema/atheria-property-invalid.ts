// A3, A4, C7 (property): schema-invalid client commands (one rule broken each: a missing required
// field, a wrong type, an out-of-range value, …) and unknown commands are rejected cleanly: the
// server SHOULD answer a notification error (silence is NON-STRICT, A4) and MUST keep the
// connection open and answering. Every counterexample is re-validated to be invalid before it
// counts, during the runs and after shrinking.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { invalidCommands } from '../../src/protocols/atheria-arbitraries.js';
import { asRead } from '../../src/protocols/atheria-commands.js';
import { checkMessages, firstError, judgeOutcome, show } from '../../src/protocols/atheria-property.js';
import { currentFps, withSimulation } from '../../src/protocols/atheria-state.js';
import { validateClientMessage } from '../../src/schema/index.js';

const TIME_LIMIT_MS = 20_000;

/** invalid in the form the server reads (A2): extra fields of the other form do not count (C6) */
const isInvalid = (message: unknown) => validateClientMessage('atheria', asRead(message)).length > 0;

export default defineCase({
  protocol: 'atheria',
  num: 4,
  suite: 'schema',
  rule: 'A3,A4,C7',
  title: 'generated invalid and unknown commands get an error notification and the connection keeps working',
  faults: ['ath-unknown-silent', 'ath-unknown-closes'],
  exclusive: 'atheria-sim',
  hostile: true,
  timeoutMs: 30_000,
  async run(ctx: CaseContext) {
    // running, so that the fps to put back can be read from the frames (A0, issue 9 §6)
    await withSimulation(ctx, { running: true, liveFeed: true }, async (s) => {
      // an invalid command may still have changed something on a lenient server
      const fps = await currentFps(s);
      s.restore = { ...s.restore, viz: 'density', binary: false, ...(fps === undefined ? {} : { fps }) };
      if (fps === undefined) ctx.note('A0: the current fps could not be read, so it is not restored');
      const outcome = await checkMessages(ctx, s, {
        arbitrary: invalidCommands(),
        message: (c) => c.message,
        // shrinking may turn a broken message into a valid one: such a run proves nothing
        applies: (c) => isInvalid(c.message),
        judge: (c, replies) =>
          firstError(replies)
            ? null
            : { level: 'should', reason: `the invalid command (${c.broken}) got no error notification` },
        timeLimitMs: TIME_LIMIT_MS,
      });
      const f = judgeOutcome(ctx, outcome, TIME_LIMIT_MS);
      if (!f) return;
      if (!isInvalid(f.value.message)) {
        ctx.note(
          `the shrunk counterexample ${show(f.value.message)} is valid after all: not a failure of the server`,
        );
        return;
      }
      ctx.counterexample(f.value.message);
      const reason = `${f.why.reason}: ${show(f.value.message)} (after ${f.shrinks} shrinks)`;
      // closing or no longer answering after a bad input breaks A4's MUST; no error answer its SHOULD
      if (f.why.level === 'must') ctx.fail(reason, 'A4');
      ctx.should(false, reason, 'A4');
    });
  },
});
