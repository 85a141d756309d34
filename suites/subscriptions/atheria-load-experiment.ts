// A3: load_experiment of a name listed in initial_state.experiments → notification success (or
// info); an unknown name → notification error; a missing experiment_name → notification error.
// The answer judged is the final one: the public backend first sends a progress `info`
// ("Cargando modelo 'X'...") and success or error after it (issue 9 §5).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import {
  answerStatus,
  command,
  expectFinalNotification,
  experimentNames,
  LOAD_MS,
} from '../../src/protocols/atheria-commands.js';
import { sentinelName } from '../../src/protocols/atheria-probe.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { describe, notificationMessage } from '../../src/protocols/atheria-wait.js';

export default defineCase({
  protocol: 'atheria',
  num: 4,
  suite: 'subscriptions',
  rule: 'A3',
  title: 'load_experiment answers success/info for a listed name and error for an unknown or missing name',
  faults: ['ath-load-unknown-success'],
  exclusive: 'atheria-sim',
  timeoutMs: 20_000,
  async run(ctx: CaseContext) {
    await withSimulation(ctx, {}, async ({ conn, initial }) => {
      const refused = async (what: string, payload: Record<string, unknown>) => {
        const { final, progress } = await expectFinalNotification(
          conn,
          command(conn, 'inference.load_experiment', payload),
        );
        ctx.require(
          final,
          `load_experiment ${what} got no final notification within 2 s${progress.length ? ` (only ${progress.length} info: ${describe(progress[0])})` : ''}`,
        );
        const status = answerStatus(ctx, final.message, `load_experiment ${what}`);
        ctx.require(
          status === 'error',
          `load_experiment ${what} got a "${status}" notification ("${notificationMessage(final.message)}"), not "error"`,
        );
      };
      await refused('of an unknown name', { experiment_name: sentinelName() });
      await refused('without experiment_name', {});

      // Reload the active experiment when there is one: the least disturbing known name.
      const names = experimentNames(initial);
      const active = initial['active_experiment'];
      const known = typeof active === 'string' && names.includes(active) ? active : names[0];
      if (known === undefined) {
        ctx.inform('initial_state lists no experiments, so loading a known one could not be tried');
        return;
      }
      const from = command(conn, 'inference.load_experiment', { experiment_name: known });
      const { final, progress } = await expectFinalNotification(conn, from, LOAD_MS);
      if (!final) {
        // A3 accepts `info` as the answer to a listed name; nothing at all is a failure
        ctx.require(
          progress.length > 0,
          `load_experiment of the listed "${known}" got no notification within ${LOAD_MS} ms`,
        );
        ctx.note(`load_experiment of "${known}" was answered by info only: ${describe(progress[0])}`);
        return;
      }
      const status = answerStatus(ctx, final.message, `load_experiment of the listed "${known}"`);
      ctx.require(
        status === 'success',
        `load_experiment of the listed "${known}" got a "${status}" notification ("${notificationMessage(final.message)}"), not success or info`,
      );
    });
  },
});
