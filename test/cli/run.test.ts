import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { main } from '../../cli/main.js';
import { replayVerb } from '../../cli/replay.js';
import { executeRun } from '../../cli/run.js';
import { type RunDeps, setupTargets } from '../../cli/run-setup.js';
import { UsageError } from '../../src/util/usage.js';
import { EMBEDDED } from '../../reference-server/embedded.js';
import type { CaseContext, CaseDefinition } from '../../src/engine/types.js';
import { fakeAdapter, fakeCase, testConfig } from '../engine/_fakes.js';
import { reportErrors } from '../reports/_schema.js';
import { closedPort, startEchoServer, type TestServer } from '../wire/_servers.js';

/** Runs the CLI and captures what it writes. */
async function cli(argv: string[]) {
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(argv);
    return {
      code,
      stderr: err.mock.calls.map((c) => String(c[0])).join(''),
      stdout: out.mock.calls.map((c) => String(c[0])).join(''),
    };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

describe('bad usage exits 2 with one line on stderr', () => {
  for (const argv of [
    ['run', '--bogus'],
    ['run', '--protocol', 'mqtt'],
    ['run', '--suite', 'handshake,nope'],
    ['run', '--target', 'http://127.0.0.1:1/ws'],
    ['run', '--image', 'some/image'],
    ['run', '--runs', '0'],
    ['run', '--seed', 'abc'],
    ['replay', 'only-one-arg'],
    ['replay', '/nonexistent/report.json', 'EVO-AUTH-001'],
  ]) {
    it(argv.join(' '), async () => {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^wsconform (run|replay): \S/);
    });
  }

  it('an unreachable target (with --protocol) says the server is not running', async () => {
    const port = await closedPort();
    const r = await cli([
      'run',
      '--protocol',
      'evolution',
      '--target',
      `ws://127.0.0.1:${port}/v1/evolution`,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `wsconform run: cannot reach ws://127.0.0.1:${port}/v1/evolution: connection refused — is the server running?\n`,
    );
  });

  it('an unreachable target (protocol from the path) exits 2 with one line', async () => {
    const port = await closedPort();
    const r = await cli(['run', '--target', `ws://127.0.0.1:${port}/ws`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^wsconform run: cannot reach ws:\/\/127\.0\.0\.1:\d+\/ws: connection refused — is the server running\?\n$/,
    );
  });

  it('run --help prints the flags and exits 0', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--target',
      '--protocol',
      '--suite',
      '--case',
      '--jwt-secret',
      '--origin-allowed',
      '--rate-msgs',
      '--rate-conns',
      '--rate-bytes',
      '--seed',
      '--runs',
      '--strict',
      '--out',
      '--quiet',
      '--image',
      '--container-port',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('run --list prints the selected cases without reaching any target', async () => {
    const port = await closedPort();
    const r = await cli([
      'run',
      '--list',
      '--target',
      `ws://127.0.0.1:${port}/v1/evolution`,
      '--suite',
      'rate-limits',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^EVO-RATE-LIMITS-\d{3}\s+E10\s+rate-limits\s+\S/);
    const none = await cli(['run', '--list', '--case', 'NO-SUCH-*']);
    expect(none.code).toBe(2);
    expect(none.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('parseRunArgs', () => {
  it('reads every contract flag', () => {
    const a = parseRunArgs([
      '--target',
      'ws://h:1/ws',
      '--target',
      'wss://h/v1/evolution',
      '--protocol',
      'atheria',
      '--suite',
      'auth,framing',
      '--suite',
      'schema',
      '--case',
      'ATH-*',
      '--jwt-secret',
      's',
      '--origin-allowed',
      'https://o',
      '--rate-msgs',
      '5',
      '--rate-conns',
      '2',
      '--rate-bytes',
      '1000',
      '--seed=-7',
      '--runs',
      '20',
      '--strict',
      '--out',
      'r',
      '--quiet',
      '--image',
      'img',
      '--container-port',
      '8000',
    ]);
    expect(a).toMatchObject({
      targets: ['ws://h:1/ws', 'wss://h/v1/evolution'],
      protocol: 'atheria',
      suites: ['auth', 'framing', 'schema'],
      caseGlob: 'ATH-*',
      jwtSecret: 's',
      originAllowed: 'https://o',
      rateMsgs: 5,
      rateConns: 2,
      rateBytes: 1000,
      seed: -7,
      runs: 20,
      strict: true,
      out: 'r',
      quiet: true,
      image: 'img',
      containerPort: 8000,
    });
    expect(parseRunArgs([])).toMatchObject({
      targets: [],
      runs: 100,
      strict: false,
      out: './wsconform-report/',
      concurrency: 6,
      timeoutScale: 1,
    });
  });
});

describe('executeRun with fake protocol parts', () => {
  let server: TestServer;
  const dirs: string[] = [];
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(async () => {
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  afterEach(() => vi.restoreAllMocks());

  const outDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'wsconform-cli-'));
    dirs.push(d);
    return d;
  };
  const io = () => {
    const chunks = { stdout: '', stderr: '' };
    return {
      chunks,
      io: {
        stdout: { write: (t: string) => (chunks.stdout += t) },
        stderr: { write: (t: string) => (chunks.stderr += t) },
      },
    };
  };
  const failing = fakeCase(async (ctx: CaseContext) => {
    const conn = await ctx.connect();
    conn.sendJson({ type: 'hello' });
    ctx.require((await conn.next())?.type === 'goodbye', 'expected goodbye');
  });
  const soft = fakeCase(async (ctx: CaseContext) => {
    ctx.should(false, 'a SHOULD is not met');
  });
  const passing = fakeCase(async (ctx: CaseContext) => {
    const conn = await ctx.connect();
    conn.sendJson({ type: 'hello' });
    ctx.require((await conn.next())?.type === 'hello', 'expected hello');
  });
  const deps = (cases: CaseDefinition[], started: string[] = []): RunDeps => ({
    adapters: async () => ({ evolution: fakeAdapter() }),
    protocolFromUrl: async () => 'evolution',
    loadCases: async () => cases,
    serverMessageTypes: async () => () => ['hello'],
    defaultLimits: async () => testConfig.limits,
    startEmbedded: async (o) => {
      started.push(o.jwtSecret, o.originAllowed);
      return { url: (p) => server.url(p), close: async () => {} };
    },
    startContainer: async () => {
      throw new Error('no docker here');
    },
  });

  it('writes valid reports, prints the summary line, exits 1 on a failure', async () => {
    const out = outDir();
    const { io: sink, chunks } = io();
    const code = await executeRun(
      parseRunArgs(['--target', server.url(), '--out', out, '--seed', '7']),
      deps([failing, soft, passing]),
      sink,
    );
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(reportErrors(report)).toEqual([]);
    expect(report.seed).toBe(7);
    // 3 cases + the run-wide results EVO-SCHEMA-RECV-hello, -other and -extra-types (all pass)
    expect(report.summary).toEqual({
      pass: 4,
      fail: 1,
      nonStrict: 1,
      informational: 0,
      unimplemented: 0,
      error: 0,
    });
    expect(report.cases.map((c: { id: string }) => c.id)).toContain('EVO-SCHEMA-RECV-hello');
    expect(chunks.stdout).toMatch(/wsconform: FAIL — 6 cases: 4 pass, 1 fail, 1 non-strict.*seed 7/);
    for (const f of ['junit.xml', 'index.html', 'summary.md'])
      expect(readFileSync(join(out, f), 'utf8').length).toBeGreaterThan(0);
  });

  it('exits 0 when only a SHOULD failed, 1 under --strict; --quiet prints one line', async () => {
    const { io: sink, chunks } = io();
    const args = ['--target', server.url(), '--out', outDir(), '--quiet', '--suite', 'errors'];
    expect(await executeRun(parseRunArgs(args), deps([soft, passing]), sink)).toBe(0);
    expect(chunks.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(await executeRun(parseRunArgs([...args, '--strict']), deps([soft, passing]), sink)).toBe(1);
  });

  it('without --target starts the embedded server with the embedded inputs', async () => {
    const out = outDir();
    const started: string[] = [];
    const code = await executeRun(parseRunArgs(['--out', out, '--quiet']), deps([passing], started), io().io);
    expect(code).toBe(0);
    expect(started).toEqual([EMBEDDED.jwtSecret, EMBEDDED.originAllowed]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      embedded: true,
      inputs: { jwtSecret: true, originAllowed: EMBEDDED.originAllowed },
    });
    expect(JSON.stringify(report)).not.toContain(EMBEDDED.jwtSecret);
  });

  it('a filter that matches nothing is bad usage', async () => {
    const run = executeRun(
      parseRunArgs(['--target', server.url(), '--case', 'NOPE-*']),
      deps([passing]),
      io().io,
    );
    await expect(run).rejects.toThrow(UsageError);
  });

  it('replay re-runs one case of a report with its seed and exits as run', async () => {
    const out = outDir();
    await executeRun(
      parseRunArgs(['--target', server.url(), '--out', out, '--seed', '99', '--quiet']),
      deps([failing, passing]),
      io().io,
    );
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const failCode = await replayVerb([join(out, 'report.json'), failing.id], deps([failing, passing]));
    const passCode = await replayVerb([join(out, 'report.json'), passing.id], deps([failing, passing]));
    const printed = stdout.mock.calls.map((c) => String(c[0])).join('');
    expect(failCode).toBe(1);
    expect(passCode).toBe(0);
    expect(printed).toContain('with seed 99');
    expect(printed).toContain('verdict: FAIL');
    expect(printed).toContain('reason: expected goodbye');
    expect(printed).toMatch(/-> text \{"type":"hello"\}/);
    // every finding with its level and rule, the transcript entry it was made after marked as evidence
    expect(printed).toMatch(/findings \(rules in spec\/PROFILE\.md\):\n {4}#1 MUST [CAE]\d+: expected goodbye\n/);
    expect(printed).toMatch(/<- text \{"type":"hello"\} {2}◀ evidence of #1\n/);
    // and the report's own findings, to compare
    expect(printed).toMatch(/in the report: FAIL — expected goodbye\n {4}#1 MUST [CAE]\d+: expected goodbye\n/);
    await expect(replayVerb([join(out, 'report.json'), 'EVO-SCHEMA-RECV-hello'], deps([]))).rejects.toThrow(
      UsageError,
    );
  });
});

describe('--image', () => {
  const base: Omit<RunDeps, 'startContainer'> = {
    adapters: async () => ({ evolution: fakeAdapter() }),
    protocolFromUrl: async (url) => (url.endsWith('/x') ? 'evolution' : undefined),
    loadCases: async () => [],
    serverMessageTypes: async () => () => [],
    defaultLimits: async () => testConfig.limits,
    startEmbedded: async () => {
      throw new Error('not used');
    },
  };

  it('targets the mapped port of the container and stops it', async () => {
    let stopped = 0;
    const deps: RunDeps = {
      ...base,
      startContainer: async () => ({ host: 'localhost', port: 49153, stop: async () => void stopped++ }),
    };
    const given = await setupTargets(
      { targets: ['ws://example.test:8000/x'], image: 'img', containerPort: 8000 },
      deps,
    );
    expect(given.targets).toEqual([{ url: 'ws://localhost:49153/x', protocol: 'evolution' }]);
    await given.close();
    const defaults = await setupTargets({ targets: [], image: 'img', containerPort: 8000 }, deps);
    expect(defaults.targets).toEqual([{ url: 'ws://localhost:49153/x', protocol: 'evolution' }]);
    await defaults.close();
    expect(stopped).toBe(2);
    // a target whose protocol cannot be told still removes the container
    await expect(
      setupTargets({ targets: ['ws://h:1/unknown'], image: 'img', containerPort: 8000 }, deps),
    ).rejects.toThrow(UsageError);
    expect(stopped).toBe(3);
  });

  it('a container that cannot start is bad configuration (exit 2) with one line', async () => {
    const deps: RunDeps = {
      ...base,
      startContainer: async () =>
        Promise.reject(new Error('connect ENOENT /var/run/docker.sock\n  at stack')),
    };
    const err = await setupTargets({ targets: [], image: 'img', containerPort: 1 }, deps).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      'cannot start image img: connect ENOENT /var/run/docker.sock — is Docker running and the image name right?',
    );
  });
});
