// The proof that every conformance case can fail (schemathesis-style "deliberately broken apps"):
// for each fault switch of the reference server, run the cases that cite it against a server with
// exactly that fault, through the real `run` code path, and expect them to fail (MUST) or be
// non-strict (SHOULD), with the exit code the CLI contract gives, and for the fault's own rule:
// the findings that make the verdict cite the rule the catalog gives the fault (spec/faults.json).
//
// And the proof that a fault breaks only its own rule (issue 9 §4, "one defect → one failing
// rule"): for a representative set of faults, the run covers every case of the fault's protocol(s)
// (the run-wide schema results included), and every `must` finding must cite the fault's rule, no
// case of another rule may fail, and a case that could not be judged (`error`) must name the case
// that checks what it lacked. All faults: test/faults/fault-cross-check-all.test.ts (opt-in, slow).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/engine/registry.js';
import type { Verdict } from '../../src/engine/types.js';
import { FAULTS, type FaultName } from '../../src/schema/faults.js';
import { crossCheck, faultProtocols, type ReportCase, runAgainst, wrongRule } from './_cross-check.js';

const cases = await loadCases();
const faultNames = Object.keys(FAULTS) as FaultName[];
const casesFor = (fault: FaultName) => cases.filter((c) => c.faults.includes(fault));
/**
 * The cases a per-fault run judges. The generated wire rows (`refs`: suites/framing/table-*.ts) are
 * proved by kind in test/suites/generic-framing-faults.test.ts: under utf8-not-checked alone
 * hundreds of them each wait 2 s for a close that never comes. Generic cases (GEN-) run against
 * the reference server's /ws as `--protocol generic`.
 */
const judgedFor = (fault: FaultName) => casesFor(fault).filter((c) => c.refs === undefined);

/**
 * Faults whose whole-protocol cross-check runs here (5–25 s each on 2 busy cores), one per common
 * rule and the cascades of issue 9 §4: a wrong accept breaks every upgrade (C1; 103 FAILs across
 * 20 rules before), a server that refuses upgrades without Origin refuses the harness's own
 * connections (C2), a pong without the ping's payload failed every C4 case through the canary (C3;
 * 16 FAILs), a half-open handshake that holds up other upgrades (C4), an Atheria endpoint without
 * initial_state (A1; 45 FAILs), and an Evolution endpoint whose unauthenticated ping — the canary's
 * — is refused (E3). Every fault: fault-cross-check-all.test.ts (opt-in).
 */
const CROSS_CHECKED: readonly FaultName[] = [
  'handshake-wrong-accept',
  'origin-missing-rejected',
  'pong-wrong-payload',
  'stall-on-slow-handshake',
  'ath-no-initial-state',
  'evo-ping-needs-auth',
];

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-faults-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** "<id>: <verdict>", with the reason when it is not the expected one. */
function verdictLines(ids: readonly string[], byId: Map<string, ReportCase>, expected: Verdict): string[] {
  return ids.map((id) => {
    const r = byId.get(id);
    return `${id}: ${r?.verdict ?? 'missing'}${r?.verdict === expected ? '' : ` (${r?.reason ?? ''})`}`;
  });
}

/** The cases of `ids` whose verdict-making findings do not cite the fault's rule (see wrongRule). */
function citingOtherRules(fault: FaultName, ids: readonly string[], byId: Map<string, ReportCase>): string[] {
  return ids.flatMap((id) => {
    const r = byId.get(id);
    const wrong = r ? wrongRule(fault, r) : null;
    return wrong ? [wrong] : [];
  });
}

describe('the clean reference server', () => {
  it('passes every case: `run` on the embedded default exits 0 with no fail and no non-strict', {
    timeout: 120_000,
  }, async () => {
    const { code, cases: report } = await runAgainst(outRoot, [], undefined);
    const notPassing = report.filter((c) => c.verdict !== 'pass');
    // Only the C5 summaries of message types the reference server never sends may be unimplemented.
    expect(
      notPassing
        .filter((c) => !(c.verdict === 'unimplemented' && c.id.includes('-SCHEMA-RECV-')))
        .map((c) => `${c.id}: ${c.verdict} (${c.reason ?? ''})`),
    ).toEqual([]);
    // every case of the two protocol endpoints ran; GEN- cases need a `--protocol generic` target
    // (the per-fault runs below and test/suites/generic-framing*.test.ts run them)
    const reported = new Set(report.map((c) => c.id));
    expect(cases.filter((c) => c.protocol !== 'generic' && !reported.has(c.id)).map((c) => c.id)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('fault table and cases agree', () => {
  it('every case cites at least one known fault', () => {
    // A generic case without a fault (echo, permessage-deflate, a 2^63 length: the reference server
    // can break none of them) is proved against broken echo servers in test/suites/generic-framing.test.ts.
    const bad = cases.filter(
      (c) =>
        (c.faults.length === 0 && c.protocol !== 'generic') ||
        c.faults.some((f) => !Object.hasOwn(FAULTS, f)),
    );
    expect(bad.map((c) => `${c.id}: [${c.faults.join(', ')}]`)).toEqual([]);
  });

  it('every fault is caught by at least one case', () => {
    expect(faultNames.filter((f) => casesFor(f).length === 0)).toEqual([]);
  });

  it('every case cites the rule its faults break', () => {
    const mismatched = cases.flatMap((c) =>
      c.faults
        .filter((f) => {
          const faultRules = FAULTS[f].rule.split(',');
          const caseRules = c.rule.split(',').map((r) => r.trim());
          return !faultRules.some((r) => caseRules.includes(r));
        })
        .map((f) => `${c.id} (${c.rule}) ← ${f} (${FAULTS[f].rule})`),
    );
    expect(mismatched).toEqual([]);
  });

  it('the cross-checked faults exist and cover every common rule (C1–C4)', () => {
    expect(CROSS_CHECKED.filter((f) => !Object.hasOwn(FAULTS, f))).toEqual([]);
    const rules = new Set(CROSS_CHECKED.flatMap((f) => FAULTS[f].rule.split(',')));
    expect(['C1', 'C2', 'C3', 'C4'].filter((r) => !rules.has(r))).toEqual([]);
  });
});

describe('every fault makes the cases that cite it fail', () => {
  for (const fault of faultNames) {
    const selected = judgedFor(fault);
    if (selected.length === 0 || CROSS_CHECKED.includes(fault)) continue; // those: below, in one run
    const level = FAULTS[fault].level;
    const expected: Verdict = level === 'must' ? 'fail' : 'non-strict';
    const timeout = 30_000 + selected.reduce((s, c) => s + (c.timeoutMs ?? 10_000), 0);
    it(`${fault} (${FAULTS[fault].rule}, ${level}) → ${expected}: ${selected.map((c) => c.id).join(' ')}`, {
      timeout,
    }, async () => {
      // SHOULD faults also check --strict: non-strict must then exit 1.
      const ids = selected.map((c) => c.id);
      const strict = level === 'should';
      const generic = (id: string) => id.startsWith('GEN-');
      const runs = [
        ...(ids.some((id) => !generic(id))
          ? [
              await runAgainst(
                outRoot,
                [fault],
                ids.filter((id) => !generic(id)),
                { strict },
              ),
            ]
          : []),
        ...(ids.some(generic)
          ? [await runAgainst(outRoot, [fault], ids.filter(generic), { strict, protocol: 'generic' })]
          : []),
      ];
      const code = Math.max(...runs.map((r) => r.code));
      const byId = new Map(runs.flatMap((r) => r.cases).map((c) => [c.id, c]));
      // A fault that takes the server down leaves the cases after the first unjudged (error,
      // "the target stopped answering after …"): each of those gets a server of its own.
      for (const id of ids) {
        const r = byId.get(id);
        if (r?.verdict !== 'error' || !/stopped answering after/.test(r.reason ?? '')) continue;
        const alone = await runAgainst(outRoot, [fault], [id], {
          strict,
          ...(generic(id) ? { protocol: 'generic' as const } : {}),
        });
        const again = alone.cases.find((c) => c.id === id);
        if (again) byId.set(id, again);
      }
      expect(verdictLines(ids, byId, expected)).toEqual(ids.map((id) => `${id}: ${expected}`));
      expect(citingOtherRules(fault, ids, byId)).toEqual([]);
      expect(code).toBe(1);
    });
  }
});

describe('a fault fails its own cases and no case of another rule (whole protocol)', () => {
  for (const fault of CROSS_CHECKED) {
    // the whole-protocol runs cover Atheria and Evolution; the generic cases are judged above
    const own = casesFor(fault)
      .filter((c) => c.protocol !== 'generic')
      .map((c) => c.id);
    const level = FAULTS[fault].level;
    const expected: Verdict = level === 'must' ? 'fail' : 'non-strict';
    it(`${fault} (${FAULTS[fault].rule}, ${level}) → ${expected}: ${own.join(' ')}; nothing else fails`, {
      timeout: 180_000,
    }, async () => {
      const protocols = faultProtocols(fault);
      const run = await runAgainst(outRoot, [fault], undefined, {
        strict: level === 'should',
        ...(protocols.length === 1 ? { protocol: protocols[0] } : {}),
      });
      const byId = new Map(run.cases.map((c) => [c.id, c]));
      expect(verdictLines(own, byId, expected)).toEqual(own.map((id) => `${id}: ${expected}`));
      expect(citingOtherRules(fault, own, byId)).toEqual([]);
      expect(run.code).toBe(1);
      const x = crossCheck(fault, run.cases);
      expect({
        foreignFindings: x.foreignFindings,
        foreignFails: x.foreignFails,
        unexplainedErrors: x.unexplainedErrors,
      }).toEqual({ foreignFindings: [], foreignFails: [], unexplainedErrors: [] });
    });
  }
});
