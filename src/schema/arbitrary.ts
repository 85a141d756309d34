// fast-check arbitraries of valid and single-rule-invalid messages, derived from spec/ schemas, so
// that the property cases need no hand-written generators. Both are checked against ajv, so a sample is what it claims.
import fc from 'fast-check';
import type { Protocol } from '../engine/types.js';
import { applyMutation, mutationsOf } from './arbitrary-mutations.js';
import { arbitraryOf } from './arbitrary-valid.js';
import type { Direction } from './manifest.js';
import { schemaById } from './schema-nodes.js';
import { schemaFor, schemaId, validateRef } from './validate.js';

/** The converter's output before the ajv filter (tests check that it rarely needs the filter). */
export function validCandidate(
  protocol: Protocol,
  direction: Direction,
  type: string,
): fc.Arbitrary<unknown> {
  schemaFor(protocol, direction, type); // throws for an unknown type
  return arbitraryOf(schemaById(schemaId(protocol, direction, type)));
}

/** Values that validate against the schema of this message type (unknown extra fields included, C6). */
export function validMessage(protocol: Protocol, direction: Direction, type: string): fc.Arbitrary<unknown> {
  const id = schemaId(protocol, direction, type);
  return validCandidate(protocol, direction, type).filter((v) => validateRef(id, v).length === 0);
}

/** Every single-rule mutation of one valid value that applies to it, before the ajv filter. */
export function mutationCandidates(
  protocol: Protocol,
  direction: Direction,
  type: string,
  valid: unknown,
): { value: unknown; broken: string }[] {
  return mutationsOf(schemaById(schemaId(protocol, direction, type)))
    .map((m) => applyMutation(valid, m))
    .filter((r): r is { value: unknown; broken: string } => r !== undefined);
}

/**
 * A valid message with exactly one rule broken (`broken` says which, e.g.
 * `enum /severity = "warning_not_allowed"`), kept only when ajv really rejects it.
 */
export function invalidMessage(
  protocol: Protocol,
  direction: Direction,
  type: string,
): fc.Arbitrary<{ value: unknown; broken: string }> {
  const id = schemaId(protocol, direction, type);
  return (
    validMessage(protocol, direction, type)
      // never empty: the root `type` const (or a required field) always applies
      .chain((valid) => fc.constantFrom(...mutationCandidates(protocol, direction, type, valid)))
      .filter((r) => validateRef(id, r.value).length > 0)
  );
}
