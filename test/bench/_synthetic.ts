// Deterministic bench material: recorded frames, pings and connects fed through the worker's
// Recorder exactly as the worker does, then combined and summarised as a run does.
import { combineReports } from '../../bench/aggregate.js';
import { cpuCheck } from '../../bench/cpu.js';
import { Recorder } from '../../bench/recorder.js';
import { type BenchJson, type BenchMeta, summarize } from '../../bench/result.js';
import type { PhaseName, PhaseResult } from '../../bench/types.js';

/** mulberry32: a tiny seeded PRNG, so every client's data is reproducible */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = 1_700_000_000_000;
export const WINDOW_MS = 2000;

/** One client's stream in one phase: ~100 frames, some steps skipped, latencies 0.2–50 ms. */
function feedClient(rec: Recorder, ci: number, clientId: number, seed: number, track: boolean): void {
  const r = rng(clientId * 7919 + seed);
  rec.connected(500 + r() * 20_000);
  let t = START - 300; // a few frames in the warm-up: they advance steps but are not counted
  for (let step = 0; step < 130; step++) {
    t += 10 + r() * 10;
    if (t >= START + WINDOW_MS + 200) break;
    if (r() < 0.03) continue; // lost on the way: the next frame shows the gap
    const latencyMs = 0.2 + r() ** 3 * 50;
    rec.frame(ci, track ? step : 7, (t - latencyMs) / 1000, 20_000 + Math.floor(r() * 5000), t, track);
    if (step % 9 === 0) rec.other(ci, 120, t + 1);
  }
  for (let p = 0; p < 3; p++) {
    const intended = START + 100 + p * 600 + r() * 100;
    if (r() < 0.1) rec.unanswered(intended, START + WINDOW_MS + 1000);
    else rec.roundTrip(intended, intended + 0.3 + r() * 20);
  }
}

/** One measured phase over `clientIds`, split over `workers` recorders like worker threads. */
export function syntheticPhase(
  name: PhaseName,
  round: number,
  clientIds: number[],
  workers = 1,
): PhaseResult {
  const shares: number[][] = Array.from({ length: workers }, () => []);
  for (const [i, id] of clientIds.entries()) shares[i % workers]!.push(id);
  const reports = shares
    .filter((s) => s.length > 0)
    .map((ids) => {
      const rec = new Recorder(ids.length);
      rec.setWindow(START, START + WINDOW_MS);
      for (const [ci, id] of ids.entries())
        feedClient(rec, ci, id, round * 31 + name.length, name === 'target');
      const report = rec.report();
      rec.destroy();
      return report;
    });
  return combineReports(reports, {
    name,
    round,
    format: 'json',
    durationS: WINDOW_MS / 1000,
    droppedSeries: [10, 12, 15],
    cpu: cpuCheck([0.2], name === 'target' ? null : 0.3),
  });
}

export function syntheticMeta(
  clientIds: number[],
  clientsTotal: number,
  shard: BenchMeta['shard'],
): BenchMeta {
  return {
    tool: 'wsconform',
    version: '0.1.0',
    startedAt: new Date(START).toISOString(),
    target: 'ws://127.0.0.1:8000/ws',
    protocol: 'atheria',
    format: 'json',
    grid: 64,
    fps: 60,
    clients: clientIds.length,
    clientsTotal,
    shard,
    durationS: WINDOW_MS / 1000,
    warmupS: 1,
    rounds: 2,
    workers: 1,
    embedded: false,
    notes: ['synthetic'],
    http: null,
  };
}

/** A two-round run with the ws-broadcast baseline over `clientIds`. */
export function syntheticRun(
  clientIds: number[],
  clientsTotal: number,
  shard: BenchMeta['shard'],
  workers = 1,
): BenchJson {
  const phases = [1, 2].flatMap((round) => [
    syntheticPhase('target', round, clientIds, workers),
    syntheticPhase('ws-broadcast', round, clientIds, workers),
  ]);
  return summarize(syntheticMeta(clientIds, clientsTotal, shard), phases);
}
