// A2: the legacy {scope, command, args} form is accepted and equivalent to {type, payload}. Each
// command is sent in both forms and the answers compared: the legacy form must get what the
// {type} form gets. When the {type} form does not get its documented answer either, that is A3's
// finding (ATH-SUBSCRIPTIONS-002..004), not a difference between the forms.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn } from '../../src/engine/types.js';
import {
  answerStatus,
  command,
  expectFinalNotification,
  expectStatusUpdate,
} from '../../src/protocols/atheria-commands.js';
import { sentinelName } from '../../src/protocols/atheria-probe.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';

const legacy = { legacy: true };

type Form = 'type' | 'legacy';
const label = (cmd: string, form: Form) =>
  form === 'legacy' ? `legacy {scope:"inference", command:"${cmd}"}` : `{type:"inference.${cmd}"}`;

/** play/pause in one form: whether the status update it documents came (A3). */
async function statusAnswer(
  ctx: CaseContext,
  conn: Conn,
  cmd: 'play' | 'pause',
  form: Form,
): Promise<boolean> {
  const from = command(conn, `inference.${cmd}`, {}, form === 'legacy' ? legacy : {});
  const want = cmd === 'play' ? 'running' : 'paused';
  return (await expectStatusUpdate(ctx, conn, from, want, label(cmd, form))) !== null;
}

/** load_experiment of an unknown name in one form: the final notification's status, 'none' if none. */
async function loadAnswer(ctx: CaseContext, conn: Conn, form: Form): Promise<string> {
  const from = command(
    conn,
    'inference.load_experiment',
    { experiment_name: sentinelName() },
    form === 'legacy' ? legacy : {},
  );
  const { final } = await expectFinalNotification(conn, from);
  return final
    ? answerStatus(ctx, final.message, `${label('load_experiment', form)} of an unknown name`)
    : 'none';
}

export default defineCase({
  protocol: 'atheria',
  num: 1,
  suite: 'subscriptions',
  rule: 'A2',
  title: 'legacy {scope, command, args} pause, play and load_experiment act like the {type, payload} form',
  faults: ['ath-legacy-form-ignored'],
  exclusive: 'atheria-sim',
  timeoutMs: 20_000,
  async run(ctx: CaseContext) {
    await withSimulation(ctx, { running: true, liveFeed: true }, async ({ conn }) => {
      // each command a real transition (running → paused → running, twice), the {type} form first
      const answers: Record<Form, Record<'pause' | 'play', boolean>> = {
        type: { pause: false, play: false },
        legacy: { pause: false, play: false },
      };
      for (const form of ['type', 'legacy'] as const) {
        for (const cmd of ['pause', 'play'] as const)
          answers[form][cmd] = await statusAnswer(ctx, conn, cmd, form);
      }
      for (const cmd of ['pause', 'play'] as const) {
        const { [cmd]: typed } = answers.type;
        const { [cmd]: old } = answers.legacy;
        if (!typed) ctx.note(`${label(cmd, 'type')} got no status update either (A3, judged elsewhere)`);
        ctx.require(
          old || !typed,
          `${label(cmd, 'legacy')} got no inference_status_update "${cmd === 'play' ? 'running' : 'paused'}" within 2 s; the {type} form did`,
        );
      }
      // A3 through both forms: an unknown experiment gets the same final answer
      const typed = await loadAnswer(ctx, conn, 'type');
      const old = await loadAnswer(ctx, conn, 'legacy');
      ctx.require(
        old === typed,
        `load_experiment of an unknown name was answered "${old}" in the legacy form but "${typed}" in the {type} form`,
      );
    });
  },
});
