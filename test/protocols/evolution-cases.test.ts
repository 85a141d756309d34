// The Evolution case definitions. That they pass against a clean reference server, and fail against
// each fault they cite, is test/faults/fault-self-test.test.ts.
import { describe, expect, it } from 'vitest';
import { evolutionCases } from './_evolution-harness.js';

describe('Evolution case definitions', () => {
  it('every case cites E rules, lists faults and has a unique id', async () => {
    const cases = await evolutionCases();
    const ids = new Set(cases.map((c) => c.id));
    expect(ids.size).toBe(cases.length);
    for (const c of cases) {
      expect(c.id, c.id).toMatch(/^EVO-[A-Z-]+-\d{3}$/);
      expect(c.rule, c.id).toMatch(/E\d+|C\d+/);
      expect(c.faults.length, `${c.id} lists no fault`).toBeGreaterThan(0);
    }
  });
});
