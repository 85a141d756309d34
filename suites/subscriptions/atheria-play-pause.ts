// A3: play → inference_status_update running and frames follow (live feed on); pause →
// inference_status_update paused and frames stop, in-flight frames within 500 ms tolerated.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { command, expectStatusUpdate } from '../../src/protocols/atheria-commands.js';
import { framesIn, IN_FLIGHT_MS, nextFrame } from '../../src/protocols/atheria-frames.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { idle, mark } from '../../src/protocols/atheria-wait.js';

const FRAME_WAIT_MS = 2000;
const WATCH_MS = 1500;

export default [
  defineCase({
    protocol: 'atheria',
    num: 2,
    suite: 'subscriptions',
    rule: 'A3',
    title: 'play is answered by inference_status_update running and simulation_frames follow',
    faults: ['ath-play-no-status'],
    exclusive: 'atheria-sim',
    async run(ctx: CaseContext) {
      await withSimulation(ctx, { running: false, liveFeed: true }, async ({ conn }) => {
        const from = command(conn, 'inference.play');
        const status = await expectStatusUpdate(ctx, conn, from, 'running', 'play');
        ctx.require(status, 'play got no inference_status_update "running" within 2 s');
        const frame = await nextFrame(conn, from, FRAME_WAIT_MS);
        ctx.require(frame, `no simulation_frame within ${FRAME_WAIT_MS} ms of play (live feed on)`);
      });
    },
  }),
  defineCase({
    protocol: 'atheria',
    num: 3,
    suite: 'subscriptions',
    rule: 'A3',
    title: 'pause is answered by inference_status_update paused and frames stop within 500 ms',
    faults: ['ath-pause-frames-continue'],
    exclusive: 'atheria-sim',
    timeoutMs: 12_000,
    async run(ctx: CaseContext) {
      await withSimulation(ctx, { running: true, liveFeed: true }, async ({ conn }) => {
        ctx.require(
          await nextFrame(conn, mark(conn), FRAME_WAIT_MS),
          `no simulation_frame within ${FRAME_WAIT_MS} ms while running`,
        );
        const from = command(conn, 'inference.pause');
        const status = await expectStatusUpdate(ctx, conn, from, 'paused', 'pause');
        ctx.require(status, 'pause got no inference_status_update "paused" within 2 s');
        await idle(conn, IN_FLIGHT_MS + WATCH_MS);
        const late = framesIn(conn.received, from).filter((f) => f.t > status.message.t + IN_FLIGHT_MS);
        ctx.require(
          late.length === 0,
          `${late.length} simulation_frame(s) arrived more than ${IN_FLIGHT_MS} ms after the paused status (first ${late[0] ? late[0].t - status.message.t : 0} ms after)`,
        );
      });
    },
  }),
];
