// A3: set_live_feed {enabled:false} → no simulation_frame while disabled; {enabled:true} resumes.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { command } from '../../src/protocols/atheria-commands.js';
import { framesIn, IN_FLIGHT_MS, nextFrame } from '../../src/protocols/atheria-frames.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { idle, mark } from '../../src/protocols/atheria-wait.js';

const FRAME_WAIT_MS = 2000;
const WATCH_MS = 1200;

export default defineCase({
  protocol: 'atheria',
  num: 7,
  suite: 'subscriptions',
  rule: 'A3',
  title: 'set_live_feed false stops simulation_frames (500 ms in flight tolerated) and true resumes them',
  faults: ['ath-live-feed-ignored'],
  exclusive: 'atheria-sim',
  timeoutMs: 12_000,
  async run(ctx: CaseContext) {
    await withSimulation(ctx, { running: true, liveFeed: true }, async ({ conn, probe }) => {
      ctx.require(
        await nextFrame(conn, mark(conn), FRAME_WAIT_MS),
        `no simulation_frame within ${FRAME_WAIT_MS} ms while running`,
      );
      command(conn, 'simulation.set_live_feed', { enabled: false });
      // the sentinel's answer proves the server processed set_live_feed before it
      const processed = await probe.sync();
      ctx.require(
        processed,
        'no answer to the sentinel after set_live_feed false: the connection stopped working',
      );
      const cut = conn.received.indexOf(processed);
      await idle(conn, IN_FLIGHT_MS + WATCH_MS);
      const late = framesIn(conn.received, cut + 1).filter((f) => f.t > processed.t + IN_FLIGHT_MS);
      ctx.require(
        late.length === 0,
        `${late.length} simulation_frame(s) arrived while the live feed was disabled`,
      );

      const from = command(conn, 'simulation.set_live_feed', { enabled: true });
      ctx.require(
        await nextFrame(conn, from, FRAME_WAIT_MS),
        `no simulation_frame within ${FRAME_WAIT_MS} ms of set_live_feed true (simulation running)`,
      );
    });
  },
});
