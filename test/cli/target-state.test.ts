// Issue 9 §6 "Leave the target as you found it": a run against a target the user runs snapshots its
// observable state and puts it back at the end, after failing cases, after a harness error and
// after Ctrl-C. The state is looked at from outside the harness (_target-observer.ts).
import { execFileSync, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import type { RunningServer } from '../../reference-server/index.js';
import { main } from '../../cli/main.js';
import { defaultDeps } from '../../cli/run-setup.js';
import { Interrupted, type TargetStateReport, withTargetState } from '../../cli/target-state.js';
import type { RunRecord } from '../../src/engine/events.js';
import type { Target } from '../../src/engine/types.js';
import { packageRoot } from '../../src/util/package-root.js';
import { testConfig } from '../engine/_fakes.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  commandAtheria,
  controlEvolution,
  evolutionRunning,
  observeAtheria,
  untilAtheriaRuns,
} from './_target-observer.js';

const SECRET = 'target-state-secret';
const out = mkdtempSync(join(tmpdir(), 'wsconform-target-state-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(faults: string[] = []): Promise<{ ath: string; evo: string }> {
  server = await startReferenceServer({ jwtSecret: SECRET, faults });
  return { ath: server.url('/ws'), evo: server.url('/v1/evolution') };
}

async function cli(argv: string[]) {
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(argv);
    return { code, stdout: stdout.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    err.mockRestore();
    stdout.mockRestore();
  }
}

interface ReportWithState {
  targets: { url: string; protocol: string; state?: TargetStateReport }[];
  cases: { id: string; verdict: string }[];
}

// `targets[].state` of spec/report.schema.json on its own (the rest of the schema is tested by
// test/reports with every report)
const schema = JSON.parse(readFileSync(join(packageRoot(), 'spec/report.schema.json'), 'utf8'));
const validState = new Ajv2020({ strict: true, allErrors: true }).compile({
  ...schema.properties.targets.items.properties.state,
  $defs: { observedState: schema.$defs.observedState },
});

function report(dir: string): ReportWithState {
  const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportWithState;
  for (const t of r.targets)
    if (t.state) expect(validState(t.state), JSON.stringify(validState.errors)).toBe(true);
  return r;
}

describe('a run leaves a shared Atheria simulation as it found it', () => {
  it('paused at 20 fps: still paused at 20 fps after the subscriptions and binary cases', {
    timeout: 240_000,
  }, async () => {
    const { ath } = await start();
    await commandAtheria(ath, [['inference.pause'], ['simulation.set_fps', { fps: 20 }]]);
    const before = await observeAtheria(ath);
    expect(before).toMatchObject({ status: 'paused', fps: 20, frames: 0 });

    const dir = join(out, 'paused');
    const r = await cli(['run', '--target', ath, '--suite', 'subscriptions,binary', '--out', dir]);
    const rep = report(dir);
    // the cases did run and changed the state on the way (play, set_fps, set_viz, set_binary)
    expect(rep.cases.filter((c) => c.verdict === 'pass').length).toBeGreaterThan(10);
    expect(await observeAtheria(ath)).toEqual(before);

    const state = rep.targets[0]?.state;
    expect(state?.found).toEqual({ running: false, fps: 20, liveFeed: true });
    expect(['unchanged', 'restored']).toContain(state?.outcome);
    // what the cases left differently (shared cases leave the simulation running) is what was set
    const found = state?.found ?? {};
    const changed = Object.entries(found).filter(([k, v]) => state?.end?.[k] !== v);
    expect(state?.set ?? {}).toEqual(Object.fromEntries(changed));
    expect(r.stdout).toContain(`target state of ${ath}: found running false, fps 20, liveFeed true`);
  });

  it('after failing cases too (a target whose inject_energy answers an error)', {
    timeout: 240_000,
  }, async () => {
    const { ath } = await start(['ath-inject-energy-error', 'ath-play-no-status']);
    await commandAtheria(ath, [['inference.pause'], ['simulation.set_fps', { fps: 20 }]]);
    const before = await observeAtheria(ath);
    expect(before).toMatchObject({ status: 'paused', fps: 20 });
    const dir = join(out, 'failing');
    const r = await cli(['run', '--target', ath, '--case', 'ATH-SUBSCRIPTIONS-*', '--out', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(report(dir).cases.filter((c) => c.verdict === 'fail').length).toBeGreaterThan(0);
    expect(await observeAtheria(ath)).toEqual(before);
  });

  it('running with viz phase at 15 fps: the run sets back what the cases leave otherwise (viz)', {
    timeout: 240_000,
  }, async () => {
    const { ath } = await start();
    await commandAtheria(ath, [
      ['inference.set_viz', { viz_type: 'phase' }],
      ['simulation.set_fps', { fps: 15 }],
    ]);
    const before = await observeAtheria(ath);
    expect(before).toMatchObject({ status: 'running', fps: 15, viz: 'phase' });

    const dir = join(out, 'viz');
    await cli(['run', '--target', ath, '--case', 'ATH-SUBSCRIPTIONS-*', '--out', dir, '--quiet']);
    const after = await observeAtheria(ath);
    expect({ ...after, frames: 0 }).toEqual({ ...before, frames: 0 });

    const state = report(dir).targets[0]?.state;
    expect(state?.found).toEqual({ running: true, fps: 15, liveFeed: true, viz: 'phase', binary: false });
    // the viz cases put back `density`, the reference default: the run restores `phase`
    expect(state?.outcome).toBe('restored');
    expect(state?.end?.['viz']).toBe('density');
    expect(state?.set).toEqual({ viz: 'phase' });
    expect(state?.after).toMatchObject({ running: true, fps: 15, viz: 'phase' });
  });
});

describe('a run leaves the shared Evolution run as it found it', () => {
  it('paused: paused again after the control cases (which resume it)', { timeout: 240_000 }, async () => {
    const { evo } = await start();
    await controlEvolution(evo, SECRET, 'pause');
    expect(await evolutionRunning(evo, SECRET)).toBe(false);

    const dir = join(out, 'evolution');
    await cli([
      'run',
      '--target',
      evo,
      '--jwt-secret',
      SECRET,
      '--case',
      'EVO-SUBSCRIPTIONS-*',
      '--out',
      dir,
      '--quiet',
    ]);
    expect(await evolutionRunning(evo, SECRET)).toBe(false);

    const state = report(dir).targets[0]?.state;
    expect(state?.found).toEqual({ running: false });
    expect(state?.end).toEqual({ running: true });
    expect(state?.outcome).toBe('restored');
    expect(state?.set).toEqual({ running: false });
  });

  it('without --jwt-secret the run says it could not observe the state', { timeout: 60_000 }, async () => {
    const { evo } = await start();
    const dir = join(out, 'no-secret');
    await cli(['run', '--target', evo, '--case', 'EVO-HANDSHAKE-100', '--out', dir, '--quiet']);
    const state = report(dir).targets[0]?.state;
    expect(state?.outcome).toBe('not-observed');
    expect(state?.reason).toMatch(/--jwt-secret/);
  });
});

describe('withTargetState restores after a harness error and after an interrupt', () => {
  const opts = async (target: Target) => ({
    targets: [target],
    active: true,
    adapters: await defaultDeps.adapters(),
    configFor: () => ({ ...testConfig, jwtSecret: SECRET }),
    io: { stdout: { write: () => true }, stderr: { write: () => true } },
    quiet: true,
  });
  const record = (target: Target): RunRecord => ({
    startedAt: new Date().toISOString(),
    durationMs: 0,
    seed: 1,
    runs: 1,
    targets: [target],
    summary: { pass: 0, fail: 0, nonStrict: 0, informational: 0, unimplemented: 0, error: 0 },
    results: [],
    inputs: { jwtSecret: true, limits: testConfig.limits },
  });

  it('a harness error: the state is put back and the error passes through', { timeout: 60_000 }, async () => {
    const { ath } = await start();
    await commandAtheria(ath, [['inference.pause']]);
    const target: Target = { url: ath, protocol: 'atheria' };
    await expect(
      withTargetState(await opts(target), async () => {
        await commandAtheria(ath, [['inference.play']]);
        throw new Error('harness broke');
      }),
    ).rejects.toThrow('harness broke');
    expect((await observeAtheria(ath)).status).toBe('paused');
  });

  it('SIGINT while cases run: restore, then exit 130 (SIGTERM: 143)', { timeout: 60_000 }, async () => {
    const { evo } = await start();
    await controlEvolution(evo, SECRET, 'pause');
    const target: Target = { url: evo, protocol: 'evolution' };
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const signals = new EventEmitter();
      let exited: (code: number) => void = () => {};
      const exit = new Promise<number>((resolve) => {
        exited = resolve;
      });
      let finishCases: () => void = () => {};
      const run = withTargetState({ ...(await opts(target)), signals, exit: exited }, async () => {
        await controlEvolution(evo, SECRET, 'resume');
        signals.emit(signal, signal);
        // the cases go on until the process exits
        await new Promise<void>((resolve) => {
          finishCases = resolve;
        });
        return record(target);
      });
      expect(await exit).toBe(code);
      expect(await evolutionRunning(evo, SECRET)).toBe(false);
      finishCases();
      const err = await run.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Interrupted);
      const state = (err as Interrupted).states.get(evo);
      expect(state).toMatchObject({ outcome: 'restored', interrupted: signal, set: { running: false } });
      expect(signals.listenerCount(signal)).toBe(0);
    }
  });
});

describe('Ctrl-C on a real `wsconform run` process', () => {
  const dist = join(packageRoot(), '.tmp', 'target-state-dist');
  beforeAll(() => {
    // a private build: dist/ belongs to whoever builds the package
    try {
      execFileSync(
        process.execPath,
        [
          join(packageRoot(), 'node_modules/typescript/bin/tsc'),
          '-p',
          'tsconfig.build.json',
          '--outDir',
          dist,
        ],
        { cwd: packageRoot(), stdio: 'ignore', timeout: 120_000 },
      );
    } catch {
      // tsc emits despite type errors in files other helpers are editing; checked below
    }
  }, 150_000);

  it('SIGINT after a case started the paused simulation: the simulation ends paused, exit 130', {
    timeout: 120_000,
  }, async () => {
    const { ath } = await start();
    await commandAtheria(ath, [['inference.pause'], ['simulation.set_fps', { fps: 20 }]]);
    const before = await observeAtheria(ath);
    expect(before).toMatchObject({ status: 'paused', fps: 20 });
    const launcher = `import(${JSON.stringify(join(dist, 'cli/main.js'))}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        launcher,
        'run',
        '--target',
        ath,
        '--case',
        'ATH-SUBSCRIPTIONS-*',
        '--quiet',
        '--out',
        join(out, 'interrupted'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    // interrupt while a case has the simulation running
    expect(await untilAtheriaRuns(ath, 60_000)).toBe(true);
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    expect(await exited).toBe(130);
    clearTimeout(timer);
    expect(stderr).toContain('SIGINT: putting the target state back');
    expect(stderr).toMatch(/target state of .*: found running false, fps 20/);
    expect(await observeAtheria(ath), stderr).toEqual(before);
  });
});
