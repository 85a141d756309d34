// Message validation by type: the dispatch of C5 (server messages) and of client checks.
import type { AnySchemaObject } from 'ajv';
import type { Protocol, Violation } from '../engine/types.js';
import { type Direction, loadManifest, type MessageFiles } from './manifest.js';
import { getRegistry, SCHEMA_BASE, validatorFor } from './registry.js';
import { mergeNullErrors, withoutNulls } from './null-as-absent.js';
import { isRecord } from './schema-nodes.js';
import { toViolations, violation } from './violations.js';

/** `$id` of the schema of one message type. */
export function schemaId(protocol: Protocol, direction: Direction, type: string): string {
  return `${SCHEMA_BASE}${protocol}/${direction}/${type}.schema.json`;
}

function files(protocol: Protocol, direction: Direction): MessageFiles {
  const m = loadManifest(protocol);
  return direction === 'server' ? m.serverMessages : m.clientMessages;
}

/** Binary-message header schemas that are not text message types (E11 agent_code). */
function headerTypes(protocol: Protocol, direction: Direction): string[] {
  const m = loadManifest(protocol);
  return m.protocol === 'evolution' && direction === 'client' ? [m.binary.clientAgentCode.headerType] : [];
}

export function serverMessageTypes(protocol: Protocol): string[] {
  return Object.keys(files(protocol, 'server'));
}

export function clientMessageTypes(protocol: Protocol): string[] {
  return Object.keys(files(protocol, 'client'));
}

function knownType(protocol: Protocol, direction: Direction, type: string): boolean {
  return Object.hasOwn(files(protocol, direction), type) || headerTypes(protocol, direction).includes(type);
}

/** The JSON schema object of a message type (also the E11 agent_code header); throws if unknown. */
export function schemaFor(protocol: Protocol, direction: Direction, type: string): AnySchemaObject {
  const schema = knownType(protocol, direction, type)
    ? getRegistry().byId.get(schemaId(protocol, direction, type))
    : undefined;
  if (!schema) throw new Error(`wsconform: ${protocol} has no ${direction} message type '${type}'`);
  return schema;
}

/**
 * The message type a value claims: `type`, or for Atheria client messages in the legacy form
 * (A2) `<scope>.<command>`. Undefined when it claims none.
 */
export function messageTypeOf(protocol: Protocol, direction: Direction, json: unknown): string | undefined {
  if (!isRecord(json)) return undefined;
  if (typeof json.type === 'string') return json.type;
  if (
    protocol === 'atheria' &&
    direction === 'client' &&
    typeof json.scope === 'string' &&
    typeof json.command === 'string'
  ) {
    return `${json.scope}.${json.command}`;
  }
  return undefined;
}

/**
 * Validate against any schema or sub-schema by ajv ref (`$id` plus optional `#/json/pointer`).
 * `nullAsAbsent` (received messages, C6): an optional property whose value is null is absent.
 */
export function validateRef(
  ref: string,
  value: unknown,
  messageType?: string,
  opts: { nullAsAbsent?: boolean } = {},
): Violation[] {
  const validate = validatorFor(ref);
  // Plain boolean: ajv's validate is a type guard that would narrow `value` to never below.
  const ok: boolean = validate(value);
  if (ok) return [];
  const claimed = isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
  const fromRef = /\/([^/]+)\.schema\.json/.exec(ref)?.[1];
  const type = messageType ?? claimed ?? fromRef ?? '(unknown)';
  const original = [...(validate.errors ?? [])];
  if (!opts.nullAsAbsent) return toViolations(type, original);
  const { value: stripped, removed } = withoutNulls(value);
  if (removed.size === 0) return toViolations(type, original);
  const strippedOk: boolean = validate(stripped);
  return strippedOk ? [] : toViolations(type, mergeNullErrors(validate.errors ?? [], original, removed));
}

function validateMessage(
  protocol: Protocol,
  direction: Direction,
  json: unknown,
  opts: { nullAsAbsent?: boolean } = {},
): Violation[] {
  const manifestPath = `spec/${protocol}/protocol.json#/${direction}Messages`;
  if (!isRecord(json)) return [violation('(unknown)', 'must be a JSON object', '#/type')];
  const type = messageTypeOf(protocol, direction, json);
  if (type === undefined) {
    const legacy =
      protocol === 'atheria' && direction === 'client' ? " or the legacy 'scope' and 'command'" : '';
    return [violation('(unknown)', `must have required property 'type'${legacy}`, '#/required')];
  }
  // Header-only types (agent_code) are valid only inside a binary message, never as text.
  if (!Object.hasOwn(files(protocol, direction), type)) {
    const known = Object.keys(files(protocol, direction)).join(', ');
    return [
      violation(type, `unknown ${direction} message type '${type}' (known: ${known})`, manifestPath, '/type'),
    ];
  }
  return validateRef(schemaId(protocol, direction, type), json, type, opts);
}

/**
 * C5 on received traffic: a documented server message type is validated in full; a type the seed
 * does not list gives no violation (A9, E1: a server MAY send it; the run reports it as
 * informational). A message with no string `type` still breaks its protocol.
 */
export function validateReceived(protocol: Protocol, json: unknown): Violation[] {
  if (isRecord(json)) {
    const type = messageTypeOf(protocol, 'server', json);
    if (type !== undefined && !Object.hasOwn(files(protocol, 'server'), type)) return [];
  }
  return validateMessage(protocol, 'server', json, { nullAsAbsent: true });
}

/** C5: violations of a server→client message; [] when valid. */
export function validateServerMessage(protocol: Protocol, json: unknown): Violation[] {
  return validateMessage(protocol, 'server', json, { nullAsAbsent: true });
}

/** Violations of a client→server message (Atheria: both A2 forms); [] when valid. */
export function validateClientMessage(protocol: Protocol, json: unknown): Violation[] {
  return validateMessage(protocol, 'client', json);
}
