// The cross-check of the fault self-test (issue 9 §4: "one defect → one failing rule"): against a
// reference server with one fault, run a broad selection of cases and judge the report: every
// `must` finding cites the fault's rule(s), no case of another rule fails, and every case that
// could not be judged (`error`) names the case that checks what it lacked.
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReferenceServer } from '../../reference-server/index.js';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps, embeddedServerOptions, type RunDeps } from '../../cli/run-setup.js';
import type { CaseDefinition, Finding, Protocol, Verdict } from '../../src/engine/types.js';
import { FAULTS, type FaultName } from '../../src/schema/faults.js';

export const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

/**
 * `run` against the embedded reference server with these faults switched on: the default
 * embedded server (cli/run-setup.ts), with the run's inputs passed on the same way.
 */
export function depsWith(faults: readonly string[]): RunDeps {
  if (faults.length === 0) return defaultDeps;
  return {
    ...defaultDeps,
    startEmbedded: (o) => startReferenceServer({ ...embeddedServerOptions(o), faults: [...faults] }),
  };
}

export interface ReportCase {
  id: string;
  rule: string;
  verdict: Verdict;
  reason?: string;
  findings?: Finding[];
}

export interface RunOutcome {
  code: number;
  cases: ReportCase[];
  ms: number;
}

/**
 * One `run` of these case ids through the CLI code path; `ids` undefined runs every case (of
 * `protocol`, when given), the run-wide schema results included.
 */
export async function runAgainst(
  outRoot: string,
  faults: readonly string[],
  ids: readonly string[] | undefined,
  { strict = false, protocol }: { strict?: boolean; protocol?: Protocol } = {},
): Promise<RunOutcome> {
  const out = mkdtempSync(join(outRoot, 'run-'));
  const argv = ['--quiet', '--seed', '42', '--out', out];
  if (ids) argv.push('--case', ids.join(','));
  if (protocol) argv.push('--protocol', protocol);
  if (strict) argv.push('--strict');
  const t0 = performance.now();
  const code = await executeRun(parseRunArgs(argv), depsWith(faults), silent);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
  return { code, cases: report.cases, ms: Math.round(performance.now() - t0) };
}

/** The rules a fault breaks, e.g. ['A5', 'C5']. */
export function faultRules(fault: FaultName): string[] {
  return FAULTS[fault].rule.split(',').map((r) => r.trim());
}

/** The endpoints a fault lives in: C-rule faults are in the shared server code, so both. */
export function faultProtocols(fault: FaultName): Protocol[] {
  if (fault.startsWith('ath-')) return ['atheria'];
  if (fault.startsWith('evo-')) return ['evolution'];
  return ['atheria', 'evolution'];
}

/** The rules a case cites. */
export const caseRules = (rule: string): string[] => rule.split(',').map((r) => r.trim());

/**
 * The findings of a case. report.json carries them (issue 9 §3); a report without them is read
 * as one `must` finding of the case's first rule for a `fail`, so that the check still bites.
 */
export function findingsOf(c: ReportCase): Finding[] {
  if (c.findings) return c.findings;
  if (c.verdict !== 'fail') return [];
  return [{ rule: caseRules(c.rule)[0] ?? '?', level: 'must', message: c.reason ?? '' }];
}

/** The level of the findings that make a verdict: `must` a fail, `should` a non-strict. */
const DECIDING: Partial<Record<Verdict, Finding['level']>> = { fail: 'must', 'non-strict': 'should' };

/**
 * Whether a case that a fault made fail (or non-strict) did so for the fault's rule: its findings
 * of the verdict's level cite one of the fault's rules ("A5,C5": either), and none cites another.
 * Null when so (or when the verdict decides nothing), else "<case>: <verdict> citing [rules]: <first message>".
 */
export function wrongRule(fault: FaultName, c: ReportCase): string | null {
  const level = DECIDING[c.verdict];
  if (level === undefined) return null;
  const own = new Set(faultRules(fault));
  const deciding = findingsOf(c).filter((f) => f.level === level);
  const foreign = deciding.filter((f) => !own.has(f.rule));
  if (deciding.length > 0 && foreign.length === 0) return null;
  const cited = [...new Set(deciding.map((f) => f.rule))].join(',');
  return `${c.id}: ${c.verdict} citing [${cited}] not ${FAULTS[fault].rule}: ${oneLine((foreign[0] ?? deciding[0])?.message ?? c.reason)}`;
}

/** A case id as the reasons name them: ATH-HANDSHAKE-100, EVO-SCHEMA-RECV-metrics, ... */
const CASE_ID = /\b(?:ATH|EVO)-[A-Z-]+-[A-Za-z0-9_-]+\b/;

/** An `error` names the case to look at: "see <id>", or "stopped answering after <id>" (target down). */
export function errorNamesCase(reason: string | undefined): boolean {
  if (reason === undefined) return false;
  const see = /\bsee (\S+)/.exec(reason)?.[1];
  if (see && CASE_ID.test(see)) return true;
  const after = /stopped answering after (\S+)/.exec(reason)?.[1];
  return after !== undefined && CASE_ID.test(after);
}

export interface CrossCheck {
  /** `must` findings that cite another rule than the fault's: "<case>: [rule] message" */
  foreignFindings: string[];
  /** cases of another rule that ended `fail` (whatever their findings cite) */
  foreignFails: string[];
  /** `error` cases whose reason names no case to look at */
  unexplainedErrors: string[];
  /** the cases that failed (any rule), for the numbers */
  failing: ReportCase[];
  /** rules that have at least one `must` finding */
  failingRules: string[];
}

/** Judges a run against a server with `fault` by the cross-check's three conditions. */
export function crossCheck(fault: FaultName, cases: readonly ReportCase[]): CrossCheck {
  const own = new Set(faultRules(fault));
  const foreignFindings: string[] = [];
  const foreignFails: string[] = [];
  const unexplainedErrors: string[] = [];
  const failingRules = new Set<string>();
  for (const c of cases) {
    for (const f of findingsOf(c)) {
      if (f.level !== 'must') continue;
      failingRules.add(f.rule);
      if (!own.has(f.rule)) foreignFindings.push(`${c.id}: [${f.rule}] ${oneLine(f.message)}`);
    }
    if (c.verdict === 'fail' && !caseRules(c.rule).some((r) => own.has(r)))
      foreignFails.push(`${c.id} (${c.rule}): ${oneLine(c.reason)}`);
    if (c.verdict === 'error' && !errorNamesCase(c.reason))
      unexplainedErrors.push(`${c.id}: ${oneLine(c.reason)}`);
  }
  return {
    foreignFindings,
    foreignFails,
    unexplainedErrors,
    failing: cases.filter((c) => c.verdict === 'fail'),
    failingRules: [...failingRules].sort(),
  };
}

function oneLine(text: string | undefined): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/**
 * The broad selection run against a fault: every case of the fault's protocol(s), except the slow
 * ones given in `skip` (ids). `all` is the registry's cases.
 */
export function crossSelection(
  all: readonly CaseDefinition[],
  fault: FaultName,
  skip: ReadonlySet<string> = new Set(),
): CaseDefinition[] {
  const protocols = faultProtocols(fault);
  return all.filter((c) => protocols.includes(c.protocol) && !skip.has(c.id));
}
