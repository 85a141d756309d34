import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { progressListener, summaryLine, summaryTable } from '../reports/console.js';
import { type ReportMeta, writeReports } from '../reports/index.js';
import { type EngineListener, EventBus, type RunRecord } from '../src/engine/events.js';
import { probeTarget } from '../src/engine/probe.js';
import { filterCases } from '../src/engine/registry.js';
import { runCases } from '../src/engine/runner.js';
import type { CaseDefinition, Protocol, RunConfig, Target } from '../src/engine/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { parseRunArgs, RUN_USAGE, type RunArgs, type RunArgSources } from './args.js';
import { loadConfigFile } from './config-file.js';
import {
  applyExpectedFailures,
  checkExpectedIds,
  type ExpectedFailures,
  loadExpectedFailures,
} from './expected-failures.js';
import { runOutcome } from '../src/engine/outcome.js';
import { configFor, defaultDeps, loadCasesOrUsage, type RunDeps, setupTargets } from './run-setup.js';
import { plannedResults, synthesizedFilter } from './plan.js';
import { withTargetState } from './target-state.js';
import { UsageError } from '../src/util/usage.js';

// `wsconform run` (CLI-CONTRACT.md): targets → reachability → cases → runner → expected failures →
// reports; exit 0 when nothing failed (with --strict: nothing non-strict either), 1 on a
// conformance failure or a case that could not be judged (cli/outcome.ts), 2 on bad usage,
// bad configuration or an unreachable target.

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

/** The real sources of `run`'s settings: ./wsconform.config.json (or --config) and the environment. */
export const processSources: RunArgSources = {
  config: (explicit) => loadConfigFile(explicit, process.cwd()),
  env: process.env,
};

export async function runVerb(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv, processSources);
  if (args.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (args.list) return listCases(args, defaultDeps, process);
  return executeRun(args, defaultDeps, process);
}

/**
 * `run --list`: the cases the filters select, one line each (id, rule, suite, title), without
 * starting or reaching any target. The protocol comes from --protocol, else from --target paths.
 */
export async function listCases(args: RunArgs, deps: RunDeps, io: Io): Promise<number> {
  const fromTargets = await Promise.all(args.targets.map((t) => deps.protocolFromUrl(t)));
  const protocols = args.protocol
    ? [args.protocol]
    : fromTargets.length && fromTargets.every((p) => p !== undefined)
      ? fromTargets
      : undefined;
  const all = await loadCasesOrUsage(deps);
  const cases = filterCases(all, { protocols, suites: args.suites, caseGlob: args.caseGlob });
  if (cases.length === 0)
    throw new UsageError('no case matches the filters — check --protocol, --suite, --case');
  // the synthesized run-wide results too: once per protocol, as a run with one target of each
  const adapters = await deps.adapters();
  const listed = new Set(protocols ?? (['atheria', 'evolution'] as const).filter((p) => adapters[p]));
  const include = synthesizedFilter(args.suites, args.caseGlob);
  const targets = [...listed].map((protocol) => ({ protocol }));
  const planned = await plannedResults(cases, targets, include, deps);
  const width = Math.max(...planned.map((c) => c.id.length));
  for (const c of planned)
    io.stdout.write(`${c.id.padEnd(width)}  ${c.rule.padEnd(8)}  ${c.suite.padEnd(13)}  ${c.title}\n`);
  return 0;
}

/** Throws a UsageError with the first target that nothing answers at. */
export async function requireReachable(targets: readonly Target[]): Promise<void> {
  const problems = await Promise.all(targets.map((t) => probeTarget(t.url)));
  const first = problems.find((p) => p !== null);
  if (first) throw new UsageError(first);
}

/** Ids of every result a run of these cases on these protocols produces (synthesized ones too). */
async function resultIds(
  cases: readonly CaseDefinition[],
  protocols: readonly Protocol[],
  include: (id: string) => boolean,
  deps: RunDeps,
): Promise<Set<string>> {
  const targets = [...new Set(protocols)].map((protocol) => ({ protocol }));
  return new Set((await plannedResults(cases, targets, include, deps)).map((c) => c.id));
}

/** How the programmatic API (cli/api.ts) shares executeRun with the CLI. */
export interface RunHooks {
  /** every engine event, as the run emits it (the API's onEvent) */
  onEvent?: EngineListener;
  /** false: no report files (the API without `out`) */
  writeReports?: boolean;
  /** the finished run and its report meta (the API builds its return value from them) */
  onRecord?: (record: RunRecord, meta: ReportMeta) => void;
  /** null: the run leaves the process's SIGINT/SIGTERM alone (a library caller's process) */
  signals?: null;
}

export async function executeRun(
  args: RunArgs,
  deps: RunDeps,
  io: Io,
  hooks: RunHooks = {},
): Promise<number> {
  // read before anything starts: a missing or malformed file is bad usage (exit 2)
  const expected: ExpectedFailures | undefined = args.expectedFailures
    ? loadExpectedFailures(args.expectedFailures)
    : undefined;
  const setup = await setupTargets(args, deps);
  try {
    const all = await loadCasesOrUsage(deps);
    const filter = {
      protocols: setup.targets.map((t) => t.protocol),
      suites: args.suites,
      caseGlob: args.caseGlob,
    };
    const cases = filterCases(all, filter);
    if (cases.length === 0) {
      throw new UsageError(
        `no case matches${args.suites ? ` --suite ${args.suites.join(',')}` : ''}${args.caseGlob ? ` --case ${args.caseGlob}` : ''} for ${setup.targets.map((t) => t.protocol).join(' and ')} — check the filters`,
      );
    }
    const includeSynthesized = synthesizedFilter(args.suites, args.caseGlob);
    if (expected) {
      const protocols = setup.targets.map((t) => t.protocol);
      checkExpectedIds(
        expected,
        await resultIds(cases, protocols, (id) => includeSynthesized(id, 'schema'), deps),
        await resultIds(all, ['atheria', 'evolution'], () => true, deps),
      );
    }
    // usage problems first, then whether the targets answer at all
    await requireReachable(setup.targets);
    const seed = args.seed ?? randomInt(2 ** 31 - 1);
    const configs = new Map<Target, RunConfig>();
    for (const t of setup.targets)
      configs.set(t, await configFor(t, args, setup, { seed, runs: args.runs }, deps));
    if (!args.quiet) {
      // the number of results the run will report (issue 9 §3), synthesized ones included
      const total = (await plannedResults(cases, setup.targets, includeSynthesized, deps)).length;
      io.stdout.write(
        `wsconform: ${total} cases against ${setup.targets.map((t) => t.url).join(', ')}${setup.embedded ? ' (embedded reference server)' : ''}, seed ${seed}\n`,
      );
    }

    const bus = new EventBus();
    if (io.stderr.isTTY && !args.quiet) bus.on(progressListener(io.stderr));
    if (hooks.onEvent) bus.on(hooks.onEvent);
    // issue 9 §6: a target the user runs is left in the state it was found in (cli/target-state.ts)
    const stateOpts = {
      targets: setup.targets,
      active: !setup.embedded && args.image === undefined,
      io,
      quiet: args.quiet,
      adapters: await deps.adapters(),
      configFor: (t: Target) => configs.get(t) as RunConfig,
      ...(hooks.signals === null && { signals: null }),
      // on Ctrl-C the running cases end at once, so that none changes the state while it is restored
      onInterrupt: (signal: NodeJS.Signals) => interrupt.abort(`the run was interrupted by ${signal}`),
    };
    const interrupt = new AbortController();
    const ran = await withTargetState(stateOpts, async () =>
      runCases({
        targets: setup.targets,
        cases,
        adapters: await deps.adapters(),
        config: configs.get(setup.targets[0] as Target) as RunConfig,
        configFor: (t) => configs.get(t) as RunConfig,
        bus,
        concurrency: args.concurrency,
        timeoutScale: args.timeoutScale,
        serverMessageTypes: await deps.serverMessageTypes(),
        includeSynthesized,
        signal: interrupt.signal,
      }),
    );
    const record = applyExpectedFailures(ran, expected);
    const meta: ReportMeta = { version: packageVersion(), strict: args.strict, embedded: setup.embedded };
    if (hooks.writeReports !== false) await writeReports(args.out, record, meta);
    hooks.onRecord?.(record, meta);
    if (!args.quiet) io.stdout.write(summaryTable(record, args.strict));
    io.stdout.write(`${summaryLine(record, args.strict, args.out)}\n`);
    return runOutcome(record, args.strict).exitCode;
  } finally {
    await setup.close();
  }
}
