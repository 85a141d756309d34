import type { CaseResult, TranscriptEntry } from '../src/engine/types.js';

// The failure message of a wsconform/vitest test (cli/vitest.ts): what a developer needs without
// opening the report — the verdict and reason, every finding with its rule and level, and the end
// of the transcript the findings were made on.

/** Transcript entries shown at most; the report folder (option `out`) keeps all of them. */
export const TRANSCRIPT_LINES = 30;
const DATA_CHARS = 200;

function entryLine(e: TranscriptEntry, index: number): string {
  const data =
    e.data.length > DATA_CHARS ? `${e.data.slice(0, DATA_CHARS)}… (${e.data.length} chars)` : e.data;
  const conn = e.conn === undefined ? '' : ` #${e.conn}`;
  return `  [${index}] +${e.t}ms${conn} ${e.dir === 'out' ? '→' : '←'} ${e.kind} ${data.replace(/\n/g, '\\n')}`;
}

/** The text of a failing case: headline, findings, transcript tail. */
export function failureMessage(r: CaseResult, why: string): string {
  const lines = [`${r.id} (${r.rule}) ${r.verdict.toUpperCase()}: ${why}`];
  if (r.reason && r.reason !== why) lines.push(`reason: ${r.reason}`);
  if (r.findings.length) {
    lines.push('findings:');
    for (const f of r.findings) {
      const at = f.transcriptIndex === undefined ? '' : ` (after transcript [${f.transcriptIndex}])`;
      lines.push(`  ${f.level.toUpperCase()} ${f.rule}: ${f.message}${at}`);
    }
  }
  if (r.counterexample !== undefined)
    lines.push(`counterexample (seed ${r.seed ?? '?'}): ${safeJson(r.counterexample)}`);
  const t = r.transcript;
  if (t.length) {
    const from = Math.max(0, t.length - TRANSCRIPT_LINES);
    lines.push(from ? `transcript (last ${t.length - from} of ${t.length}):` : 'transcript:');
    for (let i = from; i < t.length; i++) lines.push(entryLine(t[i] as TranscriptEntry, i));
  }
  lines.push(
    `target: ${r.target} — the rules: spec/PROFILE.md of the wsconform package (wsconform rules ${firstRule(r.rule)})`,
  );
  return lines.join('\n');
}

function firstRule(rule: string): string {
  return rule.split(',')[0]?.trim() ?? rule;
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return String(value);
  }
}

/** The error a failing test throws: its message is the whole story, its stack adds nothing. */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
