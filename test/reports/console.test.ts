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

  it('progress counts fail and error apart', () => {
    let written = '';
    const listener = progressListener({ write: (t: string) => (written += t), columns: 200 });
    const run = fakeRecord();
    listener({
      type: 'run-start',
      startedAt: run.startedAt,
      seed: 1,
      targets: run.targets,
      total: run.results.length,
    });
    run.results.forEach((result, i) => {
      listener({ type: 'case-end', result, done: i + 1, total: run.results.length });
    });
    // (no case-start events here, so the case name is empty)
    expect(written.split('\r\x1b[2K').at(-1)).toBe('[10/10]  · 3 fail · 2 error');
  });

  it('the table counts per suite, error included; the summary line says FAIL or OK', () => {
    const run = fakeRecord();
    const table = summaryTable(run, false);
    expect(table).toMatch(/^suite\s+pass\s+fail\s+non-strict\s+info\s+unimpl\s+error\s+total$/m);
    expect(table).toMatch(/^subscriptions\s+0\s+0\s+0\s+0\s+0\s+2\s+2$/m);
    expect(table).toMatch(/^all\s+1\s+3\s+1\s+1\s+2\s+2\s+10$/m);
    expect(summaryLine(run, false, 'out/')).toMatch(
      /^wsconform: FAIL — 10 cases: 1 pass, 3 fail, 1 non-strict, 1 informational, 2 unimplemented, 2 error \(1 expected failure\) \(seed 42, 1\.2 s\) — report in out\/$/,
    );
    const ok = { ...run, results: run.results.filter((r) => r.verdict !== 'fail' && r.verdict !== 'error') };
    expect(summaryLine(ok, false, 'o')).toMatch(/^wsconform: OK/);
    expect(summaryLine(ok, true, 'o')).toMatch(/^wsconform: FAIL/);
    // an error alone fails the run: the case could not be judged
    const errorOnly = {
      ...run,
      results: run.results.filter((r) => r.verdict === 'error' || r.verdict === 'pass'),
    };
    expect(summaryLine(errorOnly, false, 'o')).toMatch(/^wsconform: FAIL/);
    // an expected failure alone does not
    const expectedOnly = { ...run, results: run.results.filter((r) => r.expectedFailure !== undefined) };
    expect(summaryLine(expectedOnly, false, 'o')).toMatch(/^wsconform: OK/);
  });

  it('identical findings are listed once for all the cases that share them, every other finding once each', () => {
    const table = summaryTable(fakeRecord(), false);
    const listed = table.split('\n').filter((l) => /^(FAIL|ERROR|NON-STRICT)\s/.test(l));
    expect(listed).toEqual([
      'FAIL       E2   2 cases: no error AUTH_FAILED within 1000 ms <script>alert(1)</script>',
      'FAIL       E9   EVO-ERRORS-004  property failed: an invalid subscribe got no error within 1000 ms',
      'ERROR           2 cases: precondition not met: authentication, see EVO-AUTH-001',
      'NON-STRICT E2   EVO-AUTH-003  the connection was not closed within 1 s',
      'NON-STRICT E3   EVO-HEARTBEAT-002  pong carries the server time',
    ]);
    expect(table).toContain('\n                EVO-AUTH-003, EVO-AUTH-004 (expected)\n');
    expect(table).toContain('\n                EVO-SUBSCRIPTIONS-003, EVO-SUBSCRIPTIONS-004\n');
  });

  it('twelve cases with one finding make one entry, their ids shortened', () => {
    const run = fakeRecord();
    const template = run.results.find((r) => r.id === 'EVO-ERRORS-004');
    if (!template) throw new Error('fixture changed');
    const many = Array.from({ length: 12 }, (_, i) => ({ ...template, id: `EVO-ERRORS-${String(100 + i)}` }));
    const table = summaryTable({ ...run, results: many }, false);
    expect(table.match(/^FAIL /gm)).toHaveLength(1);
    expect(table).toContain(
      'FAIL       E9   12 cases: property failed: an invalid subscribe got no error within 1000 ms',
    );
    expect(table).toContain('EVO-ERRORS-107, … and 4 more');
  });
});
