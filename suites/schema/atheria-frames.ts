// A5 (+C5): simulation_frame payloads: step an integer ≥ 0 that strictly increases across the
// frames of one connection; map_data a rectangular 2-D array of finite numbers, a 3-D array or the
// compressed form; simulation_info {step, is_paused, fps, live_feed_enabled}. Shapes are checked by
// the inbound checker against the schema (src/protocols/atheria-checker.ts); step order here.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { framesIn, nextFrame, stepOf } from '../../src/protocols/atheria-frames.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { idle, mark } from '../../src/protocols/atheria-wait.js';

const FRAME_WAIT_MS = 2000;
const WATCH_MS = 1500;

export default defineCase({
  protocol: 'atheria',
  num: 1,
  suite: 'schema',
  rule: 'A5,C5',
  title: 'simulation_frames have a valid payload and a strictly increasing step',
  faults: ['ath-frame-bad-map', 'ath-step-decreases'],
  shares: 'atheria-sim',
  validates: ['simulation_frame', 'simulation_frame_binary', '(binary)'],
  async run(ctx: CaseContext) {
    await withSimulation(
      ctx,
      { running: true, liveFeed: true },
      async ({ conn }) => {
        const start = await nextFrame(conn, mark(conn), FRAME_WAIT_MS);
        ctx.require(start, `no simulation_frame within ${FRAME_WAIT_MS} ms while running with live feed on`);
        await idle(conn, WATCH_MS);
        const frames = framesIn(conn.received, start.index - (start.binary ? 1 : 0));
        ctx.require(
          frames.length >= 2,
          `only ${frames.length} simulation_frame(s) in ${WATCH_MS} ms while running`,
        );
        let previous: number | undefined;
        for (const f of frames) {
          const step = stepOf(f);
          ctx.require(
            step !== undefined && step >= 0,
            `a simulation_frame has step ${JSON.stringify(f.payload?.['step'])}`,
          );
          // a repeated step breaks "strictly" only as the profile's reading (SHOULD); going back is a MUST
          ctx.require(
            previous === undefined || step >= previous,
            `step went back from ${previous} to ${step} (it must strictly increase)`,
          );
          ctx.should(
            previous === undefined || step > previous,
            `step ${step} repeats the previous frame's step`,
          );
          previous = step;
        }
        // each frame's schema (C5) is judged by the engine (`validates`), on every frame received
      },
      { shared: true },
    );
  },
});
