// Fault self-test of the Evolution cases: with each fault a case lists, that case ends `fail`
// (the fault breaks a MUST) or `non-strict` (a SHOULD). Every evo-* fault is listed by some case.
// By default the slow pairs are left out (the expiry case waits exp + 35 s under its fault, the
// model-based case shrinks for up to a minute); WSCONFORM_FULL_FAULTS=1 runs every pair.
import { describe, expect, it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import type { CaseDefinition } from '../../src/engine/types.js';
import { evolutionCases, runAgainst, show } from './_evolution-harness.js';

const FULL = process.env['WSCONFORM_FULL_FAULTS'] === '1';
const SLOW = new Set(['EVO-AUTH-019', 'EVO-SCHEMA-005']);
/** faults checked at the same time, each on its own server */
const PARALLEL = 4;

const cases = await evolutionCases();

function byFault(): [FaultName, CaseDefinition[]][] {
  const map = new Map<FaultName, CaseDefinition[]>();
  for (const c of cases) {
    if (!FULL && SLOW.has(c.id)) continue;
    for (const f of c.faults as FaultName[]) map.set(f, [...(map.get(f) ?? []), c]);
  }
  return [...map];
}

describe('Evolution cases under faults', () => {
  it('every evo-* fault is listed by at least one case, and every listed fault exists', () => {
    const listed = new Set(cases.flatMap((c) => c.faults));
    const evo = Object.keys(FAULTS).filter((f) => f.startsWith('evo-'));
    expect(evo.filter((f) => !listed.has(f))).toEqual([]);
    expect([...listed].filter((f) => !Object.hasOwn(FAULTS, f))).toEqual([]);
  });

  it(
    `each listed fault makes its cases fail or non-strict${FULL ? '' : ' (slow pairs skipped)'}`,
    async () => {
      const queue = byFault();
      const wrong: string[] = [];
      const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const [fault, mine] = job;
          const want = FAULTS[fault].level === 'must' ? 'fail' : 'non-strict';
          for (const r of await runAgainst([fault], mine))
            if (r.verdict !== want) wrong.push(`${fault} → want ${want}: ${show(r)}`);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      expect(wrong).toEqual([]);
    },
    FULL ? 900_000 : 120_000,
  );
});
