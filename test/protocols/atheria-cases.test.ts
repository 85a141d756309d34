import { beforeAll, describe, expect, it } from 'vitest';
import { FAULTS } from '../../src/schema/faults.js';
import type { CaseDefinition } from '../../src/engine/types.js';
import { atheriaCases } from './_atheria-cases.js';

let cases: CaseDefinition[] = [];

beforeAll(async () => {
  cases = await atheriaCases();
});

describe('Atheria cases: definitions', () => {
  it('have unique ATH-<SUITE>-NNN ids, cite A/C rules and only known faults', () => {
    expect(cases.length).toBeGreaterThan(20);
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of cases) {
      expect(c.id).toMatch(new RegExp(`^ATH-${c.suite.toUpperCase()}-0\\d\\d$`));
      expect(c.rule).toMatch(/^[AC]\d(,[AC]\d)*$/);
      expect(c.faults.length, `${c.id} lists no fault`).toBeGreaterThan(0);
      for (const f of c.faults) expect(Object.keys(FAULTS), `${c.id}: ${f}`).toContain(f);
    }
  });

  it('catch every ath-* fault in at least one case', () => {
    const listed = new Set<string>(cases.flatMap((c) => c.faults));
    const missing = Object.keys(FAULTS).filter((f) => f.startsWith('ath-') && !listed.has(f));
    expect(missing).toEqual([]);
  });
});
