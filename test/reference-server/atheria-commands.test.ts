// A3: every required command and its observable effect, against the real endpoint. Frames run on
// a manual clock that the tests move on: rates are counted in clock time, without waiting.
import { describe, expect, it } from 'vitest';
import { type AtheriaClient, type Json, payloadOf, type Received } from './_atheria-client.js';
import { useAtheriaServer } from './_atheria-harness.js';
import { ManualClock } from './helpers/manual-clock.js';

const clock = new ManualClock();
const { open } = useAtheriaServer({ fps: 30, clock });
/** one frame period at 30 fps, rounded up */
const FRAME_MS = 34;

/** the first frame after a frame period from now */
async function nextFrame(c: AtheriaClient): Promise<Received> {
  const mark = c.mark;
  clock.advance(FRAME_MS);
  return c.next('simulation_frame', 2000, mark);
}

/** Send a command and return the notification that answers it. */
async function ask(
  c: AtheriaClient,
  name: string,
  payload: Json,
): Promise<{ status: unknown; message: unknown }> {
  const mark = c.mark;
  c.command(name, payload);
  return c.notification(mark);
}

/** Frames received during the next `ms` of clock time. */
async function framesDuring(c: AtheriaClient, ms: number): Promise<Json[]> {
  const mark = c.mark;
  clock.advance(ms);
  await c.sync();
  return c.frames(mark).map(payloadOf);
}

describe('atheria endpoint: A3 commands', () => {
  it('pause stops frames, play resumes them', async () => {
    const c = await open();
    let mark = c.mark;
    c.command('inference.pause');
    await c.waitFor((m) => m.json['type'] === 'inference_status_update', 2000, mark);
    expect(await framesDuring(c, 400)).toHaveLength(0);
    mark = c.mark;
    c.command('inference.play');
    const upd = await c.next('inference_status_update', 2000, mark);
    expect(payloadOf(upd)['status']).toBe('running');
    await nextFrame(c);
  });

  it('load_experiment: a listed name succeeds, an unknown or missing name is an error', async () => {
    const c = await open();
    const names = (payloadOf(c.received[0]!)['experiments'] as { name: string }[]).map((e) => e.name);
    for (const name of names)
      expect((await ask(c, 'inference.load_experiment', { experiment_name: name })).status).toBe('success');
    const unknown = await ask(c, 'inference.load_experiment', { experiment_name: 'no_such_experiment' });
    expect(unknown.status).toBe('error');
    expect(String(unknown.message)).toContain('no_such_experiment');
    expect((await ask(c, 'inference.load_experiment', {})).status).toBe('error');
    expect((await ask(c, 'inference.load_experiment', { experiment_name: 42 })).status).toBe('error');
    expect((await ask(c, 'inference.load_experiment', { experiment_name: '__proto__' })).status).toBe(
      'error',
    );
    // frames keep flowing with increasing steps across the reloads
    const frames = await framesDuring(c, 300);
    expect(frames.length).toBeGreaterThan(0);
  });

  it('set_viz: density, phase and flow are accepted; flow frames carry flow_data; unknown is an error', async () => {
    const c = await open();
    c.command('inference.play');
    for (const viz of ['density', 'phase', 'flow']) {
      expect((await ask(c, 'inference.set_viz', { viz_type: viz })).status).toBe('success');
    }
    const frame = payloadOf(await nextFrame(c));
    const flow = frame['flow_data'] as Record<string, number[][]>;
    for (const key of ['dx', 'dy', 'magnitude']) {
      expect(Array.isArray(flow[key])).toBe(true);
      expect(flow[key]!.every((row) => row.length === flow[key]![0]!.length)).toBe(true);
    }
    const bad = await ask(c, 'inference.set_viz', { viz_type: 'hologram' });
    expect(bad.status).toBe('error');
    expect(String(bad.message)).toContain('hologram');
    expect((await ask(c, 'inference.set_viz', { viz_type: 7 })).status).toBe('error');
    expect((await ask(c, 'inference.set_viz', { viz_type: 'density' })).status).toBe('success');
    const after = payloadOf(await nextFrame(c));
    expect(after['flow_data']).toBeUndefined();
  });

  it('set_fps: frames carry the requested fps and the rate follows it; out of range is an error', async () => {
    const c = await open();
    c.command('inference.play');
    c.command('simulation.set_live_feed', { enabled: true });
    expect((await ask(c, 'simulation.set_fps', { fps: 5 })).status).toBe('success');
    const slow = await framesDuring(c, 1200);
    expect(slow.every((f) => (f['simulation_info'] as Json)['fps'] === 5)).toBe(true);
    expect((await ask(c, 'simulation.set_fps', { fps: 60 })).status).toBe('success');
    const fast = await framesDuring(c, 1200);
    expect(fast.every((f) => (f['simulation_info'] as Json)['fps'] === 60)).toBe(true);
    // clock time is exact: 5 fps is 6 frames in 1.2 s, 60 fps is 72 (one less when the sum of
    // 1000/60 ms periods rounds past 1200)
    expect(slow.length).toBeGreaterThanOrEqual(5);
    expect(slow.length).toBeLessThanOrEqual(6);
    expect(fast.length).toBeGreaterThanOrEqual(71);
    expect(fast.length).toBeLessThanOrEqual(72);
    for (const fps of [0, -1, 121, 'fast', null, Number.MAX_VALUE]) {
      expect((await ask(c, 'simulation.set_fps', { fps })).status).toBe('error');
    }
    expect((await ask(c, 'simulation.set_fps', { fps: 120 })).status).toBe('success');
    expect((await ask(c, 'simulation.set_fps', { fps: 30 })).status).toBe('success');
  });

  it('set_live_feed false stops frames to this connection only; true resumes', async () => {
    const a = await open();
    const b = await open();
    a.command('inference.play');
    expect((await ask(a, 'simulation.set_live_feed', { enabled: false })).status).toBe('success');
    const mark = b.mark;
    expect(await framesDuring(a, 400)).toHaveLength(0);
    await b.sync();
    expect(b.frames(mark).length).toBeGreaterThan(0);
    expect((await ask(a, 'simulation.set_live_feed', { enabled: true })).status).toBe('success');
    await nextFrame(a);
    expect((await ask(a, 'simulation.set_live_feed', { enabled: 'no' })).status).toBe('error');
    expect((await ask(a, 'simulation.set_live_feed', {})).status).toBe('error');
  });

  it('inject_energy accepts {energy_type, amount} and {type}; bad values are errors', async () => {
    const c = await open();
    for (const energy_type of ['random_noise', 'primordial_soup', 'dense_monolith', 'symmetric_seed']) {
      expect((await ask(c, 'inference.inject_energy', { energy_type, amount: 1.0 })).status).toBe('success');
    }
    expect((await ask(c, 'inference.inject_energy', { type: 'primordial_soup' })).status).toBe('success');
    const mark = c.mark;
    c.send({ scope: 'inference', command: 'inject_energy', args: { type: 'dense_monolith' } });
    expect((await c.notification(mark)).status).toBe('success');
    expect((await ask(c, 'inference.inject_energy', { energy_type: 'antimatter', amount: 1 })).status).toBe(
      'error',
    );
    expect(
      (await ask(c, 'inference.inject_energy', { energy_type: 'random_noise', amount: -2 })).status,
    ).toBe('error');
    expect(
      (await ask(c, 'inference.inject_energy', { energy_type: 'random_noise', amount: '1' })).status,
    ).toBe('error');
    expect((await ask(c, 'inference.inject_energy', { type: ['random_noise'] })).status).toBe('error');
  });

  it('inject_energy changes the field, visible in the next frame', async () => {
    const c = await open();
    expect((await ask(c, 'inference.load_experiment', { experiment_name: 'standing_waves' })).status).toBe(
      'success',
    );
    expect((await ask(c, 'inference.set_viz', { viz_type: 'real' })).status).toBe('success');
    const before = payloadOf(await nextFrame(c))['map_data'] as number[][];
    expect(
      (await ask(c, 'inference.inject_energy', { energy_type: 'dense_monolith', amount: 5 })).status,
    ).toBe('success');
    const after = payloadOf(await nextFrame(c))['map_data'] as number[][];
    const mid = before.length / 2;
    // the monolith sits at the centre: the centre cell jumps to the top of the normalised range
    expect(after[mid]![mid]!).toBeGreaterThan(before[mid]![mid]! + 0.2);
    expect((await ask(c, 'inference.set_viz', { viz_type: 'density' })).status).toBe('success');
  });
});
