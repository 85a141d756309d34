import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkCase,
  DEFAULT_SUITES_DIR,
  filterCases,
  isCaseFile,
  loadCases,
  RegistryError,
} from '../../src/engine/registry.js';
import type { CaseDefinition } from '../../src/engine/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const caseSource = (id: string, suite: string, protocol = id.startsWith('ATH') ? 'atheria' : 'evolution') =>
  `{ id: '${id}', protocol: '${protocol}', suite: '${suite}', rule: 'C1', title: 't', faults: [], run: async () => {} }`;

function suitesDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'wsconform-registry-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('loadCases', () => {
  it('finds suites/ from src/engine (and so dist/suites from dist/src/engine)', () => {
    expect(DEFAULT_SUITES_DIR).toBe(fileURLToPath(new URL('../../suites/', import.meta.url)));
  });

  it('loads single and array default exports, skipping helpers, declarations and maps', async () => {
    const root = suitesDir({
      'handshake/a.mjs': `export default ${caseSource('EVO-HANDSHAKE-001', 'handshake')};`,
      'handshake/b.mjs': `export default [${caseSource('ATH-HANDSHAKE-001', 'handshake')}, ${caseSource('EVO-HANDSHAKE-002', 'handshake')}];`,
      'handshake/_helper.mjs': 'throw new Error("helpers are not cases");',
      'handshake/x.d.ts': 'export {};',
      'handshake/a.mjs.map': '{}',
      'rate-limits/flood.mjs': `export default ${caseSource('EVO-RATE-LIMITS-001', 'rate-limits')};`,
      'not-a-suite/z.mjs': 'throw new Error("not a suite folder");',
    });
    const cases = await loadCases(root);
    expect(cases.map((c) => c.id)).toEqual([
      'EVO-HANDSHAKE-001',
      'ATH-HANDSHAKE-001',
      'EVO-HANDSHAKE-002',
      'EVO-RATE-LIMITS-001',
    ]);
  });

  it('flattens nested lists (a file of checks declared for several protocols)', async () => {
    const root = suitesDir({
      'framing/a.mjs': `export default [[${caseSource('ATH-FRAMING-101', 'framing')}, ${caseSource('EVO-FRAMING-101', 'framing')}], ${caseSource('ATH-FRAMING-001', 'framing')}];`,
    });
    expect((await loadCases(root)).map((c) => c.id)).toEqual([
      'ATH-FRAMING-101',
      'EVO-FRAMING-101',
      'ATH-FRAMING-001',
    ]);
  });

  it('rejects duplicate ids, a case in the wrong folder and a file that does not load', async () => {
    const root = suitesDir({
      'auth/a.mjs': `export default ${caseSource('EVO-AUTH-001', 'auth')};`,
      'auth/b.mjs': `export default ${caseSource('EVO-AUTH-001', 'auth')};`,
      'auth/c.mjs': `export default ${caseSource('EVO-ERRORS-001', 'errors')};`,
      'auth/d.mjs': 'export default ;',
    });
    const err = await loadCases(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    const msg = (err as Error).message;
    expect(msg).toContain('duplicate case id EVO-AUTH-001');
    expect(msg).toContain("suite is 'errors' but the file is in suites/auth/");
    expect(msg).toContain('auth/d.mjs: cannot be loaded');
  });
});

describe('checkCase', () => {
  const good = {
    id: 'EVO-AUTH-003',
    protocol: 'evolution',
    suite: 'auth',
    rule: 'E2',
    title: 'x',
    faults: ['evo-bad-header-101'],
    run: async () => {},
  };
  it('accepts a valid case and names every missing or wrong field', () => {
    expect(checkCase(good, 'auth')).toEqual([]);
    expect(checkCase({ ...good, rule: 'C1,C4' }, 'auth')).toEqual([]);
    expect(checkCase({ ...good, id: 'ATH-AUTH-003' }, 'auth').join()).toMatch(/EVO-AUTH-NNN/);
    expect(checkCase({ ...good, rule: 'auth' }, 'auth').join()).toMatch(/rule/);
    expect(checkCase({ ...good, title: '' }, 'auth').join()).toMatch(/title/);
    expect(checkCase({ ...good, faults: 'f' }, 'auth').join()).toMatch(/faults/);
    // a built (untyped) case file can still misspell a fault: the catalog decides at load
    expect(checkCase({ ...good, faults: ['evo-bad-header-102'] }, 'auth').join()).toMatch(
      /unknown fault evo-bad-header-102/,
    );
    expect(checkCase({ ...good, run: undefined }, 'auth').join()).toMatch(/run/);
    expect(checkCase({ ...good, timeoutMs: -1 }, 'auth').join()).toMatch(/timeoutMs/);
    expect(checkCase(null, 'auth')).toHaveLength(1);
  });

  it('isCaseFile skips helpers, declarations, maps and tests', () => {
    expect(['a.ts', 'a.js', '_h.ts', 'a.d.ts', 'a.js.map', 'a.test.ts'].filter(isCaseFile)).toEqual([
      'a.ts',
      'a.js',
    ]);
  });
});

describe('filterCases', () => {
  const mk = (id: string, suite: CaseDefinition['suite']): CaseDefinition => ({
    id,
    protocol: id.startsWith('ATH') ? 'atheria' : 'evolution',
    suite,
    rule: 'C1',
    title: id,
    faults: [],
    run: async () => {},
  });
  const all = [
    mk('ATH-HANDSHAKE-001', 'handshake'),
    mk('EVO-HANDSHAKE-001', 'handshake'),
    mk('EVO-AUTH-001', 'auth'),
    mk('EVO-AUTH-002', 'auth'),
  ];
  const ids = (cs: CaseDefinition[]) => cs.map((c) => c.id);

  it('filters by protocol, suite list and id glob', () => {
    expect(ids(filterCases(all, { protocols: ['atheria'] }))).toEqual(['ATH-HANDSHAKE-001']);
    expect(ids(filterCases(all, { suites: ['auth'] }))).toEqual(['EVO-AUTH-001', 'EVO-AUTH-002']);
    expect(ids(filterCases(all, { caseGlob: 'evo-*-001' }))).toEqual(['EVO-HANDSHAKE-001', 'EVO-AUTH-001']);
    expect(ids(filterCases(all, { caseGlob: 'EVO-AUTH-00?,ATH-*' }))).toEqual([
      'ATH-HANDSHAKE-001',
      'EVO-AUTH-001',
      'EVO-AUTH-002',
    ]);
    expect(ids(filterCases(all, { protocols: ['evolution'], suites: ['handshake'], caseGlob: '*' }))).toEqual(
      ['EVO-HANDSHAKE-001'],
    );
    expect(filterCases(all, { caseGlob: 'EVO.AUTH*' })).toEqual([]); // '.' is literal
  });
});
