import type { RunRecord } from '../src/engine/events.js';
import { type CaseResult, SUITES } from '../src/engine/types.js';

// summary.md: counts per suite and every case that did not pass, with its reason — short enough
// to paste into a pull request or a CI job summary.

/** Markdown table cell text: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

const HEAD =
  '| suite | pass | fail | non-strict | informational | unimplemented | total |\n|---|---:|---:|---:|---:|---:|---:|';

function row(name: string, results: readonly CaseResult[]): string {
  const n = (v: CaseResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return `| ${name} | ${n('pass')} | ${n('fail')} | ${n('non-strict')} | ${n('informational')} | ${n('unimplemented')} | ${results.length} |`;
}

function list(title: string, results: readonly CaseResult[], manyTargets: boolean): string {
  if (results.length === 0) return '';
  const lines = results.map(
    (r) =>
      `| ${r.id} | ${r.rule} | ${cell(r.title)}${manyTargets ? ` (${r.target})` : ''} | ${cell(r.reason ?? '')} |`,
  );
  return `\n## ${title} (${results.length})\n\n| case | rule | checks | reason |\n|---|---|---|---|\n${lines.join('\n')}\n`;
}

export function renderMarkdown(run: RunRecord, opts: { strict: boolean }): string {
  const s = run.summary;
  const many = run.targets.length > 1;
  const bySuite = SUITES.map((suite) => ({ suite, results: run.results.filter((r) => r.suite === suite) }))
    .filter((x) => x.results.length > 0)
    .map((x) => row(x.suite, x.results));
  const failed = s.fail > 0 || (opts.strict && s.nonStrict > 0);
  return (
    `# wsconform report\n\n` +
    `**${failed ? 'FAILED' : 'PASSED'}** — ${s.pass} pass, ${s.fail} fail, ${s.nonStrict} non-strict, ` +
    `${s.informational} informational, ${s.unimplemented} unimplemented` +
    `${opts.strict ? ' (strict: non-strict fails the run)' : ''}\n\n` +
    `- started ${run.startedAt}, took ${(run.durationMs / 1000).toFixed(1)} s, seed ${run.seed}, ${run.runs} runs per property\n` +
    run.targets.map((t) => `- target ${t.url} (${t.protocol})\n`).join('') +
    `\n${HEAD}\n${bySuite.join('\n')}\n${row('**all**', run.results)}\n` +
    list(
      'Failures',
      run.results.filter((r) => r.verdict === 'fail'),
      many,
    ) +
    list(
      'Non-strict (SHOULD not met)',
      run.results.filter((r) => r.verdict === 'non-strict'),
      many,
    ) +
    list(
      'Unimplemented / not applicable',
      run.results.filter((r) => r.verdict === 'unimplemented'),
      many,
    )
  );
}
