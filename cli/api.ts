import { buildReport, type Report } from '../reports/json.js';
import { WsconformError, WsconformUsageError } from './api-errors.js';
import { apiMessage, type RunOptions, toRunArgs } from './api-options.js';
import { type PlannedCase, planCases } from './api-plan.js';
import { runOutcome } from '../src/engine/outcome.js';
import { executeRun } from './run.js';
import { defaultDeps } from './run-setup.js';
import { UsageError } from '../src/util/usage.js';
import type { CaseResult } from '../src/engine/types.js';

// The programmatic API, `import { run } from 'wsconform'` (README, "Programmatic API"). run() is
// `wsconform run` without the terminal: the same argument parser (cli/api-options.ts), the same
// executeRun as the CLI (cli/run.ts, through its RunHooks), and report.json's object
// (reports/json.ts, spec/report.schema.json) as the result.

export type { Report, ReportCase } from '../reports/json.js';
export { WsconformError, WsconformOptionError, WsconformUsageError } from './api-errors.js';
export type { RunOptions, SuiteInput } from './api-options.js';
export type { PlannedCase } from './api-plan.js';
export type { EngineEvent, RunRecord, Summary } from '../src/engine/events.js';
export type {
  CaseResult,
  Finding,
  Level,
  Protocol,
  SuiteName,
  Target,
  TranscriptEntry,
  Verdict,
} from '../src/engine/types.js';

const silent = { write: () => true };

function translated(err: unknown): unknown {
  return err instanceof UsageError ? new WsconformUsageError(apiMessage(err.message).text) : err;
}

/**
 * Runs the conformance cases and resolves with the report (report.json's object), whatever the
 * verdicts; runFailed(report) says whether the CLI would exit 1. Rejects with a
 * WsconformOptionError for an unknown option or a bad value, with a WsconformUsageError when the
 * run cannot start (unreachable target, no case selected, unreadable file). Without `target`, the
 * bundled reference server is started in-process (and stopped) for the run.
 */
export async function run(options: RunOptions = {}): Promise<Report> {
  const args = toRunArgs(options);
  let report: Report | undefined;
  try {
    await executeRun(
      { ...args, quiet: true },
      defaultDeps,
      { stdout: silent, stderr: silent },
      {
        onEvent: options.onEvent,
        // the caller's process: no exit on Ctrl-C from inside a library (cli/target-state.ts)
        signals: null,
        writeReports: options.out !== undefined,
        onRecord: (record, meta) => {
          report = buildReport(record, meta);
        },
      },
    );
  } catch (err) {
    throw translated(err);
  }
  if (!report) throw new WsconformError('the run ended without a report');
  return report;
}

/** The results a run with these options would report (`wsconform run --list`), without running it. */
export async function listCases(options: Omit<RunOptions, 'onEvent'> = {}): Promise<PlannedCase[]> {
  const args = toRunArgs(options);
  try {
    return await planCases(args);
  } catch (err) {
    throw translated(err);
  }
}

/**
 * Whether the run fails as the CLI's exit code says (1): a fail or error verdict not listed in the
 * expected failures; with `strict` also non-strict verdicts and listed cases that pass now.
 */
export function runFailed(report: Pick<Report, 'cases' | 'strict'>): boolean {
  // runOutcome reads only the verdict and expectedFailure, which a report case has as a result has
  return runOutcome({ results: report.cases as unknown as CaseResult[] }, report.strict).failed;
}
