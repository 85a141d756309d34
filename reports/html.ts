import { runOutcome } from '../src/engine/outcome.js';
import type { RunRecord } from '../src/engine/events.js';
import type { Level } from '../src/engine/types.js';
import { citedRules, loadProfile, type ProfileRule } from '../src/util/profile.js';
import { byRule, caseLabels, type FindingGroup, groupFindings, groupReasons } from './findings.js';
import { buildReport, type ReportMeta } from './json.js';
import { profileLink } from './profile-link.js';
import { wireGroupsHtml } from './wire-groups.js';

// index.html: one self-contained page (no external scripts, styles or fonts, so it opens from a
// CI artifact or offline). It opens on what did not pass — the failures, then the cases that
// could not be judged, then the SHOULDs not met — grouped by rule with the rule's text (embedded
// from spec/PROFILE.md, and linked to it), identical findings across cases counted once; then
// every case with all its findings, a filter by verdict and text, and each case's notes and
// transcript on click. Server data reaches the page only escaped (the overview) or as embedded
// JSON rendered with textContent (the table), so nothing a server sent can become markup.

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d1d1f;background:#fafafa}
h1{font-size:1.4rem;margin:0 0 .5rem}
.meta{color:#555;margin-bottom:1rem}
.cards{display:flex;gap:.5rem;flex-wrap:wrap;margin-bottom:1rem}
.card{padding:.4rem .8rem;border-radius:6px;background:#fff;border:1px solid #ddd;cursor:pointer}
.card.on{outline:2px solid #333}
.card b{font-size:1.2rem;margin-right:.3rem}
.v-pass{color:#137333}.v-fail{color:#c5221f}.v-non-strict{color:#b06000}.v-informational{color:#1a73e8}.v-unimplemented{color:#666}.v-error{color:#8e24aa}
h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
.rule{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;margin:.5rem 0}
.rule h3{font-size:1rem;margin:.1rem 0 .3rem}
.rule ul,.groups{margin:.3rem 0;padding-left:1.2rem}
.ruletext{color:#333;background:#f7f7f7;padding:.4rem .6rem;border-radius:4px}
.finding{font-size:.92em;margin-top:.15rem}
.lvl{font-size:.75em;font-weight:600;border-radius:3px;padding:0 .3rem;margin-right:.3rem;border:1px solid currentColor}
.expected{color:#555;font-style:italic}
mark{background:#fff3c4}
input{padding:.3rem .5rem;width:20rem;margin-bottom:.8rem}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
td:last-child{white-space:nowrap}
tr.case{cursor:pointer}tr.case:hover{background:#f3f6fb}
.detail td{background:#f7f7f7}
pre{margin:.3rem 0;white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace}
.dir-in{color:#0b5394}.dir-out{color:#6a329f}
.reason{color:#555;font-size:.92em;margin-top:.15rem}
td.id{white-space:nowrap}
`;

const SCRIPT = `
const report = JSON.parse(document.getElementById('report-data').textContent);
const rows = document.getElementById('rows');
const search = document.getElementById('search');
let verdict = 'all';
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
function detail(c) {
  const td = el('td'); td.colSpan = 6;
  if (c.reason) td.append(el('p', 'Reason: ' + c.reason));
  if (c.expectedFailure) td.append(el('p', 'Listed in --expected-failures: ' + c.expectedFailure, 'expected'));
  c.findings.forEach((f, i) => td.append(findingLine(f, '#' + (i + 1) + ' ')));
  if (c.target) td.append(el('p', 'Target: ' + c.target));
  if (c.seed !== undefined) td.append(el('p', 'Seed: ' + c.seed));
  if (c.counterexample !== undefined) { td.append(el('p', 'Counterexample:')); td.append(el('pre', JSON.stringify(c.counterexample, null, 2))); }
  for (const n of c.notes || []) td.append(el('pre', '+' + n.t + 'ms ' + (n.conn ? '#' + n.conn + ' ' : '') + 'note: ' + n.text));
  if (!c.transcript.length) td.append(el('p', 'No transcript.'));
  c.transcript.forEach((e, i) => {
    // the evidence of a finding is the transcript entry it was made after
    const marks = c.findings.map((f, n) => f.transcriptIndex === i ? ' ◀ evidence of #' + (n + 1) + ' (' + f.rule + ')' : '').join('');
    const pre = el('pre', '+' + e.t + 'ms ' + (e.conn ? '#' + e.conn + ' ' : '') + (e.dir === 'in' ? '<- ' : '-> ') + e.kind + ' ' + e.data, 'dir-' + e.dir);
    if (marks) pre.append(el('mark', marks));
    td.append(pre);
  });
  const tr = el('tr', undefined, 'detail'); tr.append(td); return tr;
}
const profile = JSON.parse(document.getElementById('profile-data').textContent);
const LEVEL = { must: ['MUST', 'v-fail'], should: ['SHOULD', 'v-non-strict'], may: ['MAY', 'v-informational'] };
function ruleLink(rule) {
  const a = el('a', rule); a.href = profile.href + '#' + rule;
  const r = profile.rules[rule]; if (r) a.title = r.summary;
  a.addEventListener('click', (e) => e.stopPropagation());
  return a;
}
function findingLine(f, prefix) {
  const d = el('div', undefined, 'finding');
  const [label, cls] = LEVEL[f.level] || [f.level, ''];
  if (prefix) d.append(el('span', prefix));
  d.append(el('span', label, 'lvl ' + cls), ruleLink(f.rule), el('span', ': ' + f.message));
  return d;
}
function render() {
  rows.textContent = '';
  const q = search.value.trim().toLowerCase();
  for (const c of report.cases) {
    if (verdict !== 'all' && c.verdict !== verdict) continue;
    if (q && !(c.id + ' ' + c.title + ' ' + c.rule + ' ' + c.suite + ' ' + (c.reason || '') + ' ' + c.findings.map((f) => f.message).join(' ')).toLowerCase().includes(q)) continue;
    const tr = el('tr', undefined, 'case');
    tr.id = 'case-' + c.id;
    // every finding (or, without findings, the reason) shows without a click: it is what the reader came for
    const title = el('td', c.title);
    for (const f of c.findings) title.append(findingLine(f));
    if (c.verdict !== 'pass' && c.reason && !c.findings.length) title.append(el('div', c.reason, 'reason'));
    if (c.expectedFailure) title.append(el('div', 'expected failure: ' + c.expectedFailure, 'expected'));
    const rules = el('td'); c.rule.split(',').forEach((r, i) => { if (i) rules.append(el('span', ',')); rules.append(ruleLink(r.trim())); });
    tr.append(el('td', c.verdict.toUpperCase(), 'v-' + c.verdict), el('td', c.id, 'id'), rules, el('td', c.suite), title, el('td', c.durationMs + ' ms'));
    let open = null;
    tr.addEventListener('click', () => { if (open) { open.remove(); open = null; } else { open = detail(c); tr.after(open); } });
    rows.append(tr);
  }
}
for (const card of document.querySelectorAll('.card')) card.addEventListener('click', () => {
  verdict = card.dataset.verdict;
  for (const c of document.querySelectorAll('.card')) c.classList.toggle('on', c === card);
  render();
});
search.addEventListener('input', render);
// a case id in the overview shows that case in the full table, its details open
function showCase(id) {
  verdict = 'all'; search.value = '';
  for (const c of document.querySelectorAll('.card')) c.classList.toggle('on', c.dataset.verdict === 'all');
  render();
  const tr = document.getElementById('case-' + id);
  if (tr) { tr.click(); tr.scrollIntoView(); }
}
for (const a of document.querySelectorAll('a[data-case]')) a.addEventListener('click', (e) => { e.preventDefault(); showCase(a.dataset.case); });
render();
`;

const LEVEL_LABEL: Record<Level, string> = { must: 'MUST', should: 'SHOULD', may: 'MAY' };

/** Case ids as in-page links to their rows (each id once), marked when listed as expected failures. */
function caseLinks(cases: readonly RunRecord['results'][number][], many: boolean): string {
  const labels = caseLabels(cases, many);
  return labels
    .map((label, i) => {
      const c = cases[i];
      const id = htmlEscape(c?.id ?? label);
      const expected =
        c?.expectedFailure !== undefined ? ' <span class="expected">(expected failure)</span>' : '';
      return `<a href="#case-${id}" data-case="${id}">${htmlEscape(label)}</a>${expected}`;
    })
    .join(', ');
}

function groupItem(message: string, cases: readonly RunRecord['results'][number][], many: boolean): string {
  const count = cases.length === 1 ? '' : `<b>${cases.length} cases</b>: `;
  return `<li>${count}${htmlEscape(message)} — ${caseLinks(cases, many)}</li>`;
}

/** One level's findings, by rule, each rule with its summary, its text and a link to it. */
function ruleSections(
  groups: readonly FindingGroup[],
  level: Level,
  rules: ReadonlyMap<string, ProfileRule>,
  href: string,
  many: boolean,
): string {
  return byRule(groups)
    .map(([rule, list]) => {
      const r = rules.get(rule);
      const id = htmlEscape(rule);
      const text = r
        ? `<details open><summary>${id} in spec/PROFILE.md</summary><pre class="ruletext">${htmlEscape(r.text)}</pre></details>`
        : '';
      return (
        `<div class="rule"><h3><span class="lvl ${level === 'must' ? 'v-fail' : 'v-non-strict'}">${LEVEL_LABEL[level]}</span>` +
        `<a href="${htmlEscape(href)}#${id}">${id}</a>${r ? ` — ${htmlEscape(r.summary)}` : ''}</h3>${text}` +
        `<ul>${list.map((g) => groupItem(g.message, g.cases, many)).join('')}</ul></div>`
      );
    })
    .join('\n');
}

/** The overview the page opens on: failures, then errors, then SHOULDs not met. */
function overview(
  run: RunRecord,
  strict: boolean,
  rules: ReadonlyMap<string, ProfileRule>,
  href: string,
): string {
  const many = run.targets.length > 1;
  const must = groupFindings(run.results, 'must');
  const errors = groupReasons(run.results, 'error');
  const should = groupFindings(run.results, 'should');
  const casesOf = (groups: readonly { cases: readonly unknown[] }[]) =>
    new Set(groups.flatMap((g) => g.cases)).size;
  const parts: string[] = [];
  if (must.length)
    parts.push(
      `<h2 class="v-fail">Failures: MUST not met (${casesOf(must)} cases)</h2>\n${ruleSections(must, 'must', rules, href, many)}`,
    );
  if (errors.length)
    parts.push(
      `<h2 class="v-error">Errors: could not be judged (${casesOf(errors)} cases)</h2>\n` +
        `<p>A precondition the case needs was not met, or the target went down: no finding against a rule, but the run fails.</p>` +
        `<ul class="groups">${errors.map((g) => groupItem(g.reason, g.cases, many)).join('')}</ul>`,
    );
  if (should.length)
    parts.push(
      `<h2 class="v-non-strict">Non-strict: SHOULD not met (${casesOf(should)} cases${strict ? ', failing the run under --strict' : ''})</h2>\n` +
        ruleSections(should, 'should', rules, href, many),
    );
  const fixed = runOutcome(run, strict).fixed;
  if (fixed.length)
    parts.push(
      `<h2>Fixed: listed in --expected-failures, passing now (${fixed.length})</h2>` +
        `<p>Remove them from the expected-failures file: ${caseLinks(fixed, many)}</p>`,
    );
  return parts.length ? `<section id="overview">\n${parts.join('\n')}\n</section>` : '';
}

export function renderHtml(run: RunRecord, meta: ReportMeta): string {
  const report = buildReport(run, meta);
  const s = report.summary;
  const cards: [string, string, number][] = [
    ['all', 'all', report.cases.length],
    ['fail', 'fail', s.fail],
    ['error', 'error', s.error],
    ['non-strict', 'non-strict', s.nonStrict],
    ['unimplemented', 'unimplemented', s.unimplemented],
    ['informational', 'informational', s.informational],
    ['pass', 'pass', s.pass],
  ];
  const cardHtml = cards
    .map(
      ([v, label, n]) =>
        `<span class="card v-${v}${v === 'all' ? ' on' : ''}" data-verdict="${v}"><b>${n}</b>${label}</span>`,
    )
    .join('');
  const targets = report.targets.map((t) => `${htmlEscape(t.url)} (${t.protocol})`).join(', ');
  const href = meta.profileHref ?? profileLink();
  const all = new Map(loadProfile().map((r) => [r.id, r]));
  // the texts of the rules this report cites, so that the page reads offline, without the link
  const cited = new Set(run.results.flatMap((r) => citedRules(r.rule)));
  for (const c of report.cases) for (const f of c.findings) cited.add(f.rule);
  const rules = new Map(
    [...cited].flatMap((id) => (all.has(id) ? [[id, all.get(id) as ProfileRule] as const] : [])),
  );
  const profileData = {
    href,
    rules: Object.fromEntries([...rules].map(([id, r]) => [id, { summary: r.summary, text: r.text }])),
  };
  const failed = runOutcome(run, meta.strict).failed;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wsconform report</title><style>${STYLE}</style></head>
<body>
<h1>wsconform report</h1>
<div class="meta">${htmlEscape(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · seed ${report.seed}${report.strict ? ' · strict' : ''} · ${targets}</div>
<div class="meta"><b class="${failed ? 'v-fail' : 'v-pass'}">${failed ? 'FAILED' : 'PASSED'}</b> · rules: <a href="${htmlEscape(href)}">spec/PROFILE.md</a></div>
<div class="cards">${cardHtml}</div>
${overview(run, meta.strict, rules, href)}
${wireGroupsHtml(run.results, htmlEscape)}
<h2>All cases</h2>
<input id="search" type="search" placeholder="filter by id, rule, title, reason or finding">
<table><thead><tr><th>verdict</th><th>case</th><th>rule</th><th>suite</th><th>checks</th><th>time</th></tr></thead>
<tbody id="rows"></tbody></table>
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script type="application/json" id="profile-data">${scriptJson(profileData)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
