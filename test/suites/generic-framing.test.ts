// The generated RFC 6455 wire cases (suites/framing/table-*.ts, issue 12 §1), run through the CLI's
// own code path (executeRun) against the local `ws` echo server (test/fixtures/echo-server.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';
import { reportErrors } from '../reports/_schema.js';
import { loadCases } from '../../src/engine/registry.js';
import { NO_ECHO_FLAG, PROBE } from '../../suites/framing/_echo.js';
import { ECHO_CASE_IDS } from '../../suites/framing/_table.js';
import { startEchoServer, type EchoServer, type EchoServerOptions } from '../fixtures/echo-server.js';

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

interface ReportCase {
  id: string;
  verdict: string;
  reason?: string;
  refs?: { rfc: string; autobahn?: string };
}

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-generic-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** `wsconform run --protocol generic --suite framing --target <server> [extra]` through executeRun. */
async function runGeneric(
  server: EchoServer,
  extra: string[],
): Promise<{ code: number; cases: ReportCase[]; ms: number; out: string }> {
  const out = mkdtempSync(join(outRoot, 'run-'));
  const argv = [
    '--quiet',
    '--protocol',
    'generic',
    '--suite',
    'framing',
    '--target',
    server.url,
    '--out',
    out,
    ...extra,
  ];
  const t0 = performance.now();
  const code = await executeRun(parseRunArgs(argv), defaultDeps, silent);
  const ms = Math.round(performance.now() - t0);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
  return { code, cases: report.cases, ms, out };
}

async function withServer<T>(opts: EchoServerOptions, fn: (s: EchoServer) => Promise<T>): Promise<T> {
  const server = await startEchoServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** the permessage-deflate rows against a server that does not offer it (the default fixture) */
const deflateDeclined = (c: ReportCase) =>
  c.verdict === 'unimplemented' && /does not offer permessage-deflate/.test(c.reason ?? '');

const notOk = (cases: ReportCase[]) =>
  cases
    .filter((c) => !['pass', 'informational'].includes(c.verdict) && !deflateDeclined(c))
    .map((c) => `${c.id}: ${c.verdict} (${c.reason ?? ''})`);

describe('generic framing cases against a ws echo server', () => {
  it('with --echo: every case passes or is informational, several hundred cases under 60 s', {
    timeout: 120_000,
  }, async () => {
    const all = (await loadCases()).filter((c) => c.protocol === 'generic' && c.suite === 'framing');
    const { code, cases, ms, out } = await withServer({}, (s) => runGeneric(s, ['--echo']));
    console.log(`generic --echo framing run: ${cases.length} cases in ${ms} ms`);
    // the messages over 1 MiB (2 and 4 MiB, Autobahn 9.1.4-6, 9.2.4-6 and the 4 MiB of 9.3 / 9.4)
    // are over the default --max-message-size: the next test runs them with a larger one
    const overLimit = (c: ReportCase) =>
      c.verdict === 'unimplemented' && /over the target's --max-message-size/.test(c.reason ?? '');
    expect(cases.filter(overLimit).map((c) => c.id)).toEqual(
      cases
        .map((c) => c.id)
        .filter((id) => /^GEN-FRAMING-(x1\.[12]\.[23]|9\.[12]\.[4-6]|9\.[34]\.\d)$/.test(id)),
    );
    expect(cases.filter(overLimit)).toHaveLength(28);
    expect(notOk(cases.filter((c) => !overLimit(c)))).toEqual([]);
    expect(cases.length).toBe(all.length);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    // the report is valid and groups the wire cases by RFC section and Autobahn case
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    expect(reportErrors(report)).toEqual([]);
    expect(report.cases.find((c) => c.id === 'GEN-FRAMING-6.4.3')?.refs).toEqual({
      rfc: '8.1',
      autobahn: '6.4.3',
    });
    expect(report.cases.find((c) => c.id === 'GEN-FRAMING-x7.7.14')?.refs).toEqual({ rfc: '7.4.1' });
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(
      /Wire cases \(RFC 6455\)[\s\S]*<td>§8\.1<\/td>/,
    );
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/### By RFC 6455 section[\s\S]*\| §7\.4\.1 \| 16 \|/);
    expect(summary).toMatch(/### By Autobahn testsuite category[\s\S]*\| 6\. UTF-8 Handling \| \d+ \|/);
    expect(ms).toBeLessThan(60_000);
    expect(code).toBe(0);
  });
});

describe('the C4 cases that need no application protocol', () => {
  it('run for --protocol generic (with its handshake-and-ping canary) and pass against a ws echo server', {
    timeout: 120_000,
  }, async () => {
    const out = mkdtempSync(join(outRoot, 'run-'));
    const code = await withServer({}, (s) =>
      executeRun(
        parseRunArgs([
          '--quiet',
          '--protocol',
          'generic',
          '--suite',
          'security',
          '--target',
          s.url,
          '--out',
          out,
        ]),
        defaultDeps,
        silent,
      ),
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    expect(report.cases.map((c) => `${c.id}: ${c.verdict}`).sort()).toEqual(
      ['103', '104', '105', '106'].map((n) => `GEN-SECURITY-${n}: pass`),
    );
    expect(code).toBe(0);
  });
});

describe('permessage-deflate (RFC 7692)', () => {
  it('against a ws echo server that offers it, every deflate row passes', { timeout: 120_000 }, async () => {
    const { cases } = await withServer({ deflate: true }, (s) =>
      runGeneric(s, ['--echo', '--case', 'GEN-FRAMING-x12.*,GEN-FRAMING-x13.*']),
    );
    expect(cases.length).toBe(14);
    expect(
      cases.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict} (${c.reason ?? ''})`),
    ).toEqual([]);
  });

  it('against one that corrupts its echoes, the compressed text rows fail', {
    timeout: 120_000,
  }, async () => {
    const { cases } = await withServer({ deflate: true, corrupt: true }, (s) =>
      runGeneric(s, [
        '--echo',
        '--case',
        ['x12.1.1', 'x12.1.2', 'x12.1.3', 'x12.1.4', 'x12.2.1', 'x12.2.2']
          .map((k) => `GEN-FRAMING-${k}`)
          .join(','),
      ]),
    );
    expect(cases.map((c) => `${c.id}: ${c.verdict}`)).toEqual(
      ['x12.1.1', 'x12.1.2', 'x12.1.3', 'x12.1.4', 'x12.2.1', 'x12.2.2'].map((k) => `GEN-FRAMING-${k}: fail`),
    );
  });

  it('against one that does not, every deflate row is unimplemented', { timeout: 120_000 }, async () => {
    const { cases } = await withServer({}, (s) =>
      runGeneric(s, ['--echo', '--case', 'GEN-FRAMING-x12.*,GEN-FRAMING-x13.*']),
    );
    expect(cases.length).toBe(14);
    expect(cases.filter((c) => !deflateDeclined(c))).toEqual([]);
  });
});

describe('the big messages and round trips (Autobahn 9.x, up to --max-message-size)', () => {
  it('are echoed (16 MiB limit), the measures informational', { timeout: 300_000 }, async () => {
    const { cases, ms } = await withServer({}, (s) =>
      runGeneric(s, [
        '--echo',
        '--max-message-size',
        String(16 * 1024 * 1024),
        '--concurrency',
        '2',
        '--case',
        'GEN-FRAMING-9.*,GEN-FRAMING-x1.1.*,GEN-FRAMING-x1.2.*',
      ]),
    );
    console.log(`big messages and round trips: ${cases.length} cases in ${ms} ms`);
    expect(cases.length).toBe(42 + 8);
    expect(notOk(cases)).toEqual([]);
    // 9.3.1 / 9.4.1: 65536 fragments, over ws's documented maxFragments (16384): close 1008, noted
    expect(cases.find((c) => c.id === 'GEN-FRAMING-9.3.1')?.reason).toMatch(/refused with close 1008/);
  });
});

describe('generic framing cases without an echo', () => {
  const echoIds = () => [...ECHO_CASE_IDS].filter((id) => id.startsWith('GEN-'));

  it('without --echo: every echo case is unimplemented with one reason, every other case passes', {
    timeout: 120_000,
  }, async () => {
    await loadCases();
    const { code, cases } = await withServer({}, (s) => runGeneric(s, []));
    const echo = new Set(echoIds());
    const echoCases = cases.filter((c) => echo.has(c.id));
    expect(echoCases.length).toBe(echo.size);
    expect(new Set(echoCases.map((c) => `${c.verdict}: ${c.reason}`))).toEqual(
      new Set([`unimplemented: ${NO_ECHO_FLAG}`]),
    );
    expect(notOk(cases.filter((c) => !echo.has(c.id)))).toEqual([]);
    expect(code).toBe(0);
  });

  it('--echo against a server that does not echo: "the target does not echo", checked once, no fail', {
    timeout: 120_000,
  }, async () => {
    await loadCases();
    await withServer({ echo: false }, async (server) => {
      const { code, cases } = await runGeneric(server, ['--echo']);
      const echo = new Set(echoIds());
      const reasons = new Set(cases.filter((c) => echo.has(c.id)).map((c) => `${c.verdict}: ${c.reason}`));
      expect([...reasons]).toEqual([
        `unimplemented: the target does not echo (a text message got no echo within 2000 ms), although the run says --echo`,
      ]);
      expect(cases.filter((c) => c.verdict === 'fail' || c.verdict === 'error')).toEqual([]);
      // one echo check for the whole run
      expect(server.texts.get(PROBE)).toBe(1);
      expect(code).toBe(0);
    });
  });
});

describe('broken echo servers make the echo rows fail (the proof that they can)', () => {
  it('a server that does not check UTF-8 fails every invalid-UTF-8 case, and the valid ones pass', {
    timeout: 300_000,
  }, async () => {
    // each invalid case waits 2 s for a close that never comes: the split variants (a connection per
    // byte boundary) only for short sequences, and many cases at a time
    const all = (await loadCases()).filter((c) => c.protocol === 'generic' && /^GEN-FRAMING-6\./.test(c.id));
    const selected = all.filter(
      (c) => !c.id.endsWith('-split') || /^GEN-FRAMING-6\.(14\.[1-3]|20\.1)-/.test(c.id),
    );
    const { cases } = await withServer({ skipUtf8Validation: true }, (s) =>
      runGeneric(s, [
        '--echo',
        '--concurrency',
        '48',
        '--case',
        [...selected.map((c) => c.id), 'GEN-FRAMING-7.5.1'].join(','),
      ]),
    );
    const invalid = new Set(
      (await loadCases())
        .filter((c) => c.protocol === 'generic' && c.faults.includes('utf8-not-checked'))
        .map((c) => c.id),
    );
    const ran = cases.filter((c) => invalid.has(c.id));
    expect(ran.length).toBeGreaterThan(200);
    expect(ran.filter((c) => c.verdict !== 'fail').map((c) => `${c.id}: ${c.verdict}`)).toEqual([]);
    expect(notOk(cases.filter((c) => !invalid.has(c.id)))).toEqual([]);
  });

  it('a server that changes the last byte of each text echo fails every text echo case', {
    timeout: 120_000,
  }, async () => {
    const { cases } = await withServer({ corrupt: true }, (s) =>
      runGeneric(s, [
        '--echo',
        '--case',
        'GEN-FRAMING-1.1.*,GEN-FRAMING-5.*,GEN-FRAMING-6.5.*,GEN-FRAMING-6.22.*',
      ]),
    );
    const textEcho = cases.filter((c) => ECHO_CASE_IDS.has(c.id));
    expect(textEcho.length).toBeGreaterThan(100);
    // 1.1.1 is the empty message: nothing to change
    expect(
      textEcho
        .filter((c) => c.verdict !== 'fail' && c.id !== 'GEN-FRAMING-1.1.1')
        .map((c) => `${c.id}: ${c.verdict}`),
    ).toEqual([]);
  });
});

describe('the reference server endpoints', () => {
  it('pass every wire case that applies to them (ATH-/EVO-FRAMING table rows, embedded default)', {
    timeout: 300_000,
  }, async () => {
    const out = mkdtempSync(join(outRoot, 'run-'));
    const argv = ['--quiet', '--suite', 'framing', '--case', 'ATH-FRAMING-*.*,EVO-FRAMING-*.*', '--out', out];
    const t0 = performance.now();
    const code = await executeRun(parseRunArgs(argv), defaultDeps, silent);
    const ms = Math.round(performance.now() - t0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    console.log(`reference server, ATH+EVO table rows: ${report.cases.length} cases in ${ms} ms`);
    // every one passes: ws fails invalid UTF-8 only at the message end, which the fail-fast rows
    // (6.4.x) allow and note in the transcript
    expect(
      report.cases
        .filter((c) => c.verdict !== 'pass')
        .map((c) => `${c.id}: ${c.verdict} (${c.reason ?? ''})`),
    ).toEqual([]);
    expect(report.cases.length).toBeGreaterThan(600);
    expect(code).toBe(0);
  });
});
