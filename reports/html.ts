import type { RunRecord } from '../src/engine/events.js';
import { buildReport, type ReportMeta } from './json.js';

// index.html: one self-contained page (no external scripts, styles or fonts, so it opens from a
// CI artifact or offline): the summary, a filter by verdict and text, and each case's reason,
// notes and transcript on click. The report data is embedded as JSON and rendered with
// textContent only, so nothing a server sent can become markup.

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
.v-pass{color:#137333}.v-fail{color:#c5221f}.v-non-strict{color:#b06000}.v-informational{color:#1a73e8}.v-unimplemented{color:#666}
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
  if (c.target) td.append(el('p', 'Target: ' + c.target));
  if (c.seed !== undefined) td.append(el('p', 'Seed: ' + c.seed));
  if (c.counterexample !== undefined) { td.append(el('p', 'Counterexample:')); td.append(el('pre', JSON.stringify(c.counterexample, null, 2))); }
  for (const n of c.notes || []) td.append(el('pre', '+' + n.t + 'ms ' + (n.conn ? '#' + n.conn + ' ' : '') + 'note: ' + n.text));
  if (!c.transcript.length) td.append(el('p', 'No transcript.'));
  for (const e of c.transcript) td.append(el('pre', '+' + e.t + 'ms ' + (e.conn ? '#' + e.conn + ' ' : '') + (e.dir === 'in' ? '<- ' : '-> ') + e.kind + ' ' + e.data, 'dir-' + e.dir));
  const tr = el('tr', undefined, 'detail'); tr.append(td); return tr;
}
function render() {
  rows.textContent = '';
  const q = search.value.trim().toLowerCase();
  for (const c of report.cases) {
    if (verdict !== 'all' && c.verdict !== verdict) continue;
    if (q && !(c.id + ' ' + c.title + ' ' + c.rule + ' ' + c.suite + ' ' + (c.reason || '')).toLowerCase().includes(q)) continue;
    const tr = el('tr', undefined, 'case');
    // the reason of anything but a pass shows without a click: it is what the reader came for
    const title = el('td', c.title);
    if (c.verdict !== 'pass' && c.reason) title.append(el('div', c.reason, 'reason'));
    tr.append(el('td', c.verdict.toUpperCase(), 'v-' + c.verdict), el('td', c.id, 'id'), el('td', c.rule), el('td', c.suite), title, el('td', c.durationMs + ' ms'));
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
render();
`;

export function renderHtml(run: RunRecord, meta: ReportMeta): string {
  const report = buildReport(run, meta);
  const s = report.summary;
  const cards: [string, string, number][] = [
    ['all', 'all', report.cases.length],
    ['fail', 'fail', s.fail],
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
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wsconform report</title><style>${STYLE}</style></head>
<body>
<h1>wsconform report</h1>
<div class="meta">${htmlEscape(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · seed ${report.seed}${report.strict ? ' · strict' : ''} · ${targets}</div>
<div class="cards">${cardHtml}</div>
<input id="search" type="search" placeholder="filter by id, rule, title or reason">
<table><thead><tr><th>verdict</th><th>case</th><th>rule</th><th>suite</th><th>checks</th><th>time</th></tr></thead>
<tbody id="rows"></tbody></table>
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
