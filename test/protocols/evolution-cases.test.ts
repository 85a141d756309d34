// Every Evolution case passes against a clean reference server. The cases that share the run
// (exclusive 'evolution-run') never overlap on one server, so they are spread over three servers
// run side by side to keep the test short.
import { describe, expect, it } from 'vitest';
import type { CaseDefinition } from '../../src/engine/types.js';
import { CONFIG, evolutionCases, runAgainst, show } from './_evolution-harness.js';

const SERVERS = 3;

/** Exclusive cases dealt round-robin by expected length; the others go with the first share. */
function shares(cases: CaseDefinition[]): CaseDefinition[][] {
  const out: CaseDefinition[][] = Array.from({ length: SERVERS }, () => []);
  const exclusive = cases.filter((c) => c.exclusive);
  for (const [i, c] of exclusive.entries()) out[i % SERVERS]?.push(c);
  out[0]?.push(...cases.filter((c) => !c.exclusive));
  return out;
}

describe('Evolution cases against a clean reference server', () => {
  it('all pass', async () => {
    const cases = await evolutionCases();
    expect(cases.length).toBeGreaterThanOrEqual(50);
    // Fewer property runs than a real run: passing on a clean server is what is checked here.
    const results = (
      await Promise.all(shares(cases).map((s) => runAgainst([], s, { ...CONFIG, runs: 5 })))
    ).flat();
    expect(results).toHaveLength(cases.length);
    expect(results.filter((r) => r.verdict !== 'pass').map(show)).toEqual([]);
  }, 60_000);

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
