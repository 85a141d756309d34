// A2: the legacy {scope, command, args} form is accepted and equivalent to {type, payload}.
import type { CaseContext } from '../../src/engine/types.js';
import { atheriaCase } from '../../src/protocols/atheria-case.js';
import {
  command,
  expectFinalNotification,
  expectInferenceStatus,
} from '../../src/protocols/atheria-commands.js';
import { sentinelName } from '../../src/protocols/atheria-probe.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { notificationStatus } from '../../src/protocols/atheria-wait.js';

const legacy = { legacy: true };

export default atheriaCase({
  num: 1,
  suite: 'subscriptions',
  rule: 'A2',
  title: 'legacy {scope, command, args} pause, play and load_experiment act like the {type, payload} form',
  faults: ['ath-legacy-form-ignored'],
  exclusive: 'atheria-sim',
  async run(ctx: CaseContext) {
    await withSimulation(ctx, { running: true, liveFeed: true }, async ({ conn }) => {
      let from = command(conn, 'inference.pause', {}, legacy);
      ctx.require(
        await expectInferenceStatus(conn, from, 'paused'),
        'legacy {scope:"inference", command:"pause"} got no inference_status_update "paused" within 2 s',
      );
      from = command(conn, 'inference.play', {}, legacy);
      ctx.require(
        await expectInferenceStatus(conn, from, 'running'),
        'legacy {scope:"inference", command:"play"} got no inference_status_update "running" within 2 s',
      );
      // A3 through the legacy form: an unknown experiment is answered by a notification error.
      // (the final answer: progress `info` notifications before it are not the answer, issue 9 §5)
      from = command(conn, 'inference.load_experiment', { experiment_name: sentinelName() }, legacy);
      const { final } = await expectFinalNotification(conn, from);
      ctx.require(
        final,
        'legacy load_experiment of an unknown experiment got no final notification within 2 s',
      );
      ctx.require(
        notificationStatus(final.message) === 'error',
        `legacy load_experiment of an unknown experiment got a "${notificationStatus(final.message)}" notification, not "error"`,
      );
    });
  },
});
