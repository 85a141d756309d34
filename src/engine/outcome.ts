import type { RunRecord } from './events.js';
import type { CaseResult } from './types.js';

// Whether a run fails (CLI-CONTRACT "Exit codes"), one rule for the exit code, the terminal line
// and the reports: a `fail` or `error` verdict fails the run (with --strict a `non-strict` one too)
// unless the case is listed in --expected-failures; a listed case that passes is "fixed" and fails
// the run under --strict (the list must be kept honest, or it hides the next regression).

/** What a case listed in --expected-failures did in this run. */
export type Expectation =
  /** it still deviates (fail, error or non-strict): shown as expected failure, does not fail the run */
  | 'expected-failure'
  /** it passes now (pass or informational): "fixed: remove it from the file" */
  | 'fixed'
  /** it was not judged (unimplemented): neither */
  | 'not-judged';

/** A verdict that counts as a failure of the run, expected or not. */
export function failsRun(r: CaseResult, strict: boolean): boolean {
  return r.verdict === 'fail' || r.verdict === 'error' || (strict && r.verdict === 'non-strict');
}

/** undefined unless the case is listed in --expected-failures (has `expectedFailure`). */
export function expectationOf(r: CaseResult): Expectation | undefined {
  if (r.expectedFailure === undefined) return undefined;
  if (r.verdict === 'fail' || r.verdict === 'error' || r.verdict === 'non-strict') return 'expected-failure';
  if (r.verdict === 'pass' || r.verdict === 'informational') return 'fixed';
  return 'not-judged';
}

export interface RunOutcome {
  failed: boolean;
  exitCode: 0 | 1;
  /** results that fail the run: failing and not listed */
  failures: CaseResult[];
  /** listed results that still deviate */
  expected: CaseResult[];
  /** listed results that pass now */
  fixed: CaseResult[];
}

export function runOutcome(run: Pick<RunRecord, 'results'>, strict: boolean): RunOutcome {
  const failures = run.results.filter((r) => failsRun(r, strict) && r.expectedFailure === undefined);
  const expected = run.results.filter((r) => expectationOf(r) === 'expected-failure');
  const fixed = run.results.filter((r) => expectationOf(r) === 'fixed');
  const failed = failures.length > 0 || (strict && fixed.length > 0);
  return { failed, exitCode: failed ? 1 : 0, failures, expected, fixed };
}
