// Opt-in: the cross-check of every fault against EVERY case of its protocol(s) (one embedded
// server per fault). Too slow for CI on 2 cores (about 100 runs of 10–20 s); the CI file
// fault-self-test.test.ts runs it for a representative set. Run it with
//
//   WSCONFORM_CROSS_CHECK=all npx vitest run test/faults/fault-cross-check-all.test.ts
//   WSCONFORM_CROSS_CHECK=pong-wrong-payload,ath-no-initial-state npx vitest run test/faults/fault-cross-check-all.test.ts
//
// WSCONFORM_CROSS_CHECK_OUT=FILE also writes the table (fault, seconds, failing cases, failing
// rules, cascades) as markdown to FILE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import { crossCheck, faultProtocols, runAgainst } from './_cross-check.js';

const wanted = process.env.WSCONFORM_CROSS_CHECK ?? '';
const faults = (
  wanted === 'all'
    ? Object.keys(FAULTS)
    : wanted
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
) as FaultName[];

let outRoot: string;
const rows: string[] = [];
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-cross-'));
});
afterAll(() => {
  rmSync(outRoot, { recursive: true, force: true });
  const table = [
    '| Fault | Rule | s | Failing cases | Rules with a MUST finding | Cascades (foreign findings / fails / unexplained errors) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  if (process.env.WSCONFORM_CROSS_CHECK_OUT)
    writeFileSync(process.env.WSCONFORM_CROSS_CHECK_OUT, `${table}\n`);
});

describe.skipIf(faults.length === 0)('every fault breaks only its own rule, across all cases', () => {
  for (const fault of faults) {
    it(`${fault} (${FAULTS[fault]?.rule})`, { timeout: 300_000 }, async () => {
      expect(Object.hasOwn(FAULTS, fault), `unknown fault ${fault}`).toBe(true);
      const protocols = faultProtocols(fault);
      const run = await runAgainst(
        outRoot,
        [fault],
        undefined,
        protocols.length === 1 ? { protocol: protocols[0] } : {},
      );
      const x = crossCheck(fault, run.cases);
      rows.push(
        `| \`${fault}\` | ${FAULTS[fault].rule} | ${(run.ms / 1000).toFixed(1)} | ${x.failing.length} | ${x.failingRules.join(' ') || '—'} | ${x.foreignFindings.length} / ${x.foreignFails.length} / ${x.unexplainedErrors.length} |`,
      );
      expect({
        foreignFindings: x.foreignFindings,
        foreignFails: x.foreignFails,
        unexplainedErrors: x.unexplainedErrors,
      }).toEqual({ foreignFindings: [], foreignFails: [], unexplainedErrors: [] });
    });
  }
});
