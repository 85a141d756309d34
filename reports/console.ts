import type { EngineEvent, RunRecord } from '../src/engine/events.js';
import { type CaseResult, SUITES } from '../src/engine/types.js';

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
  let current = '';
  const draw = () => {
    const line = `[${String(done).padStart(String(total).length)}/${total}] ${current}${failed ? ` · ${failed} fail` : ''}`;
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
      draw();
    } else out.write('\r\x1b[2K');
  };
}

function counts(results: readonly CaseResult[]): number[] {
  const n = (v: CaseResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return [n('pass'), n('fail'), n('non-strict'), n('informational'), n('unimplemented'), results.length];
}

/** A reason on one terminal line: the report has it in full. */
function short(reason: string, max = 160): string {
  const line = reason.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Per-suite counts, then the failures (and non-strict cases) with their reasons. */
export function summaryTable(run: RunRecord, strict: boolean, maxListed = 25): string {
  const header = ['suite', 'pass', 'fail', 'non-strict', 'info', 'unimpl', 'total'];
  const rows = SUITES.map((suite) => run.results.filter((r) => r.suite === suite))
    .filter((rs) => rs.length > 0)
    .map((rs) => [rs[0]?.suite ?? '', ...counts(rs).map(String)]);
  rows.push(['all', ...counts(run.results).map(String)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  let text = `${line(header)}\n${rows.map(line).join('\n')}\n`;
  const listed = run.results.filter((r) => r.verdict === 'fail' || (strict && r.verdict === 'non-strict'));
  const notes = strict ? [] : run.results.filter((r) => r.verdict === 'non-strict');
  for (const [label, list] of [
    ['FAIL', listed],
    ['NON-STRICT', notes],
  ] as const) {
    for (const r of list.slice(0, maxListed))
      text += `${label.padEnd(10)} ${r.id}  ${short(r.reason ?? '')}\n`;
    if (list.length > maxListed)
      text += `${''.padEnd(10)} … and ${list.length - maxListed} more (see the report)\n`;
  }
  return text;
}

/** The last line of every run, also under --quiet. */
export function summaryLine(run: RunRecord, strict: boolean, outDir: string): string {
  const s = run.summary;
  const failed = s.fail > 0 || (strict && s.nonStrict > 0);
  return (
    `wsconform: ${failed ? 'FAIL' : 'OK'} — ${run.results.length} cases: ${s.pass} pass, ${s.fail} fail, ` +
    `${s.nonStrict} non-strict, ${s.informational} informational, ${s.unimplemented} unimplemented ` +
    `(seed ${run.seed}, ${(run.durationMs / 1000).toFixed(1)} s) — report in ${outDir}`
  );
}
