// `bench merge`: shards (--shard I/N, possibly on several machines) measured disjoint client sets
// against one target at the same time. Their phases combine by (phase, round): counters and rates
// add (concurrent shards' rates add), histograms add, per-second samples add by second, and every
// percentile is then recomputed from the merged histograms — percentiles are never averaged.
import { stepRate, sumIntervals } from './aggregate.js';
import { cpuCheck, saturationProblem } from './cpu.js';
import { addEncoded } from './hist.js';
import { type BenchJson, type BenchMeta, summarize } from './result.js';
import type { PhaseResult } from './types.js';

const maxOrNull = (xs: (number | null)[]): number | null =>
  xs.some((x) => x === null) ? null : Math.max(...(xs as number[]));

function mergePhase(parts: PhaseResult[]): PhaseResult {
  const first = parts[0]!;
  const sum = (f: (p: PhaseResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  const anomalies: Record<string, number> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p.anomalies)) anomalies[k] = (anomalies[k] ?? 0) + v;
  const intervals = sumIntervals(parts.map((p) => p.intervals)).map((s) => ({
    ...s,
    // the drop counter is server-wide: every shard saw the same counter, so take the largest
    droppedByServer: maxOrNull(parts.map((p) => p.intervals[s.t]?.droppedByServer ?? null)),
  }));
  const serverElus = parts.map((p) => p.cpu.serverElu).filter((x): x is number => x !== null);
  const cpu = cpuCheck(
    parts.flatMap((p) => p.cpu.generatorElu),
    serverElus.length ? Math.max(...serverElus) : null,
  );
  const stepSpan = { steps: sum((p) => p.stepSpan.steps), seconds: sum((p) => p.stepSpan.seconds) };
  const reasons = parts.filter((p) => !p.valid).map((p) => p.invalidReason);
  const saturation = saturationProblem(cpu);
  if (saturation && !reasons.some((r) => r?.includes('saturated'))) reasons.push(saturation);
  return {
    name: first.name,
    round: first.round,
    durationS: Math.max(...parts.map((p) => p.durationS)),
    clients: sum((p) => p.clients),
    connectFailures: sum((p) => p.connectFailures),
    disconnects: sum((p) => p.disconnects),
    frames: sum((p) => p.frames),
    otherMessages: sum((p) => p.otherMessages),
    bytes: sum((p) => p.bytes),
    framesPerSecond: sum((p) => p.frames / p.durationS),
    bytesPerSecond: sum((p) => p.bytes / p.durationS),
    lostFrames: sum((p) => p.lostFrames),
    droppedByServer: maxOrNull(parts.map((p) => p.droppedByServer)),
    clientFramesMin: Math.min(...parts.map((p) => p.clientFramesMin)),
    clientFramesMax: Math.max(...parts.map((p) => p.clientFramesMax)),
    intervals,
    histograms: {
      latencyUs: addEncoded(parts.map((p) => p.histograms.latencyUs)),
      rttUs: addEncoded(parts.map((p) => p.histograms.rttUs)),
      connectUs: addEncoded(parts.map((p) => p.histograms.connectUs)),
    },
    rttUnanswered: sum((p) => p.rttUnanswered),
    stepSpan,
    stepsPerSecond: stepRate(stepSpan),
    formatsSeen: { json: sum((p) => p.formatsSeen.json), msgpack: sum((p) => p.formatsSeen.msgpack) },
    anomalies,
    cpu,
    valid: reasons.length === 0,
    invalidReason: reasons.length ? reasons.join('; ') : null,
  };
}

/** Merges shard results (already schema-validated). Throws on files that do not belong together. */
export function mergeResults(files: { file: string; json: BenchJson }[]): BenchJson {
  const first = files[0]?.json;
  if (!first) throw new Error('nothing to merge');
  for (const { file, json } of files) {
    for (const key of ['protocol', 'format', 'fps', 'durationS', 'rounds'] as const) {
      if (json[key] !== first[key])
        throw new Error(
          `${file}: ${key} ${json[key]} differs from ${first[key]} — shards must run with the same settings`,
        );
    }
  }
  const shards = files.map(({ json }) => json.shard).filter((s) => s !== null);
  const seen = new Set(shards.map((s) => s.index));
  if (seen.size !== shards.length)
    throw new Error('the same shard index appears twice — merge each shard once');
  const groups = new Map<string, PhaseResult[]>();
  for (const { json } of files) {
    for (const p of json.phases) {
      const key = `${p.round}/${p.name}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
  }
  const phases = [...groups.values()].map(mergePhase);
  const notes = [...new Set(files.flatMap(({ json }) => json.notes))];
  const counts = new Set(shards.map((s) => s.count));
  if (shards.length && (counts.size !== 1 || shards.length !== [...counts][0])) {
    notes.push(
      `merged ${shards.length} shard files of ${[...counts].join('/')} shards: the client set is incomplete`,
    );
  }
  const meta: BenchMeta = {
    tool: 'wsconform',
    version: first.version,
    startedAt: files.map(({ json }) => json.startedAt).sort()[0]!,
    target: first.target,
    protocol: first.protocol,
    format: first.format,
    grid: first.grid,
    fps: first.fps,
    clients: files.reduce((a, { json }) => a + json.clients, 0),
    clientsTotal: first.clientsTotal,
    shard: null,
    durationS: first.durationS,
    warmupS: first.warmupS,
    rounds: first.rounds,
    workers: files.reduce((a, { json }) => a + json.workers, 0),
    embedded: first.embedded,
    notes,
    http: files.find(({ json }) => json.http !== null)?.json.http ?? null,
    mergedFrom: files.map(({ file, json }) => ({ file, shard: json.shard })),
  };
  return summarize(meta, phases);
}
