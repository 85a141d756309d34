import type { FaultName } from '../schema/faults.js';
import type { CaseDefinition, SuiteName } from '../engine/types.js';

// Atheria case definitions: the id follows ATH-<SUITE>-NNN and the faults are checked against the
// fault table at compile time. Numbers 001..099 are this helper's; 100..199 are the common
// (C1–C4) cases of suites/_shared.

export interface AtheriaCase extends Omit<CaseDefinition, 'id' | 'protocol' | 'faults'> {
  num: number;
  faults: readonly FaultName[];
}

/** `ATH-<SUITE>-NNN` */
export function atheriaCaseId(suite: SuiteName, num: number): string {
  return `ATH-${suite.toUpperCase()}-${String(num).padStart(3, '0')}`;
}

export function atheriaCase(def: AtheriaCase): CaseDefinition {
  if (!Number.isInteger(def.num) || def.num < 1 || def.num > 99)
    throw new Error(`Atheria case number ${def.num} is outside 1..99`);
  const { num, ...rest } = def;
  return { ...rest, id: atheriaCaseId(def.suite, num), protocol: 'atheria' };
}
