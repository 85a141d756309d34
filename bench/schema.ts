// Validation of bench.json against spec/bench.schema.json (JSON Schema 2020-12). `bench merge`
// checks its inputs with it; the tests check every file a run or a merge writes.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { specPath } from '../src/util/package-root.js';

// ajv-formats is CommonJS with `exports.default` (see src/schema/registry.ts)
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

let validate: ValidateFunction | undefined;

/** Problems of a bench.json value, as "path: message" lines; empty when valid. */
export function benchJsonProblems(value: unknown): string[] {
  if (!validate) {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(specPath('bench.schema.json'), 'utf8')));
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
