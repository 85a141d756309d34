import { WsconformOptionError, WsconformUsageError } from './api-errors.js';
import type { RunArgs } from './args.js';
import { plannedResults, synthesizedFilter } from './plan.js';
import { defaultDeps, type RunDeps } from './run-setup.js';
import { filterCases, RegistryError } from '../src/engine/registry.js';
import type { Protocol, SuiteName } from '../src/engine/types.js';

// listCases() of the API and the test list of wsconform/vitest: every result a run with these
// arguments reports, known before any target is reached (`wsconform run --list`, issue 9 §3:
// the same ids as report.json, the synthesized run-wide results included), with the target each
// one is for when the targets are given.

export interface PlannedCase {
  id: string;
  protocol: Protocol;
  suite: SuiteName;
  /** the profile rule(s) the case checks, e.g. 'C3' or 'E2,E3' */
  rule: string;
  title: string;
  /** the target URL (normalized as in the report) when the run names its targets */
  target?: string;
}

/** The planned results of a run with these arguments, target by target. */
export async function planCases(args: RunArgs, deps: RunDeps = defaultDeps): Promise<PlannedCase[]> {
  const adapters = await deps.adapters();
  // the report names given targets by their URL; a container's or the embedded server's URLs are
  // only known once started, so those entries carry no target
  const named = args.image === undefined ? args.targets : [];
  const targets: { protocol: Protocol; url?: string }[] = [];
  for (const url of named) {
    const protocol = args.protocol ?? (await deps.protocolFromUrl(url));
    if (!protocol)
      throw new WsconformOptionError(
        'protocol',
        `cannot tell the protocol of ${url} from its path — pass protocol: 'atheria' or 'evolution'`,
      );
    targets.push({ protocol, url });
  }
  if (named.length === 0)
    for (const protocol of ['atheria', 'evolution'] as const)
      if (adapters[protocol] && (!args.protocol || args.protocol === protocol)) targets.push({ protocol });

  let all: Awaited<ReturnType<RunDeps['loadCases']>>;
  try {
    all = await deps.loadCases();
  } catch (err) {
    if (err instanceof RegistryError) throw new WsconformUsageError(err.message);
    throw err;
  }
  const protocols = targets.map((t) => t.protocol);
  const cases = filterCases(all, { protocols, suites: args.suites, caseGlob: args.caseGlob });
  if (cases.length === 0)
    throw new WsconformUsageError(
      `no case matches the filters (suite, case) for ${[...new Set(protocols)].join(' and ')}`,
    );
  const include = synthesizedFilter(args.suites, args.caseGlob);
  const planned: PlannedCase[] = [];
  for (const t of targets) {
    for (const p of await plannedResults(cases, [t], include, deps))
      planned.push(t.url === undefined ? p : { ...p, target: t.url });
  }
  return planned;
}
