import type { RunRecord } from '../src/engine/events.js';
import { expectationOf } from '../src/engine/outcome.js';
import { type CaseResult, SUITES } from '../src/engine/types.js';
import { findingsOf } from './findings.js';

// junit.xml for CI dashboards: one <testsuite> per suite, one <testcase> per case. fail is a
// <failure>, error (the case could not be judged) an <error>, unimplemented is <skipped>,
// non-strict is a <failure> only under --strict (else a note in <system-out>), informational a
// note in <system-out>. A case listed in --expected-failures that still deviates is <skipped>
// ("expected failure: why"), so that the dashboard agrees with the exit code. The body of a
// failure lists every finding with its rule (spec/PROFILE.md#<rule>), then the transcript.

/** XML 1.0 text: escaped, and without the control characters XML cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function transcriptText(r: CaseResult): string {
  const lines = r.transcript
    .slice(-40)
    .map((e) => `+${e.t}ms${e.conn ? ` #${e.conn}` : ''} ${e.dir} ${e.kind} ${e.data}`);
  return lines.join('\n');
}

/** Every finding (rule, level, message), then the transcript: the body of a <failure> or <error>. */
function details(r: CaseResult): string {
  const findings = findingsOf(r).map(
    (f) =>
      `${f.level.toUpperCase()} ${f.rule} (spec/PROFILE.md#${f.rule}): ${f.message}${f.evidence ? `\n  evidence: ${f.evidence}` : ''}`,
  );
  return [...findings, ...(findings.length ? [''] : []), transcriptText(r)].join('\n');
}

function testcase(r: CaseResult, strict: boolean, manyTargets: boolean): string {
  const name = `${r.id}: ${r.title}${manyTargets ? ` @ ${r.target}` : ''}`;
  const open = `    <testcase classname="wsconform.${r.protocol}.${r.suite}" name="${xmlEscape(name)}" time="${seconds(r.durationMs)}"`;
  const reason = xmlEscape(r.reason ?? '');
  const failure = (type: string, element = 'failure') =>
    `${open}>\n      <${element} type="${type}" message="${reason}">${xmlEscape(details(r))}</${element}>\n    </testcase>`;
  const note = (label: string) =>
    `${open}>\n      <system-out>${xmlEscape(`${label}: ${r.reason ?? ''}`)}</system-out>\n    </testcase>`;
  if (expectationOf(r) === 'expected-failure') {
    const why = xmlEscape(`expected failure (${r.verdict}): ${r.expectedFailure ?? ''} — ${r.reason ?? ''}`);
    return `${open}>\n      <skipped message="${why}"/>\n    </testcase>`;
  }
  if (expectationOf(r) === 'fixed' && strict) {
    const why = xmlEscape(`fixed: ${r.id} passes now — remove it from the expected-failures file`);
    return `${open}>\n      <failure type="fixed" message="${why}"/>\n    </testcase>`;
  }
  switch (r.verdict) {
    case 'fail':
      return failure('fail');
    case 'error':
      return failure('error', 'error');
    case 'non-strict':
      return strict ? failure('non-strict') : note('NON-STRICT');
    case 'unimplemented':
      return `${open}>\n      <skipped message="${reason}"/>\n    </testcase>`;
    case 'informational':
      return note('INFORMATIONAL');
    default:
      return `${open}/>`;
  }
}

function counts(results: readonly CaseResult[], strict: boolean) {
  const expected = (r: CaseResult) => expectationOf(r) === 'expected-failure';
  const failures = results.filter(
    (r) =>
      (!expected(r) && (r.verdict === 'fail' || (strict && r.verdict === 'non-strict'))) ||
      (strict && expectationOf(r) === 'fixed'),
  ).length;
  const errors = results.filter((r) => !expected(r) && r.verdict === 'error').length;
  const skipped = results.filter((r) => r.verdict === 'unimplemented' || expected(r)).length;
  const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
  return `tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}"`;
}

export function renderJunit(run: RunRecord, opts: { strict: boolean }): string {
  const manyTargets = run.targets.length > 1;
  const suites = SUITES.map((suite) => ({
    suite,
    results: run.results.filter((r) => r.suite === suite),
  })).filter((s) => s.results.length > 0);
  const body = suites
    .map(
      ({ suite, results }) =>
        `  <testsuite name="${suite}" timestamp="${run.startedAt.replace(/Z$/, '')}" ${counts(results, opts.strict)}>\n` +
        `${results.map((r) => testcase(r, opts.strict, manyTargets)).join('\n')}\n  </testsuite>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="wsconform" ${counts(run.results, opts.strict).replace(/time="[^"]*"/, `time="${seconds(run.durationMs)}"`)}>\n` +
    `${body}\n</testsuites>\n`
  );
}
