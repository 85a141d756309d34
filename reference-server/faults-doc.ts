// FAULTS.md is rendered from the fault catalog (spec/faults.json); test/reference-server/faults-doc.test.ts
// fails when the two differ and rewrites the file when run with WSCONFORM_WRITE_FAULTS_MD=1.
import { FAULTS, type FaultInfo } from './faults.js';


export function renderFaultsMarkdown(): string {
  const rows = Object.entries(FAULTS as Record<string, FaultInfo>).map(
    ([name, f]) => `| \`${name}\` | ${f.rule} | ${f.level.toUpperCase()} | ${f.breaks} | ${f.where} |`,
  );
  return [
    '# Reference-server faults',
    '',
    '<!-- generated from spec/faults.json by reference-server/faults-doc.ts; do not edit by hand:',
    '     WSCONFORM_WRITE_FAULTS_MD=1 npx vitest run test/reference-server/faults-doc.test.ts -->',
    '',
    '`wsconform serve --fault NAME` (repeatable, or comma-separated) starts the reference server with',
    'one profile rule broken on purpose. The fault self-test runs every case that lists a fault against',
    'a server with that fault and expects `fail` for a MUST rule and `non-strict` for a SHOULD rule.',
    'Without faults none of the fault code runs. Rules are those of `spec/PROFILE.md`.',
    '',
    '| Fault | Rule | Level | What it breaks | Where (reference-server/) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
