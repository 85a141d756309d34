import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';
import type { Verdict } from '../../src/engine/types.js';
import { type PublicAtheria, startPublicAtheria } from '../fixtures/public-atheria/server.js';
import type { FixtureOptions } from '../fixtures/public-atheria/simulation.js';

// `wsconform run --target <fixture>` through the real CLI code path, as a user would run it
// against the public Atheria backend; returns every result's verdict and reason.

export interface ReportCase {
  id: string;
  verdict: Verdict;
  reason?: string;
}

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

export async function runAgainstFixture(
  extraArgs: string[],
  fixture: FixtureOptions = {},
  /** looks at the fixture after the run, before it is closed */
  after?: (server: PublicAtheria) => void,
): Promise<{ code: number; cases: ReportCase[] }> {
  const server: PublicAtheria = await startPublicAtheria(fixture);
  const out = mkdtempSync(join(tmpdir(), 'wsconform-public-atheria-'));
  try {
    const argv = ['--target', server.url, '--quiet', '--seed', '42', '--out', out, ...extraArgs];
    const code = await executeRun(parseRunArgs(argv), defaultDeps, silent);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    after?.(server);
    return { code, cases: report.cases };
  } finally {
    await server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** `id: verdict` lines, with the reason where the verdict is not the expected one. */
export function table(cases: readonly ReportCase[], expected: Record<string, Verdict>): string[] {
  return cases.map((c) => {
    const want = expected[c.id];
    return `${c.id}: ${c.verdict}${want === c.verdict ? '' : ` (${c.reason ?? ''})`}`;
  });
}
