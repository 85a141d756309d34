import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, newHistogram, percentilesOf } from '../../bench/hist.js';
import { mergeResults } from '../../bench/merge.js';
import { benchJsonProblems } from '../../bench/schema.js';
import { syntheticRun } from './_synthetic.js';

const ALL = Array.from({ length: 12 }, (_, i) => i);
const shardOf = (index: number, count: number) => ALL.filter((id) => id % count === index);

describe('bench merge', () => {
  const whole = syntheticRun(ALL, ALL.length, null, 2);
  const shard0 = syntheticRun(shardOf(0, 2), ALL.length, { index: 0, count: 2 });
  const shard1 = syntheticRun(shardOf(1, 2), ALL.length, { index: 1, count: 2 });
  const merged = mergeResults([
    { file: 'shard-0/bench.json', json: shard0 },
    { file: 'shard-1/bench.json', json: shard1 },
  ]);

  it('every produced file validates against spec/bench.schema.json', () => {
    for (const json of [whole, shard0, shard1, merged]) expect(benchJsonProblems(json)).toEqual([]);
  });

  it('gives the same totals as one run over both shards’ clients', () => {
    expect(merged.clients).toBe(whole.clients);
    expect(merged.totals).toEqual(whole.totals);
    expect(merged.lostFrames).toBe(whole.lostFrames);
    expect(merged.lostFrames).toBeGreaterThan(0); // the synthetic streams do skip steps
    expect(merged.droppedByServer).toBe(whole.droppedByServer);
    expect(merged.framesPerSecond).toBeCloseTo(whole.framesPerSecond, 6);
    expect(merged.bytesPerSecond).toBeCloseTo(whole.bytesPerSecond, 6);
    expect(merged.perClient.framesPerSecond.mean).toBeCloseTo(whole.perClient.framesPerSecond.mean, 9);
    expect(merged.perClient.framesPerSecond.min).toBe(whole.perClient.framesPerSecond.min);
    expect(merged.perClient.framesPerSecond.max).toBe(whole.perClient.framesPerSecond.max);
    expect(merged.serverStepsPerSecond).toBeCloseTo(whole.serverStepsPerSecond ?? Number.NaN, 9);
    expect(merged.baselines[0]?.ratio).toBeCloseTo(whole.baselines[0]?.ratio ?? Number.NaN, 3);
  });

  it('gives the same percentiles, recomputed from the merged histograms', () => {
    expect(merged.latencyUs).toEqual(whole.latencyUs);
    expect(merged.rttUs).toEqual(whole.rttUs);
    expect(merged.connectUs).toEqual(whole.connectUs);
    expect(merged.latencyUs.count).toBe(whole.totals.frames);
    // averaging the shards' p99 would not give this value in general; the merged histogram does
    expect(percentilesOf(merged.histograms.latencyUs)).toEqual(percentilesOf(whole.histograms.latencyUs));
  });

  it('sums the per-second samples second by second', () => {
    for (const round of [1, 2]) {
      const m = merged.phases.find((p) => p.name === 'target' && p.round === round)!;
      const w = whole.phases.find((p) => p.name === 'target' && p.round === round)!;
      expect(m.intervals).toEqual(w.intervals);
      expect(m.intervals.reduce((a, s) => a + s.frames, 0)).toBe(m.frames);
    }
  });

  it('percentiles of an encoded histogram match the recorded values', () => {
    const h = newHistogram();
    for (let v = 1; v <= 1000; v++) h.recordValue(v);
    const encoded = encodeHistogram(h);
    h.destroy();
    expect(encoded).toMatch(/^HIST/);
    const p = percentilesOf(encoded);
    expect(p).toEqual({ p50: 500, p90: 900, p99: 990, p999: 999, max: 1000, count: 1000 });
    const back = decodeHistogram(encoded);
    expect(back.totalCount).toBe(1000);
    back.destroy();
  });

  it('refuses shards run with different settings or the same shard twice', () => {
    const other = { ...shard1, fps: 30 };
    expect(() =>
      mergeResults([
        { file: 'a', json: shard0 },
        { file: 'b', json: other },
      ]),
    ).toThrow(/fps/);
    expect(() =>
      mergeResults([
        { file: 'a', json: shard0 },
        { file: 'b', json: shard0 },
      ]),
    ).toThrow(/shard index/);
  });

  it('notes an incomplete shard set', () => {
    const one = mergeResults([{ file: 'a', json: shard0 }]);
    expect(one.notes.join(' ')).toMatch(/incomplete/);
  });
});
