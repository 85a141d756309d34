// The fault catalog (spec/faults.json) is valid against its schema and names real places, and
// FAULTS.md lists every fault of it, with its rule and what it breaks.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect, it } from 'vitest';
import { FAULTS } from '../../reference-server/faults.js';
import { renderFaultsMarkdown } from '../../reference-server/faults-doc.js';
import { specPath } from '../../src/util/package-root.js';
import { FAULT_CHECKS, isServerCoreFault } from './helpers/fault-checks.js';

const file = new URL('../../reference-server/FAULTS.md', import.meta.url);

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

it('spec/faults.json is valid against spec/faults.schema.json, and every "where" exists', () => {
  const validate = new Ajv2020({ strict: true }).compile(json(specPath('faults.schema.json')) as object);
  expect(validate(json(specPath('faults.json'))), JSON.stringify(validate.errors)).toBe(true);
  const server = new URL('../../reference-server/', import.meta.url);
  for (const [name, f] of Object.entries(FAULTS))
    for (const where of f.where.split(' / '))
      expect(existsSync(new URL(where, server)), `${name}: reference-server/${where}`).toBe(true);
});

it('FAULTS.md is in sync with spec/faults.json', () => {
  const expected = renderFaultsMarkdown();
  if (process.env['WSCONFORM_WRITE_FAULTS_MD'] === '1') writeFileSync(file, expected);
  expect(readFileSync(file, 'utf8')).toBe(expected);
  for (const name of Object.keys(FAULTS)) {
    expect(expected).toContain(`\`${name}\``);
  }
});

it('every fault of the server core and the evolution endpoint has a behaviour check', () => {
  const missing = Object.keys(FAULTS).filter((n) => isServerCoreFault(n) && !Object.hasOwn(FAULT_CHECKS, n));
  expect(missing).toEqual([]);
});
