// A3: inject_energy accepts the documented {energy_type, amount} and answers notification success;
// the public code's {type} form MAY be accepted too (reported, not judged).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { answerStatus, command, expectFinalNotification } from '../../src/protocols/atheria-commands.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { notificationMessage, notificationStatus } from '../../src/protocols/atheria-wait.js';

export default defineCase({
  protocol: 'atheria',
  num: 10,
  suite: 'subscriptions',
  rule: 'A3',
  title: 'inject_energy {energy_type, amount} is answered by a notification success',
  faults: ['ath-inject-energy-error'],
  shares: 'atheria-sim',
  async run(ctx: CaseContext) {
    await withSimulation(
      ctx,
      { running: true, liveFeed: true },
      async ({ conn }) => {
        let from = command(conn, 'inference.inject_energy', { energy_type: 'random_noise', amount: 1.0 });
        const { final: answer } = await expectFinalNotification(conn, from);
        ctx.require(answer, 'inject_energy {energy_type, amount} got no final notification within 2 s');
        const status = answerStatus(ctx, answer.message, 'inject_energy {energy_type, amount}');
        ctx.require(
          status === 'success',
          `inject_energy {energy_type, amount} got a "${status}" notification ("${notificationMessage(answer.message)}"), not success`,
        );

        from = command(conn, 'inference.inject_energy', { type: 'random_noise' });
        const { final: other } = await expectFinalNotification(conn, from);
        ctx.note(
          other
            ? `inject_energy in the public code's {type} form got a "${notificationStatus(other.message)}" notification`
            : "inject_energy in the public code's {type} form got no final notification within 2 s",
        );
      },
      { shared: true },
    );
  },
});
