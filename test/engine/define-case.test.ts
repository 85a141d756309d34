// defineCase, the one way to declare a case: ids derived from protocol, suite and number (or table
// key), one case per protocol for a check of several, per-protocol settings, and `faults` typed by
// the catalog so that a misspelt fault does not compile.
import { describe, expect, it } from 'vitest';
import { caseId, defineCase, isDeclared } from '../../src/engine/define-case.js';
import { checkCase } from '../../src/engine/registry.js';

const common = {
  suite: 'framing' as const,
  rule: 'C3',
  title: 't',
  faults: ['close-wrong-code' as const],
  run: async () => {},
};

describe('defineCase', () => {
  it('derives the id of a case of one protocol from its number, padded to three digits', () => {
    const c = defineCase({ ...common, protocol: 'atheria', num: 7 });
    expect(c).toMatchObject({ id: 'ATH-FRAMING-007', protocol: 'atheria', suite: 'framing', rule: 'C3' });
    expect(checkCase(c, 'framing')).toEqual([]);
    expect(isDeclared(c)).toBe(true);
    expect(isDeclared({ ...c })).toBe(false);
    expect(defineCase({ ...common, suite: 'rate-limits', protocol: 'evolution', num: 3 }).id).toBe(
      'EVO-RATE-LIMITS-003',
    );
  });

  it('gives one case per protocol for a check of several, same number, same run and settings', () => {
    const cases = defineCase({
      ...common,
      protocols: ['atheria', 'evolution'],
      num: 101,
      hostile: true,
      timeoutMs: 5000,
    });
    expect(cases.map((c) => c.id)).toEqual(['ATH-FRAMING-101', 'EVO-FRAMING-101']);
    const [a, e] = cases;
    expect(a).toMatchObject({
      protocol: 'atheria',
      hostile: true,
      timeoutMs: 5000,
      faults: ['close-wrong-code'],
    });
    expect(e).toMatchObject({
      protocol: 'evolution',
      hostile: true,
      timeoutMs: 5000,
      faults: ['close-wrong-code'],
    });
    expect(a?.run).toBe(e?.run);
    for (const c of cases) expect(checkCase(c, 'framing')).toEqual([]);
  });

  it('picks per-protocol settings and leaves unset ones out', () => {
    const [a, e] = defineCase({
      ...common,
      protocols: ['atheria', 'evolution'],
      num: 102,
      exclusive: { atheria: 'atheria-sim' },
    });
    expect(a?.exclusive).toBe('atheria-sim');
    expect(e).not.toHaveProperty('exclusive');
    expect(a).not.toHaveProperty('hostile');
    const [x, y] = defineCase({ ...common, protocols: ['atheria', 'evolution'], num: 103, shares: 'g' });
    expect([x?.shares, y?.shares]).toEqual(['g', 'g']);
  });

  it('numbers a case of one protocol 1–99 and a check of several from 100, so the two never collide', () => {
    expect(() => defineCase({ ...common, protocol: 'atheria', num: 100 })).toThrow(/1\.\.99/);
    expect(() => defineCase({ ...common, protocol: 'atheria', num: 0 })).toThrow(/1\.\.99/);
    expect(() => defineCase({ ...common, protocol: 'atheria', num: 1.5 })).toThrow(/1\.\.99/);
    expect(() => defineCase({ ...common, protocols: ['atheria', 'evolution'], num: 99 })).toThrow(
      /100\.\.999/,
    );
    expect(() => defineCase({ ...common, protocols: ['atheria', 'atheria'], num: 120 })).toThrow(/once/);
    expect(() => defineCase({ ...common, protocols: [], num: 120 })).toThrow(/once/);
  });

  it('names a generated table row by its key', () => {
    expect(defineCase({ ...common, protocol: 'evolution', key: '6.4.3' }).id).toBe('EVO-FRAMING-6.4.3');
    const rows = defineCase({
      ...common,
      protocols: ['generic', 'atheria'],
      key: 'x7.7.14',
      refs: { rfc: '7.4.1' },
    });
    expect(rows.map((c) => [c.id, c.refs?.rfc])).toEqual([
      ['GEN-FRAMING-x7.7.14', '7.4.1'],
      ['ATH-FRAMING-x7.7.14', '7.4.1'],
    ]);
    expect(() => defineCase({ ...common, protocol: 'evolution', key: 'six' })).toThrow(/table key/);
    expect(caseId('atheria', 'handshake', 100)).toBe('ATH-HANDSHAKE-100');
  });

  it('takes only fault names of the catalog (compile-time; the registry checks built files at load)', () => {
    const c = defineCase({
      ...common,
      protocol: 'atheria',
      num: 1,
      // @ts-expect-error a misspelt fault name is no FaultName (spec/faults.json), so it does not compile
      faults: ['close-wrong-kode'],
    });
    expect(checkCase(c, 'framing').join()).toMatch(/unknown fault close-wrong-kode/);
  });
});
