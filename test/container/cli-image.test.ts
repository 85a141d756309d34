// The container image of wsconform itself (`npm run image:cli`, scripts/build-cli-image.sh, issue
// 10 §3): built locally with `docker import` (no registry is reachable), run with --network host
// against reference servers on the host, writing its report into a mounted folder. Skips, with
// the reason printed, only where no Docker engine answers (.ci/run starts one).
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { dockerProblem, skipWithout } from '../_environment.js';
import { packCopy } from '../package/_pack.js';
import { reportErrors } from '../reports/_schema.js';

const root = packageRoot();
const TAG = 'wsconform:selftest-cli';
const SECRET = 'cli-image-secret';

const skip = skipWithout('a Docker engine', dockerProblem());

/** `wsconform serve` on the host, in its own process; resolves with its port once LISTENING. */
function serve(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(root, 'bin/wsconform.js'), 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no LISTENING within 20 s: ${out}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('error', reject);
  });
}

/** `docker run --rm --network host -v DIR:/work TAG ARGS`; resolves with the exit code and output. */
async function dockerRun(dir: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await promisify(execFile)(
      'docker',
      ['run', '--rm', '--network', 'host', '-v', `${dir}:/work`, TAG, ...args],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe.skipIf(skip)('the wsconform container image (npm run image:cli)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsconform-cli-image-'));
  const servers: ChildProcess[] = [];

  beforeAll(() => {
    // packed from a copy of the sources: a pack in the checkout would rebuild dist/ under the other tests
    const { tgz } = packCopy(dir);
    execFileSync(join(root, 'scripts/build-cli-image.sh'), [TAG], {
      timeout: 300_000,
      stdio: 'pipe',
      env: { ...process.env, WSCONFORM_TARBALL: tgz },
    });
  }, 320_000);

  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM');
    spawnSync('docker', ['rmi', '-f', TAG], { timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs against a server on the host and writes its report into the mounted folder', {
    timeout: 150_000,
  }, async () => {
    const clean = await serve(['--jwt-secret', SECRET]);
    servers.push(clean.child);
    const target = `ws://127.0.0.1:${clean.port}/ws`;
    const out = join(dir, 'clean');
    const r = await dockerRun(dir, [
      'run',
      '--target',
      target,
      '--suite',
      'handshake,heartbeat',
      '--quiet',
      '--out',
      'clean',
    ]);
    expect(r.out).toMatch(/wsconform: OK — \d+ cases/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(reportErrors(report)).toEqual([]);
    expect(report.targets).toEqual([{ url: target, protocol: 'atheria', state: expect.any(Object) }]);
    expect(report.summary.pass).toBeGreaterThan(5);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/^# wsconform report/);
  });

  it('a served fault fails the run (exit 1) with the failing case in the report', {
    timeout: 150_000,
  }, async () => {
    const faulty = await serve(['--fault', 'pong-wrong-payload']);
    servers.push(faulty.child);
    const r = await dockerRun(dir, [
      'run',
      '--target',
      `ws://127.0.0.1:${faulty.port}/ws`,
      '--suite',
      'heartbeat',
      '--quiet',
      '--out',
      'faulty',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'faulty', 'report.json'), 'utf8'));
    const failed = report.cases.filter((c: { verdict: string }) => c.verdict === 'fail');
    expect(
      failed.map((c: { id: string; findings: { rule: string }[] }) => [c.id, c.findings[0]?.rule]),
    ).toEqual([['ATH-HEARTBEAT-100', 'C3']]);
  });

  it('every verb is there: rules reads the profile shipped in the image', async () => {
    const r = await dockerRun(dir, ['rules', 'C3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^C3 — /);
    expect(r.out).toMatch(/ATH-HEARTBEAT-100/);
  });
});
