import { runOutcome } from '../src/engine/outcome.js';
import type { RunRecord } from '../src/engine/events.js';
import { type CaseResult, type Level, SUITES } from '../src/engine/types.js';
import { loadProfile } from '../src/util/profile.js';
import { byRule, caseLabels, groupFindings, groupReasons } from './findings.js';
import { profileLink } from './profile-link.js';
import { wireGroupsMarkdown } from './wire-groups.js';

// summary.md: counts per suite, then every finding of the run, grouped by rule (each rule linked to
// its text in spec/PROFILE.md) and, within a rule, identical findings across cases counted once
// ("12 cases: …"); the cases that could not be judged and those not applicable, grouped by reason.
// Short enough to paste into a pull request or a CI job summary.

export interface MarkdownOptions {
  strict: boolean;
  /** where spec/PROFILE.md is, seen from the report folder (default: its file:// URL) */
  profileHref?: string;
}

/** Markdown text on one line, pipes and HTML escaped (for table cells and list items). */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

const COLUMNS: [CaseResult['verdict'], string][] = [
  ['pass', 'pass'],
  ['fail', 'fail'],
  ['non-strict', 'non-strict'],
  ['informational', 'informational'],
  ['unimplemented', 'unimplemented'],
  ['error', 'error'],
];

const HEAD = `| suite | ${COLUMNS.map(([, h]) => h).join(' | ')} | total |\n|---|${COLUMNS.map(() => '---:|').join('')}---:|`;

function row(name: string, results: readonly CaseResult[]): string {
  const n = (v: CaseResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return `| ${name} | ${COLUMNS.map(([v]) => n(v)).join(' | ')} | ${results.length} |`;
}

function ids(cases: readonly CaseResult[], many: boolean): string {
  return caseLabels(cases, many)
    .map((id, i) => `${id}${cases[i]?.expectedFailure !== undefined ? ' (expected failure)' : ''}`)
    .join(', ');
}

/** `- 12 cases: message — ids` or `- ID: message` */
function item(message: string, cases: readonly CaseResult[], many: boolean): string {
  return cases.length === 1
    ? `- ${ids(cases, many)}: ${cell(message)}\n`
    : `- **${cases.length} cases**: ${cell(message)} — ${ids(cases, many)}\n`;
}

/** The findings of one level, by rule; each rule heading links to its text. */
function findingsSection(title: string, run: RunRecord, level: Level, href: string, many: boolean): string {
  const groups = groupFindings(run.results, level);
  if (groups.length === 0) return '';
  const cases = new Set(groups.flatMap((g) => g.cases)).size;
  const summaries = new Map(loadProfile().map((r) => [r.id, r.summary]));
  let text = `\n## ${title} (${cases} case${cases === 1 ? '' : 's'})\n`;
  for (const [rule, list] of byRule(groups)) {
    const summary = summaries.get(rule);
    text += `\n### [${rule}](${href}#${rule})${summary ? ` — ${cell(summary)}` : ''}\n\n`;
    text += list.map((g) => item(g.message, g.cases, many)).join('');
  }
  return text;
}

function reasonSection(title: string, run: RunRecord, verdict: CaseResult['verdict'], many: boolean): string {
  const groups = groupReasons(run.results, verdict);
  if (groups.length === 0) return '';
  const n = groups.reduce((sum, g) => sum + g.cases.length, 0);
  return `\n## ${title} (${n})\n\n${groups.map((g) => item(g.reason, g.cases, many)).join('')}`;
}

function expectationsSection(run: RunRecord, strict: boolean): string {
  const o = runOutcome(run, strict);
  if (o.expected.length === 0 && o.fixed.length === 0) return '';
  const lines = [
    ...o.expected.map(
      (r) => `| ${r.id} | ${r.verdict} (expected failure) | ${cell(r.expectedFailure ?? '')} |`,
    ),
    ...o.fixed.map(
      (r) => `| ${r.id} | ${r.verdict}: fixed, remove it from the file | ${cell(r.expectedFailure ?? '')} |`,
    ),
  ];
  return `\n## Listed in --expected-failures (${lines.length})\n\n| case | now | why it was listed |\n|---|---|---|\n${lines.join('\n')}\n`;
}

export function renderMarkdown(run: RunRecord, opts: MarkdownOptions): string {
  const s = run.summary;
  const many = run.targets.length > 1;
  const href = opts.profileHref ?? profileLink();
  const bySuite = SUITES.map((suite) => ({ suite, results: run.results.filter((r) => r.suite === suite) }))
    .filter((x) => x.results.length > 0)
    .map((x) => row(x.suite, x.results));
  const failed = runOutcome(run, opts.strict).failed;
  return (
    `# wsconform report\n\n` +
    `**${failed ? 'FAILED' : 'PASSED'}** — ${s.pass} pass, ${s.fail} fail, ${s.nonStrict} non-strict, ` +
    `${s.informational} informational, ${s.unimplemented} unimplemented, ${s.error} error` +
    `${opts.strict ? ' (strict: non-strict fails the run)' : ''}\n\n` +
    `- started ${run.startedAt}, took ${(run.durationMs / 1000).toFixed(1)} s, seed ${run.seed}, ${run.runs} runs per property\n` +
    run.targets.map((t) => `- target ${t.url} (${t.protocol})\n`).join('') +
    `- rules: [PROFILE.md](${href}) (\`wsconform rules <ID>\` prints one with its cases)\n` +
    `\n${HEAD}\n${bySuite.join('\n')}\n${row('**all**', run.results)}\n` +
    wireGroupsMarkdown(run.results) +
    findingsSection('Failures: MUST not met', run, 'must', href, many) +
    reasonSection('Errors: could not be judged', run, 'error', many) +
    findingsSection('Non-strict: SHOULD not met', run, 'should', href, many) +
    expectationsSection(run, opts.strict) +
    findingsSection('Informational: MAY observed', run, 'may', href, many) +
    reasonSection('Unimplemented / not applicable', run, 'unimplemented', many)
  );
}
