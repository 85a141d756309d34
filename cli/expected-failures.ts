import type { RunRecord } from '../src/engine/events.js';
import { type ExpectedFailuresSource, readExpectedFailuresFile } from './config-file.js';
import { UsageError } from '../src/util/usage.js';

// --expected-failures FILE (CLI-CONTRACT.md, issue 9 §7): known deviations of a target, for CI
// gates on a server that does not conform yet. A post-processing step of the run record — the
// engine and the verdicts are untouched: every listed case's result gets `expectedFailure` (the
// why), and cli/outcome.ts decides what that means for the run (expected failure, fixed).

export interface ExpectedFailures {
  /** case id → why */
  entries: Record<string, string>;
  /** the file (or config file) they come from, for messages */
  from: string;
}

export function loadExpectedFailures(source: ExpectedFailuresSource): ExpectedFailures {
  return source.kind === 'file'
    ? { entries: readExpectedFailuresFile(source.path), from: source.path }
    : { entries: source.entries, from: `${source.from} "expected-failures"` };
}

/**
 * Every listed id must name a case this run produces a result for (the selected cases and the
 * synthesized schema results): a typo, a renamed case or a narrowed selection would otherwise
 * leave a stale entry that silently excuses nothing. Throws one UsageError naming the ids.
 */
export function checkExpectedIds(
  ef: ExpectedFailures,
  selected: ReadonlySet<string>,
  known: ReadonlySet<string> = selected,
): void {
  const stale = Object.keys(ef.entries).filter((id) => !selected.has(id));
  if (stale.length === 0) return;
  const shown = stale.slice(0, 5).map((id) => `'${id}'`);
  const more = stale.length > 5 ? ` and ${stale.length - 5} more` : '';
  const unselected = stale.every((id) => known.has(id));
  throw new UsageError(
    unselected
      ? `${ef.from}: ${shown.join(', ')}${more} ${stale.length === 1 ? 'is' : 'are'} not among the selected cases — widen --protocol/--suite/--case or use a file for this selection`
      : `${ef.from}: ${shown.join(', ')}${more} ${stale.length === 1 ? 'matches' : 'match'} no selected case — fix or remove ${stale.length === 1 ? 'it' : 'them'} (wsconform run --list shows the ids)`,
  );
}

/** The record with `expectedFailure` set on every result of a listed case (verdicts unchanged). */
export function applyExpectedFailures(run: RunRecord, ef: ExpectedFailures | undefined): RunRecord {
  if (!ef) return run;
  return {
    ...run,
    results: run.results.map((r) => {
      const why = Object.hasOwn(ef.entries, r.id) ? ef.entries[r.id] : undefined;
      return why === undefined ? r : { ...r, expectedFailure: why };
    }),
  };
}
