// Custom ajv keywords. A5 requires the rows of a 2-D map_data to have equal length, which JSON
// Schema cannot express; spec/atheria/messages/defs.schema.json marks such arrays with
// `"x-equalRowLengths": true` and this keyword enforces it. The `x-` prefix keeps the schemas
// valid for other tools (AsyncAPI parser, json-schema-to-typescript), which ignore it.
import type { Ajv2020 } from 'ajv/dist/2020.js';

export const EQUAL_ROW_LENGTHS = 'x-equalRowLengths';

/** The error message of x-equalRowLengths (kept beside its code; DECISIONS.md quotes it). */
export function unequalRowsMessage(row: number, length: number, expected: number): string {
  return `rows must all have the same length: row ${row} has ${length} items, row 0 has ${expected}`;
}

interface KeywordError {
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

type KeywordValidate = ((schema: boolean, data: unknown) => boolean) & { errors?: KeywordError[] };

const equalRowLengths: KeywordValidate = (enabled, data) => {
  equalRowLengths.errors = undefined;
  if (!enabled || !Array.isArray(data) || data.length === 0) return true;
  const first: unknown = data[0];
  // Non-array rows are reported by `items`; this keyword only compares lengths of array rows.
  if (!Array.isArray(first)) return true;
  for (let i = 1; i < data.length; i++) {
    const row: unknown = data[i];
    if (Array.isArray(row) && row.length !== first.length) {
      equalRowLengths.errors = [
        {
          keyword: EQUAL_ROW_LENGTHS,
          message: unequalRowsMessage(i, row.length, first.length),
          params: { row: i, length: row.length, expected: first.length },
        },
      ];
      return false;
    }
  }
  return true;
};

export function addCustomKeywords(ajv: Ajv2020): void {
  ajv.addKeyword({
    keyword: EQUAL_ROW_LENGTHS,
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    validate: equalRowLengths,
  });
}
