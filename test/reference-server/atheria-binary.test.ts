// A6: simulation.set_binary switches this connection to header + binary payload pairs (msgpack or
// CBOR) that decode to valid frame payloads; other connections keep JSON. Frames come as the
// tests move a manual clock on.
import { describe, expect, it } from 'vitest';
import { type Json, payloadOf } from './_atheria-client.js';
import { useAtheriaServer } from './_atheria-harness.js';
import { ManualClock } from './helpers/manual-clock.js';

const FRAME_MS = 25;
const clock = new ManualClock();
const { open } = useAtheriaServer({ fps: 1000 / FRAME_MS, clock });
/** frame periods pass until `done` holds */
const framesUntil = (done: () => boolean) => clock.until(done, FRAME_MS, 10_000);

describe('atheria endpoint: binary frames (A6)', () => {
  for (const format of ['msgpack', 'cbor'] as const) {
    it(`${format}: success, then header + exactly N bytes decoding to a valid payload`, async () => {
      const c = await open();
      const json = await open();
      c.command('inference.play');
      c.command('inference.set_viz', { viz_type: 'flow' });
      const mark = c.mark;
      c.command('simulation.set_binary', { enabled: true, format });
      expect((await c.notification(mark)).status).toBe('success');
      await framesUntil(() => c.received.slice(mark).filter((m) => m.kind === 'binary').length >= 5);
      await c.sync();
      await json.sync();
      const after = c.received.slice(mark);
      const firstBinary = after.findIndex((m) => m.kind === 'binary');
      // after the switch every frame is binary, each right after its header
      for (let i = firstBinary; i < after.length; i++) {
        const m = after[i]!;
        if (m.kind === 'binary')
          expect(after[i - 1]!.json).toMatchObject({ type: 'simulation_frame_binary', format });
        else expect(m.json['type']).not.toBe('simulation_frame');
      }
      const frames = after.filter((m) => m.kind === 'binary').map(payloadOf);
      const steps = frames.map((f) => f['step'] as number);
      for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
      const f = frames[0]!;
      expect((f['map_data'] as number[][]).length).toBe(64);
      expect(f['flow_data']).toBeDefined();
      // float64 kept where it matters: the timestamp keeps sub-millisecond precision
      expect(Math.abs((f['timestamp'] as number) - Date.now() / 1000)).toBeLessThan(60);
      expect(Number.isInteger((f['timestamp'] as number) * 1000)).toBe(false);
      // the JSON connection saw the same steps as JSON text frames
      expect(json.frames().every((m) => m.kind === 'text')).toBe(true);
      expect(json.frames().length).toBeGreaterThan(0);
      c.command('inference.set_viz', { viz_type: 'density' });
    });
  }

  it('binary and JSON carry the same frame (step and map) to different connections', async () => {
    const bin = await open();
    const txt = await open();
    const mark = bin.mark;
    bin.command('simulation.set_binary', { enabled: true, format: 'cbor' });
    // the tick that sent the first binary frame also sent it as JSON to txt
    await framesUntil(() => bin.received.slice(mark).some((m) => m.kind === 'binary'));
    await bin.sync();
    await txt.sync();
    const byStep = new Map(txt.frames().map((m) => [payloadOf(m)['step'], payloadOf(m)]));
    const common = bin.frames(mark).filter((m) => m.kind === 'binary' && byStep.has(payloadOf(m)['step']));
    expect(common.length).toBeGreaterThan(0);
    const b = payloadOf(common[0]!);
    const t = byStep.get(b['step'])!;
    const bm = b['map_data'] as number[][];
    const tm = t['map_data'] as number[][];
    // float32 on the wire: equal to 1e-6
    for (let y = 0; y < tm.length; y += 7)
      for (let x = 0; x < tm.length; x += 5) expect(bm[y]![x]!).toBeCloseTo(tm[y]![x]!, 6);
    expect(b['simulation_info']).toEqual(t['simulation_info']);
    expect(b['timestamp']).toBe(t['timestamp']);
  });

  it('set_binary enabled:false returns to JSON frames', async () => {
    const c = await open();
    c.command('simulation.set_binary', { enabled: true, format: 'msgpack' });
    await framesUntil(() => c.received.some((m) => m.kind === 'binary'));
    const mark = c.mark;
    c.command('simulation.set_binary', { enabled: false });
    expect((await c.notification(mark)).status).toBe('success');
    const off = c.mark;
    await framesUntil(() => c.frames(off).length >= 3);
    expect(c.frames(off).every((m) => m.kind === 'text')).toBe(true);
  });

  it('format defaults to msgpack; an unknown format or a non-boolean enabled is an error', async () => {
    const c = await open();
    const ask = async (payload: Json) => {
      const mark = c.mark;
      c.command('simulation.set_binary', payload);
      return (await c.notification(mark)).status;
    };
    expect(await ask({ enabled: true, format: 'protobuf' })).toBe('error');
    expect(await ask({ enabled: true, format: 7 })).toBe('error');
    expect(await ask({ enabled: 'yes', format: 'msgpack' })).toBe('error');
    // still JSON after the refusals
    const mark = c.mark;
    await framesUntil(() => c.frames(mark).length >= 2);
    expect(c.frames(mark).every((m) => m.kind === 'text')).toBe(true);
    expect(await ask({ enabled: true })).toBe('success');
    const from = c.mark;
    clock.advance(FRAME_MS);
    const h = await c.next('simulation_frame_binary', 2000, from);
    expect(h.json['format']).toBe('msgpack');
  });

  it('legacy form of set_binary works too (A2)', async () => {
    const c = await open();
    const mark = c.mark;
    c.send({ scope: 'simulation', command: 'set_binary', args: { enabled: true, format: 'cbor' } });
    expect((await c.notification(mark)).status).toBe('success');
    clock.advance(FRAME_MS);
    const h = await c.next('simulation_frame_binary', 2000, mark);
    expect(h.json).toMatchObject({ format: 'cbor' });
    expect(typeof h.json['size']).toBe('number');
  });
});
