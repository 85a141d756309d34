// FAULTS.md lists every fault of the table, with its rule and what it breaks.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FAULTS } from '../../reference-server/faults.js';
import { faultWhere, renderFaultsMarkdown } from '../../reference-server/faults-doc.js';
import { FAULT_CHECKS, isServerCoreFault } from './helpers/fault-checks.js';

const file = new URL('../../reference-server/FAULTS.md', import.meta.url);

it('FAULTS.md is in sync with reference-server/faults.ts', () => {
  const expected = renderFaultsMarkdown();
  if (process.env['WSCONFORM_WRITE_FAULTS_MD'] === '1') writeFileSync(file, expected);
  expect(readFileSync(file, 'utf8')).toBe(expected);
  for (const name of Object.keys(FAULTS)) {
    expect(expected).toContain(`\`${name}\``);
    expect(faultWhere(name)).not.toBe('(not implemented)');
  }
});

it('every fault of the server core and the evolution endpoint has a behaviour check', () => {
  const missing = Object.keys(FAULTS).filter((n) => isServerCoreFault(n) && !Object.hasOwn(FAULT_CHECKS, n));
  expect(missing).toEqual([]);
});
