// bench.json: run metadata + the measured phases (the raw material: counters, per-second samples,
// encoded histograms) + everything derived from them. The derivation is one function, used by a
// run and by `bench merge` alike, so a merged file is computed exactly like a single run's.
import { addEncoded, percentilesOf } from './hist.js';
import type { HttpSection } from './http-bench.js';
import type { BenchFormat, BenchProtocol, PhaseName, PhaseResult, Percentiles } from './types.js';

export interface BenchMeta {
  tool: 'wsconform';
  version: string;
  startedAt: string;
  target: string;
  protocol: BenchProtocol;
  format: BenchFormat;
  /** Atheria grid of the embedded server (null: an external target decides) */
  grid: number | null;
  fps: number;
  /** clients measured in this file (a shard's share, or the sum after a merge) */
  clients: number;
  /** --clients: the whole client set the shards split */
  clientsTotal: number;
  shard: { index: number; count: number } | null;
  /** length of one measured window, seconds */
  durationS: number;
  warmupS: number;
  rounds: number;
  workers: number;
  embedded: boolean;
  notes: string[];
  /** --http: the target's HTTP side measured with autocannon */
  http: HttpSection | null;
  mergedFrom?: { file: string; shard: { index: number; count: number } | null }[];
}

export interface Spread {
  min: number;
  max: number;
}

export interface BaselineResult {
  name: PhaseName;
  framesPerSecond: number;
  bytesPerSecond: number;
  ratio: number | null;
  spread: Spread;
  rounds: number[];
}

export type BenchJson = BenchMeta & {
  valid: boolean;
  invalidReason: string | null;
  framesPerSecond: number;
  framesPerSecondSpread: Spread;
  bytesPerSecond: number;
  /** steps (generations) the target advanced per second, median over rounds; null if untracked */
  serverStepsPerSecond: number | null;
  lostFrames: number;
  droppedByServer: number | null;
  latencyUs: Percentiles;
  rttUs: Percentiles & { unanswered: number };
  connectUs: Percentiles;
  perClient: {
    framesPerSecond: { min: number; mean: number; max: number };
    bytesPerSecond: { mean: number };
  };
  baselines: BaselineResult[];
  histograms: { latencyUs: string; rttUs: string; connectUs: string };
  totals: {
    frames: number;
    bytes: number;
    otherMessages: number;
    lostFrames: number;
    connectFailures: number;
    disconnects: number;
    durationS: number;
  };
  phases: PhaseResult[];
};

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const spreadOf = (xs: number[]): Spread => ({
  min: xs.length ? xs.reduce((a, b) => Math.min(a, b)) : 0,
  max: xs.length ? xs.reduce((a, b) => Math.max(a, b)) : 0,
});

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function summarize(meta: BenchMeta, phases: PhaseResult[]): BenchJson {
  const target = phases.filter((p) => p.name === 'target').sort((a, b) => a.round - b.round);
  const sum = (f: (p: PhaseResult) => number) => target.reduce((a, p) => a + f(p), 0);
  const fps = target.map((p) => p.framesPerSecond);
  const framesPerSecond = median(fps);
  const hist = {
    latencyUs: addEncoded(target.map((p) => p.histograms.latencyUs)),
    rttUs: addEncoded(target.map((p) => p.histograms.rttUs)),
    connectUs: addEncoded(target.map((p) => p.histograms.connectUs)),
  };
  const durationS = sum((p) => p.durationS);
  const frames = sum((p) => p.frames);
  const bytes = sum((p) => p.bytes);
  const names = [...new Set(phases.map((p) => p.name))].filter((n) => n !== 'target');
  const baselines = names.map((name): BaselineResult => {
    const runs = phases.filter((p) => p.name === name).sort((a, b) => a.round - b.round);
    const bfps = median(runs.map((p) => p.framesPerSecond));
    return {
      name,
      framesPerSecond: bfps,
      bytesPerSecond: median(runs.map((p) => p.bytesPerSecond)),
      ratio: bfps > 0 ? round3(framesPerSecond / bfps) : null,
      spread: spreadOf(runs.map((p) => p.framesPerSecond)),
      rounds: runs.map((p) => p.framesPerSecond),
    };
  });
  const invalid = phases.filter((p) => !p.valid).map((p) => `${p.name} round ${p.round}: ${p.invalidReason}`);
  const dropped = target.map((p) => p.droppedByServer);
  const clientSeconds = meta.clients * durationS;
  const stepRates = target.map((p) => p.stepsPerSecond).filter((x): x is number => x !== null);
  return {
    ...meta,
    valid: invalid.length === 0 && target.length > 0,
    invalidReason:
      target.length === 0 ? 'no target phase measured' : invalid.length ? invalid.join(' | ') : null,
    framesPerSecond,
    framesPerSecondSpread: spreadOf(fps),
    bytesPerSecond: median(target.map((p) => p.bytesPerSecond)),
    serverStepsPerSecond: stepRates.length ? median(stepRates) : null,
    lostFrames: sum((p) => p.lostFrames),
    droppedByServer: dropped.some((d) => d === null)
      ? null
      : dropped.reduce((a: number, d) => a + (d ?? 0), 0),
    latencyUs: percentilesOf(hist.latencyUs),
    rttUs: { ...percentilesOf(hist.rttUs), unanswered: sum((p) => p.rttUnanswered) },
    connectUs: percentilesOf(hist.connectUs),
    perClient: {
      framesPerSecond: {
        min: target.length ? Math.min(...target.map((p) => p.clientFramesMin / p.durationS)) : 0,
        mean: clientSeconds > 0 ? frames / clientSeconds : 0,
        max: target.length ? Math.max(...target.map((p) => p.clientFramesMax / p.durationS)) : 0,
      },
      bytesPerSecond: { mean: clientSeconds > 0 ? bytes / clientSeconds : 0 },
    },
    baselines,
    histograms: hist,
    totals: {
      frames,
      bytes,
      otherMessages: sum((p) => p.otherMessages),
      lostFrames: sum((p) => p.lostFrames),
      connectFailures: sum((p) => p.connectFailures),
      disconnects: sum((p) => p.disconnects),
      durationS,
    },
    phases,
  };
}
