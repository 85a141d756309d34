import type { CaseResult, Finding, Level } from '../src/engine/types.js';
import { citedRules, ruleOrder } from '../src/util/profile.js';

// What the terminal, summary.md and index.html say about the cases that did not pass, shared so
// that they say the same: every finding of every case, with identical findings (same rule, level
// and message) grouped across cases ("12 cases: …") instead of repeated; cases that could not be
// judged (`error`) grouped by their reason, since they are no finding against a rule.

/** Longest evidence line kept: the whole entry is in the transcript. */
const EVIDENCE_CHARS = 240;

/**
 * The findings of a result, each with its evidence (the transcript entry it points at, in one
 * line, so that a FAIL can be read without the transcript); a non-pass verdict without any (an
 * older report) becomes one from its reason.
 */
export function findingsOf(r: CaseResult): Finding[] {
  if (r.findings?.length) return r.findings.map((f) => withEvidence(f, r));
  const level: Level | undefined =
    r.verdict === 'fail'
      ? 'must'
      : r.verdict === 'non-strict'
        ? 'should'
        : r.verdict === 'informational'
          ? 'may'
          : undefined;
  if (!level || !r.reason) return [];
  return [{ rule: citedRules(r.rule)[0] ?? r.rule, level, message: r.reason }];
}

function withEvidence(f: Finding, r: CaseResult): Finding {
  const e = f.transcriptIndex === undefined ? undefined : r.transcript?.[f.transcriptIndex];
  if (!e) return f;
  const data = e.data.length > EVIDENCE_CHARS ? `${e.data.slice(0, EVIDENCE_CHARS)}…` : e.data;
  return { ...f, evidence: `+${e.t}ms${e.conn ? ` #${e.conn}` : ''} ${e.dir} ${e.kind} ${data}` };
}

/** One finding shared by one or more cases. */
export interface FindingGroup {
  rule: string;
  level: Level;
  message: string;
  /** the cases with this finding, in run order (a case id once, even across targets) */
  cases: CaseResult[];
}

/** Identical findings of these results grouped, in the order first seen. */
export function groupFindings(results: readonly CaseResult[], level: Level): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const r of results) {
    for (const f of findingsOf(r)) {
      if (f.level !== level) continue;
      const key = `${f.rule}\u0000${f.message}`;
      const g = groups.get(key) ?? { rule: f.rule, level, message: f.message, cases: [] };
      if (!g.cases.includes(r)) g.cases.push(r);
      groups.set(key, g);
    }
  }
  return [...groups.values()];
}

/** Finding groups by rule, the rules in profile order (C, A, E). */
export function byRule(groups: readonly FindingGroup[]): [rule: string, groups: FindingGroup[]][] {
  const map = new Map<string, FindingGroup[]>();
  for (const g of groups) map.set(g.rule, [...(map.get(g.rule) ?? []), g]);
  return [...map.entries()].sort(([a], [b]) => ruleOrder(a, b));
}

/** Results of one verdict grouped by identical reason (for `error` and `unimplemented`). */
export function groupReasons(
  results: readonly CaseResult[],
  verdict: CaseResult['verdict'],
): { reason: string; cases: CaseResult[] }[] {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    if (r.verdict !== verdict) continue;
    const reason = r.reason ?? '(no reason given)';
    groups.set(reason, [...(groups.get(reason) ?? []), r]);
  }
  return [...groups.entries()].map(([reason, cases]) => ({ reason, cases }));
}

/** Case ids, each once, with `@ target` when the run had several targets. */
export function caseLabels(cases: readonly CaseResult[], manyTargets: boolean): string[] {
  return [...new Set(cases.map((r) => (manyTargets ? `${r.id} @ ${r.target}` : r.id)))];
}
