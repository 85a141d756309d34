// A3: set_fps {fps} with fps in (0, 120]: frames then carry simulation_info.fps equal to the
// requested value (SHOULD; judged on FRAMES_STATING frames, so that a server reporting its measured
// rate is not taken for one reporting the setting because one interval happened to match), and the observed frame rate is within ±50% of it (SHOULD). The value
// requested is at least a factor of 2 away from the rate observed before (pickFps).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { command } from '../../src/protocols/atheria-commands.js';
import { framesIn, nextFrame, simInfoOf } from '../../src/protocols/atheria-frames.js';
import { pickFps } from '../../src/protocols/atheria-fps.js';
import {
  fpsToRestore,
  initialFps,
  observeFps,
  type SimSession,
  withSimulation,
} from '../../src/protocols/atheria-state.js';
import { idle, mark } from '../../src/protocols/atheria-wait.js';

const FRAME_WAIT_MS = 2000;
/** How many frames after set_fps must state the requested fps. */
const FRAMES_STATING = 3;

/**
 * Observes the current rate (what the frames say and how fast they come), picks a clearly
 * different target, sets it and returns the position after which frames are at the new rate.
 */
async function changeFps(ctx: CaseContext, s: SimSession): Promise<{ target: number; from: number }> {
  const seen = await observeFps(s);
  const rates = [seen.reported, seen.measured].filter((v): v is number => v !== undefined);
  ctx.precondition(
    rates.length > 0,
    'no simulation_frame arrived at a measurable rate while running with live feed on',
    'ATH-SUBSCRIPTIONS-002',
  );
  // put back what was found (never a lower fps than found, issue 9 §6)
  const found = fpsToRestore(initialFps(s), seen);
  if (found !== undefined) s.restore.fps = found;
  const target = pickFps(rates);
  ctx.note(
    `current rate: reported ${seen.reported ?? '-'} fps, measured ${seen.measured?.toFixed(1) ?? '-'} frames/s; requesting ${target}`,
  );
  command(s.conn, 'simulation.set_fps', { fps: target });
  ctx.require(
    await s.probe.sync(),
    'no answer to the sentinel after set_fps: the connection stopped working',
  );
  return { target, from: mark(s.conn) };
}

export default [
  defineCase({
    protocol: 'atheria',
    num: 5,
    suite: 'subscriptions',
    rule: 'A3',
    title: 'after set_fps, frames carry simulation_info.fps equal to the requested value',
    faults: ['ath-fps-info-wrong'],
    exclusive: 'atheria-sim',
    async run(ctx: CaseContext) {
      await withSimulation(ctx, { running: true, liveFeed: true }, async (s) => {
        const { target, from } = await changeFps(ctx, s);
        const stated: unknown[] = [];
        for (let after = from; stated.length < FRAMES_STATING; ) {
          const frame = await nextFrame(s.conn, after, FRAME_WAIT_MS);
          ctx.require(frame, `no simulation_frame within ${FRAME_WAIT_MS} ms after set_fps ${target}`);
          stated.push(simInfoOf(frame)?.['fps']);
          after = frame.index + 1;
        }
        const wrong = stated.filter((fps) => fps !== target);
        ctx.should(
          wrong.length === 0,
          `after set_fps ${target}, the next ${FRAMES_STATING} frames state simulation_info.fps ${stated.map((v) => JSON.stringify(v)).join(', ')}`,
        );
      });
    },
  }),
  defineCase({
    protocol: 'atheria',
    num: 6,
    suite: 'subscriptions',
    rule: 'A3',
    title: 'after set_fps, the observed frame rate is within ±50% of the requested value',
    faults: ['ath-fps-rate-wrong'],
    exclusive: 'atheria-sim',
    timeoutMs: 12_000,
    async run(ctx: CaseContext) {
      await withSimulation(ctx, { running: true, liveFeed: true }, async (s) => {
        const { target, from } = await changeFps(ctx, s);
        // skip the first frame after the change: its interval may still be the old one
        const start = await nextFrame(s.conn, from, FRAME_WAIT_MS);
        ctx.require(start, `no simulation_frame within ${FRAME_WAIT_MS} ms after set_fps ${target}`);
        await idle(s.conn, 2000);
        const frames = framesIn(s.conn.received, start.index + 1);
        ctx.require(
          frames.length >= 2,
          `only ${frames.length} simulation_frame(s) in 2 s at set_fps ${target}`,
        );
        const firstT = frames[0]?.t ?? 0;
        const lastT = frames[frames.length - 1]?.t ?? 0;
        const rate =
          lastT > firstT ? ((frames.length - 1) * 1000) / (lastT - firstT) : Number.POSITIVE_INFINITY;
        ctx.should(
          rate >= target * 0.5 && rate <= target * 1.5,
          `at set_fps ${target} the observed rate is ${rate.toFixed(1)} frames/s (allowed ${target * 0.5}..${target * 1.5})`,
        );
      });
    },
  }),
];
