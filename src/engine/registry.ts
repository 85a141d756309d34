import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isFaultName } from '../schema/faults.js';
import { ID_PREFIX, TABLE_KEY } from './define-case.js';
import { type CaseDefinition, type Protocol, SUITES, type SuiteName } from './types.js';

// Discovers the case files under suites/<suite>/ (each declares its cases with defineCase and
// default-exports a case or a list of them) and checks them. From src/engine/ under vitest
// and from dist/src/engine/ after the build alike, the suites are two folders up.

/** suites/ beside src/ (or dist/suites beside dist/src). */
export const DEFAULT_SUITES_DIR = fileURLToPath(new URL('../../suites/', import.meta.url));

const RULE = /^[CAE]\d+(,\s*[CAE]\d+)*$/;
export { TABLE_KEY };

/** A case file that cannot be loaded or a definition that breaks the case model. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** Whether a file in a suite folder holds cases (helpers start with `_`; declarations and maps are not code). */
export function isCaseFile(name: string): boolean {
  if (name.startsWith('_') || name.startsWith('.')) return false;
  if (name.endsWith('.d.ts') || name.endsWith('.map')) return false;
  return /\.(ts|js|mjs)$/.test(name) && !/\.test\.(ts|js)$/.test(name);
}

/** Imports every case file of the ten suites, in suite order then file name order. */
export async function loadCases(suitesDir = DEFAULT_SUITES_DIR): Promise<CaseDefinition[]> {
  const cases: CaseDefinition[] = [];
  const problems: string[] = [];
  for (const suite of SUITES) {
    const dir = join(suitesDir, suite);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter(isCaseFile).sort()) {
      const file = join(dir, name);
      let exported: unknown;
      try {
        exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
      } catch (err) {
        problems.push(`${suite}/${name}: cannot be loaded: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      const defs = Array.isArray(exported) ? exported.flat(Number.POSITIVE_INFINITY) : [exported];
      for (const def of defs) {
        const errs = checkCase(def, suite);
        if (errs.length) problems.push(`${suite}/${name}: ${errs.join('; ')}`);
        else cases.push(def as CaseDefinition);
      }
    }
  }
  const seen = new Map<string, string>();
  for (const c of cases) {
    if (seen.has(c.id)) problems.push(`duplicate case id ${c.id}`);
    seen.set(c.id, c.suite);
  }
  if (problems.length) throw new RegistryError(`invalid case files: ${problems.join(' | ')}`);
  return cases;
}

/** Problems of one exported value as a case of `suite`; empty when it is a valid CaseDefinition. */
export function checkCase(value: unknown, suite: SuiteName): string[] {
  if (typeof value !== 'object' || value === null)
    return ['the default export is not a case (use defineCase)'];
  const c = value as Partial<Record<keyof CaseDefinition, unknown>>;
  const errs: string[] = [];
  const id = typeof c.id === 'string' ? c.id : '(no id)';
  if (typeof c.id !== 'string') errs.push('id missing');
  const protocol = c.protocol;
  if (protocol !== 'atheria' && protocol !== 'evolution' && protocol !== 'generic')
    errs.push(`${id}: protocol must be atheria, evolution or generic`);
  if (c.suite !== suite)
    errs.push(`${id}: suite is '${String(c.suite)}' but the file is in suites/${suite}/`);
  if (
    typeof c.id === 'string' &&
    (protocol === 'atheria' || protocol === 'evolution' || protocol === 'generic')
  ) {
    // NNN, or the key of a row of a generated table (suites/framing/table-*.ts): its Autobahn case
    // number (6.4.3), or x + the Autobahn category for a row Autobahn lacks, and a variant suffix
    const want = new RegExp(`^${ID_PREFIX[protocol]}-${suite.toUpperCase()}-(\\d{3}|${TABLE_KEY})$`);
    if (!want.test(c.id))
      errs.push(
        `${id}: id must look like ${ID_PREFIX[protocol]}-${suite.toUpperCase()}-NNN (or a table key such as 6.4.3)`,
      );
  }
  if (typeof c.rule !== 'string' || !RULE.test(c.rule))
    errs.push(`${id}: rule must list profile rule ids such as 'E2' or 'C3,C4'`);
  if (typeof c.title !== 'string' || c.title.trim() === '') errs.push(`${id}: title missing`);
  if (!Array.isArray(c.faults) || !c.faults.every((f) => typeof f === 'string'))
    errs.push(`${id}: faults must be an array of fault names`);
  else {
    // The type (FaultName) catches a misspelt name at compile time; this, a built case file.
    const unknown = c.faults.filter((f: string) => !isFaultName(f));
    if (unknown.length) errs.push(`${id}: unknown fault ${unknown.join(', ')} (spec/faults.json)`);
  }
  if (typeof c.run !== 'function') errs.push(`${id}: run must be a function`);
  if (c.hostile !== undefined && typeof c.hostile !== 'boolean')
    errs.push(`${id}: hostile must be a boolean`);
  if (c.exclusive !== undefined && (typeof c.exclusive !== 'string' || c.exclusive === ''))
    errs.push(`${id}: exclusive must be a group name`);
  if (c.shares !== undefined && (typeof c.shares !== 'string' || c.shares === ''))
    errs.push(`${id}: shares must be a group name`);
  if (c.shares !== undefined && c.exclusive !== undefined)
    errs.push(`${id}: a case is either exclusive in a group or shares it, not both`);
  if (c.timeoutMs !== undefined && !(typeof c.timeoutMs === 'number' && c.timeoutMs > 0))
    errs.push(`${id}: timeoutMs must be a positive number`);
  return errs;
}

export interface CaseFilter {
  protocols?: readonly Protocol[];
  suites?: readonly SuiteName[];
  /** comma-separated globs over case ids (`*` any run, `?` one character), case-insensitive */
  caseGlob?: string;
}

/** A matcher for a comma-separated list of id globs. */
export function globMatcher(globs: string): (id: string) => boolean {
  const res = globs
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map(
      (g) =>
        new RegExp(
          `^${g
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
          'i',
        ),
    );
  return (id) => res.some((re) => re.test(id));
}

export function filterCases(cases: readonly CaseDefinition[], f: CaseFilter): CaseDefinition[] {
  const match = f.caseGlob ? globMatcher(f.caseGlob) : () => true;
  return cases.filter(
    (c) =>
      (!f.protocols || f.protocols.includes(c.protocol)) &&
      (!f.suites || f.suites.includes(c.suite)) &&
      match(c.id),
  );
}
