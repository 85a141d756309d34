// Broadcast under back-pressure: a client that stops reading gets frames dropped (counted in
// metrics.framesDropped) instead of stalling the others or growing the server's memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtheriaClient, payloadOf } from './_atheria-client.js';
import { type AtheriaServer, startAtheria } from './_atheria-harness.js';
import { ManualClock } from './helpers/manual-clock.js';

let server: AtheriaServer;
/** frames are produced as fast as the test moves this clock on */
const clock = new ManualClock();

beforeAll(async () => {
  // 128×128 frames are ~100 kB of JSON each: the stalled socket's kernel buffers fill within a few dozen
  server = await startAtheria({ grid: 128, fps: 100, clock });
});

afterAll(async () => {
  await server.close();
});

describe('atheria endpoint: slow subscribers', () => {
  it('drops frames for a client that stops reading while another keeps receiving', async () => {
    const fast = await AtheriaClient.open(server.url('/ws'));
    const slow = await AtheriaClient.open(server.url('/ws'));
    try {
      await fast.next('initial_state', 2000, 0);
      await slow.next('initial_state', 2000, 0);
      fast.command('inference.play');
      slow.ws.pause(); // stop reading: the server's socket to it backs up
      await clock.until(() => server.metrics.framesDropped > 0, 50, 60_000);
      expect(server.metrics.framesDropped).toBeGreaterThan(0);
      // the reading client still receives a steady stream with increasing steps
      const mark = fast.mark;
      clock.advance(500);
      await fast.sync();
      const frames = fast.frames(mark).map(payloadOf);
      expect(frames.length).toBeGreaterThan(10);
      const steps = frames.map((f) => f['step'] as number);
      for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
      expect(fast.violations).toEqual([]);
      // and the stalled one recovers when it reads again: its frames stay well-formed, steps increase
      slow.ws.resume();
      const resumed = slow.mark;
      await clock.until(() => slow.frames(resumed).length >= 3, 10, 60_000);
      const slowSteps = slow.frames().map((m) => payloadOf(m)['step'] as number);
      for (let i = 1; i < slowSteps.length; i++) expect(slowSteps[i]).toBeGreaterThan(slowSteps[i - 1]!);
      expect(slow.violations).toEqual([]);
    } finally {
      fast.close();
      slow.close();
    }
  });
});
