import { describe, expect, it } from 'vitest';
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
});
