import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { REPORT_FILES, writeReports } from '../../reports/index.js';
import { buildReport } from '../../reports/json.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { loadProfile, profilePath } from '../../src/util/profile.js';
import { fakeRecord } from './_record.js';
import { reportErrors } from './_schema.js';

const PROFILE_HREF = '../spec/PROFILE.md';
const RULE_IDS = new Set(loadProfile().map((r) => r.id));

const meta = { version: '0.1.0', strict: false, embedded: false };
const out = mkdtempSync(join(tmpdir(), 'wsconform-reports-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A minimal XML well-formedness check: one root, balanced tags, no stray '<' or '&'. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(
    /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(amp|lt|gt|quot|apos);)/g,
  )) {
    if (m[2] === undefined) {
      problems.push(`stray ${m[0]} at ${m.index}`);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length) problems.push(`unclosed ${stack.join(',')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

describe('report.json', () => {
  it('validates against spec/report.schema.json, with the contract fields', () => {
    const report = JSON.parse(JSON.stringify(buildReport(fakeRecord(), meta)));
    expect(reportErrors(report)).toEqual([]);
    expect(report).toMatchObject({
      tool: 'wsconform',
      version: '0.1.0',
      seed: 42,
      summary: { pass: 1, fail: 3, nonStrict: 1, informational: 1, unimplemented: 2, error: 2 },
    });
    // findings are always written, every one of them; the listed case keeps why it is listed
    for (const c of report.cases) expect(Array.isArray(c.findings)).toBe(true);
    const byId = (id: string) => report.cases.find((c: { id: string }) => c.id === id);
    expect(byId('EVO-AUTH-001').findings).toEqual([]);
    expect(byId('EVO-AUTH-003').findings.map((f: { level: string }) => f.level)).toEqual(['must', 'should']);
    expect(byId('EVO-AUTH-003').findings[0]).toMatchObject({ rule: 'E2', transcriptIndex: 1 });
    // the evidence in one line: the transcript entry the finding points at
    expect(byId('EVO-AUTH-003').findings[1].evidence).toBe('+5ms in close 1006');
    expect(byId('EVO-AUTH-004').expectedFailure).toMatch(/SRV-123/);
    expect(byId('EVO-AUTH-003')).not.toHaveProperty('expectedFailure');
    expect(byId('EVO-SUBSCRIPTIONS-003')).toMatchObject({ verdict: 'error', findings: [] });
    const ce = report.cases.find((c: { id: string }) => c.id === 'EVO-ERRORS-004');
    expect(ce.counterexample).toEqual({
      type: 'subscribe',
      bytes: { $binary: 'AQID' },
      big: '10n',
      nested: { undef: null, nan: 'NaN' },
    });
    expect(ce.seed).toBe(42);
  });

  it('the schema rejects what the contract forbids', () => {
    const report = JSON.parse(JSON.stringify(buildReport(fakeRecord(), meta)));
    expect(reportErrors({ ...report, tool: 'other' })).not.toEqual([]);
    const noReason = structuredClone(report);
    delete noReason.cases[1].reason;
    expect(reportErrors(noReason).join()).toMatch(/reason/);
    const badVerdict = structuredClone(report);
    badVerdict.cases[0].verdict = 'PASS';
    expect(reportErrors(badVerdict)).not.toEqual([]);
    const badKind = structuredClone(report);
    badKind.cases[0].transcript[0].kind = 'note';
    expect(reportErrors(badKind)).not.toEqual([]);
    const noErrorCount = structuredClone(report);
    delete noErrorCount.summary.error;
    expect(reportErrors(noErrorCount).join()).toMatch(/error/);
    const badLevel = structuredClone(report);
    badLevel.cases[1].findings[0].level = 'MUST';
    expect(reportErrors(badLevel)).not.toEqual([]);
    const badRule = structuredClone(report);
    badRule.cases[1].findings[0].rule = 'see spec';
    expect(reportErrors(badRule)).not.toEqual([]);
  });

  it('the schema holds verdict and findings together: a fail has a MUST finding, only a fail has one', () => {
    const report = JSON.parse(JSON.stringify(buildReport(fakeRecord(), meta)));
    const failWithoutMust = structuredClone(report);
    failWithoutMust.cases[1].findings = failWithoutMust.cases[1].findings.filter(
      (f: { level: string }) => f.level !== 'must',
    );
    expect(reportErrors(failWithoutMust)).not.toEqual([]);
    const passWithMust = structuredClone(report);
    passWithMust.cases[0].findings = [{ rule: 'E2', level: 'must', message: 'x' }];
    expect(reportErrors(passWithMust)).not.toEqual([]);
    const nonStrictWithoutShould = structuredClone(report);
    nonStrictWithoutShould.cases[2].findings = [];
    expect(reportErrors(nonStrictWithoutShould)).not.toEqual([]);
  });

  it('a result without findings (an older engine) still gets one from its reason', () => {
    const run = fakeRecord();
    run.results = run.results.map((r) => ({ ...r, findings: [] }));
    const report = JSON.parse(JSON.stringify(buildReport(run, meta)));
    expect(reportErrors(report)).toEqual([]);
    expect(report.cases[1].findings).toEqual([
      { rule: 'E2', level: 'must', message: 'no error AUTH_FAILED within 1000 ms <script>alert(1)</script>' },
    ]);
  });

  it('writeReports writes the four files into --out, and report.json validates', async () => {
    const paths = await writeReports(join(out, 'nested', 'dir'), fakeRecord(), meta);
    expect(paths.map((p) => p.split(/[\\/]/).pop()).sort()).toEqual(Object.values(REPORT_FILES).sort());
    const written = JSON.parse(readFileSync(join(out, 'nested', 'dir', 'report.json'), 'utf8'));
    expect(reportErrors(written)).toEqual([]);
  });

  it("the rule links of index.html and summary.md reach the package's spec/PROFILE.md from the report folder", async () => {
    const dir = join(out, 'links');
    await writeReports(dir, fakeRecord(), meta);
    const hrefs = [
      ...[...readFileSync(join(dir, 'index.html'), 'utf8').matchAll(/href="([^"#]+)#(\w+)"/g)].map((m) =>
        m.slice(1),
      ),
      ...[...readFileSync(join(dir, 'summary.md'), 'utf8').matchAll(/\]\(([^)#]+)#(\w+)\)/g)].map((m) =>
        m.slice(1),
      ),
    ];
    expect(hrefs.length).toBeGreaterThan(4);
    for (const [href, rule] of hrefs) {
      const file = href?.startsWith('file:')
        ? fileURLToPath(href)
        : resolve(dir, decodeURIComponent(href ?? ''));
      expect(file).toBe(profilePath());
      expect(RULE_IDS.has(rule ?? '')).toBe(true);
    }
  });
});

describe('junit.xml', () => {
  it('is well-formed: one testsuite per suite, failures and skips counted', () => {
    const xml = renderJunit(fakeRecord(), { strict: false });
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testsuite /g)).toHaveLength(6); // auth, heartbeat, subscriptions, errors, rate-limits, schema
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    // EVO-AUTH-004 is an expected failure: skipped, so that the dashboard agrees with the exit code
    expect(xml).toMatch(/<testsuites name="wsconform" tests="10" failures="2" errors="2" skipped="3"/);
    expect(xml).toMatch(/<skipped message="expected failure \(fail\): tracked in SRV-123/);
    expect(xml).toContain('<system-out>NON-STRICT: pong carries the server time</system-out>');
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('&lt;script&gt;');
  });

  it('an error verdict is an <error>; a failure lists every finding with its rule before the transcript', () => {
    const xml = renderJunit(fakeRecord(), { strict: false });
    expect(
      xml.match(/<error type="error" message="precondition not met: authentication, see EVO-AUTH-001">/g),
    ).toHaveLength(2);
    expect(xml).toMatch(/<testsuite name="subscriptions" [^>]*failures="0" errors="2"/);
    expect(xml).toContain(
      '>MUST E2 (spec/PROFILE.md#E2): no error AUTH_FAILED within 1000 ms &lt;script&gt;alert(1)&lt;/script&gt;\n  evidence: +2ms in text &lt;/script&gt;',
    );
    expect(xml).toContain(
      '\nSHOULD E2 (spec/PROFILE.md#E2): the connection was not closed within 1 s\n  evidence: +5ms in close 1006\n\n+0ms out text',
    );
  });

  it('under --strict a non-strict case is a failure', () => {
    const xml = renderJunit(fakeRecord(), { strict: true });
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/<failure type="non-strict" message="pong carries the server time">/);
    expect(xml).toMatch(/<testsuites [^>]*failures="3" errors="2"/);
  });
});

describe('index.html', () => {
  const html = renderHtml(fakeRecord(), { ...meta, profileHref: PROFILE_HREF });
  const dataOf = (id: string) =>
    new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(html)?.[1] ?? '';

  it('is self-contained: no external scripts, styles or fonts; links only to its own rows and PROFILE.md', () => {
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      const [path, anchor] = href.split('#');
      if (path === '') expect(anchor).toMatch(/^case-(ATH|EVO)-/);
      else {
        expect(path).toBe(PROFILE_HREF);
        if (anchor !== undefined) expect(RULE_IDS.has(anchor)).toBe(true);
      }
    }
  });

  it('embeds the report and the cited rules so that server data cannot close the script element', () => {
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    const report = JSON.parse(dataOf('report-data'));
    expect(report.cases).toHaveLength(10);
    expect(report.cases[1].transcript[1].data).toContain('</script><script>alert("xss")</script>');
    const profile = JSON.parse(dataOf('profile-data'));
    expect(profile.href).toBe(PROFILE_HREF);
    const e2 = loadProfile().find((r) => r.id === 'E2');
    expect(profile.rules.E2).toEqual({ summary: e2?.summary, text: e2?.text });
    expect(Object.keys(profile.rules).sort()).toEqual(['C5', 'C6', 'E10', 'E2', 'E3', 'E4', 'E9']);
  });

  it('its inline script is valid JavaScript', () => {
    const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(script).toContain('report-data');
    expect(() => new Function(script)).not.toThrow();
  });

  it('opens on the failures, then the errors, then the SHOULDs not met, grouped by rule with its text, before the table', () => {
    const at = (text: string) => {
      const i = html.indexOf(text);
      expect(i, text).toBeGreaterThan(-1);
      return i;
    };
    const failures = at('Failures: MUST not met (3 cases)');
    const errors = at('Errors: could not be judged (2 cases)');
    const should = at('Non-strict: SHOULD not met (2 cases)');
    const table = at('<h2>All cases</h2>');
    expect(failures).toBeLessThan(errors);
    expect(errors).toBeLessThan(should);
    expect(should).toBeLessThan(table);
    const overview = html.slice(failures, table);
    // one rule block per rule and level, with the rule's summary, its text (escaped) and a link
    const e2 = loadProfile().find((r) => r.id === 'E2');
    expect(overview).toContain(`<a href="${PROFILE_HREF}#E2">E2</a> — ${e2?.summary}`);
    expect(overview).toContain('Bearer &lt;jwt&gt;');
    expect(overview.match(/<div class="rule">/g)).toHaveLength(4); // E2, E9 (MUST); E2, E3 (SHOULD)
    // the finding two cases share is listed once, with both cases
    expect(overview.match(/no error AUTH_FAILED within 1000 ms/g)).toHaveLength(1);
    expect(overview).toContain(
      '<b>2 cases</b>: no error AUTH_FAILED within 1000 ms &lt;script&gt;alert(1)&lt;/script&gt; — <a href="#case-EVO-AUTH-003" data-case="EVO-AUTH-003">EVO-AUTH-003</a>, <a href="#case-EVO-AUTH-004" data-case="EVO-AUTH-004">EVO-AUTH-004</a> <span class="expected">(expected failure)</span>',
    );
    expect(overview).toContain('<b>2 cases</b>: precondition not met: authentication, see EVO-AUTH-001');
    expect(overview).not.toContain('<script>alert');
    expect(overview).not.toContain('the server sends auth_ok'); // informational is not a failure
  });

  it('renders one row per case with every finding and its rule link, and filters by verdict and text (minimal DOM)', () => {
    class El {
      children: El[] = [];
      text = '';
      className = '';
      colSpan = 0;
      value = '';
      id = '';
      href = '';
      title = '';
      dataset: Record<string, string> = {};
      listeners: Record<string, () => void> = {};
      classList = { toggle: () => {} };
      get textContent() {
        return this.text;
      }
      set textContent(t: string) {
        this.text = t;
        this.children = [];
      }
      append(...c: El[]) {
        this.children.push(...c);
      }
      after() {}
      remove() {}
      addEventListener(type: string, f: () => void) {
        this.listeners[type] = f;
      }
      all(): El[] {
        return [this, ...this.children.flatMap((c) => c.all())];
      }
    }
    const rows = new El();
    const search = new El();
    const cards = ['all', 'fail', 'error', 'pass'].map((v) =>
      Object.assign(new El(), { dataset: { verdict: v } }),
    );
    const document = {
      getElementById: (id: string) =>
        id === 'report-data'
          ? { textContent: dataOf('report-data') }
          : id === 'profile-data'
            ? { textContent: dataOf('profile-data') }
            : id === 'rows'
              ? rows
              : search,
      querySelectorAll: (selector: string) => (selector === '.card' ? cards : []),
      createElement: () => new El(),
    };
    const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    new Function('document', script)(document);
    expect(rows.children).toHaveLength(10);
    const row = rows.children.find((r) => r.id === 'case-EVO-AUTH-003');
    const findings = row?.all().filter((e) => e.className === 'finding') ?? [];
    expect(
      findings.map((f) =>
        f
          .all()
          .map((e) => e.text)
          .join(''),
      ),
    ).toEqual([
      'MUSTE2: no error AUTH_FAILED within 1000 ms <script>alert(1)</script>',
      'SHOULDE2: the connection was not closed within 1 s',
    ]);
    expect(findings[0]?.all().find((e) => e.href)?.href).toBe(`${PROFILE_HREF}#E2`);
    const errorRow = rows.children.find((r) => r.id === 'case-EVO-SUBSCRIPTIONS-003');
    expect(errorRow?.all().map((e) => e.text)).toContain(
      'precondition not met: authentication, see EVO-AUTH-001',
    );
    cards[1]?.listeners.click?.();
    expect(rows.children.map((r) => r.children[1]?.textContent)).toEqual([
      'EVO-AUTH-003',
      'EVO-ERRORS-004',
      'EVO-AUTH-004',
    ]);
    cards[2]?.listeners.click?.();
    expect(rows.children.map((r) => r.children[0]?.textContent)).toEqual(['ERROR', 'ERROR']);
    cards[0]?.listeners.click?.();
    search.value = 'heartbeat';
    search.listeners.input?.();
    expect(rows.children).toHaveLength(1);
    search.value = 'not closed within'; // a finding's message is searchable
    search.listeners.input?.();
    expect(rows.children.map((r) => r.children[1]?.textContent)).toEqual(['EVO-AUTH-003']);
  });

  it('has the summary and a verdict filter', () => {
    for (const v of ['all', 'fail', 'error', 'non-strict', 'unimplemented', 'informational', 'pass'])
      expect(html).toContain(`data-verdict="${v}"`);
    expect(html).toContain('<b>3</b>fail');
    expect(html).toContain('<b>2</b>error');
    expect(html).toContain('FAILED</b>');
  });
});

describe('summary.md', () => {
  const md = renderMarkdown(fakeRecord(), { strict: false, profileHref: PROFILE_HREF });

  it('has the counts table, error included', () => {
    expect(md).toContain('**FAILED**');
    expect(md).toContain(
      '| suite | pass | fail | non-strict | informational | unimplemented | error | total |',
    );
    expect(md).toContain('| **all** | 1 | 3 | 1 | 1 | 2 | 2 | 10 |');
  });

  it('lists every finding by rule, linked to PROFILE.md, identical ones once for all their cases', () => {
    const e2 = loadProfile().find((r) => r.id === 'E2');
    expect(md).toContain('## Failures: MUST not met (3 cases)');
    expect(md).toContain(`### [E2](${PROFILE_HREF}#E2) — ${e2?.summary}`);
    expect(md).toContain(
      '- **2 cases**: no error AUTH_FAILED within 1000 ms &lt;script&gt;alert(1)&lt;/script&gt; — EVO-AUTH-003, EVO-AUTH-004 (expected failure)',
    );
    expect(md.match(/no error AUTH_FAILED/g)).toHaveLength(1);
    expect(md).toContain(
      '- EVO-ERRORS-004: property failed: an invalid subscribe got no error within 1000 ms',
    );
    expect(md).toContain('## Errors: could not be judged (2)');
    expect(md).toContain(
      '- **2 cases**: precondition not met: authentication, see EVO-AUTH-001 — EVO-SUBSCRIPTIONS-003, EVO-SUBSCRIPTIONS-004',
    );
    expect(md).toContain('## Non-strict: SHOULD not met (2 cases)');
    expect(md).toContain('- EVO-AUTH-003: the connection was not closed within 1 s');
    expect(md).toContain('- EVO-AUTH-009: the server sends auth_ok');
    expect(md).toContain('- EVO-RATE-LIMITS-001: the run has no jwtSecret (pass --jwt-secret)');
    // every finding of every case is in it
    for (const r of fakeRecord().results)
      for (const f of r.findings) expect(md).toContain(f.message.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    // sections in the order of the page: failures, errors, SHOULDs
    expect(md.indexOf('## Failures')).toBeLessThan(md.indexOf('## Errors'));
    expect(md.indexOf('## Errors')).toBeLessThan(md.indexOf('## Non-strict'));
  });

  it('lists the cases of --expected-failures with why they are listed', () => {
    expect(md).toContain(
      '| EVO-AUTH-004 | fail (expected failure) | tracked in SRV-123: the server ignores bad tokens until the next release |',
    );
  });
});
