// A7, A8 (+C5): notifications carry status info|success|warning|error and a string message;
// inference_status_update status is running|paused|idle (training/analysis updates, when any
// arrive, are checked by the inbound checker). The case drives commands that produce both kinds
// and validates everything received.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Received } from '../../src/engine/types.js';
import { command, expectInferenceStatus, experimentNames } from '../../src/protocols/atheria-commands.js';
import { sentinelName } from '../../src/protocols/atheria-probe.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { mark, payloadOf } from '../../src/protocols/atheria-wait.js';
import { loadManifest } from '../../src/schema/index.js';

function statusOf(m: Received): unknown {
  return payloadOf(m)?.['status'];
}

export default defineCase({
  protocol: 'atheria',
  num: 2,
  suite: 'schema',
  rule: 'A7,A8,C5',
  title: 'notifications and status updates produced by commands carry valid status values',
  faults: ['ath-notification-bad-status', 'ath-status-bad-enum'],
  exclusive: 'atheria-sim',
  timeoutMs: 15_000,
  validates: ['notification', 'inference_status_update'],
  async run(ctx: CaseContext) {
    const statuses = loadManifest('atheria').statuses;
    await withSimulation(ctx, {}, async (s) => {
      s.restore.viz = 'density';
      const { conn } = s;
      const from = mark(conn);
      let at = command(conn, 'inference.pause');
      await expectInferenceStatus(conn, at);
      at = command(conn, 'inference.play');
      await expectInferenceStatus(conn, at);
      command(conn, 'inference.load_experiment', { experiment_name: sentinelName() });
      command(conn, 'inference.load_experiment', {});
      // a listed experiment too: the status update a successful load sends is judged as well
      // (the public backend's says "ready", which A8 does not list)
      const names = experimentNames(s.initial);
      const active = s.initial['active_experiment'];
      const known = typeof active === 'string' && names.includes(active) ? active : names[0];
      if (known !== undefined) command(conn, 'inference.load_experiment', { experiment_name: known });
      command(conn, 'inference.inject_energy', { energy_type: 'random_noise', amount: 0.5 });
      command(conn, 'inference.set_viz', { viz_type: 'wsconform_no_such_viz' });
      ctx.require(await s.probe.sync(), 'no answer to the sentinel: the connection stopped working');
      const seen = conn.received.slice(from);

      const notifications = seen.filter((m) => m.type === 'notification');
      ctx.require(
        notifications.length > 0,
        'no notification was received for load_experiment or inject_energy (A3)',
      );
      for (const m of notifications) {
        const st = statusOf(m);
        ctx.require(
          typeof st === 'string' && statuses.notification.includes(st),
          `a notification has status ${JSON.stringify(st)} (allowed: ${statuses.notification.join(', ')})`,
        );
        ctx.require(typeof payloadOf(m)?.['message'] === 'string', 'a notification has no string message');
      }
      const updates = seen.filter((m) => m.type === 'inference_status_update');
      ctx.require(updates.length > 0, 'no inference_status_update was received for pause or play (A3)');
      for (const m of updates) {
        const st = statusOf(m);
        ctx.require(
          typeof st === 'string' && statuses.inference.includes(st),
          `an inference_status_update has status ${JSON.stringify(st)} (allowed: ${statuses.inference.join(', ')})`,
          'A8',
        );
      }
      // the rest of each message's schema (C5) is judged by the engine: the case read them all
    });
  },
});
