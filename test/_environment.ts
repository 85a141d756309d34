// Tests that need something of the machine (a Docker engine, openssl for TLS) skip with the reason
// printed where it cannot be had — but not in CI, which installs what they need (.ci/run): there a
// missing engine is a failure of the machine set-up, and a silent skip would let a broken set-up
// pass the gate with those tests never run.
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/**
 * Decides whether the tests needing `what` run. `problem` is why they cannot (null: they can).
 * Returns true when they must be skipped: never when the CI environment variable is set — then a
 * test that fails with the problem is registered instead, and the caller still skips the rest.
 */
export function skipWithout(what: string, problem: string | null): boolean {
  if (problem === null) return false;
  if (process.env['CI']) {
    it(`has ${what} (CI is set: a missing one fails the run instead of skipping)`, () => {
      throw new Error(`${what} is missing on this CI machine: ${problem}`);
    });
    return true;
  }
  console.warn(`tests needing ${what} skipped: ${problem}`);
  return true;
}

/** Why no Docker engine can be used here, or null when one answers. */
export function dockerProblem(): string | null {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.error) return `no docker client (${r.error.message})`;
  if (r.status !== 0) return `no Docker engine answers (${(r.stderr || '').trim().split('\n')[0]})`;
  return null;
}
