import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { FAULTS } from '../../reference-server/faults.js';
import { runCases } from '../../src/engine/runner.js';
import type { CaseDefinition, CaseResult } from '../../src/engine/types.js';
import { atheriaAdapter } from '../../src/protocols/atheria.js';
import { atheriaCases, REFERENCE_CONFIG } from './_atheria-cases.js';

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
    const listed = new Set(cases.flatMap((c) => c.faults));
    const missing = Object.keys(FAULTS).filter((f) => f.startsWith('ath-') && !listed.has(f));
    expect(missing).toEqual([]);
  });
});

describe('Atheria cases against a clean reference server', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  let results: CaseResult[] = [];

  beforeAll(async () => {
    server = await startReferenceServer();
    const record = await runCases({
      targets: [{ url: server.url('/ws'), protocol: 'atheria' }],
      cases,
      adapters: { atheria: atheriaAdapter },
      config: REFERENCE_CONFIG,
    });
    results = record.results;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('all pass', () => {
    const notPassing = results
      .filter((r) => r.verdict !== 'pass')
      .map((r) => `${r.id} ${r.verdict}: ${r.reason}`);
    expect(notPassing).toEqual([]);
    expect(results).toHaveLength(cases.length);
  });
});
