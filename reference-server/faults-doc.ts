// FAULTS.md is rendered from the fault table (faults.ts); test/reference-server/faults-doc.test.ts
// fails when the two differ and rewrites the file when run with WSCONFORM_WRITE_FAULTS_MD=1.
import { FAULTS, type FaultInfo } from './faults.js';

const WHERE: [prefix: string, where: string][] = [
  ['handshake-', 'upgrade.ts / ws-faults.ts'],
  ['origin-', 'upgrade.ts'],
  ['pong-', 'ws-faults.ts'],
  ['close-', 'ws-faults.ts'],
  ['unsolicited-pong-', 'ws-faults.ts'],
  ['size-limit-', 'ws-faults.ts'],
  ['protocol-error-', 'ws-faults.ts'],
  ['utf8-', 'ws-faults.ts'],
  ['no-size-limit', 'ws-faults.ts'],
  ['crash-', 'server.ts / ws-faults.ts'],
  ['stall-', 'sockets.ts / ws-faults.ts'],
  ['ath-', 'atheria/'],
  ['evo-', 'evolution/'],
];

export function faultWhere(name: string): string {
  return WHERE.find(([prefix]) => name.startsWith(prefix))?.[1] ?? '(not implemented)';
}

export function renderFaultsMarkdown(): string {
  const rows = Object.entries(FAULTS as Record<string, FaultInfo>).map(
    ([name, f]) => `| \`${name}\` | ${f.rule} | ${f.level.toUpperCase()} | ${f.breaks} | ${faultWhere(name)} |`,
  );
  return [
    '# Reference-server faults',
    '',
    '<!-- generated from reference-server/faults.ts by reference-server/faults-doc.ts; do not edit by hand:',
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
