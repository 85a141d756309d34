// Issue 9 §3: verdicts do not depend on scheduling. The full selection of both protocols against
// the embedded reference server (one shared Atheria simulation, one shared evolution run) gives
// the same verdict for every case at --concurrency 1 as at the default concurrency. Cases that
// change or rely on the shared state declare it (`exclusive` / `shares`, src/engine/runner.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';

const out = mkdtempSync(join(tmpdir(), 'wsconform-scheduling-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Case {
  id: string;
  target: string;
  verdict: string;
  reason?: string;
}

async function run(name: string, extra: string[]): Promise<Map<string, Case>> {
  const dir = join(out, name);
  const quiet = { write: () => true };
  await executeRun(parseRunArgs(['--seed', '7', '--quiet', '--out', dir, ...extra]), defaultDeps, {
    stdout: quiet,
    stderr: quiet,
  });
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { cases: Case[] };
  // one target per protocol: the id alone names a result
  return new Map(report.cases.map((c) => [c.id, c]));
}

it('every case has the same verdict at --concurrency 1 and at the default concurrency', {
  timeout: 900_000,
}, async () => {
  const serial = await run('serial', ['--concurrency', '1']);
  const parallel = await run('parallel', []);
  expect([...parallel.keys()].sort()).toEqual([...serial.keys()].sort());
  expect(serial.size).toBeGreaterThan(150);
  const differing = [...serial.values()]
    .filter((c) => parallel.get(c.id)?.verdict !== c.verdict)
    .map((c) => {
      const p = parallel.get(c.id);
      return `${c.id}: --concurrency 1 ${c.verdict} (${c.reason ?? ''}) / default ${p?.verdict} (${p?.reason ?? ''})`;
    });
  expect(differing, differing.join('\n')).toEqual([]);
});
