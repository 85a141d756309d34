// Regression test of issue 9 for Evolution: a server written from the seed by people who never
// read the profile (test/fixtures/independent-evolution/server.ts) makes only choices the profile
// allows, so the whole `run` path must give it pass / non-strict / informational / unimplemented
// and no fail, case by case as expected.ts says — and the same at --concurrency 1 (verdicts do not
// depend on scheduling). Its deviant variant breaks one MUST of E2 and one of E4: exactly the cases
// of those rules fail, and every other verdict stays what it was.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';
import type { Verdict } from '../../src/engine/types.js';
import { EXPECTED_CLEAN, EXPECTED_DEVIANT, type Row } from '../fixtures/independent-evolution/expected.js';
import {
  type IndependentOptions,
  startIndependentEvolution,
} from '../fixtures/independent-evolution/server.js';

const SECRET = 'independent-fixture-secret';
const AUTH_TIMEOUT_MS = 1500;
const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

interface ReportCase {
  id: string;
  verdict: Verdict;
  reason?: string;
}

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-independent-evo-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** `run --target <fixture>` through the CLI's code path; the report's verdicts by case id. */
async function runAgainst(
  deviations: IndependentOptions['deviations'],
  extra: string[] = [],
): Promise<{ code: number; cases: Map<string, ReportCase> }> {
  const server = await startIndependentEvolution({
    jwtSecret: SECRET,
    authTimeoutMs: AUTH_TIMEOUT_MS,
    deviations,
  });
  const out = mkdtempSync(join(outRoot, 'run-'));
  try {
    const secret = extra.includes('--no-secret') ? [] : ['--jwt-secret', SECRET];
    const argv = [
      '--target',
      server.url,
      ...secret,
      '--auth-timeout-ms',
      String(AUTH_TIMEOUT_MS),
      '--seed',
      '7',
      '--runs',
      '30',
      '--quiet',
      '--out',
      out,
      ...extra.filter((a) => a !== '--no-secret'),
    ];
    const code = await executeRun(parseRunArgs(argv), defaultDeps, silent);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    return { code, cases: new Map(report.cases.map((c) => [c.id, c])) };
  } finally {
    await server.close();
  }
}

/** Every case of the report against the table, and every row of the table in the report. */
/**
 * The RFC 6455 wire tables (EVO-FRAMING-<Autobahn number>): the fixture frames through `ws`, which
 * gets them all right (measured: every row passes, clean and deviant alike).
 */
const WIRE_ROW = /^EVO-FRAMING-x?\d+(\.\d+)+/;
const WIRE_PASS: Row = { verdict: 'pass', why: 'ws frames as RFC 6455 says' };

/** A case's expected row: from the table, or pass for a wire table row. */
function expectedOf(expected: Record<string, Row>, id: string): Row | undefined {
  return expected[id] ?? (WIRE_ROW.test(id) ? WIRE_PASS : undefined);
}

function mismatches(got: Map<string, ReportCase>, expected: Record<string, Row>): string[] {
  const out: string[] = [];
  const rows = [...got.keys()].filter((id) => WIRE_ROW.test(id)).length;
  if (rows < 300) out.push(`only ${rows} wire table rows in the report`);
  for (const [id, c] of got) {
    const want = expectedOf(expected, id);
    if (!want) out.push(`${id}: ${c.verdict} — no expected verdict (add a row to expected.ts)`);
    else if (c.verdict !== want.verdict)
      out.push(`${id}: ${c.verdict}, expected ${want.verdict} (${want.why}) — ${c.reason ?? ''}`);
  }
  for (const id of Object.keys(expected)) if (!got.has(id)) out.push(`${id}: missing from the report`);
  return out;
}

describe('an independent evolution implementation that makes only choices the profile allows', () => {
  let clean: Map<string, ReportCase>;

  it('gets the expected verdict for every case, and no fail', { timeout: 300_000 }, async () => {
    const { code, cases } = await runAgainst({});
    clean = cases;
    expect(mismatches(cases, EXPECTED_CLEAN)).toEqual([]);
    expect([...cases.values()].filter((c) => c.verdict === 'fail' || c.verdict === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('gets the same verdicts at --concurrency 1', { timeout: 600_000 }, async () => {
    const { cases } = await runAgainst({}, ['--concurrency', '1']);
    expect(mismatches(cases, EXPECTED_CLEAN)).toEqual([]);
    if (clean) {
      const differ = [...cases.values()]
        .filter((c) => clean.get(c.id)?.verdict !== c.verdict)
        .map((c) => `${c.id}: ${clean.get(c.id)?.verdict} at the default concurrency, ${c.verdict} at 1`);
      expect(differ).toEqual([]);
    }
  });
});

describe('the same implementation with two true deviations (E2 before-auth subscribe, E4 metrics leak)', () => {
  it('fails exactly the cases of E2 and E4 that check them; every other verdict is unchanged', {
    timeout: 300_000,
  }, async () => {
    const { code, cases } = await runAgainst({ actBeforeAuth: true, leakMetrics: true });
    expect(mismatches(cases, EXPECTED_DEVIANT)).toEqual([]);
    const failing = [...cases.values()].filter((c) => c.verdict === 'fail').map((c) => c.id);
    expect(failing.sort()).toEqual(
      Object.entries(EXPECTED_DEVIANT)
        .filter(([, r]) => r.verdict === 'fail')
        .map(([id]) => id)
        .sort(),
    );
    expect(code).toBe(1);
  });
});

describe('a run without the JWT secret', () => {
  it('makes every case that needs a token unimplemented, never fail or error (the property cases included)', {
    timeout: 300_000,
  }, async () => {
    const { cases } = await runAgainst({}, [
      '--no-secret',
      '--suite',
      'auth,subscriptions,errors,binary,rate-limits,schema,heartbeat',
    ]);
    const bad = [...cases.values()].filter((c) => c.verdict === 'fail' || c.verdict === 'error');
    expect(bad.map((c) => `${c.id}: ${c.verdict} (${c.reason})`)).toEqual([]);
    for (const id of [
      'EVO-SCHEMA-003',
      'EVO-SCHEMA-004',
      'EVO-SCHEMA-005',
      'EVO-AUTH-001',
      'EVO-SUBSCRIPTIONS-013',
    ])
      expect(`${id}: ${cases.get(id)?.verdict} (${cases.get(id)?.reason})`).toMatch(
        new RegExp(`^${id}: unimplemented \\(the run has no jwtSecret`),
      );
  });
});

describe('the same implementation when authentication by message never succeeds (E2)', () => {
  it('fails EVO-AUTH-002 only; the cases that need it end error naming EVO-AUTH-002; the rest keep their verdicts', {
    timeout: 300_000,
  }, async () => {
    const { cases } = await runAgainst({ refuseMessageAuth: true });
    const failing = [...cases.values()]
      .filter((c) => c.verdict === 'fail')
      .map((c) => `${c.id}: ${c.reason}`);
    expect(failing).toEqual([expect.stringMatching(/^EVO-AUTH-002: /)]);
    const errors = [...cases.values()].filter((c) => c.verdict === 'error');
    expect(errors.length).toBeGreaterThan(10);
    expect(
      errors.filter((c) => !/^precondition not met: .*, see EVO-AUTH-002$/.test(c.reason ?? '')),
    ).toEqual([]);
    const changed = [...cases.values()]
      .filter((c) => c.verdict !== 'error' && c.id !== 'EVO-AUTH-002')
      .filter(
        (c) =>
          expectedOf(EXPECTED_CLEAN, c.id)?.verdict !== c.verdict && !c.id.startsWith('EVO-SCHEMA-RECV-'),
      )
      .map((c) => `${c.id}: ${c.verdict}, ${EXPECTED_CLEAN[c.id]?.verdict} without the defect (${c.reason})`);
    expect(changed).toEqual([]);
  });
});
