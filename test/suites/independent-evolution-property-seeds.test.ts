// Issue 9, section 4b: a property case's verdict on a correct server must not depend on the seed.
// The clean reference server (the embedded default of `run`) passes EVO-SCHEMA-003 (valid client
// messages) and EVO-SCHEMA-004 (messages with one normative rule broken) with every seed: the
// negative generator never breaks a constraint only spec/evolution/DECISIONS.md adds (a non-empty
// client `id`, say), which a correct server may well accept.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';
import { isNormative, normativeInvalidMessage } from '../../src/protocols/evolution-negative.js';
import { mutationsOf } from '../../src/schema/arbitrary-mutations.js';
import { schemaId, validateClientMessage } from '../../src/schema/index.js';
import { schemaById } from '../../src/schema/schema-nodes.js';

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 42];
const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'wsconform-evo-seeds-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('the negative generator breaks only normative rules', () => {
  it('never a non-empty-string rule nor the envelope id/timestamp of a client message', () => {
    const kept = mutationsOf(schemaById(schemaId('evolution', 'client', 'get_agent'))).filter((m) =>
      isNormative('get_agent', m),
    );
    expect(kept.some((m) => m.kind === 'too-short')).toBe(false);
    expect(kept.some((m) => m.path.join('/') === 'id' || m.path.join('/') === 'timestamp')).toBe(false);
    expect(kept.some((m) => m.kind === 'missing-required' && m.path.join('/') === 'agent_id')).toBe(true);
  });

  it('keeps the numeric timestamp of ping (E3)', () => {
    const kept = mutationsOf(schemaById(schemaId('evolution', 'client', 'ping'))).filter((m) =>
      isNormative('ping', m),
    );
    expect(kept.some((m) => m.path.join('/') === 'timestamp' && m.kind === 'wrong-type')).toBe(true);
  });

  it('every sample is invalid, and none has an empty string where a non-empty one is only a decision', () => {
    const samples = fc.sample(
      fc
        .constantFrom('subscribe', 'unsubscribe', 'control', 'get_agent', 'command', 'ping')
        .chain(normativeInvalidMessage),
      { numRuns: 400, seed: 42 },
    );
    for (const s of samples) expect(validateClientMessage('evolution', s.value).length).toBeGreaterThan(0);
    expect(samples.filter((s) => /too-short/.test(s.broken))).toEqual([]);
  });
});

describe('the clean reference server passes the Evolution property cases with every seed', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: EVO-SCHEMA-003 and EVO-SCHEMA-004 pass`, { timeout: 120_000 }, async () => {
      const out = mkdtempSync(join(outRoot, `seed-${seed}-`));
      const argv = [
        '--case',
        'EVO-SCHEMA-003,EVO-SCHEMA-004',
        '--seed',
        String(seed),
        '--runs',
        '25',
        '--quiet',
      ];
      const code = await executeRun(parseRunArgs([...argv, '--out', out]), defaultDeps, silent);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        cases: { id: string; verdict: string; reason?: string }[];
      };
      const props = report.cases.filter((c) => c.id === 'EVO-SCHEMA-003' || c.id === 'EVO-SCHEMA-004');
      expect(
        props.map((c) => `${c.id}: ${c.verdict}${c.verdict === 'pass' ? '' : ` (${c.reason})`}`),
      ).toEqual(['EVO-SCHEMA-003: pass', 'EVO-SCHEMA-004: pass']);
      expect(code).toBe(0);
    });
  }
});
