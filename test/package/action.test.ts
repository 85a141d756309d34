// The GitHub Action (action.yml, issue 10 §4). No Actions runner here: the test runs the action's
// run step (scripts/action-run.sh) as the runner would — inputs as INPUT_* variables, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files — against the reference server, and checks that action.yml hands
// every input to it and that the README documents every input.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { packageRoot } from '../../src/util/package-root.js';

const root = packageRoot();
const action = readFileSync(join(root, 'action.yml'), 'utf8');
const SECRET = 'action-test-secret';

/** The input names of action.yml (the keys of its `inputs:` map). */
function inputNames(): string[] {
  const block = action.slice(action.indexOf('\ninputs:\n'), action.indexOf('\noutputs:\n'));
  return [...block.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1] as string);
}

interface StepRun {
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  status: number | null;
}

let dir: string;
let n = 0;

/**
 * Runs the action's run step with these inputs (INPUT_* names as action.yml maps them). Async: the
 * reference server runs in this process and must keep answering meanwhile.
 */
async function runStep(inputs: Record<string, string>, secret = ''): Promise<StepRun> {
  const cwd = mkdtempSync(join(dir, `step-${++n}-`));
  const output = join(cwd, 'github-output');
  const summary = join(cwd, 'github-summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WSCONFORM_BIN: join(root, 'bin/wsconform.js'),
    WSCONFORM_JWT_SECRET: secret,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const child = spawn(join(root, 'scripts/action-run.sh'), [], { cwd, env, timeout: 120_000 });
  let text = '';
  const collect = (d: Buffer) => {
    text += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { stdout: text, outputs, summary: readFileSync(summary, 'utf8'), status };
}

describe('action.yml', () => {
  it('hands every input but the install ones to the run step, and the README documents each', () => {
    const names = inputNames();
    expect(names).toEqual(
      expect.arrayContaining(['target', 'jwt-secret', 'suites', 'strict', 'expected-failures']),
    );
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## GitHub Action'));
    for (const name of names)
      expect(section, `README documents input ${name}`).toMatch(new RegExp(`\\| \`${name}\` \\|`));
    const runStepEnv = action.slice(
      action.indexOf('- name: wsconform run'),
      action.indexOf('- name: Upload'),
    );
    for (const name of names.filter(
      (x) => !['jwt-secret', 'working-directory', 'artifact-name', 'node-version', 'package'].includes(x),
    ))
      expect(runStepEnv).toContain(`INPUT_${name.toUpperCase().replace(/-/g, '_')}: \${{ inputs.${name} }}`);
    expect(runStepEnv).toContain(`WSCONFORM_JWT_SECRET: \${{ inputs.jwt-secret }}`);
    // the examples use the action instead of a copy of its steps
    expect(readFileSync(join(root, 'examples/ci/github-actions.yml'), 'utf8')).toMatch(/uses: .*wsconform@/);
  });
});

describe('the run step (scripts/action-run.sh)', () => {
  let faulty: Awaited<ReturnType<typeof startReferenceServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsconform-action-'));
    faulty = await startReferenceServer({ port: 0, jwtSecret: SECRET, faults: ['pong-wrong-payload'] });
  });
  afterAll(async () => {
    await faulty?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a target: the embedded server, exit code 0, summary.md as the job summary', async () => {
    const r = await runStep({ suites: 'heartbeat', strict: 'true' });
    expect(r.status).toBe(0);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.outputs['report-dir']).toMatch(/^\/.*\/wsconform-report$/);
    expect(r.summary).toMatch(/^# wsconform report\n\n\*\*PASSED\*\*/);
    const report = JSON.parse(readFileSync(join(r.outputs['report-dir'] as string, 'report.json'), 'utf8'));
    expect(report.strict).toBe(true);
    expect(report.cases.every((c: { suite: string }) => c.suite === 'heartbeat')).toBe(true);
  });

  it('a failing target: exit code 1 as an output (the step itself succeeds, so the report is uploaded)', async () => {
    const r = await runStep({ target: faulty.url('/ws'), suites: 'heartbeat' }, SECRET);
    expect(r.status).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.summary).toMatch(/\*\*FAILED\*\*/);
    expect(r.summary).toMatch(/ATH-HEARTBEAT-100/);
    const failing = JSON.parse(readFileSync(join(r.outputs['report-dir'] as string, 'report.json'), 'utf8'));
    expect(
      failing.cases.map((c: { id: string; verdict: string }) => `${c.id} ${c.verdict}`),
      r.stdout,
    ).toEqual(['ATH-HEARTBEAT-100 fail', 'ATH-HEARTBEAT-101 pass']);
    // the secret reaches wsconform through the environment, never the logged command line
    expect(r.stdout).toMatch(
      /^wsconform run --out wsconform-report --target ws:\/\/.* --jwt-secret-env WSCONFORM_JWT_SECRET/m,
    );
    expect(r.stdout).not.toContain(SECRET);
    const report = JSON.parse(readFileSync(join(r.outputs['report-dir'] as string, 'report.json'), 'utf8'));
    expect(report.inputs.jwtSecret).toBe(true);
  });

  it('expected failures, several targets, extra args and a relative out', async () => {
    const file = join(dir, 'expected.json');
    // the fault breaks C3 on both endpoints
    writeFileSync(
      file,
      JSON.stringify({ 'ATH-HEARTBEAT-100': 'pong payload bug (#1)', 'EVO-HEARTBEAT-100': 'same bug (#1)' }),
    );
    const r = await runStep(
      {
        target: `${faulty.url('/ws')}\n${faulty.url('/v1/evolution')}`,
        suites: 'heartbeat',
        'expected-failures': file,
        args: '--seed 42  --concurrency 2',
        out: 'reports/conformance',
      },
      SECRET,
    );
    expect(r.outputs['exit-code'], r.stdout).toBe('0');
    expect(r.outputs['report-dir']).toMatch(/\/reports\/conformance$/);
    const report = JSON.parse(readFileSync(join(r.outputs['report-dir'] as string, 'report.json'), 'utf8'));
    expect(report.seed).toBe(42);
    expect(report.targets.map((t: { protocol: string }) => t.protocol)).toEqual(['atheria', 'evolution']);
    expect(report.cases.find((c: { id: string }) => c.id === 'ATH-HEARTBEAT-100').expectedFailure).toBe(
      'pong payload bug (#1)',
    );
  });

  it('bad input and an unreachable target: exit code 2, said in the log and the job summary', async () => {
    const strict = await runStep({ strict: 'yes' });
    expect(strict.outputs['exit-code']).toBe('2');
    expect(strict.stdout).toMatch(/::error title=wsconform::input 'strict' takes true or false, got 'yes'/);
    const down = await runStep({ target: 'ws://127.0.0.1:9/ws' });
    expect(down.outputs['exit-code']).toBe('2');
    expect(down.stdout).toMatch(/cannot reach ws:\/\/127\.0\.0\.1:9\/ws/);
    expect(down.summary).toMatch(/exit code 2 before writing a report/);
  });
});
