// Issue 10: the package as its users get it. One `npm pack` (of a copy of the sources, which it
// builds: package.json prepack; test/package/_pack.ts),
// one install of the tarball into an empty project, then every verb through `npx wsconform`, the
// API from a plain ESM script, its types from a TypeScript consumer, and wsconform/vitest (the
// shipped example file) against a reference server with a fault.
// The install is offline-first (`--prefer-offline`): after `npm ci` the npm cache holds every
// dependency, and the registry these machines reach may lack some.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { reportErrors } from '../reports/_schema.js';
import { type Packed, packCopy } from './_pack.js';

const root = packageRoot();
const work = mkdtempSync(join(tmpdir(), 'wsconform-pack-'));
const project = join(work, 'project');

/** The environment of the consumer's commands: none of this vitest run's own settings. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(VITEST|NODE_OPTIONS$|TEST$|npm_)/.test(k)),
);
env.npm_config_update_notifier = 'false';
env.NO_COLOR = '1';

let packed: Packed;
const timings: Record<string, number> = {};

function timed<T>(name: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    timings[name] = Math.round(performance.now() - t0);
  }
}

/** `npx ARGS` in the consumer project. */
function npx(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  return spawnSync('npx', args, {
    cwd: project,
    encoding: 'utf8',
    input: opts.input,
    env: { ...env, ...opts.env },
    timeout: opts.timeout ?? 120_000,
  });
}

/** Starts `npx wsconform serve ARGS` in its own process group; resolves with the port once LISTENING. */
function serve(args: string[]): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn('npx', ['wsconform', 'serve', '--port', '0', ...args], {
    cwd: project,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  closed.set(child, new Promise((resolve) => child.on('close', () => resolve())));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no LISTENING within 30 s: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
  });
}

/** When each started server's process has closed. */
const closed = new Map<ChildProcess, Promise<void>>();

/** SIGTERM to the whole group (npx does not forward it to the node process); resolves once closed. */
function stop(child: ChildProcess): Promise<void> {
  try {
    process.kill(-(child.pid as number), 'SIGTERM');
  } catch {
    // already gone
  }
  return closed.get(child) ?? Promise.resolve();
}

beforeAll(() => {
  packed = timed('pack', () => packCopy(work, env));
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const vitestVersion = (
    JSON.parse(readFileSync(join(root, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }
  ).version;
  timed('install', () =>
    execFileSync(
      'npm',
      [
        'install',
        packed.tgz,
        `vitest@${vitestVersion}`,
        'typescript@' +
          (
            JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')) as {
              version: string;
            }
          ).version,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      { cwd: project, env, timeout: 480_000, stdio: 'pipe' },
    ),
  );
}, 720_000);

afterAll(async () => {
  await Promise.all([...closed.keys()].map(stop));
  console.log(
    `package: ${packed?.filename} ${Math.round((packed?.size ?? 0) / 1000)} kB packed, ${Math.round((packed?.unpackedSize ?? 0) / 1000)} kB unpacked, ${packed?.entryCount} files; times (ms): ${JSON.stringify(timings)}`,
  );
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the compiled code, the declarations, spec/, README and LICENSE — not the tests or TS sources', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of [
      'bin/wsconform.js',
      'dist/cli/main.js',
      'dist/cli/api.js',
      'dist/cli/api.d.ts',
      'dist/cli/vitest.js',
      'dist/cli/vitest.d.ts',
      'dist/reference-server/index.js',
      'spec/PROFILE.md',
      'spec/report.schema.json',
      'spec/atheria/protocol.json',
      'spec/evolution/asyncapi.yaml',
      'README.md',
      'LICENSE',
      'examples/vitest/conformance.test.ts',
    ])
      expect(paths, p).toContain(p);
    expect(paths.some((p) => p.startsWith('dist/suites/heartbeat/') && p.endsWith('.js'))).toBe(true);
    expect(paths.filter((p) => p.startsWith('test/') || p.startsWith('dist/test/'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    const sources = paths.filter(
      (p) => p.endsWith('.ts') && !p.endsWith('.d.ts') && !p.startsWith('examples/'),
    );
    expect(sources).toEqual([]);
  });

  it('has its size stated in the README (within a third)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const m = /(\d+) kB packed, ([\d.]+) MB unpacked/.exec(readme);
    expect(m, 'README states "<n> kB packed, <n> MB unpacked"').not.toBeNull();
    const [packedKb, unpackedMb] = [Number(m?.[1]), Number(m?.[2])];
    expect(Math.abs(packed.size / 1000 - packedKb) / packedKb).toBeLessThan(1 / 3);
    expect(Math.abs(packed.unpackedSize / 1e6 - unpackedMb) / unpackedMb).toBeLessThan(1 / 3);
  });

  it('npx wsconform --help', () => {
    const r = npx(['wsconform', '--help']);
    expect(r.status).toBe(0);
    for (const verb of ['run', 'serve', 'validate', 'bench', 'replay', 'rules'])
      expect(r.stdout).toMatch(new RegExp(`wsconform ${verb} `));
    const version = npx(['wsconform', '--version']);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('npx wsconform run --suite heartbeat: the embedded target, a report that validates', () => {
    const r = timed('run heartbeat', () => npx(['wsconform', 'run', '--suite', 'heartbeat', '--quiet']));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/OK — \d+ cases/);
    const report = JSON.parse(readFileSync(join(project, 'wsconform-report/report.json'), 'utf8'));
    expect(reportErrors(report)).toEqual([]);
    expect(report.embedded).toBe(true);
    expect(report.cases.length).toBeGreaterThan(3);
    // the rule links of the report point into the installed package
    expect(readFileSync(join(project, 'wsconform-report/summary.md'), 'utf8')).toMatch(
      /node_modules\/wsconform\/spec\/PROFILE\.md/,
    );
  });

  it('npx wsconform serve --port 0: LISTENING, then SIGTERM ends it', async () => {
    const s = await serve([]);
    expect(s.port).toBeGreaterThan(0);
    await stop(s.child);
    // node's own exit status is not npx's, but nothing may be left listening
    const again = spawnSync(process.execPath, [
      '-e',
      `require('net').connect(${s.port},'127.0.0.1').on('connect',()=>process.exit(3)).on('error',()=>process.exit(0))`,
    ]);
    expect(again.status).toBe(0);
  });

  it('npx wsconform validate FILE: 0 for valid messages, 1 naming the invalid one', () => {
    const file = join(project, 'messages.jsonl');
    const valid = JSON.stringify({ scope: 'simulation', command: 'set_fps', args: { fps: 60 } });
    writeFileSync(file, `${valid}\n`);
    const ok = npx(['wsconform', 'validate', '--protocol', 'atheria', '--direction', 'client', file]);
    expect(ok.stdout).toMatch(/#1 valid simulation\.set_fps/);
    expect(ok.status).toBe(0);
    writeFileSync(file, `${valid}\n${valid.replace('60', '"fast"')}\n`);
    const bad = npx(['wsconform', 'validate', '--protocol', 'atheria', '--direction', 'client', file]);
    expect(bad.stdout).toMatch(/#2 invalid simulation\.set_fps: \/args\/fps/);
    expect(bad.status).toBe(1);
  });

  it('npx wsconform rules: the profile from the installed spec/PROFILE.md', () => {
    const all = npx(['wsconform', 'rules']);
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/^C1 +\d+ cases/m);
    expect(all.stdout).toMatch(/^E12 /m);
    const one = npx(['wsconform', 'rules', 'C3']);
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/ATH-HEARTBEAT-100/);
  });

  it("import { run } from 'wsconform' in a plain ESM script: a report that validates, typed errors", () => {
    writeFileSync(
      join(project, 'api.mjs'),
      `import { run, runFailed, listCases, WsconformOptionError } from 'wsconform';
const events = [];
const report = await run({ suite: 'heartbeat', onEvent: (e) => events.push(e.type) });
let optionError;
try { await run({ nope: 1 }); } catch (e) { optionError = { isTyped: e instanceof WsconformOptionError, option: e.option, message: e.message }; }
const planned = (await listCases({ suite: 'heartbeat' })).map((c) => c.id);
console.log(JSON.stringify({ report, failed: runFailed(report), events, optionError, planned }));
`,
    );
    const r = timed('api', () =>
      spawnSync(process.execPath, ['api.mjs'], { cwd: project, env, encoding: 'utf8', timeout: 120_000 }),
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(reportErrors(out.report)).toEqual([]);
    expect(out.report.embedded).toBe(true);
    expect(out.failed).toBe(false);
    expect(out.events[0]).toBe('run-start');
    expect(out.events.at(-1)).toBe('run-end');
    expect(out.events.filter((t: string) => t === 'case-end')).toHaveLength(out.report.cases.length);
    expect(out.planned.sort()).toEqual(out.report.cases.map((c: { id: string }) => c.id).sort());
    expect(out.optionError).toMatchObject({ isTyped: true, option: 'nope' });
    expect(out.optionError.message).toMatch(/unknown option 'nope'/);
  });

  it('ships declarations a TypeScript consumer compiles against (wsconform and wsconform/vitest)', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['typed.ts'],
      }),
    );
    writeFileSync(
      join(project, 'typed.ts'),
      `import { run, type Report, type RunOptions, WsconformOptionError } from 'wsconform';
import { conformanceTests } from 'wsconform/vitest';
const options: RunOptions = { target: 'ws://127.0.0.1:8000/ws', suite: ['heartbeat'], rateMsgs: 20, strict: true };
export const report: Promise<Report> = run(options);
export const verdict = (r: Report) => r.cases[0]?.findings[0]?.rule;
export const isOptionError = (e: unknown) => e instanceof WsconformOptionError && e.option.length > 0;
export const registered: Promise<void> = conformanceTests({ ...options, name: 'mine', testTimeout: 1000 });
// @ts-expect-error an option run() does not take
run({ rateMessages: 20 });
`,
    );
    const r = npx(['tsc', '-p', 'tsconfig.json']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  describe('wsconform/vitest: the shipped example file in the consumer project', () => {
    const vitestJson = (target: string) => {
      const file = join(project, `vitest-${Date.now()}.json`);
      const r = timed(`vitest ${target}`, () =>
        npx(['vitest', 'run', 'conformance.test.ts', '--reporter=json', `--outputFile=${file}`], {
          env: { WSCONFORM_TARGET: target, WSCONFORM_SUITES: 'heartbeat' },
          timeout: 180_000,
        }),
      );
      const json = JSON.parse(readFileSync(file, 'utf8')) as {
        testResults: {
          assertionResults: { title: string; status: string; failureMessages: string[] }[];
        }[];
      };
      return { status: r.status, tests: json.testResults.flatMap((f) => f.assertionResults) };
    };

    beforeAll(() => {
      copyFileSync(
        join(project, 'node_modules/wsconform/examples/vitest/conformance.test.ts'),
        join(project, 'conformance.test.ts'),
      );
    });

    it('a served fault is a failing test naming its case and rule; the other cases pass', {
      timeout: 240_000,
    }, async () => {
      const s = await serve(['--fault', 'pong-wrong-payload']);
      try {
        const { status, tests } = vitestJson(`ws://127.0.0.1:${s.port}/ws`);
        expect(status).toBe(1);
        expect(tests.length).toBeGreaterThan(1);
        const failed = tests.filter((t) => t.status === 'failed');
        expect(failed.map((t) => t.title)).toEqual([expect.stringMatching(/^ATH-HEARTBEAT-100 \(C3\) /)]);
        const message = failed[0]?.failureMessages.join('\n') ?? '';
        expect(message).toMatch(/MUST C3: a ping of .* got a pong of/);
        expect(message).toMatch(/transcript:\n {2}\[0\] \+\d+ms #1 → http GET \/ws/);
        expect(tests.filter((t) => t.status === 'passed').length).toBe(tests.length - 1);
      } finally {
        await stop(s.child);
      }
      // the same file against the faultless server: every test passes
      const clean = await serve([]);
      try {
        const { status, tests } = vitestJson(`ws://127.0.0.1:${clean.port}/ws`);
        expect(tests.map((t) => t.status)).toEqual(tests.map(() => 'passed'));
        expect(status).toBe(0);
      } finally {
        await stop(clean.child);
      }
    });

    it('an unreachable target is one failing test saying so, at once', () => {
      const t0 = performance.now();
      const { status, tests } = vitestJson('ws://127.0.0.1:9/ws');
      expect(status).toBe(1);
      expect(tests).toHaveLength(1);
      expect(tests[0]?.title).toBe('the target answers');
      expect(tests[0]?.failureMessages.join('\n')).toMatch(/cannot reach ws:\/\/127\.0\.0\.1:9\/ws/);
      expect(performance.now() - t0).toBeLessThan(60_000);
    });
  });
});
