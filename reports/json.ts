import type { RunRecord } from '../src/engine/events.js';
import type { CaseResult, Protocol, TranscriptEntry } from '../src/engine/types.js';
import { toJsonSafe } from './safe-json.js';

// report.json exactly as CLI-CONTRACT.md describes it, plus the fields spec/report.schema.json
// documents (runs, strict, embedded, inputs, per-case target and notes).

export interface ReportMeta {
  version: string;
  strict: boolean;
  /** the run started the bundled reference server itself */
  embedded: boolean;
}

export interface ReportCase {
  id: string;
  protocol: Protocol;
  suite: string;
  rule: string;
  title: string;
  target: string;
  verdict: CaseResult['verdict'];
  durationMs: number;
  reason?: string;
  transcript: TranscriptEntry[];
  notes?: CaseResult['notes'];
  seed?: number;
  counterexample?: unknown;
}

export interface Report {
  tool: 'wsconform';
  version: string;
  startedAt: string;
  durationMs: number;
  seed: number;
  runs: number;
  strict: boolean;
  embedded: boolean;
  targets: { url: string; protocol: Protocol }[];
  inputs: RunRecord['inputs'];
  summary: RunRecord['summary'];
  cases: ReportCase[];
}

export function buildReport(run: RunRecord, meta: ReportMeta): Report {
  return {
    tool: 'wsconform',
    version: meta.version,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    seed: run.seed,
    runs: run.runs,
    strict: meta.strict,
    embedded: meta.embedded,
    targets: run.targets.map((t) => ({ url: t.url, protocol: t.protocol })),
    inputs: run.inputs,
    summary: run.summary,
    cases: run.results.map(reportCase),
  };
}

function reportCase(r: CaseResult): ReportCase {
  const c: ReportCase = {
    id: r.id,
    protocol: r.protocol,
    suite: r.suite,
    rule: r.rule,
    title: r.title,
    target: r.target,
    verdict: r.verdict,
    durationMs: r.durationMs,
    transcript: r.transcript,
  };
  if (r.reason !== undefined) c.reason = r.reason;
  if (r.notes?.length) c.notes = r.notes;
  if (r.seed !== undefined) c.seed = r.seed;
  if (r.counterexample !== undefined) c.counterexample = toJsonSafe(r.counterexample);
  return c;
}

export function renderJson(run: RunRecord, meta: ReportMeta): string {
  return `${JSON.stringify(buildReport(run, meta), null, 2)}\n`;
}
