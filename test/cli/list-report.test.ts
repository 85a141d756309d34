// Issue 9 §3: `run --list` and the report hold the same results (the synthesized run-wide ones
// included), and the progress header counts the results the run will produce.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun, listCases } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';

const out = mkdtempSync(join(tmpdir(), 'wsconform-list-report-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function capture(tty = false) {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t), isTTY: tty },
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

describe('run --list lists what the report holds', () => {
  for (const [name, filters] of [
    ['atheria handshake and schema suites', ['--protocol', 'atheria', '--suite', 'handshake,schema']],
    ['a --case glob across both protocols', ['--case', 'EVO-HANDSHAKE-*,EVO-SCHEMA-RECV-*,ATH-HEARTBEAT-*']],
  ] as const) {
    it(name, { timeout: 180_000 }, async () => {
      const listed = capture();
      expect(await listCases(parseRunArgs(['--list', ...filters]), defaultDeps, listed.io)).toBe(0);
      const listIds = listed
        .stdout()
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]);
      // the synthesized results are listed
      expect(listIds.some((id) => id?.includes('-SCHEMA-RECV-'))).toBe(true);

      const dir = join(out, name.replace(/\W+/g, '-'));
      const ran = capture(true);
      await executeRun(parseRunArgs([...filters, '--runs', '3', '--out', dir]), defaultDeps, ran.io);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
        cases: { id: string }[];
      };
      const reportIds = report.cases.map((c) => c.id);
      expect([...listIds].sort()).toEqual([...reportIds].sort());

      // the header line and the progress counter both count every result of the report
      expect(ran.stdout()).toMatch(new RegExp(`^wsconform: ${report.cases.length} cases against `));
      const totals = new Set([...ran.stderr().matchAll(/\[\s*\d+\/(\d+)\]/g)].map((m) => Number(m[1])));
      expect([...totals]).toEqual([report.cases.length]);
    });
  }
});
