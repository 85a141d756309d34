import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { loadConfigFile } from '../../cli/config-file.js';
import {
  applyExpectedFailures,
  checkExpectedIds,
  loadExpectedFailures,
} from '../../cli/expected-failures.js';
import { main } from '../../cli/main.js';
import { expectationOf, runOutcome } from '../../src/engine/outcome.js';
import { executeRun } from '../../cli/run.js';
import type { RunDeps } from '../../cli/run-setup.js';
import { UsageError } from '../../src/util/usage.js';
import type { RunRecord } from '../../src/engine/events.js';
import type { CaseContext, CaseDefinition, CaseResult, Verdict } from '../../src/engine/types.js';
import { fakeAdapter, fakeCase, testConfig } from '../engine/_fakes.js';
import { closedPort, startEchoServer, type TestServer } from '../wire/_servers.js';

// --expected-failures (issue 9 §7, CLI-CONTRACT): a listed case that fails does not fail the run;
// a listed case that passes is "fixed" and fails the run under --strict; an id that matches no
// selected case is bad usage. And the exit codes: `error` fails the run like `fail`.

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'wsconform-ef-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function writeJson(content: unknown, name = 'expected-failures.json'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function cli(argv: string[]) {
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(argv), stderr: err.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

function result(id: string, verdict: Verdict, expectedFailure?: string): CaseResult {
  const r: CaseResult = {
    id,
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E9',
    title: id,
    target: 'ws://h/x',
    verdict,
    durationMs: 1,
    findings: [],
    transcript: [],
  };
  if (expectedFailure !== undefined) r.expectedFailure = expectedFailure;
  return r;
}

describe('the outcome of a run (exit code)', () => {
  const run = (...results: CaseResult[]) => ({ results });

  it('fail and error fail the run; non-strict only under --strict', () => {
    for (const v of ['fail', 'error'] as const) {
      expect(runOutcome(run(result('A', 'pass'), result('B', v)), false).exitCode).toBe(1);
    }
    for (const v of ['pass', 'informational', 'unimplemented'] as const) {
      expect(runOutcome(run(result('A', v)), true).exitCode).toBe(0);
    }
    expect(runOutcome(run(result('A', 'non-strict')), false).exitCode).toBe(0);
    expect(runOutcome(run(result('A', 'non-strict')), true).exitCode).toBe(1);
  });

  it('a listed case that fails (fail, error, non-strict) is an expected failure and does not fail the run', () => {
    for (const v of ['fail', 'error', 'non-strict'] as const) {
      const r = result('A', v, 'known');
      expect(expectationOf(r)).toBe('expected-failure');
      for (const strict of [false, true]) {
        const o = runOutcome(run(r, result('B', 'pass')), strict);
        expect(o).toMatchObject({ failed: false, exitCode: 0, failures: [], fixed: [] });
        expect(o.expected).toEqual([r]);
      }
    }
  });

  it('a listed case that passes is fixed: it fails the run under --strict only', () => {
    for (const v of ['pass', 'informational'] as const) {
      const r = result('A', v, 'known');
      expect(expectationOf(r)).toBe('fixed');
      expect(runOutcome(run(r), false)).toMatchObject({ exitCode: 0, fixed: [r] });
      expect(runOutcome(run(r), true)).toMatchObject({ exitCode: 1, fixed: [r] });
    }
    // not judged is neither: no proof that it is fixed
    const u = result('A', 'unimplemented', 'known');
    expect(expectationOf(u)).toBe('not-judged');
    expect(runOutcome(run(u), true)).toMatchObject({ exitCode: 0, fixed: [], expected: [] });
    expect(expectationOf(result('A', 'fail'))).toBeUndefined();
  });

  it('an unlisted failure still fails the run beside expected ones', () => {
    const o = runOutcome(run(result('A', 'fail', 'known'), result('B', 'fail')), false);
    expect(o.exitCode).toBe(1);
    expect(o.failures.map((r) => r.id)).toEqual(['B']);
  });
});

describe('applyExpectedFailures', () => {
  it('marks the listed results (every target), keeps verdicts and the summary, copies instead of mutating', () => {
    const a = result('A', 'fail');
    const a2 = { ...result('A', 'fail'), target: 'ws://other/x' };
    const b = result('B', 'pass');
    const record = { summary: { fail: 2 }, results: [a, a2, b] } as unknown as RunRecord;
    const out = applyExpectedFailures(record, { entries: { A: 'issue #12' }, from: 'f.json' });
    expect(out.results.map((r) => [r.id, r.verdict, r.expectedFailure])).toEqual([
      ['A', 'fail', 'issue #12'],
      ['A', 'fail', 'issue #12'],
      ['B', 'pass', undefined],
    ]);
    expect(out.summary).toBe(record.summary);
    expect(a.expectedFailure).toBeUndefined();
    expect(applyExpectedFailures(record, undefined)).toBe(record);
    // a result id such as 'constructor' does not find an inherited property of the entries
    const odd = { results: [result('constructor', 'fail')] } as unknown as RunRecord;
    expect(
      applyExpectedFailures(odd, { entries: { A: 'x' }, from: 'f' }).results[0]?.expectedFailure,
    ).toBeUndefined();
  });

  it('checkExpectedIds names every id that matches no selected case', () => {
    const ef = { entries: { A: 'x', NOPE: 'y', GONE: 'z' }, from: 'f.json' };
    expect(() => checkExpectedIds(ef, new Set(['A']))).toThrow(
      "f.json: 'NOPE', 'GONE' match no selected case — fix or remove them (wsconform run --list shows the ids)",
    );
    expect(() =>
      checkExpectedIds({ entries: { B: 'x' }, from: 'f.json' }, new Set(['A']), new Set(['A', 'B'])),
    ).toThrow(/'B' is not among the selected cases/);
    expect(() => checkExpectedIds({ entries: { A: 'x' }, from: 'f.json' }, new Set(['A']))).not.toThrow();
  });

  it('a malformed or missing file is bad usage', () => {
    expect(() => loadExpectedFailures({ kind: 'file', path: writeJson({ 'EVO-X-001': 5 }) })).toThrow(
      /entry 'EVO-X-001' must be string — write \{ "<case id>": "<why it fails>" \}/,
    );
    expect(() => loadExpectedFailures({ kind: 'file', path: writeJson(['EVO-X-001']) })).toThrow(
      /the file must be object/,
    );
    expect(() => loadExpectedFailures({ kind: 'file', path: join(tempDir(), 'none.json') })).toThrow(
      UsageError,
    );
  });
});

describe('executeRun with --expected-failures', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const failing = fakeCase(async (ctx: CaseContext) => {
    const conn = await ctx.connect();
    conn.sendJson({ type: 'hello' });
    ctx.require((await conn.next())?.type === 'goodbye', 'expected goodbye');
  });
  const passing = fakeCase(async (ctx: CaseContext) => {
    const conn = await ctx.connect();
    conn.sendJson({ type: 'hello' });
    ctx.require((await conn.next())?.type === 'hello', 'expected hello');
  });
  const erroring = fakeCase(async (ctx: CaseContext) => {
    ctx.precondition(false, 'an experiment loaded', 'EVO-CONTROL-001');
  });
  const soft = fakeCase(async (ctx: CaseContext) => {
    ctx.should(false, 'a SHOULD is not met');
  });
  const deps = (cases: CaseDefinition[]): RunDeps => ({
    adapters: async () => ({ evolution: fakeAdapter() }),
    protocolFromUrl: async () => 'evolution',
    loadCases: async () => cases,
    serverMessageTypes: async () => () => ['hello'],
    defaultLimits: async () => testConfig.limits,
    startEmbedded: async () => Promise.reject(new Error('not used')),
    startContainer: async () => Promise.reject(new Error('not used')),
  });
  const run = async (cases: CaseDefinition[], extra: string[]) => {
    let stdout = '';
    const sink = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } };
    const args = parseRunArgs(['--target', server.url(), '--out', tempDir(), '--seed', '5', ...extra]);
    const code = await executeRun(args, deps(cases), sink);
    return { code, stdout, last: stdout.trimEnd().split('\n').at(-1) ?? '' };
  };

  it('without the file: a failure exits 1, and so does a case that could not be judged (error)', async () => {
    expect((await run([failing, passing], ['--quiet'])).code).toBe(1);
    const e = await run([erroring, passing], ['--quiet']);
    expect(e.code).toBe(1);
    expect(e.last).toMatch(/^wsconform: FAIL — /);
  });

  it('a listed failing case does not fail the run, and is shown as an expected failure', async () => {
    const file = writeJson({
      [failing.id]: 'tracked in issue #12',
      [erroring.id]: 'no experiments on staging',
    });
    for (const strict of [[], ['--strict']]) {
      const r = await run([failing, erroring, passing], ['--expected-failures', file, ...strict]);
      expect(r.code).toBe(0);
      expect(r.last).toMatch(/^wsconform: OK — .*2 expected failures/);
      expect(r.stdout).toContain(failing.id);
    }
    // an unlisted failure beside it still fails the run
    const other = await run(
      [failing, erroring, passing, soft],
      ['--expected-failures', file, '--strict', '--quiet'],
    );
    expect(other.code).toBe(1);
  });

  it('a listed case that passes now is reported fixed, and fails the run under --strict', async () => {
    const file = writeJson({ [passing.id]: 'was broken before 2.3' });
    const lax = await run([passing], ['--expected-failures', file]);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toMatch(
      new RegExp(`FIXED\\s+${passing.id}\\s+.*remove it from the expected-failures file`),
    );
    const strict = await run([passing], ['--expected-failures', file, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.last).toMatch(/^wsconform: FAIL — /);
  });

  it('a listed synthesized schema result is a selected case', async () => {
    const file = writeJson({ 'EVO-SCHEMA-RECV-hello': 'our hello has an extra field' });
    expect((await run([passing], ['--expected-failures', file, '--quiet'])).code).toBe(0);
    // not when --suite leaves the schema results out
    await expect(run([passing], ['--expected-failures', file, '--suite', 'errors'])).rejects.toThrow(
      /'EVO-SCHEMA-RECV-hello' is not among the selected cases/,
    );
  });

  it('an id that matches no case is bad usage, before any case runs', async () => {
    const file = writeJson({ 'EVO-ERRORS-999': 'typo' });
    let ran = false;
    const spy = fakeCase(async () => {
      ran = true;
    });
    await expect(run([spy], ['--expected-failures', file])).rejects.toThrow(
      new UsageError(
        `${file}: 'EVO-ERRORS-999' matches no selected case — fix or remove it (wsconform run --list shows the ids)`,
      ),
    );
    expect(ran).toBe(false);
  });

  it('the config file may hold the object itself', async () => {
    const cfg = writeJson({ 'expected-failures': { [failing.id]: 'inline why' } }, 'wsconform.config.json');
    const args = parseRunArgs(['--config', cfg, '--target', server.url(), '--out', tempDir(), '--quiet'], {
      config: (p) => loadConfigFile(p, '/'),
    });
    const sink = { stdout: { write: () => true }, stderr: { write: () => true } };
    expect(await executeRun(args, deps([failing, passing]), sink)).toBe(0);
  });
});

describe('through the CLI with the real cases', () => {
  it('an unknown id exits 2 with one line naming it', async () => {
    const port = await closedPort();
    const file = writeJson({ 'EVO-AUTH-001': 'known', 'EVO-AUTH-9999': 'typo' });
    const r = await cli([
      'run',
      '--target',
      `ws://127.0.0.1:${port}/v1/evolution`,
      '--expected-failures',
      file,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `wsconform run: ${file}: 'EVO-AUTH-9999' matches no selected case — fix or remove it (wsconform run --list shows the ids)\n`,
    );
  });

  it('real ids pass the check (the run then stops at the unreachable target)', async () => {
    const port = await closedPort();
    const file = writeJson({ 'EVO-AUTH-001': 'known', 'EVO-SCHEMA-RECV-evolution_update': 'known' });
    const r = await cli([
      'run',
      '--target',
      `ws://127.0.0.1:${port}/v1/evolution`,
      '--expected-failures',
      file,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach .* connection refused/);
  });
});
