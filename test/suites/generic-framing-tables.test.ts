// The generated wire tables themselves (suites/framing/table-*.ts, issue 12 §1): ids derived from
// stable keys, the RFC section and Autobahn case on every row, the UTF-8 data as RFC 3629 says,
// and the --protocol generic / --echo flags.
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { checkCase, loadCases } from '../../src/engine/registry.js';
import { ECHO_CASE_IDS } from '../../suites/framing/_table.js';
import { UTF8_GROUPS } from '../../suites/framing/rows/utf8-sequences.js';

const cases = (await loadCases()).filter((c) => c.suite === 'framing' && c.refs !== undefined);

describe('the wire tables', () => {
  it('give several hundred generic cases and every non-echo row to both protocol endpoints', () => {
    const gen = cases.filter((c) => c.protocol === 'generic');
    expect(gen.length).toBeGreaterThanOrEqual(600);
    const tail = (id: string) => id.replace(/^[A-Z]+-FRAMING-/, '');
    // 7.1.6 sends 256 KiB of application garbage (E10's byte limit on Evolution): generic only
    const nonEcho = gen
      .filter((c) => !ECHO_CASE_IDS.has(c.id) && c.faults.length > 0 && tail(c.id) !== '7.1.6')
      .map((c) => tail(c.id));
    for (const p of ['ATH', 'EVO']) {
      const ids = new Set(cases.filter((c) => c.id.startsWith(`${p}-`)).map((c) => tail(c.id)));
      expect(nonEcho.filter((k) => !ids.has(k))).toEqual([]);
    }
    // echo rows never reach the protocol endpoints
    expect(cases.filter((c) => c.protocol !== 'generic' && ECHO_CASE_IDS.has(c.id))).toEqual([]);
    expect(ECHO_CASE_IDS.size).toBeGreaterThan(200);
  });

  it('pass the registry checks with unique ids; the key is the Autobahn number when the row is one', () => {
    for (const c of cases) expect(checkCase(c, 'framing'), c.id).toEqual([]);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      const key = c.id.replace(/^[A-Z]+-FRAMING-/, '');
      expect(c.title, c.id).toContain(`RFC 6455 §${c.refs?.rfc}`);
      if (c.refs?.autobahn !== undefined) {
        expect(key).toBe(c.refs.autobahn);
        expect(c.title).toContain(`Autobahn ${c.refs.autobahn}`);
      } else expect(key).toMatch(/^x|-/);
      expect(['C3', 'C4']).toContain(c.rule);
    }
  });

  it('cite a fault of the catalog for every row that can run on the reference server', () => {
    for (const c of cases.filter((c) => c.protocol !== 'generic'))
      expect(c.faults.length, c.id).toBeGreaterThan(0);
  });

  it('cover Autobahn 6.5–6.23 with its numbering (e.g. 34 noncharacters in 6.22)', () => {
    expect(UTF8_GROUPS.map((g) => g.n)).toEqual(Array.from({ length: 19 }, (_, i) => i + 5));
    const size = (n: number) => UTF8_GROUPS.find((g) => g.n === n)?.sequences.length;
    expect([size(5), size(6), size(12), size(13), size(14), size(21), size(22), size(23)]).toEqual([
      5, 11, 8, 5, 10, 8, 34, 7,
    ]);
    const ids = new Set(cases.map((c) => c.id));
    const missing = UTF8_GROUPS.flatMap((g) =>
      g.sequences.map((_, j) => `GEN-FRAMING-6.${g.n}.${j + 1}`).filter((id) => !ids.has(id)),
    );
    expect(missing).toEqual([]);
  });

  it('mark each UTF-8 sequence valid exactly when a strict decoder accepts it (noncharacters are valid)', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const strict = (hex: string) => {
      try {
        decoder.decode(Buffer.from(hex, 'hex'));
        return true;
      } catch {
        return false;
      }
    };
    const wrong = UTF8_GROUPS.flatMap((g) =>
      g.sequences.filter((s) => s.valid !== strict(s.hex)).map((s) => `6.${g.n}: ${s.hex}`),
    );
    expect(wrong).toEqual([]);
    const valid = UTF8_GROUPS.flatMap((g) => g.sequences).filter((s) => s.valid).length;
    expect(valid).toBeGreaterThan(40);
  });
});

describe('--protocol generic and --echo', () => {
  it('are accepted on the command line; --echo is off by default', () => {
    const a = parseRunArgs(['--protocol', 'generic', '--echo', '--target', 'ws://127.0.0.1:1/echo']);
    expect(a.protocol).toBe('generic');
    expect(a.echo).toBe(true);
    expect(parseRunArgs(['--protocol', 'generic']).echo).toBe(false);
    expect(() => parseRunArgs(['--protocol', 'mqtt'])).toThrow(/atheria, evolution or generic/);
  });

  it('are accepted in a config file', () => {
    const a = parseRunArgs([], {
      config: () => ({ path: 'wsconform.config.json', values: { protocol: 'generic', echo: true } }),
    });
    expect(a.protocol).toBe('generic');
    expect(a.echo).toBe(true);
  });
});
