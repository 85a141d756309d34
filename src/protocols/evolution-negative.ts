// Negative client messages for the Evolution property case (EVO-SCHEMA-004): a valid message with
// one schema rule broken — but only a rule the profile makes normative (C7 required fields, the
// documented types, the enums and ranges of E4–E8, E12). Constraints that only
// spec/evolution/DECISIONS.md adds are never broken here (E9: "constraints that only the project's
// DECISIONS files add are never a MUST"), so a correct server's verdict cannot depend on the seed:
//   - non-empty strings (`minLength: 1` of the envelope id, channel names, agent_id, cmd, token);
//   - the envelope `id` and the envelope `timestamp` of client messages (E1 only says a server
//     MUST accept them; their type and format are the project's);
//   - `ping.timestamp` IS normative (E3: a number).
import fc from 'fast-check';
import { applyMutation, type Mutation, mutationsOf } from '../schema/arbitrary-mutations.js';
import { validMessage } from '../schema/arbitrary.js';
import { schemaId, validateRef } from '../schema/index.js';
import { schemaById } from '../schema/schema-nodes.js';

/** Whether breaking this rule of a client message of `type` breaks the profile, not only DECISIONS. */
export function isNormative(type: string, m: Mutation): boolean {
  if (m.kind === 'too-short') return false;
  const [first] = m.path;
  if (m.path.length === 1 && first === 'id') return false;
  if (m.path.length === 1 && first === 'timestamp' && type !== 'ping') return false;
  return true;
}

/**
 * Whether the broken message is E9's to judge: for `control` and `command` only a missing field
 * (and the type itself) — a wrong action or parameter is E6's (EVO-SUBSCRIPTIONS-009), a wrong cmd
 * or generation E8's (EVO-SUBSCRIPTIONS-014), so that one defect fails one rule.
 */
export function isE9s(type: string, m: Mutation): boolean {
  if (type !== 'control' && type !== 'command') return true;
  return m.kind === 'missing-required' || (m.path.length === 1 && m.path[0] === 'type');
}

/**
 * Whether an `error` answer is a MUST of E9 for this broken message: an unknown `type` (its
 * const broken). For the rest E9 asks only that the connection stay open (MUST) and prefers
 * INVALID_COMMAND (SHOULD; silence non-strict). The MUST errors of E6 (a wrong action or
 * parameter) and E8 (a generation out of range) are EVO-SUBSCRIPTIONS-009's and -014's, so that one
 * defect fails one rule (and E6 lets a server ignore parameters sent with pause or stop).
 */
export function errorIsMust(_type: string, m: Mutation): boolean {
  return m.path.length === 1 && m.path[0] === 'type';
}

export interface NegativeSample {
  type: string;
  value: unknown;
  /** what was broken, e.g. `enum /action = "start_not_allowed"` */
  broken: string;
  /** an error answer is a MUST (see errorIsMust) */
  errorMust: boolean;
}

/** A valid client message of `type` with one normative rule broken, kept only when ajv rejects it. */
export function normativeInvalidMessage(type: string): fc.Arbitrary<NegativeSample> {
  const id = schemaId('evolution', 'client', type);
  const mutations = mutationsOf(schemaById(id)).filter((m) => isNormative(type, m) && isE9s(type, m));
  return validMessage('evolution', 'client', type)
    .chain((valid) => {
      const applied = mutations.flatMap((m) => {
        const r = applyMutation(valid, m);
        return r ? [{ type, value: r.value, broken: r.broken, errorMust: errorIsMust(type, m) }] : [];
      });
      // never empty: the root `type` const always applies
      return fc.constantFrom(...applied);
    })
    .filter((s) => validateRef(id, s.value).length > 0);
}
