import { describe, expect, it } from 'vitest';
import { isDeclared } from '../../src/engine/define-case.js';
import { loadCases } from '../../src/engine/registry.js';
import { SUITES } from '../../src/engine/types.js';

// The repository's own suites/ load and pass the registry's checks (ids unique, fields present).
describe('suites/ of the repository', () => {
  it('loads every case file without a problem', async () => {
    const cases = await loadCases();
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(SUITES).toContain(c.suite);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  // Issue 11: one way to declare a case (defineCase, which derives the id), and no case writes its
  // own id by hand: its body reads ctx.caseId (a sibling named as the `see` of a precondition is fine).
  it('declares every case with defineCase and writes no case id of its own by hand', async () => {
    const cases = await loadCases();
    const byHand = cases.filter((c) => !isDeclared(c)).map((c) => c.id);
    expect(byHand.length, `not made by defineCase: ${byHand.slice(0, 5).join(', ')}…`).toBe(0);
    const ownId = cases.filter((c) => c.run.toString().includes(c.id)).map((c) => c.id);
    expect(ownId, 'these cases write their own id in their body').toEqual([]);
  });
});
