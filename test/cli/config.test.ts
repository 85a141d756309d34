import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRunArgs, type RunArgSources } from '../../cli/args.js';
import { CONFIG_FILE_NAME, configKeys, loadConfigFile, parseConfig } from '../../cli/config-file.js';
import { main } from '../../cli/main.js';
import { executeRun } from '../../cli/run.js';
import { configFor, type RunDeps } from '../../cli/run-setup.js';
import { UsageError } from '../../src/util/usage.js';
import type { CaseContext } from '../../src/engine/types.js';
import { fakeAdapter, fakeCase, testConfig } from '../engine/_fakes.js';
import { startEchoServer, type TestServer } from '../wire/_servers.js';

// wsconform.config.json (issue 9 §7): long flag names as keys, jwt-secret-env, flags override the
// file, unknown keys and bad values are bad usage (exit 2) with one line naming the problem;
// --max-message-size and --binary-formats reach the cases' RunConfig.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wsconform-config-'));
  dirs.push(d);
  return d;
}

/** Writes `content` (JSON unless a string) as `name` in a fresh folder; returns the path. */
function writeJson(content: unknown, name = CONFIG_FILE_NAME, dir = tempDir()): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

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

const sources = (env: Record<string, string> = {}, cwd = tempDir()): RunArgSources => ({
  config: (p) => loadConfigFile(p, cwd),
  env,
});

describe('the config file is bad usage (exit 2, one line naming the problem)', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown key', { target: 'ws://h:1/ws', 'rate-msg': 5 }, /unknown key 'rate-msg'/],
    [
      'a misspelt key, with a hint',
      { rate_msgs: 5 },
      /unknown key 'rate_msgs' \(did you mean 'rate-msgs'\?\)/,
    ],
    ['the secret itself', { 'jwt-secret': 'hunter2' }, /'jwt-secret' is not allowed .*"jwt-secret-env"/],
    ['a flag that is no setting', { list: true }, /unknown key 'list'/],
    ['a wrong type', { 'rate-msgs': 'many' }, /key 'rate-msgs' must be integer/],
    ['zero', { 'rate-msgs': 0 }, /key 'rate-msgs' must be >= 1/],
    [
      'an unknown suite',
      { suite: ['auth', 'nope'] },
      /key 'suite' at \/1 must be equal to one of the allowed values/,
    ],
    ['a non-ws target', { target: 'http://h/ws' }, /key 'target' must match pattern/],
    ['a zero max-message-size', { 'max-message-size': 0 }, /key 'max-message-size' must be >= 1/],
    ['an unknown binary format', { 'binary-formats': ['msgpack', 'json'] }, /key 'binary-formats' at \/1/],
    ['an array', [], /the file must be object/],
    ['broken JSON', '{"target": ', /is not valid JSON/],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const path = writeJson(content);
      const r = await cli(['run', '--config', path]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^wsconform run: /);
      expect(r.stderr).toMatch(message);
      if (typeof content === 'object' && !Array.isArray(content)) expect(r.stderr).toContain(path);
    });
  }

  it('a --config file that does not exist', async () => {
    const r = await cli(['run', '--config', join(tempDir(), 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wsconform run: cannot read config file .*missing\.json: ENOENT\n$/);
  });

  it('--help needs no config file, even a broken one', async () => {
    const r = await cli(['run', '--help', '--config', writeJson({ bogus: 1 })]);
    expect(r.code).toBe(0);
    for (const flag of [
      '--config',
      '--expected-failures',
      '--max-message-size',
      '--binary-formats',
      '--jwt-secret-env',
    ])
      expect(r.stdout).toContain(flag);
  });
});

describe('reading the config', () => {
  it('accepts every key of the schema, each as its flag would', () => {
    const full = {
      $schema: './node_modules/wsconform/spec/config.schema.json',
      target: ['ws://a:1/ws', 'wss://b/v1/evolution'],
      protocol: 'atheria',
      suite: 'auth,framing',
      case: 'ATH-*',
      'jwt-secret-env': 'SECRET',
      'origin-allowed': 'https://o',
      'rate-msgs': 5,
      'rate-conns': 2,
      'rate-bytes': 1000,
      'auth-timeout-ms': 500,
      'max-message-size': 65536,
      'binary-formats': ['cbor'],
      seed: -7,
      runs: 20,
      strict: true,
      out: 'reports',
      quiet: true,
      image: 'img',
      'container-port': 8000,
      concurrency: 3,
      'timeout-scale': 2.5,
      echo: true,
      'expected-failures': { 'ATH-FRAMING-001': 'known' },
    };
    // the test names every key: a key added to the schema without a test fails here
    expect(Object.keys(full).sort()).toEqual([...configKeys()].sort());
    const dir = tempDir();
    const path = writeJson(full, CONFIG_FILE_NAME, dir);
    const a = parseRunArgs(['--config', path], sources({ SECRET: 's3cret' }));
    expect(a).toMatchObject({
      targets: ['ws://a:1/ws', 'wss://b/v1/evolution'],
      protocol: 'atheria',
      suites: ['auth', 'framing'],
      caseGlob: 'ATH-*',
      jwtSecret: 's3cret',
      originAllowed: 'https://o',
      rateMsgs: 5,
      rateConns: 2,
      rateBytes: 1000,
      authTimeoutMs: 500,
      maxMessageBytes: 65536,
      binaryFormats: ['cbor'],
      seed: -7,
      runs: 20,
      strict: true,
      out: join(dir, 'reports'),
      quiet: true,
      image: 'img',
      containerPort: 8000,
      concurrency: 3,
      timeoutScale: 2.5,
      echo: true,
      expectedFailures: { kind: 'inline', entries: { 'ATH-FRAMING-001': 'known' }, from: path },
      configFile: path,
    });
  });

  it('reads ./wsconform.config.json from the working directory, and nothing when there is none', () => {
    const cwd = tempDir();
    expect(loadConfigFile(undefined, cwd)).toBeUndefined();
    expect(parseRunArgs([], sources({}, cwd)).rateMsgs).toBeUndefined();
    writeJson({ 'rate-msgs': 9, 'expected-failures': 'known.json' }, CONFIG_FILE_NAME, cwd);
    const a = parseRunArgs([], sources({}, cwd));
    expect(a.rateMsgs).toBe(9);
    expect(a.configFile).toBe(CONFIG_FILE_NAME);
    // a file name in the config is relative to the config's folder
    expect(a.expectedFailures).toEqual({ kind: 'file', path: join(cwd, 'known.json') });
  });

  it('paths in a --config file elsewhere are relative to that file', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'ci'));
    writeJson({ out: 'report', 'expected-failures': 'known.json' }, CONFIG_FILE_NAME, join(cwd, 'ci'));
    const a = parseRunArgs(['--config', `ci/${CONFIG_FILE_NAME}`], sources({}, cwd));
    expect(a.out).toBe(join('ci', 'report'));
    expect(a.expectedFailures).toEqual({ kind: 'file', path: join(cwd, 'ci', 'known.json') });
  });

  it('flags on the command line override the file, a repeatable flag replaces its array', () => {
    const path = writeJson({
      target: ['ws://file-a:1/ws', 'ws://file-b:1/ws'],
      suite: ['auth'],
      'rate-msgs': 5,
      'rate-conns': 4,
      'expected-failures': { X: 'y' },
    });
    const a = parseRunArgs(
      ['--config', path, '--target', 'ws://cli:2/ws', '--rate-msgs', '7', '--expected-failures', 'cli.json'],
      sources(),
    );
    expect(a.targets).toEqual(['ws://cli:2/ws']);
    expect(a.rateMsgs).toBe(7);
    expect(a.rateConns).toBe(4);
    expect(a.suites).toEqual(['auth']);
    expect(a.expectedFailures).toEqual({ kind: 'file', path: 'cli.json' });
  });

  it('a value from the file goes through the checks of its flag', () => {
    const path = writeJson({ image: 'img' });
    expect(() => parseRunArgs(['--config', path], sources())).toThrow(/--image needs --container-port/);
  });
});

describe('jwt-secret-env', () => {
  it('reads the secret from the environment variable the file names', () => {
    const path = writeJson({ 'jwt-secret-env': 'TEAM_JWT' });
    expect(parseRunArgs(['--config', path], sources({ TEAM_JWT: 'from-env' })).jwtSecret).toBe('from-env');
    // the flag of the same name, and --jwt-secret, override the file
    expect(
      parseRunArgs(['--config', path, '--jwt-secret-env', 'OTHER'], sources({ TEAM_JWT: 'a', OTHER: 'b' }))
        .jwtSecret,
    ).toBe('b');
    expect(parseRunArgs(['--config', path, '--jwt-secret', 'c'], sources({ TEAM_JWT: 'a' })).jwtSecret).toBe(
      'c',
    );
  });

  it('an unset variable is bad usage naming it', async () => {
    const path = writeJson({ 'jwt-secret-env': 'WSCONFORM_TEST_UNSET_VAR' });
    delete process.env.WSCONFORM_TEST_UNSET_VAR;
    const r = await cli(['run', '--config', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^wsconform run: .* names the environment variable WSCONFORM_TEST_UNSET_VAR, which is not set/,
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // --list reaches no target and needs no secret
    expect(
      (await cli(['run', '--config', path, '--list', '--protocol', 'evolution', '--suite', 'auth'])).code,
    ).toBe(0);
    expect(() => parseRunArgs(['--jwt-secret', 'a', '--jwt-secret-env', 'B'], sources({ B: 'b' }))).toThrow(
      UsageError,
    );
  });

  it('the secret from the environment reaches the run, and never the report', async () => {
    const server: TestServer = await startEchoServer();
    try {
      const out = tempDir();
      const path = writeJson({ 'jwt-secret-env': 'TEAM_JWT', out, quiet: true, seed: 3 });
      let seen: string | undefined;
      const probe = fakeCase(async (ctx: CaseContext) => {
        seen = ctx.config.jwtSecret;
        ctx.require(ctx.config.jwtSecret !== undefined, 'no secret');
      });
      const deps: RunDeps = {
        adapters: async () => ({ evolution: fakeAdapter() }),
        protocolFromUrl: async () => 'evolution',
        loadCases: async () => [probe],
        serverMessageTypes: async () => () => [],
        defaultLimits: async () => testConfig.limits,
        startEmbedded: async () => Promise.reject(new Error('not used')),
        startContainer: async () => Promise.reject(new Error('not used')),
      };
      const sink = { stdout: { write: () => true }, stderr: { write: () => true } };
      const args = parseRunArgs(
        ['--config', path, '--target', server.url()],
        sources({ TEAM_JWT: 'env-secret-1' }),
      );
      expect(await executeRun(args, deps, sink)).toBe(0);
      expect(seen).toBe('env-secret-1');
      const report = readFileSync(join(out, 'report.json'), 'utf8');
      expect(JSON.parse(report).inputs.jwtSecret).toBe(true);
      expect(report).not.toContain('env-secret-1');
    } finally {
      await server.close();
    }
  });
});

describe('--max-message-size and --binary-formats', () => {
  for (const bad of ['0', 'abc', '-5', '1.5', String(2 ** 30 + 1)]) {
    it(`--max-message-size ${bad} exits 2 naming the flag`, async () => {
      const r = await cli(['run', `--max-message-size=${bad}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `wsconform run: --max-message-size takes a whole number of bytes from 1 to ${2 ** 30}, got '${bad}'\n`,
      );
    });
  }

  it('--binary-formats takes msgpack, cbor or both', async () => {
    expect(parseRunArgs([]).binaryFormats).toEqual(['msgpack', 'cbor']);
    expect(parseRunArgs(['--binary-formats', 'cbor']).binaryFormats).toEqual(['cbor']);
    expect(parseRunArgs(['--binary-formats', 'cbor,msgpack']).binaryFormats).toEqual(['msgpack', 'cbor']);
    for (const bad of ['json', '', 'msgpack,,json']) {
      const r = await cli(['run', `--binary-formats=${bad}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^wsconform run: --binary-formats takes msgpack, cbor or msgpack,cbor, got '.*'\n$/,
      );
    }
  });

  it('both reach the RunConfig of the cases (profile limits otherwise)', async () => {
    const deps = { defaultLimits: async () => testConfig.limits } as unknown as RunDeps;
    const setup = { targets: [], embedded: false, close: async () => {} };
    const target = { url: 'ws://h:1/x', protocol: 'evolution' as const };
    const given = parseRunArgs(['--max-message-size', '4096', '--binary-formats', 'msgpack']);
    const c = await configFor(target, given, setup, { seed: 1, runs: 1 }, deps);
    expect(c.limits.maxMessageBytes).toBe(4096);
    expect(c.binaryFormats).toEqual(['msgpack']);
    const d = await configFor(target, parseRunArgs([]), setup, { seed: 1, runs: 1 }, deps);
    expect(d.limits.maxMessageBytes).toBe(testConfig.limits.maxMessageBytes);
    expect(d.binaryFormats).toEqual(['msgpack', 'cbor']);
    // from the file too
    const path = writeJson({ 'max-message-size': 2048, 'binary-formats': 'cbor' });
    const f = await configFor(
      target,
      parseRunArgs(['--config', path], sources()),
      setup,
      { seed: 1, runs: 1 },
      deps,
    );
    expect(f.limits.maxMessageBytes).toBe(2048);
    expect(f.binaryFormats).toEqual(['cbor']);
  });
});

describe('parseConfig', () => {
  it('is what the loader uses: the same messages for an object given directly', () => {
    expect(() => parseConfig({ nope: 1 }, 'x.json')).toThrow(/^x\.json: unknown key 'nope'/);
    expect(parseConfig({ strict: false, suite: 'auth' }, 'x.json').values).toEqual({
      strict: false,
      suite: ['auth'],
    });
  });
});

describe('the embedded server gets --max-message-size too', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('startEmbedded receives it', async () => {
    const got: (number | undefined)[] = [];
    const deps: RunDeps = {
      adapters: async () => ({ evolution: fakeAdapter() }),
      protocolFromUrl: async () => 'evolution',
      loadCases: async () => [fakeCase(async () => {})],
      serverMessageTypes: async () => () => [],
      defaultLimits: async () => testConfig.limits,
      startEmbedded: async (o) => {
        got.push(o.maxMessageBytes);
        return { url: (p) => server.url(p), close: async () => {} };
      },
      startContainer: async () => Promise.reject(new Error('not used')),
    };
    const sink = { stdout: { write: () => true }, stderr: { write: () => true } };
    const args = parseRunArgs(['--max-message-size', '777', '--out', tempDir(), '--quiet']);
    expect(await executeRun(args, deps, sink)).toBe(0);
    expect(got).toEqual([777]);
  });
});

describe('the examples are valid', () => {
  const root = new URL('../../', import.meta.url).pathname;

  it('examples/ci: the config file loads and its expected failures name real cases', async () => {
    const { loadCases } = await import('../../src/engine/registry.js');
    const { loadExpectedFailures } = await import('../../cli/expected-failures.js');
    const a = parseRunArgs([], {
      config: (p) => loadConfigFile(p, join(root, 'examples/ci')),
      env: { CONFORMANCE_JWT_SECRET: 'x' },
    });
    expect(a.targets).toHaveLength(2);
    expect(a.jwtSecret).toBe('x');
    expect(a.expectedFailures?.kind).toBe('file');
    const ef = loadExpectedFailures(a.expectedFailures as NonNullable<typeof a.expectedFailures>);
    const ids = new Set((await loadCases()).map((c) => c.id));
    expect(Object.keys(ef.entries).length).toBeGreaterThan(0);
    for (const id of Object.keys(ef.entries)) expect(ids, id).toContain(id);
  });

  it('README: every JSON block of the CI-gate section is a valid config or expected-failures file', async () => {
    const { loadCases } = await import('../../src/engine/registry.js');
    const { readExpectedFailuresFile } = await import('../../cli/config-file.js');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section =
      readme.split('## A CI gate for a server with known deviations')[1]?.split('\n## ')[0] ?? '';
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? ''));
    expect(blocks).toHaveLength(2);
    expect(() => parseConfig(blocks[0], CONFIG_FILE_NAME)).not.toThrow();
    const entries = readExpectedFailuresFile(writeJson(blocks[1], 'known.json'));
    const ids = new Set((await loadCases()).map((c) => c.id));
    for (const id of Object.keys(entries)) expect(ids, id).toContain(id);
  });
});

describe('--max-message-size reaches the real C3 size case', () => {
  const sink = { stdout: { write: () => true }, stderr: { write: () => true } };
  const verdictOf = (out: string, id: string) =>
    (
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        cases: { id: string; verdict: string }[];
      }
    ).cases.find((c) => c.id === id)?.verdict;

  it('embedded: the reference server gets the same limit, so the case passes at 64 KiB', async () => {
    const { defaultDeps } = await import('../../cli/run-setup.js');
    const out = tempDir();
    const args = parseRunArgs([
      ...['--protocol', 'atheria', '--case', 'ATH-FRAMING-110', '--max-message-size', '65536'],
      ...['--out', out, '--quiet'],
    ]);
    expect(await executeRun(args, defaultDeps, sink)).toBe(0);
    expect(verdictOf(out, 'ATH-FRAMING-110')).toBe('pass');
  }, 60_000);

  it('a target whose limit is 1 MiB fails the case when told 64 KiB: the case uses the flag', async () => {
    const { defaultDeps } = await import('../../cli/run-setup.js');
    const { startReferenceServer } = await import('../../reference-server/index.js');
    const server = await startReferenceServer({});
    try {
      const out = tempDir();
      const args = parseRunArgs([
        ...['--target', server.url('/ws'), '--case', 'ATH-FRAMING-110', '--max-message-size', '65536'],
        ...['--out', out, '--quiet'],
      ]);
      expect(await executeRun(args, defaultDeps, sink)).toBe(1);
      expect(verdictOf(out, 'ATH-FRAMING-110')).toBe('fail');
    } finally {
      await server.close();
    }
  }, 60_000);
});
