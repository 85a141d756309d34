import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { progressListener, summaryLine, summaryTable } from '../../reports/console.js';
import { writeReports } from '../../reports/index.js';
import { EventBus } from '../engine/events.js';
import { probeTarget } from '../engine/probe.js';
import { filterCases, globMatcher, RegistryError } from '../engine/registry.js';
import { runCases } from '../engine/runner.js';
import type { RunConfig, Target } from '../engine/types.js';
import { packageRoot } from '../util/package-root.js';
import { parseRunArgs, RUN_USAGE, type RunArgs } from './args.js';
import { configFor, defaultDeps, type RunDeps, setupTargets } from './run-setup.js';
import { UsageError } from './usage.js';

// `wsconform run` (CLI-CONTRACT.md): targets → reachability → cases → runner → reports; exit 0 when
// nothing failed (with --strict: nothing non-strict either), 1 on a conformance failure, 2 on bad
// usage or an unreachable target.

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

export async function runVerb(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv);
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
  let all: Awaited<ReturnType<RunDeps['loadCases']>>;
  try {
    all = await deps.loadCases();
  } catch (err) {
    if (err instanceof RegistryError) throw new UsageError(err.message);
    throw err;
  }
  const cases = filterCases(all, { protocols, suites: args.suites, caseGlob: args.caseGlob });
  if (cases.length === 0)
    throw new UsageError('no case matches the filters — check --protocol, --suite, --case');
  const width = Math.max(...cases.map((c) => c.id.length));
  for (const c of cases)
    io.stdout.write(`${c.id.padEnd(width)}  ${c.rule.padEnd(8)}  ${c.suite.padEnd(13)}  ${c.title}\n`);
  return 0;
}

/** Throws a UsageError with the first target that nothing answers at. */
export async function requireReachable(targets: readonly Target[]): Promise<void> {
  const problems = await Promise.all(targets.map((t) => probeTarget(t.url)));
  const first = problems.find((p) => p !== null);
  if (first) throw new UsageError(first);
}

export async function executeRun(args: RunArgs, deps: RunDeps, io: Io): Promise<number> {
  const setup = await setupTargets(args, deps);
  try {
    await requireReachable(setup.targets);
    let all: Awaited<ReturnType<RunDeps['loadCases']>>;
    try {
      all = await deps.loadCases();
    } catch (err) {
      if (err instanceof RegistryError) throw new UsageError(err.message);
      throw err;
    }
    const filter = {
      protocols: setup.targets.map((t) => t.protocol),
      suites: args.suites,
      caseGlob: args.caseGlob,
    };
    const cases = filterCases(all, filter);
    const seed = args.seed ?? randomInt(2 ** 31 - 1);
    const configs = new Map<Target, RunConfig>();
    for (const t of setup.targets)
      configs.set(t, await configFor(t, args, setup, { seed, runs: args.runs }, deps));
    if (cases.length === 0) {
      throw new UsageError(
        `no case matches${args.suites ? ` --suite ${args.suites.join(',')}` : ''}${args.caseGlob ? ` --case ${args.caseGlob}` : ''} for ${setup.targets.map((t) => t.protocol).join(' and ')} — check the filters`,
      );
    }
    if (!args.quiet) {
      io.stdout.write(
        `wsconform: ${cases.length} cases against ${setup.targets.map((t) => t.url).join(', ')}${setup.embedded ? ' (embedded reference server)' : ''}, seed ${seed}\n`,
      );
    }

    const bus = new EventBus();
    if (io.stderr.isTTY && !args.quiet) bus.on(progressListener(io.stderr));
    const caseMatch = args.caseGlob ? globMatcher(args.caseGlob) : () => true;
    const record = await runCases({
      targets: setup.targets,
      cases,
      adapters: await deps.adapters(),
      config: configs.get(setup.targets[0] as Target) as RunConfig,
      configFor: (t) => configs.get(t) as RunConfig,
      bus,
      concurrency: args.concurrency,
      timeoutScale: args.timeoutScale,
      serverMessageTypes: await deps.serverMessageTypes(),
      includeSynthesized: (id, suite) => (!args.suites || args.suites.includes(suite)) && caseMatch(id),
    });
    await writeReports(args.out, record, {
      version: packageVersion(),
      strict: args.strict,
      embedded: setup.embedded,
    });
    if (!args.quiet) io.stdout.write(summaryTable(record, args.strict));
    io.stdout.write(`${summaryLine(record, args.strict, args.out)}\n`);
    const s = record.summary;
    return s.fail > 0 || (args.strict && s.nonStrict > 0) ? 1 : 0;
  } finally {
    await setup.close();
  }
}
