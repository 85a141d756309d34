// Unit checks of the Atheria endpoint's parts: the wave simulation stays finite and damped, viz
// output has the A5 shape, and the split msgpack/CBOR encoding decodes with stock decoders to the
// same payload (float32 grids, float64 timestamp).
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { decode as decodeCbor } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBinaryFrame, encodeJsonFrame } from '../../reference-server/atheria/codec.js';
import { EXPERIMENTS } from '../../reference-server/atheria/experiments.js';
import { buildFramePayload, type FramePayload } from '../../reference-server/atheria/frame.js';
import { jsonBytes } from '../../reference-server/atheria/json-text.js';
import { parseClientMessage } from '../../reference-server/atheria/parse.js';
import { FieldSimulation } from '../../reference-server/atheria/simulation.js';
import { renderViz, VIZ_TYPES } from '../../reference-server/atheria/viz.js';
import { ATHERIA_FRAME_PAYLOAD_REF, validateRef } from '../../src/schema/index.js';

const noFaults = () => false;

const energy = (sim: FieldSimulation): number => {
  let e = 0;
  for (let i = 0; i < sim.u.length; i++) e += sim.u[i]! * sim.u[i]! + sim.v[i]! * sim.v[i]!;
  return e;
};

function frameOf(sim: FieldSimulation, viz: string, step = 1): FramePayload {
  const r = renderViz(sim, viz, new Float32Array(sim.n * sim.n), viz === 'flow');
  return buildFramePayload(
    {
      step,
      timestamp: Date.now() / 1000,
      info: { step, is_paused: false, fps: 7.5, live_feed_enabled: true },
      viz,
      map_data: r.map_data,
      hist_data: r.hist_data,
      flow_data: r.flow_data,
    },
    noFaults,
  );
}

describe('field simulation', () => {
  for (const [name, exp] of EXPERIMENTS) {
    it(`${name}: stays finite over 2000 steps and is not flat`, () => {
      const sim = new FieldSimulation(32, exp.params);
      for (let i = 0; i < 2000; i++) sim.step();
      expect(sim.u.every(Number.isFinite)).toBe(true);
      expect(sim.v.every(Number.isFinite)).toBe(true);
      expect(energy(sim)).toBeGreaterThan(0);
    });
  }

  for (const n of [32, 33]) {
    it(`${n}×${n}: damping removes energy when nothing is injected; every inject_energy kind adds it`, () => {
      const params = { ...EXPERIMENTS.get('ripple_tank')!.params, dropRate: 0 };
      const sim = new FieldSimulation(n, params);
      const e0 = energy(sim);
      for (let i = 0; i < 500; i++) sim.step();
      let e = energy(sim);
      expect(e).toBeLessThan(e0);
      for (const kind of ['dense_monolith', 'symmetric_seed', 'primordial_soup', 'random_noise'] as const) {
        sim.inject(kind, 2);
        expect(energy(sim)).toBeGreaterThan(e);
        e = energy(sim);
      }
    });
  }
});

describe('viz and frame payload', () => {
  const sim = new FieldSimulation(96, EXPERIMENTS.get('storm_surface')!.params);
  for (let i = 0; i < 50; i++) sim.step();

  for (const viz of VIZ_TYPES) {
    it(`${viz}: map_data is n×n in [0, 1] with 3 decimals, and the payload is schema-valid`, () => {
      const f = frameOf(sim, viz);
      expect(f.map_data).toHaveLength(96);
      const bad = f.map_data
        .flatMap((row, y) =>
          row.length === 96 ? row.map((x, i) => [x, y, i] as const) : [[Number.NaN, y, -1] as const],
        )
        .filter(([x]) => !(x >= 0 && x <= 1 && Math.round(x * 1000) / 1000 === x));
      expect(bad).toEqual([]);
      expect(f.hist_data.counts.reduce((a, b) => a + b, 0)).toBe(96 * 96);
      expect(validateRef(ATHERIA_FRAME_PAYLOAD_REF, JSON.parse(JSON.stringify(f)))).toEqual([]);
    });
  }

  it('flow_data is downsampled to at most 64 a side on big grids', () => {
    const big = new FieldSimulation(256, EXPERIMENTS.get('ripple_tank')!.params);
    const f = frameOf(big, 'flow');
    expect(f.flow_data?.dx).toHaveLength(64);
    expect(f.flow_data?.magnitude[0]).toHaveLength(64);
  });
});

describe('frame codecs', () => {
  const sim = new FieldSimulation(48, EXPERIMENTS.get('ripple_tank')!.params);
  for (let i = 0; i < 20; i++) sim.step();
  const payload = frameOf(sim, 'flow', 21);

  for (const format of ['msgpack', 'cbor'] as const) {
    it(`${format}: stock decoder gives the payload back (grids to float32 precision, timestamp exact)`, () => {
      const bytes = encodeBinaryFrame(payload, format, noFaults);
      const decoded = (format === 'msgpack' ? decodeMsgpack(bytes) : decodeCbor(bytes)) as FramePayload;
      expect(validateRef(ATHERIA_FRAME_PAYLOAD_REF, decoded)).toEqual([]);
      expect(decoded.step).toBe(21);
      expect(decoded.timestamp).toBe(payload.timestamp);
      expect(decoded.simulation_info).toEqual(payload.simulation_info);
      expect(decoded.map_data[10]![20]).toBeCloseTo(payload.map_data[10]![20]!, 6);
      expect(decoded.flow_data!.dx[3]![4]).toBeCloseTo(payload.flow_data!.dx[3]![4]!, 6);
      // float32 grids: smaller than the JSON text
      expect(bytes.length).toBeLessThan(encodeJsonFrame(payload).length);
    });
  }
});

describe('fast JSON text', () => {
  it('is byte-for-byte JSON.stringify for any JSON value (fast-check)', () => {
    const r3 = fc.integer({ min: -1000, max: 1000 }).map((k) => k / 1000);
    const grid = fc.array(fc.array(fc.oneof(r3, fc.double(), fc.constant(-0)), { maxLength: 8 }), {
      maxLength: 5,
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), grid, fc.dictionary(fc.string(), grid)), (v) => {
        expect(jsonBytes(v, 1).toString()).toBe(JSON.stringify(v));
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('writes a real frame exactly as JSON.stringify does', () => {
    const sim = new FieldSimulation(64, EXPERIMENTS.get('ripple_tank')!.params);
    for (let i = 0; i < 30; i++) sim.step();
    const f = frameOf(sim, 'flow', 31);
    expect(encodeJsonFrame(f).toString()).toBe(JSON.stringify({ type: 'simulation_frame', payload: f }));
  });
});

describe('client message parsing (A2, A4)', () => {
  it('reads both forms to the same command', () => {
    const a = parseClientMessage('{"type":"simulation.set_fps","payload":{"fps":10}}');
    const b = parseClientMessage('{"scope":"simulation","command":"set_fps","args":{"fps":10}}');
    expect(a).toMatchObject({
      kind: 'command',
      name: 'simulation.set_fps',
      args: { fps: 10 },
      legacy: false,
    });
    expect(b).toMatchObject({ kind: 'command', name: 'simulation.set_fps', args: { fps: 10 }, legacy: true });
  });

  it('reads "__proto__" as an own key, never the prototype', () => {
    const p = parseClientMessage('{"type":"x.y","payload":{"__proto__":{"fps":1}}}');
    expect(p.kind).toBe('command');
    if (p.kind === 'command') {
      expect(Object.hasOwn(p.args, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(p.args)).toBe(Object.prototype);
      expect((p.args as Record<string, unknown>)['fps']).toBeUndefined();
    }
  });
});
