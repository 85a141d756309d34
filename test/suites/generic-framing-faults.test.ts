// The proof that the ATH/EVO wire rows can fail (issue 12 §1, house rule "every conformance case is
// provable by a reference-server fault"): for each fault the rows cite, a reference server with that
// fault, and rows citing it — all of them, or for utf8-not-checked (hundreds of rows, each waiting
// 2 s for a close that never comes) a sample of every kind — must fail (MUST) or be non-strict
// (SHOULD). The same rows run generic against the faulty /ws (`--protocol generic`). The fault
// self-test (test/faults/) does this for every case; this keeps the tables' own proof fast.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps, embeddedServerOptions, type RunDeps } from '../../cli/run-setup.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { loadCases } from '../../src/engine/registry.js';
import { FAULTS, type FaultName } from '../../src/schema/faults.js';

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-wire-faults-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const deps = (fault: FaultName): RunDeps => ({
  ...defaultDeps,
  startEmbedded: (o) => startReferenceServer({ ...embeddedServerOptions(o), faults: [fault] }),
});

async function run(fault: FaultName, ids: string[], protocol?: string) {
  const out = mkdtempSync(join(outRoot, 'run-'));
  const argv = ['--quiet', '--concurrency', '8', '--out', out, '--case', ids.join(',')];
  if (protocol) argv.push('--protocol', protocol);
  await executeRun(parseRunArgs(argv), deps(fault), silent);
  return (
    JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      cases: { id: string; verdict: string; reason?: string }[];
    }
  ).cases;
}

const tables = (await loadCases()).filter((c) => c.suite === 'framing' && c.refs !== undefined);
const tail = (id: string) => id.replace(/^[A-Z]+-FRAMING-/, '');
/** per kind of row (its Autobahn group or x-group and variant), the first one */
function sample(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const kind = `${k.split('.').slice(0, 2).join('.')}${k.includes('-') ? k.slice(k.indexOf('-')) : ''}`;
    if (seen.has(kind)) return false;
    seen.add(kind);
    return true;
  });
}

const cited = [...new Set(tables.filter((c) => c.protocol !== 'generic').flatMap((c) => c.faults))];

describe('every fault a wire row cites makes the rows citing it fail', () => {
  for (const fault of cited) {
    it(`${fault} (${FAULTS[fault].level})`, { timeout: 300_000 }, async () => {
      const keys = [
        ...new Set(
          tables.filter((c) => c.protocol === 'atheria' && c.faults.includes(fault)).map((c) => tail(c.id)),
        ),
      ];
      const chosen = keys.length > 40 ? sample(keys) : keys;
      const expected = FAULTS[fault].level === 'must' ? 'fail' : 'non-strict';
      const ath = await run(
        fault,
        chosen.map((k) => `ATH-FRAMING-${k}`),
      );
      const gen = await run(
        fault,
        chosen.map((k) => `GEN-FRAMING-${k}`),
        'generic',
      );
      for (const cases of [ath, gen]) {
        expect(cases.length).toBe(chosen.length);
        expect(
          cases.filter((c) => c.verdict !== expected).map((c) => `${c.id}: ${c.verdict} (${c.reason ?? ''})`),
        ).toEqual([]);
      }
    });
  }
});

describe('the generic C4 cases (GEN-SECURITY) against the reference /ws', () => {
  const gen = (async () =>
    (await loadCases()).filter((c) => c.protocol === 'generic' && c.suite === 'security'))();

  it('pass on a clean server', { timeout: 120_000 }, async () => {
    const ids = (await gen).map((c) => c.id);
    const out = mkdtempSync(join(outRoot, 'run-'));
    await executeRun(
      parseRunArgs(['--quiet', '--protocol', 'generic', '--out', out, '--case', ids.join(',')]),
      defaultDeps,
      silent,
    );
    const cases = (
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        cases: { id: string; verdict: string }[];
      }
    ).cases;
    expect(cases.map((c) => `${c.id}: ${c.verdict}`).sort()).toEqual(ids.map((id) => `${id}: pass`).sort());
  });

  for (const fault of [
    'crash-on-header-flood',
    'stall-on-slow-handshake',
    'stall-on-flood',
    'stall-on-bad-json',
  ] as const) {
    it(`fail with ${fault}`, { timeout: 120_000 }, async () => {
      const ids = (await gen).filter((c) => c.faults.includes(fault)).map((c) => c.id);
      expect(ids.length).toBeGreaterThan(0);
      const cases = await run(fault, ids, 'generic');
      expect(cases.map((c) => `${c.id}: ${c.verdict}`)).toEqual(ids.map((id) => `${id}: fail`));
    });
  }
});
