// The fault self-test of the common cases: against the reference server with no fault every case
// passes; with each fault a case lists, that case ends fail (MUST) or non-strict (SHOULD).
import { describe, expect, it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { EMBEDDED } from '../../src/embedded.js';
import { runCases } from '../../src/engine/runner.js';
import type { CaseDefinition, CaseResult, RunConfig } from '../../src/engine/types.js';
import { ADAPTERS } from '../../src/protocols/index.js';
import { COMMON_CASES } from './_common.js';

const CONFIG: RunConfig = {
  jwtSecret: EMBEDDED.jwtSecret,
  originAllowed: EMBEDDED.originAllowed,
  seed: 42,
  runs: 10,
  limits: {
    msgsPerSecond: 100,
    connsPerUser: 10,
    bytesPerMinute: 10_485_760,
    maxMessageBytes: 1_048_576,
    authTimeoutMs: 1500,
  },
};

async function runAgainst(faults: FaultName[], cases: readonly CaseDefinition[]): Promise<CaseResult[]> {
  const server = await startReferenceServer({
    faults,
    origins: [EMBEDDED.originAllowed],
    jwtSecret: EMBEDDED.jwtSecret,
    authTimeoutMs: EMBEDDED.authTimeoutMs,
  });
  try {
    const record = await runCases({
      targets: [
        { url: server.url('/ws'), protocol: 'atheria' },
        { url: server.url('/v1/evolution'), protocol: 'evolution' },
      ],
      cases,
      adapters: ADAPTERS,
      config: CONFIG,
      canaryRetryMs: 200,
    });
    return record.results;
  } finally {
    await server.close();
  }
}

const show = (r: CaseResult) => `${r.id} ${r.verdict}${r.reason ? `: ${r.reason}` : ''}`;

/**
 * Faults that take the whole server down or stall it (the stall faults block the event loop of
 * this very process for seconds): one server per case, so that no case fails for another's.
 */
const DISRUPTIVE = /^(crash-|stall-)/;

/**
 * The full matrix of disruptive faults takes about a minute (stall-on-bad-json blocks 3 s per
 * bad message); by default one case per such fault runs, alternating protocols between faults.
 * WSCONFORM_FULL_FAULTS=1 runs every case against every fault it lists.
 */
const FULL = process.env['WSCONFORM_FULL_FAULTS'] === '1';

function groups(): { fault: FaultName; cases: CaseDefinition[] }[] {
  const out: { fault: FaultName; cases: CaseDefinition[] }[] = [];
  const byFault = new Map<FaultName, CaseDefinition[]>();
  for (const c of COMMON_CASES) {
    for (const f of c.faults as FaultName[]) byFault.set(f, [...(byFault.get(f) ?? []), c]);
  }
  let disruptive = 0;
  for (const [fault, cases] of byFault) {
    if (!DISRUPTIVE.test(fault)) out.push({ fault, cases });
    else if (FULL) for (const c of cases) out.push({ fault, cases: [c] });
    else {
      const protocol = disruptive++ % 2 === 0 ? 'atheria' : 'evolution';
      out.push({
        fault,
        cases: [cases.find((c) => c.protocol === protocol) ?? (cases[0] as CaseDefinition)],
      });
    }
  }
  return out;
}

describe('common cases against the reference server', () => {
  it('all pass without faults', async () => {
    const results = await runAgainst([], COMMON_CASES);
    expect(results).toHaveLength(COMMON_CASES.length);
    expect(results.filter((r) => r.verdict !== 'pass').map(show)).toEqual([]);
  }, 60_000);

  it.each(groups().map((g) => [g.fault, g.cases.map((c) => c.id).join(' '), g] as const))(
    'fault %s makes %s fail',
    async (fault, _ids, { cases }) => {
      const want = FAULTS[fault].level === 'must' ? 'fail' : 'non-strict';
      const results = await runAgainst([fault], cases);
      expect(results).toHaveLength(cases.length);
      expect(results.filter((r) => r.verdict !== want).map(show)).toEqual([]);
    },
    60_000,
  );
});
