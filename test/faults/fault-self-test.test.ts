// The proof that every conformance case can fail (schemathesis-style "deliberately broken apps"):
// for each fault switch of the reference server, run the cases that cite it against a server with
// exactly that fault, through the real `run` code path, and expect them to fail (MUST) or be
// non-strict (SHOULD), with the exit code the CLI contract gives.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { parseRunArgs } from '../../src/cli/args.js';
import { executeRun } from '../../src/cli/run.js';
import { defaultDeps, type RunDeps } from '../../src/cli/run-setup.js';
import { EMBEDDED } from '../../src/embedded.js';
import { loadCases } from '../../src/engine/registry.js';
import type { CaseDefinition, Verdict } from '../../src/engine/types.js';

const cases = await loadCases();
const faultNames = Object.keys(FAULTS) as FaultName[];
const casesFor = (fault: string) => cases.filter((c) => c.faults.includes(fault));

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-faults-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** `run` against the embedded reference server with these faults switched on. */
function depsWith(faults: string[]): RunDeps {
  return {
    ...defaultDeps,
    startEmbedded: (o) =>
      startReferenceServer({
        origins: [o.originAllowed],
        jwtSecret: o.jwtSecret,
        authTimeoutMs: EMBEDDED.authTimeoutMs,
        jwtLeewaySec: EMBEDDED.jwtLeewaySec,
        faults,
      }),
  };
}

interface ReportCase {
  id: string;
  verdict: Verdict;
  reason?: string;
}

async function runAgainst(faults: string[], selected: readonly CaseDefinition[], strict: boolean) {
  const out = mkdtempSync(join(outRoot, 'run-'));
  const argv = ['--case', selected.map((c) => c.id).join(','), '--quiet', '--seed', '42'];
  if (strict) argv.push('--strict');
  const code = await executeRun(parseRunArgs([...argv, '--out', out]), depsWith(faults), silent);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
  return { code, verdicts: new Map(report.cases.map((c) => [c.id, c])) };
}

describe('the clean reference server', () => {
  it('passes every case: `run` on the embedded default exits 0 with no fail and no non-strict', {
    timeout: 120_000,
  }, async () => {
    const out = mkdtempSync(join(outRoot, 'clean-'));
    const code = await executeRun(
      parseRunArgs(['--quiet', '--seed', '42', '--out', out]),
      defaultDeps,
      silent,
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    const notPassing = report.cases.filter((c) => c.verdict !== 'pass');
    // Only the C5 summaries of message types the reference server never sends may be unimplemented.
    expect(
      notPassing.filter((c) => !(c.verdict === 'unimplemented' && c.id.includes('-SCHEMA-RECV-'))),
    ).toEqual([]);
    expect(report.cases.length).toBeGreaterThanOrEqual(cases.length);
    expect(code).toBe(0);
  });
});

describe('fault table and cases agree', () => {
  it('every case cites at least one known fault', () => {
    const bad = cases.filter((c) => c.faults.length === 0 || c.faults.some((f) => !Object.hasOwn(FAULTS, f)));
    expect(bad.map((c) => `${c.id}: [${c.faults.join(', ')}]`)).toEqual([]);
  });

  it('every fault is caught by at least one case', () => {
    expect(faultNames.filter((f) => casesFor(f).length === 0)).toEqual([]);
  });

  it('every case cites the rule its faults break', () => {
    const mismatched = cases.flatMap((c) =>
      c.faults
        .filter((f) => {
          const faultRules = FAULTS[f as FaultName].rule.split(',');
          const caseRules = c.rule.split(',').map((r) => r.trim());
          return !faultRules.some((r) => caseRules.includes(r));
        })
        .map((f) => `${c.id} (${c.rule}) ← ${f} (${FAULTS[f as FaultName].rule})`),
    );
    expect(mismatched).toEqual([]);
  });
});

describe('every fault makes the cases that cite it fail', () => {
  for (const fault of faultNames) {
    const selected = casesFor(fault);
    if (selected.length === 0) continue;
    const level = FAULTS[fault].level;
    const expected: Verdict = level === 'must' ? 'fail' : 'non-strict';
    const timeout = 30_000 + selected.reduce((s, c) => s + (c.timeoutMs ?? 10_000), 0);
    it(`${fault} (${FAULTS[fault].rule}, ${level}) → ${expected}: ${selected.map((c) => c.id).join(' ')}`, {
      timeout,
    }, async () => {
      // SHOULD faults also check --strict: non-strict must then exit 1.
      const { code, verdicts } = await runAgainst([fault], selected, level === 'should');
      const got = selected.map((c) => {
        const r = verdicts.get(c.id);
        return `${c.id}: ${r?.verdict ?? 'missing'}${r?.verdict === expected ? '' : ` (${r?.reason ?? ''})`}`;
      });
      expect(got).toEqual(selected.map((c) => `${c.id}: ${expected}`));
      expect(code).toBe(1);
    });
  }
});
