import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { type RulesDeps, rulesVerb } from '../../cli/rules.js';
import { UsageError } from '../../src/util/usage.js';
import { loadCases } from '../../src/engine/registry.js';
import type { CaseDefinition } from '../../src/engine/types.js';
import { loadProfile, parseProfile, profilePath } from '../../src/util/profile.js';

const PROFILE_IDS = [
  ...['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'],
  ...Array.from({ length: 10 }, (_, i) => `A${i}`),
  ...Array.from({ length: 12 }, (_, i) => `E${i + 1}`),
];

function capture() {
  let text = '';
  return { io: { stdout: { write: (t: string) => (text += t) } }, text: () => text };
}

/** Registry stand-in: cases citing known rules, no adapters (no synthesized results). */
function fakeDeps(rules: string[]): RulesDeps {
  const cases = rules.map(
    (rule, i) =>
      ({ id: `EVO-ERRORS-${String(i + 1).padStart(3, '0')}`, protocol: 'evolution', rule }) as CaseDefinition,
  );
  return {
    loadCases: async () => cases,
    adapters: async () => ({}),
    serverMessageTypes: async () => () => [],
  };
}

afterEach(() => vi.restoreAllMocks());

describe('spec/PROFILE.md', () => {
  it('holds every rule of the profile once, in order, each with an anchor, a summary and a text', () => {
    const rules = loadProfile();
    expect(rules.map((r) => r.id)).toEqual(PROFILE_IDS);
    const md = readFileSync(profilePath(), 'utf8');
    for (const r of rules) {
      expect(md.match(new RegExp(`<a id="${r.id}"></a>`, 'g'))).toHaveLength(1);
      expect(r.summary.length).toBeGreaterThan(10);
      expect(r.summary).not.toContain('\n');
      expect(r.text.length).toBeGreaterThan(40);
      expect(r.text).not.toMatch(/^#/m);
    }
    expect(rules.find((r) => r.id === 'A3')?.text).toContain('inference.load_experiment');
    expect(rules.find((r) => r.id === 'E12')?.text).not.toContain('Revisions');
    expect(rules.find((r) => r.id === 'A0')?.section).toMatch(/^Atheria/);
  });

  it('keeps the verdict levels and the "Which level" paragraph of the profile', () => {
    const md = readFileSync(profilePath(), 'utf8');
    expect(md).toMatch(/^## Verdict levels$/m);
    expect(md).toMatch(/^## Which level$/m);
    for (const v of ['fail', 'non-strict', 'informational', 'unimplemented', 'error', 'pass'])
      expect(md).toContain(`| \`${v}\` |`);
    expect(md).not.toMatch(/\.\.\/shared/);
  });

  it('no file shipped to users points at a profile outside the package (the rules are spec/PROFILE.md)', () => {
    const root = dirname(profilePath()).replace(/[\\/]spec$/, '');
    const shipped = ['README.md', 'bin', 'spec', 'src', 'suites', 'reference-server', 'reports'];
    const files = shipped.flatMap((p) => {
      const full = join(root, p);
      return statSync(full).isDirectory()
        ? readdirSync(full, { recursive: true, encoding: 'utf8' }).map((f) => join(full, f))
        : [full];
    });
    const offenders = files.filter(
      (f) =>
        statSync(f).isFile() &&
        /\.(md|ts|js|json|ya?ml)$/.test(f) &&
        /\.\.\/shared\//.test(readFileSync(f, 'utf8')),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });

  it('an anchor that is not followed by its heading is an error, not a silently missing rule', () => {
    expect(() => parseProfile('<a id="A3"></a>\n### A4 — wrong\ntext\n')).toThrow(/anchor A3/);
    expect(() => parseProfile('<a id="A3"></a>\ntext\n')).toThrow(/anchor A3/);
    expect(parseProfile('## S\n\n<a id="C1"></a>\n### C1 — one\nbody\n\n## T\nnot C1\n')).toEqual([
      { id: 'C1', summary: 'one', text: 'body', section: 'S' },
    ]);
  });
});

describe('wsconform rules', () => {
  it('lists every rule on one line with the number of cases citing it (comma-separated rules count for each)', async () => {
    const out = capture();
    const code = await rulesVerb([], fakeDeps(['A3', 'E9,C6', 'A3', 'C6']), out.io);
    expect(code).toBe(0);
    const lines = out
      .text()
      .split('\n')
      .filter((l) => /^[CAE]\d+ /.test(l));
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(PROFILE_IDS);
    const count = (id: string) => Number(lines.find((l) => l.startsWith(`${id} `))?.split(/\s+/)[1]);
    expect(count('A3')).toBe(2);
    expect(count('C6')).toBe(2);
    expect(count('E9')).toBe(1);
    expect(count('E1')).toBe(0);
    expect(lines.find((l) => l.startsWith('A3 '))).toContain(
      loadProfile().find((r) => r.id === 'A3')?.summary,
    );
  });

  it('counts the real registry, synthesized run-wide results included', async () => {
    const out = capture();
    await rulesVerb([], undefined, out.io);
    const cases = await loadCases();
    const citing = (id: string) =>
      cases.filter((c) =>
        c.rule
          .split(',')
          .map((r) => r.trim())
          .includes(id),
      ).length;
    const line = (id: string) =>
      out
        .text()
        .split('\n')
        .find((l) => l.startsWith(`${id} `)) ?? '';
    expect(Number(line('E2').split(/\s+/)[1])).toBe(citing('E2'));
    expect(citing('E2')).toBeGreaterThan(0);
    // C5 is also checked by the per-type …-SCHEMA-RECV-<type> results of every run
    expect(Number(line('C5').split(/\s+/)[1])).toBeGreaterThan(citing('C5'));
  });

  it('rules A3 prints the rule text from PROFILE.md and the ids of the cases that check it', async () => {
    const out = capture();
    expect(await rulesVerb(['A3'], undefined, out.io)).toBe(0);
    const a3 = loadProfile().find((r) => r.id === 'A3');
    expect(out.text()).toContain(`A3 — ${a3?.summary}`);
    expect(out.text()).toContain(a3?.text);
    expect(out.text()).toContain(`${profilePath()}#A3`);
    const ids = (await loadCases())
      .filter((c) =>
        c.rule
          .split(',')
          .map((r) => r.trim())
          .includes('A3'),
      )
      .map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(out.text()).toContain(`Cases that check A3 (${ids.length}):`);
    for (const id of ids) expect(out.text()).toMatch(new RegExp(`^  ${id}$`, 'm'));
    expect(out.text()).not.toContain('EVO-');
  });

  it('accepts a lower-case id and names a rule no case cites', async () => {
    const out = capture();
    expect(await rulesVerb(['e5'], fakeDeps(['A3']), out.io)).toBe(0);
    expect(out.text()).toMatch(/^E5 — /);
    expect(out.text()).toContain('Cases that check E5 (0):');
  });

  it('an unknown rule id is bad usage: exit 2 with one line saying what to do', async () => {
    await expect(rulesVerb(['Z9'], fakeDeps([]), capture().io)).rejects.toThrow(UsageError);
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => {
      err += String(t);
      return true;
    });
    expect(await main(['rules', 'A10'])).toBe(2);
    expect(err).toBe(
      "wsconform rules: unknown rule 'A10' — give one of C1–C7, A0–A9, E1–E12; 'wsconform rules' lists them\n",
    );
  });

  it('--help says what the verb does, exit 0', async () => {
    const out = capture();
    expect(await rulesVerb(['--help'], fakeDeps([]), out.io)).toBe(0);
    expect(out.text()).toMatch(/^wsconform rules \[RULE\]/);
    expect(out.text()).toContain('spec/PROFILE.md');
  });

  it('two ids are bad usage too', async () => {
    await expect(rulesVerb(['A3', 'A4'], fakeDeps([]), capture().io)).rejects.toThrow(/at most one rule id/);
  });
});
