// Every ath-* fault of reference-server/faults.ts changes the endpoint's behaviour in the way its
// `breaks` says (the fault self-test relies on that). One test per fault; the normal behaviour is
// what the other atheria-*.test.ts files assert. Frames and the late initial_state run on a
// manual clock that each test moves on (`pass`), so no test waits for a frame period.
import { afterEach, describe, expect, it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import { AtheriaClient, type Json, payloadOf, sleep } from './_atheria-client.js';
import { type AtheriaServer, startAtheria } from './_atheria-harness.js';
import { ManualClock } from './helpers/manual-clock.js';

let server: AtheriaServer | undefined;
let clock = new ManualClock();
const clients: AtheriaClient[] = [];

/** `ms` of clock time pass; the frames and messages of that time have then arrived at `c` */
async function pass(c: AtheriaClient, ms: number): Promise<void> {
  clock.advance(ms);
  await c.sync();
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function connect(
  fault: FaultName,
  opts: { fps?: number; waitInitial?: boolean } = {},
): Promise<AtheriaClient> {
  clock = new ManualClock();
  server = await startAtheria({ faults: [fault], fps: opts.fps ?? 30, clock });
  const c = await AtheriaClient.open(server.url('/ws'));
  clients.push(c);
  if (opts.waitInitial !== false) await c.next('initial_state', 2000, 0);
  return c;
}

async function ask(
  c: AtheriaClient,
  name: string,
  payload: Json = {},
): Promise<{ status: unknown; message: unknown }> {
  const mark = c.mark;
  c.command(name, payload);
  return c.notification(mark);
}

/** no message of `type` since `from`, once `ms` of clock time have passed */
const noMessage = async (c: AtheriaClient, type: string, from: number, ms = 500): Promise<boolean> => {
  await pass(c, ms);
  return !c.received.slice(from).some((m) => m.json['type'] === type);
};

/** one frame period at the default 30 fps, rounded up */
const FRAME_MS = 34;

const tests: Record<string, (fault: FaultName) => Promise<void>> = {
  'ath-no-initial-state': async (f) => {
    const c = await connect(f, { waitInitial: false });
    await pass(c, FRAME_MS);
    const first = await c.waitFor(() => true);
    expect(first.json['type']).toBe('simulation_frame');
    expect(await noMessage(c, 'initial_state', 0)).toBe(true);
  },
  'ath-initial-state-late': async (f) => {
    const c = await connect(f, { waitInitial: false });
    // A1 allows 2 s: nothing at all until then (no frame may precede initial_state either)
    await pass(c, 2000);
    expect(c.received).toEqual([]);
    await pass(c, 1000);
    expect(c.received[0]?.json['type']).toBe('initial_state');
  },
  'ath-legacy-form-ignored': async (f) => {
    const c = await connect(f);
    const mark = c.mark;
    c.send({ scope: 'inference', command: 'pause', args: {} });
    c.send({ scope: 'inference', command: 'load_experiment', args: { experiment_name: 'calm_lake' } });
    expect(await noMessage(c, 'inference_status_update', mark)).toBe(true);
    expect(c.received.slice(mark).some((m) => m.json['type'] === 'notification')).toBe(false);
    expect((await ask(c, 'inference.load_experiment', { experiment_name: 'calm_lake' })).status).toBe(
      'success',
    );
  },
  'ath-play-no-status': async (f) => {
    const c = await connect(f);
    const mark = c.mark;
    c.command('inference.play');
    expect(await noMessage(c, 'inference_status_update', mark, 200)).toBe(true);
    expect(c.frames(mark).length).toBeGreaterThan(0);
  },
  'ath-pause-frames-continue': async (f) => {
    const c = await connect(f);
    c.command('inference.pause');
    const upd = await c.next('inference_status_update');
    expect(payloadOf(upd)['status']).toBe('paused');
    await pass(c, 600);
    const mark = c.mark;
    await pass(c, 400);
    expect(c.frames(mark).length).toBeGreaterThan(3);
  },
  'ath-load-unknown-success': async (f) => {
    const c = await connect(f);
    expect(
      (await ask(c, 'inference.load_experiment', { experiment_name: 'no_such_experiment' })).status,
    ).toBe('success');
  },
  'ath-fps-info-wrong': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_fps', { fps: 10 })).status).toBe('success');
    const mark = c.mark;
    await pass(c, 100);
    const frame = payloadOf(await c.next('simulation_frame', 2000, mark));
    expect((frame['simulation_info'] as Json)['fps']).toBe(30);
  },
  'ath-fps-rate-wrong': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_fps', { fps: 5 })).status).toBe('success');
    await pass(c, 200);
    const mark = c.mark;
    await pass(c, 1000);
    const frames = c.frames(mark).map(payloadOf);
    expect((frames[0]!['simulation_info'] as Json)['fps']).toBe(5);
    // 5 fps would be ~5 frames; the rate stayed at 30
    expect(frames.length).toBeGreaterThan(12);
  },
  'ath-live-feed-ignored': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_live_feed', { enabled: false })).status).toBe('success');
    await pass(c, 200);
    const mark = c.mark;
    await pass(c, 400);
    expect(c.frames(mark).length).toBeGreaterThan(3);
  },
  'ath-viz-no-flow-data': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'inference.set_viz', { viz_type: 'flow' })).status).toBe('success');
    const mark = c.mark;
    await pass(c, FRAME_MS);
    const frame = payloadOf(await c.next('simulation_frame', 2000, mark));
    expect(frame['viz_type']).toBe('flow');
    expect(frame['flow_data']).toBeUndefined();
  },
  'ath-viz-unknown-silent': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'inference.set_viz', { viz_type: 'hologram' })).status).not.toBe('error');
  },
  'ath-inject-energy-error': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'inference.inject_energy', { energy_type: 'random_noise', amount: 1 })).status).toBe(
      'error',
    );
    expect((await ask(c, 'inference.inject_energy', { type: 'random_noise' })).status).toBe('success');
  },
  'ath-unknown-silent': async (f) => {
    const c = await connect(f);
    const mark = c.mark;
    c.command('inference.teleport');
    c.send('not json');
    c.send({ payload: {} });
    expect(await noMessage(c, 'notification', mark)).toBe(true);
    expect((await ask(c, 'simulation.set_live_feed', { enabled: true })).status).toBe('success');
  },
  'ath-unknown-closes': async (f) => {
    const c = await connect(f);
    c.command('inference.teleport');
    const closed = await Promise.race([c.closed, sleep(2000).then(() => null)]);
    expect(closed).not.toBeNull();
  },
  'ath-frame-bad-map': async (f) => {
    const c = await connect(f);
    await pass(c, FRAME_MS);
    const map = payloadOf(await c.next('simulation_frame', 2000, 0))['map_data'] as number[][];
    expect(new Set(map.map((r) => r.length)).size).toBeGreaterThan(1);
    expect(c.violations.some((v) => v.startsWith('C5'))).toBe(true);
  },
  'ath-step-decreases': async (f) => {
    const c = await connect(f, { fps: 60 });
    await pass(c, 8 * 17);
    expect(c.frames().length).toBeGreaterThanOrEqual(8);
    const steps = c.frames().map((m) => payloadOf(m)['step'] as number);
    expect(steps.some((s, i) => i > 0 && s <= steps[i - 1]!)).toBe(true);
  },
  'ath-binary-size-mismatch': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_binary', { enabled: true, format: 'msgpack' })).status).toBe(
      'success',
    );
    clock.advance(FRAME_MS);
    await c.next('simulation_frame_binary');
    await c.sync();
    expect(c.violations.some((v) => v.includes('header size'))).toBe(true);
  },
  'ath-binary-interleave': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_binary', { enabled: true, format: 'cbor' })).status).toBe('success');
    clock.advance(FRAME_MS);
    await c.next('simulation_frame_binary');
    await c.sync();
    expect(c.violations.some((v) => v.includes('between binary header and payload'))).toBe(true);
  },
  'ath-binary-legacy-header': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_binary', { enabled: true, format: 'msgpack' })).status).toBe(
      'success',
    );
    await pass(c, FRAME_MS);
    await c.waitFor((m) => m.kind === 'binary');
    expect(c.violations.some((v) => v.includes('legacy binary header'))).toBe(true);
    expect(c.received.some((m) => m.json['type'] === 'simulation_frame_binary')).toBe(false);
  },
  'ath-binary-bad-payload': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_binary', { enabled: true, format: 'msgpack' })).status).toBe(
      'success',
    );
    clock.advance(FRAME_MS);
    await c.next('simulation_frame_binary');
    await c.sync();
    expect(c.violations.some((v) => v.startsWith('A6:') && !v.includes('header size'))).toBe(true);
  },
  'ath-binary-client-closes': async (f) => {
    const c = await connect(f);
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const closed = await Promise.race([c.closed, sleep(2000).then(() => null)]);
    expect(closed?.code).toBe(1003);
  },
  'ath-notification-bad-status': async (f) => {
    const c = await connect(f);
    expect((await ask(c, 'simulation.set_fps', { fps: 30 })).status).toBe('ok');
    expect(c.violations.some((v) => v.startsWith('C5'))).toBe(true);
  },
  'ath-status-bad-enum': async (f) => {
    const c = await connect(f);
    c.command('inference.pause');
    expect(payloadOf(await c.next('inference_status_update'))['status']).toBe('stopped');
    expect(c.violations.some((v) => v.startsWith('C5'))).toBe(true);
  },
};

const athFaults = (Object.keys(FAULTS) as FaultName[]).filter((f) => f.startsWith('ath-'));

describe('atheria endpoint: fault switches', () => {
  it('every ath-* fault has a test here', () => {
    expect(athFaults.filter((f) => !Object.hasOwn(tests, f))).toEqual([]);
  });
  for (const fault of athFaults) {
    const test = tests[fault];
    if (test) it(`${fault}: ${FAULTS[fault].breaks}`, () => test(fault));
  }
});
