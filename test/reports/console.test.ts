import { describe, expect, it } from 'vitest';
import { progressListener, summaryLine, summaryTable } from '../../reports/console.js';
import { fakeRecord } from './_record.js';

describe('terminal output', () => {
  it('progress rewrites one line, never wider than the terminal, and clears it at the end', () => {
    let written = '';
    const listener = progressListener({ write: (t: string) => (written += t), columns: 30 });
    const run = fakeRecord();
    listener({ type: 'run-start', startedAt: run.startedAt, seed: 1, targets: run.targets, total: 2 });
    listener({
      type: 'case-start',
      id: 'EVO-AUTH-001-with-a-very-long-name',
      protocol: 'evolution',
      suite: 'auth',
      target: 'x',
      started: 1,
      total: 2,
    });
    listener({ type: 'case-end', result: run.results[1]!, done: 1, total: 2 });
    listener({ type: 'run-end', run });
    const frames = written.split('\r\x1b[2K').filter(Boolean);
    expect(frames).toEqual(['[0/2] auth · EVO-AUTH-001-wit', '[1/2] auth · EVO-AUTH-001-wit']);
    expect(frames.every((f) => f.length <= 29)).toBe(true);
    expect(written.endsWith('\r\x1b[2K')).toBe(true);
    expect(written).not.toContain('\n');
  });

  it('the table counts per suite and lists failures; the summary line says FAIL or OK', () => {
    const run = fakeRecord();
    const table = summaryTable(run, false);
    expect(table).toMatch(/^suite\s+pass\s+fail\s+non-strict\s+info\s+unimpl\s+total$/m);
    expect(table).toMatch(/^all\s+1\s+2\s+1\s+1\s+2\s+7$/m);
    expect(table).toMatch(/^FAIL\s+EVO-AUTH-003 /m);
    expect(table).toMatch(/^NON-STRICT EVO-HEARTBEAT-002 /m);
    expect(summaryLine(run, false, 'out/')).toMatch(
      /^wsconform: FAIL — 7 cases: 1 pass, 2 fail, 1 non-strict, 1 informational, 2 unimplemented \(seed 42, 1\.2 s\) — report in out\/$/,
    );
    const ok = { ...run, summary: { ...run.summary, fail: 0 } };
    expect(summaryLine(ok, false, 'o')).toMatch(/^wsconform: OK/);
    expect(summaryLine(ok, true, 'o')).toMatch(/^wsconform: FAIL/);
  });
});
