import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { profilePath } from '../src/util/profile.js';

// Where the reports link a rule to: spec/PROFILE.md of this package (shipped in the npm package),
// seen from the report folder. A relative link keeps working when the report is opened from disk
// (browser, editor preview) and offline; where no relative path exists (another drive), the
// file:// URL. index.html also embeds each cited rule's text, so it reads without the link too.

/** The href of spec/PROFILE.md from `fromDir` (relative), or its file:// URL; append `#A3` for a rule. */
export function profileLink(fromDir?: string): string {
  const target = profilePath();
  if (fromDir !== undefined) {
    const rel = relative(fromDir, target);
    if (rel && !isAbsolute(rel)) return rel.split(sep).map(encodeURIComponent).join('/');
  }
  return pathToFileURL(target).href;
}
