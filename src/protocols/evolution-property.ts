// Running a fast-check property inside a case: the run's seed and number of runs (--seed/--runs),
// a time budget under the case timeout, and a failure turned into the case's counterexample.
import fc from 'fast-check';
import type { CaseContext } from '../engine/types.js';
import { CaseEnd } from '../engine/verdict.js';

export interface PropertyOptions<T> {
  /** runs of this property (default: the run's --runs) */
  numRuns?: number;
  /** stop generating new runs after this long; a failure found is still shrunk */
  budgetMs: number;
  /** what to attach as the counterexample and say in the reason (default: the value as JSON) */
  explain?(value: T): { counterexample: unknown; reason: string };
}

/**
 * A property's failure that knows which rule it breaks (a model test checks several: E4, E5, E6),
 * so that the case's finding cites that rule rather than the case's first one.
 */
export class RuleViolation extends Error {
  override name = 'RuleViolation';
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

/** fc.check the property; on failure attach the shrunk counterexample and fail the case (MUST). */
export async function checkProperty<T>(
  ctx: CaseContext,
  property: fc.IAsyncProperty<[T]>,
  opts: PropertyOptions<T>,
): Promise<{ numRuns: number; interrupted: boolean }> {
  const details = await fc.check(property, {
    seed: ctx.config.seed,
    numRuns: opts.numRuns ?? ctx.config.runs,
    plugins: [fc.interruptAfterTimeLimit(opts.budgetMs)],
  });
  // A case end thrown inside the property (a missing run input, a precondition not met) is the
  // case's end, not a counterexample: the property could not be judged.
  if (details.errorInstance instanceof CaseEnd) throw details.errorInstance;
  const found = details.counterexample as [T] | null;
  if (details.failed && found !== null) {
    const [value] = found;
    const { counterexample, reason } = opts.explain?.(value) ?? {
      counterexample: value,
      reason: `counterexample ${JSON.stringify(value)}`,
    };
    ctx.counterexample({
      value: counterexample,
      seed: details.seed,
      path: details.counterexamplePath,
      shrinks: details.numShrinks,
    });
    const error = details.errorInstance instanceof Error ? `: ${details.errorInstance.message}` : '';
    const rule = details.errorInstance instanceof RuleViolation ? details.errorInstance.rule : undefined;
    ctx.fail(
      `${reason}${error} (after ${details.numRuns} runs and ${details.numShrinks} shrinks, seed ${details.seed})`,
      rule,
    );
  }
  if (details.failed)
    ctx.fail(`the property could not run: ${String(details.errorInstance ?? 'too many skipped runs')}`);
  if (details.interrupted)
    ctx.note(`property stopped after ${details.numRuns} runs (time budget ${opts.budgetMs} ms)`);
  return { numRuns: details.numRuns, interrupted: details.interrupted };
}
