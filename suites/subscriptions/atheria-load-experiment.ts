// A3: load_experiment of a name listed in initial_state.experiments → notification success (or
// info); an unknown name → notification error; a missing experiment_name → notification error.
import type { CaseContext } from '../../src/engine/types.js';
import { atheriaCase } from '../../src/protocols/atheria-case.js';
import { command, expectNotification, experimentNames } from '../../src/protocols/atheria-commands.js';
import { sentinelName } from '../../src/protocols/atheria-probe.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { notificationMessage, notificationStatus } from '../../src/protocols/atheria-wait.js';

/** Loading a real experiment may take a server a moment (model weights, …). */
const LOAD_MS = 5000;

export default atheriaCase({
  num: 4,
  suite: 'subscriptions',
  rule: 'A3',
  title: 'load_experiment answers success/info for a listed name and error for an unknown or missing name',
  faults: ['ath-load-unknown-success'],
  exclusive: 'atheria-sim',
  timeoutMs: 15_000,
  async run(ctx: CaseContext) {
    await withSimulation(ctx, {}, async ({ conn, initial }) => {
      const unknown = sentinelName();
      let from = command(conn, 'inference.load_experiment', { experiment_name: unknown });
      let answer = await expectNotification(conn, from);
      ctx.require(answer, 'load_experiment of an unknown name got no notification within 2 s');
      ctx.require(
        notificationStatus(answer.message) === 'error',
        `load_experiment of an unknown name got a "${notificationStatus(answer.message)}" notification ("${notificationMessage(answer.message)}"), not "error"`,
      );

      from = command(conn, 'inference.load_experiment', {});
      answer = await expectNotification(conn, from);
      ctx.require(answer, 'load_experiment without experiment_name got no notification within 2 s');
      ctx.require(
        notificationStatus(answer.message) === 'error',
        `load_experiment without experiment_name got a "${notificationStatus(answer.message)}" notification, not "error"`,
      );

      // Reload the active experiment when there is one: the least disturbing known name.
      const names = experimentNames(initial);
      const active = initial['active_experiment'];
      const known = typeof active === 'string' && names.includes(active) ? active : names[0];
      if (known === undefined) {
        ctx.inform('initial_state lists no experiments, so loading a known one could not be tried');
        return;
      }
      from = command(conn, 'inference.load_experiment', { experiment_name: known });
      answer = await expectNotification(conn, from, undefined, LOAD_MS);
      ctx.require(
        answer,
        `load_experiment of the listed "${known}" got no notification within ${LOAD_MS} ms`,
      );
      const status = notificationStatus(answer.message);
      ctx.require(
        status === 'success' || status === 'info',
        `load_experiment of the listed "${known}" got a "${status}" notification ("${notificationMessage(answer.message)}"), not success or info`,
      );
    });
  },
});
