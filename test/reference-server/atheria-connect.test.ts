// A1, A2, A5 against the real endpoint on a loopback port: initial_state first, frames from a real
// simulation, both command forms. Frames come as the tests move a manual clock on.
import { describe, expect, it } from 'vitest';
import { useAtheriaServer } from './_atheria-harness.js';
import { payloadOf } from './_atheria-client.js';
import { ManualClock } from './helpers/manual-clock.js';

/** one frame period at 30 fps, rounded up */
const FRAME_MS = 34;
const clock = new ManualClock();
const { open } = useAtheriaServer({ fps: 30, waitInitialState: false, clock });

describe('atheria endpoint: connect (A1, A5)', () => {
  it('sends initial_state as the very first message, well within 2 s', async () => {
    const t0 = Date.now();
    const c = await open();
    const first = await c.waitFor(() => true, 2000);
    expect(first.json['type']).toBe('initial_state');
    expect(first.at - t0).toBeLessThan(2000);
    const p = payloadOf(first);
    const experiments = p['experiments'] as { name: string }[];
    expect(experiments.length).toBeGreaterThanOrEqual(3);
    expect(experiments.every((e) => typeof e.name === 'string' && e.name.length > 0)).toBe(true);
    expect(p['inference_status']).toBe('running');
    expect(p['training_status']).toBe('idle');
    expect(p['compile_status']).toMatchObject({ is_compiled: true });
    expect(experiments.map((e) => e.name)).toContain(p['active_experiment']);
  });

  it('streams simulation_frames of a changing field with increasing steps and an epoch timestamp', async () => {
    const c = await open();
    c.command('inference.play');
    await clock.until(() => c.frames().length >= 6, FRAME_MS, 10_000);
    const frames = c.frames().map(payloadOf);
    const steps = frames.map((f) => f['step'] as number);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
    for (const f of frames) {
      const info = f['simulation_info'] as Record<string, unknown>;
      expect(info['step']).toBe(f['step']);
      expect(info).toMatchObject({ is_paused: false, fps: 30, live_feed_enabled: true });
      const ts = f['timestamp'] as number;
      // epoch seconds with sub-ms precision: within a minute of now
      expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);
      const map = f['map_data'] as number[][];
      expect(map).toHaveLength(64);
      expect(
        map.every((row) => row.length === 64 && row.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)),
      ).toBe(true);
    }
    // a real simulation: consecutive frames differ
    expect(JSON.stringify(frames[0]!['map_data'])).not.toBe(JSON.stringify(frames[5]!['map_data']));
  });

  it('shares one simulation between connections (A0): pause from one is seen by the other', async () => {
    const a = await open();
    const b = await open();
    await a.next('initial_state', 2000, 0);
    await b.next('initial_state', 2000, 0);
    const mark = b.mark;
    a.command('inference.pause');
    const upd = await b.next('inference_status_update', 2000, mark);
    expect(payloadOf(upd)['status']).toBe('paused');
    a.command('inference.play');
    await b.waitFor(
      (m) => m.json['type'] === 'inference_status_update' && payloadOf(m)['status'] === 'running',
      2000,
      mark,
    );
  });
});

describe('atheria endpoint: both command forms (A2)', () => {
  for (const form of ['type', 'legacy'] as const) {
    it(`accepts play/pause in the ${form} form`, async () => {
      const c = await open();
      await c.next('initial_state', 2000, 0);
      const send = (command: string) =>
        form === 'type'
          ? c.command(`inference.${command}`)
          : c.send({ scope: 'inference', command, args: {} });
      let mark = c.mark;
      send('pause');
      const paused = await c.waitFor(
        (m) => m.json['type'] === 'inference_status_update' && payloadOf(m)['status'] === 'paused',
        2000,
        mark,
      );
      expect((payloadOf(paused)['simulation_info'] as Record<string, unknown>)['is_paused']).toBe(true);
      mark = c.mark;
      send('play');
      await c.waitFor(
        (m) => m.json['type'] === 'inference_status_update' && payloadOf(m)['status'] === 'running',
        2000,
        mark,
      );
      clock.advance(FRAME_MS);
      await c.next('simulation_frame', 2000, mark);
    });

    it(`answers a command with arguments in the ${form} form`, async () => {
      const c = await open();
      await c.next('initial_state', 2000, 0);
      const mark = c.mark;
      if (form === 'type') c.command('inference.load_experiment', { experiment_name: 'calm_lake' });
      else c.send({ scope: 'inference', command: 'load_experiment', args: { experiment_name: 'calm_lake' } });
      expect((await c.notification(mark)).status).toBe('success');
    });
  }

  it('a message without payload/args is a command without arguments', async () => {
    const c = await open();
    await c.next('initial_state', 2000, 0);
    const mark = c.mark;
    c.send({ type: 'inference.play' });
    c.send({ scope: 'inference', command: 'play' });
    await c.waitFor(
      () => c.received.slice(mark).filter((m) => m.json['type'] === 'inference_status_update').length >= 2,
    );
    await c.sync();
    expect(c.received.slice(mark).some((m) => m.json['type'] === 'notification')).toBe(false);
  });
});
