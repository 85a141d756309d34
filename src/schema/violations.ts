// ajv errors → the engine's Violation (src/engine/types.ts), the one shape every consumer sees.
import type { ErrorObject } from 'ajv';
import type { Violation } from '../engine/types.js';

export function toViolations(
  messageType: string,
  errors: readonly ErrorObject[] | null | undefined,
): Violation[] {
  if (!errors) return [];
  // An `if` error ("must match \"then\" schema") only restates the nested errors of the branch it
  // points at, which ajv reports too; drop it unless it is all there is.
  const useful = errors.filter((e) => e.keyword !== 'if');
  return (useful.length > 0 ? useful : errors).map((e) => ({
    messageType,
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    message: e.message ?? `failed ${e.keyword}`,
  }));
}

/** One violation that is not an ajv error (unknown type, not an object, binary sequencing). */
export function violation(
  messageType: string,
  message: string,
  schemaPath = '',
  instancePath = '',
): Violation {
  return { messageType, instancePath, schemaPath, message };
}

/** `/severity must be equal to one of the allowed values [#/properties/severity/enum]` */
export function formatViolation(v: Violation): string {
  const where = v.instancePath === '' ? '' : `${v.instancePath} `;
  const schema = v.schemaPath === '' ? '' : ` [${v.schemaPath}]`;
  return `${where}${v.message}${schema}`;
}
