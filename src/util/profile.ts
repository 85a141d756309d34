import { readFileSync } from 'node:fs';
import { specPath } from './package-root.js';

// spec/PROFILE.md is the one place the rule texts live (it ships in the npm package): `wsconform
// rules` and the reports read them from it, never from a copy in code. Each rule is an anchor
// line `<a id="A3"></a>` followed by the heading `### A3 — <one-line summary>`; its text runs to
// the next anchor or heading.

export interface ProfileRule {
  /** e.g. 'A3' */
  id: string;
  /** the heading after the id: one line */
  summary: string;
  /** the rule's text under its heading (Markdown, trimmed) */
  text: string;
  /** the `##` section the rule belongs to, e.g. 'Atheria (A0–A9): path `/ws`, no authentication' */
  section: string;
}

export const PROFILE_FILE = 'PROFILE.md';

/** The path of spec/PROFILE.md in this package (a checkout or an installed package alike). */
export function profilePath(): string {
  return specPath(PROFILE_FILE);
}

const ANCHOR = /^<a id="([CAE]\d+)"><\/a>\s*$/;
const HEADING = /^### ([CAE]\d+) — (.+?)\s*$/;

/** The rules of a PROFILE.md text, in document order; throws on an anchor without its heading. */
export function parseProfile(markdown: string): ProfileRule[] {
  const lines = markdown.split(/\r?\n/);
  const rules: ProfileRule[] = [];
  let section = '';
  let current: { rule: ProfileRule; body: string[] } | undefined;
  const finish = () => {
    if (current) current.rule.text = current.body.join('\n').trim();
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const anchor = ANCHOR.exec(line);
    if (anchor) {
      finish();
      const heading = HEADING.exec(lines[i + 1] ?? '');
      if (!heading || heading[1] !== anchor[1])
        throw new Error(
          `PROFILE.md line ${i + 2}: the anchor ${anchor[1]} must be followed by '### ${anchor[1]} — <summary>'`,
        );
      current = {
        rule: { id: anchor[1] as string, summary: heading[2] as string, text: '', section },
        body: [],
      };
      rules.push(current.rule);
      i++;
      continue;
    }
    if (/^#{1,3} /.test(line)) {
      finish();
      if (line.startsWith('## ')) section = line.slice(3).trim();
      continue;
    }
    current?.body.push(line);
  }
  finish();
  return rules;
}

let cached: ProfileRule[] | undefined;

/** The rules of the package's spec/PROFILE.md (read once). */
export function loadProfile(): ProfileRule[] {
  cached ??= parseProfile(readFileSync(profilePath(), 'utf8'));
  return cached;
}

/** Rule ids in profile order: C before A before E, then by number. */
export function ruleOrder(a: string, b: string): number {
  const group = (id: string) => 'CAE'.indexOf(id[0] ?? '');
  return group(a) - group(b) || Number(a.slice(1)) - Number(b.slice(1));
}

/** The rule ids a case's `rule` field cites ('E9,C6' → ['E9', 'C6']). */
export function citedRules(rule: string): string[] {
  return rule
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}
