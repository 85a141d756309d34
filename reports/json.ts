import type { RunRecord } from '../src/engine/events.js';
import type { CaseResult, Finding, Protocol, TranscriptEntry } from '../src/engine/types.js';
import { findingsOf } from './findings.js';
import type { TargetStateReport, TargetWithState } from '../src/protocols/state-snapshot.js';
import { toJsonSafe } from './safe-json.js';

// report.json exactly as the command-line contract describes it (findings and the error verdict included),
// plus the fields spec/report.schema.json documents (runs, strict, embedded, inputs, per-case
// target and notes).

export interface ReportMeta {
  version: string;
  strict: boolean;
  /** the run started the bundled reference server itself */
  embedded: boolean;
  /** where spec/PROFILE.md is, seen from the report folder, for the rule links (default: its file:// URL) */
  profileHref?: string;
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
  /** every finding of the case (always written, empty for a pass) */
  findings: Finding[];
  /** why the case is listed in --expected-failures */
  expectedFailure?: string;
  transcript: TranscriptEntry[];
  notes?: CaseResult['notes'];
  seed?: number;
  counterexample?: unknown;
  /** a wire case's RFC 6455 section and Autobahn case, for grouping (issue 12 §1) */
  refs?: CaseResult['refs'];
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
  targets: { url: string; protocol: Protocol; state?: TargetStateReport }[];
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
    targets: run.targets.map(reportTarget),
    inputs: run.inputs,
    summary: run.summary,
    cases: run.results.map(reportCase),
  };
}

/** A target, with the state found and restored when the run kept it (issue 9 §6, cli/target-state.ts). */
function reportTarget(t: TargetWithState): Report['targets'][number] {
  return t.state
    ? { url: t.url, protocol: t.protocol, state: t.state }
    : { url: t.url, protocol: t.protocol };
}

function reportCase(r: CaseResult): ReportCase {
  // in the documented order, for a reader of the raw file
  const c: ReportCase = {
    id: r.id,
    protocol: r.protocol,
    suite: r.suite,
    rule: r.rule,
    title: r.title,
    target: r.target,
    verdict: r.verdict,
    durationMs: r.durationMs,
    ...(r.reason !== undefined && { reason: r.reason }),
    findings: findingsOf(r),
    ...(r.expectedFailure !== undefined && { expectedFailure: r.expectedFailure }),
    transcript: r.transcript,
  };
  if (r.notes?.length) c.notes = r.notes;
  if (r.seed !== undefined) c.seed = r.seed;
  if (r.counterexample !== undefined) c.counterexample = toJsonSafe(r.counterexample);
  if (r.refs) c.refs = r.refs;
  return c;
}

export function renderJson(run: RunRecord, meta: ReportMeta): string {
  return `${JSON.stringify(buildReport(run, meta), null, 2)}\n`;
}
