import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EngineEvent, RunRecord } from '../src/engine/events.js';
import { renderHtml } from './html.js';
import { type ReportMeta, renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { profileLink } from './profile-link.js';

// The four report files of the command-line contract (README.md, "The report folder"), written into --out (default ./wsconform-report/).

export const DEFAULT_OUT_DIR = 'wsconform-report';
export type { ReportMeta } from './json.js';

export const REPORT_FILES = {
  json: 'report.json',
  junit: 'junit.xml',
  html: 'index.html',
  markdown: 'summary.md',
} as const;

/** Renders every format and writes it into `dir` (created if missing); returns the paths written. */
export async function writeReports(dir: string, run: RunRecord, meta: ReportMeta): Promise<string[]> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  // the rule links of index.html and summary.md point at the package's spec/PROFILE.md from here
  const m = { ...meta, profileHref: meta.profileHref ?? profileLink(out) };
  const files: [string, string][] = [
    [REPORT_FILES.json, renderJson(run, m)],
    [REPORT_FILES.junit, renderJunit(run, m)],
    [REPORT_FILES.html, renderHtml(run, m)],
    [REPORT_FILES.markdown, renderMarkdown(run, m)],
  ];
  await Promise.all(files.map(([name, content]) => writeFile(join(out, name), content)));
  return files.map(([name]) => join(out, name));
}

/**
 * An engine-event consumer that writes the reports when the run ends; `done` resolves with the
 * paths written (or rejects with the write error).
 */
export function reportWriter(
  dir: string,
  meta: ReportMeta,
): { listener: (e: EngineEvent) => void; done: Promise<string[]> } {
  let settle: { resolve: (paths: string[]) => void; reject: (err: unknown) => void } | undefined;
  const done = new Promise<string[]>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return {
    listener: (e) => {
      if (e.type === 'run-end') writeReports(dir, e.run, meta).then(settle?.resolve, settle?.reject);
    },
    done,
  };
}
