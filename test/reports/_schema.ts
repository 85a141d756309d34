// Validates report.json files against spec/report.schema.json (draft 2020-12).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('../../spec/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is CommonJS: its default export arrives as module.exports or as .default.
const addFormats =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema errors of a report, as readable strings (empty when valid). */
export function reportErrors(report: unknown): string[] {
  return validate(report)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} (${e.schemaPath})`);
}
