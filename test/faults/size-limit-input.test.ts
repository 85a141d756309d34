// C3's size limit is an input of the run (--max-message-size), not a hard-coded 1 MiB: the framing
// cases judge the limit they are given. With the embedded server configured to the same limit they
// pass; against a server that keeps its 1 MiB while the run says 4 KiB, a message of 4 KiB + 1 is
// accepted and FRAMING-110 fails (and the header check of FRAMING-109 is non-strict).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps, type RunDeps } from '../../cli/run-setup.js';
import { EMBEDDED } from '../../reference-server/embedded.js';
import { type ReportCase, silent } from './_cross-check.js';

const IDS = ['ATH-FRAMING-109', 'EVO-FRAMING-109', 'ATH-FRAMING-110', 'EVO-FRAMING-110'];
const LIMIT = 4096;

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-size-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

async function run(deps: RunDeps): Promise<Record<string, string>> {
  const out = mkdtempSync(join(outRoot, 'run-'));
  const argv = ['--case', IDS.join(','), '--max-message-size', String(LIMIT), '--quiet', '--out', out];
  await executeRun(parseRunArgs(argv), deps, silent);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
  return Object.fromEntries(report.cases.map((c) => [c.id, c.verdict]));
}

it('the framing cases pass against an embedded server given the same limit', {
  timeout: 60_000,
}, async () => {
  expect(await run(defaultDeps)).toEqual(Object.fromEntries(IDS.map((id) => [id, 'pass'])));
});

it('the framing cases use the run limit: a server still at 1 MiB fails 110', {
  timeout: 60_000,
}, async () => {
  const oneMiB: RunDeps = {
    ...defaultDeps,
    // the run's --max-message-size is not passed on: the server keeps the profile's 1 MiB
    startEmbedded: (o) =>
      startReferenceServer({
        origins: [o.originAllowed],
        jwtSecret: o.jwtSecret,
        authTimeoutMs: EMBEDDED.authTimeoutMs,
        jwtLeewaySec: EMBEDDED.jwtLeewaySec,
      }),
  };
  expect(await run(oneMiB)).toEqual({
    'ATH-FRAMING-109': 'non-strict',
    'EVO-FRAMING-109': 'non-strict',
    'ATH-FRAMING-110': 'fail',
    'EVO-FRAMING-110': 'fail',
  });
});
