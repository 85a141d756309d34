// A2, A3, C6, C7 (property): every valid client command — generated from the schemas in either
// form, with extra fields — is accepted: no error notification, the connection stays open and
// keeps answering. fast-check with the run's seed and runs; the state is restored afterwards (A0).
// A refusal that names an extra field is C6's NON-STRICT; a legacy-form command the {type} form
// gets right is A2's failure, any other missing or refused answer A3's.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Received } from '../../src/engine/types.js';
import { validCommands } from '../../src/protocols/atheria-arbitraries.js';
import { experimentNames } from '../../src/protocols/atheria-commands.js';
import { extraFields } from '../../src/protocols/atheria-extra-fields.js';
import {
  checkMessages,
  judgeOutcome,
  missingAnswer,
  type RunFailure,
  show,
} from '../../src/protocols/atheria-property.js';
import { currentFps, type SimSession, withSimulation } from '../../src/protocols/atheria-state.js';
import { describe, isNotification, isRecord, notificationMessage } from '../../src/protocols/atheria-wait.js';
import { validateClientMessage } from '../../src/schema/index.js';

const TIME_LIMIT_MS = 20_000;

/** One run's verdict: the documented answer, no error (an error naming an extra field: C6, SHOULD). */
function judge(type: string, message: unknown, replies: readonly Received[]): RunFailure | null {
  const err = replies.find((m) => isNotification(m, ['error']));
  if (err) {
    const text = notificationMessage(err);
    const named = extraFields(type, message).find((k) => text.includes(k));
    if (named !== undefined)
      return {
        level: 'should',
        rule: 'C6',
        reason: `the valid ${type} was refused for its unknown field "${named}": ${describe(err)}`,
      };
    return {
      level: 'must',
      reason: `the valid ${type} was answered by an error notification ${describe(err)}`,
    };
  }
  const missing = missingAnswer(type, replies);
  return missing ? { level: 'must', reason: `the valid ${type} got ${missing}` } : null;
}

/**
 * The rule a MUST failure is about: a command in the legacy form that the {type} form gets right is
 * A2's (the forms differ); anything else is A3's (the command itself is not handled as documented).
 */
async function ruleOf(s: SimSession, type: string, message: unknown): Promise<string> {
  if (!isRecord(message) || Object.hasOwn(message, 'type') || !s.conn.isOpen) return 'A3';
  const typed = { type, payload: isRecord(message['args']) ? message['args'] : {} };
  const { replies, sentinel } = await s.probe.exchange(() => s.conn.sendJson(typed));
  return sentinel && judge(type, typed, replies) === null ? 'A2' : 'A3';
}

export default defineCase({
  protocol: 'atheria',
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
        judge: (c, replies) => judge(c.type, c.message, replies),
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
      if (f.why.level === 'should') {
        ctx.should(false, reason, f.why.rule);
        return;
      }
      ctx.fail(reason, await ruleOf(s, f.value.type, f.value.message));
    });
  },
});
