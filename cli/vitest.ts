import { afterAll, describe, type TestContext, test } from 'vitest';
import { run } from './api.js';
import { WsconformUsageError } from './api-errors.js';
import { apiMessage, type RunOptions, toRunArgs } from './api-options.js';
import { planCases } from './api-plan.js';
import { loadExpectedFailures } from './expected-failures.js';
import { UsageError } from '../src/util/usage.js';
import { probeTarget } from '../src/engine/probe.js';
import type { CaseResult } from '../src/engine/types.js';
import { ConformanceFailure, failureMessage } from './vitest-message.js';

// `wsconform/vitest` (README, "In your vitest suite"): one vitest test per conformance result, so
// that conformance shows in the user's own test run, watch mode and UI. Vitest registers tests
// while it collects a file, so the case list must be known then: conformanceTests() is awaited at
// the top level of the test file, plans the results without reaching the target (as
// `run --list`), and registers them. The run itself is one wsconform run (the engine schedules
// the cases, calibrates the C4 canary once and reports the run-wide results), started by the first
// test; each test waits for its own case's result, so results appear as the cases end.

export { ConformanceFailure } from './vitest-message.js';

export interface ConformanceOptions extends RunOptions {
  /** the describe block's name (default: "wsconform " and the targets) */
  name?: string;
  /** how long one test waits for its case's result, in ms (default 600000: the whole run) */
  testTimeout?: number;
}

interface Waiting {
  promise: Promise<CaseResult>;
  resolve(r: CaseResult): void;
  reject(err: unknown): void;
}

function waiting(): Waiting {
  let resolve!: (r: CaseResult) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<CaseResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // a test filtered out (-t) never awaits its result: its rejection must not be "unhandled"
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * Registers, in the calling test file, a describe block with one test per result of a wsconform
 * run with these options (the options of run(), plus `name` and `testTimeout`). Await it at the
 * top level of the file. A test fails, with the findings and the transcript, when its case fails
 * or cannot be judged (with `strict` also on a SHOULD not met); an unimplemented case or a listed
 * expected failure is skipped with the reason. A target that does not answer gives one failing
 * test instead of one per case.
 */
export async function conformanceTests(options: ConformanceOptions = {}): Promise<void> {
  const { name, testTimeout = 600_000, ...runOptions } = options;
  const args = toRunArgs(runOptions);
  const where = args.targets.length
    ? args.targets.join(', ')
    : (args.image ?? 'the embedded reference server');
  const title = name ?? `wsconform ${where}`;

  if (args.image === undefined && args.targets.length) {
    const problems = (await Promise.all(args.targets.map((t) => probeTarget(t)))).filter(
      (p): p is string => p !== null,
    );
    if (problems.length) {
      describe(title, () => {
        test('the target answers', () => {
          throw new ConformanceFailure(`${problems.join('\n')}\nno conformance case was run`);
        });
      });
      return;
    }
  }

  let expected: Record<string, string> = {};
  try {
    if (args.expectedFailures) expected = loadExpectedFailures(args.expectedFailures).entries;
  } catch (err) {
    throw err instanceof UsageError ? new WsconformUsageError(apiMessage(err.message).text) : err;
  }
  const planned = await planCases(args);
  // several targets of one protocol report the same ids: tell their results apart by target
  const byTarget = args.image === undefined && args.targets.length > 1;
  const keyOf = (target: string | undefined, id: string) => (byTarget ? `${target} ${id}` : id);
  const results = new Map(planned.map((p) => [keyOf(p.target, p.id), waiting()]));

  let started: Promise<void> | undefined;
  const start = () => {
    started ??= run({
      ...runOptions,
      onEvent: (e) => {
        runOptions.onEvent?.(e);
        if (e.type === 'case-end') results.get(keyOf(e.result.target, e.result.id))?.resolve(e.result);
      },
    }).then(
      () => {
        for (const w of results.values()) w.reject(new Error('the run reported no result for this case'));
      },
      (err: unknown) => {
        for (const w of results.values()) w.reject(err);
      },
    );
    return started;
  };

  describe(title, () => {
    // the run stops its embedded server or container before the worker ends
    afterAll(async () => {
      await started;
    }, testTimeout);
    for (const p of planned) {
      const label = `${p.id} (${p.rule}) ${p.title}${byTarget ? ` @ ${p.target}` : ''}`;
      const result = results.get(keyOf(p.target, p.id)) as Waiting;
      test(label, { timeout: testTimeout }, async (ctx) => {
        void start();
        judge(await result.promise, expected[p.id], args.strict, ctx);
      });
    }
  });
}

/** Pass, fail or skip the test as the CLI's exit code would count the result (cli/outcome.ts). */
function judge(r: CaseResult, listed: string | undefined, strict: boolean, ctx: TestContext): void {
  const why = r.reason ?? r.findings[0]?.message ?? r.verdict;
  switch (r.verdict) {
    case 'pass':
    case 'informational':
      if (listed !== undefined && strict)
        throw new ConformanceFailure(
          `${r.id} is listed as an expected failure ("${listed}") but passes now: remove it from the list`,
        );
      return;
    case 'unimplemented':
      ctx.skip(`unimplemented: ${why}`);
      return;
    case 'non-strict':
      if (!strict && listed === undefined) {
        void ctx.annotate?.(failureMessage(r, `SHOULD not met: ${why}`), 'warning');
        return;
      }
      break;
    default:
      break;
  }
  if (listed !== undefined) ctx.skip(`expected failure (${listed}): ${why}`);
  const headline = r.verdict === 'error' ? `could not be judged: ${why}` : why;
  throw new ConformanceFailure(failureMessage(r, headline));
}
