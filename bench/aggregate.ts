// Combines the reports of one phase's workers: counters add, histograms add (decode → add →
// re-encode), per-second samples add by second, and rates are recomputed from the sums.
import { saturationProblem } from './cpu.js';
import { addEncoded } from './hist.js';
import type { BenchFormat, CpuCheck, IntervalSample, PhaseName, PhaseResult, WorkerReport } from './types.js';

export interface PhaseMeta {
  name: PhaseName;
  round: number;
  format: BenchFormat;
  durationS: number;
  /** the server's dropped counter at the window start and after each second (null = unknown) */
  droppedSeries: (number | null)[];
  cpu: CpuCheck;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function sumIntervals(lists: IntervalSample[][]): IntervalSample[] {
  const out: IntervalSample[] = [];
  for (const list of lists) {
    for (const s of list) {
      while (out.length <= s.t) out.push({ t: out.length, frames: 0, bytes: 0, lostFrames: 0 });
      const o = out[s.t]!;
      o.frames += s.frames;
      o.bytes += s.bytes;
      o.lostFrames += s.lostFrames;
    }
  }
  return out;
}

function delta(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : Math.max(0, b - a);
}

export function stepRate(span: { steps: number; seconds: number }): number | null {
  return span.seconds > 0 ? span.steps / span.seconds : null;
}

export function combineReports(reports: WorkerReport[], meta: PhaseMeta): PhaseResult {
  const sum = (f: (r: WorkerReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  const clientFrames = reports.flatMap((r) => r.clientFrames);
  const anomalies: Record<string, number> = {};
  for (const r of reports) addCounts(anomalies, r.anomalies);
  const intervals = sumIntervals(reports.map((r) => r.intervals)).map((s) => ({
    ...s,
    droppedByServer: delta(meta.droppedSeries[s.t], meta.droppedSeries[s.t + 1]),
  }));
  const frames = sum((r) => r.frames);
  const bytes = sum((r) => r.bytes);
  const clients = sum((r) => r.clients);
  const connectFailures = sum((r) => r.connectFailures);
  const formatsSeen = { json: sum((r) => r.formatsSeen.json), msgpack: sum((r) => r.formatsSeen.msgpack) };
  const errors = reports.flatMap((r) => r.errors);
  const stepSpan = { steps: sum((r) => r.stepSpan.steps), seconds: sum((r) => r.stepSpan.seconds) };
  const problems: string[] = [];
  if (connectFailures > 0) {
    problems.push(
      `${connectFailures} of ${clients} clients failed to connect${errors[0] ? ` (${errors[0]})` : ''}`,
    );
  }
  if (frames === 0) problems.push(`no frames delivered in the window${errors[0] ? ` (${errors[0]})` : ''}`);
  if (meta.name === 'target' && meta.format === 'msgpack' && frames > 0 && formatsSeen.msgpack === 0) {
    problems.push('no msgpack frame arrived although simulation.set_binary msgpack was sent (A6)');
  }
  if (anomalies['jsonFrameAfterBinary']) {
    problems.push(
      `${anomalies['jsonFrameAfterBinary']} JSON frames arrived after msgpack frames had started (A6)`,
    );
  }
  const saturation = saturationProblem(meta.cpu);
  if (saturation) problems.push(saturation);
  const first = meta.droppedSeries[0];
  const lastDropped = meta.droppedSeries[meta.droppedSeries.length - 1];
  return {
    name: meta.name,
    round: meta.round,
    durationS: meta.durationS,
    clients,
    connectFailures,
    disconnects: sum((r) => r.disconnects),
    frames,
    otherMessages: sum((r) => r.otherMessages),
    bytes,
    framesPerSecond: frames / meta.durationS,
    bytesPerSecond: bytes / meta.durationS,
    lostFrames: sum((r) => r.lostFrames),
    droppedByServer: delta(first, lastDropped),
    // reduce, not Math.min(...xs): a shard may hold more clients than a call has arguments
    clientFramesMin: clientFrames.length ? clientFrames.reduce((a, b) => Math.min(a, b)) : 0,
    clientFramesMax: clientFrames.length ? clientFrames.reduce((a, b) => Math.max(a, b)) : 0,
    intervals,
    histograms: {
      latencyUs: addEncoded(reports.map((r) => r.latencyUs)),
      rttUs: addEncoded(reports.map((r) => r.rttUs)),
      connectUs: addEncoded(reports.map((r) => r.connectUs)),
    },
    rttUnanswered: sum((r) => r.rttUnanswered),
    stepSpan,
    stepsPerSecond: stepRate(stepSpan),
    formatsSeen,
    anomalies,
    cpu: meta.cpu,
    valid: problems.length === 0,
    invalidReason: problems.length ? problems.join('; ') : null,
  };
}
