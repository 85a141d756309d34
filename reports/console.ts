import type { EngineEvent, RunRecord } from '../src/engine/events.js';
import { type CaseResult, SUITES } from '../src/engine/types.js';
import { runOutcome } from '../src/engine/outcome.js';
import { caseLabels, groupFindings, groupReasons } from './findings.js';

// The terminal side of a run: a one-line progress display on a TTY, a compact table at the end,
// and the final summary line (the only output under --quiet).

interface Out {
  write(text: string): unknown;
  /** terminal width, when the stream is a TTY */
  columns?: number;
}

/** Progress on a TTY: one line, rewritten as cases start and end, never wider than the terminal. */
export function progressListener(out: Out): (e: EngineEvent) => void {
  let done = 0;
  let total = 0;
  let failed = 0;
  let errors = 0;
  let current = '';
  const draw = () => {
    const line = `[${String(done).padStart(String(total).length)}/${total}] ${current}${failed ? ` · ${failed} fail` : ''}${errors ? ` · ${errors} error` : ''}`;
    out.write(`\r\x1b[2K${line.slice(0, Math.max(20, (out.columns ?? 80) - 1))}`);
  };
  return (e) => {
    if (e.type === 'run-start') total = e.total;
    else if (e.type === 'case-start') {
      current = `${e.suite} · ${e.id}`;
      draw();
    } else if (e.type === 'case-end') {
      done = e.done;
      if (e.result.verdict === 'fail') failed++;
      if (e.result.verdict === 'error') errors++;
      draw();
    } else out.write('\r\x1b[2K');
  };
}

const COLUMNS = [
  ['pass', 'pass'],
  ['fail', 'fail'],
  ['non-strict', 'non-strict'],
  ['informational', 'info'],
  ['unimplemented', 'unimpl'],
  ['error', 'error'],
] as const satisfies readonly (readonly [CaseResult['verdict'], string])[];

function counts(results: readonly CaseResult[]): number[] {
  const n = (v: CaseResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return [...COLUMNS.map(([v]) => n(v)), results.length];
}

/** A reason on one terminal line: the report has it in full. */
function short(reason: string, max = 160): string {
  const line = reason.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** 'EVO-A, EVO-B, … and 3 more' */
function idList(ids: readonly string[], max = 8): string {
  return ids.length <= max
    ? ids.join(', ')
    : `${ids.slice(0, max).join(', ')}, … and ${ids.length - max} more`;
}

/**
 * One entry per distinct finding (or, for `error`, per distinct reason): a finding of one case is
 * `LABEL rule  CASE-ID  message`; one shared by several cases is `LABEL rule  12 cases: message`
 * with their ids on the next line.
 */
function entries(
  label: string,
  groups: readonly { rule: string; message: string; ids: string[] }[],
): string[] {
  return groups.map(({ rule, message, ids }) => {
    const head = `${label.padEnd(10)} ${rule.padEnd(4)}`;
    if (ids.length === 1) return `${head} ${ids[0]}  ${short(message)}\n`;
    return `${head} ${ids.length} cases: ${short(message)}\n${''.padEnd(16)}${idList(ids)}\n`;
  });
}

/**
 * Per-suite counts, then what did not pass: the failures (each distinct MUST finding once, with
 * the cases that share it), the cases that could not be judged (by reason), and the SHOULDs not
 * met. Cases listed in --expected-failures are marked, not hidden.
 */
export function summaryTable(run: RunRecord, strict: boolean, maxListed = 25): string {
  const header = ['suite', ...COLUMNS.map(([, h]) => h), 'total'];
  const rows = SUITES.map((suite) => run.results.filter((r) => r.suite === suite))
    .filter((rs) => rs.length > 0)
    .map((rs) => [rs[0]?.suite ?? '', ...counts(rs).map(String)]);
  rows.push(['all', ...counts(run.results).map(String)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  let text = `${line(header)}\n${rows.map(line).join('\n')}\n`;
  const many = run.targets.length > 1;
  const ids = (cases: readonly CaseResult[]) =>
    caseLabels(cases, many).map((id, i) =>
      cases[i]?.expectedFailure !== undefined ? `${id} (expected)` : id,
    );
  const sections: [string, { rule: string; message: string; ids: string[] }[]][] = [
    ['FAIL', groupFindings(run.results, 'must').map((g) => ({ ...g, ids: ids(g.cases) }))],
    [
      'ERROR',
      groupReasons(run.results, 'error').map((g) => ({ rule: '', message: g.reason, ids: ids(g.cases) })),
    ],
    ['NON-STRICT', groupFindings(run.results, 'should').map((g) => ({ ...g, ids: ids(g.cases) }))],
  ];
  for (const [label, groups] of sections) {
    const listed = entries(label, groups);
    text += listed.slice(0, maxListed).join('');
    if (listed.length > maxListed)
      text += `${''.padEnd(16)}… and ${listed.length - maxListed} more (see the report)\n`;
  }
  for (const r of runOutcome(run, strict).fixed)
    text += `${'FIXED'.padEnd(15)} ${r.id}  passes now: remove it from the expected-failures file\n`;
  return text;
}

/** The last line of every run, also under --quiet. */
export function summaryLine(run: RunRecord, strict: boolean, outDir: string): string {
  const s = run.summary;
  const outcome = runOutcome(run, strict);
  const expected = outcome.expected.length;
  return (
    `wsconform: ${outcome.failed ? 'FAIL' : 'OK'} — ${run.results.length} cases: ${s.pass} pass, ${s.fail} fail, ` +
    `${s.nonStrict} non-strict, ${s.informational} informational, ${s.unimplemented} unimplemented, ` +
    `${s.error} error${expected ? ` (${expected} expected failure${expected === 1 ? '' : 's'})` : ''} ` +
    `(seed ${run.seed}, ${(run.durationMs / 1000).toFixed(1)} s) — report in ${outDir}`
  );
}
