import { synthesizedCases } from '../src/engine/schema-recv.js';
import type { Protocol } from '../src/engine/types.js';
import { citedRules, loadProfile, type ProfileRule, profilePath, ruleOrder } from '../src/util/profile.js';
import { defaultDeps, loadCasesOrUsage, type RunDeps } from './run-setup.js';
import { parseFlags, UsageError } from '../src/util/usage.js';

// `wsconform rules [RULE]` (CLI-CONTRACT.md): the profile's rules as spec/PROFILE.md states them,
// with the cases that cite each. The cases are the registry's plus the results every run
// synthesizes (…-SCHEMA-RECV-*: C5, the run-wide A5/E4 invariants, A9/E1 extra types), so that
// the ids listed are the ids a report holds.

export const RULES_USAGE = `wsconform rules [RULE] — the conformance profile's rules (spec/PROFILE.md)

  wsconform rules      every rule: id, its one-line summary, and how many cases cite it
  wsconform rules A3   that rule's full text and the ids of the cases that check it

The rule texts ship with the package: spec/PROFILE.md (one anchor per rule, e.g. PROFILE.md#A3).`;

export type RulesDeps = Pick<RunDeps, 'loadCases' | 'adapters' | 'serverMessageTypes'>;

export interface RulesIo {
  stdout: { write(text: string): unknown };
}

/** Every case id a run can report, by the rule ids it cites (a case citing 'E9,C6' counts for both). */
export async function casesByRule(deps: RulesDeps): Promise<Map<string, string[]>> {
  const cases: { id: string; protocol: Protocol; rule: string }[] = await loadCasesOrUsage(deps);
  const adapters = await deps.adapters();
  const types = await deps.serverMessageTypes();
  const all = [...cases];
  for (const protocol of ['atheria', 'evolution'] as const) {
    const adapter = adapters[protocol];
    if (!adapter) continue;
    all.push(
      ...synthesizedCases({
        protocol,
        types: types(protocol),
        invariants: adapter.invariants,
        extraRule: adapter.extraTypesRule,
      }),
    );
  }
  const byRule = new Map<string, string[]>();
  for (const c of all)
    for (const rule of citedRules(c.rule)) byRule.set(rule, [...(byRule.get(rule) ?? []), c.id]);
  return byRule;
}

/** 'C1–C7, A0–A9, E1–E12': the ids of the profile, by letter, in document order. */
function idRanges(rules: readonly ProfileRule[]): string {
  const groups = new Map<string, string[]>();
  for (const r of rules) groups.set(r.id[0] ?? '', [...(groups.get(r.id[0] ?? '') ?? []), r.id]);
  return [...groups.values()].map((ids) => (ids.length > 1 ? `${ids[0]}–${ids.at(-1)}` : ids[0])).join(', ');
}

function listRules(rules: readonly ProfileRule[], byRule: Map<string, string[]>): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const counts = rules.map((r) => (byRule.get(r.id) ?? []).length);
  const nWidth = Math.max(...counts.map((n) => String(n).length));
  const lines = rules.map(
    (r, i) =>
      `${r.id.padEnd(idWidth)}  ${String(counts[i]).padStart(nWidth)} case${counts[i] === 1 ? ' ' : 's'}  ${r.summary}`,
  );
  // A case citing a rule the profile does not have would be a registry defect: show it, do not hide it.
  const unknown = [...byRule.keys()].filter((id) => !rules.some((r) => r.id === id)).sort(ruleOrder);
  for (const id of unknown)
    lines.push(
      `${id.padEnd(idWidth)}  ${String(byRule.get(id)?.length).padStart(nWidth)} cases  (not in ${profilePath()})`,
    );
  return `${lines.join('\n')}\n\n'wsconform rules <ID>' prints a rule and its cases; the texts are in ${profilePath()}\n`;
}

function showRule(rule: ProfileRule, ids: readonly string[]): string {
  const cases = ids.length
    ? [...ids]
        .sort()
        .map((id) => `  ${id}`)
        .join('\n')
    : '  (none: no case checks this rule directly)';
  return (
    `${rule.id} — ${rule.summary}\n(${rule.section}; ${profilePath()}#${rule.id})\n\n${rule.text}\n\n` +
    `Cases that check ${rule.id} (${ids.length}):\n${cases}\n`
  );
}

export async function rulesVerb(
  argv: string[],
  deps: RulesDeps = defaultDeps,
  io: RulesIo = process,
): Promise<number> {
  const { values, positionals } = parseFlags('rules', argv, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout.write(`${RULES_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(
      `rules takes at most one rule id, got ${positionals.length} — e.g. 'wsconform rules A3'`,
    );
  const rules = loadProfile();
  const wanted = positionals[0];
  let rule: ProfileRule | undefined;
  if (wanted !== undefined) {
    rule = rules.find((r) => r.id === wanted.trim().toUpperCase());
    if (!rule)
      throw new UsageError(
        `unknown rule '${wanted}' — give one of ${idRanges(rules)}; 'wsconform rules' lists them`,
      );
  }
  const byRule = await casesByRule(deps);
  io.stdout.write(rule ? showRule(rule, byRule.get(rule.id) ?? []) : listRules(rules, byRule));
  return 0;
}
