// The fault catalog (spec/faults.json): which profile rule each reference-server fault breaks, at
// which level, and what it does. Data, read by the reference server (to accept `--fault NAME`),
// by the cases (their `faults` lists are typed by the generated FaultName) and by the fault
// self-test, which expects `fail` from a case checking a MUST rule and `non-strict` from a SHOULD.
import { readFileSync } from 'node:fs';
import { specPath } from '../util/package-root.js';
import type { FaultName } from './faults.generated.js';

export type { FaultName } from './faults.generated.js';

export interface FaultInfo {
  /** the rule broken ("A5,C5": also shows as a C5 schema violation) */
  rule: string;
  level: 'must' | 'should';
  /** what the fault breaks, in one line */
  breaks: string;
  /** where in reference-server/ it is implemented */
  where: string;
}

/** Every fault of the catalog, by name (read once; ajv-checked against spec/faults.schema.json in the tests). */
export const FAULTS: Readonly<Record<FaultName, FaultInfo>> = (
  JSON.parse(readFileSync(specPath('faults.json'), 'utf8')) as { faults: Record<FaultName, FaultInfo> }
).faults;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}
