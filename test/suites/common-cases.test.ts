// The common C1–C4 case files: ids, pairs, rules, faults, and the fault coverage the brief asks for.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../reference-server/faults.js';
import { checkCase } from '../../src/engine/registry.js';
import { type CaseDefinition, SUITES } from '../../src/engine/types.js';
import { COMMON_CASES as ALL } from './_common.js';

/** The fault families this helper's cases must cover (brief). */
const OWNED =
  /^(handshake-|origin-|pong-|unsolicited-pong-|close-|protocol-error-|utf8-|no-size-limit$|size-limit-|crash-|stall-)/;

describe('common C1–C4 cases', () => {
  it('include every suites/*/common-*.ts file', async () => {
    const root = fileURLToPath(new URL('../../suites/', import.meta.url));
    const onDisk: string[] = [];
    for (const suite of SUITES) {
      if (!existsSync(join(root, suite))) continue;
      for (const name of readdirSync(join(root, suite)).filter((n) => /^common-.*\.ts$/.test(n))) {
        const mod = (await import(pathToFileURL(join(root, suite, name)).href)) as {
          default: (CaseDefinition | CaseDefinition[])[];
        };
        onDisk.push(...mod.default.flat().map((c) => c.id));
      }
    }
    expect(onDisk.sort()).toEqual(ALL.map((c) => c.id).sort());
  });

  it('pass the registry checks, with unique ids numbered 100–199', () => {
    for (const c of ALL) expect(checkCase(c, c.suite), c.id).toEqual([]);
    const ids = ALL.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(ATH|EVO|GEN)-[A-Z-]+-1\d\d$/);
  });

  it('come in ATH/EVO pairs (plus GEN for C4 cases that need no application protocol) that check the same thing', () => {
    const byTail = new Map<string, CaseDefinition[]>();
    for (const c of ALL) {
      const tail = c.id.slice(4);
      byTail.set(tail, [...(byTail.get(tail) ?? []), c]);
    }
    for (const [tail, pair] of byTail) {
      const generic = pair.some((c) => c.protocol === 'generic');
      expect(pair.map((c) => c.protocol).sort(), tail).toEqual(
        generic ? ['atheria', 'evolution', 'generic'] : ['atheria', 'evolution'],
      );
      if (generic) expect(tail, 'only C4 robustness cases run generic').toMatch(/^SECURITY-/);
      const [a, ...others] = pair as [CaseDefinition, ...CaseDefinition[]];
      for (const e of others)
        expect({ rule: e.rule, title: e.title, faults: e.faults, run: e.run }).toEqual({
          rule: a.rule,
          title: a.title,
          faults: a.faults,
          run: a.run,
        });
    }
  });

  it('cite C1–C4 and only faults of the table, each of the same rule', () => {
    for (const c of ALL) {
      expect(c.rule, c.id).toMatch(/^C[1-4]$/);
      expect(c.faults.length, `${c.id} has no fault that makes it fail`).toBeGreaterThan(0);
      for (const f of c.faults) {
        expect(Object.hasOwn(FAULTS, f), `${c.id}: unknown fault ${f}`).toBe(true);
        expect(FAULTS[f as keyof typeof FAULTS].rule, `${c.id}: ${f}`).toBe(c.rule);
      }
    }
  });

  it('mark every security case hostile (the engine runs the C4 canary after it)', () => {
    for (const c of ALL.filter((c) => c.suite === 'security')) expect(c.hostile, c.id).toBe(true);
  });

  it('cover every handshake-, origin-, pong-, close-, protocol-error-, utf8-, size, crash- and stall- fault', () => {
    const covered = new Set<string>(ALL.flatMap((c) => c.faults));
    const owned = Object.keys(FAULTS).filter((f) => OWNED.test(f));
    expect(owned.length).toBeGreaterThan(10);
    expect(owned.filter((f) => !covered.has(f))).toEqual([]);
  });
});
