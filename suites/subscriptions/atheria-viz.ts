// A3: set_viz {viz_type}: density, phase and flow are accepted; after flow, frames carry flow_data
// (SHOULD); an unknown viz type gets a notification error (SHOULD).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { commandMessage, errorNotifications } from '../../src/protocols/atheria-commands.js';
import { nextFrame } from '../../src/protocols/atheria-frames.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { mark, notificationMessage } from '../../src/protocols/atheria-wait.js';
import { loadManifest } from '../../src/schema/index.js';

const FRAME_WAIT_MS = 2000;

export default [
  defineCase({
    protocol: 'atheria',
    num: 8,
    suite: 'subscriptions',
    rule: 'A3',
    title: 'set_viz accepts density, phase and flow, and frames carry flow_data after flow',
    faults: ['ath-viz-no-flow-data'],
    exclusive: 'atheria-sim',
    async run(ctx: CaseContext) {
      await withSimulation(ctx, { running: true, liveFeed: true }, async (s) => {
        s.restore.viz = 'density';
        for (const viz of loadManifest('atheria').vizTypes) {
          const { replies, sentinel } = await s.probe.exchange(() =>
            s.conn.sendJson(commandMessage('inference.set_viz', { viz_type: viz })),
          );
          ctx.require(
            sentinel,
            `no answer to the sentinel after set_viz ${viz}: the connection stopped working`,
          );
          const errors = errorNotifications(replies);
          ctx.require(
            errors.length === 0,
            `set_viz "${viz}" was answered by an error notification: "${errors[0] ? notificationMessage(errors[0]) : ''}"`,
          );
          if (viz !== 'flow') continue;
          const frame = await nextFrame(s.conn, mark(s.conn), FRAME_WAIT_MS);
          ctx.require(frame, `no simulation_frame within ${FRAME_WAIT_MS} ms after set_viz flow`);
          // C6: a null optional field is absent (the public backend writes None as null)
          ctx.should(
            frame.payload?.['flow_data'] != null,
            'after set_viz flow, the next frame carries no flow_data',
          );
        }
      });
    },
  }),
  defineCase({
    protocol: 'atheria',
    num: 9,
    suite: 'subscriptions',
    rule: 'A3',
    title: 'set_viz with an unknown viz type is answered by a notification error',
    faults: ['ath-viz-unknown-silent'],
    exclusive: 'atheria-sim',
    async run(ctx: CaseContext) {
      await withSimulation(ctx, {}, async (s) => {
        s.restore.viz = 'density';
        const { replies, sentinel } = await s.probe.exchange(() =>
          s.conn.sendJson(commandMessage('inference.set_viz', { viz_type: 'wsconform_no_such_viz' })),
        );
        ctx.require(
          sentinel,
          'no answer to the sentinel after an unknown viz type: the connection stopped working',
        );
        ctx.should(
          errorNotifications(replies).length > 0,
          'set_viz "wsconform_no_such_viz" got no error notification',
        );
      });
    },
  }),
];
