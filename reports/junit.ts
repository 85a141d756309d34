import type { RunRecord } from '../src/engine/events.js';
import { type CaseResult, SUITES } from '../src/engine/types.js';

// junit.xml for CI dashboards: one <testsuite> per suite, one <testcase> per case. fail is a
// <failure>, unimplemented is <skipped>, non-strict is a <failure> only under --strict (else a
// note in <system-out>), informational a note in <system-out>.

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

function testcase(r: CaseResult, strict: boolean, manyTargets: boolean): string {
  const name = `${r.id}: ${r.title}${manyTargets ? ` @ ${r.target}` : ''}`;
  const open = `    <testcase classname="wsconform.${r.protocol}.${r.suite}" name="${xmlEscape(name)}" time="${seconds(r.durationMs)}"`;
  const reason = xmlEscape(r.reason ?? '');
  const failure = (type: string) =>
    `${open}>\n      <failure type="${type}" message="${reason}">${xmlEscape(transcriptText(r))}</failure>\n    </testcase>`;
  const note = (label: string) =>
    `${open}>\n      <system-out>${xmlEscape(`${label}: ${r.reason ?? ''}`)}</system-out>\n    </testcase>`;
  switch (r.verdict) {
    case 'fail':
      return failure('fail');
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
  const failures = results.filter(
    (r) => r.verdict === 'fail' || (strict && r.verdict === 'non-strict'),
  ).length;
  const skipped = results.filter((r) => r.verdict === 'unimplemented').length;
  const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
  return `tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}"`;
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
