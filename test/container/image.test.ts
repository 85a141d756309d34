// `wsconform run --image`: a real container target through testcontainers. No registry is reachable
// here, so the image is built locally from the built app (scripts/build-image.sh, `docker import`).
// Skips, with the reason printed, only where no Docker engine answers (and fails instead in CI).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { dockerProblem, skipWithout } from '../_environment.js';

const root = packageRoot();
const TAG = 'wsconform-reference:selftest';
const SECRET = 'container-secret';
const ORIGIN = 'https://app.example.com';

const skip = skipWithout('a Docker engine', dockerProblem());

describe.skipIf(skip)('run --image (testcontainers)', () => {
  const out = mkdtempSync(join(tmpdir(), 'wsconform-image-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    spawnSync('docker', ['rmi', '-f', TAG], { timeout: 30_000 });
  });

  beforeAll(() => {
    execFileSync(join(root, 'scripts/build-image.sh'), [TAG, '--jwt-secret', SECRET, '--origins', ORIGIN], {
      timeout: 120_000,
      stdio: 'pipe',
    });
  }, 150_000);

  const containers = () =>
    execFileSync('docker', ['ps', '-aq', '--filter', `ancestor=${TAG}`], { encoding: 'utf8' }).trim();

  it('starts the image, tests both protocols on its mapped port and removes the container', {
    timeout: 180_000,
  }, () => {
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'bin/wsconform.js'),
        'run',
        '--image',
        TAG,
        '--container-port',
        '8000',
        '--jwt-secret',
        SECRET,
        '--origin-allowed',
        ORIGIN,
        '--suite',
        'handshake,heartbeat',
        '--quiet',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 150_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      targets: { url: string; protocol: string }[];
      summary: { pass: number; fail: number; nonStrict: number };
    };
    expect(report.targets.map((t) => t.protocol).sort()).toEqual(['atheria', 'evolution']);
    // the mapped port, not the container's own 8000
    for (const t of report.targets) expect(new URL(t.url).port).not.toBe('8000');
    expect(report.summary.fail).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(10);
    expect(containers()).toBe('');
  });

  it('an interrupted run (SIGINT) still removes its container and exits 130', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'bin/wsconform.js'),
        'run',
        '--image',
        TAG,
        '--container-port',
        '8000',
        '--jwt-secret',
        SECRET,
      ].concat(['--quiet', '--out', join(out, 'interrupted')]),
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // interrupt as soon as the container exists: while it starts or while the cases run, the
    // container must go (the run itself takes far longer than this wait)
    for (let i = 0; i < 100 && containers() === ''; i++) await new Promise((r) => setTimeout(r, 200));
    expect(containers()).not.toBe('');
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    expect(await exited).toBe(130);
    clearTimeout(timer);
    expect(containers()).toBe('');
  });
});
