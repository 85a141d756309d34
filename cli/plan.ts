import { globMatcher } from '../src/engine/registry.js';
import { synthesizedCases } from '../src/engine/schema-recv.js';
import type { CaseDefinition, Protocol, SuiteName } from '../src/engine/types.js';
import type { RunDeps } from './run-setup.js';

// Issue 9 §3: `run --list`, the progress header and the report hold the same results. A run
// reports every selected case once per target of its protocol, then each target's synthesized
// run-wide results (src/engine/schema-recv.ts: C5 per message type, the per-connection invariants,
// the extra message types), filtered by --suite and --case like the runner filters them.

export interface PlannedResult {
  id: string;
  protocol: Protocol;
  suite: SuiteName;
  rule: string;
  title: string;
}

/** Which synthesized results a run reports, by --suite and --case (the runner's includeSynthesized). */
export function synthesizedFilter(
  suites: readonly SuiteName[] | undefined,
  caseGlob: string | undefined,
): (id: string, suite: string) => boolean {
  const match = caseGlob ? globMatcher(caseGlob) : () => true;
  return (id, suite) => (!suites || (suites as readonly string[]).includes(suite)) && match(id);
}

/** Every result a run of `cases` against `targets` produces, in report order. */
export async function plannedResults(
  cases: readonly CaseDefinition[],
  targets: readonly { protocol: Protocol }[],
  include: (id: string, suite: 'schema') => boolean,
  deps: Pick<RunDeps, 'adapters' | 'serverMessageTypes'>,
): Promise<PlannedResult[]> {
  const adapters = await deps.adapters();
  const types = await deps.serverMessageTypes();
  const pick = ({ id, protocol, suite, rule, title }: PlannedResult): PlannedResult => ({
    id,
    protocol,
    suite,
    rule,
    title,
  });
  const planned: PlannedResult[] = [];
  for (const c of cases) for (const t of targets) if (t.protocol === c.protocol) planned.push(pick(c));
  for (const t of targets) {
    const adapter = adapters[t.protocol];
    if (!adapter) continue;
    const spec = {
      protocol: t.protocol,
      types: types(t.protocol),
      invariants: adapter.invariants,
      extraRule: adapter.extraTypesRule,
    };
    for (const c of synthesizedCases(spec)) if (include(c.id, 'schema')) planned.push(pick(c));
  }
  return planned;
}
