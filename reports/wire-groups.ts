import { type CaseResult, VERDICTS } from '../src/engine/types.js';

// Issue 12 §1: the wire cases grouped as Autobahn's and RFC 6455's readers look for them — by RFC
// section and by Autobahn category — from the `refs` each generated case carries. Verdict counts per
// group; the cases themselves are in report.json (refs.rfc, refs.autobahn) and index.html.

/** Autobahn's category names (its report's headings). */
const AUTOBAHN_CATEGORIES: Record<string, string> = {
  '1': 'Framing',
  '2': 'Pings/Pongs',
  '3': 'Reserved Bits',
  '4': 'Opcodes',
  '5': 'Fragmentation',
  '6': 'UTF-8 Handling',
  '7': 'Close Handling',
  '9': 'Limits/Performance',
  '10': 'Misc',
};

export interface WireGroup {
  name: string;
  counts: Record<CaseResult['verdict'], number>;
  total: number;
}

function group(results: readonly CaseResult[], key: (r: CaseResult) => string | undefined): WireGroup[] {
  const groups = new Map<string, WireGroup>();
  for (const r of results) {
    const name = key(r);
    if (name === undefined) continue;
    let g = groups.get(name);
    if (!g) {
      g = { name, counts: Object.fromEntries(VERDICTS.map((v) => [v, 0])) as WireGroup['counts'], total: 0 };
      groups.set(name, g);
    }
    g.counts[r.verdict]++;
    g.total++;
  }
  const order = (s: string) =>
    s
      .split(/[^0-9]+/)
      .filter(Boolean)
      .map(Number);
  return [...groups.values()].sort((a, b) => {
    const x = order(a.name);
    const y = order(b.name);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? -1) - (y[i] ?? -1);
      if (d !== 0) return d;
    }
    return a.name.localeCompare(b.name);
  });
}

/** Verdict counts by RFC 6455 section of the cases that name one. */
export function byRfcSection(results: readonly CaseResult[]): WireGroup[] {
  return group(results, (r) => (r.refs ? `§${r.refs.rfc}` : undefined));
}

/** Verdict counts by Autobahn category of the cases that are an Autobahn case. */
export function byAutobahnCategory(results: readonly CaseResult[]): WireGroup[] {
  return group(results, (r) => {
    const top = r.refs?.autobahn?.split('.')[0];
    return top === undefined ? undefined : `${top}. ${AUTOBAHN_CATEGORIES[top] ?? ''}`.trim();
  });
}

function table(title: string, head: string, groups: readonly WireGroup[]): string {
  if (groups.length === 0) return '';
  const lines = groups.map(
    (g) => `| ${g.name} | ${VERDICTS.map((v) => g.counts[v]).join(' | ')} | ${g.total} |`,
  );
  return `\n### ${title}\n\n| ${head} | ${VERDICTS.join(' | ')} | total |\n|---|${VERDICTS.map(() => '---:|').join('')}---:|\n${lines.join('\n')}\n`;
}

/** summary.md's section on the wire cases; empty when the run has none. */
export function wireGroupsMarkdown(results: readonly CaseResult[]): string {
  const rfc = byRfcSection(results);
  if (rfc.length === 0) return '';
  return (
    '\n## Wire cases (RFC 6455)\n' +
    table('By RFC 6455 section', 'section', rfc) +
    table(
      'By Autobahn testsuite category (cases that are an Autobahn case)',
      'category',
      byAutobahnCategory(results),
    )
  );
}

function htmlTable(
  title: string,
  head: string,
  groups: readonly WireGroup[],
  esc: (s: string) => string,
): string {
  if (groups.length === 0) return '';
  const rows = groups
    .map(
      (g) =>
        `<tr><td>${esc(g.name)}</td>${VERDICTS.map((v) => `<td>${g.counts[v]}</td>`).join('')}<td>${g.total}</td></tr>`,
    )
    .join('');
  return `<h3>${esc(title)}</h3><table><thead><tr><th>${esc(head)}</th>${VERDICTS.map((v) => `<th>${v}</th>`).join('')}<th>total</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** index.html's section on the wire cases (collapsed); empty when the run has none. */
export function wireGroupsHtml(results: readonly CaseResult[], esc: (s: string) => string): string {
  const rfc = byRfcSection(results);
  if (rfc.length === 0) return '';
  return (
    '<details id="wire-groups"><summary><h2 style="display:inline">Wire cases (RFC 6455)</h2></summary>' +
    htmlTable('By RFC 6455 section', 'section', rfc, esc) +
    htmlTable('By Autobahn testsuite category', 'category', byAutobahnCategory(results), esc) +
    '<p>Filter the table below by "§7.4.1" or "Autobahn 6.4" to see the cases of a group.</p></details>'
  );
}
