import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { REPORT_FILES, writeReports } from '../../reports/index.js';
import { buildReport } from '../../reports/json.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { fakeRecord } from './_record.js';
import { reportErrors } from './_schema.js';

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
      summary: { pass: 1, fail: 2, nonStrict: 1, informational: 1, unimplemented: 2 },
    });
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
  });

  it('writeReports writes the four files into --out, and report.json validates', async () => {
    const paths = await writeReports(join(out, 'nested', 'dir'), fakeRecord(), meta);
    expect(paths.map((p) => p.split(/[\\/]/).pop()).sort()).toEqual(Object.values(REPORT_FILES).sort());
    const written = JSON.parse(readFileSync(join(out, 'nested', 'dir', 'report.json'), 'utf8'));
    expect(reportErrors(written)).toEqual([]);
  });
});

describe('junit.xml', () => {
  it('is well-formed: one testsuite per suite, failures and skips counted', () => {
    const xml = renderJunit(fakeRecord(), { strict: false });
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testsuite /g)).toHaveLength(5); // auth, heartbeat, errors, rate-limits, schema
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml).toMatch(/<testsuites name="wsconform" tests="7" failures="2" errors="0" skipped="2"/);
    expect(xml).toContain('<system-out>NON-STRICT: pong carries the server time</system-out>');
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('&lt;script&gt;');
  });

  it('under --strict a non-strict case is a failure', () => {
    const xml = renderJunit(fakeRecord(), { strict: true });
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/<failure type="non-strict" message="pong carries the server time">/);
    expect(xml).toMatch(/<testsuites [^>]*failures="3"/);
  });
});

describe('index.html', () => {
  const html = renderHtml(fakeRecord(), meta);

  it('is self-contained: no external scripts, styles, fonts or links', () => {
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/href=/i);
  });

  it('embeds the report so that server data cannot close the script element', () => {
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const report = JSON.parse(data);
    expect(report.cases).toHaveLength(7);
    expect(report.cases[1].transcript[1].data).toContain('</script><script>alert("xss")</script>');
  });

  it('its inline script is valid JavaScript', () => {
    const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(script).toContain('report-data');
    expect(() => new Function(script)).not.toThrow();
  });

  it('renders one row per case and filters by verdict and text (run against a minimal DOM)', () => {
    class El {
      children: El[] = [];
      text = '';
      className = '';
      colSpan = 0;
      value = '';
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
    }
    const rows = new El();
    const search = new El();
    const cards = ['all', 'fail', 'pass'].map((v) => Object.assign(new El(), { dataset: { verdict: v } }));
    const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const document = {
      getElementById: (id: string) =>
        id === 'report-data' ? { textContent: data } : id === 'rows' ? rows : search,
      querySelectorAll: () => cards,
      createElement: () => new El(),
    };
    const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    new Function('document', script)(document);
    expect(rows.children).toHaveLength(7);
    cards[1]?.listeners.click?.();
    expect(rows.children.map((r) => r.children[1]?.textContent)).toEqual(['EVO-AUTH-003', 'EVO-ERRORS-004']);
    cards[0]?.listeners.click?.();
    search.value = 'heartbeat';
    search.listeners.input?.();
    expect(rows.children).toHaveLength(1);
  });

  it('has the summary and a verdict filter', () => {
    for (const v of ['all', 'fail', 'non-strict', 'unimplemented', 'informational', 'pass'])
      expect(html).toContain(`data-verdict="${v}"`);
    expect(html).toContain('<b>2</b>fail');
  });
});

describe('summary.md', () => {
  it('has the counts table and lists failures with reasons', () => {
    const md = renderMarkdown(fakeRecord(), { strict: false });
    expect(md).toContain('**FAILED**');
    expect(md).toContain('| **all** | 1 | 2 | 1 | 1 | 2 | 7 |');
    expect(md).toContain('## Failures (2)');
    expect(md).toMatch(/\| EVO-AUTH-003 \| E2 \| .* \| no error AUTH_FAILED within 1000 ms/);
    expect(md).toContain('## Non-strict (SHOULD not met) (1)');
  });
});
